// expect: 5:5: error: incompatible
int main(void) {
  double d = 1.0;
  int *p;
  p = &d;
  return *p;
}
