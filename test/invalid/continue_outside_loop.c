// expect: 5:5: error: continue
int main(void) {
  int x = 1;
  switch (x) {
    continue;
  }
  return x;
}
