#include <stdio.h>

#define N 10

static const char *names[N] = {"libc", "wasm", "cc", "kernel", "httpd", "cli", "bench", "tests", "docs", "images"};

int main(void) {
  int adj[N][N] = {{0}};
  int indeg[N] = {0};
  /* edge a -> b means a must come before b */
  int edges[][2] = {{0, 2}, {1, 2}, {2, 3}, {1, 3}, {3, 4}, {4, 5}, {3, 5}, {5, 6}, {2, 7}, {3, 7}, {4, 7}, {9, 4}, {5, 8}};
  int ne = sizeof edges / sizeof edges[0];
  for (int i = 0; i < ne; i++) {
    adj[edges[i][0]][edges[i][1]] = 1;
    indeg[edges[i][1]]++;
  }
  int order[N], n = 0;
  int done[N] = {0};
  while (n < N) {
    int pick = -1;
    for (int i = 0; i < N; i++)
      if (!done[i] && indeg[i] == 0) { pick = i; break; } /* smallest index first: deterministic */
    if (pick < 0) { printf("cycle!\n"); return 1; }
    done[pick] = 1;
    order[n++] = pick;
    for (int j = 0; j < N; j++)
      if (adj[pick][j]) indeg[j]--;
  }
  for (int i = 0; i < N; i++) printf("%s%s", names[order[i]], i < N - 1 ? " -> " : "\n");
  /* longest path (critical path) lengths */
  int longest[N] = {0};
  for (int k = 0; k < N; k++) {
    int u = order[k];
    for (int v = 0; v < N; v++)
      if (adj[u][v] && longest[u] + 1 > longest[v]) longest[v] = longest[u] + 1;
  }
  int crit = 0;
  for (int i = 0; i < N; i++) if (longest[i] > crit) crit = longest[i];
  printf("critical path length=%d\n", crit);
  return order[0] * 10 + crit;
}
