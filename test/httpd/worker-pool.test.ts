// The worker pool with real worker threads: results match the in-process runner, buffers are
// transferred, client runtimes are rebuilt from specs (and evicted), the watchdog stops a loop
// no fuel can stop, a dying worker is replaced, V8's memory limit is a typed error, and the
// scheduler in front of the pool keeps a light client's jobs ahead of a heavy one's backlog.
// Assertions are on outcomes and order, never on timings.

import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { Worker } from "node:worker_threads";
import { compile } from "../../cc/index.ts";
import { IMAGE_BUFFER_GROUP, installImageBuffers } from "../../httpd/image-buffers.ts";
import { IMAGE_INCLUDES, PluginLibrary } from "../../httpd/library.ts";
import { defaultParams } from "../../httpd/plugin-abi.ts";
import { detached, runChain } from "../../httpd/plugin-runner.ts";
import { parsePnm } from "../../httpd/pnm.ts";
import { MAX_SLABS } from "../../httpd/pool-lane.ts";
import type { ClientSpec, JobResult, TranscodeOutput } from "../../httpd/pool-protocol.ts";
import type { RawImage } from "../../httpd/raw-image.ts";
import { Scheduler } from "../../httpd/scheduler.ts";
import { librarySpecs, WorkerPool, type WorkerPoolOptions } from "../../httpd/worker-pool.ts";
import { Kernel } from "../../kernel/index.ts";
import { firstDifference, testImage } from "./fixtures.ts";

const LIMITS = { maxWidth: 1e5, maxHeight: 1e5, maxPixels: 1e8 };
const PLUGINS = join(import.meta.dirname, "../../plugins");
let library: PluginLibrary;
const pools: WorkerPool[] = [];

before(async () => {
  library = await PluginLibrary.load(PLUGINS);
});

