/* <setjmp.h> of KP-C. setjmp is not a function: the compiler saves a re-entry point of the
   calling frame (cc/lower-cfg.ts), so it may only appear as C11 7.13.1.1 allows (the whole
   controlling expression of if/while/for/do/switch, compared with a constant, under `!`, or a
   whole expression statement, possibly assigned to a variable), and its address is not taken.
   longjmp is the kernel's: it throws to the setjmp frame still running that saved `env`; an env
   whose frame has returned (or that no setjmp saved) faults the plugin with kind `longjmp`. */
#ifndef __KPLUG_SETJMP_H
#define __KPLUG_SETJMP_H
/* The saving frame's invocation id (8 bytes), its setjmp site, and a spare word. */
typedef int jmp_buf[4];
int setjmp(jmp_buf env);
void longjmp(jmp_buf env, int val);
#define setjmp(env) setjmp(env)
#define _setjmp(env) setjmp(env)
#define _longjmp(env, val) longjmp(env, val)
#endif
