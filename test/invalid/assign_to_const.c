// expect: 4:9: error: read-only
int main(void) {
  const int limit = 10;
  limit = 20;
  return limit;
}
