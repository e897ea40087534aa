// The standard `name` custom section: function names for messages and fault reports, and a
// rewrite of its global-name subsection when a rewriter shifts global indices. Names are
// advisory, so a malformed name section is ignored rather than refused.

import { Reader } from "./decoder.ts";
import { ByteWriter } from "./encoder.ts";

export const NAME_SECTION = "name";
const FUNCTION_NAMES = 1;
const GLOBAL_NAMES = 7;

/** Function names by function index (imports included), from the module's name section. */
export function functionNames(customs: readonly { name: string; bytes: Uint8Array }[]) {
  const names = new Map<number, string>();
  const section = customs.find((c) => c.name === NAME_SECTION);
  if (!section) return names;
  try {
    forEachSubsection(section.bytes, (id, r) => {
      if (id === FUNCTION_NAMES) readNameMap(r, (index, name) => names.set(index, name));
    });
  } catch {
    names.clear(); // a broken name section only costs the names
  }
  return names;
}

/**
 * The name section with every global index passed through `remap`; other subsections are
 * copied unchanged. Undefined when the section is malformed (the caller drops it).
 */
export function remapGlobalNames(
  bytes: Uint8Array,
  remap: (index: number) => number,
): Uint8Array | undefined {
  const out = new ByteWriter(bytes.length + 16);
  try {
    forEachSubsection(bytes, (id, r) => {
      out.byte(id);
      if (id !== GLOBAL_NAMES) {
        out.u32(r.end - r.pos);
        out.raw(r.take(r.end - r.pos));
        return;
      }
      const sub = new ByteWriter(r.end - r.pos + 8);
      const entries: [number, string][] = [];
      readNameMap(r, (index, name) => entries.push([remap(index), name]));
      sub.u32(entries.length);
      for (const [index, name] of entries) {
        sub.u32(index);
        sub.name(name);
      }
      out.sized(sub);
    });
  } catch {
    return undefined;
  }
  return out.finish().slice();
}

function forEachSubsection(bytes: Uint8Array, visit: (id: number, r: Reader) => void): void {
  const r = new Reader(bytes, 0, bytes.length);
  while (!r.done) {
    const id = r.u8();
    const size = r.u32();
    const sub = new Reader(bytes, r.pos, r.pos + size);
    if (sub.end > r.end) r.fail("name subsection exceeds the section");
    visit(id, sub);
    r.pos = sub.end;
  }
}

function readNameMap(r: Reader, entry: (index: number, name: string) => void): void {
  for (let n = r.count(); n > 0; n--) entry(r.u32(), r.name());
}
