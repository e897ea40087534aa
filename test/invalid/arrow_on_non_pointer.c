// expect: 5:11: error: ->
struct Box { int w; };
int main(void) {
  struct Box b = {3};
  return b->w;
}
