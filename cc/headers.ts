// The built-in C library headers of KP-C (wasm32, ILP32: int, long, pointers and size_t are
// 32 bits, long long 64; char is signed). The functions declared here are provided by the
// kernel as host functions; `libcFunctions` lists them so the kernel can check its coverage.
// <stdarg.h> is deliberately absent: plugins cannot define variadic functions.

const sizeT = `#ifndef __KPLUG_SIZE_T
#define __KPLUG_SIZE_T
typedef unsigned long size_t;
#endif
`;

const nullMacro = `#ifndef NULL
#define NULL ((void *)0)
#endif
`;

const stddef = `#ifndef __KPLUG_STDDEF_H
#define __KPLUG_STDDEF_H
${sizeT}${nullMacro}typedef long ptrdiff_t;
typedef int wchar_t;
#define offsetof(type, member) ((size_t)&((type *)0)->member)
#endif
`;

const stdbool = `#ifndef __KPLUG_STDBOOL_H
#define __KPLUG_STDBOOL_H
#define bool _Bool
#define true 1
#define false 0
#define __bool_true_false_are_defined 1
#endif
`;

const stdint = `#ifndef __KPLUG_STDINT_H
#define __KPLUG_STDINT_H
typedef signed char int8_t;
typedef short int16_t;
typedef int int32_t;
typedef long long int64_t;
typedef unsigned char uint8_t;
typedef unsigned short uint16_t;
typedef unsigned int uint32_t;
typedef unsigned long long uint64_t;
typedef signed char int_least8_t;
typedef short int_least16_t;
typedef int int_least32_t;
typedef long long int_least64_t;
typedef unsigned char uint_least8_t;
typedef unsigned short uint_least16_t;
typedef unsigned int uint_least32_t;
typedef unsigned long long uint_least64_t;
typedef signed char int_fast8_t;
typedef int int_fast16_t;
typedef int int_fast32_t;
typedef long long int_fast64_t;
typedef unsigned char uint_fast8_t;
typedef unsigned int uint_fast16_t;
typedef unsigned int uint_fast32_t;
typedef unsigned long long uint_fast64_t;
typedef long intptr_t;
typedef unsigned long uintptr_t;
typedef long long intmax_t;
typedef unsigned long long uintmax_t;
#define INT8_MIN (-128)
#define INT16_MIN (-32767-1)
#define INT32_MIN (-2147483647-1)
#define INT64_MIN (-9223372036854775807LL-1)
#define INT8_MAX 127
#define INT16_MAX 32767
#define INT32_MAX 2147483647
#define INT64_MAX 9223372036854775807LL
#define UINT8_MAX 255
#define UINT16_MAX 65535
#define UINT32_MAX 4294967295U
#define UINT64_MAX 18446744073709551615ULL
#define INT_LEAST8_MIN INT8_MIN
#define INT_LEAST16_MIN INT16_MIN
#define INT_LEAST32_MIN INT32_MIN
#define INT_LEAST64_MIN INT64_MIN
#define INT_LEAST8_MAX INT8_MAX
#define INT_LEAST16_MAX INT16_MAX
#define INT_LEAST32_MAX INT32_MAX
#define INT_LEAST64_MAX INT64_MAX
#define UINT_LEAST8_MAX UINT8_MAX
#define UINT_LEAST16_MAX UINT16_MAX
#define UINT_LEAST32_MAX UINT32_MAX
#define UINT_LEAST64_MAX UINT64_MAX
#define INT_FAST8_MIN INT8_MIN
#define INT_FAST16_MIN INT32_MIN
#define INT_FAST32_MIN INT32_MIN
#define INT_FAST64_MIN INT64_MIN
#define INT_FAST8_MAX INT8_MAX
#define INT_FAST16_MAX INT32_MAX
#define INT_FAST32_MAX INT32_MAX
#define INT_FAST64_MAX INT64_MAX
#define UINT_FAST8_MAX UINT8_MAX
#define UINT_FAST16_MAX UINT32_MAX
#define UINT_FAST32_MAX UINT32_MAX
#define UINT_FAST64_MAX UINT64_MAX
#define INTPTR_MIN (-2147483647L-1)
#define INTPTR_MAX 2147483647L
#define UINTPTR_MAX 4294967295UL
#define INTMAX_MIN INT64_MIN
#define INTMAX_MAX INT64_MAX
#define UINTMAX_MAX UINT64_MAX
#define PTRDIFF_MIN (-2147483647L-1)
#define PTRDIFF_MAX 2147483647L
#define SIZE_MAX 4294967295UL
#define INT8_C(c) c
#define INT16_C(c) c
#define INT32_C(c) c
#define INT64_C(c) c ## LL
#define UINT8_C(c) c
#define UINT16_C(c) c
#define UINT32_C(c) c ## U
#define UINT64_C(c) c ## ULL
#define INTMAX_C(c) c ## LL
#define UINTMAX_C(c) c ## ULL
#endif
`;

