// A constant scalar's bytes in static data (little-endian, i386 sizes): shared by the parser,
// which packs runs of constants as it reads them (init-bytes.ts), and by lower-data.ts.

import { sizeOf, type Type } from "./types.ts";

/** Writes `value` as an object of scalar type `t` at `at` (integers wrap, _Bool is 0 or 1). */
export function writeConstant(view: DataView, at: number, t: Type, value: bigint | number): void {
  if (t.kind === "float") {
    const x = typeof value === "bigint" ? Number(value) : value;
    if (t.size === 4) view.setFloat32(at, x, true);
    else view.setFloat64(at, x, true);
    return;
  }
  const size = sizeOf(t);
  if (t.kind === "int" && t.name === "_Bool") {
    view.setInt8(at, value === 0 || value === 0n || Number.isNaN(value) ? 0 : 1);
    return;
  }
  if (typeof value === "number" && size <= 4 && Number.isSafeInteger(value)) {
    // Small integers (packed straight from a data run): the setters wrap as asIntN does.
    if (size === 1) view.setInt8(at, value);
    else if (size === 2) view.setInt16(at, value, true);
    else view.setInt32(at, value, true);
    return;
  }
  if (typeof value === "number") {
    // A float converted to an integer type is folded already; truncate what is left.
    value = BigInt(Number.isFinite(value) ? Math.trunc(value) : 0);
  }
  switch (size) {
    case 1:
      view.setInt8(at, Number(BigInt.asIntN(8, value)));
      break;
    case 2:
      view.setInt16(at, Number(BigInt.asIntN(16, value)), true);
      break;
    case 8:
      view.setBigInt64(at, BigInt.asIntN(64, value), true);
      break;
    default:
      view.setInt32(at, Number(BigInt.asIntN(32, value)), true);
  }
}
