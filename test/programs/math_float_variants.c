#include <stdio.h>
#include <math.h>

int main(void) {
  float xs[] = {0.25f, 1.5f, -2.5f, 3.75f, 10.0f, -0.6f};
  for (int i = 0; i < 6; i++) {
    float x = xs[i];
    printf("x=%g floorf=%g ceilf=%g roundf=%g truncf=%g fabsf=%g\n", x, floorf(x), ceilf(x),
           roundf(x), truncf(x), fabsf(x));
  }
  printf("sqrtf(2)=%.7f sqrtf(10)=%.6f\n", sqrtf(2.0f), sqrtf(10.0f));
  printf("fmodf=%g\n", fmodf(10.5f, 3.0f));
  printf("sinf=%.5f cosf=%.5f expf=%.5f logf=%.5f powf=%.5f\n", sinf(1.0f), cosf(1.0f), expf(1.0f),
         logf(10.0f), powf(2.0f, 0.5f));
  printf("atan2f=%.5f hypotf=%.5f\n", atan2f(1.0f, 2.0f), hypotf(5.0f, 12.0f));
  printf("fminf=%g fmaxf=%g\n", fminf(1.5f, -1.5f), fmaxf(1.5f, -1.5f));
  float acc = 0;
  for (int i = 1; i <= 100; i++) acc += sqrtf((float)i);
  printf("sum sqrt=%.3f\n", acc);
  printf("sizeof sqrtf result=%d\n", (int)sizeof(sqrtf(1.0f)));
  return (int)acc & 0xff;
}
