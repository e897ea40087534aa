// Writes include/wasm_simd128.h from the intrinsic table in cc/simd-intrinsics.ts:
//   node --import tsx scripts/gen-simd-header.ts
// test/cc/simd.test.ts fails if the committed header differs from this output.

import { writeFileSync } from "node:fs";
import path from "node:path";
import { simdHeaderText } from "../cc/simd-header.ts";

const out = path.join(import.meta.dirname, "..", "include", "wasm_simd128.h");
writeFileSync(out, simdHeaderText());
console.log(`wrote ${out}`);
