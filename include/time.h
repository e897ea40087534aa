/* <time.h> of KP-C (wasm32, ILP32). clock() counts the fuel the current call has spent (one
   tick per 1000 units, about a microsecond of work): deterministic, it reveals nothing about
   the host. time() is the host's wall clock in seconds. */
#ifndef __KPLUG_TIME_H
#define __KPLUG_TIME_H
#ifndef NULL
#define NULL ((void *)0)
#endif
typedef long clock_t;
typedef long time_t;
#define CLOCKS_PER_SEC 1000000L
clock_t clock(void);
time_t time(time_t *t);
double difftime(time_t a, time_t b);
#endif
