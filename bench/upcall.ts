// Upcall cost against argument count (the paper's Figure 5, issue 5 item 1) and the cost of
// calls made by plugins: into the kernel and into another plugin (item 2).

import { compileOrThrow, type Kplug, type KplugRuntime, loadKplug, type Upcall } from "./kplug.ts";
import { ChildPeer, WorkerPeer } from "./peers/channels.ts";
import { extismSumModule } from "./peers/extism-modules.ts";
import { measureBatched, measureBatchedAsync, type Stat } from "./stats.ts";
import type { BenchContext, BenchGroup, Cell, GroupOutput } from "./types.ts";

const ARITIES = [0, 1, 2, 3, 4, 5, 6];
const PARAMS = ["a", "b", "c", "d", "e", "f"];

/**
 * f0 .. f6: `int fK(int a, ...)` returning the sum of its arguments. Code without loops or calls
 * cannot use fuel, so the kernel calls it without a fuel reset. m0 .. m6, in a plugin of their
 * own, compute the same sum behind a loop that runs zero times, which makes them metered: their
 * upcall goes through `mK$entry` and pays for the fuel reset and the fuel bookkeeping.
 */
function upcallPluginSource(prefix: "f" | "m"): string {
  const functions = ARITIES.map((k) => {
    const params =
      k === 0
        ? "void"
        : PARAMS.slice(0, k)
            .map((p) => `int ${p}`)
            .join(", ");
    const body = k === 0 ? "1" : PARAMS.slice(0, k).join(" + ");
    return prefix === "f"
      ? `int f${k}(${params}) { return ${body}; }\n`
      : `int m${k}(${params}) { int s = ${body}; for (int i = 0; i < zero; i++) s += i; return s; }\n`;
  });
  return `${prefix === "m" ? "int zero;\n" : ""}${functions.join("")}`;
}

const CALLEE_SOURCE = "int peer_inc(int x) { return x + 1; }\n";

// Compiled with inlining off, so local_inc stays a real wasm call: the intra-module baseline.
const CALLER_SOURCE = `
extern int peer_inc(int x);
extern int host_inc(int x);
int local_inc(int x) { return x + 1; }
int loop_empty(int n) { int s = 0; for (int i = 0; i < n; i++) s = (s ^ i) + 1; return s; }
int loop_local(int n) { int s = 0; for (int i = 0; i < n; i++) s = local_inc(s ^ i); return s; }
int loop_peer(int n) { int s = 0; for (int i = 0; i < n; i++) s = peer_inc(s ^ i); return s; }
int loop_kernel(int n) { int s = 0; for (int i = 0; i < n; i++) s = host_inc(s ^ i); return s; }
`;

/**
 * A caller loop per arity and mechanism, made with `new Function` so every measured call site
 * has its own type feedback (one shared loop would turn megamorphic and slow all of them).
 */
function makeLoop(arity: number): (f: Upcall, n: number) => number {
  const args = ARITIES.slice(0, arity).map((i) => `i + ${i}`);
  return new Function(
    "f",
    "n",
    `let s = 0; for (let i = 0; i < n; i++) s = (s + f(${args.join(", ")})) | 0; return s;`,
  ) as (f: Upcall, n: number) => number;
}

function makeGateLoop(arity: number): (rt: KplugRuntime, name: string, n: number) => number {
  const args = ARITIES.slice(0, arity).map((i) => `, i + ${i}`);
  return new Function(
    "rt",
    "name",
    "n",
    `let s = 0; for (let i = 0; i < n; i++) s = (s + rt.call(name${args.join("")})) | 0; return s;`,
  ) as (rt: KplugRuntime, name: string, n: number) => number;
}

const JS_FUNCTIONS: Upcall[] = [
  () => 1,
  (a: number) => a,
  (a: number, b: number) => a + b,
  (a: number, b: number, c: number) => a + b + c,
  (a: number, b: number, c: number, d: number) => a + b + c + d,
  (a: number, b: number, c: number, d: number, e: number) => a + b + c + d + e,
  (a: number, b: number, c: number, d: number, e: number, f: number) => a + b + c + d + e + f,
];

type Curve = Map<number, Stat>;

function argsFor(arity: number, i: number): number[] {
  return ARITIES.slice(0, arity).map((k) => i + k);
}

