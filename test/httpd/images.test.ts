// The image store's in-memory originals: served from memory while the file is unchanged,
// re-read when it changes (even to the same size), bounded in bytes, and path safety rechecked
// when a name is swapped for a symlink out of the root.

import assert from "node:assert/strict";
import {
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { encodePnm } from "../../httpd/codecs.ts";
import { ForbiddenPath, ImageStore } from "../../httpd/images.ts";
import { testImage } from "./fixtures.ts";

const LIMITS = { maxWidth: 1000, maxHeight: 1000, maxPixels: 100_000 };
const dir = mkdtempSync(join(tmpdir(), "kplug-images-"));
const root = join(dir, "root");
mkdirSync(root);
after(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, bytes: Uint8Array, mtime?: number): void {
  writeFileSync(join(root, name), bytes);
  if (mtime !== undefined) utimesSync(join(root, name), mtime, mtime);
}

test("a read file is served from memory until it changes, then re-read", async () => {
  const store = new ImageStore(root, 64 << 20, 0);
  write("a.ppm", encodePnm(testImage(4, 3, 3)), 1000);
  const first = await store.read("a.ppm");
  assert.equal(await store.read("a.ppm"), first, "the same bytes, from memory");
  const pixels = await store.decode(first, LIMITS);
  assert.equal(await store.decode(first, LIMITS), pixels, "decoded once");

  // Same size, new content and mtime: a new identity and new bytes.
  const changed = encodePnm(testImage(4, 3, 3));
  changed[changed.length - 1] ^= 0xff;
  write("a.ppm", changed, 2000);
  const second = await store.read("a.ppm");
  assert.notEqual(second.identity, first.identity);
  assert.deepEqual(second.data, changed);
  assert.notEqual(await store.decode(second, LIMITS), pixels);
});

test("a cached name swapped for a symlink out of the root is refused", async () => {
  const store = new ImageStore(root, 64 << 20, 0);
  write("b.ppm", encodePnm(testImage(2, 2, 3)));
  await store.read("b.ppm");
  writeFileSync(join(dir, "secret.ppm"), encodePnm(testImage(2, 2, 1)));
  symlinkSync(join(dir, "secret.ppm"), join(root, "link.tmp"));
  renameSync(join(root, "link.tmp"), join(root, "b.ppm"));
  await assert.rejects(store.read("b.ppm"), ForbiddenPath);
});

test("within the revalidation interval a cached file is served without a stat", async () => {
  const store = new ImageStore(root, 64 << 20, 60_000);
  write("d.ppm", encodePnm(testImage(3, 3, 3)), 1000);
  const first = await store.read("d.ppm");
  write("d.ppm", encodePnm(testImage(5, 5, 3)), 2000);
  assert.equal(await store.read("d.ppm"), first, "still the cached bytes");
  const fresh = new ImageStore(root, 64 << 20, 60_000);
  assert.notEqual((await fresh.read("d.ppm")).identity, first.identity);
});

test("memory held is bounded in bytes, least recently used out first", async () => {
  const one = encodePnm(testImage(10, 10, 3)); // 300 pixel bytes + header
  const store = new ImageStore(root, 2 * one.length + 10);
  for (const n of ["c1.ppm", "c2.ppm", "c3.ppm"]) write(n, one);
  const c1 = await store.read("c1.ppm");
  const c2 = await store.read("c2.ppm");
  assert.equal(await store.read("c1.ppm"), c1, "c1 is kept and becomes the most recent");
  await store.read("c3.ppm"); // over the bound: c2, the least recently used, goes
  assert.ok(store.cachedBytes <= 2 * one.length + 10);
  assert.equal(await store.read("c1.ppm"), c1, "c1 stayed");
  assert.notEqual(await store.read("c2.ppm"), c2, "c2 was read again from the file");
});
