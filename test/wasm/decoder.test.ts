import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { decodeInstructions, decodeModule, WasmDecodeError } from "../../wasm/decoder.ts";
import { CodeWriter, ModuleBuilder } from "../../wasm/encoder.ts";
import { Op, OpFC } from "../../wasm/opcodes.ts";
import { everyInstructionBody, sampleModule } from "./fixtures.ts";

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/** Decodes a single-function module whose body is `write`'s output. */
function roundTripBody(write: (w: CodeWriter) => void) {
  const b = new ModuleBuilder();
  const w = new CodeWriter();
  write(w);
  b.addFunction({ params: [], results: [] }, [], w);
  const m = decodeModule(b.encode());
  return { body: m.code[0]!.body, instructions: decodeInstructions(m.code[0]!.body) };
}

describe("LEB128 round trips", () => {
  test("i32.const edge values, with minimal encodings", () => {
    const cases: [number, number][] = [
      [0, 1],
      [1, 1],
      [-1, 1],
      [63, 1],
      [64, 2],
      [-64, 1],
      [-65, 2],
      [8191, 2],
      [8192, 3],
      [-8192, 2],
      [-8193, 3],
      [-(2 ** 20), 3],
      [-(2 ** 20) - 1, 4],
      [-(2 ** 27), 4],
      [-(2 ** 27) - 1, 5],
      [2 ** 31 - 1, 5],
      [-(2 ** 31), 5],
    ];
    for (const [value, width] of cases) {
      const { body, instructions } = roundTripBody((w) => w.i32Const(value));
      assert.equal(instructions[0]!.value, value, `i32.const ${value}`);
      assert.equal(body.length, 1 + width + 1, `encoded width of ${value}`);
    }
  });

  test("i64.const edge values", () => {
    const max = 2n ** 63n - 1n;
    for (const value of [
      0n,
      1n,
      -1n,
      63n,
      64n,
      -64n,
      -65n,
      2n ** 31n,
      -(2n ** 32n) - 1n,
      max,
      -max - 1n,
    ]) {
      const { instructions } = roundTripBody((w) => w.i64Const(value));
      assert.equal(instructions[0]!.value, value, `i64.const ${value}`);
    }
  });

  test("u32 immediates up to 2^32-1", () => {
    for (const index of [0, 127, 128, 16383, 16384, 2 ** 31, 2 ** 32 - 1]) {
      const { instructions } = roundTripBody((w) => w.localGet(index).mem("i32_load", 2, index));
      assert.equal(instructions[0]!.index, index);
      assert.equal(instructions[1]!.memOffset, index);
    }
  });
});

describe("decodeModule", () => {
  test("round-trips every builder feature", () => {
    const m = decodeModule(sampleModule());
    assert.deepEqual(m.types, [
      { params: ["i32", "i32"], results: ["i32"] },
      { params: ["i32", "i32"], results: ["i32", "i32"] },
      { params: ["i32"], results: ["i32"] },
      { params: [], results: [] },
    ]);
    assert.deepEqual(m.imports, [
      { module: "env", name: "memory", kind: "memory", limits: { min: 1, max: 16 } },
      { module: "env", name: "__stack_pointer", kind: "global", type: "i32", mutable: true },
      { module: "env", name: "__memory_base", kind: "global", type: "i32", mutable: false },
      { module: "env", name: "__table_base", kind: "global", type: "i32", mutable: false },
      { module: "env", name: "table", kind: "table", limits: { min: 4 } },
      { module: "env", name: "printf", kind: "func", type: 0 },
    ]);
    assert.deepEqual(m.functions, [2, 0, 3]);
    assert.deepEqual(m.tables, []);
    assert.deepEqual(m.memories, []);
    assert.deepEqual(m.globals, [
      { type: "i64", mutable: true, init: { i64: -1n } },
      { type: "f64", mutable: false, init: { f64: 0.5 } },
      { type: "f32", mutable: true, init: { f32: -2.25 } },
      { type: "i32", mutable: false, init: { global: 1 } },
    ]);
    assert.deepEqual(m.exports, [
      { name: "main", kind: "func", index: 2 },
      { name: "square", kind: "func", index: 1 },
      { name: "fuel", kind: "global", index: 3 },
      { name: "memory", kind: "memory", index: 0 },
      { name: "table", kind: "table", index: 0 },
    ]);
    assert.equal(m.start, 3);
    assert.deepEqual(m.elements, [
      { offset: { global: 2 }, funcs: [1, 2] },
      { offset: { i32: 3 }, funcs: [0] },
    ]);
    assert.equal(m.dataCount, 2);
    assert.deepEqual(m.data, [
      { offset: { global: 1 }, bytes: new TextEncoder().encode('%d "\\" \u00e9\n\0') },
      { offset: { i32: 1024 }, bytes: new Uint8Array([0, 1, 2, 255]) },
    ]);
    assert.deepEqual(m.customs, [{ name: "kplug.meta", bytes: new Uint8Array([7, 8, 9]) }]);
    assert.deepEqual(
      m.code.map((c) => c.locals),
      [[], ["i32", "i32", "f64", "i32"], []],
    );
    assert.deepEqual(
      m.code[0]!.body,
      new Uint8Array([Op.local_get, 0, Op.local_get, 0, Op.i32_mul, Op.end]),
    );
    assert.deepEqual(m.code[2]!.body, new Uint8Array([Op.end]));
  });

  test("tables and memories defined by the module", () => {
    const b = new ModuleBuilder();
    b.addTable({ min: 2, max: 2 ** 32 - 1 });
    b.addMemory({ min: 0 });
    const m = decodeModule(b.encode());
    assert.deepEqual(m.tables, [{ min: 2, max: 2 ** 32 - 1 }]);
    assert.deepEqual(m.memories, [{ min: 0 }]);
    assert.equal(m.dataCount, undefined);
  });

  test("an empty module", () => {
    const m = decodeModule(new Uint8Array(HEADER));
    assert.equal(m.types.length + m.code.length + m.customs.length, 0);
  });
});

