// expect: 4:5: error: return
int pick(int x) {
  if (x > 0)
    return;
  return 1;
}
int main(void) { return pick(1); }
