#include <stdio.h>

int main(void) {
  /* a loop made from goto */
  int i = 0, sum = 0;
top:
  if (i >= 10) goto done;
  sum += i * i;
  i++;
  goto top;
done:
  printf("sum=%d\n", sum);

  /* break out of nested loops with goto */
  int fi = -1, fj = -1;
  for (int a = 1; a < 20; a++) {
    for (int b = a; b < 20; b++) {
      for (int c = b; c < 30; c++) {
        if (a * a + b * b == c * c && a + b + c > 30) {
          fi = a; fj = b;
          printf("triple %d %d %d\n", a, b, c);
          goto found;
        }
      }
    }
  }
found:
  printf("fi=%d fj=%d\n", fi, fj);

  /* backward goto to retry */
  int attempts = 0;
  unsigned seed = 12345;
retry:
  attempts++;
  seed = seed * 1103515245u + 12345u;
  if ((seed >> 16) % 7 != 3 && attempts < 50) goto retry;
  printf("attempts=%d\n", attempts);

  /* goto forward skipping code */
  int x = 1;
  goto skip;
  x = 100;
skip:
  x += 1;
  printf("x=%d\n", x);

  /* state machine with gotos */
  const char *input = "aaabbbcca";
  const char *p = input;
  int as = 0, bs = 0, cs = 0;
state_a:
  if (*p == 'a') { as++; p++; goto state_a; }
  if (*p == 'b') goto state_b;
  if (*p == 'c') goto state_c;
  goto end;
state_b:
  if (*p == 'b') { bs++; p++; goto state_b; }
  goto state_a;
state_c:
  if (*p == 'c') { cs++; p++; goto state_c; }
  goto state_a;
end:
  printf("as=%d bs=%d cs=%d\n", as, bs, cs);
  return sum % 256 + attempts;
}
