#include <stdio.h>

struct Table { int arr[5]; const char *name; struct { double w; int v; } inner; };

struct Table table = {{1, 2, 3, 4, 5}, "table", {2.5, 9}};
int *third = &table.arr[2];
double *wp = &table.inner.w;
const char *tail = "hello world" + 6;
const char *name_tail = 0;
char letters[] = "abcdef";
char *letter_ptr = &letters[3];
char *letter_end = letters + sizeof letters - 1;
struct Named { char name[8]; int x; short s[3]; } named = {.x = 1, .name = "ab", .s = {[2] = 7}};
struct Named named_arr[2] = {[1] = {"second", 2, {1, 2, 3}}};
int *ptrs[3] = {&table.arr[0], &table.arr[4], 0};
int (*row)[5] = &table.arr;
long long ll_arr[3] = {1, -2, 3};
long long *ll_mid = ll_arr + 1;
static int counter_storage;
int *counter = &counter_storage;

int main(void) {
  printf("%d %.1f %s %c %d\n", *third, *wp, tail, *letter_ptr, (int)(letter_end - letters));
  printf("%s %d %d %d %d\n", named.name, named.x, named.s[0], named.s[1], named.s[2]);
  printf("%s %d %d | %s %d\n", named_arr[1].name, named_arr[1].x, named_arr[1].s[2], named_arr[0].name[0] ? "?" : "empty",
         named_arr[0].x);
  printf("%d %d %d\n", *ptrs[0], *ptrs[1], ptrs[2] == 0);
  printf("%d %lld\n", (*row)[3], *ll_mid);
  *third = 30;
  *counter += 5;
  table.inner.w *= 2;
  printf("%d %.1f %d %d\n", table.arr[2], *wp, counter_storage, name_tail == 0);
  return *third + counter_storage;
}