const inttypes = `#ifndef __KPLUG_INTTYPES_H
#define __KPLUG_INTTYPES_H
#include <stdint.h>
#define PRId8 "d"
#define PRId16 "d"
#define PRId32 "d"
#define PRId64 "lld"
#define PRIi8 "i"
#define PRIi16 "i"
#define PRIi32 "i"
#define PRIi64 "lli"
#define PRIu8 "u"
#define PRIu16 "u"
#define PRIu32 "u"
#define PRIu64 "llu"
#define PRIo8 "o"
#define PRIo16 "o"
#define PRIo32 "o"
#define PRIo64 "llo"
#define PRIx8 "x"
#define PRIx16 "x"
#define PRIx32 "x"
#define PRIx64 "llx"
#define PRIX8 "X"
#define PRIX16 "X"
#define PRIX32 "X"
#define PRIX64 "llX"
#define PRIdMAX "lld"
#define PRIuMAX "llu"
#define PRIxMAX "llx"
#define PRIdPTR "ld"
#define PRIuPTR "lu"
#define PRIxPTR "lx"
#define PRIXPTR "lX"
#endif
`;

const limits = `#ifndef __KPLUG_LIMITS_H
#define __KPLUG_LIMITS_H
#define CHAR_BIT 8
#define SCHAR_MIN (-128)
#define SCHAR_MAX 127
#define UCHAR_MAX 255
#define CHAR_MIN SCHAR_MIN
#define CHAR_MAX SCHAR_MAX
#define MB_LEN_MAX 4
#define SHRT_MIN (-32768)
#define SHRT_MAX 32767
#define USHRT_MAX 65535
#define INT_MIN (-2147483647-1)
#define INT_MAX 2147483647
#define UINT_MAX 4294967295U
#define LONG_MIN (-2147483647L-1)
#define LONG_MAX 2147483647L
#define ULONG_MAX 4294967295UL
#define LLONG_MIN (-9223372036854775807LL-1)
#define LLONG_MAX 9223372036854775807LL
#define ULLONG_MAX 18446744073709551615ULL
#endif
`;

const stdio = `#ifndef __KPLUG_STDIO_H
#define __KPLUG_STDIO_H
${sizeT}${nullMacro}#define EOF (-1)
int printf(const char *format, ...);
int snprintf(char *buffer, size_t size, const char *format, ...);
int putchar(int c);
int puts(const char *s);
#endif
`;

const string = `#ifndef __KPLUG_STRING_H
#define __KPLUG_STRING_H
${sizeT}${nullMacro}void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strcpy(char *dst, const char *src);
char *strncpy(char *dst, const char *src, size_t n);
char *strcat(char *dst, const char *src);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strstr(const char *haystack, const char *needle);
#endif
`;

const stdlib = `#ifndef __KPLUG_STDLIB_H
#define __KPLUG_STDLIB_H
${sizeT}${nullMacro}#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1
#define RAND_MAX 2147483647
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
#endif
`;

