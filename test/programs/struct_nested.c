#include <stdio.h>
#include <string.h>

struct Date { int year; unsigned char month, day; };
struct Address { char street[24]; char city[16]; int zip; };
struct Person {
  char name[20];
  struct Date born;
  struct Address home;
  struct { double height; double weight; } body;
  struct Person *friend_;
};

static int age_at(const struct Person *p, struct Date now) {
  int age = now.year - p->born.year;
  if (now.month < p->born.month || (now.month == p->born.month && now.day < p->born.day)) age--;
  return age;
}

int main(void) {
  struct Person bob = {"Bob", {1990, 7, 14}, {"1 Main St", "Springfield", 12345}, {1.80, 75.5}, NULL};
  struct Person amy;
  memset(&amy, 0, sizeof amy);
  strcpy(amy.name, "Amy");
  amy.born = (struct Date){1985, 12, 1};
  amy.home = bob.home;
  amy.home.zip = 54321;
  amy.body.height = 1.65;
  amy.body.weight = 60.25;
  amy.friend_ = &bob;
  bob.friend_ = &amy;
  struct Date now = {2024, 7, 13};
  printf("%s age %d, %s age %d\n", bob.name, age_at(&bob, now), amy.name, age_at(&amy, now));
  printf("%s lives at %s, %s %d\n", amy.name, amy.home.street, amy.home.city, amy.home.zip);
  printf("friend of friend of bob: %s\n", bob.friend_->friend_->name);
  printf("bmi=%.2f\n", amy.friend_->body.weight / (amy.friend_->body.height * amy.friend_->body.height));
  printf("sizeof Person=%d Date=%d Address=%d\n", (int)sizeof(struct Person), (int)sizeof(struct Date),
         (int)sizeof(struct Address));
  bob.friend_->born.day += 10;
  printf("amy day=%d\n", amy.born.day);
  return age_at(&amy, now);
}
