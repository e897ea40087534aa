#include <stdio.h>

typedef enum { V_INT, V_DBL, V_STR, V_PAIR } Kind;

typedef struct Value {
  Kind kind;
  union {
    int i;
    double d;
    const char *s;
    struct { int a, b; } pair;
  } as;
} Value;

static Value mk_int(int i) { Value v; v.kind = V_INT; v.as.i = i; return v; }
static Value mk_dbl(double d) { Value v; v.kind = V_DBL; v.as.d = d; return v; }
static Value mk_str(const char *s) { Value v; v.kind = V_STR; v.as.s = s; return v; }
static Value mk_pair(int a, int b) { Value v; v.kind = V_PAIR; v.as.pair.a = a; v.as.pair.b = b; return v; }

static void show(Value v) {
  switch (v.kind) {
    case V_INT: printf("int %d\n", v.as.i); break;
    case V_DBL: printf("double %.3f\n", v.as.d); break;
    case V_STR: printf("string \"%s\"\n", v.as.s); break;
    case V_PAIR: printf("pair (%d, %d)\n", v.as.pair.a, v.as.pair.b); break;
  }
}

static double to_number(Value v) {
  switch (v.kind) {
    case V_INT: return v.as.i;
    case V_DBL: return v.as.d;
    case V_STR: { double n = 0; for (const char *p = v.as.s; *p; p++) n += 1; return n; }
    case V_PAIR: return v.as.pair.a + v.as.pair.b;
  }
  return 0;
}

int main(void) {
  Value vals[] = {mk_int(42), mk_dbl(2.5), mk_str("hello"), mk_pair(3, 4), mk_int(-7)};
  double total = 0;
  for (int i = 0; i < 5; i++) {
    show(vals[i]);
    total += to_number(vals[i]);
  }
  printf("total=%.2f sizeof(Value)=%d\n", total, (int)sizeof(Value));
  return (int)total;
}
