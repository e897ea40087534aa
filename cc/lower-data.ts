// Static data: every referenced global, static local and string literal laid out in one region
// at __memory_base. Initialized objects come first so the single data segment (a segment
// offset can only be `global.get __memory_base` without extended-const) stops at the last
// non-zero byte; zero-filled objects follow and cost nothing in the binary. Pointers stored in
// static data are relocations, patched by the module's start function.

import { type Expr, objectAlign, type Var } from "./ast.ts";
import type { DiagnosticSink } from "./diagnostics.ts";
import type { CompileLimits } from "./limits.ts";
import { writeConstant } from "./scalar-bytes.ts";
import { alignTo, isRecord, sizeOf, type Type } from "./types.ts";

export interface Relocation {
  /** Offset in static data of the 4-byte pointer. */
  at: number;
  /** The pointer is `__memory_base + value` or `__table_base + value`. */
  base: "memory" | "table";
  value: number;
}

export interface StaticData {
  offsets: Map<Var, number>;
  blobOffsets: Map<Uint8Array, number>;
  size: number;
  align: number;
  /** Bytes of the data segment at __memory_base (trailing zeros trimmed). */
  segment: Uint8Array;
  relocations: Relocation[];
}

type Const = { num: bigint | number } | { target: Var; addend: number };

export function layoutStaticData(
  used: Iterable<Var>,
  blobs: Uint8Array[],
  tableSlot: (v: Var) => number | undefined,
  diags: DiagnosticSink,
  limits: CompileLimits,
): StaticData {
  const offsets = new Map<Var, number>();
  const blobOffsets = new Map<Uint8Array, number>();
  let size = 0;
  let align = 1;
  const place = (bytes: number, a: number) => {
    size = alignTo(size, a);
    align = Math.max(align, a);
    const at = size;
    size += bytes;
    return at;
  };

  const initialized: Var[] = [];
  const zeroed: Var[] = [];
  for (const v of used) {
    if (!v.defined && !v.init) continue; // reported where it is used
    if (v.init && v.init.items.length > 0) initialized.push(v);
    else zeroed.push(v);
  }
  for (const v of initialized) offsets.set(v, place(objectSize(v), objectAlign(v)));
  for (const b of blobs) if (!blobOffsets.has(b)) blobOffsets.set(b, place(b.length, 8));
  for (const v of zeroed) offsets.set(v, place(objectSize(v), objectAlign(v)));
  let tooLarge = false;
  if (size > limits.maxObjectBytes) {
    const at = initialized[0]?.loc ?? zeroed[0]?.loc;
    if (at) diags.error(at, `static data too large (${size} bytes)`);
    tooLarge = true;
  }
  // The data segment ends at the last byte an initializer makes non-zero: measure that before
  // allocating, so `static char a[200 << 20] = {[(200 << 20) - 1] = 1}` (a few bytes of source)
  // is refused here instead of becoming a 200 MB module.
  const segmentEnd = tooLarge ? 0 : initializedExtent(initialized, offsets, blobOffsets);
  if (segmentEnd > limits.maxModuleBytes) {
    const owner = initialized.findLast((v) => offsets.get(v)! < segmentEnd) ?? initialized[0]!;
    diags.error(
      owner.loc,
      `initialized static data makes the module too large (${segmentEnd} bytes, limit ${limits.maxModuleBytes}); zero-filled data costs nothing`,
    );
    tooLarge = true;
  }

  const image = new Uint8Array(tooLarge ? 0 : segmentEnd);
  const view = new DataView(image.buffer);
  const relocations: Relocation[] = [];

  const writeScalar = (at: number, t: Type, c: Const, loc: Expr["loc"]) => {
    if ("target" in c) {
      const { target, addend } = c;
      if (target.kind === "function") {
        const slot = tableSlot(target);
        if (slot === undefined) diags.error(loc, `no table slot for '${target.name}'`);
        else relocations.push({ at, base: "table", value: slot + addend });
      } else {
        const off = offsets.get(target);
        if (off === undefined) diags.error(loc, `'${target.name}' has no storage`);
        else relocations.push({ at, base: "memory", value: off + addend });
      }
      return;
    }
    writeConstant(view, at, t, c.num);
  };

  if (image.length > 0) {
    for (const v of initialized) {
      const base = offsets.get(v)!;
      for (const item of v.init!.items) {
        if ("bytes" in item) {
          // Only up to the last non-zero byte: the rest may lie past the segment's end.
          const n = nonZeroLength(item.bytes);
          if (n > 0) image.set(item.bytes.subarray(0, n), base + item.offset);
          continue;
        }
        if (isZeroConst(item.expr)) continue; // already zero, and maybe past the segment's end
        const c = isRecord(item.type) ? undefined : evalConst(item.expr);
        if (!c) {
          diags.error(item.expr.loc, "initializer of a static object is not a constant");
          continue;
        }
        writeScalar(base + item.offset, item.type, c, item.expr.loc);
      }
    }
    for (const [b, at] of blobOffsets) image.set(b.subarray(0, nonZeroLength(b)), at);
  }
  let end = image.length;
  while (end > 0 && image[end - 1] === 0) end--;
  return {
    offsets,
    blobOffsets,
    size,
    align,
    segment: image.subarray(0, end),
    relocations,
  };
}

/** Where the last non-zero byte of initialized data (objects and blobs) can be, plus one. */
function initializedExtent(
  initialized: Var[],
  offsets: Map<Var, number>,
  blobOffsets: Map<Uint8Array, number>,
): number {
  let end = 0;
  for (const v of initialized) {
    const base = offsets.get(v)!;
    for (const item of v.init!.items) {
      const size =
        "bytes" in item
          ? nonZeroLength(item.bytes)
          : isZeroConst(item.expr)
            ? 0
            : sizeOf(item.type);
      if (size > 0) end = Math.max(end, base + item.offset + size);
    }
  }
  for (const [b, at] of blobOffsets) {
    const n = nonZeroLength(b);
    if (n > 0) end = Math.max(end, at + n);
  }
  return end;
}

function nonZeroLength(bytes: Uint8Array): number {
  let n = bytes.length;
  while (n > 0 && bytes[n - 1] === 0) n--;
  return n;
}

/** An explicit zero (not -0.0, whose sign bit is set) needs no bytes in the segment. */
function isZeroConst(e: Expr): boolean {
  return (e.k === "int" && e.value === 0n) || (e.k === "float" && Object.is(e.value, 0));
}

function objectSize(v: Var): number {
  return Math.max(sizeOf(v.type), v.init?.size ?? 0);
}

function evalConst(e: Expr): Const | undefined {
  switch (e.k) {
    case "int":
    case "float":
      return { num: e.value };
    case "cast":
      return evalConst(e.arg);
    case "addr":
      return evalAddress(e.lv);
    case "binary": {
      if (e.op !== "+" && e.op !== "-") return undefined;
      const l = evalConst(e.l);
      const r = evalConst(e.r);
      if (!l || !r || !("num" in r)) return undefined;
      const delta = Number(r.num) * (e.op === "-" ? -1 : 1);
      if ("target" in l) return { target: l.target, addend: l.addend + delta };
      return undefined;
    }
    default:
      return undefined;
  }
}

function evalAddress(lv: Expr): Const | undefined {
  switch (lv.k) {
    case "var":
      return { target: lv.v, addend: 0 };
    case "member": {
      const base = evalAddress(lv.base);
      return base && "target" in base
        ? { target: base.target, addend: base.addend + lv.member.offset }
        : undefined;
    }
    case "deref":
      return evalConst(lv.ptr);
    default:
      return undefined;
  }
}
