// expect: 2:10: error: nonexistent_header.h
#include "nonexistent_header.h"
int main(void) { return 0; }
