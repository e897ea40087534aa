import assert from "node:assert/strict";
import { test } from "node:test";
import { type DecodedModule, decodeModule } from "../../wasm/decoder.ts";
import { CodeWriter, ModuleBuilder } from "../../wasm/encoder.ts";
import { toWat } from "../../wasm/wat.ts";
import { loadWabt, WASM_FEATURES } from "../helpers/validate.ts";
import { everyInstructionBody, sampleModule } from "./fixtures.ts";

/** Assembles WAT text with wabt; validates unless asked not to (for typing-free bodies). */
async function assemble(wat: string, validate = true): Promise<DecodedModule> {
  const wabt = await loadWabt();
  const module = wabt.parseWat("test.wat", wat, WASM_FEATURES);
  try {
    module.resolveNames();
    if (validate) module.validate();
    return decodeModule(module.toBinary({}).buffer);
  } finally {
    module.destroy();
  }
}

test("the sample module survives encode → toWat → wat2wasm unchanged", async () => {
  const bytes = sampleModule();
  const original = decodeModule(bytes);
  const reassembled = await assemble(toWat(bytes));
  // The text format has no custom sections, and wat2wasm only emits a data count section when
  // an instruction needs it; everything else must come back identical.
  assert.deepEqual(
    { ...reassembled, customs: [], dataCount: undefined },
    { ...original, customs: [], dataCount: undefined },
  );
});

test("every opcode and immediate survives the text format byte for byte", async () => {
  const b = new ModuleBuilder();
  b.type({ params: [], results: [] });
  b.type({ params: ["i64"], results: ["i32", "i32"] }); // the `if`'s block type
  const { body } = everyInstructionBody();
  b.addFunction({ params: [], results: [] }, ["i32"], body.subarray(0, -1));
  const original = decodeModule(b.encode());
  const reassembled = await assemble(toWat(b.encode()), false);
  assert.deepEqual(reassembled.code, original.code);
});

test("float constants keep their exact bits: -0, infinities, NaN payloads, subnormals", async () => {
  const f64s = [-0, 0.1, 1e21, -1.7976931348623157e308, 5e-324, Infinity, -Infinity, Math.E];
  const f32s = [-0, 1 / 3, 3.4028234663852886e38, 1.401298464324817e-45, -Infinity, 16777217];
  const w = new CodeWriter();
  for (const v of f64s) w.f64Const(v).op("drop");
  for (const v of f32s) w.f32Const(v).op("drop");
  // NaNs with payloads, written as raw bits: f64 quiet NaN 0x...1, f32 negative NaN 0x200001.
  w.op("f64_const").raw(new Uint8Array([1, 0, 0, 0, 0, 0, 0xf8, 0x7f]));
  w.op("drop");
  w.op("f32_const").raw(new Uint8Array([1, 0, 0xa0, 0xff]));
  w.op("drop");
  const b = new ModuleBuilder();
  b.addFunction({ params: [], results: [] }, [], w);
  b.addGlobal("f64", false, { i32: -0 });
  b.addGlobal("f32", false, { i32: 0.1 });
  const bytes = b.encode();
  const wat = toWat(bytes);
  assert.match(wat, /f64\.const -0\n/);
  assert.match(wat, /f64\.const nan:0x8000000000001\n/);
  assert.match(wat, /f32\.const -nan:0x200001\n/);
  assert.deepEqual(await assemble(wat), decodeModule(bytes));
});

test("names come from imports and exports, sanitized and made unique", async () => {
  const b = new ModuleBuilder();
  const sig = { params: [], results: [] };
  const putchar = b.importFunction("env", "putchar", { params: ["i32"], results: ["i32"] });
  b.importGlobal("env", "__stack_pointer", "i32", true);
  const first = b.addFunction(sig, [], new CodeWriter().i32Const(65).call(putchar).op("drop"));
  const second = b.addFunction(sig, [], new CodeWriter().call(first));
  const anonymous = b.addFunction(sig, [], new CodeWriter().call(second));
  b.exportFunction("a b", first);
  b.exportFunction("a_b", second);
  b.exportFunction("alias", second);
  const bytes = b.encode();
  const wat = toWat(bytes);
  for (const line of [
    '(import "env" "putchar" (func $putchar (type 0) (param i32) (result i32)))',
    '(import "env" "__stack_pointer" (global $__stack_pointer (mut i32)))',
    "(func $a_b (type 1)",
    "(func $a_b.1 (type 1)",
    `(func (;${anonymous};) (type 1)`,
    "    call $putchar",
    "    call $a_b.1",
    '(export "a b" (func $a_b))',
    '(export "alias" (func $a_b.1))',
  ]) {
    assert.ok(wat.includes(line), `missing ${JSON.stringify(line)} in\n${wat}`);
  }
  assert.deepEqual(await assemble(wat), decodeModule(bytes));
});

test("layout: indentation by block depth, escaped data, custom sections as comments", () => {
  const b = new ModuleBuilder();
  b.addMemory({ min: 1 });
  const body = new CodeWriter().block().loop().i32Const(1).brIf(0).end().i32Const(0).if();
  body.op("nop").else().op("unreachable").end().end();
  b.addFunction({ params: [], results: [] }, [], body);
  b.addData({ i32: 8 }, new Uint8Array([0x41, 0x22, 0x5c, 0x0a, 0x00, 0xff]));
  b.addCustomSection("name\n", new Uint8Array(5));
  assert.equal(
    toWat(b.encode()),
    [
      ';; custom section "name\\0a", 5 bytes',
      "(module",
      "  (type (;0;) (func))",
      "  (memory (;0;) 1)",
      "  (func (;0;) (type 0)",
      "    block",
      "      loop",
      "        i32.const 1",
      "        br_if 0",
      "      end",
      "      i32.const 0",
      "      if",
      "        nop",
      "      else",
      "        unreachable",
      "      end",
      "    end)",
      '  (data (;0;) (i32.const 8) "A\\22\\5c\\0a\\00\\ff"))',
      "",
    ].join("\n"),
  );
});
