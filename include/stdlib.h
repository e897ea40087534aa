/* <stdlib.h> of KP-C (wasm32, ILP32): its functions are host functions of the kplug kernel. */
#ifndef __KPLUG_STDLIB_H
#define __KPLUG_STDLIB_H
#ifndef __KPLUG_SIZE_T
#define __KPLUG_SIZE_T
typedef unsigned long size_t;
#endif
#ifndef NULL
#define NULL ((void *)0)
#endif
#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1
#define RAND_MAX 2147483647
/* As glibc (<alloca.h>, included by <stdlib.h>): the caller's stack frame, freed at its return. */
#define alloca(size) __builtin_alloca(size)
void *malloc(size_t size);
void *calloc(size_t count, size_t size);
void *realloc(void *p, size_t size);
void free(void *p);
int abs(int x);
long labs(long x);
long long llabs(long long x);
void exit(int status);
void abort(void);
int atoi(const char *s);
int rand(void);
void srand(unsigned int seed);
void qsort(void *base, size_t count, size_t size, int (*compare)(const void *, const void *));
long atol(const char *s);
long long atoll(const char *s);
double atof(const char *s);
long strtol(const char *s, char **end, int base);
unsigned long strtoul(const char *s, char **end, int base);
long long strtoll(const char *s, char **end, int base);
unsigned long long strtoull(const char *s, char **end, int base);
double strtod(const char *s, char **end);
float strtof(const char *s, char **end);
void *bsearch(const void *key, const void *base, size_t count, size_t size, int (*compare)(const void *, const void *));
int atexit(void (*fn)(void));
#endif
