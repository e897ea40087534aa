// expect: 4:10: error: unterminated
#define F(a, b) a + b
int main(void) {
  return F(1, 2;
}
