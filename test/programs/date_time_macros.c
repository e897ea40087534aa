// __DATE__ ("Mmm dd yyyy") and __TIME__ ("hh:mm:ss"): the values differ between the two
// compilers' runs, so this prints their shape, which must agree.
#include <stdio.h>
#include <string.h>

static const char date[] = __DATE__;
static const char *months = "JanFebMarAprMayJunJulAugSepOctNovDec";

static int digit(char c) { return c >= '0' && c <= '9'; }

int main(void) {
  const char *time = __TIME__;
  printf("%d %d\n", (int)sizeof(__DATE__), (int)sizeof __TIME__);
  int month = -1;
  for (int m = 0; m < 12; m++)
    if (strncmp(date, months + 3 * m, 3) == 0) month = m;
  printf("month known: %d\n", month >= 0);
  printf("day: %d %d\n", date[4] == ' ' || digit(date[4]), digit(date[5]));
  printf("year: %d %d\n", digit(date[7]) && digit(date[8]) && digit(date[9]) && digit(date[10]),
         date[3] == ' ' && date[6] == ' ');
  printf("time: %d %d\n", time[2] == ':' && time[5] == ':',
         digit(time[0]) && digit(time[1]) && digit(time[3]) && digit(time[4]) && digit(time[6]) &&
             digit(time[7]));
  printf("one clock: %d\n", strcmp(time, __TIME__) == 0);
#if defined(__DATE__) && defined(__TIME__)
  printf("defined\n");
#endif
  return 0;
}
