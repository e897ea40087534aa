#include <stdio.h>

static int is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int days_in_month(int y, int m) {
  static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : d[m - 1];
}

/* days since 1970-01-01 (civil from days algorithm by H. Hinnant) */
static long days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  long era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = (unsigned)(y - era * 400);
  unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (long)doe - 719468;
}

static const char *weekday(long days) {
  static const char *names[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
  long w = days % 7;
  if (w < 0) w += 7;
  return names[w];
}

int main(void) {
  int dates[][3] = {{1970, 1, 1}, {2000, 2, 29}, {2004, 8, 20}, {1969, 7, 20}, {2038, 1, 19}, {1900, 3, 1}, {2024, 12, 31}};
  for (int i = 0; i < 7; i++) {
    long d = days_from_civil(dates[i][0], (unsigned)dates[i][1], (unsigned)dates[i][2]);
    printf("%04d-%02d-%02d day %ld %s\n", dates[i][0], dates[i][1], dates[i][2], d, weekday(d));
  }
  int leaps = 0;
  for (int y = 1900; y <= 2100; y++) leaps += is_leap(y);
  printf("leap years 1900..2100: %d\n", leaps);
  int total = 0;
  for (int m = 1; m <= 12; m++) total += days_in_month(2024, m);
  printf("days in 2024: %d\n", total);
  /* print a month calendar */
  long first = days_from_civil(2024, 2, 1);
  printf("   February 2024\nSu Mo Tu We Th Fr Sa\n");
  int dow = (int)((first % 7 + 7 + 4) % 7); /* 0 = Sunday */
  for (int i = 0; i < dow; i++) printf("   ");
  for (int d = 1; d <= days_in_month(2024, 2); d++) {
    printf("%2d%c", d, (dow + d) % 7 == 0 ? '\n' : ' ');
  }
  printf("\n");
  return leaps;
}
