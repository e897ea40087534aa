#include <stdio.h>
#include <string.h>

typedef int (*Handler)(int *stack, int *sp);

static int op_push1(int *st, int *sp) { st[(*sp)++] = 1; return 0; }
static int op_dup(int *st, int *sp) { st[*sp] = st[*sp - 1]; (*sp)++; return 0; }
static int op_add(int *st, int *sp) { (*sp)--; st[*sp - 1] += st[*sp]; return 0; }
static int op_mul(int *st, int *sp) { (*sp)--; st[*sp - 1] *= st[*sp]; return 0; }
static int op_swap(int *st, int *sp) { int t = st[*sp - 1]; st[*sp - 1] = st[*sp - 2]; st[*sp - 2] = t; return 0; }
static int op_halt(int *st, int *sp) { (void)st; (void)sp; return 1; }

static const struct { const char *name; Handler fn; } table[] = {
  {"push1", op_push1}, {"dup", op_dup}, {"add", op_add}, {"mul", op_mul}, {"swap", op_swap}, {"halt", op_halt},
};

static Handler lookup(const char *name) {
  for (unsigned i = 0; i < sizeof table / sizeof table[0]; i++)
    if (strcmp(table[i].name, name) == 0) return table[i].fn;
  return 0;
}

int main(void) {
  const char *prog[] = {"push1", "dup", "add", "dup", "mul", "dup", "add", "push1", "swap", "dup", "mul",
                        "add", "bogus", "halt", "push1"};
  int stack[32], sp = 0;
  for (unsigned pc = 0; pc < sizeof prog / sizeof prog[0]; pc++) {
    Handler h = lookup(prog[pc]);
    if (!h) { printf("unknown op %s\n", prog[pc]); continue; }
    if (h(stack, &sp)) { printf("halt at %u\n", pc); break; }
    printf("%-5s sp=%d top=%d\n", prog[pc], sp, stack[sp - 1]);
  }
  return stack[0];
}
