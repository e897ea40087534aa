// Plugins with function pointers added and removed many times in one long-lived runtime: V8
// keeps every instance that imported a table, so the runtime must rotate its table, and the
// plugins that stay linked must keep their function pointers, static data and importers.

import assert from "node:assert/strict";
import { test } from "node:test";
import { compile } from "../../cc/compile.ts";
import type { CompiledModule } from "../../cc/module.ts";
import { Kernel, PluginFault } from "../../kernel/index.ts";

function build(source: string, file: string): CompiledModule {
  const r = compile(source, { file });
  assert.ok(r.ok, file);
  return r.module;
}

test("churn of function-pointer plugins: bounded table importers, live plugins unaffected", () => {
  const kernel = new Kernel();
  const rt = kernel.createRuntime("churn", {});
  rt.add(
    "keeper",
    `static int (*saved)(int);
     static int counter;
     static int inc(int x) { return x + 1; }
     int keep_init(void) { saved = inc; return 0; }
     int keep_call(int x) { counter++; return saved(x); }
     int keep_count(void) { return counter; }
     int (*keep_ptr(void))(int) { return inc; }
     int keep_call_ptr(int (*f)(int), int x) { return f(x); }`,
  );
  rt.add("user", "int keep_call(int x); int use(int x) { return keep_call(x) * 2; }");
  rt.call("keep_init");
  const incPtr = rt.call("keep_ptr") as number;
  const useHandle = rt.lookup("use");

  // More distinct modules than the instance pool keeps, so every add instantiates.
  const churn = Array.from({ length: 20 }, (_, i) =>
    build(
      `static int twice(int x) { return 2 * x + ${i}; }
       int run(int x) { int (*f)(int) = twice; return f(x); }
       int call_ptr(int (*f)(int), int x) { return f(x); }
       int (*twice_ptr(void))(int) { return twice; }`,
      `churn${i}.c`,
    ),
  );
  const cycles = 3000;
  let stale = 0;
  for (let i = 0; i < cycles; i++) {
    rt.add("c", churn[i % churn.length]!);
    assert.equal(rt.call("run", 3), 6 + (i % churn.length));
    if (i % 100 === 0) {
      assert.equal(rt.call("call_ptr", incPtr, 41), 42, "an old function pointer still works");
      assert.equal(useHandle(i), 2 * (i + 1), "the dependent still reaches the keeper");
    }
    if (i === cycles - 1) stale = rt.call("twice_ptr") as number;
    rt.remove("c");
    assert.ok(rt.table.importers <= 300, `table imported by ${rt.table.importers} instances`);
  }
  assert.equal(rt.call("keep_count"), cycles / 100, "the keeper's static data survived");
  assert.equal(rt.stats("user").calls, cycles / 100, "bookkeeping survived the relinks");
  assert.equal(rt.call("keep_call_ptr", incPtr, 1), 2);
  assert.throws(
    () => rt.call("keep_call_ptr", stale, 1),
    (e: unknown) => e instanceof PluginFault && e.kind === "bad-indirect-call",
    "a pointer into unlinked code still traps",
  );
});
