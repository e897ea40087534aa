// expect: 4:2: error: #endif
int a;
int b;
#endif
