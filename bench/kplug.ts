// The benchmarks' view of kplug: the compiler (cc/compile.ts) and the kernel (kernel/), loaded
// on demand so that a group can report "not available" instead of failing to import while a
// layer is missing or broken. The interfaces below are the public API the benchmarks use
// (issue 3), stated structurally so this file does not pin the kernel's internals.

import path from "node:path";
import { pathToFileURL } from "node:url";
import type { CompileOptions, CompileResult } from "../cc/compile.ts";
import type { CompiledModule } from "../cc/module.ts";

// biome-ignore lint/suspicious/noExplicitAny: upcall handles take and return wasm values.
export type Upcall = (...args: any[]) => any;

export interface RuntimeOptions {
  memory?: number;
  fuel?: number;
  stack?: number;
  allow?: string[];
}

export interface KplugRuntime {
  add(name: string, plugin: string | CompiledModule, options?: object): unknown;
  remove(name: string, options?: { cascade?: boolean }): unknown;
  lookup(symbol: string): Upcall;
  call(symbol: string, ...args: unknown[]): unknown;
  alloc(bytes: number): { ptr: number; bytes: Uint8Array };
  free?(ptr: number): void;
}

export interface KplugKernel {
  createRuntime(name: string, options?: RuntimeOptions): KplugRuntime;
  destroyRuntime?(name: string): void;
  export(name: string, signature: string, fn: Upcall): unknown;
}

export interface Kplug {
  compile(source: string, options?: CompileOptions): CompileResult;
  Kernel: new () => KplugKernel;
}

export type Loaded<T> = { ok: true; value: T } | { ok: false; reason: string };

const root = path.resolve(import.meta.dirname, "..");

async function importFirst(candidates: string[]): Promise<Record<string, unknown>> {
  let lastError: unknown;
  for (const rel of candidates) {
    try {
      return (await import(pathToFileURL(path.join(root, rel)).href)) as Record<string, unknown>;
    } catch (e) {
      lastError = e;
    }
  }
  throw lastError;
}

function reasonOf(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return message.split("\n")[0];
}

let cached: Promise<Loaded<Kplug>> | undefined;

/** Loads kplug once; the result says why it is unavailable if it cannot be loaded. */
export function loadKplug(): Promise<Loaded<Kplug>> {
  cached ??= (async (): Promise<Loaded<Kplug>> => {
    let compileFn: Kplug["compile"];
    try {
      const cc = await importFirst(["cc/compile.ts"]);
      compileFn = cc.compile as Kplug["compile"];
      if (typeof compileFn !== "function")
        return { ok: false, reason: "cc/compile.ts has no compile()" };
    } catch (e) {
      return { ok: false, reason: `compiler not available: ${reasonOf(e)}` };
    }
    try {
      const k = await importFirst(["kernel/index.ts", "kernel/kernel.ts"]);
      const Kernel = k.Kernel as Kplug["Kernel"];
      if (typeof Kernel !== "function")
        return { ok: false, reason: "kernel/ exports no Kernel class" };
      return { ok: true, value: { compile: compileFn, Kernel } };
    } catch (e) {
      return { ok: false, reason: `kernel not available: ${reasonOf(e)}` };
    }
  })();
  return cached;
}

/** Loads only the compiler (the code-generation group needs no kernel). */
export async function loadCompiler(): Promise<Loaded<Kplug["compile"]>> {
  try {
    const cc = await importFirst(["cc/compile.ts"]);
    if (typeof cc.compile !== "function")
      return { ok: false, reason: "cc/compile.ts has no compile()" };
    return { ok: true, value: cc.compile as Kplug["compile"] };
  } catch (e) {
    return { ok: false, reason: `compiler not available: ${reasonOf(e)}` };
  }
}

/** Compiles or throws with the first diagnostics (benchmark sources must compile). */
export function compileOrThrow(
  compile: Kplug["compile"],
  source: string,
  options: CompileOptions,
): CompiledModule {
  const r = compile(source, options);
  if (!r.ok) {
    const first = r.diagnostics
      .slice(0, 3)
      .map((d) => `${d.file}:${d.line}:${d.col}: ${d.message.split("\n")[0]}`)
      .join("; ");
    throw new Error(`kplug cannot compile ${options.file ?? "source"}: ${first}`);
  }
  return r.module;
}
