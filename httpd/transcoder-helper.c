/* The out-of-process transcoder: the plugin library's C built natively (gcc -O2) into a helper
 * that the server talks to over a pipe, the analogue of the paper's user-level transcoding.
 *
 * Request (little-endian int32s): name length, then the name bytes, then width, height,
 * channels, then the kplug/image.h params struct (20 ints), then width*height*channels bytes.
 * Response: status (0 or a negative IMAGE_E* code), width, height, channels, then the packed
 * pixels when the status is 0. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kplug/image.h"

#define TRANSFORMS(X) \
  X(grayscale) X(sepia) X(invert) X(brightness) X(blur) X(sharpen) X(sobel) X(downscale) \
  X(crop) X(rotate) X(threshold) X(dither)

#define DECLARE(n) int n##_transform(const image *in, image *out, const params *p);
TRANSFORMS(DECLARE)

typedef int (*transform_fn)(const image *, image *, const params *);
static const struct { const char *name; transform_fn fn; } table[] = {
#define ENTRY(n) {#n, n##_transform},
  TRANSFORMS(ENTRY)
};

static int read_all(void *buf, size_t n) { return fread(buf, 1, n, stdin) == n; }

static int write_all(const void *buf, size_t n) { return fwrite(buf, 1, n, stdout) == n; }

int main(void) {
  for (;;) {
    int32_t len;
    if (!read_all(&len, 4)) return 0;
    if (len < 1 || len > 64) return 2;
    char name[65];
    if (!read_all(name, (size_t)len)) return 2;
    name[len] = 0;
    int32_t geom[3];
    params p;
    if (!read_all(geom, sizeof geom) || !read_all(&p, sizeof p)) return 2;
    image in = {geom[0], geom[1], geom[2], geom[0] * geom[2], NULL};
    size_t bytes = (size_t)in.stride * (size_t)in.height;
    in.pixels = malloc(bytes ? bytes : 1);
    if (!in.pixels || !read_all(in.pixels, bytes)) return 2;

    transform_fn fn = NULL;
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
      if (strcmp(table[i].name, name) == 0) fn = table[i].fn;
    image out = {0, 0, 0, 0, NULL};
    int32_t status = fn ? fn(&in, &out, &p) : IMAGE_EPARAM;
    int32_t head[4] = {status, out.width, out.height, out.channels};
    if (status != IMAGE_OK) head[1] = head[2] = head[3] = 0;
    if (!write_all(head, sizeof head)) return 2;
    if (status == IMAGE_OK) {
      size_t row = (size_t)out.width * (size_t)out.channels;
      for (int y = 0; y < out.height; y++)
        if (!write_all(out.pixels + (size_t)y * (size_t)out.stride, row)) return 2;
    }
    fflush(stdout);
    /* Output that points into the input (crop, in place) is not a separate block. */
    if (out.pixels && (out.pixels < in.pixels || out.pixels >= in.pixels + bytes)) free(out.pixels);
    free(in.pixels);
  }
}
