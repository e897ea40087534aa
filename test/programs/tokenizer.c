#include <stdio.h>
#include <string.h>

typedef enum { T_IDENT, T_NUMBER, T_STRING, T_PUNCT, T_KEYWORD, T_EOF, T_ERROR } TokKind;
typedef struct { TokKind kind; const char *start; int len; int line; long value; } Token;

static const char *keywords[] = {"int", "return", "if", "else", "while", "for", "struct", 0};
static const char *kind_names[] = {"ident", "number", "string", "punct", "keyword", "eof", "error"};

static int is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static int is_digit(char c) { return c >= '0' && c <= '9'; }

typedef struct { const char *p; int line; } Lexer;

static Token next(Lexer *lx) {
  for (;;) {
    while (*lx->p == ' ' || *lx->p == '\t' || *lx->p == '\n') {
      if (*lx->p == '\n') lx->line++;
      lx->p++;
    }
    if (lx->p[0] == '/' && lx->p[1] == '/') {
      while (*lx->p && *lx->p != '\n') lx->p++;
      continue;
    }
    if (lx->p[0] == '/' && lx->p[1] == '*') {
      lx->p += 2;
      while (*lx->p && !(lx->p[0] == '*' && lx->p[1] == '/')) {
        if (*lx->p == '\n') lx->line++;
        lx->p++;
      }
      if (*lx->p) lx->p += 2;
      continue;
    }
    break;
  }
  Token t = {T_EOF, lx->p, 0, lx->line, 0};
  char c = *lx->p;
  if (!c) return t;
  if (is_alpha(c)) {
    while (is_alpha(*lx->p) || is_digit(*lx->p)) lx->p++;
    t.len = (int)(lx->p - t.start);
    t.kind = T_IDENT;
    for (int i = 0; keywords[i]; i++)
      if ((int)strlen(keywords[i]) == t.len && strncmp(keywords[i], t.start, t.len) == 0) t.kind = T_KEYWORD;
    return t;
  }
  if (is_digit(c)) {
    long v = 0;
    if (c == '0' && (lx->p[1] == 'x' || lx->p[1] == 'X')) {
      lx->p += 2;
      for (;;) {
        char d = *lx->p;
        int dv = is_digit(d) ? d - '0' : (d >= 'a' && d <= 'f') ? d - 'a' + 10 : (d >= 'A' && d <= 'F') ? d - 'A' + 10 : -1;
        if (dv < 0) break;
        v = v * 16 + dv;
        lx->p++;
      }
    } else {
      while (is_digit(*lx->p)) v = v * 10 + (*lx->p++ - '0');
    }
    t.kind = T_NUMBER;
    t.value = v;
    t.len = (int)(lx->p - t.start);
    return t;
  }
  if (c == '"') {
    lx->p++;
    while (*lx->p && *lx->p != '"') {
      if (*lx->p == '\\' && lx->p[1]) lx->p++;
      lx->p++;
    }
    if (!*lx->p) { t.kind = T_ERROR; t.len = (int)(lx->p - t.start); return t; }
    lx->p++;
    t.kind = T_STRING;
    t.len = (int)(lx->p - t.start);
    return t;
  }
  static const char *puncts[] = {"<<=", ">>=", "==", "!=", "<=", ">=", "&&", "||", "->", "++", "--", "+=", "-=", "<<", ">>", 0};
  for (int i = 0; puncts[i]; i++) {
    int n = (int)strlen(puncts[i]);
    if (strncmp(lx->p, puncts[i], n) == 0) {
      lx->p += n;
      t.kind = T_PUNCT;
      t.len = n;
      return t;
    }
  }
  if (strchr("+-*/%=<>!&|^~?:;,.(){}[]", c)) {
    lx->p++;
    t.kind = T_PUNCT;
    t.len = 1;
    return t;
  }
  lx->p++;
  t.kind = T_ERROR;
  t.len = 1;
  return t;
}

int main(void) {
  const char *src =
    "int main(void) {\n"
    "  // comment\n"
    "  int x = 0x1F + 42; /* block\n comment */\n"
    "  x <<= 2; if (x >= 10 && x != 0) return x->y;\n"
    "  char *s = \"str\\\"ing\"; x++ @ 7;\n"
    "}\n";
  Lexer lx = {src, 1};
  int counts[7] = {0};
  long numsum = 0;
  for (;;) {
    Token t = next(&lx);
    counts[t.kind]++;
    if (t.kind == T_NUMBER) numsum += t.value;
    printf("%d:%-7s '%.*s'\n", t.line, kind_names[t.kind], t.len, t.start);
    if (t.kind == T_EOF) break;
  }
  for (int i = 0; i < 7; i++) printf("%s=%d ", kind_names[i], counts[i]);
  printf("\nnumsum=%ld\n", numsum);
  return counts[T_PUNCT];
}
