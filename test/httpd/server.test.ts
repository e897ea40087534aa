// The server without client plugins: listing, originals with validators, path safety, the
// trusted-JS and native-helper engines, caching, limits against bad and oversized images,
// metrics and content negotiation.

import assert from "node:assert/strict";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { deflateSync } from "node:zlib";
import { PARAM_DEFAULTS } from "../../httpd/plugin-abi.ts";
import { parsePnm } from "../../httpd/pnm.ts";
import { firstDifference, testImage } from "./fixtures.ts";
import { createClient, type Harness, startServer } from "./harness.ts";
import { downscale, grayscale } from "./reference.ts";

const NO_LIMITS = { maxWidth: 1e6, maxHeight: 1e6, maxPixels: 1e12 };

/** GET with the path sent exactly as written (fetch would normalise `..` away). */
function rawGet(base: string, path: string): Promise<{ status: number; body: string }> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path, method: "GET" }, (res) => {
      let body = "";
      res.setEncoding("latin1");
      res.on("data", (d) => {
        body += d;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

function crc32(bytes: Uint8Array): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])));
  return Buffer.concat([head, data, crc]);
}

/** A tiny PNG file whose header claims width x height (a decompression bomb's shape). */
function bombPng(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // gray
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", ihdr),
    pngChunk("IDAT", deflateSync(Buffer.alloc(1024))),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

describe("image server", () => {
  let h: Harness;
  before(async () => {
    h = await startServer({
      helper: true,
      limits: { maxPixels: 1_000_000, maxConcurrentUploads: 2, bodyReadMs: 1000 },
    });
    writeFileSync(join(h.imagesDir, "bomb.png"), bombPng(50_000, 50_000));
    writeFileSync(join(h.imagesDir, "bomb.ppm"), Buffer.from("P6\n60000 60000\n255\n"));
    writeFileSync(join(h.imagesDir, "broken.ppm"), Buffer.from("P6\n10 10\n255\nabc"));
    writeFileSync(join(h.root, "secret.ppm"), Buffer.from("P6\n1 1\n255\nxyz"));
    symlinkSync(join(h.root, "secret.ppm"), join(h.imagesDir, "escape.ppm"));
    symlinkSync(join(h.imagesDir, "small.ppm"), join(h.imagesDir, "alias.ppm"));
    mkdirSync(join(h.imagesDir, "sub"));
  });
  after(() => h.stop());

  test("healthz and the image list", async () => {
    const health = await (await fetch(`${h.url}/healthz`)).json();
    assert.equal(health.status, "ok");
    const list = await (await fetch(`${h.url}/images`)).json();
    const names = list.images.map((i: { name: string }) => i.name);
    assert.ok(
      names.includes("small.ppm") && names.includes("gray.pgm") && names.includes("alias.ppm"),
    );
    assert.ok(!names.includes("escape.ppm"), "a symlink out of the root is not listed");
    assert.ok(list.profiles.includes("pda") && list.profiles.includes("eink"));
  });

  test("originals are served as they are, with an ETag and 304 on revalidation", async () => {
    const res = await fetch(`${h.url}/images/small.ppm`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "image/x-portable-pixmap");
    const body = new Uint8Array(await res.arrayBuffer());
    const img = parsePnm(body, NO_LIMITS);
    assert.equal(firstDifference(img, testImage(40, 30, 3)), undefined);
    const etag = res.headers.get("etag")!;
    const again = await fetch(`${h.url}/images/small.ppm`, { headers: { "if-none-match": etag } });
    assert.equal(again.status, 304);
  });

  test("path traversal is refused in every spelling", async () => {
    for (const path of [
      "/images/../secret.ppm",
      "/images/%2e%2e/secret.ppm",
      "/images/%2E%2E%2Fsecret.ppm",
      "/images/..%2fsecret.ppm",
      "/images/..%5csecret.ppm",
      "/images/.hidden",
      "/images/escape.ppm",
      "/images/%00small.ppm",
    ]) {
      const res = await rawGet(h.url, path);
      assert.ok(res.status === 403 || res.status === 404, `${path}: ${res.status}`);
      assert.ok(!res.body.includes("xyz"), `${path} leaked the file`);
    }
    assert.equal((await rawGet(h.url, "/images/escape.ppm")).status, 403);
    assert.equal(
      (await rawGet(h.url, "/images/alias.ppm")).status,
      200,
      "symlinks inside the root work",
    );
    assert.equal((await rawGet(h.url, "/images/sub")).status, 404);
  });

  test("the trusted JS engine computes the reference grayscale, in a worker like plugins", async () => {
    for (const engine of ["js", "plugin"]) {
      const res = await fetch(`${h.url}/images/small.ppm?plugin=grayscale&engine=${engine}`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("content-type"), "image/x-portable-graymap");
      // Both transcodes ran in a worker: the header says how long there, and in all.
      const timing = res.headers.get("server-timing") ?? "";
      assert.match(timing, /^transcode;dur=[\d.]+, worker;dur=[\d.]+$/, engine);
      const img = parsePnm(new Uint8Array(await res.arrayBuffer()), NO_LIMITS);
      assert.equal(firstDifference(img, grayscale(testImage(40, 30, 3))), undefined, engine);
    }
    const raw = await fetch(`${h.url}/images/small.ppm?plugin=grayscale&engine=js&format=png&a0=7`);
    assert.equal(raw.status, 200, "raw pixels back from the worker, encoded here");
    await raw.arrayBuffer();
  });

  test("the out-of-process helper computes the same", async () => {
    const res = await fetch(`${h.url}/images/small.ppm?plugin=grayscale&engine=helper`);
    assert.equal(res.status, 200);
    const img = parsePnm(new Uint8Array(await res.arrayBuffer()), NO_LIMITS);
    assert.equal(firstDifference(img, grayscale(testImage(40, 30, 3))), undefined);
    const bad = await fetch(`${h.url}/images/small.ppm?plugin=blur&radius=0&engine=helper`);
    assert.equal(bad.status, 422);
  });

  test("results are cached, validated by ETag, and keyed by parameters", async () => {
    const u = `${h.url}/images/small.ppm?plugin=grayscale&engine=js&format=png`;
    const first = await fetch(u);
    assert.equal(first.headers.get("x-cache"), "miss");
    assert.equal(first.headers.get("content-type"), "image/png");
    await first.arrayBuffer();
    const second = await fetch(u);
    assert.equal(second.headers.get("x-cache"), "hit");
    assert.equal(second.headers.get("etag"), first.headers.get("etag"));
    await second.arrayBuffer();
    const cond = await fetch(u, { headers: { "if-none-match": first.headers.get("etag")! } });
    assert.equal(cond.status, 304);
    const other = await fetch(`${u}&quality=50`);
    assert.notEqual(other.headers.get("etag"), first.headers.get("etag"));
    await other.arrayBuffer();
  });

  test("decompression bombs and broken files are refused before decoding", async () => {
    const png = await fetch(`${h.url}/images/bomb.png?plugin=grayscale&engine=js`);
    assert.equal(png.status, 413);
    assert.equal((await png.json()).error, "too-large");
    const ppm = await fetch(`${h.url}/images/bomb.ppm?plugin=grayscale&engine=js`);
    assert.equal(ppm.status, 413);
    const broken = await fetch(`${h.url}/images/broken.ppm?plugin=grayscale&engine=js`);
    assert.equal(broken.status, 422);
  });

  test("bad requests get clear errors", async () => {
    const cases: Array<[string, number]> = [
      ["/images/small.ppm?plugin=grayscale&format=gif", 400],
      ["/images/small.ppm?plugin=Bad-Name", 400],
      ["/images/small.ppm?plugin=grayscale&scale=abc", 400],
      ["/images/small.ppm?profile=nope", 400],
      ["/images/small.ppm?plugin=sepia&engine=js", 400],
      ["/images/small.ppm?plugin=nosuch", 404],
      ["/images/missing.ppm", 404],
      [`/images/small.ppm?plugin=${Array(20).fill("invert").join(",")}`, 400],
    ];
    for (const [path, status] of cases) {
      const res = await fetch(`${h.url}${path}`);
      assert.equal(res.status, status, path);
      assert.ok(typeof (await res.json()).message === "string");
    }
    const post = await fetch(`${h.url}/images`, { method: "POST" });
    assert.equal(post.status, 405);
  });

  test("Accept negotiation picks a format the client names", async () => {
    const webp = await fetch(`${h.url}/images/small.ppm?plugin=grayscale&engine=js`, {
      headers: { accept: "image/avif,image/webp,*/*;q=0.8" },
    });
    assert.equal(webp.headers.get("content-type"), "image/webp");
    assert.match(webp.headers.get("vary") ?? "", /Accept/);
    await webp.arrayBuffer();
    const none = await fetch(`${h.url}/images/small.ppm?plugin=grayscale&engine=js`, {
      headers: { accept: "text/html" },
    });
    assert.equal(none.status, 406);
  });

  test("client profiles run as plugin chains, chosen by query or header", async () => {
    const res = await fetch(`${h.url}/images/small.ppm`, {
      headers: { "x-client-profile": "pda" },
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("x-image-size"), "20x15");
    assert.match(res.headers.get("server-timing") ?? "", /transcode;dur=/);
    const img = parsePnm(new Uint8Array(await res.arrayBuffer()), NO_LIMITS);
    const p = { ...PARAM_DEFAULTS, scale: 2 };
    assert.equal(firstDifference(img, grayscale(downscale(testImage(40, 30, 3), p))), undefined);
    const eink = await fetch(`${h.url}/images/small.ppm?profile=eink`);
    assert.equal(eink.headers.get("content-type"), "image/png");
    await eink.arrayBuffer();
    const head = await fetch(`${h.url}/images/small.ppm?profile=pda`, { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal((await head.arrayBuffer()).byteLength, 0);
  });

  test("slow bodies do not hold the upload gate: they get 408 after the read deadline", async () => {
    const token = await createClient(h, "slow");
    const u = new URL(h.url);
    const auth = { authorization: `Bearer ${token}` };
    // More slow bodies than the gate has slots: each is still arriving.
    const slow = [0, 1, 2].map(
      () =>
        new Promise<number>((resolve) => {
          const req = request(
            {
              host: u.hostname,
              port: u.port,
              path: "/compile?client=slow",
              method: "POST",
              headers: { "content-length": "100", ...auth },
            },
            (res) => {
              res.resume();
              resolve(res.statusCode ?? 0);
            },
          );
          req.on("error", () => resolve(-1));
          req.write("int x;");
        }),
    );
    const quick = await fetch(`${h.url}/compile?client=slow`, {
      method: "POST",
      body: "int y;",
      headers: auth,
    });
    assert.equal(quick.status, 200, "a complete body compiles while slow ones are arriving");
    await quick.arrayBuffer();
    assert.deepEqual(await Promise.all(slow), [408, 408, 408]);
    const anonymous = await fetch(`${h.url}/compile`, { method: "POST", body: "int y;" });
    assert.equal(anonymous.status, 401, "compiling needs a client token");
    assert.equal((await anonymous.json()).error, "unauthorized");
  });

  test("metrics are Prometheus text with request and cache counters", async () => {
    assert.equal((await fetch(`${h.url}/profiles`)).status, 200);
    assert.equal((await fetch(`${h.url}/no/such/route`)).status, 404);
    const text = await (await fetch(`${h.url}/metrics`)).text();
    // Every request is labelled with the name of the route that served it (by the router).
    assert.match(text, /kplug_http_requests_total\{route="profiles",status="200"\} 1\n/);
    assert.match(text, /kplug_http_requests_total\{route="unknown",status="404"\} [1-9]/);
    assert.match(text, /kplug_http_requests_total\{route="compile",status="200"\} [1-9]/);
    assert.match(text, /# TYPE kplug_http_requests_total counter/);
    assert.match(text, /kplug_http_requests_total\{route="image",status="200"\} \d+/);
    assert.match(
      text,
      /kplug_http_request_duration_seconds_bucket\{route="image",le="\+Inf"\} \d+/,
    );
    assert.match(text, /kplug_cache_hits_total [1-9]/);
    assert.match(text, /kplug_not_modified_total [1-9]/);
    assert.match(text, /kplug_plugin_calls_total\{runtime="library",plugin="downscale"\} [1-9]/);
    assert.match(text, /kplug_transcode_duration_seconds_count\{engine="plugin"\} [1-9]/);
    assert.match(text, /kplug_compile_duration_seconds_count\{origin="library"\} 1[0-9]/);
  });
});
