// expect: 3:8: error: conflicting types
int area(int w, int h);
double area(int w, int h) { return w * h; }
int main(void) { return 0; }
