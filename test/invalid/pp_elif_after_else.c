// expect: 5:2: error: #elif
#if 0
int a;
#else
#elif 1
int b;
#endif
