// printf and the libc built-ins against glibc: the same C program is built by gcc -m32 and run
// by kplug, and the outputs must be identical.

import assert from "node:assert/strict";
import { test } from "node:test";
import { runProgram } from "../../kernel/index.ts";
import { gccRun } from "./gcc.ts";

function differential(name: string, source: string, args: string[] = []): void {
  const expected = gccRun(source, args);
  if (!expected) {
    test.skip(`${name} (no gcc -m32 oracle)`);
    return;
  }
  test(name, () => {
    const got = runProgram(source, { file: `${name}.c`, args });
    assert.equal(got.diagnostics?.includes("error") ? got.diagnostics : "", "");
    assert.equal(got.stderr, "");
    const want = expected.stdout.split("\n");
    const have = got.stdout.split("\n");
    for (let i = 0; i < Math.max(want.length, have.length); i++) {
      assert.equal(have[i], want[i], `line ${i + 1}`);
    }
    assert.equal(got.exitCode, expected.status);
  });
}

const flagSets = ["", "-", "+", " ", "#", "0", "-+", "+0", "# ", "-#", "0#"];
const widths = ["", "1", "8", "*"];
const precisions = ["", ".0", ".1", ".3", ".12", ".*"];

function combos(convs: string[], values: string[], length = ""): string {
  const lines: string[] = [];
  for (const conv of convs) {
    for (const flags of flagSets) {
      for (const width of widths) {
        for (const prec of precisions) {
          const fmt = `%${flags}${width}${prec}${length}${conv}`;
          const extra = [width === "*" ? "7" : "", prec === ".*" ? "2" : ""].filter(Boolean);
          for (const v of values) {
            lines.push(`  printf("[${fmt}]\\n", ${[...extra, v].join(", ")});`);
          }
        }
      }
    }
  }
  return lines.join("\n");
}

differential(
  "printf_integers",
  `#include <stdio.h>
int main(void) {
${combos(["d", "i"], ["0", "42", "-42", "2147483647", "(-2147483647 - 1)"])}
${combos(["u", "x", "X", "o"], ["0", "42", "4294967295u", "0x80000000u"])}
${combos(["d", "x"], ["0LL", "-1234567890123LL", "9223372036854775807LL"], "ll")}
${combos(["d", "u"], ["300", "-129", "65537"], "hh")}
${combos(["d", "x"], ["70000", "-32769"], "h")}
  printf("%zu %zd %td %jd %ju %lu %ld\\n", (unsigned long)4000000000u, (long)-5, (long)-6, (long long)-7, (unsigned long long)-1, 4294967295ul, -8l);
  return 0;
}
`,
);

differential(
  "printf_floats",
  `#include <stdio.h>
int main(void) {
${combos(["f", "e", "g", "E", "G"], ["0.0", "-0.0", "1.0", "0.125", "2.5", "-1.5e-7", "123456789.987654321", "1e300", "5e-324", "0.1", "9.9999999"])}
  double vals[] = { 0.5, 1.5, 2.5, 0.045, 1.005, 2.675, 1e22, 1e23, 9007199254740993.0, 1.0 / 3.0, 2.0 / 3.0, 100.0, 1e-5, 123456.0, 1234567.0, 0.0001, 0.00001 };
  for (int i = 0; i < (int)(sizeof vals / sizeof vals[0]); i++) {
    double v = vals[i];
    printf("%.0f|%.1f|%.2f|%.17f|%.30e|%.0e|%g|%.1g|%.15g|%.17g|%#g|%#.0f|%#.0e\\n", v, v, v, v, v, v, v, v, v, v, v, v, v);
  }
  double inf = 1.0 / 0.0, nan = 0.0 / 0.0;
  printf("[%f][%e][%g][%F][%E][%G][%8.2f][%-8f|][%+f][%08f]\\n", inf, -inf, inf, inf, -inf, inf, inf, -inf, inf, -inf);
  printf("[%f][%F][%+f][% 6f]\\n", -nan, -nan, -nan, -nan);
  printf("%.40f\\n%.60e\\n", 1e-20, 1.0 / 7.0);
  printf("%a %a %a %A %.3a %.0a %a\\n", 1.0, 0.1, -2.5, 255.5, 3.14159, 1.5, 5e-324);
  float f = 3.14159f;
  printf("%f %g %e\\n", f, f, f);
  return 0;
}
`,
);

differential(
  "printf_strings_chars_pointers",
  `#include <stdio.h>
int main(void) {
  const char *s = "hello";
  printf("[%s][%10s][%-10s][%.2s][%10.3s][%-10.3s|][%.0s][%s]\\n", s, s, s, s, s, s, s, "");
  printf("[%s][%.3s][%.8s][%10s]\\n", (char *)0, (char *)0, (char *)0, (char *)0);
  printf("[%c][%5c][%-5c][%c%c%c]\\n", 'a', 'b', 'c', 'x', 'y', 'z');
  printf("[%p][%p][%20p][%-20p|]\\n", (void *)0, (void *)16, (void *)0x1234, (void *)255);
  printf("[%%][%5%][%-5%][%y][%]\\n");
  int n1 = 0, n2 = 0;
  printf("abc%ndef%n\\n", &n1, &n2);
  printf("%d %d\\n", n1, n2);
  char buf[16];
  int len = snprintf(buf, sizeof buf, "%s-%d-%s", "a long string", 12345, "tail");
  printf("%d [%s]\\n", len, buf);
  len = snprintf(buf, 0, "%d", 123456);
  printf("%d\\n", len);
  len = snprintf(buf, 4, "%x", 0xabcdef);
  printf("%d [%s]\\n", len, buf);
  printf("%d\\n", printf("%s|%5d|\\n", "count me", 7));
  return 3;
}
`,
);

