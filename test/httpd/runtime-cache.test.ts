// The worker's runtime cache with a real kernel: LRU by count and by bytes, stale stamps, idle
// eviction on an injected clock, and V8's wasm-memory limit turned into a typed error.

import assert from "node:assert/strict";
import { test } from "node:test";
import {
  isWasmMemoryLimit,
  RuntimeCache,
  RuntimeCapacityError,
} from "../../httpd/runtime-cache.ts";
import { Kernel, type Runtime } from "../../kernel/index.ts";

function setup(limits: { maxRuntimes?: number; maxBytes?: number; idleMs?: number } = {}) {
  const kernel = new Kernel();
  let clock = 0;
  const built: string[] = [];
  const cache = new RuntimeCache(
    { maxRuntimes: 100, maxBytes: 2 ** 40, idleMs: 1000, ...limits },
    (rt) => kernel.destroyRuntime(rt.name),
    () => clock,
  );
  const make = (key: string) => (): Runtime => {
    built.push(key);
    return kernel.createRuntime(key, { memory: 4 << 20, stdout: () => {}, stderr: () => {} });
  };
  const use = (key: string, stamp = "1"): Runtime =>
    cache.get(key, stamp) ?? cache.build(key, stamp, make(key));
  return {
    kernel,
    cache,
    built,
    use,
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

test("least recently used runtimes are evicted past the count bound and rebuilt on use", () => {
  const s = setup({ maxRuntimes: 2 });
  s.use("a");
  s.use("b");
  s.use("a"); // a is now the most recent
  s.use("c"); // evicts b
  assert.deepEqual(s.kernel.runtimeNames.sort(), ["a", "c"]);
  assert.equal(s.kernel.runtime("b"), undefined, "the evicted runtime is destroyed");
  s.use("b");
  assert.deepEqual(s.built, ["a", "b", "c", "b"]);
  assert.equal(s.cache.stats.resident, 2);
  assert.equal(s.cache.stats.evictions, 2);
});

test("a stale stamp rebuilds the runtime", () => {
  const s = setup();
  const first = s.use("a", "1");
  assert.equal(s.use("a", "1"), first);
  const second = s.use("a", "2");
  assert.notEqual(second, first);
  assert.ok(first.isDestroyed);
  assert.deepEqual(s.built, ["a", "a"]);
});

test("the byte bound counts memory the runtimes grew to", () => {
  // Two fresh runtimes fit; one grown by 2 MiB and another do not.
  const s = setup({ maxBytes: 5 << 19 });
  const a = s.use("a");
  s.use("b");
  assert.equal(s.cache.stats.resident, 2);
  // a grows (a plugin's malloc would do this): the cache notices after the job.
  a.alloc(2 << 20);
  s.cache.used("a");
  assert.ok(s.cache.stats.bytes <= 5 << 19, `${s.cache.stats.bytes} bytes resident`);
  assert.equal(s.kernel.runtime("b"), undefined, "the older runtime made room");
  assert.equal(s.kernel.runtime("a"), a, "the runtime just used stays");
});

test("idle runtimes are evicted by the sweep", () => {
  const s = setup({ idleMs: 1000 });
  s.use("a");
  s.advance(600);
  s.use("b");
  s.advance(600);
  assert.equal(s.cache.sweep(), 1);
  assert.deepEqual(s.kernel.runtimeNames, ["b"]);
  s.advance(1000);
  assert.equal(s.cache.sweep(), 1);
  assert.equal(s.cache.stats.resident, 0);
});

const v8Limit = () => new RangeError("WebAssembly.Memory(): could not allocate memory");

test("V8's memory limit: the cache gives back runtimes and retries", () => {
  const s = setup();
  for (const k of ["a", "b", "c"]) s.use(k);
  let attempts = 0;
  const rt = s.cache.build("d", "1", () => {
    if (attempts++ === 0) throw v8Limit();
    return s.kernel.createRuntime("d", { memory: 4 << 20 });
  });
  assert.equal(rt.name, "d");
  assert.equal(s.kernel.runtime("a"), undefined, "the oldest runtime was given back");
  assert.equal(s.cache.stats.capacityErrors, 1);
});

test("V8's memory limit with nothing to give back is a typed error", () => {
  const s = setup();
  assert.ok(isWasmMemoryLimit(v8Limit()));
  assert.throws(
    () =>
      s.cache.build("x", "1", () => {
        throw v8Limit();
      }),
    (e) => e instanceof RuntimeCapacityError && e.retryAfterSeconds === 1,
  );
  // Other errors pass through untouched.
  assert.throws(
    () =>
      s.cache.build("y", "1", () => {
        throw new TypeError("boom");
      }),
    TypeError,
  );
});
