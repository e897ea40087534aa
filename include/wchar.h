/* <wchar.h> of KP-C: wchar_t is a 4-byte signed int as on i386 Linux (L"" literals are arrays
   of it). The functions are compiled into the plugin (metered like its own loops). */
#ifndef __KPLUG_WCHAR_H
#define __KPLUG_WCHAR_H
#include <stddef.h>
typedef unsigned int wint_t;
#define WCHAR_MIN (-2147483647 - 1)
#define WCHAR_MAX 2147483647
#define WEOF ((wint_t)-1)
static inline size_t wcslen(const wchar_t *s) {
  const wchar_t *p = s;
  while (*p) p++;
  return (size_t)(p - s);
}
static inline int wcscmp(const wchar_t *a, const wchar_t *b) {
  while (*a && *a == *b) a++, b++;
  return *a < *b ? -1 : *a > *b;
}
static inline wchar_t *wcscpy(wchar_t *dst, const wchar_t *src) {
  wchar_t *d = dst;
  while ((*d++ = *src++) != 0) {
  }
  return dst;
}
static inline wchar_t *wcschr(const wchar_t *s, wchar_t c) {
  for (;; s++) {
    if (*s == c) return (wchar_t *)s;
    if (!*s) return NULL;
  }
}
#endif
