// expect: 3:15: error: constant
int seed = 4;
int derived = seed * 2;
int main(void) { return derived; }
