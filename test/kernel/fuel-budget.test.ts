// Fuel budgets above 2^31-1 (what the i32 counter of generated code holds) up to 2^53-1:
// the rest waits in the runtime's reserve (wasm/fuel-refill.ts) and every kind of charge draws
// on it (loop back-edges, a counted loop's charge on entry, host functions). Expected fuel is
// never a constant: a linear model of the plugin's cost is measured on small budgets (the i32
// path alone) and extrapolated; a big budget must then spend exactly that, and one unit less
// must run out of fuel.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { FuelBudgetError, Kernel, MAX_FUEL, PluginFault, runProgram } from "../../kernel/index.ts";

const COUNTER_MAX = 2 ** 31 - 1;

// `reps` passes over `span` bytes (a counted loop: charged `span` at its entry, vectorised,
// so billions of units take well under a second), then `plain` iterations of a loop charged
// at every back-edge, then one memcmp (host work) of `cmp` bytes.
const SOURCE = `#include <string.h>
static unsigned char a[1 << 20], b[1 << 20];
int work(int reps, int span, int plain, int cmp) {
  unsigned char *p = a;
  for (int r = 0; r < reps; r++)
    for (int i = 0; i < span; i++) p[i] = (unsigned char)(p[i] + 3);
  int k = 0;
  for (;;) {
    if (k >= plain) break;
    k++;
  }
  return p[5] + k + (memcmp(a, b, (unsigned)cmp) != 0);
}
`;

const kernel = new Kernel();
let runs = 0;

type Outcome = { value: number; used: number } | { fault: PluginFault };

/** One call of work() in a fresh runtime with `fuel` per upcall. */
function run(fuel: number, reps: number, span: number, plain: number, cmp: number): Outcome {
  const name = `fuel-budget-${++runs}`;
  const rt = kernel.createRuntime(name, { allow: ["libc"], fuel, quarantine: false });
  try {
    rt.add("p", SOURCE);
    try {
      const value = rt.lookup("work")(reps, span, plain, cmp) as number;
      return { value, used: rt.plugin("p")!.stats.fuelUsed };
    } catch (e) {
      if (e instanceof PluginFault) return { fault: e };
      throw e;
    }
  } finally {
    kernel.destroyRuntime(name);
  }
}

function used(o: Outcome): number {
  if ("fault" in o) throw o.fault;
  return o.used;
}

/** What work() returns, computed from the C semantics (bytes wrap at 256). */
function expected(reps: number, plain: number, cmp: number): number {
  return ((3 * reps) & 255) + plain + (cmp > 0 && reps % 256 !== 0 ? 1 : 0);
}

/** The cost of work(reps, span, plain, cmp) = base + reps·perPass + plain·perIter + host(cmp). */
function costModel(span: number, cmp: number) {
  const small = 100_000_000;
  const one = used(run(small, 1, span, 0, 0));
  const perPass = used(run(small, 2, span, 0, 0)) - one;
  const perIter = used(run(small, 1, span, 1, 0)) - one;
  const host = used(run(small, 1, span, 0, cmp)) - one;
  const base = one - perPass;
  // The model is checked on the small path before it is trusted on the big one.
  assert.equal(used(run(small, 3, span, 7, cmp)), base + 3 * perPass + 7 * perIter + host);
  return {
    perPass,
    cost: (reps: number, plain: number, withCmp: boolean) =>
      base + reps * perPass + plain * perIter + (withCmp ? host : 0),
    /** Passes that fit in `fuel` together with the fixed part. */
    passesWithin: (fuel: number, withCmp: boolean) =>
      Math.floor((fuel - base - (withCmp ? host : 0)) / perPass),
  };
}

function assertExhausted(o: Outcome, what: string): PluginFault {
  assert.ok("fault" in o, `${what}: finished (used ${"used" in o ? o.used : "?"})`);
  assert.equal(o.fault.kind, "fuel-exhausted", o.fault.message);
  return o.fault;
}