async function measureExtism(ctx: BenchContext): Promise<Curve> {
  const { default: createPlugin } = await import("@extism/extism");
  const plugin = await createPlugin({ wasm: [{ data: extismSumModule() }] }, { useWasi: false });
  const curve: Curve = new Map();
  try {
    for (const k of ARITIES) {
      const input = new Uint8Array(Math.ceil((k * 4) / 8) * 8);
      const view = new DataView(input.buffer);
      for (let j = 0; j < k; j++) view.setInt32(j * 4, j + 1, true);
      const expected = (k * (k + 1)) / 2;
      const out = (await plugin.call("sum", input))?.bytes();
      const got = out && new DataView(out.buffer, out.byteOffset).getInt32(0, true);
      if (got !== expected) throw new Error("Extism sum plugin gave a wrong result");
      curve.set(
        k,
        await measureBatchedAsync(async (n) => {
          for (let i = 0; i < n; i++) {
            await plugin.call("sum", input);
            // The SDK keeps every call's input and output blocks until reset(); block indices
            // overflow its 16-bit address tag after ~32,000 of them.
            if ((i & 1023) === 1023) await plugin.reset();
          }
          await plugin.reset();
        }, ctx.profile),
      );
    }
  } finally {
    await plugin.close();
  }
  return curve;
}

async function measureQuickJs(ctx: BenchContext): Promise<Curve> {
  const { getQuickJS } = await import("quickjs-emscripten");
  const qjs = await getQuickJS();
  const vm = qjs.newContext();
  const curve: Curve = new Map();
  try {
    for (const k of ARITIES) {
      const params = PARAMS.slice(0, k).join(", ");
      const body = k === 0 ? "1" : `(${PARAMS.slice(0, k).join(" + ")}) | 0`;
      const fn = vm.unwrapResult(vm.evalCode(`(function (${params}) { return ${body}; })`));
      const call = (i: number) => {
        const handles = argsFor(k, i).map((a) => vm.newNumber(a));
        const result = vm.unwrapResult(vm.callFunction(fn, vm.undefined, ...handles));
        const value = vm.getNumber(result);
        result.dispose();
        for (const h of handles) h.dispose();
        return value;
      };
      if (call(1) !== (k === 0 ? 1 : argsFor(k, 1).reduce((a, b) => a + b, 0))) {
        throw new Error("QuickJS gave a wrong result");
      }
      curve.set(
        k,
        measureBatched((n) => {
          for (let i = 0; i < n; i++) call(i);
        }, ctx.profile),
      );
      fn.dispose();
    }
  } finally {
    vm.dispose();
  }
  return curve;
}

async function measureWorker(ctx: BenchContext): Promise<Curve> {
  const peer = new WorkerPeer();
  const curve: Curve = new Map();
  try {
    peer.startUpcalls();
    for (const k of ARITIES) {
      if (peer.upcall(argsFor(k, 1)) !== argsFor(k, 1).reduce((a, b) => a + b, 0)) {
        throw new Error("worker round trip gave a wrong result");
      }
      curve.set(
        k,
        measureBatched((n) => {
          for (let i = 0; i < n; i++) peer.upcall(argsFor(k, i));
        }, ctx.profile),
      );
    }
    await peer.stopUpcalls();
  } finally {
    await peer.close();
  }
  return curve;
}

async function measureChild(ctx: BenchContext): Promise<Curve> {
  const peer = new ChildPeer();
  const curve: Curve = new Map();
  try {
    for (const k of ARITIES) {
      const args = new Int32Array(argsFor(k, 1));
      if ((await peer.upcall(args)) !== args.reduce((a, b) => a + b, 0)) {
        throw new Error("child round trip gave a wrong result");
      }
      curve.set(
        k,
        await measureBatchedAsync(async (n) => {
          for (let i = 0; i < n; i++) await peer.upcall(args);
        }, ctx.profile),
      );
    }
  } finally {
    await peer.close();
  }
  return curve;
}

interface KplugCurves {
  handle: Curve;
  metered: Curve;
  gate: Curve;
  calls: { empty: Stat; local: Stat; peer: Stat; kernel: Stat };
}

