// expect: 4:16: error: argument
#define ADD(a, b) ((a) + (b))
int main(void) {
  int x = ADD(1);
  return x;
}
