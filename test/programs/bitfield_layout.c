// Layout table of bit-field structs against gcc -m32: sizeof, alignof, offsets of the ordinary
// members, the raw bytes of static and assigned instances, and values read back (generated; one
// struct shape per block).
#include <stddef.h>
#include <stdio.h>
#include <string.h>

enum E { E0, E1, E2, E3 };
enum N { NM = -4, N0, N1 };

static void dump(const char *what, const void *p, int n) {
  const unsigned char *b = p;
  printf("  %s", what);
  for (int i = 0; i < n; i++) printf(" %02x", b[i]);
  printf("\n");
}


struct S0 {
  unsigned a : 3;
  unsigned b : 5;
};

static struct S0 s0 = { 6, 19 };

static void t0(void) {
  struct S0 x;
  printf("S0: size %d align %d\n", (int)sizeof(x), (int)_Alignof(struct S0));
  dump("static", &s0, sizeof s0);
  printf("  s.a %lld\n", (long long)s0.a);
  printf("  s.b %lld\n", (long long)s0.b);
  memset(&x, 0, sizeof x);
  x.a = 7;
  dump("set a", &x, sizeof x);
  x.b = 25;
  dump("set b", &x, sizeof x);
  printf("  x.a %lld\n", (long long)x.a);
  printf("  x.b %lld\n", (long long)x.b);
  memset(&x, 0xff, sizeof x);
  x.a = 0;
  x.b = 0;
  dump("cleared", &x, sizeof x);
  x.a = -1;
  printf("  ones a %lld\n", (long long)x.a);
  x.b = -1;
  printf("  ones b %lld\n", (long long)x.b);
  dump("ones", &x, sizeof x);
}

struct S1 {
  int a : 3;
  int b : 30;
};

static struct S1 s1 = { (-3), (-279298871) };

static void t1(void) {
  struct S1 x;
  printf("S1: size %d align %d\n", (int)sizeof(x), (int)_Alignof(struct S1));
  dump("static", &s1, sizeof s1);
  printf("  s.a %lld\n", (long long)s1.a);
  printf("  s.b %lld\n", (long long)s1.b);
  memset(&x, 0, sizeof x);
  x.a = (-3);
  dump("set a", &x, sizeof x);
  x.b = (-408084892);
  dump("set b", &x, sizeof x);
  printf("  x.a %lld\n", (long long)x.a);
  printf("  x.b %lld\n", (long long)x.b);
  memset(&x, 0xff, sizeof x);
  x.a = 0;
  x.b = 0;
  dump("cleared", &x, sizeof x);
  x.a = -1;
  printf("  ones a %lld\n", (long long)x.a);
  x.b = -1;
  printf("  ones b %lld\n", (long long)x.b);
  dump("ones", &x, sizeof x);
}

struct S2 {
  char c;
  int x : 8;
};

static struct S2 s2 = { 0x41, (-28) };

static void t2(void) {
  struct S2 x;
  printf("S2: size %d align %d\n", (int)sizeof(x), (int)_Alignof(struct S2));
  printf("  offsetof c %d\n", (int)offsetof(struct S2, c));
  dump("static", &s2, sizeof s2);
  printf("  s.x %lld\n", (long long)s2.x);
  memset(&x, 0, sizeof x);
  x.x = (-52);
  dump("set x", &x, sizeof x);
  printf("  x.x %lld\n", (long long)x.x);
  memset(&x, 0xff, sizeof x);
  x.x = 0;
  dump("cleared", &x, sizeof x);
  x.x = -1;
  printf("  ones x %lld\n", (long long)x.x);
  dump("ones", &x, sizeof x);
}

struct S3 {
  char c;
  int x : 25;
};

static struct S3 s3 = { 0x41, (-2715854) };

static void t3(void) {
  struct S3 x;
  printf("S3: size %d align %d\n", (int)sizeof(x), (int)_Alignof(struct S3));
  printf("  offsetof c %d\n", (int)offsetof(struct S3, c));
  dump("static", &s3, sizeof s3);
  printf("  s.x %lld\n", (long long)s3.x);
  memset(&x, 0, sizeof x);
  x.x = (-9899226);
  dump("set x", &x, sizeof x);
  printf("  x.x %lld\n", (long long)x.x);
  memset(&x, 0xff, sizeof x);
  x.x = 0;
  dump("cleared", &x, sizeof x);
  x.x = -1;
  printf("  ones x %lld\n", (long long)x.x);
  dump("ones", &x, sizeof x);
}

struct S4 {
  short s : 9;
  short t : 9;
};

static struct S4 s4 = { (-103), (-103) };

static void t4(void) {
  struct S4 x;
  printf("S4: size %d align %d\n", (int)sizeof(x), (int)_Alignof(struct S4));
  dump("static", &s4, sizeof s4);
  printf("  s.s %lld\n", (long long)s4.s);
  printf("  s.t %lld\n", (long long)s4.t);
  memset(&x, 0, sizeof x);
  x.s = (-109);
  dump("set s", &x, sizeof x);
  x.t = (-52);
  dump("set t", &x, sizeof x);
  printf("  x.s %lld\n", (long long)x.s);
  printf("  x.t %lld\n", (long long)x.t);
  memset(&x, 0xff, sizeof x);
  x.s = 0;
  x.t = 0;
  dump("cleared", &x, sizeof x);
  x.s = -1;
  printf("  ones s %lld\n", (long long)x.s);
  x.t = -1;
  printf("  ones t %lld\n", (long long)x.t);
  dump("ones", &x, sizeof x);
}

struct S5 {
  char a : 7;
  char b : 2;
};

static struct S5 s5 = { (-52), (-2) };

