// Builds test modules with the real clang and wasm-ld (Debian's clang/lld; see .ci/run), so the
// foreign-module tests run on what a tenant's toolchain really emits.

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** `clang --target=wasm32 -nostdlib -Wl,--no-entry -Wl,--export-all`: defines its own memory. */
const STANDALONE = [
  "--target=wasm32",
  "-nostdlib",
  "-Wl,--no-entry",
  "-Wl,--export-all",
  "-Wl,--allow-undefined",
];

/**
 * A position-independent shared library (dylink.0, imported memory and table). clang 14 emits
 * PIC code for wasm only with the emscripten triple; `-nostdlib` keeps emscripten's libc out.
 * Symbols are hidden unless marked `__attribute__((visibility("default")))`.
 */
const SHARED = [
  "--target=wasm32-unknown-emscripten",
  "-fPIC",
  "-nostdlib",
  "-Wl,--experimental-pic",
  "-Wl,--shared",
];

export function clangWasm(
  source: string,
  kind: "standalone" | "shared",
  flags: string[] = ["-O2"],
): Uint8Array<ArrayBuffer> {
  const dir = mkdtempSync(join(tmpdir(), "kplug-clang-"));
  try {
    writeFileSync(join(dir, "m.c"), source);
    const base = kind === "standalone" ? STANDALONE : SHARED;
    execFileSync("clang", [...base, ...flags, "m.c", "-o", "m.wasm"], { cwd: dir, stdio: "pipe" });
    return new Uint8Array(readFileSync(join(dir, "m.wasm")));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
