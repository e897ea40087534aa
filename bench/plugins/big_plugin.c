/*
 * big_plugin.c - a ~1,000-line plugin for the code-generation benchmark: an image-processing
 * library of the kind a client might upload in one piece. Pixel formats, colour conversion,
 * geometry, filters, dithering, histograms, statistics, checksums, run-length and base64
 * coding, a tiny PPM header parser and an operation dispatcher with function pointers.
 * Valid KP-C and valid C99 (gcc, tcc).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* ------------------------------------------------------------------------------------------ */
/* Image descriptors                                                                          */
/* ------------------------------------------------------------------------------------------ */

typedef enum { FMT_GRAY8 = 1, FMT_RGB24 = 3, FMT_RGBA32 = 4 } PixelFormat;

typedef struct {
  uint8_t *data;
  int width;
  int height;
  int stride;
  PixelFormat format;
} Image;

typedef struct {
  int x;
  int y;
  int w;
  int h;
} Rect;

typedef struct {
  uint8_t r;
  uint8_t g;
  uint8_t b;
  uint8_t a;
} Rgba;

typedef union {
  uint32_t word;
  Rgba rgba;
  uint8_t bytes[4];
} Pixel32;

enum {
  ERR_OK = 0,
  ERR_ARG = -1,
  ERR_FORMAT = -2,
  ERR_SIZE = -3,
  ERR_PARSE = -4,
  ERR_SPACE = -5
};

static int clamp_int(int v, int lo, int hi) {
  if (v < lo) return lo;
  if (v > hi) return hi;
  return v;
}

static uint8_t clamp_u8(int v) { return (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v); }

static int min_int(int a, int b) { return a < b ? a : b; }
static int max_int(int a, int b) { return a > b ? a : b; }
static int abs_int(int v) { return v < 0 ? -v : v; }

int bytes_per_pixel(PixelFormat f) {
  switch (f) {
    case FMT_GRAY8: return 1;
    case FMT_RGB24: return 3;
    case FMT_RGBA32: return 4;
  }
  return 0;
}

int image_valid(const Image *img) {
  if (!img || !img->data) return 0;
  if (img->width <= 0 || img->height <= 0) return 0;
  int bpp = bytes_per_pixel(img->format);
  if (bpp == 0) return 0;
  if (img->width > 0x7fffffff / bpp) return 0;
  if (img->stride < img->width * bpp) return 0;
  return 1;
}

int image_init(Image *img, uint8_t *data, int width, int height, PixelFormat format) {
  if (!img) return ERR_ARG;
  img->data = data;
  img->width = width;
  img->height = height;
  img->format = format;
  img->stride = width * bytes_per_pixel(format);
  return image_valid(img) ? ERR_OK : ERR_ARG;
}

static uint8_t *pixel_at(const Image *img, int x, int y) {
  return img->data + y * img->stride + x * bytes_per_pixel(img->format);
}

int rect_clip(Rect *r, const Image *img) {
  int x0 = max_int(r->x, 0);
  int y0 = max_int(r->y, 0);
  int x1 = min_int(r->x + r->w, img->width);
  int y1 = min_int(r->y + r->h, img->height);
  if (x1 <= x0 || y1 <= y0) {
    r->w = 0;
    r->h = 0;
    return 0;
  }
  r->x = x0;
  r->y = y0;
  r->w = x1 - x0;
  r->h = y1 - y0;
  return 1;
}

/* ------------------------------------------------------------------------------------------ */
/* Colour conversion                                                                          */
/* ------------------------------------------------------------------------------------------ */

static uint8_t luma601(int r, int g, int b) { return (uint8_t)((77 * r + 150 * g + 29 * b + 128) >> 8); }

static uint8_t luma709(int r, int g, int b) { return (uint8_t)((54 * r + 183 * g + 19 * b + 128) >> 8); }

int to_gray(const Image *src, Image *dst, int use_709) {
  if (!image_valid(src) || !image_valid(dst)) return ERR_ARG;
  if (dst->format != FMT_GRAY8) return ERR_FORMAT;
  if (src->width != dst->width || src->height != dst->height) return ERR_SIZE;
  int bpp = bytes_per_pixel(src->format);
  for (int y = 0; y < src->height; y++) {
    const uint8_t *p = src->data + y * src->stride;
    uint8_t *q = dst->data + y * dst->stride;
    for (int x = 0; x < src->width; x++) {
      if (bpp == 1) q[x] = p[x];
      else if (use_709) q[x] = luma709(p[x * bpp], p[x * bpp + 1], p[x * bpp + 2]);
      else q[x] = luma601(p[x * bpp], p[x * bpp + 1], p[x * bpp + 2]);
    }
  }
  return ERR_OK;
}

int gray_to_rgb(const Image *src, Image *dst) {
  if (!image_valid(src) || !image_valid(dst)) return ERR_ARG;
  if (src->format != FMT_GRAY8 || dst->format != FMT_RGB24) return ERR_FORMAT;
  if (src->width != dst->width || src->height != dst->height) return ERR_SIZE;
  for (int y = 0; y < src->height; y++) {
    const uint8_t *p = src->data + y * src->stride;
    uint8_t *q = dst->data + y * dst->stride;
    for (int x = 0; x < src->width; x++) {
      q[3 * x] = p[x];
      q[3 * x + 1] = p[x];
      q[3 * x + 2] = p[x];
    }
  }
  return ERR_OK;
}

