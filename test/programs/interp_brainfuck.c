#include <stdio.h>
#include <string.h>

static int run(const char *prog, const char *input, char *out, int outcap) {
  unsigned char tape[30000];
  memset(tape, 0, sizeof tape);
  int jump[1024];
  int stack[256], sp = 0;
  int n = (int)strlen(prog);
  if (n > 1024) return -1;
  for (int i = 0; i < n; i++) {
    if (prog[i] == '[') stack[sp++] = i;
    else if (prog[i] == ']') {
      if (!sp) return -2;
      int j = stack[--sp];
      jump[i] = j;
      jump[j] = i;
    }
  }
  if (sp) return -2;
  int ptr = 0, o = 0;
  long steps = 0;
  for (int pc = 0; pc < n; pc++) {
    steps++;
    switch (prog[pc]) {
      case '>': ptr++; break;
      case '<': ptr--; break;
      case '+': tape[ptr]++; break;
      case '-': tape[ptr]--; break;
      case '.': if (o < outcap - 1) out[o++] = (char)tape[ptr]; break;
      case ',': tape[ptr] = *input ? (unsigned char)*input++ : 0; break;
      case '[': if (!tape[ptr]) pc = jump[pc]; break;
      case ']': if (tape[ptr]) pc = jump[pc]; break;
    }
  }
  out[o] = 0;
  printf("steps=%ld\n", steps);
  return o;
}

int main(void) {
  char out[256];
  const char *hello =
    "++++++++[>++++[>++>+++>+++>+<<<<-]>+>+>->>+[<]<-]>>.>---.+++++++..+++.>>.<-.<.+++.------.--------.>>+.";
  int n = run(hello, "", out, sizeof out);
  printf("out(%d)=%s", n, out);
  /* reverse input: read until 0, then print backwards */
  const char *rev = ">,[>,]<[.<]";
  n = run(rev, "kplug!", out, sizeof out);
  printf("rev(%d)=%s\n", n, out);
  /* add two digits: reads '3','4' prints '7' */
  const char *add = ",>,[<+>-]<------------------------------------------------.";
  n = run(add, "34", out, sizeof out);
  printf("add=%s\n", out);
  printf("unbalanced=%d\n", run("[[]", "", out, sizeof out));
  return n + out[0];
}
