// Faults: every trap a plugin causes becomes a typed `PluginFault` at the upcall boundary, so
// the host can go on. Host built-ins signal a fault of their own (a bad pointer handed to
// memcpy, abort()) by throwing a `HostTrap`; any other JS error a host function throws becomes
// a `host-error` fault carrying its message. `exit()` throws an `ExitSignal`, which is not a
// fault and passes through to whoever runs the program.
//
// A fault carries where it happened in C (kernel/fault-report.ts builds it from the trap's
// stack when the fault happens): file, line, column, the C function and the backtrace.

import { NULL_FAULT_ADDR, NULL_PAGE_SIZE } from "../cc/index.ts";
import type { FaultAccess, FaultFrame, FaultLocation, FaultSite } from "./fault-report.ts";
import { isWasmException } from "./longjmp.ts";

/**
 * Every fault kind, once, with the words reports use for it. `FaultKind` and `faultKinds` are
 * derived from it: a new kind is one line here.
 */
const faultText = {
  "out-of-bounds": "out-of-bounds",
  /** A load or store through a pointer into the NULL page (the first 4 KiB), or NULL handed to libc. */
  "null-pointer": "null pointer",
  "divide-by-zero": "divide-by-zero",
  "stack-exhausted": "stack exhausted",
  "fuel-exhausted": "fuel exhausted",
  "bad-indirect-call": "bad indirect call",
  abort: "abort",
  "out-of-memory": "out of memory",
  unreachable: "unreachable",
  /** A host function failed with a JS error of its own (RangeError, TypeError, ...). */
  "host-error": "host error",
  /** A longjmp no running setjmp frame owns: its frame returned, or no setjmp saved the buffer. */
  longjmp: "longjmp",
} as const;

/** What went wrong in plugin code: "out-of-bounds", "fuel-exhausted", "host-error", ... */
export type FaultKind = keyof typeof faultText;

/** All fault kinds, in the order of `faultText`. */
export const faultKinds = Object.keys(faultText) as readonly FaultKind[];

/**
 * A trap in plugin code (or one a host built-in raised for it), caught at the upcall boundary
 * and typed by kind; the runtime stays usable. Not for the host's own errors: an exception a
 * host callback throws becomes a `host-error` fault when it unwinds through plugin code.
 */
export class PluginFault extends Error {
  override name = "PluginFault";

  /**
   * The innermost C function of plugin code on the stack when the fault happened (an inlined
   * one by its own name), or the upcall's symbol when the stack told nothing.
   */
  readonly function: string;
  /** Where in the source it happened: the innermost plugin frame with a line. */
  readonly file?: string;
  readonly line?: number;
  readonly col?: number;
  /** The C frames, innermost first: where it happened, then its callers (see FaultFrame). */
  readonly backtrace: readonly FaultFrame[];
  /** For a memory fault: the access (size, read or write, address when known). */
  readonly access?: FaultAccess;
  /** The plugin instruction it happened at (what a replay must reach again; fault-replay.ts). */
  readonly site?: FaultSite;
  /**
   * The message for someone who did not write the host: without a host function's own JS
   * error text (`host-error`), which is the embedder's internals.
   */
  readonly publicMessage: string;

  constructor(
    readonly kind: FaultKind,
    readonly runtime: string,
    readonly plugin: string,
    fn: string,
    /** What a host built-in reported (typed text of the kernel's), or "" for a trap. */
    readonly detail: string,
    options?: { cause?: unknown; location?: FaultLocation },
  ) {
    const frames = options?.location?.frames ?? [];
    const own = frames.find((f) => !f.kernel);
    const at = frames.find((f) => f.file !== undefined);
    const name = own?.function ?? fn;
    const where = at ? ` at ${at.file}:${at.line}:${at.col}` : "";
    const base =
      `${faultHeadline(kind, options?.location?.access)} in function '${name}'${where} ` +
      `(plugin '${plugin}', runtime '${runtime}')`;
    super(`${base}${detail ? `: ${detail}` : ""}`, options);
    this.publicMessage = kind === "host-error" || !detail ? base : this.message;
    this.function = name;
    this.backtrace = frames;
    if (at) {
      this.file = at.file;
      this.line = at.line;
      this.col = at.col;
    }
    if (options?.location?.access) this.access = options.location.access;
    if (options?.location?.site) this.site = options.location.site;
  }

