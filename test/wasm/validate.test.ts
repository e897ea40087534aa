import assert from "node:assert/strict";
import { test } from "node:test";
import { CodeWriter, ModuleBuilder } from "../../wasm/encoder.ts";
import { validateWasm } from "../helpers/validate.ts";
import { sampleModule } from "./fixtures.ts";

test("validateWasm accepts a module using bulk memory, multi-value and mutable global imports", async () => {
  await validateWasm(sampleModule());
});

test("validateWasm rejects a body whose type does not match its signature", async () => {
  const b = new ModuleBuilder();
  b.addFunction(
    { params: ["i32"], results: ["i32"] },
    [],
    new CodeWriter().localGet(0).op("i64_add"),
  );
  await assert.rejects(validateWasm(b.encode()), /invalid wasm: .*type mismatch/s);
});

test("validateWasm rejects malformed bytes with wabt's reader message", async () => {
  await assert.rejects(
    validateWasm(new Uint8Array([0, 0x61, 0x73, 0x6d, 2, 0, 0, 0])),
    /invalid wasm: .*version/is,
  );
});
