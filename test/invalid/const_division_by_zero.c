// expect: 2:20: error: division by zero
enum { RATIO = 100 / 0 };
int main(void) { return RATIO; }
