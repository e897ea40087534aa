// expect: 4:10: error: break
int main(void) {
  int x = 1;
  if (x) break;
  return x;
}
