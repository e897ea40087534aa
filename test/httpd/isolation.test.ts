// Isolation in time through the real server (issue 10): plugins run in worker threads behind a
// fair scheduler. A light client's requests pass a heavy client's backlog; a client over its CPU
// rate gets 429 with Retry-After, one over its queue 503; a host function that never returns is
// stopped by the watchdog (503 deadline-exceeded, naming the chain step that was running) and
// repeated deadlines quarantine the plugin; a worker that dies does not take the server down; a
// compile bomb is refused within limits; 100,000 registered clients live on one node.
// Assertions are on statuses and order, never on timings.

import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { defaultParams } from "../../httpd/plugin-abi.ts";
import { ImageServer } from "../../httpd/server.ts";
import { createClient, type Harness, putPlugin, startServer } from "./harness.ts";

const plugin = (name: string, body: string, decls = "") => `#include "kplug/image.h"
${decls}
int ${name}_transform(const image *in, image *out, const params *p) {
  (void)p;
  ${body}
  *out = *in;
  return IMAGE_OK;
}
`;

/** A legal plugin that burns a lot of fuel (~100M), then copies its input. */
const SPIN = plugin("spin", "volatile int x = 0; for (int i = 0; i < 100000000; i++) x += i;");
const STUCK = plugin("stuck", "in->pixels[0] = (uint8_t)hang(in->pixels[0]);", "int hang(int v);");
const CRASH = plugin(
  "boom",
  "in->pixels[0] = (uint8_t)crash_worker(3);",
  "int crash_worker(int v);",
);

const get = (h: Harness, client: string, token: string, query: string) =>
  fetch(`${h.url}/images/small.ppm?client=${client}&${query}`, {
    headers: { authorization: `Bearer ${token}` },
  });

describe("fair scheduling and rates", () => {
  let h: Harness;
  before(async () => {
    h = await startServer({ workers: 1, cache: false });
  });
  after(() => h.stop());

  test("a light client's requests pass a heavy client's backlog", async () => {
    const heavy = await createClient(h, "heavy", { fuel: 0x7fffffff, rate: 1e12 });
    const light = await createClient(h, "light");
    assert.equal((await putPlugin(h, "heavy", heavy, "spin", SPIN)).status, 201);
    const done: string[] = [];
    const run = (who: string, token: string, query: string) =>
      get(h, who, token, query).then(async (res) => {
        await res.arrayBuffer();
        done.push(who);
        return res.status;
      });
    const heavyRuns = Array.from({ length: 6 }, (_, i) =>
      run("heavy", heavy, `plugin=spin&a0=${i}`),
    );
    // The heavy backlog is queued before the light client asks.
    const scheduler = h.server.executor.scheduler;
    while (scheduler.stats("heavy").queued < 4) await new Promise((r) => setTimeout(r, 5));
    const lightRuns = Array.from({ length: 4 }, (_, i) =>
      run("light", light, `plugin=grayscale&a0=${i}`),
    );
    // All four light requests have reached the scheduler (queued, or already served).
    for (;;) {
      const l = scheduler.stats("light");
      if (l.queued + l.running + l.completed >= 4) break;
      await new Promise((r) => setTimeout(r, 2));
    }
    const heavyDoneWhenLightArrived = done.filter((w) => w === "heavy").length;
    const statuses = await Promise.all([...heavyRuns, ...lightRuns]);
    assert.deepEqual(statuses, new Array(10).fill(200));
    const lastLight = done.lastIndexOf("light");
    const heavyBefore = done.slice(0, lastLight).filter((w) => w === "heavy").length;
    // Once queued, the light requests waited for at most the heavy job then running.
    assert.ok(
      heavyBefore <= heavyDoneWhenLightArrived + 1,
      `light finished after ${heavyBefore} heavy jobs: ${done.join(",")}`,
    );
    assert.ok(heavyBefore < 6, "the light client did not wait for the whole heavy backlog");
  });

  test("over its CPU rate a client gets 429 with Retry-After", async () => {
    // A bucket of 1000 fuel, refilled at 1000 fuel/s; a grayscale of the test image costs
    // a few hundred fuel: a handful of requests empty it.
    const token = await createClient(h, "slowpoke", { rate: 1000 });
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < 50 && !limited; i++) {
      const res = await get(h, "slowpoke", token, `plugin=grayscale&a0=${i}`);
      statuses.push(res.status);
      if (res.status === 429) limited = res;
      else await res.arrayBuffer();
    }
    assert.ok(limited, `never limited: ${statuses.join(",")}`);
    assert.ok(statuses.length > 1 && statuses[0] === 200, "the first requests ran");
    assert.ok(Number(limited.headers.get("retry-after")) >= 1);
    assert.equal((await limited.json()).error, "rate-limited");
  });
});

