// expect: 3:2: error: #else
int a;
#else
int b;
