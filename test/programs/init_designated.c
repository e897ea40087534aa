#include <stdio.h>

struct Config {
  const char *name;
  int width, height;
  double scale;
  struct { int r, g, b; } bg;
  int flags[4];
};

static struct Config defaults = {
  .name = "default",
  .width = 640,
  .height = 480,
  .bg = {.g = 128},
  .flags = {[2] = 1},
};

static int days[12] = {[0] = 31, [1] = 28, [2] = 31, [3] = 30, [4] = 31, [5] = 30,
                       [6] = 31, [7] = 31, [8] = 30, [9] = 31, [10] = 30, [11] = 31};

static const char *names[] = {[3] = "three", [1] = "one", [5] = "five"};

int main(void) {
  printf("%s %dx%d scale=%.1f bg=%d,%d,%d flags=%d%d%d%d\n", defaults.name, defaults.width, defaults.height,
         defaults.scale, defaults.bg.r, defaults.bg.g, defaults.bg.b, defaults.flags[0], defaults.flags[1],
         defaults.flags[2], defaults.flags[3]);
  struct Config c = {.height = 100, .width = 200, .scale = 0.5, .name = "custom", .bg.b = 255, .flags[0] = 7};
  printf("%s %dx%d scale=%.1f bg=%d,%d,%d flags0=%d\n", c.name, c.width, c.height, c.scale, c.bg.r, c.bg.g,
         c.bg.b, c.flags[0]);
  int total = 0;
  for (int i = 0; i < 12; i++) total += days[i];
  printf("days=%d\n", total);
  printf("names count=%d:", (int)(sizeof names / sizeof names[0]));
  for (int i = 0; i < 6; i++) printf(" %s", names[i] ? names[i] : "-");
  printf("\n");
  /* designator followed by positional continues from there */
  int arr[8] = {1, [4] = 5, 6, 7, [1] = 2};
  for (int i = 0; i < 8; i++) printf("%d ", arr[i]);
  printf("\n");
  /* overriding an earlier initializer */
  int over[3] = {[0] = 1, [0] = 9, [2] = 3};
  printf("over=%d %d %d\n", over[0], over[1], over[2]);
  struct P { int x, y, z; } pts[3] = {[1] = {.y = 5}, [2].z = 9, [0] = {1, 2, 3}};
  for (int i = 0; i < 3; i++) printf("(%d,%d,%d)", pts[i].x, pts[i].y, pts[i].z);
  printf("\n");
  return total - 300;
}
