// expect: 3:1: error: unterminated
int main(void) { return 0; }
/* this comment is never closed
int x;
