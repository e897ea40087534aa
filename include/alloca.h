/* <alloca.h> of KP-C: alloca(n) takes n bytes of the calling function's stack frame (on the
   shadow stack), freed when that function returns; too big a request is a stack-exhausted
   fault. */
#ifndef __KPLUG_ALLOCA_H
#define __KPLUG_ALLOCA_H
#include <stddef.h>
#define alloca(size) __builtin_alloca(size)
#endif