static void t5(void) {
  struct S5 x;
  printf("S5: size %d align %d\n", (int)sizeof(x), (int)_Alignof(struct S5));
  dump("static", &s5, sizeof s5);
  printf("  s.a %lld\n", (long long)s5.a);
  printf("  s.b %lld\n", (long long)s5.b);
  memset(&x, 0, sizeof x);
  x.a = (-55);
  dump("set a", &x, sizeof x);
  x.b = (-2);
  dump("set b", &x, sizeof x);
  printf("  x.a %lld\n", (long long)x.a);
  printf("  x.b %lld\n", (long long)x.b);
  memset(&x, 0xff, sizeof x);
  x.a = 0;
  x.b = 0;
  dump("cleared", &x, sizeof x);
  x.a = -1;
  printf("  ones a %lld\n", (long long)x.a);
  x.b = -1;
  printf("  ones b %lld\n", (long long)x.b);
  dump("ones", &x, sizeof x);
}

struct S6 {
  long long a : 40;
  long long b : 30;
};

static struct S6 s6 = { -273847618778LL, -528821786LL };

static void t6(void) {
  struct S6 x;
  printf("S6: size %d align %d\n", (int)sizeof(x), (int)_Alignof(struct S6));
  dump("static", &s6, sizeof s6);
  printf("  s.a %lld\n", (long long)s6.a);
  printf("  s.b %lld\n", (long long)s6.b);
  memset(&x, 0, sizeof x);
  x.a = -34230952348LL;
  dump("set a", &x, sizeof x);
  x.b = -532846349LL;
  dump("set b", &x, sizeof x);
  printf("  x.a %lld\n", (long long)x.a);
  printf("  x.b %lld\n", (long long)x.b);
  memset(&x, 0xff, sizeof x);
  x.a = 0;
  x.b = 0;
  dump("cleared", &x, sizeof x);
  x.a = -1;
  printf("  ones a %lld\n", (long long)x.a);
  x.b = -1;
  printf("  ones b %lld\n", (long long)x.b);
  dump("ones", &x, sizeof x);
}

struct S7 {
  int a : 1;
  long long b : 63;
};

static struct S7 s7 = { (-1), -4610956974568412941LL };

static void t7(void) {
  struct S7 x;
  printf("S7: size %d align %d\n", (int)sizeof(x), (int)_Alignof(struct S7));
  dump("static", &s7, sizeof s7);
  printf("  s.a %lld\n", (long long)s7.a);
  printf("  s.b %lld\n", (long long)s7.b);
  memset(&x, 0, sizeof x);
  x.a = (-1);
  dump("set a", &x, sizeof x);
  x.b = -4611321496497900423LL;
  dump("set b", &x, sizeof x);
  printf("  x.a %lld\n", (long long)x.a);
  printf("  x.b %lld\n", (long long)x.b);
  memset(&x, 0xff, sizeof x);
  x.a = 0;
  x.b = 0;
  dump("cleared", &x, sizeof x);
  x.a = -1;
  printf("  ones a %lld\n", (long long)x.a);
  x.b = -1;
  printf("  ones b %lld\n", (long long)x.b);
  dump("ones", &x, sizeof x);
}

struct S8 {
  char c;
  long long x : 60;
};

static struct S8 s8 = { 0x41, -576096230373936007LL };

static void t8(void) {
  struct S8 x;
  printf("S8: size %d align %d\n", (int)sizeof(x), (int)_Alignof(struct S8));
  printf("  offsetof c %d\n", (int)offsetof(struct S8, c));
  dump("static", &s8, sizeof s8);
  printf("  s.x %lld\n", (long long)s8.x);
  memset(&x, 0, sizeof x);
  x.x = -570628401431623783LL;
  dump("set x", &x, sizeof x);
  printf("  x.x %lld\n", (long long)x.x);
  memset(&x, 0xff, sizeof x);
  x.x = 0;
  dump("cleared", &x, sizeof x);
  x.x = -1;
  printf("  ones x %lld\n", (long long)x.x);
  dump("ones", &x, sizeof x);
}

struct S9 {
  unsigned a : 4;
  int : 0;
  unsigned b : 4;
};

static struct S9 s9 = { 12, 12 };

static void t9(void) {
  struct S9 x;
  printf("S9: size %d align %d\n", (int)sizeof(x), (int)_Alignof(struct S9));
  dump("static", &s9, sizeof s9);
  printf("  s.a %lld\n", (long long)s9.a);
  printf("  s.b %lld\n", (long long)s9.b);
  memset(&x, 0, sizeof x);
  x.a = 12;
  dump("set a", &x, sizeof x);
  x.b = 14;
  dump("set b", &x, sizeof x);
  printf("  x.a %lld\n", (long long)x.a);
  printf("  x.b %lld\n", (long long)x.b);
  memset(&x, 0xff, sizeof x);
  x.a = 0;
  x.b = 0;
  dump("cleared", &x, sizeof x);
  x.a = -1;
  printf("  ones a %lld\n", (long long)x.a);
  x.b = -1;
  printf("  ones b %lld\n", (long long)x.b);
  dump("ones", &x, sizeof x);
}

struct S10 {
  char a : 3;
  int : 0;
  char b;
};

static struct S10 s10 = { (-2), 0x41 };

static void t10(void) {
  struct S10 x;
  printf("S10: size %d align %d\n", (int)sizeof(x), (int)_Alignof(struct S10));
  printf("  offsetof b %d\n", (int)offsetof(struct S10, b));
  dump("static", &s10, sizeof s10);
  printf("  s.a %lld\n", (long long)s10.a);
  memset(&x, 0, sizeof x);
  x.a = (-2);
  dump("set a", &x, sizeof x);
  printf("  x.a %lld\n", (long long)x.a);
  memset(&x, 0xff, sizeof x);
  x.a = 0;
  dump("cleared", &x, sizeof x);
  x.a = -1;
  printf("  ones a %lld\n", (long long)x.a);
  dump("ones", &x, sizeof x);
}

struct S11 {
  char a;
  int : 4;
  char b;
};

static struct S11 s11 = { 0x41, 0x41 };

static void t11(void) {
  struct S11 x;
  printf("S11: size %d align %d\n", (int)sizeof(x), (int)_Alignof(struct S11));
  printf("  offsetof a %d\n", (int)offsetof(struct S11, a));
  printf("  offsetof b %d\n", (int)offsetof(struct S11, b));
  dump("static", &s11, sizeof s11);
  memset(&x, 0, sizeof x);
  memset(&x, 0xff, sizeof x);
  dump("cleared", &x, sizeof x);
  dump("ones", &x, sizeof x);
}

