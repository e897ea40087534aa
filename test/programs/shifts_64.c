#include <stdio.h>

int main(void) {
  unsigned long long one = 1;
  for (int i = 0; i < 64; i += 9) printf("1ull<<%d=%llu\n", i, one << i);
  long long neg = -1234567890123LL;
  for (int i = 0; i < 64; i += 13) printf("neg>>%d=%lld\n", i, neg >> i);
  unsigned long long u = 0xfedcba9876543210ULL;
  for (int i = 1; i < 64; i += 11) printf("u>>%d=%016llx u<<%d=%016llx\n", i, u >> i, i, u << i);
  /* shifts across the 32-bit boundary */
  printf("u>>32=%llx\n", u >> 32);
  printf("u<<32=%llx\n", u << 32);
  printf("u>>31=%llx u<<31=%llx\n", u >> 31, u << 31);
  printf("u>>33=%llx u<<33=%llx\n", u >> 33, u << 33);
  long long s = (long long)0x8000000000000000ULL;
  printf("min>>63=%lld min>>32=%lld\n", s >> 63, s >> 32);
  /* variable shift amount */
  unsigned long long acc = 0;
  for (int i = 0; i < 64; i++) acc ^= (u >> i) + (u << (63 - i));
  printf("acc=%016llx\n", acc);
  /* rotate */
  unsigned long long r = (u << 17) | (u >> 47);
  printf("rot=%016llx\n", r);
  int sh = 40;
  printf("1LL<<sh=%lld\n", 1LL << sh);
  unsigned int lo = (unsigned int)(u >> 8);
  printf("lo=%08x\n", lo);
  return (int)(acc & 0x3f);
}
