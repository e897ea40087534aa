// expect: 3:3: error: unknown type
int main(void) {
  widget_t w;
  return 0;
}
