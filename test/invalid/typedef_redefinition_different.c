// expect: 6:14: error: conflicting types for 't'
// expect: 8:32: error: redefinition of typedef 'arr' with different type
// expect: 9:20: error: 'v' redeclared as different kind of symbol
// expect: 11:35: error: conflicting types for 'u'
typedef int t;
typedef long t;
typedef int same; typedef int same;
typedef int arr[]; typedef int arr[3];
int v; typedef int v;
int main(void) {
  typedef unsigned u; typedef int u;
  return 0;
}
