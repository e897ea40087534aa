#include <stdio.h>
#include <string.h>

typedef struct { const char *p; int depth, max_depth, strings, numbers, literals, errors; double numsum; } J;

static void ws(J *j) { while (*j->p == ' ' || *j->p == '\n' || *j->p == '\t' || *j->p == '\r') j->p++; }

static int value(J *j);

static int string(J *j) {
  if (*j->p != '"') return 0;
  j->p++;
  while (*j->p && *j->p != '"') {
    if (*j->p == '\\') {
      j->p++;
      if (*j->p == 'u') { for (int i = 0; i < 4; i++) if (!*++j->p) return 0; }
    }
    if (!*j->p) return 0;
    j->p++;
  }
  if (*j->p != '"') return 0;
  j->p++;
  j->strings++;
  return 1;
}

static int number(J *j) {
  const char *s = j->p;
  int neg = 0;
  if (*j->p == '-') { neg = 1; j->p++; }
  double v = 0;
  if (!(*j->p >= '0' && *j->p <= '9')) return 0;
  while (*j->p >= '0' && *j->p <= '9') v = v * 10 + (*j->p++ - '0');
  if (*j->p == '.') {
    j->p++;
    double scale = 0.1;
    while (*j->p >= '0' && *j->p <= '9') { v += (*j->p++ - '0') * scale; scale /= 10; }
  }
  if (*j->p == 'e' || *j->p == 'E') {
    j->p++;
    int esign = 1, e = 0;
    if (*j->p == '-') { esign = -1; j->p++; } else if (*j->p == '+') j->p++;
    while (*j->p >= '0' && *j->p <= '9') e = e * 10 + (*j->p++ - '0');
    while (e--) v = esign > 0 ? v * 10 : v / 10;
  }
  j->numsum += neg ? -v : v;
  j->numbers++;
  return j->p > s;
}

static int container(J *j, char open, char close, int is_obj) {
  j->p++;
  if (++j->depth > j->max_depth) j->max_depth = j->depth;
  ws(j);
  if (*j->p == close) { j->p++; j->depth--; return 1; }
  for (;;) {
    ws(j);
    if (is_obj) {
      if (!string(j)) return 0;
      ws(j);
      if (*j->p++ != ':') return 0;
    }
    if (!value(j)) return 0;
    ws(j);
    if (*j->p == ',') { j->p++; continue; }
    if (*j->p == close) { j->p++; j->depth--; return 1; }
    return 0;
  }
  (void)open;
}

static int value(J *j) {
  ws(j);
  switch (*j->p) {
    case '{': return container(j, '{', '}', 1);
    case '[': return container(j, '[', ']', 0);
    case '"': return string(j);
    case 't': if (!strncmp(j->p, "true", 4)) { j->p += 4; j->literals++; return 1; } return 0;
    case 'f': if (!strncmp(j->p, "false", 5)) { j->p += 5; j->literals++; return 1; } return 0;
    case 'n': if (!strncmp(j->p, "null", 4)) { j->p += 4; j->literals++; return 1; } return 0;
    default: return number(j);
  }
}

int main(void) {
  const char *docs[] = {
    "{\"name\": \"kplug\", \"version\": 1.5, \"tags\": [\"wasm\", \"c\", \"plugins\"], \"ok\": true}",
    "[1, 2.5, -3e2, 4E-1, [[], {}], {\"a\": {\"b\": {\"c\": null}}}]",
    "{\"esc\": \"quote\\\" and \\u00e9\", \"n\": -0.25}",
    "[1, 2,]",
    "{\"unterminated\": \"abc",
    "  42  ",
  };
  int valid = 0;
  for (int i = 0; i < 6; i++) {
    J j = {docs[i], 0, 0, 0, 0, 0, 0, 0};
    int ok = value(&j);
    ws(&j);
    ok = ok && *j.p == 0;
    valid += ok;
    printf("doc %d: %s strings=%d numbers=%d literals=%d depth=%d sum=%.3f\n", i, ok ? "valid" : "INVALID", j.strings,
           j.numbers, j.literals, j.max_depth, j.numsum);
  }
  return valid;
}
