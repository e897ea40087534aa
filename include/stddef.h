/* <stddef.h> of KP-C, the C of kplug plugins (wasm32, ILP32: int, long and pointers are 32 bits). */
#ifndef __KPLUG_STDDEF_H
#define __KPLUG_STDDEF_H
#ifndef __KPLUG_SIZE_T
#define __KPLUG_SIZE_T
typedef unsigned long size_t;
#endif
#ifndef NULL
#define NULL ((void *)0)
#endif
typedef long ptrdiff_t;
typedef int wchar_t;
#define offsetof(type, member) __builtin_offsetof(type, member)
#endif
