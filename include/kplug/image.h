/* kplug/image.h: the image plugin ABI (built into the kplug compiler). */
#ifndef KPLUG_IMAGE_H
#define KPLUG_IMAGE_H
#include <stdint.h>
#include <stdlib.h>

typedef struct image {
  int width;       /* pixels */
  int height;      /* rows */
  int channels;    /* 1 = gray, 3 = RGB (interleaved) */
  int stride;      /* bytes from one row to the next, >= width * channels */
  uint8_t *pixels; /* first byte of the first row */
} image;

/* Request parameters (?scale=2&threshold=100...); unset ones hold the defaults shown. */
typedef struct params {
  int scale;      /* downscale factor, 2 */
  int threshold;  /* threshold level 0..255, 128 */
  int brightness; /* added to every sample, 0 */
  int contrast;   /* percent, 100 = unchanged */
  int radius;     /* blur radius, 1 */
  int amount;     /* sharpen strength in percent, 100 */
  int x, y, w, h; /* crop region; w or h 0 = to the edge */
  int turns;      /* rotate: quarter turns clockwise, 1 */
  int levels;     /* dither: output levels per channel, 2 */
  int arg[8];     /* ?a0= .. ?a7=: free for client plugins, 0 */
} params;

#define IMAGE_OK 0
#define IMAGE_EPARAM (-1)  /* parameters make no sense for this image */
#define IMAGE_ENOMEM (-2)  /* image_alloc failed */
#define IMAGE_EFORMAT (-3) /* unsupported channel count */

#if defined(__KPLUG__) && defined(KPLUG_IMAGE_SERVER)
/* A heap block for pixels from the image server, which recycles the buffers of earlier
   requests. Other hosts (kplug run, an embedding app) need not provide it: malloc then. */
void *image_buffer(int bytes);
#define IMAGE_BUFFER(bytes) image_buffer((int)(bytes))
#else
#define IMAGE_BUFFER(bytes) malloc((size_t)(bytes))
#endif

/* Gives img a fresh, tightly packed pixel buffer (a malloc block); the host frees it after the
   chain. 0 or IMAGE_ENOMEM. */
static inline int image_alloc(image *img, int width, int height, int channels) {
  if (width < 1 || height < 1 || (channels != 1 && channels != 3)) return IMAGE_EPARAM;
  if (width > 65535 || height > 65535) return IMAGE_EPARAM;
  long long bytes = (long long)width * height * channels;
  if (bytes > 0x7fffffff) return IMAGE_ENOMEM;
  img->pixels = (uint8_t *)IMAGE_BUFFER(bytes);
  if (!img->pixels) return IMAGE_ENOMEM;
  img->width = width;
  img->height = height;
  img->channels = channels;
  img->stride = width * channels;
  return IMAGE_OK;
}

static inline int clamp255(int v) { return v < 0 ? 0 : v > 255 ? 255 : v; }

/* Luma in 0..255, integer BT.601 weights; used by sobel, threshold and dither. */
static inline int luma(int r, int g, int b) { return (77 * r + 150 * g + 29 * b + 128) >> 8; }

#endif
