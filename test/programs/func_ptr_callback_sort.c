#include <stdio.h>
#include <string.h>

typedef int (*Cmp)(const void *, const void *);

static void isort(void *base, int n, int size, Cmp cmp) {
  char *b = base;
  char tmp[64];
  for (int i = 1; i < n; i++) {
    memcpy(tmp, b + i * size, size);
    int j = i - 1;
    while (j >= 0 && cmp(b + j * size, tmp) > 0) {
      memcpy(b + (j + 1) * size, b + j * size, size);
      j--;
    }
    memcpy(b + (j + 1) * size, tmp, size);
  }
}

static int cmp_int(const void *a, const void *b) { int x = *(const int *)a, y = *(const int *)b; return (x > y) - (x < y); }
static int cmp_int_desc(const void *a, const void *b) { return cmp_int(b, a); }
static int cmp_str(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }
typedef struct { const char *name; int age; } P;
static int cmp_age_then_name(const void *a, const void *b) {
  const P *p = a, *q = b;
  if (p->age != q->age) return p->age - q->age;
  return strcmp(p->name, q->name);
}

int main(void) {
  int nums[] = {5, -3, 9, 0, 12, -7, 5, 1};
  isort(nums, 8, sizeof(int), cmp_int);
  for (int i = 0; i < 8; i++) printf("%d ", nums[i]);
  printf("\n");
  isort(nums, 8, sizeof(int), cmp_int_desc);
  for (int i = 0; i < 8; i++) printf("%d ", nums[i]);
  printf("\n");
  const char *words[] = {"pear", "apple", "fig", "banana", "cherry", "apricot"};
  isort(words, 6, sizeof(char *), cmp_str);
  for (int i = 0; i < 6; i++) printf("%s ", words[i]);
  printf("\n");
  P people[] = {{"zed", 30}, {"amy", 25}, {"bob", 30}, {"cat", 25}, {"dan", 20}};
  isort(people, 5, sizeof(P), cmp_age_then_name);
  for (int i = 0; i < 5; i++) printf("%s:%d ", people[i].name, people[i].age);
  printf("\n");
  return nums[0];
}
