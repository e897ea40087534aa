// Bit-field semantics against gcc -m32: sign/zero extension on load, truncation on store,
// compound assignment, ++/--, the value of an assignment, integer promotions, _Bool fields,
// unions, initializers (static and automatic, positional and designated), compound literals,
// struct copies, passing and returning by value, access through pointers and arrays, and the
// types gcc gives bit-fields: the declared type at full width, the standard type of the width
// (`int f : 16` is short), else an N-bit type that promotes to int (seen by _Generic, by
// sizeof and typeof of an assignment, and by the variables typeof declares with it).
#include <stdio.h>
#include <string.h>

struct Flags {
  unsigned ready : 1;
  unsigned mode : 3;
  int delta : 5;
  _Bool on : 1;
  unsigned char tag : 7;
  signed char small : 4;
  unsigned short wide : 12;
  int : 0;
  long long big : 41;
  unsigned long long ubig : 37;
  enum { RED, GREEN, BLUE, WHITE } colour : 2;
};

union Word {
  unsigned raw;
  struct {
    unsigned lo : 8;
    unsigned mid : 16;
    int hi : 8;
  } f;
  struct {
    unsigned bit0 : 1;
    unsigned : 30;
    unsigned bit31 : 1;
  } b;
};

struct Pixel {
  unsigned r : 5, g : 6, b : 5;
};

static struct Flags gflags = { 1, 5, -7, 1, 100, -3, 4000, -123456789012LL, 99999999999ULL, BLUE };
static struct Flags gdesig = { .mode = 7, .colour = WHITE, .delta = 15, .big = 1 };
static struct Pixel palette[] = { { 31, 63, 31 }, { .g = 1 }, [3] = { 1, 2, 3 } };
static union Word gword = { .f = { 0x12, 0x3456, -1 } };

static void show(const char *what, struct Flags f) {
  printf("%s: ready=%d mode=%d delta=%d on=%d tag=%d small=%d wide=%d big=%lld ubig=%llu colour=%d\n",
         what, f.ready, f.mode, f.delta, f.on, f.tag, f.small, f.wide, f.big, f.ubig, f.colour);
}

static struct Pixel make_pixel(int r, int g, int b) {
  struct Pixel p = { r, g, b };
  return p;
}

static unsigned pack(struct Pixel p) {
  return (unsigned)p.r << 11 | (unsigned)p.g << 5 | p.b;
}

static struct Flags *pick(struct Flags *fs, int *calls) {
  ++*calls;
  return &fs[1];
}

static int counter;
static int next(void) { return ++counter; }

enum Unsigned { UA, UB, UC };
struct Typed {
  int f3 : 3;
  unsigned u3 : 3;
  int f20 : 20;
  unsigned u31 : 31;
  long l32 : 32;
  unsigned long ul32 : 32;
  unsigned char c8 : 8;
  unsigned char c4 : 4;
  short h16 : 16;
  int i16 : 16;
  unsigned i8 : 8;
  enum Unsigned e2 : 2;
  long long ll8 : 8;
  long long ll32 : 32;
  unsigned long long ull16 : 16;
  _Bool b : 1;
};

#define KIND(v) _Generic((v), signed char: 1, unsigned char: 2, short: 3, unsigned short: 4, \
                         int: 5, unsigned: 6, long: 7, unsigned long: 8, long long: 9,       \
                         _Bool: 10, default: 0)

