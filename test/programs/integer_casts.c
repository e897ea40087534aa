#include <stdio.h>
#include <stdint.h>

int main(void) {
  int v = 0x12345678;
  printf("(char)=%d (uchar)=%d (short)=%d (ushort)=%d\n", (char)v, (unsigned char)v, (short)v,
         (unsigned short)v);
  int n = -2;
  printf("(unsigned)=%u (uchar)=%d (ushort)=%d (ull)=%llu (ll)=%lld\n", (unsigned)n,
         (unsigned char)n, (unsigned short)n, (unsigned long long)n, (long long)n);
  unsigned un = 0xfffffffeu;
  printf("(int)=%d (ll)=%lld (ull)=%llu\n", (int)un, (long long)un, (unsigned long long)un);
  long long big = 0x123456789abcdef0LL;
  printf("(int)=%d (unsigned)=%u (short)=%d (char)=%d\n", (int)big, (unsigned)big, (short)big,
         (char)big);
  long long nbig = -0x123456789LL;
  printf("(int)=%d (unsigned)=%u\n", (int)nbig, (unsigned)nbig);
  int8_t i8 = (int8_t)0x9c;
  uint8_t u8 = (uint8_t)i8;
  int16_t i16 = i8;
  uint16_t u16 = (uint16_t)i8;
  int32_t i32 = u16;
  printf("i8=%d u8=%d i16=%d u16=%d i32=%d\n", i8, u8, i16, u16, i32);
  /* cast chains */
  printf("chain=%d\n", (int)(unsigned char)(signed char)-1);
  printf("chain2=%d\n", (int)(signed char)(unsigned char)200);
  printf("chain3=%lld\n", (long long)(int)(unsigned)0x80000000u);
  printf("chain4=%llu\n", (unsigned long long)(unsigned)(int)-1);
  /* _Bool casts */
  printf("bool: %d %d %d %d\n", (_Bool)0, (_Bool)256, (_Bool)-1, (_Bool)0x100000000LL);
  /* casts in expressions */
  unsigned short a = 60000, b = 60000;
  printf("sum as ushort=%d sum int=%d\n", (unsigned short)(a + b), a + b);
  return (unsigned char)v;
}
