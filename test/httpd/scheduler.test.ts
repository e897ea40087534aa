// The fair scheduler with fake executors: jobs finish when the test says, reporting the fuel
// the test gives them, and the clock is the test's. Everything is deterministic.

import assert from "node:assert/strict";
import { test } from "node:test";
import {
  QueueFull,
  RateLimited,
  Scheduler,
  type SchedulerOptions,
  SchedulerRejection,
} from "../../httpd/scheduler.ts";

interface FakeJob {
  client: string;
  n: number;
  fuel: number;
}

/** A scheduler whose executions wait for `finishNext`/`finish`; `started` logs dispatches. */
function harness(options: Partial<SchedulerOptions<FakeJob, number>> = {}) {
  const running: Array<{ job: FakeJob; done: (fuel: number) => void; fail: (e: Error) => void }> =
    [];
  const started: FakeJob[] = [];
  let clock = 0;
  const scheduler = new Scheduler<FakeJob, number>({
    executors: 1,
    execute: (job) =>
      new Promise<number>((resolve, reject) => {
        started.push(job);
        running.push({ job, done: resolve, fail: reject });
      }),
    fuelOf: (fuel) => fuel,
    now: () => clock,
    ...options,
  });
  const flush = () => new Promise((r) => setImmediate(r));
  return {
    scheduler,
    started,
    running,
    advance(ms: number) {
      clock += ms;
    },
    /** Finishes the oldest running job with the fuel it was given. */
    async finishNext(): Promise<FakeJob> {
      const r = running.shift();
      assert.ok(r, "nothing is running");
      r.done(r.job.fuel);
      await flush();
      return r.job;
    },
    flush,
  };
}

const submitMany = (
  s: Scheduler<FakeJob, number>,
  client: string,
  count: number,
  fuel: number,
): Promise<number>[] =>
  Array.from({ length: count }, (_, n) => s.submit(client, { client, n, fuel }));

test("a light client's jobs are not stuck behind a heavy client's backlog", async () => {
  const h = harness({ defaults: { maxQueued: 100, fuelPerSecond: 1e12, burstFuel: 1e12 } });
  // The heavy client queues first; each of its jobs burns 20M fuel, the light one's 10k.
  const heavy = submitMany(h.scheduler, "heavy", 10, 20_000_000);
  const light = submitMany(h.scheduler, "light", 10, 10_000);
  while (h.running.length > 0) await h.finishNext();
  await Promise.all([...heavy, ...light]);
  const order = h.started.map((j) => `${j.client}${j.n}`);
  const lastLight = order.lastIndexOf("light9");
  assert.ok(
    lastLight < order.indexOf("heavy2"),
    `every light job starts before the heavy client's third: ${order.join(" ")}`,
  );
  // Plain FIFO would have run all ten heavy jobs first: the order really was changed.
  assert.equal(order[0], "heavy0");
  assert.equal(h.scheduler.stats("light").completed, 10);
});

test("backlogged clients share the executors in proportion to fuel, not to jobs", async () => {
  const h = harness({ defaults: { maxQueued: 1000, fuelPerSecond: 1e15, burstFuel: 1e15 } });
  const a = submitMany(h.scheduler, "a", 400, 2_000_000);
  const b = submitMany(h.scheduler, "b", 400, 1_000_000);
  for (let i = 0; i < 300; i++) await h.finishNext();
  const done = { a: 0, b: 0 };
  for (const j of h.started.slice(0, 300)) done[j.client as "a" | "b"]++;
  const ratio = done.b / done.a;
  assert.ok(ratio > 1.8 && ratio < 2.2, `b ran ${done.b} jobs, a ${done.a}: ratio ${ratio}`);
  // Fuel used is what is equal.
  const fuelA = done.a * 2_000_000;
  const fuelB = done.b * 1_000_000;
  assert.ok(Math.abs(fuelA - fuelB) <= 4_000_000, `fuel a ${fuelA}, b ${fuelB}`);
  const settled = Promise.allSettled([...a, ...b]);
  h.scheduler.close();
  while (h.running.length > 0) await h.finishNext();
  await settled;
});

test("the cap is work-conserving: a lone client uses every executor, gives them back to others", async () => {
  const h = harness({ executors: 4, defaults: { maxConcurrent: 2, maxQueued: 100 } });
  const x = submitMany(h.scheduler, "x", 10, 1000);
  assert.equal(h.running.length, 4, "alone, a client is not held to its cap");
  const y = submitMany(h.scheduler, "y", 10, 1000);
  assert.equal(h.running.length, 4);
  // Every executor x frees goes to y until y holds its cap; from then on neither exceeds it
  // while the other waits.
  await h.finishNext();
  await h.finishNext();
  assert.deepEqual(
    h.running.map((r) => r.job.client),
    ["x", "x", "y", "y"],
  );
  while (h.running.length > 0) {
    const counts = { x: 0, y: 0 };
    for (const r of h.running) counts[r.job.client as "x" | "y"]++;
    const xWaits = h.scheduler.stats("x").queued > 0;
    const yWaits = h.scheduler.stats("y").queued > 0;
    if (xWaits && yWaits) {
      assert.ok(counts.x <= 2 && counts.y <= 2, JSON.stringify(counts));
      assert.equal(h.running.length, 4, "no executor idles while both wait");
    }
    // While the other was seen within the last second, a waiting client runs up to its cap and
    // no further: the rest stays free for the other's next request.
    if (xWaits !== yWaits) assert.ok(counts[xWaits ? "x" : "y"] === 2, JSON.stringify(counts));
    await h.finishNext();
  }
  await Promise.all([...x, ...y]);
  // A second after y's last request, x is alone again and takes every executor.
  h.advance(1001);
  const alone = submitMany(h.scheduler, "x", 4, 1000);
  assert.equal(h.running.length, 4, "alone again, x uses the whole pool");
  while (h.running.length > 0) await h.finishNext();
  await Promise.all(alone);
  h.scheduler.setLimits("x", { maxConcurrent: 4 });
  submitMany(h.scheduler, "x", 6, 1000);
  assert.equal(h.scheduler.limitsOf("x").maxConcurrent, 4, "a per-client cap is settable");
});

