#include <stdio.h>
#include <limits.h>

#define V 12

int main(void) {
  int adj[V][V];
  for (int i = 0; i < V; i++)
    for (int j = 0; j < V; j++) adj[i][j] = 0;
  /* deterministic sparse graph */
  for (int i = 0; i < V; i++) {
    int j1 = (i * 5 + 1) % V, j2 = (i * 7 + 3) % V;
    if (j1 != i) adj[i][j1] = adj[j1][i] = 1 + (i * 3) % 9;
    if (j2 != i) adj[i][j2] = adj[j2][i] = 2 + (i * 11) % 13;
  }
  int dist[V], prev[V], done[V];
  for (int i = 0; i < V; i++) { dist[i] = INT_MAX; prev[i] = -1; done[i] = 0; }
  dist[0] = 0;
  for (int it = 0; it < V; it++) {
    int u = -1;
    for (int i = 0; i < V; i++)
      if (!done[i] && dist[i] != INT_MAX && (u < 0 || dist[i] < dist[u])) u = i;
    if (u < 0) break;
    done[u] = 1;
    for (int v = 0; v < V; v++)
      if (adj[u][v] && dist[u] + adj[u][v] < dist[v]) { dist[v] = dist[u] + adj[u][v]; prev[v] = u; }
  }
  int sum = 0;
  for (int i = 0; i < V; i++) {
    if (dist[i] == INT_MAX) { printf("%d: unreachable\n", i); continue; }
    printf("%d: dist=%d path=", i, dist[i]);
    int path[V], n = 0;
    for (int v = i; v >= 0; v = prev[v]) path[n++] = v;
    for (int k = n - 1; k >= 0; k--) printf("%d%s", path[k], k ? "->" : "\n");
    sum += dist[i];
  }
  printf("sum=%d\n", sum);
  return sum;
}
