// expect: 3:10: error: sys/socket.h
#include <stdio.h>
#include <sys/socket.h>
int main(void) { return 0; }
