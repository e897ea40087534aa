// expect: 3:8: error: division by zero
#define N 0
#if 10 / N
int a;
#endif
int main(void) { return 0; }
