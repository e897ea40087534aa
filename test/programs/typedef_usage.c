#include <stdio.h>

typedef unsigned char u8;
typedef unsigned int u32;
typedef long long i64;
typedef u8 Pixel[3];
typedef struct Node Node;
struct Node { int value; Node *left, *right; };
typedef int (*BinOp)(int, int);
typedef const char *cstr;
typedef u32 Matrix2[2][2];

static int plus(int a, int b) { return a + b; }

static void mat_mul(Matrix2 r, Matrix2 a, Matrix2 b) {
  for (int i = 0; i < 2; i++)
    for (int j = 0; j < 2; j++) r[i][j] = a[i][0] * b[0][j] + a[i][1] * b[1][j];
}

int main(void) {
  u8 byte = 255;
  byte++;
  Pixel px = {10, 20, 30};
  printf("byte=%u px=%u,%u,%u sizeof Pixel=%d\n", byte, px[0], px[1], px[2], (int)sizeof(Pixel));
  Node leaf1 = {1, 0, 0}, leaf2 = {3, 0, 0};
  Node root = {2, &leaf1, &leaf2};
  printf("tree: %d %d %d\n", root.left->value, root.value, root.right->value);
  BinOp op = plus;
  printf("op=%d\n", op(20, 22));
  cstr s = "typedef'd";
  printf("%s\n", s);
  i64 big = (i64)1 << 40;
  printf("big=%lld\n", big);
  Matrix2 fib = {{1, 1}, {1, 0}}, acc = {{1, 0}, {0, 1}}, tmp;
  for (int i = 0; i < 30; i++) {
    mat_mul(tmp, acc, fib);
    for (int a = 0; a < 2; a++)
      for (int b = 0; b < 2; b++) acc[a][b] = tmp[a][b];
  }
  printf("fib30=%u\n", acc[0][1]);
  typedef int LocalInt;
  LocalInt li = 5;
  {
    typedef double LocalInt;
    LocalInt d = 2.5;
    printf("inner typedef=%.1f\n", d);
  }
  printf("li=%d\n", li);
  return (int)(acc[0][1] % 256);
}
