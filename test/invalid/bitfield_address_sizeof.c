// expect: 11:12: error: cannot take address of bit-field 'k'
// expect: 12:18: error: 'sizeof' applied to a bit-field
// expect: 13:14: error: 'typeof' applied to a bit-field
// expect: 14:7: error: '__alignof' applied to a bit-field
// expect: 15:42: error: attempt to take address of bit-field structure member 'k'
struct K {
  int k : 3;
};
int main(void) {
  struct K s;
  int *p = &s.k;
  int n = sizeof s.k;
  __typeof__(s.k) t = 0;
  n = _Alignof(s.k);
  n += (int)__builtin_offsetof(struct K, k);
  return n + t + (p != 0);
}