after(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

function pool(options: Partial<WorkerPoolOptions> = {}): WorkerPool {
  const p = new WorkerPool({
    size: 1,
    library: librarySpecs(library.modules),
    clientSpec: () => undefined,
    ...options,
  });
  pools.push(p);
  return p;
}

function wasmOf(name: string, source: string, fuel = true) {
  const r = compile(source, { file: `${name}.c`, includes: IMAGE_INCLUDES, fuel });
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  return { name, wasm: r.module.wasm };
}

/** A client whose single plugin `name` has the given body (in, out, p in scope). */
function clientWith(id: string, stamp: string, name: string, body: string, fuel = true) {
  const source = `#include "kplug/image.h"
int ${name}_transform(const image *in, image *out, const params *p) {
  (void)p;
  ${body}
}`;
  return {
    id,
    stamp,
    settings: { fuel: 50_000_000, memory: 16 << 20 },
    plugins: [wasmOf(name, source, fuel)],
  } satisfies ClientSpec;
}

/** Writes `counter` into the first sample: each call increments a static. */
const COUNTER = "static int calls; calls++; in->pixels[0] = (uint8_t)calls; *out = *in; return 0;";

const ok = <T>(r: JobResult<T>): T => {
  assert.ok(r.ok, r.ok ? "" : `${r.error.kind}: ${r.error.message}`);
  return r.value;
};

/** The pixels of a transcode's raw output. */
const pixels = (r: JobResult<TranscodeOutput>): RawImage => {
  const out = ok(r);
  assert.equal(out.kind, "raw");
  return (out as { image: RawImage }).image;
};

// First: no other test's workers exist yet whose memories could be freed meanwhile.
test("V8's wasm memory limit is a typed error with backpressure, and the pool recovers", async () => {
  // Every newcomer gets a memory of its own size: a runtime the cache gives back then goes to
  // the kernel's pool of memories by size, where no other newcomer can reuse it.
  const spec = (id: string): ClientSpec => ({
    id,
    stamp: "1",
    settings: { fuel: 1_000_000, memory: (1 << 20) + Number(id.slice(8)) * 65536 },
    plugins: [],
  });
  const p = pool({ clientSpec: (id) => spec(id) });
  const job = (client?: string) =>
    p.run({
      kind: "transcode",
      client: client === undefined ? undefined : { id: client, stamp: "1" },
      steps: ["invert"],
      params: defaultParams(),
      image: testImage(4, 4, 3),
    });
  ok(await job()); // the worker is up, its library runtime made
  // Another thread of this process takes every wasm memory the process can reserve.
  const hog = new Worker(
    `const { parentPort } = require("node:worker_threads");
     const keep = [];
     const grab = () => { try { for (;;) keep.push(new WebAssembly.Memory({ initial: 1, maximum: 1 })); } catch {} };
     grab();
     parentPort.postMessage(keep.length);
     setInterval(grab, 1); // and whatever the process frees later`,
    { eval: true },
  );
  const held = await new Promise<number>((resolve) => hog.once("message", resolve));
  assert.ok(held > 1000, `the hog holds ${held} memories`);
  const kinds: string[] = [];
  try {
    // A memory freed elsewhere in the process (a collected one) may let a few newcomers in; a
    // later one meets the limit: the worker gives back what it has, and that is not enough.
    for (let i = 0; i < 50 && !kinds.includes("runtime-capacity"); i++) {
      const r = await job(`newcomer${i}`);
      if (r.ok) kinds.push("ok");
      else {
        kinds.push(r.error.kind);
        if (r.error.kind === "runtime-capacity") assert.equal(r.error.retryAfterSeconds, 1);
      }
    }
    assert.ok(kinds.includes("runtime-capacity"), kinds.join(" "));
    assert.deepEqual(
      kinds.filter((k) => k !== "ok" && k !== "runtime-capacity"),
      [],
      "nothing but runtimes or the typed error",
    );
    // The worker did not crash, and what it has resident still serves.
    ok(await job());
    assert.equal(p.stats.crashes, 0);
    assert.equal(p.stats.started, 1);
  } finally {
    await hog.terminate();
  }
  ok(await job("newcomer0"));
  ok(await job(`newcomer${kinds.length - 1}`));
});

test("a library chain in a worker gives the in-process result; the input is transferred", async () => {
  const p = pool();
  const image = testImage(64, 48, 3);
  const reference = (() => {
    const kernel = new Kernel();
    installImageBuffers(kernel);
    const rt = kernel.createRuntime("ref", {
      memory: 64 << 20,
      allow: ["libc", IMAGE_BUFFER_GROUP],
      stdout: () => {},
    });
    library.linkInto(rt);
    return runChain(rt, ["grayscale", "invert"], image, defaultParams(), detached);
  })();
  const input = testImage(64, 48, 3);
  const buffer = input.data.buffer;
  const result = await p.run({
    kind: "transcode",
    steps: ["grayscale", "invert"],
    params: defaultParams(),
    image: input,
  });
  assert.equal(buffer.byteLength, 0, "the caller's buffer was moved, not copied");
  const out = pixels(result);
  assert.equal(firstDifference(out, reference), undefined);
  assert.ok(result.fuelUsed > 0, "fuel used is reported");

  // A SharedArrayBuffer is shared, not detached.
  const shared = new Uint8Array(new SharedArrayBuffer(image.data.byteLength));
  shared.set(testImage(64, 48, 3).data);
  const r2 = await p.run({
    kind: "transcode",
    steps: ["grayscale", "invert"],
    params: defaultParams(),
    image: { ...image, data: shared },
  });
  assert.equal(shared.byteLength, image.data.byteLength);
  assert.equal(firstDifference(pixels(r2), reference), undefined);
});

test("PNM bodies are lent from the worker's output slabs: intact while held, reused once released", async () => {
  const p = pool();
  const reference = (() => {
    const kernel = new Kernel();
    installImageBuffers(kernel);
    const rt = kernel.createRuntime("ref", {
      memory: 64 << 20,
      allow: ["libc", IMAGE_BUFFER_GROUP],
      stdout: () => {},
    });
    library.linkInto(rt);
    return (steps: string[], image: RawImage) =>
      runChain(rt, steps, image, defaultParams(), detached);
  })();
  const shared = (image: RawImage): RawImage => {
    const data = new Uint8Array(new SharedArrayBuffer(image.data.byteLength));
    data.set(image.data);
    return { ...image, data };
  };
  const pnm = async (steps: string[], image: RawImage) => {
    const r = await p.run({
      kind: "transcode",
      steps,
      params: defaultParams(),
      image,
      output: "pnm",
    });
    const out = ok(r);
    assert.equal(out.kind, "pnm");
    return out as Extract<TranscodeOutput, { kind: "pnm" }>;
  };
  // More outputs held at once than a worker has slabs: the first are lent, the rest come by
  // message; every body stays what it was while later jobs run.
  const images = Array.from({ length: MAX_SLABS + 3 }, (_, i) => testImage(40 + i, 30, 3));
  const held = [];
  for (const image of images) held.push(await pnm(["grayscale"], shared(image)));
  assert.deepEqual(
    held.map((o) => o.release !== undefined),
    images.map((_, i) => i < MAX_SLABS),
  );
  held.forEach((o, i) => {
    const expected = reference(["grayscale"], images[i]);
    assert.equal(firstDifference(parsePnm(o.body, LIMITS), expected), undefined);
  });
  for (const o of held) o.release?.();
  const again = await pnm(["grayscale"], shared(images[0]));
  assert.ok(again.release, "a released slab is lent again");
  again.release?.();
  // An output larger than a slab comes by message, and the next slabs are made large enough.
  const large = testImage(700, 600, 3);
  const first = await pnm(["invert"], shared(large));
  assert.equal(first.release, undefined);
  const second = await pnm(["invert"], shared(large));
  assert.ok(second.release, "slabs grew to the output's size");
  for (const o of [first, second]) {
    const got = parsePnm(o.body, LIMITS);
    assert.equal(firstDifference(got, reference(["invert"], large)), undefined);
  }
  second.release?.();
});

test("typed errors: an unknown plugin, a fault with its kind and plugin", async () => {
  const spec = clientWith("f", "1", "crash", "int *q = 0; q[-1] = 1; return 0;");
  const p = pool({ clientSpec: () => spec });
  const image = testImage(8, 8, 3);
  const unknown = await p.run({
    kind: "transcode",
    steps: ["nosuch"],
    params: defaultParams(),
    image,
  });
  assert.equal(unknown.ok ? "" : unknown.error.kind, "unknown-plugin");
  const fault = await p.run({
    kind: "transcode",
    client: { id: "f", stamp: "1" },
    steps: ["crash"],
    params: defaultParams(),
    image: testImage(8, 8, 3),
  });
  assert.ok(!fault.ok);
  assert.equal(fault.error.kind, "plugin-fault");
  // q[-1] with q == NULL: the null checks (cc/null-checks.ts) name it before memory does.
  assert.equal(fault.error.fault, "null-pointer");
  assert.equal(fault.error.plugin, "crash");
  assert.equal(fault.error.runtime, "client:f");
});

test("a lane job's log batches all reach the main thread before its result", async () => {
  // 200 lines: four batches posted by message, while the result comes through shared memory.
  const source = `#include <stdio.h>
#include "kplug/image.h"
int chatty_transform(const image *in, image *out, const params *p) {
  (void)p;
  for (int i = 0; i < 200; i++) printf("line %d\\n", i);
  *out = *in;
  return 0;
}`;
  const spec = {
    id: "talk",
    stamp: "1",
    settings: { fuel: 50_000_000, memory: 16 << 20 },
    plugins: [wasmOf("chatty", source)],
  } satisfies ClientSpec;
  const lines = new Map<object, string[]>();
  const p = pool({
    clientSpec: () => spec,
    onLogs: (job, batch) => {
      const seen = lines.get(job) ?? [];
      for (const l of batch.lines) seen.push(`${l.plugin} ${l.stream} ${l.text}`);
      lines.set(job, seen);
    },
  });
  const expected = Array.from({ length: 200 }, (_, i) => `chatty stdout line ${i}`);
  for (let i = 0; i < 12; i++) {
    const job = {
      kind: "transcode" as const,
      client: { id: "talk", stamp: "1" },
      steps: ["chatty"],
      params: defaultParams(),
      image: testImage(16, 16, 3),
      output: i % 2 === 0 ? ("pnm" as const) : ("raw" as const),
    };
    const out = ok(await p.run(job));
    if (out.kind === "pnm") out.release?.();
    assert.deepEqual(lines.get(job), expected, `job ${i}`);
  }
});

test("client runtimes are built from the spec once per stamp, and rebuilt after eviction", async () => {
  const asked: string[] = [];
  const specs = new Map<string, ClientSpec>();
  for (const id of ["a", "b", "c"]) specs.set(id, clientWith(id, "1", "count", COUNTER));
  const p = pool({
    cache: { maxRuntimes: 2 },
    clientSpec: (id) => {
      asked.push(id);
      return specs.get(id);
    },
  });
  const call = async (id: string, stamp = "1") =>
    pixels(
      await p.run({
        kind: "transcode",
        client: { id, stamp },
        steps: ["count"],
        params: defaultParams(),
        image: testImage(4, 4, 1),
      }),
    ).data[0];
  assert.equal(await call("a"), 1);
  assert.equal(await call("a"), 2, "the runtime stayed resident (static state kept)");
  assert.equal(await call("b"), 1);
  assert.equal(await call("c"), 1); // a is evicted: two runtimes at most
  assert.equal(await call("a"), 1, "a was rebuilt: its static state started over");
  assert.deepEqual(asked, ["a", "b", "c", "a"]);
  // A new stamp (an upload) makes the worker ask again and use the new code.
  specs.set("a", clientWith("a", "2", "count", "in->pixels[0] = 77; *out = *in; return 0;"));
  assert.equal(await call("a", "2"), 77);
  assert.deepEqual(asked, ["a", "b", "c", "a", "a"]);
  // A client the server does not know is a typed error.
  const r = await p.run({
    kind: "transcode",
    client: { id: "ghost", stamp: "1" },
    steps: ["count"],
    params: defaultParams(),
    image: testImage(4, 4, 1),
  });
  assert.equal(r.ok ? "" : r.error.kind, "unknown-client");
});

test("the watchdog stops a loop that fuel cannot stop; the pool serves the next job", async () => {
  // Compiled without fuel metering: only the watchdog can stop it.
  const spec = clientWith("loop", "1", "spin", "for (;;) {} return 0;", false);
  const p = pool({ clientSpec: () => spec, deadlineMs: 400 });
  const image = () => testImage(8, 8, 3);
  const looping = p.run({
    kind: "transcode",
    client: { id: "loop", stamp: "1" },
    steps: ["spin"],
    params: defaultParams(),
    image: image(),
  });
  // Jobs waiting behind the runaway one are neither lost nor stuck with the dead worker.
  const waiting = [1, 2].map(() =>
    p.run({ kind: "transcode", steps: ["invert"], params: defaultParams(), image: image() }),
  );
  const r = await looping;
  for (const w of await Promise.all(waiting)) ok(w);
  assert.ok(!r.ok);
  assert.equal(r.error.kind, "deadline-exceeded");
  assert.equal(r.error.plugin, "spin", "the plugin to count a fault against");
  assert.equal(r.error.runtime, "client:loop");
  assert.ok(r.fuelUsed > 0, "the time is billed to the client");
  assert.equal(p.stats.deadlineKills, 1);
  const next = await p.run({
    kind: "transcode",
    steps: ["invert"],
    params: defaultParams(),
    image: testImage(8, 8, 3),
  });
  ok(next);
  assert.equal(p.stats.started, 2, "the killed worker was replaced");
  assert.equal(p.stats.busy, 0);
});

test("a worker that dies is replaced and its job fails typed", async () => {
  // A worker whose JS heap limit is tiny dies compiling a large source (ERR_WORKER_OUT_OF_MEMORY).
  // Identifiers, not numbers: a table of numbers is a compact data run (cc/data-run.ts) that
  // fits in 32 MiB, while 1.5M identifier tokens are objects that do not.
  const p = pool({ maxHeapMb: 32 });
  const big = `enum { x = 1 };\nint t[] = {${"x,".repeat(1_500_000)}x};\nint f(void) { return t[0]; }\n`;
  const r = await p.run({ kind: "compile", source: big });
  assert.ok(!r.ok, "the compile cannot finish in 32 MiB");
  assert.equal(r.error.kind, "worker-crashed");
  const next = await p.run({ kind: "compile", source: "int f(int x) { return x + 1; }" });
  const out = ok(next);
  assert.ok(out.ok);
  assert.deepEqual(
    out.exports.map((e) => e.name),
    ["f"],
  );
  assert.ok(out.wasm && out.wasm.byteLength > 0, "the module comes back (transferred)");
  assert.equal(p.stats.crashes, 1);
  assert.equal(p.stats.started, 2);
});

test("compile jobs check the ABI and the module size limit", async () => {
  const p = pool({ maxModuleBytes: 4096 });
  const noEntry = ok(
    await p.run({ kind: "compile", source: "int f(void){return 0;}", plugin: "x" }),
  );
  assert.equal(noEntry.ok, false);
  assert.match(noEntry.diagnostics.at(-1)!.message, /x_transform/);
  const large = await p.run({
    kind: "compile",
    source: `static const char big[] = "${"x".repeat(8000)}"; int f(int i) { return big[i]; }`,
  });
  assert.equal(large.ok ? "" : large.error.kind, "module-too-large");
});

test("a playground try compiles, links, runs and unlinks in the client's playground", async () => {
  const spec = clientWith("t", "1", "saved", "*out = *in; return 0;");
  const p = pool({ clientSpec: () => spec });
  const source = `#include "kplug/image.h"
int mine_transform(const image *in, image *out, const params *p) {
  (void)p; in->pixels[0] = 200; *out = *in; return 0; }`;
  const run = (src: string) =>
    p.run({
      kind: "try",
      client: { id: "t", stamp: "1" },
      name: "mine",
      source: src,
      steps: ["grayscale", "mine"],
      params: defaultParams(),
      image: testImage(8, 8, 3),
    });
  const out = ok(await run(source));
  assert.equal(out.rejected, undefined);
  assert.equal(out.image?.channels, 1);
  assert.equal(out.image?.data[0], 200);
  const bad = ok(await run("int mine_transform(void) { return x; }"));
  assert.equal(bad.rejected?.error, "compile-error");
  assert.ok(bad.rejected.diagnostics.length > 0);
});

test("fairness through Scheduler and WorkerPool: light jobs pass a heavy backlog", async () => {
  const heavy = clientWith(
    "heavy",
    "1",
    "burn",
    "volatile int s = 0; for (int i = 0; i < 3000000; i++) s += i; *out = *in; return 0;",
  );
  const light = clientWith("light", "1", "touch", "*out = *in; return 0;");
  const p = pool({ clientSpec: (id) => (id === "heavy" ? heavy : light) });
  const scheduler = new Scheduler({
    executors: p.size,
    execute: (job: { client: string; step: string }) =>
      p.run({
        kind: "transcode",
        client: { id: job.client, stamp: "1" },
        steps: [job.step],
        params: defaultParams(),
        image: testImage(8, 8, 3),
      }),
    fuelOf: (r) => r.fuelUsed,
    defaults: { maxQueued: 100, fuelPerSecond: 1e12, burstFuel: 1e12 },
  });
  const finished: string[] = [];
  const submit = (client: string, step: string, n: number) =>
    scheduler.submit(client, { client, step }).then((r) => {
      ok(r);
      finished.push(`${client}${n}`);
    });
  const all: Promise<void>[] = [];
  for (let i = 0; i < 6; i++) all.push(submit("heavy", "burn", i));
  for (let i = 0; i < 6; i++) all.push(submit("light", "touch", i));
  await Promise.all(all);
  const lastLight = finished.indexOf("light5");
  assert.ok(
    lastLight < finished.indexOf("heavy3"),
    `light jobs finish before most of the heavy backlog: ${finished.join(" ")}`,
  );
  assert.ok(scheduler.stats("heavy").fuelUsed > 100 * scheduler.stats("light").fuelUsed);
});
