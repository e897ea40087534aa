/* <stdarg.h> of KP-C (wasm32): va_list is a cursor into the caller's variadic arguments (see
   cc/stdarg.ts for the layout); the macros are compiler builtins. */
#ifndef __KPLUG_STDARG_H
#define __KPLUG_STDARG_H
#ifndef __KPLUG_VA_LIST
#define __KPLUG_VA_LIST
typedef char *__gnuc_va_list;
#endif
typedef __gnuc_va_list va_list;
#define va_start(ap, last) __builtin_va_start(ap, last)
#define va_arg(ap, type) __builtin_va_arg(ap, type)
#define va_copy(dest, src) __builtin_va_copy(dest, src)
#define __va_copy(dest, src) __builtin_va_copy(dest, src)
#define va_end(ap) __builtin_va_end(ap)
#endif
