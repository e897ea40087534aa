#include <stdio.h>

static int lookup(long long key) {
  switch (key) {
    case -1000000: return 1;
    case -1: return 2;
    case 0: return 3;
    case 7: return 4;
    case 1000: return 5;
    case 65536: return 6;
    case 2147483647: return 7;
    case 4294967296LL: return 8;
    case -4294967296LL: return 9;
    default: return 0;
  }
}

static int dense(unsigned v) {
  switch (v) {
    case 0: return 10; case 1: return 11; case 2: return 12; case 3: return 13;
    case 4: return 14; case 5: return 15; case 6: return 16; case 7: return 17;
    case 8: return 18; case 9: return 19; case 10: return 20; case 11: return 21;
    case 0xffffffffu: return 99;
  }
  return -1;
}

static int chars(unsigned char c) {
  switch (c) {
    case 200: return 1;
    case 255: return 2;
    case 'a': return 3;
  }
  return 0;
}

int main(void) {
  long long keys[] = {-1000000, -1, 0, 7, 1000, 65536, 2147483647, 4294967296LL, -4294967296LL, 5, 1001};
  int sum = 0;
  for (int i = 0; i < 11; i++) {
    int r = lookup(keys[i]);
    printf("%lld -> %d\n", keys[i], r);
    sum += r;
  }
  for (int i = -1; i < 14; i++) sum += dense((unsigned)i);
  printf("dense sum=%d\n", sum);
  printf("chars: %d %d %d %d\n", chars(200), chars((unsigned char)-1), chars('a'), chars(0));
  signed char sc = -56;
  switch (sc) {
    case -56: printf("signed char case -56\n"); break;
    case 200: printf("wrong\n"); break;
  }
  return sum & 0xff;
}
