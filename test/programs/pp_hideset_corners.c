/* Macro expansion corner cases: the examples of C99 6.10.3.5, hide sets when a ')' or a
   macro name comes from another expansion, macros expanding to their own names or to nothing,
   # and ## with arguments, __VA_ARGS__, push_macro/pop_macro (also through _Pragma inside a macro),
   __LINE__ in multi-line invocations and after #line, and an X-macro table expanded twice. */
#include <stdio.h>
#include <string.h>

/* Functions and objects named like the macros below: what an expansion leaves unexpanded. */
static int f(int v) { return v * 3 + 1; }
static int t(int v) { return v + 7; }
static int m(int a, int b) { return a * 10 + b + 5; }
static int bar(int v) { return v * 2; }
static int y = 4;
static int z[1] = {6};
static int AA = 11, BB = 13, g2 = 5, foo = 17;

/* C99 6.10.3.5 example 3. */
#define x 3
#define f(a) f(x * (a))
#undef x
#define x 2
#define g f
#define z z[0]
#define h g(~
#define m(a) a(w)
#define w 0, 1
#define t(a) a
#define p() int
#define q(x) x
#define r(x, y) x##y
#define str(x) #x

static void example3(void) {
  int r1 = f(y + 1) + f(f(z)) % t(t(g)(0) + t)(1);
  int r2 = g(x + (3, 4) - w) | h 5) & m
    (f)^m(m);
  p() i[q()] = {q(1), r(2, 3), r(4, ), r(, 5), r(, )};
  char c[2][6] = {str(hello), str()};
  printf("ex3 %d %d %d %d %d %d %d [%s] [%s]\n", r1, r2, (int)(sizeof i / sizeof i[0]), i[0],
         i[1], i[2], i[3], c[0], c[1]);
}

#undef f
#undef g
#undef z
#undef h
#undef m
#undef w
#undef t
#undef x
#undef str

/* C99 6.10.3.5 example 4: # and ## with arguments. */
#define str(s) #s
#define xstr(s) str(s)
#define glue(a, b) a##b
#define xglue(a, b) glue(a, b)
#define HIGHLOW "hello"
#define LOW LOW ", world"
#define INCFILE(n) vers##n

static void example4(void) {
  int x1 = 31, x2 = 32;
#define debug(s, t) printf("x" #s "= %d, x" #t "= %d\n", x##s, x##t)
  debug(1, 2);
#undef debug
  printf("%s\n", str(strncmp("abc\0d", "abc", '\4') // this goes away
                     == 0) str(: @\n));
  printf("%s|%s|%s\n", xstr(INCFILE(2).h), glue(HIGH, LOW), xglue(HIGH, LOW));
}

/* C99 6.10.3.5 example 5: placemarkers. */
#define t3(x, y, z) x##y##z
static void example5(void) {
  int j[] = {t3(1, 2, 3), t3(, 4, 5), t3(6, , 7), t3(8, 9, ), t3(10, , ), t3(, 11, ), t3(, , 12),
             t3(, , )};
  printf("ex5 %d:", (int)(sizeof j / sizeof j[0]));
  for (unsigned k = 0; k < sizeof j / sizeof j[0]; k++) printf(" %d", j[k]);
  printf("\n");
}

/* C99 6.10.3.5 example 7: variable arguments. */
#define showlist(...) puts(#__VA_ARGS__)
#define report(test, ...) ((test) ? puts(#test) : printf(__VA_ARGS__))
#define say(fmt, ...) printf(fmt, ##__VA_ARGS__)
#define count_args(...) count_impl(__VA_ARGS__, 5, 4, 3, 2, 1, 0)
#define count_impl(a, b, c, d, e, n, ...) n
static void example7(void) {
  int x = 3, y2 = 8;
  showlist(The first, second, and third items.);
  report(x > y2, "x is %d but y is %d\n", x, y2);
  report(x < y2, "never\n");
  say("no arguments\n");
  say("%d and %d\n", x, y2);
  printf("counts %d %d %d\n", count_args(a), count_args(a, b, c), count_args(a, (b, c), d));
}

