/* <stdio.h> of KP-C (wasm32, ILP32): its functions are host functions of the kplug kernel. */
#ifndef __KPLUG_STDIO_H
#define __KPLUG_STDIO_H
#ifndef __KPLUG_SIZE_T
#define __KPLUG_SIZE_T
typedef unsigned long size_t;
#endif
#ifndef NULL
#define NULL ((void *)0)
#endif
#define EOF (-1)
int printf(const char *format, ...);
int snprintf(char *buffer, size_t size, const char *format, ...);
int putchar(int c);
int puts(const char *s);
#endif
