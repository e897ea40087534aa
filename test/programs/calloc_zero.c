#include <stdio.h>
#include <stdlib.h>

typedef struct { int a; double b; char c[5]; } S;

int main(void) {
  int *z = calloc(256, sizeof(int));
  int nonzero = 0;
  for (int i = 0; i < 256; i++) nonzero += z[i] != 0;
  printf("nonzero=%d\n", nonzero);
  S *arr = calloc(8, sizeof(S));
  double sum = 0;
  for (int i = 0; i < 8; i++) sum += arr[i].a + arr[i].b + arr[i].c[4];
  printf("sum=%.1f\n", sum);
  /* reuse freed memory: calloc must zero again */
  for (int i = 0; i < 256; i++) z[i] = -1;
  free(z);
  int *z2 = calloc(256, sizeof(int));
  int nz2 = 0;
  for (int i = 0; i < 256; i++) nz2 += z2[i] != 0;
  printf("nz2=%d\n", nz2);
  unsigned char *bytes = calloc(1000, 1);
  for (int i = 0; i < 1000; i++) bytes[i] = (unsigned char)(bytes[i] + i);
  unsigned t = 0;
  for (int i = 0; i < 1000; i++) t += bytes[i];
  printf("t=%u\n", t);
  free(bytes);
  free(z2);
  free(arr);
  return nonzero + nz2 + (int)(t & 0x3f);
}
