#include <stdio.h>
#include <stdint.h>
#include <string.h>

static uint32_t fnv1a32(const char *s) {
  uint32_t h = 2166136261u;
  while (*s) h = (h ^ (unsigned char)*s++) * 16777619u;
  return h;
}

static uint64_t fnv1a64(const char *s) {
  uint64_t h = 14695981039346656037ULL;
  while (*s) h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
  return h;
}

static uint32_t fnv1_32(const char *s) {
  uint32_t h = 2166136261u;
  while (*s) h = (h * 16777619u) ^ (unsigned char)*s++;
  return h;
}

int main(void) {
  const char *words[] = {"", "a", "foobar", "kplug", "kernel plugins", "\xff\xfe\x80"};
  for (int i = 0; i < 6; i++)
    printf("#%d %-16s fnv1a32=%08x fnv1_32=%08x fnv1a64=%016llx\n", i, i == 5 ? "(binary)" : words[i], fnv1a32(words[i]), fnv1_32(words[i]),
           (unsigned long long)fnv1a64(words[i]));
  /* bucket distribution */
  int buckets[16] = {0};
  char key[16];
  for (int i = 0; i < 4000; i++) {
    int n = i, k = 0;
    do { key[k++] = (char)('a' + n % 26); n /= 26; } while (n);
    key[k] = 0;
    buckets[fnv1a32(key) & 15]++;
  }
  int mn = 1 << 30, mx = 0;
  for (int i = 0; i < 16; i++) {
    if (buckets[i] < mn) mn = buckets[i];
    if (buckets[i] > mx) mx = buckets[i];
  }
  printf("buckets min=%d max=%d\n", mn, mx);
  return (int)(fnv1a32("kplug") >> 24);
}
