// expect: 4:9: error: bit-field 'f' has invalid type
// expect: 5:8: error: bit-field 'p' has invalid type
struct S {
  float f : 3;
  int *p : 3;
};
int main(void) { return 0; }
