#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct { int id; char name[12]; } Rec;

int main(void) {
  int n = 1000;
  int *arr = malloc(n * sizeof *arr);
  if (!arr) return 1;
  for (int i = 0; i < n; i++) arr[i] = i * 3;
  long sum = 0;
  for (int i = 0; i < n; i++) sum += arr[i];
  printf("sum=%ld\n", sum);
  free(arr);
  Rec **recs = malloc(10 * sizeof(Rec *));
  for (int i = 0; i < 10; i++) {
    recs[i] = malloc(sizeof(Rec));
    recs[i]->id = i;
    strcpy(recs[i]->name, "rec");
    recs[i]->name[3] = (char)('0' + i);
    recs[i]->name[4] = 0;
  }
  for (int i = 9; i >= 0; i -= 3) printf("%d:%s ", recs[i]->id, recs[i]->name);
  printf("\n");
  for (int i = 0; i < 10; i++) free(recs[i]);
  free(recs);
  /* many small allocations and frees interleaved */
  void *ptrs[64];
  int live = 0;
  for (int round = 0; round < 50; round++) {
    for (int i = 0; i < 64; i++) {
      ptrs[i] = malloc((size_t)(i * 7 + round) % 200 + 1);
      memset(ptrs[i], i, (size_t)(i * 7 + round) % 200 + 1);
      live++;
    }
    int check = 0;
    for (int i = 0; i < 64; i++) check += ((unsigned char *)ptrs[i])[0] == (unsigned char)i;
    if (check != 64) printf("corruption in round %d\n", round);
    for (int i = 0; i < 64; i += 2) { free(ptrs[i]); live--; }
    for (int i = 1; i < 64; i += 2) { free(ptrs[i]); live--; }
  }
  printf("live=%d\n", live);
  free(NULL);
  char *big = malloc(1 << 20);
  memset(big, 'a', 1 << 20);
  big[(1 << 20) - 1] = 0;
  printf("big len=%u\n", (unsigned)strlen(big));
  free(big);
  return (int)(sum % 256);
}
