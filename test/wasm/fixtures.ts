// Modules shared by the wasm/ tests: one that uses every builder feature and validates, and a
// function body that contains every opcode kplug knows (valid binary layout, not valid typing).

import { CodeWriter, ModuleBuilder } from "../../wasm/encoder.ts";
import { Op, OpFC, type OpFCName, type OpName } from "../../wasm/opcodes.ts";

/** A valid module exercising imports of every kind, globals, tables, elements, data, start. */
export function sampleModule(): Uint8Array<ArrayBuffer> {
  const b = new ModuleBuilder();
  b.importMemory("env", "memory", { min: 1, max: 16 });
  const stackPointer = b.importGlobal("env", "__stack_pointer", "i32", true);
  const memoryBase = b.importGlobal("env", "__memory_base", "i32", false);
  const tableBase = b.importGlobal("env", "__table_base", "i32", false);
  b.importTable("env", "table", { min: 4 });
  const printf = b.importFunction("env", "printf", { params: ["i32", "i32"], results: ["i32"] });
  const unary = { params: ["i32"], results: ["i32"] } as const;
  const pair = b.type({ params: ["i32", "i32"], results: ["i32", "i32"] });

  const fuel = b.addGlobal("i64", true, { i32: -1 });
  b.addGlobal("f64", false, { i32: 0.5 });
  b.addGlobal("f32", true, { i32: -2.25 });
  b.addGlobal("i32", false, { global: memoryBase });

  const square = b.addFunction(unary, [], new CodeWriter().localGet(0).localGet(0).op("i32_mul"));
  const main = b.declareFunction({ params: ["i32", "i32"], results: ["i32"] });
  const body = new CodeWriter()
    .globalGet(stackPointer)
    .i32Const(16)
    .op("i32_sub")
    .localTee(2)
    .globalSet(stackPointer)
    .i32Const(1)
    .i32Const(2)
    .block({ typeIndex: pair })
    .op("i32_add")
    .i32Const(-1)
    .end()
    .op("i32_mul")
    .localSet(3)
    .block()
    .loop()
    .localGet(3)
    .op("i32_eqz")
    .brIf(1)
    .localGet(3)
    .i32Const(1)
    .op("i32_sub")
    .localSet(3)
    .globalGet(fuel)
    .i64Const(1n)
    .op("i64_sub")
    .globalSet(fuel)
    .br(0)
    .end()
    .end()
    .localGet(0)
    .if("i32")
    .localGet(1)
    .call(square)
    .else()
    .localGet(2)
    .mem("i32_load8_u", 0, 3)
    .end()
    .localGet(2)
    .op("i32_add")
    .localGet(2)
    .i32Const(0)
    .callIndirect(b.type(unary))
    .op("drop")
    .globalGet(memoryBase)
    .localGet(2)
    .call(printf)
    .op("drop")
    .localGet(2)
    .f64Const(-0)
    .mem("f64_store", 3, 8)
    .localGet(2)
    .i32Const(0)
    .i32Const(8)
    .memoryFill()
    .localGet(2)
    .globalGet(memoryBase)
    .i32Const(4)
    .memoryCopy()
    .localGet(2)
    .i32Const(16)
    .op("i32_add")
    .globalSet(stackPointer);
  b.defineFunction(main, ["i32", "i32", "f64", "i32"], body);
  const init = b.addFunction({ params: [], results: [] }, [], new CodeWriter());

  b.exportFunction("main", main);
  b.exportFunction("square", square);
  b.exportGlobal("fuel", fuel);
  b.exportMemory("memory");
  b.exportTable("table", 0);
  b.setStart(init);
  b.addElements({ global: tableBase }, [square, main]);
  b.addElements({ i32: 3 }, [printf]);
  b.addData({ global: memoryBase }, new TextEncoder().encode('%d "\\" \u00e9\n\0'));
  b.addData({ i32: 1024 }, new Uint8Array([0, 1, 2, 255]));
  b.addCustomSection("kplug.meta", new Uint8Array([7, 8, 9]));
  return b.encode();
}

/**
 * Every single-byte opcode in table order, then every 0xfc opcode, each with immediates that
 * stress the LEB128 widths. Ends with the function's final `end`. `count` is the number of
 * instructions, that final `end` and a `nop` in the `else` branch included.
 */
export function everyInstructionBody(): { body: Uint8Array; count: number } {
  const w = new CodeWriter();
  const exceptions = new Set<number>([
    Op.try,
    Op.catch,
    Op.throw,
    Op.rethrow,
    Op.delegate,
    Op.catch_all,
  ]);
  for (const name of Object.keys(Op) as OpName[]) {
    const op = Op[name];
    if (exceptions.has(op)) continue; // nested on their own below
    if (op === Op.block) w.block();
    else if (op === Op.loop) w.loop("f64");
    else if (op === Op.if)
      w.if({ typeIndex: 1 }); // closed by the `end` that follows `else`
    else if (op === Op.else)
      w.else().op("nop"); // wat2wasm drops an empty else
    else if (op === Op.br) w.br(0);
    else if (op === Op.br_if) w.brIf(127);
    else if (op === Op.br_table) w.brTable([0, 1, 127, 128], 2);
    else if (op === Op.call) w.call(300);
    else if (op === Op.call_indirect) w.callIndirect(5);
    else if (op === Op.local_get) w.localGet(0xffff_ffff);
    else if (op === Op.local_set) w.localSet(128);
    else if (op === Op.local_tee) w.localTee(16384);
    else if (op === Op.global_get) w.globalGet(2);
    else if (op === Op.global_set) w.globalSet(2 ** 21);
    else if (op >= Op.i32_load && op <= Op.i64_store32) w.mem(name, op & 3, op * 1001);
    else if (op === Op.memory_size) w.memorySize();
    else if (op === Op.memory_grow) w.memoryGrow();
    else if (op === Op.i32_const) w.i32Const(-123456);
    else if (op === Op.i64_const) w.i64Const(-(2n ** 40n));
    else if (op === Op.f32_const) w.f32Const(1 / 3);
    else if (op === Op.f64_const) w.f64Const(Math.PI);
    else w.op(name);
  }
  for (const name of Object.keys(OpFC) as OpFCName[]) {
    if (name === "memory_copy") w.memoryCopy();
    else if (name === "memory_fill") w.memoryFill();
    else w.opFC(name);
  }
  // Exception handling, each form closed: 12 instructions for the 6 opcodes skipped above.
  w.try().throw(9).catch(9).rethrow(0).end();
  w.try().op("nop").op("delegate").u32(0);
  w.try().op("nop").op("catch_all").end();
  w.end().end().end(); // the loop, the block, the function
  return {
    body: w.finish().slice(),
    count: Object.keys(Op).length + Object.keys(OpFC).length + 4 + 6,
  };
}