struct S12 {
  char a;
  long long : 0;
  char b;
};

static struct S12 s12 = { 0x41, 0x41 };

static void t12(void) {
  struct S12 x;
  printf("S12: size %d align %d\n", (int)sizeof(x), (int)_Alignof(struct S12));
  printf("  offsetof a %d\n", (int)offsetof(struct S12, a));
  printf("  offsetof b %d\n", (int)offsetof(struct S12, b));
  dump("static", &s12, sizeof s12);
  memset(&x, 0, sizeof x);
  memset(&x, 0xff, sizeof x);
  dump("cleared", &x, sizeof x);
  dump("ones", &x, sizeof x);
}

struct S13 {
  int : 3;
  char c;
};

static struct S13 s13 = { 0x41 };

static void t13(void) {
  struct S13 x;
  printf("S13: size %d align %d\n", (int)sizeof(x), (int)_Alignof(struct S13));
  printf("  offsetof c %d\n", (int)offsetof(struct S13, c));
  dump("static", &s13, sizeof s13);
  memset(&x, 0, sizeof x);
  memset(&x, 0xff, sizeof x);
  dump("cleared", &x, sizeof x);
  dump("ones", &x, sizeof x);
}

struct S14 {
  char c;
  int : 24;
};

static struct S14 s14 = { 0x41 };

static void t14(void) {
  struct S14 x;
  printf("S14: size %d align %d\n", (int)sizeof(x), (int)_Alignof(struct S14));
  printf("  offsetof c %d\n", (int)offsetof(struct S14, c));
  dump("static", &s14, sizeof s14);
  memset(&x, 0, sizeof x);
  memset(&x, 0xff, sizeof x);
  dump("cleared", &x, sizeof x);
  dump("ones", &x, sizeof x);
}

struct S15 {
  _Bool a : 1;
  _Bool b : 1;
  int c : 2;
};

static struct S15 s15 = { 1, 1, (-2) };

static void t15(void) {
  struct S15 x;
  printf("S15: size %d align %d\n", (int)sizeof(x), (int)_Alignof(struct S15));
  dump("static", &s15, sizeof s15);
  printf("  s.a %lld\n", (long long)s15.a);
  printf("  s.b %lld\n", (long long)s15.b);
  printf("  s.c %lld\n", (long long)s15.c);
  memset(&x, 0, sizeof x);
  x.a = 1;
  dump("set a", &x, sizeof x);
  x.b = 1;
  dump("set b", &x, sizeof x);
  x.c = (-1);
  dump("set c", &x, sizeof x);
  printf("  x.a %lld\n", (long long)x.a);
  printf("  x.b %lld\n", (long long)x.b);
  printf("  x.c %lld\n", (long long)x.c);
  memset(&x, 0xff, sizeof x);
  x.a = 0;
  x.b = 0;
  x.c = 0;
  dump("cleared", &x, sizeof x);
  x.a = -1;
  printf("  ones a %lld\n", (long long)x.a);
  x.b = -1;
  printf("  ones b %lld\n", (long long)x.b);
  x.c = -1;
  printf("  ones c %lld\n", (long long)x.c);
  dump("ones", &x, sizeof x);
}

struct S16 {
  enum E e : 3;
  enum N n : 4;
  enum E f : 32;
};

static struct S16 s16 = { 4, (-4), 2534391869LL };

static void t16(void) {
  struct S16 x;
  printf("S16: size %d align %d\n", (int)sizeof(x), (int)_Alignof(struct S16));
  dump("static", &s16, sizeof s16);
  printf("  s.e %lld\n", (long long)s16.e);
  printf("  s.n %lld\n", (long long)s16.n);
  printf("  s.f %lld\n", (long long)s16.f);
  memset(&x, 0, sizeof x);
  x.e = 7;
  dump("set e", &x, sizeof x);
  x.n = (-6);
  dump("set n", &x, sizeof x);
  x.f = 2921300090LL;
  dump("set f", &x, sizeof x);
  printf("  x.e %lld\n", (long long)x.e);
  printf("  x.n %lld\n", (long long)x.n);
  printf("  x.f %lld\n", (long long)x.f);
  memset(&x, 0xff, sizeof x);
  x.e = 0;
  x.n = 0;
  x.f = 0;
  dump("cleared", &x, sizeof x);
  x.e = -1;
  printf("  ones e %lld\n", (long long)x.e);
  x.n = -1;
  printf("  ones n %lld\n", (long long)x.n);
  x.f = -1;
  printf("  ones f %lld\n", (long long)x.f);
  dump("ones", &x, sizeof x);
}

struct S17 {
  unsigned a : 32;
  unsigned b : 1;
};

static struct S17 s17 = { 4161252638LL, 1 };

static void t17(void) {
  struct S17 x;
  printf("S17: size %d align %d\n", (int)sizeof(x), (int)_Alignof(struct S17));
  dump("static", &s17, sizeof s17);
  printf("  s.a %lld\n", (long long)s17.a);
  printf("  s.b %lld\n", (long long)s17.b);
  memset(&x, 0, sizeof x);
  x.a = 3204511139LL;
  dump("set a", &x, sizeof x);
  x.b = 1;
  dump("set b", &x, sizeof x);
  printf("  x.a %lld\n", (long long)x.a);
  printf("  x.b %lld\n", (long long)x.b);
  memset(&x, 0xff, sizeof x);
  x.a = 0;
  x.b = 0;
  dump("cleared", &x, sizeof x);
  x.a = -1;
  printf("  ones a %lld\n", (long long)x.a);
  x.b = -1;
  printf("  ones b %lld\n", (long long)x.b);
  dump("ones", &x, sizeof x);
}

struct S18 {
  unsigned long long a : 64;
  char c;
};

static struct S18 s18 = { 9223417602095961743LL, 0x41 };

