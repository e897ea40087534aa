// expect: 4:3: error: case
int main(void) {
  int x = 1;
  case 1:
  return x;
}
