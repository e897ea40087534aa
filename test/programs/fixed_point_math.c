#include <stdio.h>
#include <stdint.h>

/* Q16.16 fixed point */
typedef int32_t fx;
#define FX_ONE (1 << 16)
#define FX(x) ((fx)((x) * 65536.0))

static fx fx_mul(fx a, fx b) { return (fx)(((int64_t)a * b) >> 16); }
static fx fx_div(fx a, fx b) { return (fx)(((int64_t)a << 16) / b); }
static double fx_to_d(fx a) { return a / 65536.0; }

static fx fx_sqrt(fx a) {
  if (a <= 0) return 0;
  uint64_t v = (uint64_t)a << 16;
  uint64_t r = 0, bit = 1ULL << 46;
  while (bit > v) bit >>= 2;
  while (bit) {
    if (v >= r + bit) { v -= r + bit; r = (r >> 1) + bit; }
    else r >>= 1;
    bit >>= 2;
  }
  return (fx)r;
}

/* sine via Taylor series in fixed point, for |x| <= pi */
static fx fx_sin(fx x) {
  fx x2 = fx_mul(x, x);
  fx term = x, sum = x;
  for (int n = 1; n < 8; n++) {
    term = fx_mul(term, x2);
    term = -term / ((2 * n) * (2 * n + 1));
    sum += term;
  }
  return sum;
}

int main(void) {
  fx a = FX(3.25), b = FX(-1.5);
  printf("a*b=%.5f a/b=%.5f a+b=%.5f\n", fx_to_d(fx_mul(a, b)), fx_to_d(fx_div(a, b)), fx_to_d(a + b));
  double roots[] = {2.0, 9.0, 0.25, 100.0, 12345.0};
  for (int i = 0; i < 5; i++) printf("sqrt(%g)=%.5f\n", roots[i], fx_to_d(fx_sqrt(FX(roots[i]))));
  for (int deg = -180; deg <= 180; deg += 45) {
    fx rad = fx_div(fx_mul(FX(3.14159265), deg * FX_ONE), 180 * FX_ONE);
    printf("sin(%d)=%.4f\n", deg, fx_to_d(fx_sin(rad)));
  }
  /* fixed-point mandelbrot membership count */
  int inside = 0;
  for (int py = 0; py < 24; py++)
    for (int px = 0; px < 48; px++) {
      fx cx = FX(-2.0) + px * (FX(3.0) / 48), cy = FX(-1.2) + py * (FX(2.4) / 24);
      fx zx = 0, zy = 0;
      int it = 0;
      while (it < 50 && fx_mul(zx, zx) + fx_mul(zy, zy) < 4 * FX_ONE) {
        fx t = fx_mul(zx, zx) - fx_mul(zy, zy) + cx;
        zy = 2 * fx_mul(zx, zy) + cy;
        zx = t;
        it++;
      }
      inside += it == 50;
    }
  printf("inside=%d\n", inside);
  return inside & 0xff;
}
