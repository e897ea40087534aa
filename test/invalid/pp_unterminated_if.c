// expect: 3:2: error: unterminated
int x = 1;
#if 1
int y = 2;
