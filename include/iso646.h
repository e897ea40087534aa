/* <iso646.h> of KP-C: alternative spellings of operators. */
#ifndef __KPLUG_ISO646_H
#define __KPLUG_ISO646_H
#define and &&
#define and_eq &=
#define bitand &
#define bitor |
#define compl ~
#define not !
#define not_eq !=
#define or ||
#define or_eq |=
#define xor ^
#define xor_eq ^=
#endif
