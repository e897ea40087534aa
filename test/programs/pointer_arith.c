#include <stdio.h>

int main(void) {
  int arr[10];
  for (int i = 0; i < 10; i++) arr[i] = i * i;
  int *p = arr;
  int *end = arr + 10;
  int sum = 0;
  while (p < end) sum += *p++;
  printf("sum=%d\n", sum);
  p = &arr[5];
  printf("p[-2]=%d p[2]=%d *(p+1)=%d 2[p]=%d\n", p[-2], p[2], *(p + 1), 2[p]);
  printf("end-arr=%d p-arr=%d arr-p=%d\n", (int)(end - arr), (int)(p - arr), (int)(arr - p));
  double darr[4] = {1.5, 2.5, 3.5, 4.5};
  double *dp = darr + 3;
  printf("*dp=%f dp-darr=%d bytes=%d\n", *dp, (int)(dp - darr), (int)((char *)dp - (char *)darr));
  short sarr[6] = {1, 2, 3, 4, 5, 6};
  short *sp = sarr;
  sp += 4;
  printf("*sp=%d\n", *sp);
  long long llarr[3] = {100, 200, 300};
  long long *lp = &llarr[2];
  lp--;
  printf("*lp=%lld bytes=%d\n", *lp, (int)((char *)lp - (char *)llarr));
  /* pointer comparison within one array */
  int *a = &arr[3], *b = &arr[7];
  printf("a<b=%d a>b=%d a==b-4=%d\n", a < b, a > b, a == b - 4);
  /* walking backward */
  int rev = 0;
  for (int *q = arr + 9; q >= arr + 1; q--) rev = rev * 3 + (*q & 7);
  printf("rev=%d\n", rev);
  /* char pointer arithmetic over int array bytes */
  unsigned int word = 0x11223344;
  unsigned char *bytes = (unsigned char *)&word;
  printf("bytes: %02x %02x %02x %02x (little endian)\n", bytes[0], bytes[1], bytes[2], bytes[3]);
  /* index with negative and unsigned */
  unsigned idx = 3;
  int neg = -1;
  printf("arr[idx]=%d p[neg]=%d\n", arr[idx], p[neg]);
  return sum & 0xff;
}