test("a full queue is a typed 503 rejection; the queued jobs still run", async () => {
  const h = harness({ defaults: { maxQueued: 3 } });
  const ok = submitMany(h.scheduler, "c", 4, 10); // one runs, three wait
  await assert.rejects(h.scheduler.submit("c", { client: "c", n: 9, fuel: 1 }), (e) => {
    assert.ok(e instanceof QueueFull);
    assert.equal(e.status, 503);
    assert.equal(e.kind, "queue-full");
    return true;
  });
  // Another client is not affected by c's full queue.
  const other = h.scheduler.submit("d", { client: "d", n: 0, fuel: 1 });
  while (h.running.length > 0) await h.finishNext();
  assert.equal((await Promise.all(ok)).length, 4);
  assert.equal(await other, 1);
  assert.equal(h.scheduler.stats("c").rejectedQueueFull, 1);
});

test("the CPU rate is a token bucket in fuel per second with Retry-After", async () => {
  const h = harness({ defaults: { fuelPerSecond: 1000, burstFuel: 1000 } });
  const first = h.scheduler.submit("c", { client: "c", n: 0, fuel: 3000 });
  await h.finishNext();
  await first;
  // The bucket is 2000 fuel in debt: two seconds at 1000/s before it is positive again.
  await assert.rejects(h.scheduler.submit("c", { client: "c", n: 1, fuel: 1 }), (e) => {
    assert.ok(e instanceof RateLimited);
    assert.equal(e.status, 429);
    assert.equal(e.retryAfterSeconds, 3);
    return true;
  });
  h.advance(1500);
  await assert.rejects(
    h.scheduler.submit("c", { client: "c", n: 2, fuel: 1 }),
    (e) => e instanceof RateLimited && e.retryAfterSeconds === 1,
  );
  // Other clients have buckets of their own.
  const other = h.scheduler.submit("d", { client: "d", n: 0, fuel: 1 });
  await h.finishNext();
  assert.equal(await other, 1);
  h.advance(1000);
  const later = h.scheduler.submit("c", { client: "c", n: 3, fuel: 1 });
  await h.finishNext();
  assert.equal(await later, 1);
  assert.equal(h.scheduler.stats("c").rejectedRateLimited, 2);
});

test("the estimates of queued jobs count against the bucket at admission", async () => {
  const h = harness({
    quantum: 1000,
    defaults: { fuelPerSecond: 1000, burstFuel: 10_000, maxQueued: 100 },
  });
  // Teach the scheduler that c's jobs cost about 4000 fuel each (the estimate follows the mean).
  for (let i = 0; i < 12; i++) {
    h.advance(10_000); // a full bucket each time
    const p = h.scheduler.submit("c", { client: "c", n: i, fuel: 4000 });
    await h.finishNext();
    await p;
  }
  h.advance(10_000);
  // A full bucket (10000) holds about two and a half such jobs: the fourth is refused at once,
  // before any of the first three has run and been charged.
  const outcomes = await Promise.all(
    Array.from({ length: 5 }, (_, n) =>
      h.scheduler.submit("c", { client: "c", n, fuel: 4000 }).then(
        () => "ran",
        (e) => (e instanceof RateLimited ? "limited" : String(e)),
      ),
    ).map(async (p, i) => {
      if (i === 4) while (h.running.length > 0) await h.finishNext();
      return p;
    }),
  );
  assert.deepEqual(outcomes, ["ran", "ran", "ran", "limited", "limited"]);
});

test("an aborted job that has not started is removed and never runs", async () => {
  const h = harness();
  const first = h.scheduler.submit("c", { client: "c", n: 0, fuel: 1 });
  const controller = new AbortController();
  const second = h.scheduler.submit(
    "c",
    { client: "c", n: 1, fuel: 1 },
    {
      signal: controller.signal,
    },
  );
  const third = h.scheduler.submit("c", { client: "c", n: 2, fuel: 1 });
  controller.abort();
  await assert.rejects(second, (e) => e instanceof SchedulerRejection && e.kind === "aborted");
  while (h.running.length > 0) await h.finishNext();
  await Promise.all([first, third]);
  assert.deepEqual(
    h.started.map((j) => j.n),
    [0, 2],
  );
});

test("an executor that throws rejects its job and the scheduler goes on", async () => {
  let calls = 0;
  const s = new Scheduler<number, number>({
    executors: 1,
    execute: async (job) => {
      calls++;
      if (job === 0) throw new Error("executor broke");
      return job;
    },
    fuelOf: (r) => r,
  });
  const a = s.submit("c", 0);
  const b = s.submit("c", 5);
  await assert.rejects(a, /executor broke/);
  assert.equal(await b, 5);
  assert.equal(calls, 2);
  assert.equal(s.running, 0);
  assert.equal(s.queued, 0);
});

test("close rejects waiting jobs and later submissions", async () => {
  const h = harness();
  const running = h.scheduler.submit("c", { client: "c", n: 0, fuel: 1 });
  const waiting = h.scheduler.submit("c", { client: "c", n: 1, fuel: 1 });
  h.scheduler.close();
  await assert.rejects(waiting, (e) => e instanceof SchedulerRejection && e.kind === "closed");
  await assert.rejects(h.scheduler.submit("c", { client: "c", n: 2, fuel: 1 }));
  await h.finishNext();
  assert.equal(await running, 1);
});
