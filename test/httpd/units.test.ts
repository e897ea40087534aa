// Unit tests of the server's parts: PNM codec edge cases, the byte-bounded LRU and its ETags,
// Prometheus rendering, request planning and Accept negotiation, path splitting, the upload
// gate, durable writes and the sample images.

import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { etagFor, etagMatches, TranscodeCache } from "../../httpd/cache.ts";
import { bearerToken, sha256, tokenMatches } from "../../httpd/clients.ts";
import { encodePnm } from "../../httpd/codecs.ts";
import { isSafeName } from "../../httpd/images.ts";
import { grayscaleJs } from "../../httpd/js-transforms.ts";
import { ConcurrencyGate } from "../../httpd/limits.ts";
import { linkOrder } from "../../httpd/link-order.ts";
import { Registry } from "../../httpd/metrics.ts";
import {
  defaultParams,
  PARAM_FIELDS,
  PARAMS_STRUCT_SIZE,
  paramWords,
  writeParams,
} from "../../httpd/plugin-abi.ts";
import { parsePnm } from "../../httpd/pnm.ts";
import { ImageDecodeError } from "../../httpd/raw-image.ts";
import { PathRefused, Router, splitPath } from "../../httpd/router.ts";
import { ensureSamples, PAPER_SIZES } from "../../httpd/samples.ts";
import {
  BadRequest,
  formatCandidates,
  negotiateFormat,
  planFromQuery,
  planKey,
} from "../../httpd/transcode.ts";
import { firstDifference, testImage } from "./fixtures.ts";
import { grayscale } from "./reference.ts";

const LIMITS = { maxWidth: 1000, maxHeight: 1000, maxPixels: 100_000 };

test("PNM: comments and any whitespace in the header, views without copying", () => {
  const bytes = Buffer.concat([
    Buffer.from("P6 # a comment\n#another\n 2\t2\r\n255\n"),
    Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]),
  ]);
  const img = parsePnm(bytes, LIMITS);
  assert.deepEqual([img.width, img.height, img.channels, img.stride], [2, 2, 3, 6]);
  assert.equal(img.data.buffer, bytes.buffer, "pixels are a view of the file");
  assert.deepEqual([...img.data], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  const round = parsePnm(encodePnm(img), LIMITS);
  assert.equal(firstDifference(round, img), undefined);
});

test("PNM: malformed, truncated, 16-bit and oversized files are refused", () => {
  const bad = (text: string) => () => parsePnm(Buffer.from(text), LIMITS);
  assert.throws(bad("P3\n1 1\n255\n1 2 3"), ImageDecodeError);
  assert.throws(bad("P6\n1 1\n65535\n123456"), /maxval/);
  assert.throws(bad("P6\n2 2\n255\nabc"), /truncated/);
  assert.throws(bad("P6\n1x1\n255\nabc"), /malformed/);
  assert.throws(bad("P6\n99999999999 1\n255\n"), /too long/);
  assert.throws(
    bad("P5\n2000 2000\n255\n"),
    (e: unknown) => e instanceof ImageDecodeError && e.code === "too-large",
  );
  assert.throws(bad("P5\n0 5\n255\n"), /empty/);
});

test("padded rows are repacked on encode", () => {
  const img = testImage(5, 4, 3, 7);
  const out = parsePnm(encodePnm(img), LIMITS);
  assert.equal(out.stride, 15);
  assert.equal(firstDifference(out, img), undefined);
});

test("the trusted JS grayscale matches the reference, padding included", () => {
  const img = testImage(31, 17, 3, 4);
  assert.equal(firstDifference(grayscaleJs(img), grayscale(img)), undefined);
});

test("the cache is bounded in bytes and evicts the least recently used", () => {
  const cache = new TranscodeCache(100);
  const entry = (n: number) => ({
    body: Buffer.alloc(n),
    contentType: "x",
    etag: "e",
    width: 1,
    height: 1,
  });
  cache.set("a", entry(40));
  cache.set("b", entry(40));
  assert.ok(cache.get("a"));
  cache.set("c", entry(40));
  assert.equal(cache.get("b"), undefined, "b was least recently used");
  assert.ok(cache.get("a") && cache.get("c"));
  assert.ok(cache.totalBytes <= 100);
  cache.set("huge", entry(101));
  assert.equal(cache.get("huge"), undefined, "larger than the whole cache: not stored");
  cache.enabled = false;
  assert.equal(cache.get("a"), undefined);
});

