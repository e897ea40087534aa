// Image plugins uploaded as WebAssembly built by clang (PUT with Content-Type: application/wasm):
// a grayscale written in plain C against the image ABI's structs (no kplug header), served
// through the real server with pixels checked against a JS reference; refusals are 400s; the
// upload persists and is re-linked after a restart.

import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { parsePnm } from "../../httpd/pnm.ts";
import type { RawImage } from "../../httpd/raw-image.ts";
import { clangWasm } from "../wasm/clang.ts";
import { firstDifference, testImage } from "./fixtures.ts";
import { createClient, type Harness, startServer } from "./harness.ts";

const NO_LIMITS = { maxWidth: 1e6, maxHeight: 1e6, maxPixels: 1e12 };

/** The image ABI's structs written out by hand, as a tenant without kplug's header would. */
const GRAY = `
#define API __attribute__((visibility("default")))
typedef struct { int width, height, channels, stride; unsigned char *pixels; } image;
typedef struct { int scale, threshold, brightness, contrast, radius, amount, x, y, w, h, turns, levels, arg[8]; } params;
extern void *malloc(unsigned long);
API int cgray_transform(const image *in, image *out, const params *p) {
  (void)p;
  if (in->channels != 3) return -3;
  unsigned char *dst = malloc((unsigned long)in->width * in->height);
  if (!dst) return -2;
  for (int y = 0; y < in->height; y++) {
    const unsigned char *row = in->pixels + y * in->stride;
    for (int x = 0; x < in->width; x++) {
      const unsigned char *px = row + 3 * x;
      dst[y * in->width + x] = (unsigned char)((77 * px[0] + 150 * px[1] + 29 * px[2] + 128) >> 8);
    }
  }
  out->width = in->width;
  out->height = in->height;
  out->channels = 1;
  out->stride = in->width;
  out->pixels = dst;
  return 0;
}
`;

function grayReference(img: RawImage): RawImage {
  const data = new Uint8Array(img.width * img.height);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const at = y * img.stride + 3 * x;
      const [r, g, b] = [img.data[at]!, img.data[at + 1]!, img.data[at + 2]!];
      data[y * img.width + x] = (77 * r + 150 * g + 29 * b + 128) >> 8;
    }
  }
  return { width: img.width, height: img.height, channels: 1, stride: img.width, data };
}

function putWasm(
  h: Harness,
  token: string,
  name: string,
  wasm: Uint8Array<ArrayBuffer>,
  header?: string,
) {
  const headers: Record<string, string> = {
    authorization: `Bearer ${token}`,
    "content-type": "application/wasm",
  };
  if (header !== undefined) headers["x-kplug-header"] = encodeURIComponent(header);
  return fetch(`${h.url}/clients/alice/plugins/${name}`, { method: "PUT", headers, body: wasm });
}

describe("wasm image plugins uploaded to the server", () => {
  let h: Harness;
  let token: string;
  let gray: Uint8Array<ArrayBuffer>;
  before(async () => {
    gray = clangWasm(GRAY, "shared");
    h = await startServer();
    root = h.root;
    token = await createClient(h, "alice");
  });
  let root: string;
  after(async () => {
    await h.stop();
    rmSync(root, { recursive: true, force: true });
  });

  const get = (plugin: string) =>
    fetch(`${h.url}/images/small.ppm?client=alice&plugin=${plugin}`, {
      headers: { authorization: `Bearer ${token}` },
    });

  test("a clang-built grayscale is served with the reference's pixels", async () => {
    const put = await putWasm(h, token, "cgray", gray);
    assert.equal(put.status, 201, await put.clone().text());
    const res = await get("cgray");
    assert.equal(res.status, 200, await res.clone().text());
    const img = parsePnm(new Uint8Array(await res.arrayBuffer()), NO_LIMITS);
    assert.equal(firstDifference(img, grayReference(testImage(40, 30, 3))), undefined);
  });

  test("refusals are 400s with a clear message", async () => {
    const missing = await putWasm(h, token, "other", gray);
    assert.equal(missing.status, 400);
    const m = await missing.json();
    assert.equal(m.error, "abi-error");
    assert.match(m.message, /other_transform/);

    const garbage = await putWasm(h, token, "junk", new Uint8Array([0, 0x61, 0x73, 0x6d, 9, 9]));
    assert.equal(garbage.status, 400);
    assert.match((await garbage.json()).message, /refused: module/);

    const spin = clangWasm(
      `${'#define API __attribute__((visibility("default")))'}
      extern int system(int); API int bad_transform(int a, int b, int c) { return system(a + b + c); }`,
      "shared",
    );
    const ungranted = await putWasm(h, token, "bad", spin);
    assert.equal(ungranted.status, 400);
    assert.match((await ungranted.json()).message, /import env\.system: not granted/);

    const wrong = await putWasm(h, token, "cgray2", gray, "double cgray_transform(int);");
    assert.equal(wrong.status, 400);
    // The plugin still serves.
    assert.equal((await get("cgray")).status, 200);
  });

  test("an out-of-bounds read in clang's code: the fault JSON has its address", async () => {
    // The plugin prints the pointer it reads through (to its log): the address expected.
    const oob = clangWasm(
      `#define API __attribute__((visibility("default")))
      typedef struct { int width, height, channels, stride; unsigned char *pixels; } image;
      extern int putchar(int);
      static void hex(unsigned v) {
        putchar('0');
        putchar('x');
        int started = 0;
        for (int s = 28; s >= 0; s -= 4) {
          unsigned d = (v >> s) & 15;
          if (d || started || s == 0) {
            putchar("0123456789abcdef"[d]);
            started = 1;
          }
        }
        putchar('\\n');
      }
      API int coob_transform(const image *in, image *out, const void *p) {
        const unsigned char *at = in->pixels + 0x7ffffff0;
        hex((unsigned)at);
        *out = *in;
        out->pixels[0] = *at;
        return 0;
      }`,
      "shared",
    );
    const put = await putWasm(h, token, "coob", oob);
    assert.equal(put.status, 201, await put.clone().text());
    const res = await get("coob");
    assert.equal(res.status, 500);
    const body = await res.json();
    assert.equal(body.fault, "out-of-bounds");
    const logs = await fetch(`${h.url}/clients/alice/logs`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const { entries } = (await logs.json()) as { entries: { text: string }[] };
    const printed = entries.map((e) => /^0x[0-9a-f]+/.exec(e.text)?.[0]).filter(Boolean);
    assert.equal(printed.length, 1);
    assert.deepEqual([body.access.access, body.access.size], ["read", 1]);
    assert.equal(`0x${body.access.address.toString(16)}`, printed[0]);
  });

  test("a looping wasm plugin is stopped and the server goes on", async () => {
    const loop = clangWasm(
      `#define API __attribute__((visibility("default")))
      API int loop_transform(const void *a, void *b, const void *c) { for (;;) __asm__ volatile(""); }`,
      "shared",
    );
    const put = await putWasm(h, token, "loop", loop);
    assert.equal(put.status, 201, await put.clone().text());
    const res = await get("loop");
    assert.ok(res.status >= 400 && res.status < 600);
    await res.arrayBuffer();
    assert.equal((await get("cgray")).status, 200);
  });

  test("the upload persists and is re-linked after a restart", async () => {
    await h.server.close();
    h = await startServer({}, root);
    const res = await get("cgray");
    assert.equal(res.status, 200, await res.clone().text());
    const img = parsePnm(new Uint8Array(await res.arrayBuffer()), NO_LIMITS);
    assert.equal(firstDifference(img, grayReference(testImage(40, 30, 3))), undefined);
  });
});
