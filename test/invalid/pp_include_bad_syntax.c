// expect: 2:10: error: #include
#include helper_without_quotes
int main(void) { return 0; }
