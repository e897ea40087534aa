#include <stdio.h>
#include <stddef.h>

typedef struct {
  char tag;
  int count;
  double weight;
  char name[5];
  long long id;
  short flags;
} Record;

#define container_of(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))

int main(void) {
  printf("tag=%u count=%u weight=%u name=%u id=%u flags=%u size=%u\n", (unsigned)offsetof(Record, tag),
         (unsigned)offsetof(Record, count), (unsigned)offsetof(Record, weight),
         (unsigned)offsetof(Record, name), (unsigned)offsetof(Record, id),
         (unsigned)offsetof(Record, flags), (unsigned)sizeof(Record));
  Record r = {'r', 3, 1.5, "abcd", 99, 7};
  long long *idp = &r.id;
  Record *back = container_of(idp, Record, id);
  printf("back->name=%s back->count=%d same=%d\n", back->name, back->count, back == &r);
  /* generic field access by offset */
  size_t offs[] = {offsetof(Record, count), offsetof(Record, flags)};
  int count = *(int *)((char *)&r + offs[0]);
  short flags = *(short *)((char *)&r + offs[1]);
  printf("count=%d flags=%d\n", count, flags);
  return (int)offsetof(Record, flags);
}