test("ETags are stable per key and If-None-Match is parsed", () => {
  const e = etagFor("k1");
  assert.equal(e, etagFor("k1"));
  assert.notEqual(e, etagFor("k2"));
  assert.ok(etagMatches(`"x", ${e}`, e));
  assert.ok(etagMatches(`W/${e}`, e));
  assert.ok(etagMatches("*", e));
  assert.ok(!etagMatches('"other"', e));
  assert.ok(!etagMatches(undefined, e));
});

test("parameter words follow struct params, field by field", () => {
  const params = defaultParams();
  PARAM_FIELDS.forEach((f, i) => {
    params.values[f] = 1000 + i * 7;
  });
  params.args = [-1, 2, -3, 4, -5, 6, -7, 8];
  const dv = new DataView(new ArrayBuffer(PARAMS_STRUCT_SIZE));
  writeParams(dv, 0, params);
  assert.deepEqual([...paramWords(params)], [...new Int32Array(dv.buffer)]);
});

test("ETags of near-identical keys do not collide", () => {
  const seen = new Set<string>();
  for (let i = 0; i < 200_000; i++) {
    seen.add(etagFor(`1:${4000 + (i % 100)}:9123:17000${i}.5|plugin|library|v${i % 7}|grayscale`));
  }
  assert.equal(seen.size, 200_000);
});