static void t18(void) {
  struct S18 x;
  printf("S18: size %d align %d\n", (int)sizeof(x), (int)_Alignof(struct S18));
  printf("  offsetof c %d\n", (int)offsetof(struct S18, c));
  dump("static", &s18, sizeof s18);
  printf("  s.a %lld\n", (long long)s18.a);
  memset(&x, 0, sizeof x);
  x.a = 9223377732509924049LL;
  dump("set a", &x, sizeof x);
  printf("  x.a %lld\n", (long long)x.a);
  memset(&x, 0xff, sizeof x);
  x.a = 0;
  dump("cleared", &x, sizeof x);
  x.a = -1;
  printf("  ones a %lld\n", (long long)x.a);
  dump("ones", &x, sizeof x);
}

struct __attribute__((packed)) S19 {
  char c;
  int x : 8;
};

static struct S19 s19 = { 0x41, (-42) };

static void t19(void) {
  struct S19 x;
  printf("S19: size %d align %d\n", (int)sizeof(x), (int)_Alignof(struct S19));
  printf("  offsetof c %d\n", (int)offsetof(struct S19, c));
  dump("static", &s19, sizeof s19);
  printf("  s.x %lld\n", (long long)s19.x);
  memset(&x, 0, sizeof x);
  x.x = (-24);
  dump("set x", &x, sizeof x);
  printf("  x.x %lld\n", (long long)x.x);
  memset(&x, 0xff, sizeof x);
  x.x = 0;
  dump("cleared", &x, sizeof x);
  x.x = -1;
  printf("  ones x %lld\n", (long long)x.x);
  dump("ones", &x, sizeof x);
}

struct __attribute__((packed)) S20 {
  char a : 3;
  int b : 30;
  char d;
};

static struct S20 s20 = { (-1), (-125959701), 0x41 };

static void t20(void) {
  struct S20 x;
  printf("S20: size %d align %d\n", (int)sizeof(x), (int)_Alignof(struct S20));
  printf("  offsetof d %d\n", (int)offsetof(struct S20, d));
  dump("static", &s20, sizeof s20);
  printf("  s.a %lld\n", (long long)s20.a);
  printf("  s.b %lld\n", (long long)s20.b);
  memset(&x, 0, sizeof x);
  x.a = (-4);
  dump("set a", &x, sizeof x);
  x.b = (-62979851);
  dump("set b", &x, sizeof x);
  printf("  x.a %lld\n", (long long)x.a);
  printf("  x.b %lld\n", (long long)x.b);
  memset(&x, 0xff, sizeof x);
  x.a = 0;
  x.b = 0;
  dump("cleared", &x, sizeof x);
  x.a = -1;
  printf("  ones a %lld\n", (long long)x.a);
  x.b = -1;
  printf("  ones b %lld\n", (long long)x.b);
  dump("ones", &x, sizeof x);
}

struct __attribute__((packed)) S21 {
  unsigned a : 7;
  unsigned long long b : 64;
};

static struct S21 s21 = { 81, 9223372081352081653LL };

static void t21(void) {
  struct S21 x;
  printf("S21: size %d align %d\n", (int)sizeof(x), (int)_Alignof(struct S21));
  dump("static", &s21, sizeof s21);
  printf("  s.a %lld\n", (long long)s21.a);
  printf("  s.b %lld\n", (long long)s21.b);
  memset(&x, 0, sizeof x);
  x.a = 90;
  dump("set a", &x, sizeof x);
  x.b = 9223372059103428730LL;
  dump("set b", &x, sizeof x);
  printf("  x.a %lld\n", (long long)x.a);
  printf("  x.b %lld\n", (long long)x.b);
  memset(&x, 0xff, sizeof x);
  x.a = 0;
  x.b = 0;
  dump("cleared", &x, sizeof x);
  x.a = -1;
  printf("  ones a %lld\n", (long long)x.a);
  x.b = -1;
  printf("  ones b %lld\n", (long long)x.b);
  dump("ones", &x, sizeof x);
}

struct __attribute__((packed)) S22 {
  char a : 5;
  unsigned b : 17;
};

static struct S22 s22 = { (-8), 98426 };

static void t22(void) {
  struct S22 x;
  printf("S22: size %d align %d\n", (int)sizeof(x), (int)_Alignof(struct S22));
  dump("static", &s22, sizeof s22);
  printf("  s.a %lld\n", (long long)s22.a);
  printf("  s.b %lld\n", (long long)s22.b);
  memset(&x, 0, sizeof x);
  x.a = (-3);
  dump("set a", &x, sizeof x);
  x.b = 114749;
  dump("set b", &x, sizeof x);
  printf("  x.a %lld\n", (long long)x.a);
  printf("  x.b %lld\n", (long long)x.b);
  memset(&x, 0xff, sizeof x);
  x.a = 0;
  x.b = 0;
  dump("cleared", &x, sizeof x);
  x.a = -1;
  printf("  ones a %lld\n", (long long)x.a);
  x.b = -1;
  printf("  ones b %lld\n", (long long)x.b);
  dump("ones", &x, sizeof x);
}

struct __attribute__((packed)) S23 {
  char a : 3;
  long long b : 61;
};

static struct S23 s23 = { (-4), -1152921493482520515LL };

static void t23(void) {
  struct S23 x;
  printf("S23: size %d align %d\n", (int)sizeof(x), (int)_Alignof(struct S23));
  dump("static", &s23, sizeof s23);
  printf("  s.a %lld\n", (long long)s23.a);
  printf("  s.b %lld\n", (long long)s23.b);
  memset(&x, 0, sizeof x);
  x.a = (-2);
  dump("set a", &x, sizeof x);
  x.b = -1152921499044683746LL;
  dump("set b", &x, sizeof x);
  printf("  x.a %lld\n", (long long)x.a);
  printf("  x.b %lld\n", (long long)x.b);
  memset(&x, 0xff, sizeof x);
  x.a = 0;
  x.b = 0;
  dump("cleared", &x, sizeof x);
  x.a = -1;
  printf("  ones a %lld\n", (long long)x.a);
  x.b = -1;
  printf("  ones b %lld\n", (long long)x.b);
  dump("ones", &x, sizeof x);
}