/* RGB <-> YCbCr (JPEG full range), fixed point with 16 fractional bits. */
void rgb_to_ycbcr(int r, int g, int b, int *y, int *cb, int *cr) {
  *y = (19595 * r + 38470 * g + 7471 * b + 32768) >> 16;
  *cb = ((-11059 * r - 21709 * g + 32768 * b + 32768) >> 16) + 128;
  *cr = ((32768 * r - 27439 * g - 5329 * b + 32768) >> 16) + 128;
}

void ycbcr_to_rgb(int y, int cb, int cr, int *r, int *g, int *b) {
  int c = cb - 128;
  int d = cr - 128;
  *r = clamp_u8(y + ((91881 * d + 32768) >> 16));
  *g = clamp_u8(y - ((22554 * c + 46802 * d + 32768) >> 16));
  *b = clamp_u8(y + ((116130 * c + 32768) >> 16));
}

/* HSV with hue in [0, 1536), saturation and value in [0, 255]. */
void rgb_to_hsv(int r, int g, int b, int *h, int *s, int *v) {
  int mx = max_int(r, max_int(g, b));
  int mn = min_int(r, min_int(g, b));
  int delta = mx - mn;
  *v = mx;
  *s = mx == 0 ? 0 : (delta * 255) / mx;
  if (delta == 0) {
    *h = 0;
    return;
  }
  int hue;
  if (mx == r) hue = ((g - b) * 256) / delta;
  else if (mx == g) hue = 512 + ((b - r) * 256) / delta;
  else hue = 1024 + ((r - g) * 256) / delta;
  if (hue < 0) hue += 1536;
  *h = hue;
}

void hsv_to_rgb(int h, int s, int v, int *r, int *g, int *b) {
  if (s == 0) {
    *r = *g = *b = v;
    return;
  }
  int sector = h >> 8;
  int frac = h & 255;
  int p = (v * (255 - s)) / 255;
  int q = (v * (255 - (s * frac) / 255)) / 255;
  int t = (v * (255 - (s * (255 - frac)) / 255)) / 255;
  switch (sector) {
    case 0: *r = v; *g = t; *b = p; break;
    case 1: *r = q; *g = v; *b = p; break;
    case 2: *r = p; *g = v; *b = t; break;
    case 3: *r = p; *g = q; *b = v; break;
    case 4: *r = t; *g = p; *b = v; break;
    default: *r = v; *g = p; *b = q; break;
  }
}

int adjust_saturation(Image *img, int percent) {
  if (!image_valid(img) || img->format == FMT_GRAY8) return ERR_FORMAT;
  int bpp = bytes_per_pixel(img->format);
  for (int y = 0; y < img->height; y++) {
    uint8_t *p = img->data + y * img->stride;
    for (int x = 0; x < img->width; x++, p += bpp) {
      int h, s, v, r, g, b;
      rgb_to_hsv(p[0], p[1], p[2], &h, &s, &v);
      s = clamp_int(s * percent / 100, 0, 255);
      hsv_to_rgb(h, s, v, &r, &g, &b);
      p[0] = (uint8_t)r;
      p[1] = (uint8_t)g;
      p[2] = (uint8_t)b;
    }
  }
  return ERR_OK;
}

int sepia(Image *img) {
  if (!image_valid(img) || img->format == FMT_GRAY8) return ERR_FORMAT;
  int bpp = bytes_per_pixel(img->format);
  for (int y = 0; y < img->height; y++) {
    uint8_t *p = img->data + y * img->stride;
    for (int x = 0; x < img->width; x++, p += bpp) {
      int r = p[0], g = p[1], b = p[2];
      p[0] = clamp_u8((101 * r + 197 * g + 48 * b) >> 8);
      p[1] = clamp_u8((89 * r + 176 * g + 43 * b) >> 8);
      p[2] = clamp_u8((70 * r + 137 * g + 34 * b) >> 8);
    }
  }
  return ERR_OK;
}