  /** The same fault with its access's address known (found by a replay: fault-replay.ts). */
  withAddress(address: number): PluginFault {
    const location: FaultLocation = { frames: [...this.backtrace] };
    if (this.access) location.access = { ...this.access, address };
    if (this.site) location.site = this.site;
    const f = new PluginFault(this.kind, this.runtime, this.plugin, this.function, this.detail, {
      cause: this.cause,
      location,
    });
    return f;
  }

  /**
   * The report `kplug run` prints, like a compiler diagnostic: `file:line:col: fault: what in
   * f(), called from main() at file:line:col`, then (given the sources) the source line with
   * a caret, then the rest of the backtrace when it is longer than that.
   */
  report(sources?: Record<string, string>): string {
    const frames = this.backtrace;
    const head = this.file === undefined ? "kplug" : `${this.file}:${this.line}:${this.col}`;
    let text = `${head}: fault: ${faultHeadline(this.kind, this.access)}`;
    const inner = frames[0];
    if (!inner) return `${text} in function '${this.function}' (plugin '${this.plugin}')`;
    text += ` in ${inner.function}()`;
    // Code without a line table (a foreign module): where in the wasm, and whose.
    if (this.file === undefined) text += `${frameAt(inner)} (plugin '${this.plugin}')`;
    const caller = frames[1];
    if (caller) text += `, called from ${caller.function}()${frameAt(caller)}`;
    if (this.detail && this.kind !== "host-error") text += ` (${this.detail})`;
    const lines = [text];
    const source = this.file === undefined ? undefined : sources?.[this.file];
    const shown = source?.split("\n")[this.line! - 1]?.replace(/\r$/, "");
    if (shown !== undefined) {
      lines.push(shown, `${shown.slice(0, Math.max(0, this.col! - 1)).replace(/[^\t]/g, " ")}^`);
    }
    if (frames.length > 2) {
      // A recursion's frames are alike: one line for a run of identical frames.
      for (let i = 0; i < frames.length; ) {
        const f = frames[i]!;
        const line = `${f.function}()${frameAt(f)}${f.inlined ? " (inlined)" : f.kernel ? " (kernel)" : ""}`;
        let j = i + 1;
        while (j < frames.length && sameFrame(frames[j]!, f)) j++;
        lines.push(j - i > 1 ? `  #${i}-#${j - 1} ${line}` : `  #${i} ${line}`);
        i = j;
      }
    }
    return lines.join("\n");
  }
}

function sameFrame(a: FaultFrame, b: FaultFrame): boolean {
  return (
    a.function === b.function &&
    a.file === b.file &&
    a.line === b.line &&
    a.col === b.col &&
    a.offset === b.offset &&
    a.inlined === b.inlined
  );
}

function frameAt(f: FaultFrame): string {
  if (f.file !== undefined) return ` at ${f.file}:${f.line}:${f.col}`;
  if (f.offset !== undefined) return ` at wasm offset 0x${f.offset.toString(16)}`;
  return "";
}

/** What went wrong, in words: `out-of-bounds read of 4 bytes at 0x10000`, `fuel exhausted`. */
export function faultHeadline(kind: FaultKind, access?: FaultAccess): string {
  if (!access) return faultText[kind];
  const what = `${faultText[kind]} ${access.access}`;
  if (access.size === 0) return `${faultText[kind]} ${access.instruction ?? "bulk memory access"}`;
  const bytes = `${access.size} byte${access.size === 1 ? "" : "s"}`;
  // A load or store whose replay did not reach it again (fault-replay.ts) says so.
  const address =
    access.address !== undefined
      ? ` at 0x${(access.address >>> 0).toString(16)}`
      : " at an unknown address";
  return `${what} of ${bytes}${address}`;
}

/**
 * Thrown by a host built-in to make the calling plugin fault with `kind`; the upcall turns it
 * into a PluginFault. Not an error the host sees: it never escapes an upcall as itself.
 */
export class HostTrap extends Error {
  override name = "HostTrap";
  constructor(
    readonly kind: FaultKind,
    message: string,
    /** For a memory fault: the access the kernel function refused. */
    readonly access?: FaultAccess,
  ) {
    super(message);
  }
}

