// Faults at the source line: every PluginFault names the file, line and column, the C function
// and a backtrace of C frames (inlined ones marked, kernel functions named), for each kind of
// fault and across plugins and kernel callbacks; memory faults say what access they made.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  type FaultFrame,
  Kernel,
  LinkError,
  PluginFault,
  type Runtime,
  replayFault,
  runProgram,
} from "../../kernel/index.ts";

const kernel = new Kernel();
kernel.export("host_fail", "int host_fail(int x)", (x: number) => {
  if (x > 0) throw new TypeError("host refused");
  return x;
});
let counter = 0;
const fresh = (): Runtime =>
  kernel.createRuntime(`faults${++counter}`, {
    allow: ["libc", "host_fail"],
    quarantine: false,
    fuel: 1_000_000,
  });

function fault(rt: Runtime, symbol: string, ...args: (number | bigint)[]): PluginFault {
  try {
    rt.call(symbol, ...args);
  } catch (e) {
    if (e instanceof PluginFault) return e;
    throw e;
  }
  assert.fail(`${symbol} did not fault`);
}

const frame = (f: FaultFrame) =>
  `${f.function}${f.file ? ` ${f.file}:${f.line}:${f.col}` : ""}${f.inlined ? " inlined" : ""}${f.kernel ? " kernel" : ""}`;

