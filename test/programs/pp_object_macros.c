#include <stdio.h>

#define WIDTH 320
#define HEIGHT 200
#define AREA (WIDTH * HEIGHT)
#define BAD_AREA WIDTH * HEIGHT
#define GREETING "hi there"
#define EMPTY
#define PI 3.14159
#define NEG -5
#define HEXMASK 0xff00u
#define ARR_INIT {1, 2, 3, 4}
#define FOREVER for (;;)

int main(void) {
  printf("area=%d\n", AREA);
  printf("area/2=%d bad=%d\n", AREA / 2, BAD_AREA / 2 / 2);
  printf("%s\n", GREETING);
  int x = 5 EMPTY;
  EMPTY printf("x=%d\n", x);
  printf("pi*2=%.5f\n", PI * 2);
  printf("-NEG=%d\n", -NEG);
  printf("mask=%x\n", 0x1234u & HEXMASK);
  int arr[] = ARR_INIT;
  printf("arr3=%d\n", arr[3]);
  int n = 0;
  FOREVER {
    if (++n == 4) break;
  }
  printf("n=%d\n", n);
  /* macro names inside strings are not expanded */
  printf("WIDTH is not expanded in \"WIDTH\"\n");
  return AREA % 256;
}