test("Prometheus text: counters, histograms with cumulative buckets, label escaping", () => {
  const r = new Registry();
  const c = r.counter("t_total", "help");
  c.inc({ path: 'a"b\\c' });
  c.child({ path: 'a"b\\c' })(2); // a handle adds to the same series
  const h = r.histogram("t_seconds", "help", [0.1, 1]);
  h.observe({ route: "x" }, 0.05);
  h.child({ route: "x" })(0.5);
  h.observe({ route: "x" }, 5);
  const text = r.render();
  assert.match(text, /t_total\{path="a\\"b\\\\c"\} 3/);
  assert.match(text, /t_seconds_bucket\{route="x",le="0.1"\} 1\n/);
  assert.match(text, /t_seconds_bucket\{route="x",le="1"\} 2\n/);
  assert.match(text, /t_seconds_bucket\{route="x",le="\+Inf"\} 3\n/);
  assert.match(text, /t_seconds_count\{route="x"\} 3/);
  assert.throws(() => r.counter("t_total", "again"));
});

test("request plans: profiles, header profiles, chains, parameters", () => {
  const plan = planFromQuery(
    new URLSearchParams("profile=pda&plugin=invert&scale=3&a1=-7"),
    {},
    16,
  );
  assert.deepEqual(plan.steps, ["downscale", "grayscale", "invert"]);
  assert.equal(plan.params.values.scale, 3, "explicit parameters override the profile's");
  assert.equal(plan.params.args[1], -7);
  const fromHeader = planFromQuery(new URLSearchParams(""), { "x-client-profile": "eink" }, 16);
  assert.deepEqual(fromHeader.steps, ["grayscale", "dither"]);
  assert.equal(fromHeader.format, "png");
  assert.notEqual(
    planKey(plan),
    planKey(planFromQuery(new URLSearchParams("profile=pda&plugin=invert&scale=4&a1=-7"), {}, 16)),
  );
  assert.throws(() => planFromQuery(new URLSearchParams("scale=99999999999"), {}, 16), BadRequest);
  assert.throws(() => planFromQuery(new URLSearchParams("plugin=a,b,c"), {}, 2), BadRequest);
  assert.throws(() => planFromQuery(new URLSearchParams("engine=gpu"), {}, 2), BadRequest);
});

test("Accept negotiation prefers named types, then the original's own format", () => {
  const c = formatCandidates("ppm", 3);
  assert.equal(negotiateFormat(undefined, c), "ppm");
  assert.equal(negotiateFormat("*/*", c), "ppm");
  assert.equal(negotiateFormat("image/avif,image/webp,*/*;q=0.8", c), "webp");
  assert.equal(negotiateFormat("image/png;q=0.5, image/jpeg", c), "jpeg");
  assert.equal(negotiateFormat("image/*", formatCandidates("png", 3)), "png");
  assert.equal(negotiateFormat("image/webp;q=0, text/html", c), undefined);
});

test("paths: split before decoding, dot segments refused", () => {
  assert.deepEqual(splitPath("/images/a%2Fb.ppm"), ["images", "a/b.ppm"]);
  assert.throws(() => splitPath("/images/%2e%2e"), PathRefused);
  assert.throws(() => splitPath("/images/../x"), PathRefused);
  assert.throws(() => splitPath("/images/%E0%A4%A"), PathRefused);
  assert.ok(
    !isSafeName("a/b.ppm") && !isSafeName("..") && !isSafeName(".x") && !isSafeName("a\\b"),
  );
  assert.ok(isSafeName("valley-64x48.ppm"));
  const r = new Router<string>().add("GET", "/a/:x", "a", "h").add("GET", "/b/:y", "b", "hb");
  assert.deepEqual(r.match("GET", "/a/1"), { name: "a", handler: "h", params: { x: "1" } });
  assert.deepEqual(r.match("HEAD", "/b/2"), { name: "b", handler: "hb", params: { y: "2" } });
  assert.equal(r.match("PUT", "/a/1"), "method");
  assert.equal(r.match("GET", "/b"), undefined);
});

test("tokens: bearer parsing and constant-time comparison of hashes", () => {
  assert.equal(bearerToken("Bearer abc"), "abc");
  assert.equal(bearerToken("bearer   abc  "), "abc");
  assert.equal(bearerToken("Basic abc"), undefined);
  const h = sha256("s3cret-token");
  assert.ok(tokenMatches("s3cret-token", h));
  assert.ok(!tokenMatches("s3cret-tokem", h));
  assert.ok(!tokenMatches(undefined, sha256("")));
});

test("the upload gate never admits more than its limit", () => {
  const gate = new ConcurrencyGate(2);
  assert.ok(gate.tryEnter() && gate.tryEnter());
  assert.ok(!gate.tryEnter());
  gate.leave();
  assert.ok(gate.tryEnter());
});

test("link order: each plugin after those it imports, cycles last, in one pass", () => {
  // p0 imports f1 from p1, ..., p(n-1) exports f(n-1): given in reverse dependency order.
  const n = 24;
  const chain = Array.from({ length: n }, (_, i) => ({
    name: `p${i}`,
    exports: [`f${i}`],
    imports: i + 1 < n ? [`f${i + 1}`, "image_alloc"] : ["image_alloc"],
  }));
  const order = linkOrder(chain).map((p) => p.name);
  assert.equal(order.length, n);
  for (const p of chain) {
    const at = order.indexOf(p.name);
    for (const i of p.imports) {
      const from = chain.find((q) => q.exports.includes(i));
      if (from) assert.ok(order.indexOf(from.name) < at, `${from.name} before ${p.name}`);
    }
  }
  const cyclic = [
    { name: "a", exports: ["fa"], imports: ["fb"] },
    { name: "b", exports: ["fb"], imports: ["fa"] },
    { name: "c", exports: ["fc"], imports: [] },
  ];
  assert.deepEqual(
    linkOrder(cyclic).map((p) => p.name),
    ["c", "a", "b"],
  );
});

test("sample images: the paper's four PPM sizes plus PNG/JPEG/WebP, generated once", async () => {
  const dir = mkdtempSync(join(tmpdir(), "kplug-samples-"));
  try {
    const out = await ensureSamples(dir);
    const files = readdirSync(out).sort();
    for (const [w, h] of PAPER_SIZES) {
      const name = `valley-${w}x${h}.ppm`;
      assert.ok(files.includes(name));
      const img = parsePnm(readFileSync(join(out, name)), {
        maxWidth: 2000,
        maxHeight: 2000,
        maxPixels: 2e6,
      });
      assert.equal(statSync(join(out, name)).size, encodePnm(img).length);
      // Photo-like: many distinct colours, not a flat fill.
      const colours = new Set<number>();
      for (let i = 0; i < img.data.length; i += 3)
        colours.add((img.data[i] << 16) | (img.data[i + 1] << 8) | img.data[i + 2]);
      assert.ok(colours.size > Math.min(500, (w * h) / 4), `${name}: ${colours.size} colours`);
    }
    assert.ok(
      files.includes("valley.png") && files.includes("city.jpg") && files.includes("city.webp"),
    );
    const before = statSync(join(out, "valley-64x48.ppm")).mtimeMs;
    await ensureSamples(dir);
    assert.equal(statSync(join(out, "valley-64x48.ppm")).mtimeMs, before, "not regenerated");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
