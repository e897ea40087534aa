// expect: 3:13: error: bit-field
struct Flags {
  int ready : 1;
  int mode : 3;
};
int main(void) { return 0; }
