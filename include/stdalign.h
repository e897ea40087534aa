/* <stdalign.h> of KP-C, the C of kplug plugins (C11 7.15). */
#ifndef __KPLUG_STDALIGN_H
#define __KPLUG_STDALIGN_H
#define alignas _Alignas
#define alignof _Alignof
#define __alignas_is_defined 1
#define __alignof_is_defined 1
#endif
