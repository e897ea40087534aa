// expect: 4:2: error: custom failure message
#define LEVEL 3
#if LEVEL > 2
#error custom failure message
#endif
int main(void) { return 0; }
