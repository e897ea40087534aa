// expect: 3:7: warning: unused
int main(void) {
  int unused_thing = 5;
  return 0;
}
