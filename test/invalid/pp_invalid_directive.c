// expect: 3:2: error: directive
int a;
#frobnicate now
int main(void) { return 0; }
