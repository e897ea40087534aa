// Bit-fields in initializers: the constant values of bit-fields are packed into raw byte runs
// (several fields share a byte, so they cannot be separate scalar items), which static data and
// automatic initialization both already handle. A non-constant value (automatic objects only)
// stays a bit-field item, moved after everything else: it is stored by a read-modify-write
// that must see the other fields' bytes already in place.

import type { InitItem } from "./ast.ts";

export function packBitFields(items: InitItem[]): InitItem[] {
  if (!items.some((item) => "bits" in item && item.bits)) return items;
  const bytes = new Map<number, number>();
  const rest: InitItem[] = [];
  const late: InitItem[] = [];
  for (const item of items) {
    if (!("bits" in item) || !item.bits) {
      rest.push(item);
      continue;
    }
    if (item.expr.k !== "int") {
      late.push(item);
      continue;
    }
    const { shift, width } = item.bits;
    let v = item.expr.value;
    if (item.type.kind === "int" && item.type.name === "_Bool") v = v !== 0n ? 1n : 0n;
    // The field's bits, placed at `shift` and spread over bytes from the item's offset.
    let placed = BigInt.asUintN(width, v) << BigInt(shift);
    const n = Math.ceil((shift + width) / 8);
    for (let i = 0; i < n; i++) {
      const at = item.offset + i;
      bytes.set(at, (bytes.get(at) ?? 0) | Number(placed & 0xffn));
      placed >>= 8n;
    }
  }
  const runs: InitItem[] = [];
  const offsets = [...bytes.keys()].sort((a, b) => a - b);
  for (let i = 0; i < offsets.length; ) {
    let j = i + 1;
    while (j < offsets.length && offsets[j] === offsets[j - 1]! + 1) j++;
    const run = new Uint8Array(j - i);
    for (let k = i; k < j; k++) run[k - i] = bytes.get(offsets[k]!)!;
    runs.push({ offset: offsets[i]!, bytes: run });
    i = j;
  }
  const merged = [...rest, ...runs].sort((a, b) => a.offset - b.offset);
  return [...merged, ...late];
}
