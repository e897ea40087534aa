#include <stdio.h>

/* emit a small plain-text PPM (P3) of a gradient with a circle, then its PGM grayscale */
#define W 12
#define H 8

int main(void) {
  unsigned char rgb[H][W][3];
  for (int y = 0; y < H; y++)
    for (int x = 0; x < W; x++) {
      int dx = x - 6, dy = y - 4;
      int in = dx * dx + dy * dy <= 9;
      rgb[y][x][0] = (unsigned char)(in ? 255 : x * 21);
      rgb[y][x][1] = (unsigned char)(in ? 64 : y * 36);
      rgb[y][x][2] = (unsigned char)(in ? 0 : 128);
    }
  printf("P3\n%d %d\n255\n", W, H);
  for (int y = 0; y < H; y++) {
    for (int x = 0; x < W; x++) printf("%d %d %d%c", rgb[y][x][0], rgb[y][x][1], rgb[y][x][2], x == W - 1 ? '\n' : ' ');
  }
  printf("P2\n%d %d\n255\n", W, H);
  int sum = 0;
  for (int y = 0; y < H; y++) {
    for (int x = 0; x < W; x++) {
      int g = (rgb[y][x][0] * 299 + rgb[y][x][1] * 587 + rgb[y][x][2] * 114 + 500) / 1000;
      sum += g;
      printf("%3d%c", g, x == W - 1 ? '\n' : ' ');
    }
  }
  return sum / (W * H);
}
