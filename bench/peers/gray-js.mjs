// Plain-JS grayscale, the same BT.601 fixed-point formula as plugins/grayscale.c. Shared by
// the in-process JS path, the worker thread, the child process and (as source text) QuickJS.

export function grayscaleJs(src, dst, width, height, stride) {
  for (let y = 0; y < height; y++) {
    let p = y * stride;
    let q = y * width;
    const end = q + width;
    while (q < end) {
      dst[q++] = (77 * src[p] + 150 * src[p + 1] + 29 * src[p + 2] + 128) >> 8;
      p += 3;
    }
  }
  return 0;
}
