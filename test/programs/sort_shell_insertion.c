#include <stdio.h>
#include <string.h>

static void insertion(char **a, int n) {
  for (int i = 1; i < n; i++) {
    char *v = a[i];
    int j = i;
    while (j > 0 && strcmp(a[j - 1], v) > 0) { a[j] = a[j - 1]; j--; }
    a[j] = v;
  }
}

static void shellsort(unsigned short *a, int n) {
  int gaps[] = {701, 301, 132, 57, 23, 10, 4, 1};
  for (int g = 0; g < 8; g++) {
    int gap = gaps[g];
    for (int i = gap; i < n; i++) {
      unsigned short t = a[i];
      int j;
      for (j = i; j >= gap && a[j - gap] > t; j -= gap) a[j] = a[j - gap];
      a[j] = t;
    }
  }
}

static void counting_sort(unsigned char *a, int n) {
  int count[256] = {0};
  for (int i = 0; i < n; i++) count[a[i]]++;
  int k = 0;
  for (int v = 0; v < 256; v++)
    while (count[v]--) a[k++] = (unsigned char)v;
}

int main(void) {
  char w[12][8] = {"delta", "alpha", "echo", "bravo", "kilo", "golf", "hotel", "india", "charlie", "juliet", "foxtrot", "lima"};
  /* "charlie" needs 8 bytes; fits exactly */
  char *ptrs[12];
  for (int i = 0; i < 12; i++) ptrs[i] = w[i];
  insertion(ptrs, 12);
  for (int i = 0; i < 12; i++) printf("%.8s ", ptrs[i]);
  printf("\n");
  static unsigned short arr[5000];
  for (int i = 0; i < 5000; i++) arr[i] = (unsigned short)((i * 40503u) & 0xffff);
  shellsort(arr, 5000);
  int ok = 1;
  for (int i = 1; i < 5000; i++) ok &= arr[i - 1] <= arr[i];
  printf("shell ok=%d first=%u last=%u mid=%u\n", ok, arr[0], arr[4999], arr[2500]);
  unsigned char bytes[1000];
  for (int i = 0; i < 1000; i++) bytes[i] = (unsigned char)(i * 97 + 13);
  counting_sort(bytes, 1000);
  int ok2 = 1;
  for (int i = 1; i < 1000; i++) ok2 &= bytes[i - 1] <= bytes[i];
  printf("counting ok=%d %d %d %d\n", ok2, bytes[0], bytes[500], bytes[999]);
  return ok + ok2;
}
