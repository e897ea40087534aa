// Reader for the `dylink.0` custom section of the WebAssembly tool conventions
// (DynamicLinking.md), which marks a module built as a position-independent shared library
// (`clang -fPIC -Wl,--shared` or `-Wl,--experimental-pic`). Such a module imports the host's
// memory and table and expects the loader to reserve `memorySize` bytes of static data at
// `__memory_base` and `tableSize` table slots at `__table_base`, exactly like a KP-C module.
//
// The section is a sequence of subsections `(type: u8, size: u32, payload)`; unknown types are
// skipped (the format allows additions). The legacy `dylink` section (no subsections, memory
// info then needed libraries) is read too.

import { Reader, WasmDecodeError } from "./decoder.ts";

export const DYLINK_SECTION = "dylink.0";
const LEGACY_SECTION = "dylink";

const MEM_INFO = 1;
const NEEDED = 2;
const EXPORT_INFO = 3;
const IMPORT_INFO = 4;

/** Symbol flags (tool conventions Linking.md, WASM_SYM_*) that matter to a loader. */
export const SymbolFlag = { weak: 0x1, local: 0x2, hidden: 0x4, tls: 0x100 } as const;

export interface DylinkInfo {
  /** Bytes of static data the loader reserves at `__memory_base`. */
  memorySize: number;
  /** Alignment of that area in bytes (the section stores its log2). */
  memoryAlign: number;
  /** Table slots the loader reserves at `__table_base`. */
  tableSize: number;
  tableAlign: number;
  /** Shared libraries this one needs loaded first. */
  needed: string[];
  /** Extra flags of exports (e.g. TLS), by export name. */
  exportFlags: Record<string, number>;
  /** Extra flags of imports (e.g. weak), by `module.name`. */
  importFlags: Record<string, number>;
}

/** Largest alignment a module may ask for (2^16 bytes); a bigger log2 is malformed. */
const MAX_ALIGN_LOG2 = 16;

/**
 * The dynamic-linking information of a wasm binary, or undefined when it has no `dylink.0`
 * (or legacy `dylink`) section. Throws WasmDecodeError on a malformed section.
 */
export function decodeDylink(bytes: Uint8Array): DylinkInfo | undefined {
  const section = findCustomSection(bytes, DYLINK_SECTION, LEGACY_SECTION);
  if (!section) return undefined;
  const info: DylinkInfo = {
    memorySize: 0,
    memoryAlign: 1,
    tableSize: 0,
    tableAlign: 1,
    needed: [],
    exportFlags: {},
    importFlags: {},
  };
  const r = new Reader(bytes, section.start, section.end);
  if (section.name === LEGACY_SECTION) {
    readMemInfo(r, info);
    readNeeded(r, info);
    if (!r.done) r.fail("trailing bytes in the dylink section");
    return info;
  }
  while (!r.done) {
    const type = r.u8();
    const size = r.u32();
    if (size > r.end - r.pos) r.fail(`dylink.0 subsection ${type} exceeds the section`);
    const sub = new Reader(bytes, r.pos, r.pos + size);
    if (type === MEM_INFO) readMemInfo(sub, info);
    else if (type === NEEDED) readNeeded(sub, info);
    else if (type === EXPORT_INFO) {
      for (let n = sub.count(); n > 0; n--) info.exportFlags[sub.name()] = sub.u32();
    } else if (type === IMPORT_INFO) {
      for (let n = sub.count(); n > 0; n--) {
        const key = `${sub.name()}.${sub.name()}`;
        info.importFlags[key] = sub.u32();
      }
    } else {
      sub.pos = sub.end; // unknown subsection: skipped, as the conventions require
    }
    if (!sub.done) sub.fail(`dylink.0 subsection ${type} has trailing bytes`);
    r.pos = sub.end;
  }
  return info;
}

function readMemInfo(r: Reader, info: DylinkInfo): void {
  info.memorySize = r.u32();
  info.memoryAlign = alignment(r);
  info.tableSize = r.u32();
  info.tableAlign = alignment(r);
}

function alignment(r: Reader): number {
  const at = r.pos;
  const log2 = r.u32();
  if (log2 > MAX_ALIGN_LOG2) r.fail(`dylink alignment 2^${log2} too large`, at);
  return 2 ** log2;
}

function readNeeded(r: Reader, info: DylinkInfo): void {
  for (let n = r.count(); n > 0; n--) info.needed.push(r.name());
}

/**
 * Locates the first custom section with one of `names` without decoding the rest of the
 * module (dylink.0 must be the first section, but a lenient search costs little).
 */
export function findCustomSection(
  bytes: Uint8Array,
  ...names: string[]
): { name: string; start: number; end: number } | undefined {
  if (bytes.length < 8) throw new WasmDecodeError("not a wasm module (too short)", 0);
  const r = new Reader(bytes, 8, bytes.length);
  while (!r.done) {
    const id = r.u8();
    const size = r.u32();
    if (size > r.end - r.pos) r.fail(`section ${id} size ${size} exceeds the module`);
    const end = r.pos + size;
    if (id === 0) {
      const s = new Reader(bytes, r.pos, end);
      const name = s.name();
      if (names.includes(name)) return { name, start: s.pos, end };
    }
    r.pos = end;
  }
  return undefined;
}
