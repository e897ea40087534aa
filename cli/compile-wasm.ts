// `kplug compile FILE.wasm [--header FILE.h]`: verifies a WebAssembly module from any toolchain
// the way `Runtime.add` would (in a runtime granted libc) and prints what it found: its kind,
// imports and exports with their C signatures (or that they were derived from the wasm types),
// static data and table needs. A refusal is printed with the item it names; exit status 1.

import { readFileSync } from "node:fs";
import {
  type ForeignModule,
  isForeign,
  Kernel,
  LinkError,
  SignatureError,
} from "../kernel/index.ts";
import { decodeModule } from "../wasm/index.ts";
import { fileError } from "./args.ts";

export function inspectWasm(file: string, headerFile: string | undefined): number {
  let bytes: Uint8Array;
  let header: string | undefined;
  try {
    bytes = new Uint8Array(readFileSync(file));
    header = headerFile === undefined ? undefined : readFileSync(headerFile, "utf8");
  } catch (e) {
    const path = (e as NodeJS.ErrnoException).path ?? file;
    process.stderr.write(`kplug compile: ${fileError("read", path, e)}\n`);
    return 1;
  }
  const out: string[] = [];
  const kernel = new Kernel();
  const rt = kernel.createRuntime("inspect", { allow: ["libc"], quarantine: false });
  try {
    const plugin = rt.add(file, bytes, { header });
    const m = plugin.module;
    if (!isForeign(m)) throw new Error("not a foreign module");
    describeModule(file, m, bytes.length, out);
    process.stdout.write(`${out.join("\n")}\n`);
    return 0;
  } catch (e) {
    if (!(e instanceof LinkError || e instanceof SignatureError)) throw e;
    out.push(`${file}: refused: ${e.message}`);
    const imports = declaredImports(bytes);
    if (imports.length) out.push("imports as declared:", ...imports.map((i) => `  ${i}`));
    process.stderr.write(`${out.join("\n")}\n`);
    return 1;
  } finally {
    kernel.destroyRuntime("inspect");
  }
}

function describeModule(file: string, m: ForeignModule, size: number, out: string[]): void {
  const f = m.foreign;
  const kind =
    f.kind === "shared-library"
      ? `shared library (dylink.0): ${f.dataSize} bytes of static data, ${f.tableSize} table slots`
      : `standalone module with its own memory (${f.memory?.min ?? 0} pages, at most ${f.memory?.max ?? "?"})`;
  out.push(`${file}: ${kind}`);
  if (f.start) out.push("  start function: runs metered at link time");
  if (f.ctors) out.push("  constructors (__wasm_call_ctors): run metered at link time");
  const derived = new Set(m.derivedSignatures);
  const line = (s: { name: string; signature: string }) =>
    `  ${s.name.padEnd(24)} ${s.signature}${derived.has(s.name) ? "   (derived from the wasm type)" : ""}`;
  out.push(`imports (${m.imports.length} functions):`, ...m.imports.map(line));
  out.push(`exports (${m.exports.length} functions):`, ...m.exports.map(line));
  if (derived.size) {
    out.push(
      "note: signatures marked derived come from the wasm types (i32 -> int, ...); give a header" +
        " (--header) or a kplug.sig section for pointers and other C types",
    );
  }
  out.push(`ok: verified and metered (${size} bytes -> ${m.wasm.length} bytes)`);
}

/** The module's imports with their wasm types, when it decodes at all. */
function declaredImports(bytes: Uint8Array): string[] {
  try {
    const m = decodeModule(bytes);
    return m.imports.map((i) => {
      if (i.kind !== "func") return `${i.module}.${i.name} (${i.kind})`;
      const t = m.types[i.type]!;
      return `${i.module}.${i.name} (${t.params.join(", ")}) -> ${t.results.join(", ") || "()"}`;
    });
  } catch {
    return [];
  }
}
