#include <stdio.h>

#define N 1000

static int parent[N], rnk[N];

static int find(int x) {
  while (parent[x] != x) {
    parent[x] = parent[parent[x]];
    x = parent[x];
  }
  return x;
}

static int unite(int a, int b) {
  a = find(a);
  b = find(b);
  if (a == b) return 0;
  if (rnk[a] < rnk[b]) { int t = a; a = b; b = t; }
  parent[b] = a;
  if (rnk[a] == rnk[b]) rnk[a]++;
  return 1;
}

int main(void) {
  for (int i = 0; i < N; i++) parent[i] = i;
  int components = N;
  unsigned s = 31337;
  for (int e = 0; e < 800; e++) {
    s = s * 1103515245u + 12345u;
    int a = (int)((s >> 8) % N);
    s = s * 1103515245u + 12345u;
    int b = (int)((s >> 8) % N);
    components -= unite(a, b);
    if (e % 200 == 199) printf("after %d edges: %d components\n", e + 1, components);
  }
  int sizes[N] = {0};
  for (int i = 0; i < N; i++) sizes[find(i)]++;
  int biggest = 0;
  for (int i = 0; i < N; i++) if (sizes[i] > biggest) biggest = sizes[i];
  printf("biggest=%d\n", biggest);
  /* Kruskal's MST on a small grid graph with deterministic weights */
  for (int i = 0; i < N; i++) { parent[i] = i; rnk[i] = 0; }
  int ew[200][3], ne = 0;
  for (int y = 0; y < 8; y++)
    for (int x = 0; x < 8; x++) {
      int id = y * 8 + x;
      if (x < 7) { ew[ne][0] = (id * 17 + 5) % 23; ew[ne][1] = id; ew[ne][2] = id + 1; ne++; }
      if (y < 7) { ew[ne][0] = (id * 13 + 7) % 29; ew[ne][1] = id; ew[ne][2] = id + 8; ne++; }
    }
  for (int i = 1; i < ne; i++) {
    int a0 = ew[i][0], a1 = ew[i][1], a2 = ew[i][2], j = i;
    while (j > 0 && ew[j - 1][0] > a0) { ew[j][0] = ew[j - 1][0]; ew[j][1] = ew[j - 1][1]; ew[j][2] = ew[j - 1][2]; j--; }
    ew[j][0] = a0; ew[j][1] = a1; ew[j][2] = a2;
  }
  int mst = 0, used = 0;
  for (int i = 0; i < ne; i++)
    if (unite(ew[i][1], ew[i][2])) { mst += ew[i][0]; used++; }
  printf("mst weight=%d edges=%d\n", mst, used);
  return mst & 0xff;
}