describe("fault location", () => {
  test("out-of-bounds read in an inlined function: f at its line, called from main", () => {
    const rt = fresh();
    rt.add(
      "oob.c",
      `int g[4];
static int f(int *p, int i) {
  return p[i];
}
int run(int i) {
  int s = 0;
  s += f(g, i);
  return s;
}
int where(void) { return (int)g; }
`,
    );
    const e = fault(rt, "run", 100_000_000);
    assert.equal(e.kind, "out-of-bounds");
    assert.equal(e.function, "f");
    assert.deepEqual([e.file, e.line, e.col], ["oob.c", 3, 10]);
    assert.deepEqual(e.backtrace.map(frame), ["f oob.c:3:10 inlined", "run oob.c:7:8"]);
    assert.deepEqual(e.access, { access: "read", size: 4, instruction: "i32.load" });
    // A runtime's own fault cannot know the address (V8 does not say it) ...
    assert.match(
      e.message,
      /^out-of-bounds read of 4 bytes at an unknown address in function 'f' at oob\.c:3:10 /,
    );
    // ... a replay of the call on the runtime's probe replica finds it: g + 100000000 ints.
    const g = Number(rt.call("where"));
    const found = replayFault(kernel, rt, e, (replica) => replica.call("run", 100_000_000));
    assert.deepEqual(found.access, {
      access: "read",
      size: 4,
      instruction: "i32.load",
      address: (g + 4 * 100_000_000) >>> 0,
    });
    assert.deepEqual(found.backtrace, e.backtrace);
    assert.equal(
      found.report().split("\n")[0],
      `oob.c:3:10: fault: out-of-bounds read of 4 bytes at 0x${((g + 400_000_000) >>> 0).toString(16)} in f(), called from run() at oob.c:7:8`,
    );
    // A replay that does not fault leaves the address unknown.
    assert.equal(
      replayFault(kernel, rt, e, (r) => r.call("run", 1)),
      e,
    );
    assert.deepEqual(
      kernel.runtimeNames.filter((n) => n.includes("#replay")),
      [],
    );
  });

  test("a replay from other plugin state (a counter earlier calls moved) says nothing", () => {
    const rt = fresh();
    rt.add(
      "st.c",
      "int g[4];\nint calls;\nint run(void) {\n  calls++;\n  return g[calls * 100000000];\n}\n",
    );
    const first = fault(rt, "run");
    const known = replayFault(kernel, rt, first, (r) => r.call("run"));
    assert.notEqual(known.access?.address, undefined);
    // Second call: calls is 2 here, 1 in the replica: same instruction, another address.
    const second = fault(rt, "run");
    assert.equal(
      replayFault(kernel, rt, second, (r) => r.call("run")),
      second,
    );
    assert.match(second.report(), /read of 4 bytes at an unknown address in run\(\)/);
  });

  test("a store says write and its width", () => {
    const rt = fresh();
    rt.add("w.c", "void put(char *p, long long v) {\n  *(long long *)(p + 3) = v;\n}\n");
    const e = fault(rt, "put", -8, 1n);
    assert.deepEqual(e.access, { access: "write", size: 8, instruction: "i64.store offset=3" });
    assert.deepEqual([e.line, e.col], [2, 3]);
  });

  test("fuel exhausted: at the loop, with no engine text", () => {
    const rt = fresh();
    rt.add("spin.c", "int spin(int n) {\n  while (n >= 0) n = (n + 1) & 7;\n  return n;\n}\n");
    const e = fault(rt, "spin", 0);
    assert.equal(e.kind, "fuel-exhausted");
    assert.deepEqual(e.backtrace.map(frame), ["spin spin.c:2:3"]);
    assert.doesNotMatch(e.message, /unreachable/);
    assert.equal(e.detail, "");
  });

  test("stack exhausted: at the recursive function, its callers below", () => {
    const rt = fresh();
    rt.add(
      "rec.c",
      "int rec(int n) {\n  char pad[512];\n  pad[n & 511] = 1;\n  return rec(n + 1) + pad[7];\n}\n",
    );
    const e = fault(rt, "rec", 0);
    assert.equal(e.kind, "stack-exhausted");
    assert.deepEqual(e.backtrace.slice(0, 2).map(frame), ["rec rec.c:1:5", "rec rec.c:4:10"]);
  });

  test("stack exhausted by alloca: at the call, for any size; the stack is whole again after", () => {
    const rt = fresh();
    rt.add(
      "al.c",
      `#include <alloca.h>
int take(unsigned n) {
  char *p = alloca(n);
  p[0] = 1;
  return p[0];
}
int grow(int k) {
  int s = 0;
  for (int i = 0; i < k; i++) {
    char *p = alloca(4096);
    p[0] = 1;
    s += p[0];
  }
  return s;
}
`,
    );
    for (const n of [1 << 30, 0xffffffff]) {
      const e = fault(rt, "take", n);
      assert.equal(e.kind, "stack-exhausted");
      assert.deepEqual(e.backtrace.map(frame), ["take al.c:3:13"]);
    }
    const e = fault(rt, "grow", 1_000_000);
    assert.equal(e.kind, "stack-exhausted");
    assert.deepEqual(e.backtrace.map(frame), ["grow al.c:10:15"]);
    // Each call's blocks are freed at its return: many calls fit where one big loop did not.
    for (let i = 0; i < 200; i++) assert.equal(rt.call("grow", 20), 20);
  });

  test("divide by zero: at the operator", () => {
    const rt = fresh();
    rt.add("div.c", "int quot(int a, int b) {\n  int q = a / b;\n  return q;\n}\n");
    const e = fault(rt, "quot", 1, 0);
    assert.equal(e.kind, "divide-by-zero");
    assert.deepEqual(e.backtrace.map(frame), ["quot div.c:2:13"]);
  });

  test("abort and assert: the kernel function, then the C call", () => {
    const rt = fresh();
    rt.add(
      "ab.c",
      `#include <stdlib.h>
#include <assert.h>
static void check(int x) {
  if (x > 2) abort();
}
int run(int x) {
  check(x);
  assert(x != 1);
  return 0;
}
`,
    );
    const a = fault(rt, "run", 5);
    assert.equal(a.kind, "abort");
    assert.deepEqual(a.backtrace.map(frame), [
      "abort kernel",
      "check ab.c:4:14 inlined",
      "run ab.c:7:3",
    ]);
    assert.equal(a.function, "check");
    const b = fault(rt, "run", 1);
    assert.equal(b.kind, "abort");
    assert.equal(b.line, 8);
    assert.match(b.detail, /assertion failed/);
  });

  test("a kernel function refusing a pointer reports the address and size", () => {
    const rt = fresh();
    rt.add(
      "cmp.c",
      "#include <string.h>\nint same(const char *a, int n) {\n  char b[64] = {0};\n  return memcmp(a, b, n);\n}\n",
    );
    const e = fault(rt, "same", 0x7ffffff0, 32);
    assert.equal(e.kind, "out-of-bounds");
    assert.deepEqual(e.access, { access: "read", size: 32, address: 0x7ffffff0 });
    assert.deepEqual(e.backtrace.map(frame), ["memcmp kernel", "same cmp.c:4:10"]);
    assert.match(
      e.report(),
      /^cmp\.c:4:10: fault: out-of-bounds read of 32 bytes at 0x7ffffff0 in memcmp\(\), called from same\(\) at cmp\.c:4:10/,
    );
  });

  test("an inlined memcpy (memory.copy) says which instruction, not a made-up size", () => {
    const rt = fresh();
    rt.add(
      "cp.c",
      "#include <string.h>\nvoid copy(char *dst, int n) {\n  char src[64] = {0};\n  memcpy(dst, src, n);\n}\n",
    );
    const e = fault(rt, "copy", 0x7ffffff0, 32);
    assert.deepEqual(e.access, { access: "copy", size: 0, instruction: "memory.copy" });
    assert.match(e.report(), /^cp\.c:4:3: fault: out-of-bounds memory\.copy in copy\(\)/);
  });

  test("a fault in a comparator qsort calls: cmp, qsort (kernel), then the caller", () => {
    const rt = fresh();
    rt.add(
      "sort.c",
      `#include <stdlib.h>
int *bad;
static int cmp(const void *a, const void *b) {
  return *bad + *(const int *)a - *(const int *)b;
}
int run(void) {
  int v[3] = {3, 1, 2};
  bad = (int *)200000000;
  qsort(v, 3, sizeof v[0], cmp);
  return v[0];
}
`,
    );
    const e = fault(rt, "run");
    assert.deepEqual(e.backtrace.map(frame), ["cmp sort.c:4:10", "qsort kernel", "run sort.c:9:3"]);
    assert.equal(e.function, "cmp");
  });

  test("a fault in another plugin's function: its frame, then the caller's, each its own file", () => {
    const rt = fresh();
    rt.add("lib.c", "int get(int *p) {\n  return p[1];\n}\n");
    rt.add(
      "app.c",
      "int get(int *p);\nint run(int a) {\n  int r = get((int *)a);\n  return r;\n}\n",
    );
    const e = fault(rt, "run", -4);
    assert.equal(e.plugin, "app.c");
    assert.deepEqual(e.backtrace.map(frame), ["get lib.c:2:10", "run app.c:3:11"]);
    assert.deepEqual(
      e.backtrace.map((f) => f.plugin),
      ["lib.c", "app.c"],
    );
  });

  test("a host function's JS error: host-error at the call, its message kept", () => {
    const rt = fresh();
    rt.add("h.c", "int host_fail(int x);\nint run(int x) {\n  return host_fail(x) + 1;\n}\n");
    const e = fault(rt, "run", 3);
    assert.equal(e.kind, "host-error");
    assert.deepEqual(e.backtrace.map(frame), ["host_fail kernel", "run h.c:3:10"]);
    assert.equal(e.detail, "TypeError: host refused");
  });

  test("a bad indirect call: at the call through the pointer", () => {
    const rt = fresh();
    rt.add(
      "ind.c",
      "typedef int (*fn)(int);\nint run(int slot) {\n  fn f = (fn)slot;\n  return f(2);\n}\n",
    );
    const e = fault(rt, "run", 12345);
    assert.equal(e.kind, "bad-indirect-call");
    assert.deepEqual(e.backtrace.map(frame), ["run ind.c:4:10"]);
  });

  test("foreign code without a line table: function names and offsets", () => {
    // A KP-C module stripped of its line table stands in for another toolchain's.
    const k = new Kernel();
    const r2 = k.createRuntime("x", { quarantine: false });
    r2.add("m.c", "int f(int *p) {\n  return *p;\n}\n");
    const module = r2.plugin("m.c")!.module;
    const stripped = stripLines(module.wasm);
    const r3 = k.createRuntime("y", { quarantine: false });
    r3.add("s.c", { ...module, wasm: stripped });
    const e = fault(r3, "f", -1);
    assert.equal(e.file, undefined);
    assert.equal(e.backtrace[0]!.function, "f");
    assert.equal(typeof e.backtrace[0]!.offset, "number");
    assert.match(
      e.report(),
      /^kplug: fault: out-of-bounds read of 4 bytes at an unknown address in f\(\) at wasm offset 0x[0-9a-f]+ \(plugin 's\.c'\)/,
    );
  });
});

