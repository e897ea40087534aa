#include <stdio.h>
#include <string.h>

struct pair { int a; int b; };

#define MAX(x, y) ({ __typeof__(x) _x = (x); __typeof__(y) _y = (y); _x > _y ? _x : _y; })
#define SWAP(a, b) do { __typeof__(a) _t = (a); (a) = (b); (b) = _t; } while (0)

static int calls;
static int next(void) { return ++calls; }

static int early(int n) {
  int r = ({ if (n < 0) return -1; n * 2; });
  return r + 1;
}

static struct pair make(int k) {
  return ({ struct pair p = { k, k * k }; p; });
}

static int loops(int n) {
  int total = ({
    int s = 0;
    for (int i = 0; i < n; i++) {
      if (i == 3) continue;
      if (i == 8) break;
      s += i;
    }
    s;
  });
  return total;
}

int main(void) {
  int a = ({ 3; });
  int b = ({ int x = 4; int y = 5; x * y; });
  printf("%d %d\n", a, b);
  int mx = MAX(next(), next());
  printf("max %d %d\n", mx, calls);
  double d = MAX(2.5, 1);
  printf("%.2f\n", d);
  printf("early %d %d\n", early(5), early(-3));
  struct pair p = make(7);
  printf("pair %d %d\n", p.a, p.b);
  printf("member %d\n", ({ make(3); }).b);
  printf("loops %d\n", loops(20));
  /* void statement expression, nested ones, short-circuit */
  int z = 0;
  ({ z += 10; (void)0; });
  int w = z > 5 && ({ int q = ({ z * 2; }); q > 15; });
  int v = z > 50 && ({ z = 99; 1; });
  printf("z %d w %d v %d\n", z, w, v);
  /* in a loop condition and a switch inside */
  int i = 0, sum = 0;
  while (({ int t = i; i++; t < 5; })) sum += i;
  printf("sum %d\n", sum);
  int s = ({
    int r;
    switch (sum) {
    case 15: r = 1; break;
    default: r = 2; break;
    }
    r;
  });
  printf("switch %d\n", s);
  const char *str = ({ "hello"; });
  printf("%s %zu\n", str, strlen(({ char buf[8]; strcpy(buf, "abc"); str; })));
  int arr[3] = { ({ 1; }), ({ int k = 2; k; }), 3 };
  printf("%d %d %d\n", arr[0], arr[1], arr[2]);
  int m = 1, n = 2;
  SWAP(m, n);
  printf("%d %d\n", m, n);
  return ({ int e = sum; e - 15; });
}
