/* Reads its stdin (stdin_records.stdin) with every input function: scanf for a header,
   fgets for lines, sscanf on them, getchar/ungetc for a tail, fread for the rest; then
   checks EOF, clearerr and that reads after the end keep failing. */
#include <stdio.h>
#include <string.h>

int main(void) {
  int count = 0;
  char title[32];
  if (scanf("%d %31s", &count, title) != 2) return 10;
  printf("header: %d records, title %s\n", count, title);
  int c = getchar(); /* the newline after the header */
  printf("after header: %d\n", c);
  char line[64];
  double total = 0;
  for (int i = 0; i < count; i++) {
    if (!fgets(line, sizeof line, stdin)) return 11;
    char name[16];
    int qty;
    double price;
    int n = sscanf(line, "%15[^,],%d,%lf", name, &qty, &price);
    printf("line %d (%zu bytes): %d fields name=%s qty=%d price=%.2f\n", i, strlen(line), n, name,
           qty, price);
    if (n == 3) total += qty * price;
  }
  printf("total %.2f\n", total);
  /* A short buffer splits a long line. */
  char small[8];
  while (fgets(small, sizeof small, stdin)) {
    printf("chunk <%s>\n", small);
    if (strchr(small, '\n')) break;
  }
  c = getchar();
  printf("peek %c\n", c);
  ungetc(c, stdin);
  int number = 0;
  scanf("%d", &number);
  printf("number %d\n", number);
  char rest[256];
  size_t got = fread(rest, 1, sizeof rest - 1, stdin);
  rest[got] = 0;
  printf("fread %zu bytes: [%s] eof=%d\n", got, rest, feof(stdin) != 0);
  printf("getchar at end: %d, fgets: %s, scanf: %d\n", getchar(),
         fgets(line, sizeof line, stdin) ? "line" : "NULL", scanf("%d", &number));
  clearerr(stdin);
  printf("after clearerr: eof=%d error=%d\n", feof(stdin), ferror(stdin));
  printf("fgets with n=1: %s\n", fgets(line, 1, stdin) == line && line[0] == 0 ? "empty" : "?");
  return count;
}
