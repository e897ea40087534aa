#include <stdio.h>

static const char *describe(int kind, int sub) {
  switch (kind) {
    case 0:
      switch (sub) {
        case 0: return "zero/zero";
        case 1: return "zero/one";
        default: break;
      }
      return "zero/other";
    case 1: {
      const char *r = "one";
      switch (sub & 1) {
        case 0: r = "one/even"; break;
        case 1: r = "one/odd"; break;
      }
      return r;
    }
    default:
      return "other";
  }
}

int main(void) {
  int total = 0;
  for (int k = 0; k < 3; k++)
    for (int s = 0; s < 4; s++) {
      const char *d = describe(k, s);
      printf("%d %d %s\n", k, s, d);
      total += d[0];
    }
  /* switch inside while inside switch; break only exits innermost */
  int state = 0, steps = 0;
  int running = 1;
  while (running) {
    switch (state) {
      case 0: state = 2; break;
      case 1: running = 0; break;
      case 2:
        for (int i = 0; i < 3; i++) {
          switch (i) {
            case 1: steps += 10; break;
            default: steps++;
          }
        }
        state = 1;
        break;
    }
    steps++;
  }
  printf("steps=%d\n", steps);
  return (total + steps) & 0xff;
}