describe("watchdog, queues, crashes and compile limits", () => {
  let h: Harness;
  before(async () => {
    h = await startServer({
      workers: 1,
      cache: false,
      workerSetup: join(import.meta.dirname, "worker-setup-fixture.ts"),
      quarantine: { faults: 2, windowMs: 600_000 },
      limits: { jobDeadlineMs: 1500, maxQueuedJobs: 1, maxModuleBytes: 64 << 10 },
    });
  });
  after(() => h.stop());

  test("a host function that never returns: 503 deadline-exceeded, then the server goes on", async () => {
    const token = await createClient(h, "waiter");
    assert.equal((await putPlugin(h, "waiter", token, "stuck", STUCK)).status, 201);
    const res = await get(h, "waiter", token, "plugin=stuck");
    assert.equal(res.status, 503);
    const body = await res.json();
    assert.equal(body.error, "deadline-exceeded");
    assert.equal(body.plugin, "stuck");
    const next = await fetch(`${h.url}/images/small.ppm?plugin=grayscale`);
    assert.equal(next.status, 200, "the replacement worker serves the next request");
    await next.arrayBuffer();
  });

  test("in a chain, the watchdog blames the step that was running, not the first or last", async () => {
    // The watchdog, not fuel, must stop the middle step on any machine: a pointer chase through
    // 16 MiB waits on memory, so the largest budget (2^31) lasts minutes (see logs.test.ts).
    const token = await createClient(h, "chainer", { fuel: 0x7fffffff, rate: 1e15 });
    const chase = `#include <stdlib.h>
#include "kplug/image.h"
int chase_transform(const image *in, image *out, const params *p) {
  (void)in; (void)out; (void)p;
  unsigned n = 1u << 22, *next = malloc(n * sizeof *next), j = 1;
  for (unsigned i = 0; i < n; i++) next[i] = (i * 2654435761u) & (n - 1);
  for (;;) j = next[j];
}
`;
    for (const [name, source] of [
      ["first", plugin("first", "")],
      ["chase", chase],
      ["last", plugin("last", "")],
    ])
      assert.equal((await putPlugin(h, "chainer", token, name, source)).status, 201, name);
    for (let i = 0; i < 2; i++) {
      const res = await get(h, "chainer", token, "plugin=first,chase,last");
      assert.equal(res.status, 503);
      const body = await res.json();
      assert.equal(body.error, "deadline-exceeded");
      assert.equal(body.plugin, "chase", "the 503 names the step that overran");
    }
    // Two deadlines (the quarantine threshold here) were counted against chase alone.
    assert.deepEqual([...h.server.quarantine.quarantined("chainer")], ["chase"]);
    const refused = await get(h, "chainer", token, "plugin=first,chase,last");
    assert.equal(refused.status, 503);
    const body = await refused.json();
    assert.equal(body.error, "plugin-quarantined");
    assert.equal(body.plugin, "chase");
    const others = await get(h, "chainer", token, "plugin=first,last");
    assert.equal(others.status, 200, "first and last were not blamed");
    await others.arrayBuffer();
  });

  test("a full queue is 503; repeated deadlines quarantine the plugin; new code lifts it", async () => {
    // A high rate: the deadlines' time is billed to the client, and the test re-uploads after.
    const token = await createClient(h, "queuer", { rate: 1e12 });
    assert.equal((await putPlugin(h, "queuer", token, "stuck", STUCK)).status, 201);
    const answers = await Promise.all(
      [0, 1, 2].map(async () => {
        const res = await get(h, "queuer", token, "plugin=stuck");
        return { status: res.status, retry: res.headers.get("retry-after"), ...(await res.json()) };
      }),
    );
    const errors = answers.map((a) => a.error).sort();
    assert.deepEqual(errors, ["deadline-exceeded", "deadline-exceeded", "queue-full"]);
    for (const a of answers) assert.equal(a.status, 503);
    assert.ok(answers.find((a) => a.error === "queue-full")?.retry);
    const refused = await get(h, "queuer", token, "plugin=stuck");
    assert.equal(refused.status, 503);
    assert.equal((await refused.json()).error, "plugin-quarantined");
    const fixed = plugin("stuck", "");
    assert.equal((await putPlugin(h, "queuer", token, "stuck", fixed)).status, 200);
    const works = await get(h, "queuer", token, "plugin=stuck");
    assert.equal(works.status, 200, "a re-upload reinstates the plugin");
    await works.arrayBuffer();
  });

  test("a worker that dies fails its request typed; the server keeps serving", async () => {
    const token = await createClient(h, "crasher");
    assert.equal((await putPlugin(h, "crasher", token, "boom", CRASH)).status, 201);
    const res = await get(h, "crasher", token, "plugin=boom");
    assert.equal(res.status, 503);
    assert.equal((await res.json()).error, "worker-crashed");
    const next = await fetch(`${h.url}/images/small.ppm?plugin=invert`);
    assert.equal(next.status, 200);
    await next.arrayBuffer();
  });

  test("a compile bomb is refused within the module size or time limit", async () => {
    const token = await createClient(h, "bomber");
    // 16,384 statements from a 300-byte source: refused by the module size limit, the compile
    // deadline, or the compiler's own bounds (a compile error), never by running out of memory.
    const source = `#define A x = x * 3 + 1;
#define B A A A A A A A A
#define C B B B B B B B B
#define D C C C C C C C C
#define E D D D D D D D D
#define F E E E E
int bomb(int x) { F return x; }
`;
    const res = await fetch(`${h.url}/compile?client=bomber`, {
      method: "POST",
      body: source,
      headers: { authorization: `Bearer ${token}` },
    });
    const body = await res.json();
    assert.ok(
      (res.status === 413 && body.error === "module-too-large") ||
        (res.status === 503 && body.error === "deadline-exceeded") ||
        (res.status === 200 && body.ok === false && body.diagnostics.length > 0),
      `${res.status} ${JSON.stringify(body).slice(0, 200)}`,
    );
    const anonymous = await fetch(`${h.url}/compile`, { method: "POST", body: source });
    assert.equal(anonymous.status, 401);
  });
});