static void field_types(void) {
  struct Typed t = { 5, -1, 0x7ffff, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 1 };
  printf("kinds: %d %d %d %d %d %d %d %d %d %d %d %d %d %d %d %d\n", KIND(t.f3), KIND(t.u3),
         KIND(t.f20), KIND(t.u31), KIND(t.l32), KIND(t.ul32), KIND(t.c8), KIND(t.c4),
         KIND(t.h16), KIND(t.i16), KIND(t.i8), KIND(t.e2), KIND(t.ll8), KIND(t.ll32),
         KIND(t.ull16), KIND(t.b));
  printf("promoted: %d %d %d %d %d %d %d\n", KIND(t.f3 + 0), KIND(t.u31 + 0), KIND(-t.u3),
         KIND(t.u3 + 0u), KIND(+t.c4), KIND(t.ul32 + 0), KIND(1 ? t.f3 : t.f3));
  printf("kept: %d %d %d %d\n", KIND(t.f3 = 1), KIND(t.u3++), KIND(--t.f20), KIND((0, t.i16)));
  printf("sizes: %d %d %d %d %d\n", (int)sizeof(t.f3 = 0), (int)sizeof(t.f20 = 0),
         (int)sizeof(t.u3++), (int)sizeof(t.i16 = 0), (int)sizeof(t.f3 + 0));
  __typeof__(t.f3 = 0) v = 3;
  __typeof__(t.u3 = 0) w = 7;
  __typeof__(t.f20 = 0) big = 0x7ffff;
  v++;
  w += 2;
  big += 1;
  unsigned char c = (__typeof__(t.f3 = 0))100;
  printf("typeof: v=%d w=%d big=%d c=%d sizes %d %d %d\n", v, w, big, c, (int)sizeof v,
         (int)sizeof w, (int)sizeof big);
  t.f3 = 5;
  switch (t.f3) {
  case 5:
    printf("switch: five\n");
    break;
  case -3:
    printf("switch: minus three\n");
    break;
  }
  printf("values: %d %d %d %d\n", t.f3, t.u3, t.f20, t.e2);
  for (int i = 0; i < 20; i++) {
    t.f3 += i, t.u3 -= i, t.f20 *= i + 3, t.c4 ^= i * 7, t.i8 = t.i8 * 5 + i;
    printf("%d %d %d %d %d", t.f3, t.u3, t.f20, t.c4, t.i8);
    printf(" %d\n", (t.f3 = t.u3 + t.c4) * 3);
  }
}

