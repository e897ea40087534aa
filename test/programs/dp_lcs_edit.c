#include <stdio.h>
#include <string.h>

static int lcs(const char *a, const char *b, char *out) {
  int n = (int)strlen(a), m = (int)strlen(b);
  static int t[64][64];
  for (int i = 0; i <= n; i++)
    for (int j = 0; j <= m; j++) {
      if (!i || !j) t[i][j] = 0;
      else if (a[i - 1] == b[j - 1]) t[i][j] = t[i - 1][j - 1] + 1;
      else t[i][j] = t[i - 1][j] > t[i][j - 1] ? t[i - 1][j] : t[i][j - 1];
    }
  int k = t[n][m];
  out[k] = 0;
  for (int i = n, j = m; i && j;) {
    if (a[i - 1] == b[j - 1]) { out[--k] = a[i - 1]; i--; j--; }
    else if (t[i - 1][j] >= t[i][j - 1]) i--;
    else j--;
  }
  return t[n][m];
}

static int min3(int a, int b, int c) { int m = a < b ? a : b; return m < c ? m : c; }

static int edit_distance(const char *a, const char *b) {
  int n = (int)strlen(a), m = (int)strlen(b);
  int prev[64], cur[64];
  for (int j = 0; j <= m; j++) prev[j] = j;
  for (int i = 1; i <= n; i++) {
    cur[0] = i;
    for (int j = 1; j <= m; j++) cur[j] = min3(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1]));
    memcpy(prev, cur, sizeof(int) * (m + 1));
  }
  return prev[m];
}

int main(void) {
  const char *pairs[][2] = {{"ABCBDAB", "BDCABA"}, {"kitten", "sitting"}, {"", "abc"},
                            {"intention", "execution"}, {"kernel plugins", "kernel pipelines"}};
  int total = 0;
  for (int i = 0; i < 5; i++) {
    char buf[64];
    int l = lcs(pairs[i][0], pairs[i][1], buf);
    int e = edit_distance(pairs[i][0], pairs[i][1]);
    printf("'%s' vs '%s': lcs=%d '%s' edit=%d\n", pairs[i][0], pairs[i][1], l, buf, e);
    total += l + e;
  }
  return total;
}
