#include <stdio.h>
#include <stdint.h>
#include <string.h>

/* the union guarantees 8-byte alignment of the arena, so results don't depend on placement */
static union { unsigned char bytes[4096]; long long align; } arena_u;
#define arena arena_u.bytes
static size_t used;

static void *arena_alloc(size_t size, size_t align) {
  uintptr_t base = (uintptr_t)arena;
  uintptr_t p = (base + used + align - 1) & ~(uintptr_t)(align - 1);
  size_t off = (size_t)(p - base);
  if (off + size > sizeof arena) return NULL;
  used = off + size;
  return arena + off;
}

typedef struct { double x; long long id; char tag; } Thing;

int main(void) {
  char *s = arena_alloc(5, 1);
  memcpy(s, "abcd", 5);
  Thing *t = arena_alloc(sizeof(Thing) * 3, 8);
  int *ints = arena_alloc(sizeof(int) * 10, 4);
  short *sh = arena_alloc(sizeof(short), 2);
  printf("t aligned=%d ints aligned=%d sh aligned=%d\n", (int)((uintptr_t)t % 8 == 0),
         (int)((uintptr_t)ints % 4 == 0), (int)((uintptr_t)sh % 2 == 0));
  for (int i = 0; i < 3; i++) { t[i].x = i * 1.5; t[i].id = 1000000000000LL * i; t[i].tag = (char)('a' + i); }
  for (int i = 0; i < 10; i++) ints[i] = i * i;
  *sh = -2;
  printf("s=%s t2=%.1f %lld %c ints9=%d sh=%d\n", s, t[2].x, t[2].id, t[2].tag, ints[9], *sh);
  int fails = 0, allocs = 0;
  while (arena_alloc(100, 8)) allocs++;
  fails = arena_alloc(1, 1) == NULL ? 0 : 1;
  printf("allocs=%d used<=cap %d fails=%d\n", allocs, used <= sizeof arena, fails);
  return allocs;
}