describe("fuel budgets above 2^31-1", () => {
  test("a loop charged per iteration crosses the counter's range and spends the budget exactly", () => {
    const span = 1 << 20;
    const m = costModel(span, 0);
    // The passes leave less than one pass of the counter; the plain loop runs past it.
    const reps = m.passesWithin(COUNTER_MAX, false);
    const plain = COUNTER_MAX - m.cost(reps, 0, false) + 5000;
    const budget = m.cost(reps, plain, false);
    assert.ok(budget > COUNTER_MAX && budget < COUNTER_MAX + 10_000, `budget ${budget}`);
    const ok = run(budget, reps, span, plain, 0);
    assert.deepEqual(ok, { value: expected(reps, plain, 0), used: budget });
    assertExhausted(run(budget - 1, reps, span, plain, 0), "one unit short");
  });

  test("5e9 fuel: work costing 4.9e9 finishes, work costing 5.1e9 runs out", () => {
    const span = 1 << 20;
    const m = costModel(span, 0);
    const fits = m.passesWithin(4.9e9, false);
    const ok = run(5e9, fits, span, 0, 0);
    assert.deepEqual(ok, { value: expected(fits, 0, 0), used: m.cost(fits, 0, false) });
    assert.ok(m.cost(fits, 0, false) > 4.8e9);
    const tooMuch = m.passesWithin(5.1e9, false);
    assertExhausted(run(5e9, tooMuch, span, 0, 0), "5.1e9 of work");
    // Right at the edge, where a counted loop's charge on entry finds the reserve one short.
    const exact = m.cost(fits, 0, false);
    assert.equal(used(run(exact, fits, span, 0, 0)), exact);
    assertExhausted(run(exact - 1, fits, span, 0, 0), "one unit short");
  });

  test("host functions' work draws on the reserve too", () => {
    // Passes of 64 KiB leave less of the counter than one memcmp of 1 MiB costs, so the host
    // charge is the one that runs past the counter.
    const span = 1 << 16;
    const cmp = 1 << 20;
    const m = costModel(span, cmp);
    const reps = m.passesWithin(COUNTER_MAX, true) + 1;
    const budget = m.cost(reps, 0, true);
    assert.ok(budget > COUNTER_MAX, `budget ${budget}`);
    assert.deepEqual(run(budget, reps, span, 0, cmp), {
      value: expected(reps, 0, cmp),
      used: budget,
    });
    const fault = assertExhausted(run(budget - 1, reps, span, 0, cmp), "one unit short");
    assert.match(fault.message, /host work/);
  });

  test("a shared budget above 2^31-1 spans upcalls and reports what is left exactly", () => {
    const span = 1 << 20;
    const m = costModel(span, 0);
    const name = `fuel-budget-${++runs}`;
    const rt = kernel.createRuntime(name, { allow: ["libc"], quarantine: false });
    try {
      rt.add("p", SOURCE);
      const work = rt.lookup("work");
      const reps = 1500; // ~1.57e9 units a call: the second call crosses the counter's range
      const budget = 4e9;
      rt.beginBudget(budget);
      work(reps, span, 0, 0);
      work(reps, span, 0, 0);
      const left = rt.endBudget();
      assert.equal(budget - left, 2 * m.cost(reps, 0, false));
      assert.equal(rt.plugin("p")!.stats.fuelUsed, 2 * m.cost(reps, 0, false));
      // What is left is not enough for a third call: it runs out, and leaves nothing.
      rt.beginBudget(left);
      assert.throws(() => work(reps, span, 0, 0), /fuel exhausted/);
      assert.equal(rt.endBudget(), 0);
      // The reserve did not outlive the budget: an ordinary upcall gets its own fuel again.
      const before = rt.plugin("p")!.stats.fuelUsed;
      work(1, span, 3, 0);
      assert.equal(rt.plugin("p")!.stats.fuelUsed - before, m.cost(1, 3, false));
    } finally {
      kernel.destroyRuntime(name);
    }
  });

  test("programs take budgets above 2^31-1", () => {
    const program = (reps: number) => `static unsigned char a[1 << 20];
int main(void) {
  for (int r = 0; r < ${reps}; r++)
    for (int i = 0; i < (1 << 20); i++) a[i] = (unsigned char)(a[i] + 1);
  return a[7];
}`;
    const r = runProgram(program(3000), { fuel: 5e9 });
    assert.equal(r.fault, undefined, r.stderr);
    assert.equal(r.exitCode, 3000 % 256);
    // ~3.1e9 units do not fit 2^31+100: the program runs out of fuel, it is not cut short
    // at the counter's range.
    const short = runProgram(program(3000), { fuel: 2 ** 31 + 100 });
    assert.equal(short.fault?.kind, "fuel-exhausted");
  });

  test("budgets that are not a whole number from 1 to 2^53-1 are refused", () => {
    const bad = [Number.POSITIVE_INFINITY, Number.NaN, 1e300, -1, 0, 1.5, MAX_FUEL + 1];
    for (const fuel of bad) {
      assert.throws(
        () => kernel.createRuntime(`bad-${++runs}`, { fuel }),
        FuelBudgetError,
        `createRuntime fuel ${fuel}`,
      );
      if (fuel !== 0) {
        // 0 asks runProgram for unmetered code.
        assert.throws(() => runProgram("int main(void) { return 0; }", { fuel }), FuelBudgetError);
      }
    }
    const name = `fuel-budget-${++runs}`;
    const rt = kernel.createRuntime(name, { fuel: MAX_FUEL });
    try {
      assert.equal(rt.limits.fuel, MAX_FUEL);
      for (const fuel of bad) assert.throws(() => rt.beginBudget(fuel), FuelBudgetError);
    } finally {
      kernel.destroyRuntime(name);
    }
  });
});
