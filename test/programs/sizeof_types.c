#include <stdio.h>
#include <stddef.h>
#include <stdint.h>

struct S1 { char c; int i; };
struct S2 { char c; double d; };
struct S3 { char a, b, c; };
struct S4 { short s; char c; };
struct S5 { long long ll; char c; };
union U1 { char c[5]; int i; };
enum E { EA, EB = 100 };

int main(void) {
  printf("char=%d short=%d int=%d long=%d llong=%d\n", (int)sizeof(char), (int)sizeof(short),
         (int)sizeof(int), (int)sizeof(long), (int)sizeof(long long));
  printf("float=%d double=%d ptr=%d fptr=%d\n", (int)sizeof(float), (int)sizeof(double),
         (int)sizeof(void *), (int)sizeof(int (*)(int)));
  printf("size_t=%d ptrdiff_t=%d _Bool=%d enum=%d\n", (int)sizeof(size_t), (int)sizeof(ptrdiff_t),
         (int)sizeof(_Bool), (int)sizeof(enum E));
  printf("int8=%d int16=%d int32=%d int64=%d uintptr=%d\n", (int)sizeof(int8_t),
         (int)sizeof(int16_t), (int)sizeof(int32_t), (int)sizeof(int64_t), (int)sizeof(uintptr_t));
  printf("S1=%d S2=%d S3=%d S4=%d S5=%d U1=%d\n", (int)sizeof(struct S1), (int)sizeof(struct S2),
         (int)sizeof(struct S3), (int)sizeof(struct S4), (int)sizeof(struct S5),
         (int)sizeof(union U1));
  int arr[10];
  double darr[3][4];
  char str[] = "hello";
  printf("arr=%d elems=%d darr=%d row=%d str=%d\n", (int)sizeof arr, (int)(sizeof arr / sizeof arr[0]),
         (int)sizeof darr, (int)sizeof darr[0], (int)sizeof str);
  printf("literal=%d 'a'=%d 1.0f=%d 1L=%d\n", (int)sizeof("abc"), (int)sizeof('a'),
         (int)sizeof 1.0f, (int)sizeof 1L);
  int x = 5;
  size_t sz = sizeof(x++); /* not evaluated */
  printf("sz=%u x=%d\n", (unsigned)sz, x);
  int *p = arr;
  printf("sizeof p=%d *p=%d\n", (int)sizeof p, (int)sizeof *p);
  struct S2 s2arr[3];
  printf("s2arr=%d\n", (int)sizeof s2arr);
  printf("sizeof(sizeof(int))=%d\n", (int)sizeof(sizeof(int)));
  return (int)sizeof(struct S5);
}
