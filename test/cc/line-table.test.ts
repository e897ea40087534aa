// The line table (cc/line-table.ts): code offsets V8 reports for a trap map to the C source
// position, through inlined functions, and WAT lines carry the offsets that link them.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { compile, decodeLineTable, LINES_SECTION, type SourceFrame } from "../../cc/index.ts";
import { watLines } from "../../wasm/index.ts";

function build(source: string, options: { inline?: boolean } = {}) {
  const r = compile(source, { file: "t.c", ...options });
  if (!r.ok) assert.fail(r.diagnostics.map((d) => d.message).join("\n"));
  return r.module;
}

/** Runs `main` of a module without a kernel and returns the C frames of the trap it hits. */
function trapFrames(wasm: Uint8Array<ArrayBuffer>, fuel = 1_000_000): SourceFrame[][] {
  const table = decodeLineTable(wasm);
  assert.ok(table, "the module has a line table");
  const global = (value: number) => new WebAssembly.Global({ value: "i32", mutable: true }, value);
  const instance = new WebAssembly.Instance(new WebAssembly.Module(wasm), {
    env: {
      memory: new WebAssembly.Memory({ initial: 2 }),
      __memory_base: 4096,
      __stack_pointer: global(65536),
      fuel: global(fuel),
      fuel_reserve: new WebAssembly.Global({ value: "f64", mutable: true }, 0),
    },
  });
  const sites: NodeJS.CallSite[] = [];
  try {
    (instance.exports.main as () => number)();
  } catch (e) {
    const saved = Error.prepareStackTrace;
    Error.prepareStackTrace = (_e, cs) => {
      sites.push(...cs);
      return "";
    };
    void (e as Error).stack;
    Error.prepareStackTrace = saved;
  }
  assert.ok(sites.length > 0, "main trapped");
  const site = sites.filter((s) => s.getThis() === instance);
  return site.map((s) => table.frames(s.getPosition(), s.getFunction() as unknown as number));
}

const at = (f: SourceFrame) => `${f.function}${f.inlined ? " (inlined)" : ""} ${f.line}:${f.col}`;

describe("line table", () => {
  const oob = `int g[4];
static int f(int *p, int i) {
  return p[i];
}
int main(void) {
  int s = 0;
  s += f(g, 100000000);
  return s;
}
`;

  test("an out-of-bounds read in an inlined function: the function, then its caller", () => {
    const frames = trapFrames(build(oob).wasm);
    assert.deepEqual(frames[0]!.map(at), ["f (inlined) 3:10", "main 7:8"]);
  });

  test("without inlining each function is a wasm frame of its own", () => {
    const frames = trapFrames(build(oob, { inline: false }).wasm);
    assert.deepEqual(
      frames.slice(0, 2).map((f) => f.map(at)),
      [["f 3:10"], ["main 7:8"]],
    );
  });

  test("fuel runs out at the loop's header, a division by zero at its operator", () => {
    const loop = build(`int main(void) {\n  int n = 0;\n  for (;;) n++;\n  return n;\n}\n`);
    assert.deepEqual(trapFrames(loop.wasm, 100)[0]!.map(at), ["main 3:3"]);
    const div = build(`int z;\nint main(void) {\n  int a = 7;\n  return a / z;\n}\n`);
    assert.deepEqual(trapFrames(div.wasm)[0]!.map(at), ["main 4:12"]);
  });

  test("stack overflow is reported at the function's definition", () => {
    const m = build(
      `int r(int n) {\n  int a[64];\n  a[n & 63] = n;\n  return r(n + 1) + a[3];\n}\nint main(void) { return r(0); }\n`,
    );
    const frames = trapFrames(m.wasm);
    assert.deepEqual(frames[0]!.map(at), ["r 1:5"]);
    assert.deepEqual(frames[1]!.map(at), ["r 4:10"]);
  });

  test("every WAT instruction line has an offset the table maps to a source line", () => {
    const m = build(oob);
    const table = decodeLineTable(m.wasm)!;
    const lines = watLines(m.wasm).filter((l) => l.offset !== undefined);
    assert.ok(lines.length > 0);
    const mainLines = lines.filter((l) => table.functionName(l.func!) === "main");
    const sourceLines = new Set(mainLines.map((l) => table.frames(l.offset!)[0]?.line));
    assert.deepEqual([...sourceLines].sort(), [3, 5, 6, 7, 8]);
    for (const row of table.rows()) {
      assert.ok(
        lines.some((l) => l.offset === row.offset),
        `row at ${row.offset} starts a line`,
      );
    }
  });

  test("the section is compact and a module without it has no table", () => {
    const m = build(oob);
    const section = WebAssembly.Module.customSections(
      new WebAssembly.Module(m.wasm),
      LINES_SECTION,
    );
    assert.equal(section.length, 1);
    assert.ok(section[0]!.byteLength < 100, `${section[0]!.byteLength} bytes`);
    assert.equal(decodeLineTable(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])), undefined);
  });
});