describe("decodeInstructions", () => {
  test("decodes every opcode with its immediates", () => {
    const { body, count } = everyInstructionBody();
    const ins = decodeInstructions(body);
    assert.equal(ins.length, count);
    assert.deepEqual(
      ins.slice(0, 8).map((i) => [i.name, i.blockType]),
      [
        ["unreachable", undefined],
        ["nop", undefined],
        ["block", "void"],
        ["loop", "f64"],
        ["if", { typeIndex: 1 }],
        ["else", undefined],
        ["nop", undefined],
        ["end", undefined],
      ],
    );
    const byName = new Map(ins.map((i) => [i.name, i]));
    assert.deepEqual(byName.get("br_table")!.depths, [0, 1, 127, 128]);
    assert.equal(byName.get("br_table")!.index, 2);
    assert.equal(byName.get("br_if")!.index, 127);
    assert.equal(byName.get("call")!.index, 300);
    assert.equal(byName.get("catch")!.index, 9);
    assert.equal(byName.get("throw")!.index, 9);
    assert.equal(byName.get("try")!.blockType, "void");
    assert.deepEqual(
      [byName.get("call_indirect")!.index, byName.get("call_indirect")!.table],
      [5, 0],
    );
    assert.equal(byName.get("local.get")!.index, 2 ** 32 - 1);
    assert.equal(byName.get("global.set")!.index, 2 ** 21);
    const store = byName.get("i64.store32")!;
    assert.deepEqual([store.align, store.memOffset], [Op.i64_store32 & 3, Op.i64_store32 * 1001]);
    assert.equal(byName.get("i64.const")!.value, -(2n ** 40n));
    assert.equal(byName.get("f32.const")!.value, Math.fround(1 / 3));
    assert.equal(byName.get("f64.const")!.value, Math.PI);
    for (const name of [
      "memory.size",
      "memory.grow",
      "i32.wrap_i64",
      "f64.reinterpret_i64",
      "i64.extend32_s",
    ]) {
      assert.ok(byName.has(name), name);
    }
    const fc = ins.filter((i) => i.opcode === 0xfc);
    assert.deepEqual(
      fc.map((i) => [i.sub, i.name]),
      [
        [OpFC.i32_trunc_sat_f32_s, "i32.trunc_sat_f32_s"],
        [OpFC.i32_trunc_sat_f32_u, "i32.trunc_sat_f32_u"],
        [OpFC.i32_trunc_sat_f64_s, "i32.trunc_sat_f64_s"],
        [OpFC.i32_trunc_sat_f64_u, "i32.trunc_sat_f64_u"],
        [OpFC.i64_trunc_sat_f32_s, "i64.trunc_sat_f32_s"],
        [OpFC.i64_trunc_sat_f32_u, "i64.trunc_sat_f32_u"],
        [OpFC.i64_trunc_sat_f64_s, "i64.trunc_sat_f64_s"],
        [OpFC.i64_trunc_sat_f64_u, "i64.trunc_sat_f64_u"],
        [OpFC.memory_copy, "memory.copy"],
        [OpFC.memory_fill, "memory.fill"],
      ],
    );
    for (let k = 1; k < ins.length; k++) assert.ok(ins[k]!.offset > ins[k - 1]!.offset);
    assert.equal(ins.at(-1)!.offset, body.length - 1);
  });

  const malformed: [string, number[], RegExp][] = [
    ["unknown opcode", [0xff, Op.end], /unknown opcode 0xff at offset 0/],
    ["unknown 0xfc sub-opcode", [0xfc, 9, Op.end], /unknown opcode 0xfc 9/],
    ["missing final end", [Op.nop], /not terminated by end/],
    ["unclosed block", [Op.block, 0x40, Op.end], /not terminated by end/],
    ["code after the final end", [Op.end, Op.nop], /after the function's final end/],
    ["else outside if", [Op.block, 0x40, Op.else, Op.end, Op.end], /else outside an if/],
    ["second else", [Op.if, 0x40, Op.else, Op.else, Op.end, Op.end], /else outside an if/],
    ["truncated immediate", [Op.i32_const, 0x80], /unexpected end/],
    ["s32 overflow", [Op.i32_const, 0x80, 0x80, 0x80, 0x80, 0x10, Op.end], /s32 LEB128 overflow/],
    ["s32 too long", [Op.i32_const, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f], /longer than 5 bytes/],
    ["s64 overflow", [Op.i64_const, ...Array(9).fill(0x80), 0x01, Op.end], /s64 LEB128 overflow/],
    ["u32 overflow", [Op.local_get, 0xff, 0xff, 0xff, 0xff, 0x1f, Op.end], /u32 LEB128 overflow/],
    ["memory index", [Op.memory_size, 1, Op.end], /memory index must be 0/],
    ["negative block type", [Op.block, 0x41, Op.end, Op.end], /bad block type/],
  ];
  for (const [what, bytes, message] of malformed) {
    test(`rejects ${what}`, () => {
      assert.throws(
        () => decodeInstructions(new Uint8Array(bytes)),
        (e: Error) => {
          assert.ok(e instanceof WasmDecodeError);
          assert.match(e.message, message);
          return true;
        },
      );
    });
  }
});

describe("decodeModule on malformed input", () => {
  const section = (id: number, payload: number[]) => [id, payload.length, ...payload];
  const malformed: [string, number[], RegExp][] = [
    ["empty input", [], /unexpected end at offset 0/],
    ["bad magic", [0, 0x61, 0x73, 0x6e, 1, 0, 0, 0], /bad magic/],
    ["version 2", [...HEADER.slice(0, 4), 2, 0, 0, 0], /unsupported version/],
    ["unknown section", [...HEADER, ...section(13, [])], /unknown section id 13/],
    ["duplicate section", [...HEADER, ...section(1, [0]), ...section(1, [0])], /out of order/],
    ["out-of-order section", [...HEADER, ...section(3, [0]), ...section(1, [0])], /out of order/],
    ["section past the end", [...HEADER, 1, 5, 0], /exceeds the module/],
    ["trailing bytes in a section", [...HEADER, ...section(1, [0, 0])], /1 trailing bytes/],
    [
      "count larger than the section",
      [...HEADER, ...section(1, [0x80, 0x80, 0x04])],
      /count 65536/,
    ],
    ["bad function type form", [...HEADER, ...section(1, [1, 0x61, 0, 0])], /0x60/],
    ["unknown value type", [...HEADER, ...section(1, [1, 0x60, 1, 0x7a, 0])], /unknown value type/],
    [
      "body without code",
      [...HEADER, ...section(1, [1, 0x60, 0, 0]), ...section(3, [1, 0])],
      /1 functions declared but 0 bodies/,
    ],
    ["bad UTF-8 name", [...HEADER, ...section(0, [2, 0xc3, 0x28])], /not valid UTF-8/],
    ["bad limits flag", [...HEADER, ...section(5, [1, 2, 0])], /limits flag 2/],
    ["max below min", [...HEADER, ...section(5, [1, 1, 2, 1])], /maximum below minimum/],
    ["data count mismatch", [...HEADER, ...section(12, [1])], /data count 1 but 0/],
    [
      "passive data segment",
      [...HEADER, ...section(11, [1, 1, 0])],
      /unsupported data segment kind 1/,
    ],
    [
      "unsupported const expr",
      [...HEADER, ...section(6, [1, 0x7f, 0, Op.i32_add, Op.end])],
      /constant expression/,
    ],
    [
      "too many locals",
      [
        ...HEADER,
        ...section(1, [1, 0x60, 0, 0]),
        ...section(3, [1, 0]),
        ...section(10, [1, 8, 1, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x7f, Op.end]),
      ],
      /more than 50000 locals/,
    ],
  ];
  for (const [what, bytes, message] of malformed) {
    test(`rejects ${what}`, () => {
      assert.throws(
        () => decodeModule(new Uint8Array(bytes)),
        (e: Error) => {
          assert.ok(e instanceof WasmDecodeError, `${e}`);
          assert.match(e.message, message);
          return true;
        },
      );
    });
  }

  test("every truncation either decodes (at a section boundary) or throws WasmDecodeError", () => {
    const bytes = sampleModule();
    let decoded = 0;
    for (let n = 0; n < bytes.length; n++) {
      try {
        decodeModule(bytes.subarray(0, n));
        decoded++;
      } catch (e) {
        assert.ok(e instanceof WasmDecodeError, `prefix ${n}: ${e}`);
      }
    }
    // Whole modules: the header alone, with the type section, with the import section, and
    // everything but the trailing custom section. Function/code and data count/data mismatch
    // rule out the other section boundaries.
    assert.equal(decoded, 4);
  });

  test("random corruption never escapes as anything but WasmDecodeError", () => {
    const original = sampleModule();
    let seed = 12345;
    const random = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    for (let round = 0; round < 3000; round++) {
      const bytes = original.slice();
      for (let k = 1 + random(3); k > 0; k--) bytes[8 + random(bytes.length - 8)] = random(256);
      try {
        for (const code of decodeModule(bytes).code) decodeInstructions(code.body);
      } catch (e) {
        assert.ok(e instanceof WasmDecodeError, `round ${round}: ${e}`);
      }
    }
  });
});
