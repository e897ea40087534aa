#include <stdio.h>

static int a1(int x) { return x + 1; }
static int a2(int x) { return x * 2; }
static int store[3] = {7, 8, 9};
static int *getp(int i) { return &store[i]; }

/* function taking an int and returning pointer to array of 3 ints */
static int (*row_of(int i))[3] {
  static int m[2][3] = {{1, 2, 3}, {4, 5, 6}};
  return &m[i];
}

int main(void) {
  int (*fps[2])(int) = {a1, a2};             /* array of function pointers */
  int (*(*pfps)[2])(int) = &fps;            /* pointer to that array */
  int *(*gp)(int) = getp;                   /* pointer to function returning int* */
  int *(*gps[1])(int) = {getp};
  int (*(*rowfn)(int))[3] = row_of;         /* pointer to function returning pointer to array */
  char *strs[2] = {"x", "yz"}, **pp = strs; /* multiple declarators mixing */
  int a, *b = &a, c[2] = {1, 2}, (*d)[2] = &c;
  a = 40;
  printf("%d %d\n", (*pfps)[0](10), (*pfps)[1](10));
  printf("%d %d\n", *gp(1), *gps[0](2));
  printf("%d %d\n", (*rowfn(1))[2], rowfn(0)[0][1]);
  printf("%s %s\n", pp[0], *(pp + 1));
  printf("%d %d %d\n", *b, (*d)[1], c[0]);
  const int *const *volatile weird = (const int *const *)&b;
  printf("%d\n", **weird);
  typedef int (*Op)(int);
  Op (*table)[2] = &fps;
  printf("%d\n", (*table)[1]((*table)[0](1)));
  return (*rowfn(1))[2] + *gp(0);
}