/* Hide sets: a ')' or a name that comes from another expansion. */
#define fa(a) a * g2
#define g2(a) fa(a)
#define AA BB
#define BB AA
#define foo foo
#define bar(v) bar((v) + 1)
#define LPAREN (
#define RPAREN )
#define ID(v) v
#define APPLY(mac, v) mac(v)
#define SELF_ARG(v) v + SELF_ARG
#define NIL
#define CALL(fn) fn NIL (2)
#define PLUS +
#define TWO_PLUS PLUS PLUS
#define PLUS_MINUS PLUS-PLUS
static int SELF_ARG = 100;
static void hidesets(void) {
  /* fa(2)(9): the second invocation's ')' comes from the file, so fa is expandable again. */
  int a = fa(2)(9);
  int b = AA + BB + foo + bar(bar(1));
  int c = APPLY(ID, 8) + ID(LPAREN 9 RPAREN) + (int)strlen(xstr(ID(ID)(7)));
  int d = SELF_ARG(SELF_ARG(1));
  int e = CALL(bar) + ID(bar)(3);
  printf("hidesets %d %d %d %d %d %s\n", a, b, c, d, e, xstr(ID(ID)(7) APPLY(ID, ID)(1)));
  /* The same macro expanded at one place with and without a space before it. */
  printf("[%s] [%s]\n", xstr(a TWO_PLUS b PLUS_MINUS c), xstr(ID(PLUS)PLUS ID( PLUS)ID(PLUS ) PLUS));
}

/* A macro expanding to nothing leaves its leading space to the token after it. */
#define EMPTY
#define EMPTY_THEN(v) EMPTY v
static void empty_expansions(void) {
  printf("[%s] [%s] [%s]\n", xstr(-EMPTY- ID(EMPTY)x), xstr(a ID()b EMPTY ID(EMPTY)c),
         xstr(EMPTY_THEN(d)e EMPTY EMPTY f ID(EMPTY a)g));
}

/* push_macro/pop_macro, directly and through _Pragma written by a macro. */
#define VAL 1
#define DO_PRAGMA(x) _Pragma(#x)
#define SAVE_VAL DO_PRAGMA(push_macro("VAL"))
#define RESTORE_VAL DO_PRAGMA(pop_macro("VAL"))
static void pushpop(void) {
  int v[6];
  v[0] = VAL;
#pragma push_macro("VAL")
#undef VAL
#define VAL 2
  v[1] = VAL;
  SAVE_VAL
#undef VAL
#define VAL 3
  v[2] = VAL;
  RESTORE_VAL
  v[3] = VAL;
#pragma pop_macro("VAL")
  v[4] = VAL;
#pragma push_macro("VAL")
#undef VAL
#pragma pop_macro("VAL")
  v[5] = VAL;
  printf("pushpop %d %d %d %d %d %d\n", v[0], v[1], v[2], v[3], v[4], v[5]);
}

/* __LINE__ in invocations over several lines, and after #line. */
#define LINE_OF(v) __LINE__
#define PAIR(a, b) ((a) * 1000 + (b))
static void lines(void) {
  int l0 = __LINE__;
  int l1 = LINE_OF(a
                   b
                   c);
  int l2 = PAIR(__LINE__,
                __LINE__);
#line 500
  int l3 = __LINE__;
  int l4 = PAIR(LINE_OF(x),
                __LINE__);
  printf("lines %d %d %d %d %d\n", l1 - l0, l2 - l0 * 1001, l3, l4, __LINE__);
}

/* An X-macro table expanded twice through nested function-like macros. */
#define ADD(a, b) ((a) + (b))
#define MUL(a, b) ((a) * (b))
#define MIX(s, v) ADD(MUL(s, 31), v)
#define TABLE \
  X(k0, 3)    \
  X(k1, 5)    \
  X(k2, 7)    \
  X(k3, 11)   \
  X(k4, 13)
#define X(name, v) name,
enum key { TABLE KEY_COUNT };
#undef X
#define X(name, v) s = MIX(s, ADD(name, v));
static unsigned table_sum(void) {
  unsigned s = 1;
  TABLE
  return s;
}
#undef X
#define X(name, v) #name "=" #v " "
static const char table_text[] = TABLE;

int main(void) {
  example3();
  example4();
  example5();
  example7();
  hidesets();
  empty_expansions();
  pushpop();
  lines();
  printf("table %d %u %s\n", KEY_COUNT, table_sum(), table_text);
  return (int)(table_sum() % 100);
}