/**
 * The address of a failed null check of compiled code, if the trap being classified is one:
 * generated code leaves `address - NULL_PAGE_SIZE` at NULL_FAULT_ADDR before it traps
 * (cc/module.ts). The word is cleared, so it explains one trap only.
 */
export function takeNullFault(i32: Int32Array): number | undefined {
  const word = NULL_FAULT_ADDR >> 2;
  const v = i32[word] ?? 0;
  if (v >= 0 || v < -NULL_PAGE_SIZE) return undefined;
  i32[word] = 0;
  return v + NULL_PAGE_SIZE;
}

/**
 * What a host built-in throws when handed a pointer into the NULL page where glibc would crash
 * (memset(NULL, 0, 8), strlen(NULL)): a `null-pointer` fault of the calling plugin.
 */
export function nullPointerTrap(what: string, address: number, access?: FaultAccess): HostTrap {
  return new HostTrap("null-pointer", `${what}: null pointer (address ${address >>> 0})`, access);
}

/** Whether a built-in's pointer argument points into the NULL page. */
export function inNullPage(p: number): boolean {
  return p >>> 0 < NULL_PAGE_SIZE;
}

/** The detail of a null-pointer fault of compiled code. */
export function nullFaultDetail(address: number): string {
  return `load or store through a null pointer (address 0x${address.toString(16).padStart(8, "0")})`;
}

/** Thrown by `exit()` to unwind the plugin stack to the program runner; not a fault. */
export class ExitSignal extends Error {
  override name = "ExitSignal";
  constructor(readonly code: number) {
    super(`exit(${code})`);
  }
}

/**
 * Maps an exception that escaped a plugin call to a fault kind, or undefined when it is not a
 * trap (a host callback's own error, an ExitSignal). `fuelLeft` reads the fuel global; it is
 * only consulted for `unreachable`, which generated code emits for fuel and stack exhaustion.
 */
export function classifyTrap(
  e: unknown,
  fuelLeft: () => number,
  /** Explains an `unreachable` with fuel left, for foreign code (kernel/foreign-instance.ts). */
  unreachable?: () => FaultKind | undefined,
): FaultKind | undefined {
  if (e instanceof HostTrap) return e.kind;
  // Reached the outermost upcall: no live frame's catch owned its jmp_buf (kernel/longjmp.ts).
  if (isWasmException(e)) return "longjmp";
  if (e instanceof WebAssembly.RuntimeError) {
    const m = e.message;
    if (m.includes("divide by zero") || m.includes("remainder by zero")) return "divide-by-zero";
    // INT_MIN / -1 ("divide result unrepresentable" in V8, "integer overflow" in the spec).
    if (m.includes("divide result") || m.includes("integer overflow")) return "divide-by-zero";
    if (m.includes("null function") || m.includes("signature mismatch")) return "bad-indirect-call";
    if (m.includes("table index") || m.includes("indirect call")) return "bad-indirect-call";
    if (m.includes("memory access out of bounds") || m.includes("out of bounds memory")) {
      return "out-of-bounds";
    }
    if (m.includes("unreachable")) {
      if (fuelLeft() < 0) return "fuel-exhausted";
      return unreachable?.() ?? "stack-exhausted";
    }
    return "unreachable"; // any other trap, e.g. a float-to-int conversion out of range
  }
  if (e instanceof RangeError && e.message.includes("Maximum call stack size exceeded")) {
    return "stack-exhausted";
  }
  return undefined;
}

/**
 * The innermost wasm frame of an error's stack trace. V8 prints frames as
 * `at name (wasm://wasm/<hash>:wasm-function[i]:0x...)`, or without the name when the module
 * has no name section. `$entry` wrappers are skipped.
 */
export function faultingFrame(e: unknown): { name?: string; index: number } | undefined {
  const stack = e instanceof Error || isWasmException(e) ? e.stack : undefined;
  if (!stack) return undefined;
  for (const m of stack.matchAll(
    /at (?:(\S+) \()?wasm:\/\/wasm\/[0-9a-f]+:wasm-function\[(\d+)\]/g,
  )) {
    const name = m[1];
    if (name?.endsWith("$entry")) continue;
    return name && !name.startsWith("$") ? { name, index: Number(m[2]) } : { index: Number(m[2]) };
  }
  return undefined;
}
