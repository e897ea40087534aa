#include <stdio.h>

typedef struct { const char *name; int value; } Entry;

int values[4] = {10, 20, 30, 40};
int *ptr_to_values = values;
int *ptr_to_third = &values[2];
int *ptr_arith = values + 3;
Entry entries[] = {{"alpha", 1}, {"beta", 2}, {"gamma", 3}};
Entry *first_entry = &entries[0];
const int n_entries = sizeof entries / sizeof entries[0];
char message[] = "global message";
char *msg_tail = message + 7;
int (*fnptr)(int);
static int twice(int x) { return 2 * x; }
int (*fn_init)(int) = twice;
struct { int *p; const char *s; } combo = {&values[1], "combo"};
double dvals[] = {1.0 / 3, 2.0 * 3.5, -0.0};
long long big_init = 3000000000LL * 3;
unsigned short us_init = (unsigned short)-1;
int uninit_global;
static int static_global = -5;

int main(void) {
  printf("%d %d %d\n", *ptr_to_values, *ptr_to_third, *ptr_arith);
  for (int i = 0; i < n_entries; i++) printf("%s=%d ", entries[i].name, entries[i].value);
  printf("\n%s / %s\n", first_entry->name, msg_tail);
  printf("fnptr null=%d fn_init(21)=%d\n", fnptr == 0, fn_init(21));
  printf("%d %s\n", *combo.p, combo.s);
  printf("%.6f %.1f %.1f\n", dvals[0], dvals[1], dvals[2]);
  printf("%lld %u %d %d\n", big_init, us_init, uninit_global, static_global);
  values[2] = 99;
  printf("through ptr: %d\n", *ptr_to_third);
  fnptr = twice;
  return fnptr(*ptr_to_third) & 0xff;
}
