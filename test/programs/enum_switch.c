#include <stdio.h>

typedef enum { OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_NEG, OP_NOP } Op;

static int apply(Op op, int a, int b) {
  switch (op) {
    case OP_ADD: return a + b;
    case OP_SUB: return a - b;
    case OP_MUL: return a * b;
    case OP_DIV: return b ? a / b : 0;
    case OP_NEG: return -a;
    default: return a;
  }
}

static const char *opname(Op op) {
  switch (op) {
    case OP_ADD: return "add";
    case OP_SUB: return "sub";
    case OP_MUL: return "mul";
    case OP_DIV: return "div";
    case OP_NEG: return "neg";
    case OP_NOP: break;
  }
  return "nop";
}

int main(void) {
  int acc = 7;
  Op prog[] = {OP_ADD, OP_MUL, OP_SUB, OP_NEG, OP_DIV, OP_NOP, OP_MUL, OP_ADD};
  int args[] = {5, 3, 4, 0, 3, 0, -2, 100};
  for (int i = 0; i < 8; i++) {
    acc = apply(prog[i], acc, args[i]);
    printf("%s %d -> %d\n", opname(prog[i]), args[i], acc);
  }
  return acc;
}
