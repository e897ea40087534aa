// expect: 7:7: error: negative width in bit-field 'y'
// expect: 8:7: error: zero width for bit-field 'z'
// expect: 9:7: error: bit-field 'g' width not an integer constant
// expect: 10:3: error: negative width in bit-field '<anonymous>'
int w;
struct S {
  int y : -1;
  int z : 0;
  int g : w;
  int : -2;
};
int main(void) { return 0; }
