// expect: 6:7: error: width of 'x' exceeds its type
// expect: 7:9: error: width of 'b' exceeds its type
// expect: 8:8: error: width of 'c' exceeds its type
// expect: 9:13: error: width of 'h' exceeds its type
struct S {
  int x : 33;
  _Bool b : 2;
  char c : 9;
  long long h : 65;
};
int main(void) { return 0; }
