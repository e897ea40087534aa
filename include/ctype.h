/* <ctype.h> of KP-C (wasm32, ILP32): its functions are host functions of the kplug kernel. */
#ifndef __KPLUG_CTYPE_H
#define __KPLUG_CTYPE_H
int isdigit(int c);
int isalpha(int c);
int isalnum(int c);
int isspace(int c);
int isupper(int c);
int islower(int c);
int isxdigit(int c);
int isprint(int c);
int isgraph(int c);
int ispunct(int c);
int iscntrl(int c);
int isblank(int c);
int toupper(int c);
int tolower(int c);
#endif
