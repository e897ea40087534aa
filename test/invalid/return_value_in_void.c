// expect: 4:10: error: return
static int counter;
void bump(void) {
  return counter;
}
int main(void) { bump(); return 0; }
