// expect: 4:11: error: member
int main(void) {
  int n = 4;
  return n.size;
}
