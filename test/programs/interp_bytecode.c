#include <stdio.h>
#include <string.h>

/* A small stack-based bytecode VM with calls, locals and jumps. */
enum {
  OP_PUSH, OP_POP, OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD, OP_LT, OP_EQ, OP_JMP, OP_JZ,
  OP_LOAD, OP_STORE, OP_CALL, OP_RET, OP_PRINT, OP_HALT, OP_DUP
};

static const char *names[] = {"push", "pop", "add", "sub", "mul", "div", "mod", "lt", "eq", "jmp", "jz",
                              "load", "store", "call", "ret", "print", "halt", "dup"};

typedef struct { int ret_pc; int base; } Frame;

static int run(const int *code, int trace, long *steps_out) {
  int stack[256], sp = 0;
  Frame frames[64];
  int fp = 0, base = 0, pc = 0;
  long steps = 0;
  for (;;) {
    int op = code[pc++];
    steps++;
    if (trace) printf("%4d %-6s sp=%d\n", pc - 1, names[op], sp);
    switch (op) {
      case OP_PUSH: stack[sp++] = code[pc++]; break;
      case OP_POP: sp--; break;
      case OP_DUP: stack[sp] = stack[sp - 1]; sp++; break;
      case OP_ADD: sp--; stack[sp - 1] += stack[sp]; break;
      case OP_SUB: sp--; stack[sp - 1] -= stack[sp]; break;
      case OP_MUL: sp--; stack[sp - 1] *= stack[sp]; break;
      case OP_DIV: sp--; stack[sp - 1] /= stack[sp]; break;
      case OP_MOD: sp--; stack[sp - 1] %= stack[sp]; break;
      case OP_LT: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
      case OP_EQ: sp--; stack[sp - 1] = stack[sp - 1] == stack[sp]; break;
      case OP_JMP: pc = code[pc]; break;
      case OP_JZ: { int t = code[pc++]; if (!stack[--sp]) pc = t; break; }
      case OP_LOAD: stack[sp] = stack[base + code[pc++]]; sp++; break;
      case OP_STORE: stack[base + code[pc++]] = stack[--sp]; break;
      case OP_CALL: {
        int target = code[pc++], nargs = code[pc++];
        frames[fp].ret_pc = pc;
        frames[fp].base = base;
        fp++;
        base = sp - nargs;
        pc = target;
        break;
      }
      case OP_RET: {
        int v = stack[--sp];
        sp = base;
        fp--;
        pc = frames[fp].ret_pc;
        base = frames[fp].base;
        stack[sp++] = v;
        break;
      }
      case OP_PRINT: printf("out: %d\n", stack[--sp]); break;
      case OP_HALT: *steps_out = steps; return sp ? stack[sp - 1] : 0;
      default: printf("bad op %d\n", op); return -1;
    }
  }
}

int main(void) {
  /* fib(n) recursive: function at address 12 */
  int prog[] = {
    /* 0: main */ OP_PUSH, 20, OP_CALL, 12, 1, OP_DUP, OP_PRINT, OP_HALT, 0, 0, 0, 0,
    /* 12: fib(n) */ OP_LOAD, 0, OP_PUSH, 2, OP_LT, OP_JZ, 22, OP_LOAD, 0, OP_RET,
    /* 22 */ OP_LOAD, 0, OP_PUSH, 1, OP_SUB, OP_CALL, 12, 1,
    /* 30 */ OP_LOAD, 0, OP_PUSH, 2, OP_SUB, OP_CALL, 12, 1, OP_ADD, OP_RET};
  long steps = 0;
  int r = run(prog, 0, &steps);
  printf("fib result=%d steps=%ld\n", r, steps);
  /* loop: sum of i*i for i<100 with locals on stack (slot0=i, slot1=acc) */
  int loop[] = {
    OP_PUSH, 0, OP_PUSH, 0,
    /* 4 */ OP_LOAD, 0, OP_PUSH, 100, OP_LT, OP_JZ, 30,
    /* 11 */ OP_LOAD, 1, OP_LOAD, 0, OP_LOAD, 0, OP_MUL, OP_ADD, OP_STORE, 1,
    /* 21 */ OP_LOAD, 0, OP_PUSH, 1, OP_ADD, OP_STORE, 0, OP_JMP, 4,
    /* 30 */ OP_LOAD, 1, OP_PRINT, OP_PUSH, 7, OP_HALT};
  r = run(loop, 0, &steps);
  printf("loop result=%d steps=%ld\n", r, steps);
  int tiny[] = {OP_PUSH, 6, OP_PUSH, 7, OP_MUL, OP_PUSH, 5, OP_MOD, OP_HALT};
  r = run(tiny, 1, &steps);
  printf("tiny=%d\n", r);
  return r;
}
