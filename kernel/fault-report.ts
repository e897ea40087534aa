// Where a fault happened, in C terms: the source position, the C backtrace (inlined frames
// marked, kernel functions such as qsort named) and, for memory faults, the access. Built only
// when a fault happens, from V8's stack trace of the trap: each wasm frame gives its instance
// (which plugin) and its module-relative code offset, which the module's line table
// (cc/line-table.ts) maps to C frames. Nothing here runs on the upcall path.

import { type CompiledModule, decodeLineTable, ENTRY_SUFFIX, type LineTable } from "../cc/index.ts";
import {
  type DecodedModule,
  decodeInstructions,
  decodeModule,
  functionNames,
} from "../wasm/index.ts";
import { isWasmException } from "./longjmp.ts";

/** One C frame of a fault's backtrace. */
export interface FaultFrame {
  /** The C function (or the wasm function's name in code without a line table). */
  function: string;
  file?: string;
  line?: number;
  col?: number;
  /** Expanded into its caller by the compiler: it has no wasm frame of its own. */
  inlined?: boolean;
  /** The plugin whose code it is; absent for a kernel function. */
  plugin?: string;
  /** A kernel function (libc's qsort calling back, memcpy refusing a pointer...). */
  kernel?: boolean;
  /** Module-relative code offset of a frame without source lines (foreign code). */
  offset?: number;
}

/** The memory access a memory fault made. */
export interface FaultAccess {
  /** A load, a store, or a bulk copy or fill (either end of which may be out of bounds). */
  access: "read" | "write" | "copy" | "fill";
  /** Bytes accessed; 0 when unknown (a bulk instruction's length is an operand). */
  size: number;
  /**
   * The faulting address, when known: a kernel function checking a pointer knows it; for a
   * wasm load or store that trapped (the engine keeps no operand) a replay with the bounds
   * probe recovers it (kernel/fault-replay.ts); absent when that replay did not reach the
   * same access.
   */
  address?: number;
  /** The wasm instruction (`i32.load offset=4`), for a trap in compiled code. */
  instruction?: string;
}

/** The wasm instruction a fault happened at: the plugin and its module-relative code offset. */
export interface FaultSite {
  plugin: string;
  offset: number;
}

/** A fault's place: `frames[0]` is where it happened, the rest its callers, innermost first. */
export interface FaultLocation {
  frames: FaultFrame[];
  access?: FaultAccess;
  /** The innermost plugin instruction (a replay checks it faults at the same one). */
  site?: FaultSite;
}

/** A frame of the engine's stack trace: wasm (instance and offset) or JavaScript. */
export type RawFrame =
  | { wasm: true; instance: object | undefined; func: number; offset: number }
  | { wasm: false };

/** A linked module by instance, as the runtime knows it. */
export interface FrameOwner {
  plugin: string;
  module: CompiledModule;
}

/**
 * The engine's frames of an error, innermost first. The stack is formatted lazily on first
 * read, so a hook installed for that read receives V8's call sites: call it before anything
 * reads `e.stack`. When something did, its text is parsed instead (offsets, no instances).
 */
export function stackFrames(e: unknown): RawFrame[] {
  // longjmp's wasm exception carries the stack of its throw (kernel/longjmp.ts).
  if (!(e instanceof Error) && !isWasmException(e)) return [];
  let sites: NodeJS.CallSite[] | undefined;
  const saved = Error.prepareStackTrace;
  Error.prepareStackTrace = (err, callSites) => {
    sites = callSites;
    if (saved) return saved(err, callSites);
    const head = `${err.name}${err.message ? `: ${err.message}` : ""}`;
    return [head, ...callSites.map((s) => `    at ${s}`)].join("\n");
  };
  let text: string | undefined;
  try {
    text = (e as { stack?: string }).stack;
  } catch {
    text = undefined;
  } finally {
    Error.prepareStackTrace = saved;
  }
  if (sites) return sites.map(rawFrame);
  return parseStack(text ?? "");
}

function rawFrame(s: NodeJS.CallSite): RawFrame {
  const file = s.getFileName?.() ?? s.getScriptNameOrSourceURL?.();
  if (typeof file !== "string" || !file.startsWith("wasm://")) return { wasm: false };
  const func = /wasm-function\[(\d+)\]/.exec(String(s))?.[1];
  const receiver = s.getThis() as unknown;
  return {
    wasm: true,
    instance: typeof receiver === "object" && receiver !== null ? receiver : undefined,
    func: func === undefined ? -1 : Number(func),
    offset: s.getPosition(),
  };
}

/** `at name (wasm://wasm/<hash>:wasm-function[i]:0x1a2)` lines; other lines are JS frames. */
function parseStack(text: string): RawFrame[] {
  const out: RawFrame[] = [];
  for (const line of text.split("\n").slice(1)) {
    const m = /wasm:\/\/wasm\/[^:]*:wasm-function\[(\d+)\]:0x([0-9a-f]+)/.exec(line);
    if (m)
      out.push({
        wasm: true,
        instance: undefined,
        func: Number(m[1]),
        offset: parseInt(m[2]!, 16),
      });
    else if (line.trim().startsWith("at ")) out.push({ wasm: false });
  }
  return out;
}

/** What a fault report needs of a module, decoded on the first fault in it. */
interface ModuleDebug {
  lines: LineTable | undefined;
  decoded: DecodedModule | undefined;
  importedFuncs: number;
  /** Module offsets of each defined function's first instruction. */
  bodyStarts: number[];
  names: Map<number, string>;
}