struct S24 {
  char c;
  int x : 5 __attribute__((packed));
  int y : 30;
};

static struct S24 s24 = { 0x41, (-2), (-493416512) };

static void t24(void) {
  struct S24 x;
  printf("S24: size %d align %d\n", (int)sizeof(x), (int)_Alignof(struct S24));
  printf("  offsetof c %d\n", (int)offsetof(struct S24, c));
  dump("static", &s24, sizeof s24);
  printf("  s.x %lld\n", (long long)s24.x);
  printf("  s.y %lld\n", (long long)s24.y);
  memset(&x, 0, sizeof x);
  x.x = (-5);
  dump("set x", &x, sizeof x);
  x.y = (-440143857);
  dump("set y", &x, sizeof x);
  printf("  x.x %lld\n", (long long)x.x);
  printf("  x.y %lld\n", (long long)x.y);
  memset(&x, 0xff, sizeof x);
  x.x = 0;
  x.y = 0;
  dump("cleared", &x, sizeof x);
  x.x = -1;
  printf("  ones x %lld\n", (long long)x.x);
  x.y = -1;
  printf("  ones y %lld\n", (long long)x.y);
  dump("ones", &x, sizeof x);
}

struct S25 {
  char c;
  int x : 30 __attribute__((packed));
};

static struct S25 s25 = { 0x41, (-440143857) };

static void t25(void) {
  struct S25 x;
  printf("S25: size %d align %d\n", (int)sizeof(x), (int)_Alignof(struct S25));
  printf("  offsetof c %d\n", (int)offsetof(struct S25, c));
  dump("static", &s25, sizeof s25);
  printf("  s.x %lld\n", (long long)s25.x);
  memset(&x, 0, sizeof x);
  x.x = (-62979851);
  dump("set x", &x, sizeof x);
  printf("  x.x %lld\n", (long long)x.x);
  memset(&x, 0xff, sizeof x);
  x.x = 0;
  dump("cleared", &x, sizeof x);
  x.x = -1;
  printf("  ones x %lld\n", (long long)x.x);
  dump("ones", &x, sizeof x);
}

struct __attribute__((aligned(16))) S26 {
  int a : 3;
};

static struct S26 s26 = { (-2) };

static void t26(void) {
  struct S26 x;
  printf("S26: size %d align %d\n", (int)sizeof(x), (int)_Alignof(struct S26));
  dump("static", &s26, sizeof s26);
  printf("  s.a %lld\n", (long long)s26.a);
  memset(&x, 0, sizeof x);
  x.a = (-2);
  dump("set a", &x, sizeof x);
  printf("  x.a %lld\n", (long long)x.a);
  memset(&x, 0xff, sizeof x);
  x.a = 0;
  dump("cleared", &x, sizeof x);
  x.a = -1;
  printf("  ones a %lld\n", (long long)x.a);
  dump("ones", &x, sizeof x);
}

struct S27 {
  char c;
  int a : 3 __attribute__((aligned(8)));
  char b;
};

static struct S27 s27 = { 0x41, (-1), 0x41 };

static void t27(void) {
  struct S27 x;
  printf("S27: size %d align %d\n", (int)sizeof(x), (int)_Alignof(struct S27));
  printf("  offsetof c %d\n", (int)offsetof(struct S27, c));
  printf("  offsetof b %d\n", (int)offsetof(struct S27, b));
  dump("static", &s27, sizeof s27);
  printf("  s.a %lld\n", (long long)s27.a);
  memset(&x, 0, sizeof x);
  x.a = (-3);
  dump("set a", &x, sizeof x);
  printf("  x.a %lld\n", (long long)x.a);
  memset(&x, 0xff, sizeof x);
  x.a = 0;
  dump("cleared", &x, sizeof x);
  x.a = -1;
  printf("  ones a %lld\n", (long long)x.a);
  dump("ones", &x, sizeof x);
}

union S28 {
  int a : 3;
  char b;
};

static union S28 s28 = { (-3) };

static void t28(void) {
  union S28 x;
  printf("S28: size %d align %d\n", (int)sizeof(x), (int)_Alignof(union S28));
  printf("  offsetof b %d\n", (int)offsetof(union S28, b));
  dump("static", &s28, sizeof s28);
  printf("  s.a %lld\n", (long long)s28.a);
  memset(&x, 0, sizeof x);
  x.a = (-2);
  dump("set a", &x, sizeof x);
  printf("  x.a %lld\n", (long long)x.a);
  memset(&x, 0xff, sizeof x);
  x.a = 0;
  dump("cleared", &x, sizeof x);
  x.a = -1;
  printf("  ones a %lld\n", (long long)x.a);
  dump("ones", &x, sizeof x);
}

union S29 {
  unsigned a : 9;
  unsigned long long b : 40;
};

static union S29 s29 = { 378 };

static void t29(void) {
  union S29 x;
  printf("S29: size %d align %d\n", (int)sizeof(x), (int)_Alignof(union S29));
  dump("static", &s29, sizeof s29);
  printf("  s.a %lld\n", (long long)s29.a);
  printf("  s.b %lld\n", (long long)s29.b);
  memset(&x, 0, sizeof x);
  x.a = 271;
  dump("set a", &x, sizeof x);
  x.b = 549842722688LL;
  dump("set b", &x, sizeof x);
  printf("  x.a %lld\n", (long long)x.a);
  printf("  x.b %lld\n", (long long)x.b);
  memset(&x, 0xff, sizeof x);
  x.a = 0;
  x.b = 0;
  dump("cleared", &x, sizeof x);
  x.a = -1;
  printf("  ones a %lld\n", (long long)x.a);
  x.b = -1;
  printf("  ones b %lld\n", (long long)x.b);
  dump("ones", &x, sizeof x);
}

union S30 {
  char c;
  int : 20;
};

static union S30 s30 = { 0x41 };

static void t30(void) {
  union S30 x;
  printf("S30: size %d align %d\n", (int)sizeof(x), (int)_Alignof(union S30));
  printf("  offsetof c %d\n", (int)offsetof(union S30, c));
  dump("static", &s30, sizeof s30);
  memset(&x, 0, sizeof x);
  memset(&x, 0xff, sizeof x);
  dump("cleared", &x, sizeof x);
  dump("ones", &x, sizeof x);
}

