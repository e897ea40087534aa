// expect: 4:7: warning: unused
int main(void) {
  int used = 1;
  int spare;
  return used;
}