/** The module without its kplug.lines section (custom sections are last in kplug modules). */
function stripLines(wasm: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  const name = new TextEncoder().encode("kplug.lines");
  for (let i = 8; i < wasm.length; i++) {
    if (wasm[i] !== 0) continue;
    // section id 0, size LEB, name length, name
    let p = i + 1;
    let size = 0;
    let shift = 0;
    for (;;) {
      const b = wasm[p++]!;
      size |= (b & 0x7f) << shift;
      shift += 7;
      if (!(b & 0x80)) break;
    }
    if (wasm[p] === name.length && name.every((c, k) => wasm[p + 1 + k] === c)) {
      const out = new Uint8Array(wasm.length - (p + size - i));
      out.set(wasm.subarray(0, i));
      out.set(wasm.subarray(p + size), i);
      return out;
    }
  }
  assert.fail("no kplug.lines section");
}

describe("link error location", () => {
  test("an undefined extern: LinkError.loc is its declaration; kplug run prints it there", () => {
    const rt = fresh();
    const source =
      "// missing() comes later\nextern int missing(int);\nint run(void) {\n  return missing(1);\n}\n";
    try {
      rt.add("l.c", source);
      assert.fail("linked");
    } catch (e) {
      assert.ok(e instanceof LinkError);
      assert.deepEqual(e.loc, { file: "l.c", line: 2, col: 12 });
    }
    const r = runProgram(`${source}int main(void) { return run(); }\n`, { file: "l.c" });
    assert.equal(r.exitCode, 1);
    assert.equal(
      r.stderr,
      "l.c:2:12: error: undefined symbol 'missing' (declared as 'int (int)')\nextern int missing(int);\n           ^\n",
    );
  });

  test("a mismatched signature points at the extern; a header's function at its first call", () => {
    const rt = fresh();
    rt.add("lib.c", "int twice(int x) { return 2 * x; }\n");
    try {
      rt.add(
        "m.c",
        "int f(void);\nextern long long twice(long long);\nint f(void) { return (int)twice(2); }\n",
      );
      assert.fail("linked");
    } catch (e) {
      assert.ok(e instanceof LinkError);
      assert.deepEqual(e.loc, { file: "m.c", line: 2, col: 18 });
    }
    const bare = kernel.createRuntime(`bare${++counter}`, {});
    try {
      bare.add("s.c", "#include <string.h>\nint n(const char *s) {\n  return (int)strlen(s);\n}\n");
      assert.fail("linked");
    } catch (e) {
      assert.ok(e instanceof LinkError);
      assert.deepEqual(e.loc, { file: "s.c", line: 3, col: 15 });
    }
  });
});