struct S31 {
  short a : 4;
  char b;
  short c : 12;
};

static struct S31 s31 = { (-2), 0x41, (-481) };

static void t31(void) {
  struct S31 x;
  printf("S31: size %d align %d\n", (int)sizeof(x), (int)_Alignof(struct S31));
  printf("  offsetof b %d\n", (int)offsetof(struct S31, b));
  dump("static", &s31, sizeof s31);
  printf("  s.a %lld\n", (long long)s31.a);
  printf("  s.c %lld\n", (long long)s31.c);
  memset(&x, 0, sizeof x);
  x.a = (-5);
  dump("set a", &x, sizeof x);
  x.c = (-32);
  dump("set c", &x, sizeof x);
  printf("  x.a %lld\n", (long long)x.a);
  printf("  x.c %lld\n", (long long)x.c);
  memset(&x, 0xff, sizeof x);
  x.a = 0;
  x.c = 0;
  dump("cleared", &x, sizeof x);
  x.a = -1;
  printf("  ones a %lld\n", (long long)x.a);
  x.c = -1;
  printf("  ones c %lld\n", (long long)x.c);
  dump("ones", &x, sizeof x);
}

struct S32 {
  char a : 4;
  short b : 10;
  char c : 4;
};

static struct S32 s32 = { (-1), (-32), (-1) };

static void t32(void) {
  struct S32 x;
  printf("S32: size %d align %d\n", (int)sizeof(x), (int)_Alignof(struct S32));
  dump("static", &s32, sizeof s32);
  printf("  s.a %lld\n", (long long)s32.a);
  printf("  s.b %lld\n", (long long)s32.b);
  printf("  s.c %lld\n", (long long)s32.c);
  memset(&x, 0, sizeof x);
  x.a = (-7);
  dump("set a", &x, sizeof x);
  x.b = (-16);
  dump("set b", &x, sizeof x);
  x.c = (-1);
  dump("set c", &x, sizeof x);
  printf("  x.a %lld\n", (long long)x.a);
  printf("  x.b %lld\n", (long long)x.b);
  printf("  x.c %lld\n", (long long)x.c);
  memset(&x, 0xff, sizeof x);
  x.a = 0;
  x.b = 0;
  x.c = 0;
  dump("cleared", &x, sizeof x);
  x.a = -1;
  printf("  ones a %lld\n", (long long)x.a);
  x.b = -1;
  printf("  ones b %lld\n", (long long)x.b);
  x.c = -1;
  printf("  ones c %lld\n", (long long)x.c);
  dump("ones", &x, sizeof x);
}

struct S33 {
  unsigned a : 31;
  unsigned b : 2;
  unsigned c : 31;
};

static struct S33 s33 = { 1390540807, 2, 1073826695 };

static void t33(void) {
  struct S33 x;
  printf("S33: size %d align %d\n", (int)sizeof(x), (int)_Alignof(struct S33));
  dump("static", &s33, sizeof s33);
  printf("  s.a %lld\n", (long long)s33.a);
  printf("  s.b %lld\n", (long long)s33.b);
  printf("  s.c %lld\n", (long long)s33.c);
  memset(&x, 0, sizeof x);
  x.a = 1247559424;
  dump("set a", &x, sizeof x);
  x.b = 2;
  dump("set b", &x, sizeof x);
  x.c = 1073911567;
  dump("set c", &x, sizeof x);
  printf("  x.a %lld\n", (long long)x.a);
  printf("  x.b %lld\n", (long long)x.b);
  printf("  x.c %lld\n", (long long)x.c);
  memset(&x, 0xff, sizeof x);
  x.a = 0;
  x.b = 0;
  x.c = 0;
  dump("cleared", &x, sizeof x);
  x.a = -1;
  printf("  ones a %lld\n", (long long)x.a);
  x.b = -1;
  printf("  ones b %lld\n", (long long)x.b);
  x.c = -1;
  printf("  ones c %lld\n", (long long)x.c);
  dump("ones", &x, sizeof x);
}

struct S34 {
  unsigned short a : 15;
  unsigned short b : 2;
};

static struct S34 s34 = { 31747, 2 };

static void t34(void) {
  struct S34 x;
  printf("S34: size %d align %d\n", (int)sizeof(x), (int)_Alignof(struct S34));
  dump("static", &s34, sizeof s34);
  printf("  s.a %lld\n", (long long)s34.a);
  printf("  s.b %lld\n", (long long)s34.b);
  memset(&x, 0, sizeof x);
  x.a = 24448;
  dump("set a", &x, sizeof x);
  x.b = 2;
  dump("set b", &x, sizeof x);
  printf("  x.a %lld\n", (long long)x.a);
  printf("  x.b %lld\n", (long long)x.b);
  memset(&x, 0xff, sizeof x);
  x.a = 0;
  x.b = 0;
  dump("cleared", &x, sizeof x);
  x.a = -1;
  printf("  ones a %lld\n", (long long)x.a);
  x.b = -1;
  printf("  ones b %lld\n", (long long)x.b);
  dump("ones", &x, sizeof x);
}

struct S35 {
  int a : 5;
  double d;
  int b : 5;
};

static struct S35 s35 = { (-15), 2.5, (-15) };

static void t35(void) {
  struct S35 x;
  printf("S35: size %d align %d\n", (int)sizeof(x), (int)_Alignof(struct S35));
  printf("  offsetof d %d\n", (int)offsetof(struct S35, d));
  dump("static", &s35, sizeof s35);
  printf("  s.a %lld\n", (long long)s35.a);
  printf("  s.b %lld\n", (long long)s35.b);
  memset(&x, 0, sizeof x);
  x.a = (-16);
  dump("set a", &x, sizeof x);
  x.b = (-2);
  dump("set b", &x, sizeof x);
  printf("  x.a %lld\n", (long long)x.a);
  printf("  x.b %lld\n", (long long)x.b);
  memset(&x, 0xff, sizeof x);
  x.a = 0;
  x.b = 0;
  dump("cleared", &x, sizeof x);
  x.a = -1;
  printf("  ones a %lld\n", (long long)x.a);
  x.b = -1;
  printf("  ones b %lld\n", (long long)x.b);
  dump("ones", &x, sizeof x);
}

