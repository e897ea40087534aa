// The runtime's parts on their own: the kernel-wide compiled-code cache and stdout buffering.

import assert from "node:assert/strict";
import { test } from "node:test";
import { compile } from "../../cc/compile.ts";
import { Kernel } from "../../kernel/index.ts";
import { OutputBuffer } from "../../kernel/stdout.ts";

test("runtimes of one kernel share compiled code: a module is compiled once", () => {
  const result = compile("int add(int a, int b) { return a + b; }", { file: "add.c" });
  assert.ok(result.ok);
  const kernel = new Kernel();
  const Original = WebAssembly.Module;
  let compiled = 0;
  // Counts compilations of this module's bytes (other code may compile modules meanwhile).
  const Counting = function (this: unknown, bytes: BufferSource) {
    if (bytes === result.module.wasm) compiled++;
    return new Original(bytes);
  } as unknown as typeof WebAssembly.Module;
  Object.assign(Counting, { exports: Original.exports, imports: Original.imports });
  WebAssembly.Module = Counting;
  try {
    for (const name of ["a", "b", "c"]) {
      const rt = kernel.createRuntime(name);
      rt.add("add", result.module);
      assert.equal(rt.call("add", 40, 2), 42);
    }
  } finally {
    WebAssembly.Module = Original;
  }
  assert.equal(compiled, 1);
  // The same module links into another kernel as well (compiled again there).
  const other = new Kernel().createRuntime("d");
  other.add("add", result.module);
  assert.equal(other.call("add", 1, 2), 3);
});

test("stdout reaches the sink in order, in chunks, and a reset drops what was buffered", () => {
  const chunks: Uint8Array[] = [];
  const out = new OutputBuffer((b) => chunks.push(b));
  const bytes = (n: number, from: number) => Uint8Array.from({ length: n }, (_, i) => from + i);
  out.write(bytes(5000, 0));
  out.writeByte(7);
  assert.equal(chunks.length, 0, "nothing written before the buffer fills");
  out.write(bytes(5000, 1)); // does not fit: the buffered 5001 bytes go first
  out.write(bytes(20_000, 2)); // larger than the buffer: flushed, then written through
  out.flush();
  const all = Buffer.concat(chunks);
  const want = Buffer.concat([bytes(5000, 0), Uint8Array.of(7), bytes(5000, 1), bytes(20_000, 2)]);
  assert.deepEqual(all, want);
  assert.ok(chunks.length >= 3);
  const before = chunks.length;
  out.writeByte(1);
  out.discard();
  out.flush();
  assert.equal(chunks.length, before);
});
