// expect: 4:7: error: redefinition
int main(void) {
  int count = 1;
  int count = 2;
  return count;
}