struct S36 {
  long long a : 3;
  char b;
};

static struct S36 s36 = { -4LL, 0x41 };

static void t36(void) {
  struct S36 x;
  printf("S36: size %d align %d\n", (int)sizeof(x), (int)_Alignof(struct S36));
  printf("  offsetof b %d\n", (int)offsetof(struct S36, b));
  dump("static", &s36, sizeof s36);
  printf("  s.a %lld\n", (long long)s36.a);
  memset(&x, 0, sizeof x);
  x.a = -4LL;
  dump("set a", &x, sizeof x);
  printf("  x.a %lld\n", (long long)x.a);
  memset(&x, 0xff, sizeof x);
  x.a = 0;
  dump("cleared", &x, sizeof x);
  x.a = -1;
  printf("  ones a %lld\n", (long long)x.a);
  dump("ones", &x, sizeof x);
}

struct S37 {
  char a;
  long b : 20;
};

static struct S37 s37 = { 0x41, (-369601) };

static void t37(void) {
  struct S37 x;
  printf("S37: size %d align %d\n", (int)sizeof(x), (int)_Alignof(struct S37));
  printf("  offsetof a %d\n", (int)offsetof(struct S37, a));
  dump("static", &s37, sizeof s37);
  printf("  s.b %lld\n", (long long)s37.b);
  memset(&x, 0, sizeof x);
  x.b = (-146448);
  dump("set b", &x, sizeof x);
  printf("  x.b %lld\n", (long long)x.b);
  memset(&x, 0xff, sizeof x);
  x.b = 0;
  dump("cleared", &x, sizeof x);
  x.b = -1;
  printf("  ones b %lld\n", (long long)x.b);
  dump("ones", &x, sizeof x);
}

struct S38 {
  unsigned char a : 1;
  unsigned char b : 1;
  unsigned char c : 1;
  unsigned char d : 1;
  unsigned char e : 1;
  unsigned char f : 1;
  unsigned char g : 1;
  unsigned char h : 1;
  unsigned char i : 1;
};

static struct S38 s38 = { 1, 1, 1, 1, 1, 1, 1, 1, 1 };

static void t38(void) {
  struct S38 x;
  printf("S38: size %d align %d\n", (int)sizeof(x), (int)_Alignof(struct S38));
  dump("static", &s38, sizeof s38);
  printf("  s.a %lld\n", (long long)s38.a);
  printf("  s.b %lld\n", (long long)s38.b);
  printf("  s.c %lld\n", (long long)s38.c);
  printf("  s.d %lld\n", (long long)s38.d);
  printf("  s.e %lld\n", (long long)s38.e);
  printf("  s.f %lld\n", (long long)s38.f);
  printf("  s.g %lld\n", (long long)s38.g);
  printf("  s.h %lld\n", (long long)s38.h);
  printf("  s.i %lld\n", (long long)s38.i);
  memset(&x, 0, sizeof x);
  x.a = 1;
  dump("set a", &x, sizeof x);
  x.b = 1;
  dump("set b", &x, sizeof x);
  x.c = 1;
  dump("set c", &x, sizeof x);
  x.d = 1;
  dump("set d", &x, sizeof x);
  x.e = 1;
  dump("set e", &x, sizeof x);
  x.f = 1;
  dump("set f", &x, sizeof x);
  x.g = 1;
  dump("set g", &x, sizeof x);
  x.h = 1;
  dump("set h", &x, sizeof x);
  x.i = 1;
  dump("set i", &x, sizeof x);
  printf("  x.a %lld\n", (long long)x.a);
  printf("  x.b %lld\n", (long long)x.b);
  printf("  x.c %lld\n", (long long)x.c);
  printf("  x.d %lld\n", (long long)x.d);
  printf("  x.e %lld\n", (long long)x.e);
  printf("  x.f %lld\n", (long long)x.f);
  printf("  x.g %lld\n", (long long)x.g);
  printf("  x.h %lld\n", (long long)x.h);
  printf("  x.i %lld\n", (long long)x.i);
  memset(&x, 0xff, sizeof x);
  x.a = 0;
  x.b = 0;
  x.c = 0;
  x.d = 0;
  x.e = 0;
  x.f = 0;
  x.g = 0;
  x.h = 0;
  x.i = 0;
  dump("cleared", &x, sizeof x);
  x.a = -1;
  printf("  ones a %lld\n", (long long)x.a);
  x.b = -1;
  printf("  ones b %lld\n", (long long)x.b);
  x.c = -1;
  printf("  ones c %lld\n", (long long)x.c);
  x.d = -1;
  printf("  ones d %lld\n", (long long)x.d);
  x.e = -1;
  printf("  ones e %lld\n", (long long)x.e);
  x.f = -1;
  printf("  ones f %lld\n", (long long)x.f);
  x.g = -1;
  printf("  ones g %lld\n", (long long)x.g);
  x.h = -1;
  printf("  ones h %lld\n", (long long)x.h);
  x.i = -1;
  printf("  ones i %lld\n", (long long)x.i);
  dump("ones", &x, sizeof x);
}

struct S39 {
  int a : 16;
  int : 0;
  int : 0;
  int b : 16;
};

static struct S39 s39 = { (-30752), (-26865) };

static void t39(void) {
  struct S39 x;
  printf("S39: size %d align %d\n", (int)sizeof(x), (int)_Alignof(struct S39));
  dump("static", &s39, sizeof s39);
  printf("  s.a %lld\n", (long long)s39.a);
  printf("  s.b %lld\n", (long long)s39.b);
  memset(&x, 0, sizeof x);
  x.a = (-3844);
  dump("set a", &x, sizeof x);
  x.b = (-13433);
  dump("set b", &x, sizeof x);
  printf("  x.a %lld\n", (long long)x.a);
  printf("  x.b %lld\n", (long long)x.b);
  memset(&x, 0xff, sizeof x);
  x.a = 0;
  x.b = 0;
  dump("cleared", &x, sizeof x);
  x.a = -1;
  printf("  ones a %lld\n", (long long)x.a);
  x.b = -1;
  printf("  ones b %lld\n", (long long)x.b);
  dump("ones", &x, sizeof x);
}

