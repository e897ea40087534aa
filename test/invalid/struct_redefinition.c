// expect: 3:8: error: redefinition
struct Node { int v; };
struct Node { double w; };
int main(void) { return 0; }
