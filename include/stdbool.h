/* <stdbool.h> of KP-C, the C of kplug plugins (wasm32, ILP32: int, long and pointers are 32 bits). */
#ifndef __KPLUG_STDBOOL_H
#define __KPLUG_STDBOOL_H
#define bool _Bool
#define true 1
#define false 0
#define __bool_true_false_are_defined 1
#endif
