// expect: 4:17: error: incomplete
struct Hidden;
int main(void) {
  return sizeof(struct Hidden);
}