const math = `#ifndef __KPLUG_MATH_H
#define __KPLUG_MATH_H
#define M_E 2.7182818284590452354
#define M_LOG2E 1.4426950408889634074
#define M_LOG10E 0.43429448190325182765
#define M_LN2 0.69314718055994530942
#define M_LN10 2.30258509299404568402
#define M_PI 3.14159265358979323846
#define M_PI_2 1.57079632679489661923
#define M_PI_4 0.78539816339744830962
#define M_1_PI 0.31830988618379067154
#define M_2_PI 0.63661977236758134308
#define M_2_SQRTPI 1.12837916709551257390
#define M_SQRT2 1.41421356237309504880
#define M_SQRT1_2 0.70710678118654752440
#define HUGE_VAL (1.0 / 0.0)
#define HUGE_VALF (1.0f / 0.0f)
#define INFINITY (1.0f / 0.0f)
#define NAN (0.0f / 0.0f)
#define isnan(x) ((x) != (x))
#define isinf(x) (!isnan(x) && isnan((x) - (x)))
#define isfinite(x) (!isnan((x) - (x)))
double sqrt(double x);
double fabs(double x);
double floor(double x);
double ceil(double x);
double round(double x);
double trunc(double x);
double fmod(double x, double y);
double pow(double x, double y);
double exp(double x);
double exp2(double x);
double log(double x);
double log2(double x);
double log10(double x);
double sin(double x);
double cos(double x);
double tan(double x);
double asin(double x);
double acos(double x);
double atan(double x);
double atan2(double y, double x);
double sinh(double x);
double cosh(double x);
double tanh(double x);
double hypot(double x, double y);
double fmin(double x, double y);
double fmax(double x, double y);
double cbrt(double x);
float sqrtf(float x);
float fabsf(float x);
float floorf(float x);
float ceilf(float x);
float roundf(float x);
float truncf(float x);
float fminf(float x, float y);
float fmaxf(float x, float y);
float powf(float x, float y);
float expf(float x);
float logf(float x);
float sinf(float x);
float cosf(float x);
float fmodf(float x, float y);
float exp2f(float x);
float log2f(float x);
float log10f(float x);
float tanf(float x);
float asinf(float x);
float acosf(float x);
float atanf(float x);
float atan2f(float y, float x);
float sinhf(float x);
float coshf(float x);
float tanhf(float x);
float hypotf(float x, float y);
float cbrtf(float x);
#endif
`;

const ctype = `#ifndef __KPLUG_CTYPE_H
#define __KPLUG_CTYPE_H
int isdigit(int c);
int isalpha(int c);
int isalnum(int c);
int isspace(int c);
int isupper(int c);
int islower(int c);
int isxdigit(int c);
int toupper(int c);
int tolower(int c);
#endif
`;

// No include guard: <assert.h> may be included again after changing NDEBUG.
const assert = `#undef assert
#ifdef NDEBUG
#define assert(expression) ((void)0)
#else
void __assert_fail(const char *expression, const char *file, int line);
#define assert(expression) ((expression) ? (void)0 : __assert_fail(#expression, __FILE__, __LINE__))
#endif
`;

export const builtinHeaders: Record<string, string> = {
  "assert.h": assert,
  "ctype.h": ctype,
  "inttypes.h": inttypes,
  "limits.h": limits,
  "math.h": math,
  "stdbool.h": stdbool,
  "stddef.h": stddef,
  "stdint.h": stdint,
  "stdio.h": stdio,
  "stdlib.h": stdlib,
  "string.h": string,
};

/** Every function declared by the built-in headers (the kernel provides each one). */
export const libcFunctions: readonly string[] = [
  // <stdio.h>
  "printf",
  "snprintf",
  "putchar",
  "puts",
  // <string.h>
  "memcpy",
  "memmove",
  "memset",
  "memcmp",
  "strlen",
  "strcmp",
  "strncmp",
  "strcpy",
  "strncpy",
  "strcat",
  "strchr",
  "strrchr",
  "strstr",
  // <stdlib.h>
  "malloc",
  "calloc",
  "realloc",
  "free",
  "abs",
  "labs",
  "llabs",
  "exit",
  "abort",
  "atoi",
  "rand",
  "srand",
  "qsort",
  // <math.h>
  "sqrt",
  "fabs",
  "floor",
  "ceil",
  "round",
  "trunc",
  "fmod",
  "pow",
  "exp",
  "exp2",
  "log",
  "log2",
  "log10",
  "sin",
  "cos",
  "tan",
  "asin",
  "acos",
  "atan",
  "atan2",
  "sinh",
  "cosh",
  "tanh",
  "hypot",
  "fmin",
  "fmax",
  "cbrt",
  "sqrtf",
  "fabsf",
  "floorf",
  "ceilf",
  "roundf",
  "truncf",
  "fminf",
  "fmaxf",
  "powf",
  "expf",
  "logf",
  "sinf",
  "cosf",
  "fmodf",
  "exp2f",
  "log2f",
  "log10f",
  "tanf",
  "asinf",
  "acosf",
  "atanf",
  "atan2f",
  "sinhf",
  "coshf",
  "tanhf",
  "hypotf",
  "cbrtf",
  // <ctype.h>
  "isdigit",
  "isalpha",
  "isalnum",
  "isspace",
  "isupper",
  "islower",
  "isxdigit",
  "toupper",
  "tolower",
  // <assert.h>
  "__assert_fail",
];