struct S40 {
  char x[3];
  int y : 16;
};

static struct S40 s40 = { {1, 2, 3}, (-13433) };

static void t40(void) {
  struct S40 x;
  printf("S40: size %d align %d\n", (int)sizeof(x), (int)_Alignof(struct S40));
  printf("  offsetof x %d\n", (int)offsetof(struct S40, x));
  dump("static", &s40, sizeof s40);
  printf("  s.y %lld\n", (long long)s40.y);
  memset(&x, 0, sizeof x);
  x.y = (-18306);
  dump("set y", &x, sizeof x);
  printf("  x.y %lld\n", (long long)x.y);
  memset(&x, 0xff, sizeof x);
  x.y = 0;
  dump("cleared", &x, sizeof x);
  x.y = -1;
  printf("  ones y %lld\n", (long long)x.y);
  dump("ones", &x, sizeof x);
}

struct S41 {
  char x[3];
  short y : 7;
};

static struct S41 s41 = { {1, 2, 3}, (-61) };

static void t41(void) {
  struct S41 x;
  printf("S41: size %d align %d\n", (int)sizeof(x), (int)_Alignof(struct S41));
  printf("  offsetof x %d\n", (int)offsetof(struct S41, x));
  dump("static", &s41, sizeof s41);
  printf("  s.y %lld\n", (long long)s41.y);
  memset(&x, 0, sizeof x);
  x.y = (-1);
  dump("set y", &x, sizeof x);
  printf("  x.y %lld\n", (long long)x.y);
  memset(&x, 0xff, sizeof x);
  x.y = 0;
  dump("cleared", &x, sizeof x);
  x.y = -1;
  printf("  ones y %lld\n", (long long)x.y);
  dump("ones", &x, sizeof x);
}

struct __attribute__((packed)) S42 {
  char a;
  int : 0;
  char b;
};

static struct S42 s42 = { 0x41, 0x41 };

static void t42(void) {
  struct S42 x;
  printf("S42: size %d align %d\n", (int)sizeof(x), (int)_Alignof(struct S42));
  printf("  offsetof a %d\n", (int)offsetof(struct S42, a));
  printf("  offsetof b %d\n", (int)offsetof(struct S42, b));
  dump("static", &s42, sizeof s42);
  memset(&x, 0, sizeof x);
  memset(&x, 0xff, sizeof x);
  dump("cleared", &x, sizeof x);
  dump("ones", &x, sizeof x);
}

struct S43 {
  signed char a : 8;
  unsigned char b : 8;
  short c : 16;
};

static struct S43 s43 = { (-2), 240, (-32686) };

static void t43(void) {
  struct S43 x;
  printf("S43: size %d align %d\n", (int)sizeof(x), (int)_Alignof(struct S43));
  dump("static", &s43, sizeof s43);
  printf("  s.a %lld\n", (long long)s43.a);
  printf("  s.b %lld\n", (long long)s43.b);
  printf("  s.c %lld\n", (long long)s43.c);
  memset(&x, 0, sizeof x);
  x.a = (-113);
  dump("set a", &x, sizeof x);
  x.b = 184;
  dump("set b", &x, sizeof x);
  x.c = (-32603);
  dump("set c", &x, sizeof x);
  printf("  x.a %lld\n", (long long)x.a);
  printf("  x.b %lld\n", (long long)x.b);
  printf("  x.c %lld\n", (long long)x.c);
  memset(&x, 0xff, sizeof x);
  x.a = 0;
  x.b = 0;
  x.c = 0;
  dump("cleared", &x, sizeof x);
  x.a = -1;
  printf("  ones a %lld\n", (long long)x.a);
  x.b = -1;
  printf("  ones b %lld\n", (long long)x.b);
  x.c = -1;
  printf("  ones c %lld\n", (long long)x.c);
  dump("ones", &x, sizeof x);
}

struct S44 {
  char c;
  unsigned long long x : 33;
  unsigned long long y : 33;
};

static struct S44 s44 = { 0x41, 4294972600LL, 4294967337LL };

static void t44(void) {
  struct S44 x;
  printf("S44: size %d align %d\n", (int)sizeof(x), (int)_Alignof(struct S44));
  printf("  offsetof c %d\n", (int)offsetof(struct S44, c));
  dump("static", &s44, sizeof s44);
  printf("  s.x %lld\n", (long long)s44.x);
  printf("  s.y %lld\n", (long long)s44.y);
  memset(&x, 0, sizeof x);
  x.x = 4295052167LL;
  dump("set x", &x, sizeof x);
  x.y = 4294969948LL;
  dump("set y", &x, sizeof x);
  printf("  x.x %lld\n", (long long)x.x);
  printf("  x.y %lld\n", (long long)x.y);
  memset(&x, 0xff, sizeof x);
  x.x = 0;
  x.y = 0;
  dump("cleared", &x, sizeof x);
  x.x = -1;
  printf("  ones x %lld\n", (long long)x.x);
  x.y = -1;
  printf("  ones y %lld\n", (long long)x.y);
  dump("ones", &x, sizeof x);
}

int main(void) {
  t0();
  t1();
  t2();
  t3();
  t4();
  t5();
  t6();
  t7();
  t8();
  t9();
  t10();
  t11();
  t12();
  t13();
  t14();
  t15();
  t16();
  t17();
  t18();
  t19();
  t20();
  t21();
  t22();
  t23();
  t24();
  t25();
  t26();
  t27();
  t28();
  t29();
  t30();
  t31();
  t32();
  t33();
  t34();
  t35();
  t36();
  t37();
  t38();
  t39();
  t40();
  t41();
  t42();
  t43();
  t44();
  return 0;
}