differential(
  "libc_strings_stdlib",
  `#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
static int cmp_int(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }
struct rec { int key; int order; };
static int cmp_rec(const void *a, const void *b) { return ((const struct rec *)a)->key - ((const struct rec *)b)->key; }
int main(int argc, char **argv) {
  printf("argc=%d argv0=%s argv1=%s\\n", argc, argc > 0 ? "set" : "none", argc > 1 ? argv[1] : "-");
  char a[32] = "hello", b[32];
  strcpy(b, a);
  strcat(b, ", world");
  printf("%s %u %d %d %d\\n", b, (unsigned)strlen(b), strcmp(a, b) < 0, strncmp(a, b, 5), memcmp(a, "help", 4) > 0);
  printf("%s|%s|%s|%s\\n", strchr(b, 'o'), strrchr(b, 'o'), strstr(b, "wor"), strchr(b, 'z') ? "found" : "null");
  char c[8];
  strncpy(c, "abcdefghij", 8);
  printf("%.8s %d\\n", c, strncpy(c, "ab", 8)[5]);
  memset(c, 'x', 3); c[3] = 0;
  memmove(b + 2, b, 5);
  printf("%s %s\\n", c, b);
  printf("%d %d %d %d %d %d\\n", atoi("  -123abc"), atoi("+42"), atoi("99999999999"), atoi("-99999999999"), atoi("x"), atoi("2147483647"));
  printf("%d %ld %lld\\n", abs(-5), labs(-6L), llabs(-7000000000LL));
  srand(1);
  for (int i = 0; i < 5; i++) printf("%d ", rand());
  srand(12345);
  for (int i = 0; i < 5; i++) printf("%d ", rand() % 1000);
  printf("\\n");
  int v[10] = {5, 3, 9, 1, 7, 3, 8, 2, 6, 0};
  qsort(v, 10, sizeof v[0], cmp_int);
  for (int i = 0; i < 10; i++) printf("%d ", v[i]);
  printf("\\n");
  struct rec r[8];
  for (int i = 0; i < 8; i++) { r[i].key = (i * 5) % 3; r[i].order = i; }
  qsort(r, 8, sizeof r[0], cmp_rec);
  for (int i = 0; i < 8; i++) printf("%d/%d ", r[i].key, r[i].order);
  printf("\\n");
  for (int ch = -1; ch < 128; ch += 7) printf("%d:%d%d%d%d%d%d%d%c%c ", ch, !!isdigit(ch), !!isalpha(ch), !!isalnum(ch), !!isspace(ch), !!isupper(ch), !!islower(ch), !!isxdigit(ch), ch > 31 ? toupper(ch) : '.', ch > 31 ? tolower(ch) : '.');
  printf("\\n%d %d\\n", isdigit('7'), isalpha('Q'));
  int *p = malloc(100 * sizeof(int));
  for (int i = 0; i < 100; i++) p[i] = i;
  p = realloc(p, 1000 * sizeof(int));
  int *z = calloc(50, sizeof(int));
  long sum = 0;
  for (int i = 0; i < 100; i++) sum += p[i];
  for (int i = 0; i < 50; i++) sum += z[i];
  free(p); free(z); free(0);
  puts("puts line");
  putchar('!'); putchar('\\n');
  printf("%ld\\n", sum);
  exit(7);
}
`,
  ["first"],
);

differential(
  "libc_math",
  `#include <stdio.h>
#include <math.h>
int main(void) {
  double xs[] = { -2.5, -1.5, -0.5, -0.3, 0.0, 0.3, 0.5, 1.5, 2.5, 3.7, 10.0, 1e10 };
  for (int i = 0; i < 12; i++) {
    double x = xs[i];
    printf("%g %g %g %g %g %g %g %g\\n", round(x), floor(x), ceil(x), trunc(x), fabs(x), fmod(x, 0.7), roundf((float)x), fmin(x, 1.0));
  }
  printf("%.15g %.15g %.15g %.15g %.15g\\n", sqrt(2.0), pow(2.0, 0.5), exp(1.0), log(10.0), log2(8.0));
  printf("%.15g %.15g %.15g %.15g %.15g\\n", log10(1000.0), sin(1.0), cos(1.0), tan(1.0), atan2(1.0, 2.0));
  printf("%.15g %.15g %.15g %.15g\\n", hypot(3.0, 4.0), cbrt(27.0), exp2(10.0), fmax(-0.0, 2.0));
  printf("%.6g %.6g %.6g\\n", (double)sqrtf(2.0f), (double)powf(2.0f, 10.0f), (double)sinf(0.5f));
  return 0;
}
`,
);
