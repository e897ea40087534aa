#include <stdio.h>

/* RFC4180-ish CSV parser as an explicit state machine */
enum State { FIELD_START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED };

int main(void) {
  const char *csv =
    "name,qty,price\n"
    "apple,3,0.5\n"
    "\"banana, ripe\",12,0.25\n"
    "\"say \"\"hi\"\"\",1,10\n"
    ",,\n"
    "last,7,1.75";
  enum State st = FIELD_START;
  char field[64];
  int flen = 0, row = 0, col = 0, fields = 0;
  for (const char *p = csv;; p++) {
    char c = *p;
    int end_field = 0, end_row = 0;
    switch (st) {
      case FIELD_START:
        if (c == '"') { st = QUOTED; break; }
        st = UNQUOTED;
        /* fall through */
      case UNQUOTED:
        if (c == ',') end_field = 1;
        else if (c == '\n' || c == 0) end_field = end_row = 1;
        else field[flen++] = c;
        break;
      case QUOTED:
        if (c == '"') st = QUOTE_IN_QUOTED;
        else if (c == 0) end_field = end_row = 1;
        else field[flen++] = c;
        break;
      case QUOTE_IN_QUOTED:
        if (c == '"') { field[flen++] = '"'; st = QUOTED; }
        else if (c == ',') end_field = 1;
        else if (c == '\n' || c == 0) end_field = end_row = 1;
        break;
    }
    if (end_field) {
      field[flen] = 0;
      printf("r%d c%d [%s]\n", row, col, field);
      fields++;
      flen = 0;
      col++;
      st = FIELD_START;
    }
    if (end_row) { row++; col = 0; }
    if (c == 0) break;
  }
  printf("rows=%d fields=%d\n", row, fields);
  return fields;
}
