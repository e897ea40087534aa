/* stdout through every output function, printf-family forwarding with va_list (vprintf,
   vfprintf, vsnprintf, vsprintf), sprintf return values, stderr (not compared) interleaved,
   and fopen failing with errno as when the file is missing or not writable. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int say(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vprintf(fmt, ap);
  va_end(ap);
  return n;
}

static int to(FILE *f, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vfprintf(f, fmt, ap);
  va_end(ap);
  return n;
}

static char *format(char *buf, size_t size, const char *fmt, ...) {
  va_list ap, copy;
  va_start(ap, fmt);
  va_copy(copy, ap);
  int need = vsnprintf(NULL, 0, fmt, copy);
  va_end(copy);
  int n = vsnprintf(buf, size, fmt, ap);
  va_end(ap);
  printf("format needs %d, wrote %d\n", need, n);
  return buf;
}

static int build(char *buf, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsprintf(buf, fmt, ap);
  va_end(ap);
  return n;
}

int main(void) {
  FILE *out = stdout;
  printf("say: %d\n", say("%s=%d (%5.2f)\n", "pi", 3, 3.14159));
  printf("to: %d\n", to(out, "%-6s|%+d|%x\n", "left", 7, 255u));
  to(stderr, "this goes to stderr %d\n", 1);
  char buf[64];
  puts(format(buf, 10, "%s %s %s", "truncated", "after", "ten"));
  puts(format(buf, sizeof buf, "%08.3f|%c|%%|%lld", -2.5, 'q', -1234567890123LL));
  printf("sprintf: %d ", sprintf(buf, "%d-%d-%d", 1, 22, 333));
  puts(buf);
  printf("vsprintf: %d %s\n", build(buf, "[%*d]", 6, 42), buf);
  fprintf(stdout, "fprintf %s %u\n", "stdout", 4000000000u);
  fputs("fputs no newline; ", stdout);
  fputs("then one\n", out);
  fputc('A', stdout);
  putc('B', stdout);
  putchar('\n');
  printf("fwrite: %zu\n", fwrite("0123456789", 3, 3, stdout));
  printf("\nfwrite zero: %zu\n", fwrite("x", 0, 5, stdout));
  fflush(stdout);
  fflush(NULL);
  errno = 0;
  FILE *f = fopen("/nonexistent/kplug/input.txt", "r");
  printf("fopen r: %s errno=%s\n", f ? "opened" : "NULL", errno == ENOENT ? "ENOENT" : "other");
  perror("fopen");
  fprintf(stderr, "%s\n", "stderr again");
  printf("feof(stdout)=%d ferror(stdout)=%d\n", feof(stdout), ferror(stdout));
  return 0;
}
