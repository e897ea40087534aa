#include <stdio.h>
#include <string.h>

static char g1[] = "global";
static char g2[10] = "pad";
static const char *gp = "pointer";
static char g3[2][6] = {"ab", "cdefg"};

int main(void) {
  char a[] = "local";
  char b[8] = "xy";
  char c[4] = {'a', 'b', 'c', 'd'};
  char d[] = {'h', 'i', '\0'};
  char e[6] = {"brace"};
  printf("%s %d\n", g1, (int)sizeof g1);
  printf("%s %d %d\n", g2, (int)sizeof g2, g2[9]);
  printf("%s %s %s\n", gp, g3[0], g3[1]);
  printf("%s %d | %s %d\n", a, (int)sizeof a, b, (int)sizeof b);
  int zeros = 0;
  for (int i = 2; i < 8; i++) zeros += b[i] == 0;
  printf("b zeros=%d\n", zeros);
  printf("c=%c%c%c%c sizeof=%d\n", c[0], c[1], c[2], c[3], (int)sizeof c);
  printf("d=%s e=%s\n", d, e);
  a[0] = 'L';
  g1[0] = 'G';
  printf("%s %s\n", a, g1);
  char big[64] = "";
  for (int i = 0; i < 5; i++) strcat(big, "ab");
  printf("big=%s len=%d\n", big, (int)strlen(big));
  return (int)(sizeof a + sizeof b + strlen(big));
}