int invert(Image *img) {
  if (!image_valid(img)) return ERR_ARG;
  int bpp = bytes_per_pixel(img->format);
  int channels = img->format == FMT_RGBA32 ? 3 : bpp;
  for (int y = 0; y < img->height; y++) {
    uint8_t *p = img->data + y * img->stride;
    for (int x = 0; x < img->width; x++, p += bpp) {
      for (int c = 0; c < channels; c++) p[c] = (uint8_t)(255 - p[c]);
    }
  }
  return ERR_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* Tone curves                                                                                */
/* ------------------------------------------------------------------------------------------ */

typedef struct {
  uint8_t table[256];
} Curve;

void curve_identity(Curve *c) {
  for (int i = 0; i < 256; i++) c->table[i] = (uint8_t)i;
}

void curve_brightness_contrast(Curve *c, int brightness, int contrast) {
  /* contrast in percent around mid-grey; brightness added afterwards. */
  for (int i = 0; i < 256; i++) {
    int v = ((i - 128) * contrast) / 100 + 128 + brightness;
    c->table[i] = clamp_u8(v);
  }
}

/* Gamma by integer power series on a fixed-point base: x^g for g in 1/16 steps. */
static uint32_t fixed_pow(uint32_t x16, int gamma16) {
  /* x16 in [0, 65536]; computes exp(g * ln x) with small tables-free series. */
  if (x16 == 0) return 0;
  if (x16 >= 65536) return 65536;
  int64_t ln = 0; /* ln(x) in 16.16, x < 1 so negative */
  uint32_t v = x16;
  while (v < 32768) {
    v <<= 1;
    ln -= 45426; /* ln 2 in 16.16 */
  }
  int64_t t = (int64_t)v - 65536; /* v in [0.5, 1): ln(1 + t) */
  int64_t term = t;
  for (int k = 1; k <= 8; k++) {
    ln += (k & 1 ? term : -term) / k;
    term = (term * t) >> 16;
  }
  int64_t y = (ln * gamma16) >> 4; /* g * ln x */
  /* exp(y) for y <= 0 */
  int64_t result = 65536;
  int64_t e = 65536;
  for (int k = 1; k <= 12; k++) {
    e = (e * y) / ((int64_t)k << 16);
    result += e;
  }
  if (result < 0) result = 0;
  if (result > 65536) result = 65536;
  return (uint32_t)result;
}

void curve_gamma(Curve *c, int gamma16) {
  for (int i = 0; i < 256; i++) {
    uint32_t x = ((uint32_t)i << 16) / 255;
    c->table[i] = clamp_u8((int)((fixed_pow(x, gamma16) * 255 + 32768) >> 16));
  }
}

int apply_curve(Image *img, const Curve *c) {
  if (!image_valid(img)) return ERR_ARG;
  int bpp = bytes_per_pixel(img->format);
  int channels = img->format == FMT_RGBA32 ? 3 : bpp;
  for (int y = 0; y < img->height; y++) {
    uint8_t *p = img->data + y * img->stride;
    for (int x = 0; x < img->width; x++, p += bpp) {
      for (int k = 0; k < channels; k++) p[k] = c->table[p[k]];
    }
  }
  return ERR_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* Histograms and statistics                                                                  */
/* ------------------------------------------------------------------------------------------ */

typedef struct {
  uint32_t bins[256];
  uint32_t count;
} Histogram;

int histogram_gray(const Image *img, Histogram *h) {
  if (!image_valid(img) || img->format != FMT_GRAY8) return ERR_FORMAT;
  memset(h, 0, sizeof *h);
  for (int y = 0; y < img->height; y++) {
    const uint8_t *p = img->data + y * img->stride;
    for (int x = 0; x < img->width; x++) h->bins[p[x]]++;
  }
  h->count = (uint32_t)(img->width * img->height);
  return ERR_OK;
}

int histogram_percentile(const Histogram *h, int percent) {
  uint32_t target = (uint32_t)(((uint64_t)h->count * (uint32_t)percent) / 100);
  uint32_t acc = 0;
  for (int i = 0; i < 256; i++) {
    acc += h->bins[i];
    if (acc >= target) return i;
  }
  return 255;
}

int histogram_mean(const Histogram *h) {
  uint64_t sum = 0;
  for (int i = 0; i < 256; i++) sum += (uint64_t)h->bins[i] * (uint32_t)i;
  return h->count ? (int)(sum / h->count) : 0;
}

/* Otsu's threshold: maximises between-class variance. */
int otsu_threshold(const Histogram *h) {
  uint64_t total = h->count;
  uint64_t sum_all = 0;
  for (int i = 0; i < 256; i++) sum_all += (uint64_t)i * h->bins[i];
  uint64_t sum_b = 0;
  uint64_t w_b = 0;
  double best = -1.0;
  int threshold = 0;
  for (int t = 0; t < 256; t++) {
    w_b += h->bins[t];
    if (w_b == 0) continue;
    uint64_t w_f = total - w_b;
    if (w_f == 0) break;
    sum_b += (uint64_t)t * h->bins[t];
    double m_b = (double)sum_b / (double)w_b;
    double m_f = (double)(sum_all - sum_b) / (double)w_f;
    double between = (double)w_b * (double)w_f * (m_b - m_f) * (m_b - m_f);
    if (between > best) {
      best = between;
      threshold = t;
    }
  }
  return threshold;
}

int equalize(Image *img) {
  Histogram h;
  int rc = histogram_gray(img, &h);
  if (rc != ERR_OK) return rc;
  Curve c;
  uint32_t cdf = 0;
  uint32_t cdf_min = 0;
  for (int i = 0; i < 256; i++) {
    if (h.bins[i]) {
      cdf_min = h.bins[i];
      break;
    }
  }
  for (int i = 0; i < 256; i++) {
    cdf += h.bins[i];
    uint32_t den = h.count - cdf_min;
    c.table[i] = den ? clamp_u8((int)(((uint64_t)(cdf - cdf_min) * 255 + den / 2) / den)) : (uint8_t)i;
  }
  return apply_curve(img, &c);
}

int auto_levels(Image *img, int clip_percent) {
  Histogram h;
  int rc = histogram_gray(img, &h);
  if (rc != ERR_OK) return rc;
  int lo = histogram_percentile(&h, clip_percent);
  int hi = histogram_percentile(&h, 100 - clip_percent);
  if (hi <= lo) return ERR_OK;
  Curve c;
  for (int i = 0; i < 256; i++) c.table[i] = clamp_u8(((i - lo) * 255) / (hi - lo));
  return apply_curve(img, &c);
}

typedef struct {
  int64_t sum;
  int64_t sum_sq;
  int min;
  int max;
  int n;
} Stats;

void stats_gray(const Image *img, Stats *s) {
  s->sum = 0;
  s->sum_sq = 0;
  s->min = 255;
  s->max = 0;
  s->n = img->width * img->height;
  for (int y = 0; y < img->height; y++) {
    const uint8_t *p = img->data + y * img->stride;
    for (int x = 0; x < img->width; x++) {
      int v = p[x];
      s->sum += v;
      s->sum_sq += v * v;
      if (v < s->min) s->min = v;
      if (v > s->max) s->max = v;
    }
  }
}

int stats_variance(const Stats *s) {
  if (s->n == 0) return 0;
  int64_t mean = s->sum / s->n;
  return (int)(s->sum_sq / s->n - mean * mean);
}

/* ------------------------------------------------------------------------------------------ */
/* Thresholding and dithering                                                                 */
/* ------------------------------------------------------------------------------------------ */

int threshold(Image *img, int level) {
  if (!image_valid(img) || img->format != FMT_GRAY8) return ERR_FORMAT;
  for (int y = 0; y < img->height; y++) {
    uint8_t *p = img->data + y * img->stride;
    for (int x = 0; x < img->width; x++) p[x] = p[x] >= level ? 255 : 0;
  }
  return ERR_OK;
}

static const uint8_t bayer4[4][4] = {
    {0, 8, 2, 10}, {12, 4, 14, 6}, {3, 11, 1, 9}, {15, 7, 13, 5}};

int dither_ordered(Image *img) {
  if (!image_valid(img) || img->format != FMT_GRAY8) return ERR_FORMAT;
  for (int y = 0; y < img->height; y++) {
    uint8_t *p = img->data + y * img->stride;
    for (int x = 0; x < img->width; x++) {
      int t = bayer4[y & 3][x & 3] * 16 + 8;
      p[x] = p[x] > t ? 255 : 0;
    }
  }
  return ERR_OK;
}

/* Floyd-Steinberg with a two-row error buffer supplied by the caller (2 * (width + 2) ints). */
int dither_floyd(Image *img, int *errors) {
  if (!image_valid(img) || img->format != FMT_GRAY8 || !errors) return ERR_ARG;
  int w = img->width;
  int *cur = errors;
  int *next = errors + w + 2;
  for (int i = 0; i < 2 * (w + 2); i++) errors[i] = 0;
  for (int y = 0; y < img->height; y++) {
    uint8_t *p = img->data + y * img->stride;
    for (int i = 0; i < w + 2; i++) next[i] = 0;
    for (int x = 0; x < w; x++) {
      int old = p[x] + cur[x + 1] / 16;
      int neu = old >= 128 ? 255 : 0;
      int err = old - neu;
      p[x] = (uint8_t)neu;
      cur[x + 2] += err * 7;
      next[x] += err * 3;
      next[x + 1] += err * 5;
      next[x + 2] += err;
    }
    int *t = cur;
    cur = next;
    next = t;
  }
  return ERR_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* Geometry                                                                                   */
/* ------------------------------------------------------------------------------------------ */

int flip_horizontal(Image *img) {
  if (!image_valid(img)) return ERR_ARG;
  int bpp = bytes_per_pixel(img->format);
  for (int y = 0; y < img->height; y++) {
    uint8_t *row = img->data + y * img->stride;
    for (int a = 0, b = img->width - 1; a < b; a++, b--) {
      for (int c = 0; c < bpp; c++) {
        uint8_t t = row[a * bpp + c];
        row[a * bpp + c] = row[b * bpp + c];
        row[b * bpp + c] = t;
      }
    }
  }
  return ERR_OK;
}

int flip_vertical(Image *img) {
  if (!image_valid(img)) return ERR_ARG;
  int bytes = img->width * bytes_per_pixel(img->format);
  for (int a = 0, b = img->height - 1; a < b; a++, b--) {
    uint8_t *ra = img->data + a * img->stride;
    uint8_t *rb = img->data + b * img->stride;
    for (int i = 0; i < bytes; i++) {
      uint8_t t = ra[i];
      ra[i] = rb[i];
      rb[i] = t;
    }
  }
  return ERR_OK;
}

int rotate90(const Image *src, Image *dst, int clockwise) {
  if (!image_valid(src) || !image_valid(dst)) return ERR_ARG;
  if (src->format != dst->format) return ERR_FORMAT;
  if (dst->width != src->height || dst->height != src->width) return ERR_SIZE;
  int bpp = bytes_per_pixel(src->format);
  for (int y = 0; y < src->height; y++) {
    for (int x = 0; x < src->width; x++) {
      const uint8_t *p = pixel_at(src, x, y);
      int dx = clockwise ? src->height - 1 - y : y;
      int dy = clockwise ? x : src->width - 1 - x;
      uint8_t *q = pixel_at(dst, dx, dy);
      for (int c = 0; c < bpp; c++) q[c] = p[c];
    }
  }
  return ERR_OK;
}

int crop(const Image *src, Image *dst, Rect r) {
  if (!image_valid(src) || !dst) return ERR_ARG;
  if (!rect_clip(&r, src)) return ERR_SIZE;
  dst->data = pixel_at(src, r.x, r.y);
  dst->width = r.w;
  dst->height = r.h;
  dst->stride = src->stride;
  dst->format = src->format;
  return ERR_OK;
}

int resize_nearest(const Image *src, Image *dst) {
  if (!image_valid(src) || !image_valid(dst)) return ERR_ARG;
  if (src->format != dst->format) return ERR_FORMAT;
  int bpp = bytes_per_pixel(src->format);
  uint32_t sx = ((uint32_t)src->width << 16) / (uint32_t)dst->width;
  uint32_t sy = ((uint32_t)src->height << 16) / (uint32_t)dst->height;
  for (int y = 0; y < dst->height; y++) {
    const uint8_t *row = src->data + (int)((y * sy) >> 16) * src->stride;
    uint8_t *q = dst->data + y * dst->stride;
    uint32_t fx = 0;
    for (int x = 0; x < dst->width; x++, fx += sx) {
      const uint8_t *p = row + (int)(fx >> 16) * bpp;
      for (int c = 0; c < bpp; c++) q[x * bpp + c] = p[c];
    }
  }
  return ERR_OK;
}

int resize_bilinear(const Image *src, Image *dst) {
  if (!image_valid(src) || !image_valid(dst)) return ERR_ARG;
  if (src->format != dst->format) return ERR_FORMAT;
  int bpp = bytes_per_pixel(src->format);
  int sx = ((src->width - 1) << 8) / max_int(dst->width - 1, 1);
  int sy = ((src->height - 1) << 8) / max_int(dst->height - 1, 1);
  for (int y = 0; y < dst->height; y++) {
    int fy = y * sy;
    int y0 = fy >> 8;
    int wy = fy & 255;
    int y1 = min_int(y0 + 1, src->height - 1);
    const uint8_t *r0 = src->data + y0 * src->stride;
    const uint8_t *r1 = src->data + y1 * src->stride;
    uint8_t *q = dst->data + y * dst->stride;
    for (int x = 0; x < dst->width; x++) {
      int fx = x * sx;
      int x0 = fx >> 8;
      int wx = fx & 255;
      int x1 = min_int(x0 + 1, src->width - 1);
      for (int c = 0; c < bpp; c++) {
        int a = r0[x0 * bpp + c] * (256 - wx) + r0[x1 * bpp + c] * wx;
        int b = r1[x0 * bpp + c] * (256 - wx) + r1[x1 * bpp + c] * wx;
        q[x * bpp + c] = (uint8_t)((a * (256 - wy) + b * wy + 32768) >> 16);
      }
    }
  }
  return ERR_OK;
}

/* Box downscale by an integer factor: averages factor x factor blocks. */
int downscale_box(const Image *src, Image *dst, int factor) {
  if (!image_valid(src) || !image_valid(dst) || factor < 1) return ERR_ARG;
  if (src->format != dst->format) return ERR_FORMAT;
  if (dst->width * factor > src->width || dst->height * factor > src->height) return ERR_SIZE;
  int bpp = bytes_per_pixel(src->format);
  int area = factor * factor;
  for (int y = 0; y < dst->height; y++) {
    for (int x = 0; x < dst->width; x++) {
      int sum[4] = {0, 0, 0, 0};
      for (int j = 0; j < factor; j++) {
        const uint8_t *p = pixel_at(src, x * factor, y * factor + j);
        for (int i = 0; i < factor; i++) {
          for (int c = 0; c < bpp; c++) sum[c] += p[i * bpp + c];
        }
      }
      uint8_t *q = pixel_at(dst, x, y);
      for (int c = 0; c < bpp; c++) q[c] = (uint8_t)((sum[c] + area / 2) / area);
    }
  }
  return ERR_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* Convolution filters (gray)                                                                 */
/* ------------------------------------------------------------------------------------------ */

typedef struct {
  int k[9];
  int divisor;
  int bias;
} Kernel3;

static const Kernel3 kernel_sharpen = {{0, -1, 0, -1, 5, -1, 0, -1, 0}, 1, 0};
static const Kernel3 kernel_blur = {{1, 2, 1, 2, 4, 2, 1, 2, 1}, 16, 0};
static const Kernel3 kernel_emboss = {{-2, -1, 0, -1, 1, 1, 0, 1, 2}, 1, 0};
static const Kernel3 kernel_edge = {{-1, -1, -1, -1, 8, -1, -1, -1, -1}, 1, 128};

int convolve3(const Image *src, Image *dst, const Kernel3 *k) {
  if (!image_valid(src) || !image_valid(dst)) return ERR_ARG;
  if (src->format != FMT_GRAY8 || dst->format != FMT_GRAY8) return ERR_FORMAT;
  if (src->width != dst->width || src->height != dst->height) return ERR_SIZE;
  int w = src->width;
  int h = src->height;
  for (int y = 0; y < h; y++) {
    const uint8_t *rows[3];
    for (int j = -1; j <= 1; j++) rows[j + 1] = src->data + clamp_int(y + j, 0, h - 1) * src->stride;
    uint8_t *q = dst->data + y * dst->stride;
    for (int x = 0; x < w; x++) {
      int xs[3] = {clamp_int(x - 1, 0, w - 1), x, clamp_int(x + 1, 0, w - 1)};
      int acc = 0;
      for (int j = 0; j < 3; j++) {
        for (int i = 0; i < 3; i++) acc += k->k[j * 3 + i] * rows[j][xs[i]];
      }
      q[x] = clamp_u8(acc / k->divisor + k->bias);
    }
  }
  return ERR_OK;
}

int sharpen(const Image *src, Image *dst) { return convolve3(src, dst, &kernel_sharpen); }
int gaussian3(const Image *src, Image *dst) { return convolve3(src, dst, &kernel_blur); }
int emboss(const Image *src, Image *dst) { return convolve3(src, dst, &kernel_emboss); }
int edges(const Image *src, Image *dst) { return convolve3(src, dst, &kernel_edge); }

static void sort9(uint8_t *v) {
  for (int i = 1; i < 9; i++) {
    uint8_t x = v[i];
    int j = i - 1;
    while (j >= 0 && v[j] > x) {
      v[j + 1] = v[j];
      j--;
    }
    v[j + 1] = x;
  }
}

int median3(const Image *src, Image *dst) {
  if (!image_valid(src) || !image_valid(dst)) return ERR_ARG;
  if (src->format != FMT_GRAY8 || dst->format != FMT_GRAY8) return ERR_FORMAT;
  int w = src->width;
  int h = src->height;
  for (int y = 0; y < h; y++) {
    uint8_t *q = dst->data + y * dst->stride;
    for (int x = 0; x < w; x++) {
      uint8_t v[9];
      int n = 0;
      for (int j = -1; j <= 1; j++) {
        const uint8_t *row = src->data + clamp_int(y + j, 0, h - 1) * src->stride;
        for (int i = -1; i <= 1; i++) v[n++] = row[clamp_int(x + i, 0, w - 1)];
      }
      sort9(v);
      q[x] = v[4];
    }
  }
  return ERR_OK;
}

/* Separable box blur of radius r with running sums; tmp holds width * height ints. */
int box_blur(Image *img, int radius, int *tmp) {
  if (!image_valid(img) || img->format != FMT_GRAY8 || radius < 1 || !tmp) return ERR_ARG;
  int w = img->width;
  int h = img->height;
  int span = 2 * radius + 1;
  for (int y = 0; y < h; y++) {
    const uint8_t *p = img->data + y * img->stride;
    int acc = 0;
    for (int i = -radius; i <= radius; i++) acc += p[clamp_int(i, 0, w - 1)];
    for (int x = 0; x < w; x++) {
      tmp[y * w + x] = acc;
      acc += p[clamp_int(x + radius + 1, 0, w - 1)] - p[clamp_int(x - radius, 0, w - 1)];
    }
  }
  for (int x = 0; x < w; x++) {
    int acc = 0;
    for (int j = -radius; j <= radius; j++) acc += tmp[clamp_int(j, 0, h - 1) * w + x];
    for (int y = 0; y < h; y++) {
      img->data[y * img->stride + x] = (uint8_t)((acc + span * span / 2) / (span * span));
      acc += tmp[clamp_int(y + radius + 1, 0, h - 1) * w + x] - tmp[clamp_int(y - radius, 0, h - 1) * w + x];
    }
  }
  return ERR_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* Compositing                                                                                */
/* ------------------------------------------------------------------------------------------ */

static uint8_t blend_channel(int a, int b, int alpha) { return (uint8_t)((a * (255 - alpha) + b * alpha + 127) / 255); }

int alpha_blend(Image *dst, const Image *src, int dx, int dy) {
  if (!image_valid(dst) || !image_valid(src)) return ERR_ARG;
  if (src->format != FMT_RGBA32 || dst->format == FMT_GRAY8) return ERR_FORMAT;
  Rect r = {dx, dy, src->width, src->height};
  if (!rect_clip(&r, dst)) return ERR_OK;
  int bpp = bytes_per_pixel(dst->format);
  for (int y = 0; y < r.h; y++) {
    const uint8_t *s = pixel_at(src, r.x - dx, r.y - dy + y);
    uint8_t *d = pixel_at(dst, r.x, r.y + y);
    for (int x = 0; x < r.w; x++, s += 4, d += bpp) {
      int a = s[3];
      if (a == 0) continue;
      for (int c = 0; c < 3; c++) d[c] = blend_channel(d[c], s[c], a);
    }
  }
  return ERR_OK;
}

int fill_rect(Image *img, Rect r, Pixel32 colour) {
  if (!image_valid(img)) return ERR_ARG;
  if (!rect_clip(&r, img)) return ERR_OK;
  int bpp = bytes_per_pixel(img->format);
  for (int y = r.y; y < r.y + r.h; y++) {
    uint8_t *p = pixel_at(img, r.x, y);
    for (int x = 0; x < r.w; x++, p += bpp) {
      if (bpp == 1) p[0] = luma601(colour.rgba.r, colour.rgba.g, colour.rgba.b);
      else for (int c = 0; c < bpp; c++) p[c] = colour.bytes[c];
    }
  }
  return ERR_OK;
}

int draw_line(Image *img, int x0, int y0, int x1, int y1, Pixel32 colour) {
  if (!image_valid(img)) return ERR_ARG;
  int dx = abs_int(x1 - x0);
  int dy = -abs_int(y1 - y0);
  int sx = x0 < x1 ? 1 : -1;
  int sy = y0 < y1 ? 1 : -1;
  int err = dx + dy;
  int bpp = bytes_per_pixel(img->format);
  for (;;) {
    if (x0 >= 0 && y0 >= 0 && x0 < img->width && y0 < img->height) {
      uint8_t *p = pixel_at(img, x0, y0);
      for (int c = 0; c < bpp; c++) p[c] = colour.bytes[c];
    }
    if (x0 == x1 && y0 == y1) break;
    int e2 = 2 * err;
    if (e2 >= dy) {
      err += dy;
      x0 += sx;
    }
    if (e2 <= dx) {
      err += dx;
      y0 += sy;
    }
  }
  return ERR_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* Checksums                                                                                  */
/* ------------------------------------------------------------------------------------------ */

static uint32_t crc_table[256];
static int crc_ready;

static void crc_init(void) {
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    crc_table[i] = c;
  }
  crc_ready = 1;
}

uint32_t crc32_update(uint32_t crc, const uint8_t *p, int len) {
  if (!crc_ready) crc_init();
  crc = ~crc;
  for (int i = 0; i < len; i++) crc = crc_table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
  return ~crc;
}

uint32_t adler32(const uint8_t *p, int len) {
  uint32_t a = 1;
  uint32_t b = 0;
  while (len > 0) {
    int chunk = len < 5552 ? len : 5552;
    len -= chunk;
    while (chunk--) {
      a += *p++;
      b += a;
    }
    a %= 65521u;
    b %= 65521u;
  }
  return (b << 16) | a;
}

uint32_t fnv1a(const uint8_t *p, int len) {
  uint32_t h = 2166136261u;
  for (int i = 0; i < len; i++) h = (h ^ p[i]) * 16777619u;
  return h;
}

uint64_t image_digest(const Image *img) {
  if (!image_valid(img)) return 0;
  int bytes = img->width * bytes_per_pixel(img->format);
  uint32_t crc = 0;
  uint32_t fnv = 2166136261u;
  for (int y = 0; y < img->height; y++) {
    const uint8_t *row = img->data + y * img->stride;
    crc = crc32_update(crc, row, bytes);
    for (int i = 0; i < bytes; i++) fnv = (fnv ^ row[i]) * 16777619u;
  }
  return ((uint64_t)crc << 32) | fnv;
}

/* ------------------------------------------------------------------------------------------ */
/* Run-length and base64 coding                                                               */
/* ------------------------------------------------------------------------------------------ */

/* PackBits-style RLE. Returns bytes written or ERR_SPACE. */
int rle_encode(const uint8_t *src, int len, uint8_t *dst, int cap) {
  int i = 0;
  int o = 0;
  while (i < len) {
    int run = 1;
    while (i + run < len && run < 128 && src[i + run] == src[i]) run++;
    if (run >= 3) {
      if (o + 2 > cap) return ERR_SPACE;
      dst[o++] = (uint8_t)(257 - run);
      dst[o++] = src[i];
      i += run;
      continue;
    }
    int lit = 0;
    while (i + lit < len && lit < 128) {
      if (i + lit + 2 < len && src[i + lit] == src[i + lit + 1] && src[i + lit] == src[i + lit + 2]) break;
      lit++;
    }
    if (o + 1 + lit > cap) return ERR_SPACE;
    dst[o++] = (uint8_t)(lit - 1);
    memcpy(dst + o, src + i, (size_t)lit);
    o += lit;
    i += lit;
  }
  return o;
}

int rle_decode(const uint8_t *src, int len, uint8_t *dst, int cap) {
  int i = 0;
  int o = 0;
  while (i < len) {
    int n = src[i++];
    if (n < 128) {
      int lit = n + 1;
      if (i + lit > len || o + lit > cap) return ERR_SPACE;
      memcpy(dst + o, src + i, (size_t)lit);
      i += lit;
      o += lit;
    } else if (n > 128) {
      int run = 257 - n;
      if (i >= len || o + run > cap) return ERR_SPACE;
      memset(dst + o, src[i++], (size_t)run);
      o += run;
    }
  }
  return o;
}

static const char b64_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int base64_encode(const uint8_t *src, int len, char *dst, int cap) {
  int need = ((len + 2) / 3) * 4;
  if (need + 1 > cap) return ERR_SPACE;
  int o = 0;
  int i = 0;
  for (; i + 2 < len; i += 3) {
    uint32_t v = ((uint32_t)src[i] << 16) | ((uint32_t)src[i + 1] << 8) | src[i + 2];
    dst[o++] = b64_alphabet[(v >> 18) & 63];
    dst[o++] = b64_alphabet[(v >> 12) & 63];
    dst[o++] = b64_alphabet[(v >> 6) & 63];
    dst[o++] = b64_alphabet[v & 63];
  }
  if (i < len) {
    uint32_t v = (uint32_t)src[i] << 16;
    if (i + 1 < len) v |= (uint32_t)src[i + 1] << 8;
    dst[o++] = b64_alphabet[(v >> 18) & 63];
    dst[o++] = b64_alphabet[(v >> 12) & 63];
    dst[o++] = i + 1 < len ? b64_alphabet[(v >> 6) & 63] : '=';
    dst[o++] = '=';
  }
  dst[o] = '\0';
  return o;
}

static int b64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

int base64_decode(const char *src, int len, uint8_t *dst, int cap) {
  if (len % 4 != 0) return ERR_PARSE;
  int o = 0;
  for (int i = 0; i < len; i += 4) {
    int v[4];
    int pad = 0;
    for (int k = 0; k < 4; k++) {
      if (src[i + k] == '=') {
        v[k] = 0;
        pad++;
      } else {
        v[k] = b64_value(src[i + k]);
        if (v[k] < 0 || pad) return ERR_PARSE;
      }
    }
    uint32_t word = ((uint32_t)v[0] << 18) | ((uint32_t)v[1] << 12) | ((uint32_t)v[2] << 6) | (uint32_t)v[3];
    int n = 3 - pad;
    if (o + n > cap) return ERR_SPACE;
    for (int k = 0; k < n; k++) dst[o++] = (uint8_t)(word >> (16 - 8 * k));
  }
  return o;
}

/* ------------------------------------------------------------------------------------------ */
/* PPM/PGM header parsing                                                                     */
/* ------------------------------------------------------------------------------------------ */

typedef struct {
  const uint8_t *p;
  const uint8_t *end;
} Cursor;

static int is_space(int c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

static void skip_space_and_comments(Cursor *c) {
  while (c->p < c->end) {
    if (is_space(*c->p)) {
      c->p++;
    } else if (*c->p == '#') {
      while (c->p < c->end && *c->p != '\n') c->p++;
    } else {
      break;
    }
  }
}

static int read_uint(Cursor *c, int *out) {
  skip_space_and_comments(c);
  if (c->p >= c->end || *c->p < '0' || *c->p > '9') return ERR_PARSE;
  int64_t v = 0;
  while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
    v = v * 10 + (*c->p - '0');
    if (v > 0x7fffffff) return ERR_PARSE;
    c->p++;
  }
  *out = (int)v;
  return ERR_OK;
}

typedef struct {
  int width;
  int height;
  int maxval;
  int channels;
  int header_bytes;
} PnmHeader;

int pnm_parse_header(const uint8_t *data, int len, PnmHeader *h) {
  if (!data || len < 3 || !h) return ERR_ARG;
  if (data[0] != 'P') return ERR_PARSE;
  if (data[1] == '5') h->channels = 1;
  else if (data[1] == '6') h->channels = 3;
  else return ERR_FORMAT;
  Cursor c = {data + 2, data + len};
  if (read_uint(&c, &h->width) || read_uint(&c, &h->height) || read_uint(&c, &h->maxval)) return ERR_PARSE;
  if (h->width <= 0 || h->height <= 0 || h->maxval <= 0 || h->maxval > 255) return ERR_FORMAT;
  if (c.p >= c.end || !is_space(*c.p)) return ERR_PARSE;
  c.p++;
  h->header_bytes = (int)(c.p - data);
  if ((int64_t)h->width * h->height * h->channels > len - h->header_bytes) return ERR_SIZE;
  return ERR_OK;
}

static int write_uint(char *dst, int v) {
  char tmp[12];
  int n = 0;
  do {
    tmp[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v > 0);
  for (int i = 0; i < n; i++) dst[i] = tmp[n - 1 - i];
  return n;
}

int pnm_write_header(char *dst, int cap, int width, int height, int channels) {
  if (cap < 32) return ERR_SPACE;
  int o = 0;
  dst[o++] = 'P';
  dst[o++] = channels == 1 ? '5' : '6';
  dst[o++] = '\n';
  o += write_uint(dst + o, width);
  dst[o++] = ' ';
  o += write_uint(dst + o, height);
  dst[o++] = '\n';
  o += write_uint(dst + o, 255);
  dst[o++] = '\n';
  return o;
}

/* ------------------------------------------------------------------------------------------ */
/* Operation pipeline                                                                         */
/* ------------------------------------------------------------------------------------------ */

typedef int (*UnaryOp)(Image *img);
typedef int (*BinaryOp)(const Image *src, Image *dst);

typedef struct {
  const char *name;
  int kind; /* 1 unary in place, 2 src -> dst */
  UnaryOp unary;
  BinaryOp binary;
} OpEntry;

static int op_equalize(Image *img) { return equalize(img); }
static int op_levels(Image *img) { return auto_levels(img, 1); }
static int op_dither(Image *img) { return dither_ordered(img); }
static int op_flip_h(Image *img) { return flip_horizontal(img); }
static int op_flip_v(Image *img) { return flip_vertical(img); }

static const OpEntry op_table[] = {
    {"invert", 1, invert, 0},
    {"sepia", 1, sepia, 0},
    {"equalize", 1, op_equalize, 0},
    {"levels", 1, op_levels, 0},
    {"dither", 1, op_dither, 0},
    {"fliph", 1, op_flip_h, 0},
    {"flipv", 1, op_flip_v, 0},
    {"sharpen", 2, 0, sharpen},
    {"blur", 2, 0, gaussian3},
    {"emboss", 2, 0, emboss},
    {"edges", 2, 0, edges},
    {"median", 2, 0, median3},
};

static int name_equals(const char *a, const char *b, int blen) {
  int i = 0;
  for (; i < blen; i++) {
    if (a[i] != b[i]) return 0;
  }
  return a[i] == '\0';
}

static const OpEntry *find_op(const char *name, int len) {
  int n = (int)(sizeof op_table / sizeof op_table[0]);
  for (int i = 0; i < n; i++) {
    if (name_equals(op_table[i].name, name, len)) return &op_table[i];
  }
  return 0;
}

/*
 * Runs a comma-separated list of operations, e.g. "levels,sharpen,dither", on a gray image.
 * Binary operations ping-pong between img and scratch (same geometry). Returns the number of
 * operations applied, or an error; *result points at whichever buffer holds the output.
 */
int run_pipeline(const char *ops, Image *img, Image *scratch, Image **result) {
  if (!ops || !image_valid(img) || !image_valid(scratch) || !result) return ERR_ARG;
  Image *cur = img;
  Image *other = scratch;
  int applied = 0;
  const char *p = ops;
  while (*p) {
    const char *start = p;
    while (*p && *p != ',') p++;
    int len = (int)(p - start);
    if (*p == ',') p++;
    if (len == 0) continue;
    const OpEntry *op = find_op(start, len);
    if (!op) return ERR_PARSE;
    int rc;
    if (op->kind == 1) {
      rc = op->unary(cur);
    } else {
      rc = op->binary(cur, other);
      Image *t = cur;
      cur = other;
      other = t;
    }
    if (rc != ERR_OK) return rc;
    applied++;
  }
  *result = cur;
  return applied;
}

/* Self-test over a small generated image: exercises most of the library, returns a digest. */
uint32_t selftest(uint8_t *work, int work_bytes) {
  int w = 32;
  int h = 24;
  if (work_bytes < w * h * 12 + 2 * (w + 2) * 4 + 256) return 0;
  uint8_t *rgb = work;
  uint8_t *gray = rgb + w * h * 3;
  uint8_t *gray2 = gray + w * h;
  int *errors = (int *)(gray2 + w * h + ((4 - ((w * h * 5) & 3)) & 3));
  for (int i = 0; i < w * h * 3; i++) rgb[i] = (uint8_t)((i * 37) ^ (i >> 3));
  Image a, g, g2;
  image_init(&a, rgb, w, h, FMT_RGB24);
  image_init(&g, gray, w, h, FMT_GRAY8);
  image_init(&g2, gray2, w, h, FMT_GRAY8);
  sepia(&a);
  adjust_saturation(&a, 150);
  to_gray(&a, &g, 0);
  Image *out = 0;
  if (run_pipeline("levels,sharpen,median,equalize", &g, &g2, &out) != 4) return 1;
  dither_floyd(out, errors);
  Histogram hist;
  histogram_gray(out, &hist);
  uint32_t digest = (uint32_t)image_digest(out) ^ (uint32_t)otsu_threshold(&hist);
  uint8_t packed[1024];
  int n = rle_encode(out->data, w * h, packed, (int)sizeof packed);
  if (n < 0) return 2;
  return digest ^ (uint32_t)n ^ adler32(packed, n);
}