function measureKplug(kp: Kplug, ctx: BenchContext): KplugCurves {
  const kernel = new kp.Kernel();
  kernel.export("host_inc", "int host_inc(int x)", (x: number) => (x + 1) | 0);
  const runtime = kernel.createRuntime("upcall-bench", { allow: ["host_inc"] });
  for (const prefix of ["f", "m"] as const) {
    const file = `upcalls-${prefix}.c`;
    runtime.add(file, compileOrThrow(kp.compile, upcallPluginSource(prefix), { file }));
  }
  const handle: Curve = new Map();
  const metered: Curve = new Map();
  const gate: Curve = new Map();
  for (const k of ARITIES) {
    const expected = k === 0 ? 1 : argsFor(k, 3).reduce((a, b) => a + b, 0);
    for (const [prefix, curve] of [
      ["f", handle],
      ["m", metered],
    ] as const) {
      const h = runtime.lookup(`${prefix}${k}`);
      if (h(...argsFor(k, 3)) !== expected)
        throw new Error(`kplug ${prefix}${k} gave a wrong result`);
      const loop = makeLoop(k);
      curve.set(
        k,
        measureBatched((n) => loop(h, n), ctx.profile),
      );
    }
    const gateLoop = makeGateLoop(k);
    gate.set(
      k,
      measureBatched((n) => gateLoop(runtime, `f${k}`, n), ctx.profile),
    );
  }

  runtime.add("callee", compileOrThrow(kp.compile, CALLEE_SOURCE, { file: "callee.c" }));
  runtime.add(
    "caller",
    compileOrThrow(kp.compile, CALLER_SOURCE, { file: "caller.c", inline: false }),
  );
  const loops = ["loop_empty", "loop_local", "loop_peer", "loop_kernel"].map((s) =>
    runtime.lookup(s),
  );
  const reference = loops[1](1000);
  if (loops[2](1000) !== reference || loops[3](1000) !== reference) {
    throw new Error("plugin call loops disagree");
  }
  // Each upcall runs a 10,000-iteration loop, so the upcall itself is noise in the per-call figure.
  const inner = 10_000;
  const [empty, local, peer, kern] = loops.map((f) => {
    const s = measureBatched((n) => {
      for (let i = 0; i < n; i++) f(inner);
    }, ctx.profile);
    return scale(s, 1 / inner);
  });
  return { handle, metered, gate, calls: { empty, local, peer, kernel: kern } };
}

function scale(s: Stat, factor: number): Stat {
  return {
    ...s,
    median: s.median * factor,
    q1: s.q1 * factor,
    q3: s.q3 * factor,
    min: s.min * factor,
    max: s.max * factor,
  };
}

function worst(curve: Curve | undefined): number | null {
  if (!curve || curve.size === 0) return null;
  return Math.max(...[...curve.values()].map((s) => s.median));
}

async function attempt<T>(
  part: string,
  out: GroupOutput,
  ctx: BenchContext,
  fn: () => Promise<T> | T,
): Promise<T | undefined> {
  try {
    ctx.log(`  ${part}`);
    return await fn();
  } catch (e) {
    out.unavailable.push({ part, reason: e instanceof Error ? e.message : String(e) });
    return undefined;
  }
}