const debugInfo = new WeakMap<CompiledModule, ModuleDebug>();

function debugOf(module: CompiledModule): ModuleDebug {
  let d = debugInfo.get(module);
  if (d) return d;
  let decoded: DecodedModule | undefined;
  try {
    decoded = decodeModule(module.wasm);
  } catch {
    decoded = undefined;
  }
  const names = new Map<number, string>();
  const importedFuncs = decoded?.imports.filter((i) => i.kind === "func").length ?? 0;
  if (decoded) {
    let i = 0;
    for (const imp of decoded.imports) if (imp.kind === "func") names.set(i++, imp.name);
    for (const x of decoded.exports) if (x.kind === "func") names.set(x.index, x.name);
    for (const [i, n] of functionNames(decoded.customs)) if (!names.has(i)) names.set(i, n);
  }
  d = {
    lines: decodeLineTable(module.wasm),
    decoded,
    importedFuncs,
    bodyStarts: decoded?.code.map((c) => c.body.byteOffset - module.wasm.byteOffset) ?? [],
    names,
  };
  debugInfo.set(module, d);
  return d;
}

/** The defined function containing a module offset, as a function index. */
function functionAt(d: ModuleDebug, offset: number): number | undefined {
  const code = d.decoded?.code;
  if (!code) return undefined;
  for (let i = 0; i < code.length; i++) {
    const start = d.bodyStarts[i]!;
    if (offset >= start && offset < start + code[i]!.body.length) return d.importedFuncs + i;
  }
  return undefined;
}

/** The instruction at a module offset, decoded from its function's body. */
function instructionAt(d: ModuleDebug, offset: number) {
  const index = functionAt(d, offset);
  if (index === undefined || !d.decoded) return undefined;
  const body = d.decoded.code[index - d.importedFuncs]!.body;
  const at = offset - d.bodyStarts[index - d.importedFuncs]!;
  try {
    return decodeInstructions(body).find((ins) => ins.offset === at);
  } catch {
    return undefined;
  }
}

/** The imported function a `call` at `offset` calls, by its import name. */
function calledImport(d: ModuleDebug, offset: number): string | undefined {
  const ins = instructionAt(d, offset);
  if (ins?.name !== "call" || ins.index === undefined || ins.index >= d.importedFuncs) return;
  return d.names.get(ins.index);
}

/**
 * The location of a fault from its error's frames (`stackFrames`). `owner` says which plugin an instance is; a
 * frame it does not know is left out (a frame of the embedder's own code). `fallback` is
 * the plugin to read a frame as when the stack gives no instance (it was formatted before).
 */
export function faultLocation(
  stack: readonly RawFrame[],
  owner: (instance: object) => FrameOwner | undefined,
  fallback: FrameOwner | undefined,
  hostAccess?: FaultAccess,
): FaultLocation {
  const frames: FaultFrame[] = [];
  let access: FaultAccess | undefined = hostAccess;
  let jsInner = false; // JS frames since the last wasm frame: a kernel function called out
  let first = true;
  let site: FaultSite | undefined;
  for (const raw of stack) {
    if (!raw.wasm) {
      jsInner = true;
      continue;
    }
    const o = raw.instance ? owner(raw.instance) : fallback;
    if (!o) continue;
    const d = debugOf(o.module);
    const index = functionAt(d, raw.offset);
    if (index === undefined) continue;
    const name = d.names.get(index);
    if (name?.endsWith(ENTRY_SUFFIX)) {
      jsInner = false;
      continue;
    }
    if (jsInner) {
      const callee = calledImport(d, raw.offset);
      if (callee !== undefined) frames.push({ function: callee, kernel: true });
    } else if (first) {
      access ??= memoryAccess(d, raw.offset);
    }
    if (first) site = { plugin: o.plugin, offset: raw.offset };
    jsInner = false;
    first = false;
    const source = d.lines?.frames(raw.offset, index) ?? [];
    if (source.length > 0) {
      for (const f of source) {
        const frame: FaultFrame = { function: f.function, file: f.file, line: f.line, col: f.col };
        if (f.inlined) frame.inlined = true;
        frame.plugin = o.plugin;
        frames.push(frame);
      }
    } else {
      frames.push({
        function: name ?? `wasm-function[${index}]`,
        plugin: o.plugin,
        offset: raw.offset,
      });
    }
  }
  const out: FaultLocation = { frames };
  if (access) out.access = access;
  if (site) out.site = site;
  return out;
}

/** The access the load, store or bulk memory instruction at a module's code offset makes. */
export function accessAt(module: CompiledModule, offset: number): FaultAccess | undefined {
  return memoryAccess(debugOf(module), offset);
}

function memoryAccess(d: ModuleDebug, offset: number): FaultAccess | undefined {
  const ins = instructionAt(d, offset);
  if (!ins) return undefined;
  const load = ins.name.includes(".load");
  if (!load && !ins.name.includes(".store")) {
    if (ins.name === "memory.copy" || ins.name === "memory.fill") {
      return {
        access: ins.name === "memory.copy" ? "copy" : "fill",
        size: 0,
        instruction: ins.name,
      };
    }
    return undefined;
  }
  const width = /(8|16|32)(_[su])?$/.exec(ins.name.slice(ins.name.indexOf(".")));
  const size = width
    ? Number(width[1]) / 8
    : ins.name.startsWith("i64") || ins.name.startsWith("f64")
      ? 8
      : 4;
  const instruction = ins.memOffset ? `${ins.name} offset=${ins.memOffset}` : ins.name;
  return { access: load ? "read" : "write", size, instruction };
}
