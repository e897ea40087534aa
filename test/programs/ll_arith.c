#include <stdio.h>

int main(void) {
  long long a = 123456789012345LL;
  long long b = -98765432109LL;
  printf("a+b=%lld\n", a + b);
  printf("a-b=%lld\n", a - b);
  printf("a*3=%lld\n", a * 3);
  printf("b*b=%lld\n", b * b);
  unsigned long long ua = 0xffffffffffffffffULL;
  printf("ua+1=%llu\n", ua + 1);
  printf("ua*ua=%llu\n", ua * ua);
  unsigned long long x = 0x123456789ULL;
  printf("x*x=%llu\n", x * x);
  /* carry across 32-bit halves */
  unsigned long long c = 0xffffffffULL;
  printf("c+1=%llu c*c=%llu\n", c + 1, c * c);
  long long m = -1;
  printf("m*m=%lld -m=%lld\n", m * m, -m);
  long long mix = 5 + 3000000000LL;
  printf("mix=%lld\n", mix);
  int i = -7;
  long long widened = i;
  unsigned int ui = 0xfffffff9u;
  long long widened2 = ui;
  printf("widened=%lld widened2=%lld\n", widened, widened2);
  long long fact = 1;
  for (int k = 1; k <= 20; k++) fact *= k;
  printf("20!=%lld\n", fact);
  unsigned long long fib_a = 0, fib_b = 1;
  for (int k = 0; k < 90; k++) { unsigned long long t = fib_a + fib_b; fib_a = fib_b; fib_b = t; }
  printf("fib90=%llu\n", fib_a);
  long long cmp1 = 0x100000000LL, cmp2 = 0xffffffffLL;
  printf("cmp: %d %d %d\n", cmp1 > cmp2, cmp1 == cmp2 + 1, -cmp1 < -cmp2);
  long long bits = 0x0f0f0f0f0f0f0f0fLL;
  printf("and=%llx or=%llx xor=%llx not=%llx\n", bits & 0xff00ff00ff00ff00LL,
         bits | 0x1000000000000000LL, bits ^ -1LL, ~bits);
  return (int)(fact % 251);
}