export const upcallGroup: BenchGroup = {
  id: "upcall",
  title: "Upcall cost against argument count (the paper's Figure 5)",
  description:
    "Cost of one call from the host into a function taking 0 to 6 int arguments and returning " +
    "their sum, through kplug's resolved upcall handle (`runtime.lookup`, fuel reset and fault " +
    "guard included) and its by-name gate (`runtime.call`), against a plain JS call and the " +
    "alternatives a Node developer might pick: a worker thread (Atomics.wait/notify round trip " +
    "on a SharedArrayBuffer), a child process (length-prefixed frames over stdin/stdout pipes), " +
    "the Extism JS SDK (a wasm plugin receiving its arguments as input bytes, as Extism's " +
    "calling convention requires) and quickjs-emscripten (a JS function in the QuickJS sandbox; " +
    "arguments and result marshalled as handles). Figures are medians per call over batches.",
  async run(ctx: BenchContext, out: GroupOutput): Promise<void> {
    const kp = await loadKplug();
    let kplug: KplugCurves | undefined;
    if (kp.ok) kplug = await attempt("kplug", out, ctx, () => measureKplug(kp.value, ctx));
    else out.unavailable.push({ part: "kplug", reason: kp.reason });

    const js: Curve = new Map();
    for (const k of ARITIES) {
      const loop = makeLoop(k);
      const f = JS_FUNCTIONS[k];
      js.set(
        k,
        measureBatched((n) => loop(f, n), ctx.profile),
      );
    }
    const extism = await attempt("Extism", out, ctx, () => measureExtism(ctx));
    const quickjs = await attempt("quickjs-emscripten", out, ctx, () => measureQuickJs(ctx));
    const worker = await attempt("worker thread", out, ctx, () => measureWorker(ctx));
    const child = await attempt("child process", out, ctx, () => measureChild(ctx));

    const mechanisms: [string, Curve | undefined][] = [
      ["kplug resolved handle", kplug?.handle],
      ["kplug resolved handle, metered code", kplug?.metered],
      ["kplug by-name gate", kplug?.gate],
      ["plain JS call", js],
      ["Extism JS SDK", extism],
      ["quickjs-emscripten", quickjs],
      ["worker thread (Atomics)", worker],
      ["child process (pipe)", child],
    ];
    const rows: Cell[][] = mechanisms.map(([name, curve]) => [
      name,
      ...ARITIES.map((k) => curve?.get(k) ?? null),
    ]);
    out.tables.push({
      id: "upcall-args",
      title: "Host → function call cost by number of int arguments (median per call)",
      columns: ["Mechanism", ...ARITIES.map((k) => `${k} args`)],
      rows,
      notes: [
        "The plain JS call is what V8 makes of a monomorphic call in a hot loop: it may be inlined, so it is a floor, not a competitor.",
        "kplug calls code that cannot use fuel (no loops, no calls) without a fuel reset; the metered row runs the same sums behind a zero-trip loop, so its upcall sets the budget and reads back the fuel used.",
        "Worker and child-process figures are full round trips (request, wake-up, reply); the kplug handle runs the plugin on the caller's thread.",
      ],
    });
    out.charts.push({
      id: "upcall-args",
      title: "Upcall cost vs. number of int arguments (log scale)",
      kind: "line",
      xLabel: "int arguments",
      yLabel: "time per call",
      yUnit: "ns",
      logY: true,
      series: mechanisms
        .filter(([, curve]) => curve && curve.size > 0)
        .map(([name, curve]) => ({
          name,
          points: ARITIES.map((k): [number, number] => [k, curve!.get(k)!.median]),
        })),
    });

    if (kplug) {
      const { empty, local, peer, kernel } = kplug.calls;
      const cost = (s: Stat) => Math.max(0, s.median - empty.median);
      out.tables.push({
        id: "plugin-calls",
        title: "Calls made by a plugin (per loop iteration; call cost = iteration − empty loop)",
        columns: ["Call", "per iteration", "call cost (ns)", "÷ intra-module call"],
        rows: [
          ["empty loop (no call)", empty, null, null],
          ["intra-module wasm call (not inlined)", local, cost(local), 1],
          [
            "plugin → plugin (extern, another instance)",
            peer,
            cost(peer),
            cost(peer) / (cost(local) || 1),
          ],
          [
            "plugin → kernel callback (wasm → JS)",
            kernel,
            cost(kernel),
            cost(kernel) / (cost(local) || 1),
          ],
        ],
        notes: [
          "The caller plugin is compiled with `inline: false` so its intra-module call is a real wasm call. Each upcall runs a 10,000-iteration loop; figures are per iteration.",
        ],
      });
      out.summary.push({
        measure: "Plugin → kernel callback",
        paper: "—",
        kplug: cost(kernel),
        peer: null,
        peerName: "",
        unit: "ns",
        target: "≤ 20 ns",
      });
      out.summary.push({
        measure: "Plugin → plugin call ÷ intra-module call",
        paper: "≈ 1 (a function call)",
        kplug: cost(peer) / (cost(local) || 1),
        peer: null,
        peerName: "",
        unit: "ratio",
        target: "≤ 2×",
      });
    }
    const peers: [string, Curve | undefined][] = [
      ["Extism", extism],
      ["QuickJS", quickjs],
      ["worker", worker],
      ["child process", child],
    ];
    const best = peers
      .map(([name, c]) => [name, worst(c)] as const)
      .filter((p): p is readonly [string, number] => p[1] !== null)
      .sort((a, b) => a[1] - b[1])[0];
    out.summary.unshift({
      measure: "Upcall, 0–6 int args (worst median, resolved handle)",
      paper: "0.45–0.62 µs",
      kplug: kplug ? Math.max(worst(kplug.handle) ?? 0, worst(kplug.metered) ?? 0) : null,
      peer: best?.[1] ?? null,
      peerName: best?.[0] ?? "",
      unit: "ns",
      target: "≤ 25 ns",
    });
  },
};
