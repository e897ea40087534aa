/* interp: a register bytecode VM (switch dispatch) running a hashing loop of n iterations. */
#include <stdint.h>
#include <stdlib.h>

enum { OP_LOADI, OP_ADD, OP_SUB, OP_MUL, OP_XOR, OP_AND, OP_SHR, OP_JLT, OP_JMP, OP_HALT };

typedef struct {
  uint8_t op;
  uint8_t a;
  uint8_t b;
  uint8_t c;
  int32_t imm;
} Insn;

enum { LOOP_START = 6 };

static Insn program[32];
static int program_len;

static void emit(int op, int a, int b, int c, int32_t imm) {
  Insn *i = &program[program_len++];
  i->op = (uint8_t)op;
  i->a = (uint8_t)a;
  i->b = (uint8_t)b;
  i->c = (uint8_t)c;
  i->imm = imm;
}

int setup(int n) {
  (void)n;
  program_len = 0;
  emit(OP_LOADI, 0, 0, 0, 0);          /* r0 = i */
  emit(OP_LOADI, 1, 0, 0, 0);          /* r1 = n, patched by run() */
  emit(OP_LOADI, 2, 0, 0, 17);         /* r2 = acc */
  emit(OP_LOADI, 3, 0, 0, 1);          /* r3 = 1 */
  emit(OP_LOADI, 4, 0, 0, 0x3fffffff); /* r4 = mask */
  emit(OP_LOADI, 7, 0, 0, 3);          /* r7 = shift */
  emit(OP_MUL, 5, 0, 0, 0);            /* loop: r5 = i * i */
  emit(OP_XOR, 5, 5, 2, 0);            /* r5 ^= acc */
  emit(OP_SHR, 6, 2, 7, 0);            /* r6 = acc >> 3 */
  emit(OP_ADD, 2, 5, 6, 0);            /* acc = r5 + r6 */
  emit(OP_SUB, 2, 2, 0, 0);            /* acc -= i */
  emit(OP_AND, 2, 2, 4, 0);            /* acc &= mask */
  emit(OP_ADD, 0, 0, 3, 0);            /* i++ */
  emit(OP_JLT, 0, 1, 0, LOOP_START);   /* if i < n goto loop */
  emit(OP_HALT, 2, 0, 0, 0);
  return 0;
}

static uint32_t execute(const Insn *code) {
  uint32_t r[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int pc = 0;
  for (;;) {
    const Insn *i = &code[pc++];
    switch (i->op) {
      case OP_LOADI: r[i->a] = (uint32_t)i->imm; break;
      case OP_ADD: r[i->a] = r[i->b] + r[i->c]; break;
      case OP_SUB: r[i->a] = r[i->b] - r[i->c]; break;
      case OP_MUL: r[i->a] = r[i->b] * r[i->c]; break;
      case OP_XOR: r[i->a] = r[i->b] ^ r[i->c]; break;
      case OP_AND: r[i->a] = r[i->b] & r[i->c]; break;
      case OP_SHR: r[i->a] = r[i->b] >> (r[i->c] & 31); break;
      case OP_JLT:
        if (r[i->a] < r[i->b]) pc = i->imm;
        break;
      case OP_JMP: pc = i->imm; break;
      case OP_HALT: return r[i->a];
      default: return 0xBADC0DEu;
    }
  }
}

uint32_t run(int n) {
  program[1].imm = n;
  return execute(program);
}
