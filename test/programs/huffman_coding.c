#include <stdio.h>
#include <string.h>

typedef struct { int freq; int left, right; int sym; } HNode;

static HNode nodes[512];
static int nnodes;
static char codes[256][32];

static void build_codes(int n, char *prefix, int depth) {
  if (nodes[n].sym >= 0) {
    prefix[depth] = 0;
    strcpy(codes[nodes[n].sym], depth ? prefix : "0");
    return;
  }
  prefix[depth] = '0';
  build_codes(nodes[n].left, prefix, depth + 1);
  prefix[depth] = '1';
  build_codes(nodes[n].right, prefix, depth + 1);
}

int main(void) {
  const char *text = "this is an example of a huffman tree built by a kernel plugin compiled to webassembly";
  int freq[256] = {0};
  for (const char *p = text; *p; p++) freq[(unsigned char)*p]++;
  int active[512], na = 0;
  for (int s = 0; s < 256; s++)
    if (freq[s]) {
      nodes[nnodes] = (HNode){freq[s], -1, -1, s};
      active[na++] = nnodes++;
    }
  while (na > 1) {
    /* pick two smallest (ties broken by lower index for determinism) */
    int a = 0, b = 1;
    if (nodes[active[b]].freq < nodes[active[a]].freq) { a = 1; b = 0; }
    for (int i = 2; i < na; i++) {
      int f = nodes[active[i]].freq;
      if (f < nodes[active[a]].freq) { b = a; a = i; }
      else if (f < nodes[active[b]].freq) b = i;
    }
    nodes[nnodes] = (HNode){nodes[active[a]].freq + nodes[active[b]].freq, active[a], active[b], -1};
    int hi = a > b ? a : b, lo = a < b ? a : b;
    active[lo] = nnodes++;
    active[hi] = active[--na];
  }
  char prefix[64];
  build_codes(active[0], prefix, 0);
  int bits = 0;
  for (const char *p = text; *p; p++) bits += (int)strlen(codes[(unsigned char)*p]);
  for (int s = 0; s < 256; s++)
    if (freq[s]) printf("'%c' %2d %s\n", s, freq[s], codes[s]);
  printf("bits=%d vs %d raw\n", bits, (int)strlen(text) * 8);
  return bits & 0xff;
}
