#include <stdio.h>

#define W 30
#define H 15

static const char *maze[H] = {
  "S.....#.......#...............",
  ".####.#.#####.#.#############.",
  ".#....#.#...#.#.#...........#.",
  ".#.####.#.#.#.#.#.#########.#.",
  ".#......#.#.#...#.#.......#.#.",
  ".########.#.#####.#.#####.#.#.",
  "..........#.......#.#...#.#.#.",
  "#########.#########.#.#.#.#.#.",
  "........#...........#.#...#.#.",
  ".######.#############.#####.#.",
  ".#......#.............#.....#.",
  ".#.######.###########.#.#####.",
  ".#........#.........#.#.......",
  ".##########.#######.#.#######.",
  "............#.......#........E",
};

int main(void) {
  int dist[H][W];
  int qy[W * H], qx[W * H], head = 0, tail = 0;
  int sy = 0, sx = 0, ey = 0, ex = 0;
  for (int y = 0; y < H; y++)
    for (int x = 0; x < W; x++) {
      dist[y][x] = -1;
      if (maze[y][x] == 'S') { sy = y; sx = x; }
      if (maze[y][x] == 'E') { ey = y; ex = x; }
    }
  dist[sy][sx] = 0;
  qy[tail] = sy; qx[tail++] = sx;
  static const int dy[4] = {-1, 1, 0, 0}, dx[4] = {0, 0, -1, 1};
  while (head < tail) {
    int y = qy[head], x = qx[head++];
    for (int d = 0; d < 4; d++) {
      int ny = y + dy[d], nx = x + dx[d];
      if (ny < 0 || ny >= H || nx < 0 || nx >= W) continue;
      if (maze[ny][nx] == '#' || dist[ny][nx] >= 0) continue;
      dist[ny][nx] = dist[y][x] + 1;
      qy[tail] = ny; qx[tail++] = nx;
    }
  }
  printf("visited=%d shortest=%d\n", tail, dist[ey][ex]);
  /* walk back along decreasing distances and mark the path */
  char out[H][W + 1];
  for (int y = 0; y < H; y++) {
    for (int x = 0; x < W; x++) out[y][x] = maze[y][x];
    out[y][W] = 0;
  }
  int y = ey, x = ex;
  while (dist[y][x] > 0) {
    for (int d = 0; d < 4; d++) {
      int ny = y + dy[d], nx = x + dx[d];
      if (ny >= 0 && ny < H && nx >= 0 && nx < W && dist[ny][nx] == dist[y][x] - 1) { y = ny; x = nx; break; }
    }
    if (out[y][x] == '.') out[y][x] = '*';
  }
  for (int r = 0; r < H; r++) puts(out[r]);
  return dist[ey][ex];
}
