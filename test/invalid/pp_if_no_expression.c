// expect: 3:4: error: expression
int a;
#if
int b;
#endif