test("100,000 registered clients on one node: the active ones are served", async () => {
  const server = await ImageServer.create({
    imagesDir: join(import.meta.dirname, "../../plugins"), // any directory: no image is read
    log: () => {},
    workers: 1,
    runtimeCache: { maxRuntimes: 4 },
  });
  try {
    for (let i = 0; i < 100_000; i++)
      await server.clients.upsertClient(`c${i}`, { token: `t${i}` });
    assert.equal(server.clients.size, 100_000);
    // A sample of clients, more than the cache holds: runtimes are built on demand and evicted.
    const image = { width: 4, height: 2, channels: 1 as const, stride: 4 };
    for (const i of [0, 99_999, 12_345, 50_000, 77_777, 3, 4, 5, 6, 0]) {
      const out = await server.executor.transcode({
        client: `c${i}`,
        steps: ["invert"],
        params: defaultParams(),
        image: { ...image, data: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]) },
        output: "raw",
      });
      assert.equal(out.kind, "raw");
      if (out.kind === "raw")
        assert.deepEqual([...out.image.data], [254, 253, 252, 251, 250, 249, 248, 247]);
    }
  } finally {
    await server.close();
  }
});

test("a chain's fuel budget is the request's, not one per step", async () => {
  const h = await startServer({ workers: 1, cache: false });
  try {
    // Each step alone fits the budget; two of them in one chain do not.
    const token = await createClient(h, "chainer", { fuel: 1_000_000 });
    const half = plugin("half", "volatile int x = 0; for (int i = 0; i < 700000; i++) x += i;");
    assert.equal((await putPlugin(h, "chainer", token, "half", half)).status, 201);
    const one = await get(h, "chainer", token, "plugin=half");
    assert.equal(one.status, 200);
    await one.arrayBuffer();
    const used = h.server.counters.of("client:chainer", "half").fuelUsed;
    assert.ok(used > 500_000 && used < 1_000_000, `one step used ${used} fuel`);
    const two = await get(h, "chainer", token, "plugin=half,half");
    assert.equal(two.status, 503);
    assert.equal((await two.json()).fault, "fuel-exhausted");
  } finally {
    await h.stop();
  }
});
