#include <stdio.h>
#include <stdint.h>

/* A register machine with 32-bit encoded instructions: op(8) a(8) b(8) c(8) */
enum { LI, ADD, SUB, MUL, AND, XOR, SHL, SHR, BLT, BNE, JMP, OUT, HALT, ADDI };
#define INS(op, a, b, c) ((uint32_t)(op) << 24 | (uint32_t)(a) << 16 | (uint32_t)(b) << 8 | (uint32_t)(uint8_t)(c))

static uint32_t regs[16];

static long exec(const uint32_t *code, int n) {
  int pc = 0;
  long count = 0;
  while (pc < n) {
    uint32_t ins = code[pc++];
    int op = ins >> 24, a = (ins >> 16) & 0xff, b = (ins >> 8) & 0xff;
    int8_t c = (int8_t)(ins & 0xff);
    count++;
    switch (op) {
      case LI: regs[a] = (uint32_t)((b << 8) | (uint8_t)c); break;
      case ADD: regs[a] = regs[b] + regs[(uint8_t)c]; break;
      case ADDI: regs[a] = regs[b] + (uint32_t)(int32_t)c; break;
      case SUB: regs[a] = regs[b] - regs[(uint8_t)c]; break;
      case MUL: regs[a] = regs[b] * regs[(uint8_t)c]; break;
      case AND: regs[a] = regs[b] & regs[(uint8_t)c]; break;
      case XOR: regs[a] = regs[b] ^ regs[(uint8_t)c]; break;
      case SHL: regs[a] = regs[b] << (c & 31); break;
      case SHR: regs[a] = regs[b] >> (c & 31); break;
      case BLT: if ((int32_t)regs[a] < (int32_t)regs[b]) pc += c; break;
      case BNE: if (regs[a] != regs[b]) pc += c; break;
      case JMP: pc += c; break;
      case OUT: printf("r%d=%u\n", a, regs[a]); break;
      case HALT: return count;
    }
  }
  return count;
}

int main(void) {
  /* compute a hash over i in [0, 5000): h = (h ^ i) * 16777619 */
  uint32_t prog[] = {
    INS(LI, 1, 0, 0),          /* i = 0 */
    INS(LI, 2, 0x13, 0x88),    /* n = 5000 */
    INS(LI, 3, 0x81, 0x1c),    /* h = 0x811c */
    INS(SHL, 3, 3, 16),        /* h <<= 16 */
    INS(LI, 5, 0x9d, 0xc5),
    INS(ADD, 3, 3, 5),         /* h = 0x811c9dc5 */
    INS(LI, 4, 0x01, 0x93),    /* prime low = 0x0193 */
    INS(LI, 6, 0x01, 0x00),    /* 0x0100 */
    INS(SHL, 6, 6, 16),        /* 0x01000000 */
    INS(ADD, 4, 4, 6),         /* 16777619 */
    /* loop: */
    INS(XOR, 3, 3, 1),
    INS(MUL, 3, 3, 4),
    INS(ADDI, 1, 1, 1),
    INS(BLT, 1, 2, -4),
    INS(OUT, 3, 0, 0),
    INS(OUT, 1, 0, 0),
    INS(HALT, 0, 0, 0),
  };
  long n = exec(prog, sizeof prog / sizeof prog[0]);
  printf("executed %ld instructions\n", n);
  uint32_t h = 2166136261u;
  for (uint32_t i = 0; i < 5000; i++) h = (h ^ i) * 16777619u;
  printf("native=%u match=%d\n", h, h == regs[3]);
  return (int)(regs[3] & 0xff);
}
