// Faults: every trap a plugin causes becomes a typed `PluginFault` at the upcall boundary, so
// the host can go on. Host built-ins signal a fault of their own (a bad pointer handed to
// memcpy, abort()) by throwing a `HostTrap`; any other JS error a host function throws becomes
// a `host-error` fault carrying its message. `exit()` throws an `ExitSignal`, which is not a
// fault and passes through to whoever runs the program.

import { NULL_FAULT_ADDR, NULL_PAGE_SIZE } from "../cc/index.ts";

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

  /** The innermost plugin function on the stack when the fault happened (or the upcall). */
  readonly function: string;

  constructor(
    readonly kind: FaultKind,
    readonly runtime: string,
    readonly plugin: string,
    fn: string,
    /** What a host built-in reported, or the engine's trap message. */
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(
      `${faultText[kind]} in function '${fn}' (plugin '${plugin}', runtime '${runtime}')` +
        (detail ? `: ${detail}` : ""),
      options,
    );
    this.function = fn;
  }

  /** The one-line report `kplug run` prints. */
  report(): string {
    return `kplug: fault: ${faultText[this.kind]} in function '${this.function}' (plugin '${this.plugin}')`;
  }
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
export function nullPointerTrap(what: string, address: number): HostTrap {
  return new HostTrap("null-pointer", `${what}: null pointer (address ${address >>> 0})`);
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
  const stack = e instanceof Error ? e.stack : undefined;
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
