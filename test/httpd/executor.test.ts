// The server's plugin executor (PoolExecutor: scheduler + worker threads), driven by plain-data
// jobs: a chain on the library runtime, in a client's runtime, a compile check and a try, each
// compared with the reference implementation or the client's own plugin.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ClientGone } from "../../httpd/executor.ts";
import { PluginRejected } from "../../httpd/plugin-check.ts";
import { parsePnm } from "../../httpd/pnm.ts";
import type { RawImage } from "../../httpd/raw-image.ts";
import { ImageServer } from "../../httpd/server.ts";
import { firstDifference, INVERT_SOURCE as INVERT, params, testImage } from "./fixtures.ts";
import { REFERENCES } from "./reference.ts";

const copy = (image: RawImage): RawImage => ({ ...image, data: image.data.slice() });
const NO_LIMITS = { maxWidth: 1 << 16, maxHeight: 1 << 16, maxPixels: 1 << 30 };
let server: ImageServer;

before(async () => {
  server = await ImageServer.create({ imagesDir: ".", log: () => {}, workers: 1 });
  await server.clients.upsertClient("alice");
  const client = server.clients.get("alice")!;
  await server.clients.putPlugin(client, "mine", INVERT);
});
after(() => server.close());

test("a job is plain data: it survives structured cloning unchanged", () => {
  const job = {
    client: "alice",
    steps: ["grayscale", "mine"],
    params: params({ scale: 3 }, [1, 2]),
    image: testImage(9, 7, 3, 5),
    output: "raw" as const,
  };
  assert.deepEqual(structuredClone(job), job);
});

test("transcode runs a library chain; PNM and raw outputs carry the same pixels", async () => {
  const image = testImage(31, 17, 3, 3);
  const p = params({});
  // The input's buffer moves to the worker (it is detached here): each call gets its own copy.
  const job = () => ({ client: undefined, steps: ["grayscale"], params: p, image: copy(image) });
  const input = job();
  const raw = await server.executor.transcode({ ...input, output: "raw" });
  assert.equal(input.image.data.byteLength, 0, "the pixels were transferred, not copied");
  const pnm = await server.executor.transcode({ ...job(), output: "pnm" });
  assert.equal(raw.kind, "raw");
  assert.equal(pnm.kind, "pnm");
  if (raw.kind !== "raw" || pnm.kind !== "pnm") return;
  const expected = REFERENCES.grayscale(image, p.values);
  assert.equal(firstDifference(raw.image, expected), undefined);
  assert.equal(firstDifference(parsePnm(pnm.body, NO_LIMITS), expected), undefined);
  assert.deepEqual([pnm.width, pnm.height, pnm.channels], [31, 17, 1]);
});

test("transcode in a client's runtime reaches its own plugins; a vanished client is named", async () => {
  const image = testImage(12, 5, 1);
  const out = await server.executor.transcode({
    client: "alice",
    steps: ["mine"],
    params: params({}),
    image: copy(image),
    output: "raw",
  });
  assert.equal(out.kind, "raw");
  if (out.kind !== "raw") return;
  for (let y = 0; y < 5; y++)
    for (let x = 0; x < 12; x++)
      assert.equal(
        out.image.data[y * out.image.stride + x],
        255 - image.data[y * image.stride + x],
      );
  await assert.rejects(
    server.executor.transcode({
      client: "bob",
      steps: ["mine"],
      params: params({}),
      image,
      output: "raw",
    }),
    ClientGone,
  );
});

test("check reports diagnostics; try runs unsaved code and rejects what does not link", async () => {
  const bad = await server.executor.check({ client: "alice", file: "x.c", source: "int f( {" });
  assert.equal(bad.ok, false);
  assert.ok(bad.diagnostics.some((d) => d.severity === "error" && d.file === "x.c"));
  const good = await server.executor.check({ client: "alice", file: "m.c", source: INVERT });
  assert.ok(good.ok && good.wasmBytes > 0);
  assert.ok(good.exports.some((e) => e.name === "mine_transform"));

  const image = testImage(6, 4, 3);
  const job = { client: "alice", name: "trial", steps: ["trial"], params: params({}), image };
  const tried = await server.executor.try({
    ...job,
    image: copy(image),
    source: INVERT.replace("mine_", "trial_"),
  });
  assert.ok("image" in tried.result);
  assert.ok(tried.fuelUsed > 0);
  if ("image" in tried.result) assert.equal(tried.result.image.data[0], 255 - image.data[0]);
  await assert.rejects(
    server.executor.try({ ...job, source: "int trial_transform;" }),
    (e) => e instanceof PluginRejected && e.kind === "abi-error",
  );
});