int main(int argc, char **argv) {
  (void)argv;
  show("static", gflags);
  show("designated", gdesig);
  for (int i = 0; i < 4; i++) printf("palette[%d] = %04x\n", i, pack(palette[i]));
  printf("gword raw=%08x lo=%x mid=%x hi=%d\n", gword.raw, gword.f.lo, gword.f.mid, gword.f.hi);

  // Stores truncate; loads extend per signedness; the assignment's value is the stored value.
  struct Flags f;
  memset(&f, 0, sizeof f);
  int v1 = (f.mode = 13);
  int v2 = (f.delta = 17);
  int v3 = (f.on = 4);
  int v4 = (f.tag = 300);
  int v5 = (f.small = 9);
  printf("assign values: %d %d %d %d %d\n", v1, v2, v3, v4, v5);
  f.wide = 0xFFFF;
  f.big = 1LL << 40;
  f.ubig = ~0ULL;
  f.colour = 7;
  show("truncated", f);

  // Promotions: an unsigned field narrower than int promotes to int.
  printf("promote: %d %d %d\n", f.mode - 8 < 0, f.wide - 5000 < 0, (int)sizeof(f.mode + 0));
  printf("sizes: %d %d\n", (int)sizeof(f.big + 0), (int)sizeof(f.ready + 0u));
  printf("shift: %d %lld\n", f.mode << 29, (long long)f.ubig >> 3);
  printf("mixed: %d %u\n", f.delta * f.mode, f.delta + 0u);

  // Compound assignment and ++/-- wrap within the field.
  f.mode = 6;
  f.mode += 3;
  printf("mode += 3: %d\n", f.mode);
  f.delta = 14;
  f.delta += 5;
  printf("delta += 5: %d\n", f.delta);
  f.delta -= 40;
  printf("delta -= 40: %d\n", f.delta);
  f.tag = 120;
  f.tag *= 3;
  printf("tag *= 3: %d\n", f.tag);
  f.wide = 4095;
  int post = f.wide++;
  printf("wide++: %d -> %d\n", post, f.wide);
  f.small = -8;
  int pre = --f.small;
  printf("--small: %d %d\n", pre, f.small);
  f.ready = 1;
  printf("ready++: %d", f.ready++);
  printf(" %d\n", f.ready);
  f.on = 0;
  f.on++;
  f.on++;
  printf("on: %d\n", f.on);
  f.big = -1;
  f.big >>= 1;
  printf("big >>= 1: %lld\n", f.big);
  f.ubig = 5;
  f.ubig |= 1ULL << 36;
  f.ubig ^= 3;
  printf("ubig: %llu\n", f.ubig);
  f.mode = 5;
  f.mode <<= 1;
  printf("mode <<= 1: %d\n", f.mode);
  f.mode = 7;
  f.mode %= 4;
  f.delta = -9;
  f.delta /= 2;
  printf("mode %%= 4: %d, delta /= 2: %d\n", f.mode, f.delta);

  // Neighbours are untouched by stores.
  struct Pixel px = { 0, 0, 0 };
  px.g = 63;
  printf("pixel: %d %d %d\n", px.r, px.g, px.b);
  px.r = 31;
  px.g = 0;
  px.b = 17;
  printf("pixel: %d %d %d %04x\n", px.r, px.g, px.b, pack(px));

  // Through pointers, arrays, calls with side effects evaluated once.
  struct Flags arr[3];
  memset(arr, 0, sizeof arr);
  int calls = 0;
  pick(arr, &calls)->mode += 3;
  pick(arr, &calls)->delta--;
  pick(arr, &calls)->tag++;
  printf("pick: calls=%d mode=%d delta=%d tag=%d\n", calls, arr[1].mode, arr[1].delta, arr[1].tag);
  int i = 0;
  arr[i++].mode = 3;
  arr[i++].delta = -2;
  printf("arr: i=%d %d %d\n", i, arr[0].mode, arr[1].delta);
  struct Flags *p = &arr[2];
  for (int k = 0; k < 20; k++) p->small += k;
  printf("loop small: %d\n", p->small);

  // The right side runs before the field's unit is read back.
  f.mode = 1;
  f.delta = 0;
  f.delta = (f.mode = 6) + 1;
  printf("rhs first: %d %d\n", f.mode, f.delta);
  f.tag = next();
  f.tag += next();
  printf("calls: %d\n", f.tag);

  // Automatic initializers: constant and computed, positional and designated.
  int k = argc + 2;
  struct Flags a = { 1, k, -k, k, k * 50, -k, k * 1000, -(long long)k << 38, (unsigned long long)k << 33, k };
  show("auto", a);
  struct Flags d = { .colour = GREEN, .small = k - 20, .tag = 33, .wide = next() };
  show("auto designated", d);
  show("compound", (struct Flags){ .mode = k, .on = 1, .big = -k });
  struct Pixel row[4] = { make_pixel(1, 2, 3), [2] = { k, k * 2, k * 3 } };
  for (int j = 0; j < 4; j++) printf("row[%d] = %04x\n", j, pack(row[j]));

  // Copies and by-value calls keep every field.
  struct Flags copy = a;
  copy.delta = 3;
  show("copy", copy);
  show("original", a);
  struct Pixel q = make_pixel(40, 70, 33);
  printf("make_pixel: %d %d %d\n", q.r, q.g, q.b);

  // Unions: a field shares the bits of the other members.
  union Word u;
  u.raw = 0x80000001u;
  printf("union: bit0=%d bit31=%d hi=%d lo=%d\n", u.b.bit0, u.b.bit31, u.f.hi, u.f.lo);
  u.f.mid = 0xBEEF;
  u.b.bit31 = 0;
  printf("union raw: %08x\n", u.raw);

  // Conditions, switch, conditional expressions.
  f.colour = BLUE;
  switch (f.colour) {
  case BLUE:
    printf("switch: blue\n");
    break;
  default:
    printf("switch: other\n");
  }
  f.ready = 0;
  if (!f.ready && f.colour) printf("cond ok\n");
  printf("ternary: %d\n", f.ready ? f.mode : f.delta);
  _Bool b = f.colour;
  printf("bool from field: %d\n", b);
  double x = f.delta;
  f.mode = 2.9;
  printf("float: %.1f %d\n", x, f.mode);
  field_types();
  return 0;
}
