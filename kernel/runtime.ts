// A runtime (Wasmtime's Store): one namespace of linked plugins with its memory, heap and calls.
// Its parts live next to it: the instance pool (instance-pool.ts), function-table rotation
// (table-rotation.ts), quarantine (quarantine.ts) and stdout capture (stdout.ts).

import { type CompiledModule, compile, type FunctionSymbol, STACK_FLOOR } from "../cc/index.ts";
import { FUEL_COUNTER_MAX, takeProbeRecord } from "../wasm/index.ts";
import { ChurnMap } from "./churn-map.ts";
import { CompileError, KernelError, QuarantineError, UnlinkedSymbolError } from "./errors.ts";
import {
  accessAt,
  type FaultAccess,
  type FaultLocation,
  type FrameOwner,
  faultLocation,
  stackFrames,
} from "./fault-report.ts";
import {
  classifyTrap,
  ExitSignal,
  faultingFrame,
  HostTrap,
  nullFaultDetail,
  PluginFault,
  takeNullFault,
} from "./faults.ts";
import { isForeign, loadForeign } from "./foreign.ts";
import { foreignUnreachable, resetForeignDepths } from "./foreign-instance.ts";
import { checkFuelBudget, HostMeter, setFuel } from "./fuel.ts";
import { Heap } from "./heap.ts";
import { InstancePool } from "./instance-pool.ts";
import { Instantiator } from "./instantiate.ts";
import {
  checkDuplicates,
  type ExportedFunction,
  type Grants,
  LinkError,
  type Resolution,
  resolveImports,
  type SymbolScope,
} from "./linker.ts";
import { isWasmException, type WasmTag } from "./longjmp.ts";
import { Allocation, MemoryViews, type RuntimeResources } from "./memory.ts";
import type { ModuleCache } from "./module-cache.ts";
import {
  dependentsOf,
  inDependencyOrder,
  type LinkedModule,
  Plugin,
  type PluginStats,
} from "./plugin.ts";
import { type QuarantinePolicy, QuarantineWatch } from "./quarantine.ts";
import { RuntimeScope, type SymbolTable } from "./runtime-scope.ts";
import { type ByteSource, InputStream } from "./stdin.ts";
import { type ByteSink, OutputBuffer } from "./stdout.ts";
import { FunctionTable } from "./table.ts";
import { tableRotationDue } from "./table-rotation.ts";
import { type AnyFunction, type Gate, UpcallSlot } from "./upcall.ts";

/** A kernel export as a runtime links it. */
export interface KernelExportEntry extends ExportedFunction {
  /** The callback, or a factory making one per runtime (for built-ins that need its memory). */
  fn: AnyFunction | undefined;
  factory: ((runtime: Runtime) => AnyFunction) | undefined;
}

/** What a runtime needs from its kernel. */
export interface RuntimeHost {
  kernelExport(name: string): KernelExportEntry | undefined;
  /** Every kernel export (a foreign module is verified against the granted ones). */
  kernelExports(): Iterable<KernelExportEntry>;
  releaseResources(res: RuntimeResources): void;
  /** The kernel's compiled code, shared by all its runtimes. */
  readonly modules: ModuleCache;
}

export interface RuntimeLimits {
  memory: number;
  fuel: number;
  stack: number;
}

/** What a runtime is made of: the kernel assembles it in `createRuntime`. */
export interface RuntimeConfig {
  name: string;
  host: RuntimeHost;
  /** Its memory and globals, from the kernel's pool. */
  resources: RuntimeResources;
  limits: RuntimeLimits;
  grants: Grants;
  quarantine: QuarantinePolicy | false;
  onQuarantine: ((plugin: string, fault: PluginFault) => void) | undefined;
  stdout: ByteSink;
  stderr: ByteSink;
  /** C source added as text is compiled with null checks (see `RuntimeOptions.nullChecks`). */
  nullChecks: boolean;
  /** Where plugins' stdin comes from (none: an empty input). */
  stdin: ByteSource | undefined;
  /** Run the bounds-probed build of every module (`RuntimeOptions.boundsProbe`). */
  boundsProbe: boolean;
}

/** Options of `Runtime.add` for C source (compile options) or foreign wasm (its header). */
export interface AddOptions {
  /** File name for diagnostics (default `<name>.c`). */
  file?: string;
  /** Sources for the C source's `#include "name"`, by name. */
  includes?: Record<string, string>;
  /** Predefined object-like macros for the C source. */
  defines?: Record<string, string>;
  /** For wasm bytes: C declarations of the module's functions (kernel/foreign.ts). */
  header?: string;
  /**
   * For C source: compile NULL-page checks in (`CompileOptions.nullChecks`; default the
   * runtime's `nullChecks`).
   */
  nullChecks?: boolean;
}

/** C source, a module kplug compiled, or WebAssembly bytes from any toolchain (foreign.ts). */
export type PluginCode = string | CompiledModule | Uint8Array;

/**
 * One isolated namespace of linked plugins: their symbols, one linear memory with its heap and
 * function table, the limits (memory, fuel per upcall, stack) and the kernel exports granted to
 * them; one per extensible service or per client. It is not a thread or process: plugins run
 * synchronously on the caller's thread, bounded by fuel and memory, and share this one memory.
 */
export class Runtime {
  readonly name: string;
  readonly limits: RuntimeLimits;
  /** The kernel exports this runtime may link. */
  readonly grants: Grants;
  /** Where plugins' stderr goes (unbuffered). */
  stderr: ByteSink;
  /** Plugins' standard input (getchar, fgets, scanf, ...); its `source` may be replaced. */
  readonly stdin: InputStream;
  readonly views: MemoryViews;
  readonly heap: Heap;
  readonly table = new FunctionTable();
  readonly stackTop: number;
  /** Per-runtime state of host built-ins (libc keeps its rand state and helpers here). */
  readonly hostState = new Map<string, unknown>();
  /** Whether C source added as text is compiled with null checks (RuntimeOptions.nullChecks). */
  readonly nullChecks: boolean;
  /** Whether plugins run their bounds-probed build (RuntimeOptions.boundsProbe). */
  readonly boundsProbe: boolean;

  private readonly host: RuntimeHost;
  private readonly resources: RuntimeResources;
  /** longjmp's exception tag, imported by the modules that call setjmp (kernel/longjmp.ts). */
  readonly longjmpTag: WasmTag;
  private destroyed = false;
  // The namespace.
  private readonly plugins = new ChurnMap<string, Plugin>();
  private readonly symbols: SymbolTable = new ChurnMap();
  private readonly slots = new Map<string, UpcallSlot>();
  private readonly boundExports = new Map<string, AnyFunction>();
  private linkScope: RuntimeScope | undefined;
  /** What every handle shares: upcall depth, memory words, the fault path. */
  private readonly gate: Gate;
  /** Static data and table ranges of replaced/removed code, freed once no upcall is running. */
  private readonly pendingRelease: LinkedModule[] = [];
  // Its parts.
  private readonly instances: Instantiator;
  private readonly pool: InstancePool;
  private readonly watch: QuarantineWatch;
  private readonly onQuarantine: ((plugin: string, fault: PluginFault) => void) | undefined;
  private readonly output: OutputBuffer;
  /** Charges host functions' work to the calling plugin's fuel (see fuel.ts). */
  readonly meter: HostMeter;
  /** Refused-call errors already passed out of one upcall (see `fault`). */
  private readonly refusals = new WeakSet<object>();

  constructor(config: RuntimeConfig) {
    const { name, resources, limits } = config;
    this.name = name;
    this.host = config.host;
    this.resources = resources;
    this.limits = limits;
    this.grants = config.grants;
    this.stderr = config.stderr;
    this.nullChecks = config.nullChecks;
    this.boundsProbe = config.boundsProbe;
    this.stdin = new InputStream(config.stdin);
    this.onQuarantine = config.onQuarantine;
    this.output = new OutputBuffer(config.stdout);
    this.watch = new QuarantineWatch(name, config.quarantine);
    this.views = new MemoryViews(resources.memory);
    this.stackTop = STACK_FLOOR + limits.stack;
    const heapBase = Math.ceil(this.stackTop / 16) * 16;
    this.heap = new Heap(this.views, heapBase, limits.memory);
    this.instances = new Instantiator(resources, this.table, limits.fuel);
    this.pool = new InstancePool(this.views, this.heap, this.table);
    resources.stackPointer.value = this.stackTop;
    this.longjmpTag = resources.longjmpTag;
    this.meter = new HostMeter(resources.fuel, resources.fuelReserve);
    this.gate = {
      depth: 0,
      budget: limits.fuel,
      shared: false,
      liveFuel: () => this.resources.fuel.value as number,
      wide: false,
      fuel: resources.fuel,
      reserve: resources.fuelReserve,
      words: new Int32Array(resources.memory.buffer),
      refreshWords: () => this.views.fresh().i32,
      fault: (e, slot) => this.fault(e, slot),
    };
    this.views.onRefresh = () => {
      this.gate.words = this.views.i32;
    };
  }

  get quarantine(): QuarantinePolicy | false {
    return this.watch.policy;
  }

  get memory(): WebAssembly.Memory {
    return this.resources.memory;
  }

  /** A byte view of the whole plugin memory (re-fetch after calls that may grow it). */
  view(): Uint8Array {
    return this.views.fresh().u8;
  }

  dataView(): DataView {
    return this.views.fresh().dv;
  }

  // ---- plugins -------------------------------------------------------------------------

  /** Compiles (if given source) and links a plugin; its functions are callable at once. */
  add(name: string, code: PluginCode, options: AddOptions = {}): Plugin {
    this.check();
    this.maybeRotateTable();
    if (this.plugins.has(name))
      throw new KernelError(`plugin '${name}' already exists in runtime '${this.name}'`);
    const module = this.toModule(name, code, options);
    checkDuplicates(
      name,
      module.exports,
      (s) => this.symbols.get(s)?.plugin,
      (p) => p.name,
    );
    const linked = this.link(name, module, undefined);
    const plugin = new Plugin(name, linked);
    this.plugins.set(name, plugin);
    this.bindSymbols(plugin);
    return plugin;
  }

  /**
   * Atomic hot swap: the new code is linked completely before anything changes; then the
   * plugin, its symbols, the handles and every plugin importing from it (relinked with its
   * static data preserved) switch over together. Code already running finishes on the old
   * instance.
   */
  replace(name: string, code: PluginCode, options: AddOptions = {}): Plugin {
    this.check();
    this.maybeRotateTable();
    const plugin = this.requirePlugin(name);
    const module = this.toModule(name, code, options);
    checkDuplicates(
      name,
      module.exports,
      (s) => {
        const owner = this.symbols.get(s)?.plugin;
        return owner === plugin ? undefined : owner;
      },
      (p) => p.name,
    );
    const dependents = dependentsOf(plugin);
    // Symbols other plugins import from this one must survive with the same signatures.
    for (const d of dependents) {
      for (const r of d.linked.resolutions) {
        if (r.kind !== "plugin" || r.plugin !== plugin) continue;
        const next = module.exports.find((e) => e.name === r.symbol.name);
        if (!next) {
          throw new LinkError(
            `replace '${name}': plugin '${d.name}' imports '${r.symbol.name}', which the new code does not define`,
            r.symbol.name,
            r.symbol.signature,
          );
        }
        if (next.signature !== r.symbol.signature) {
          throw new LinkError(
            `replace '${name}': plugin '${d.name}' imports '${r.symbol.name}' as '${r.symbol.signature}', ` +
              `but the new code defines '${next.signature}'`,
            r.symbol.name,
            r.symbol.signature,
            next.signature,
          );
        }
      }
    }
    const linked = this.link(name, module, { exclude: plugin, forbidden: dependents });
    // Relink dependents in dependency order against the new code, before committing anything.
    const order = inDependencyOrder(dependents);
    const relinked = new Map<Plugin, LinkedModule>();
    const pick = (p: Plugin) => (p === plugin ? linked : relinked.get(p));
    try {
      for (const d of order) relinked.set(d, this.relink(d, pick));
    } catch (e) {
      this.pool.put(linked);
      throw e;
    }
    // Commit.
    const old = plugin.linked;
    this.switchTo(plugin, linked);
    for (const [d, l] of relinked) this.switchTo(d, l);
    this.retire(old);
    return plugin;
  }

  /**
   * Unlinks a plugin. Refused while other plugins import its symbols, unless `cascade`, which
   * removes those plugins too (and theirs, transitively).
   */
  remove(name: string, options: { cascade?: boolean } = {}): void {
    this.check();
    const plugin = this.requirePlugin(name);
    if (plugin.importers.size === 0) {
      this.unlinkPlugin(plugin);
      return;
    }
    const dependents = dependentsOf(plugin);
    if (!options.cascade) {
      const users = [...dependents].map((d) => `'${d.name}'`).join(", ");
      throw new KernelError(
        `cannot remove plugin '${name}' from runtime '${this.name}': plugin(s) ${users} import its symbols ` +
          "(remove them first or pass { cascade: true })",
      );
    }
    const victims = [plugin, ...inDependencyOrder(dependents)].reverse();
    for (const p of victims) this.unlinkPlugin(p);
  }

  /** Unlinks every plugin, clears the heap and gives the runtime a fresh function table. */
  reset(): void {
    this.check();
    for (const p of [...this.plugins.values()]) {
      this.unbindSymbols(p);
      this.plugins.delete(p.name);
    }
    this.pendingRelease.length = 0;
    this.pool.clear();
    this.heap.clear();
    this.table.reset();
    this.gate.depth = 0;
    this.gate.wide = false;
    this.resources.fuelReserve.value = 0;
    this.resources.stackPointer.value = this.stackTop;
    this.output.discard();
    this.hostState.clear();
    this.meter.clear();
  }

  // ---- fuel budget ---------------------------------------------------------------------

  /**
   * Opens a budget shared by the upcalls that follow, until `endBudget`: each outermost upcall
   * gets what the previous ones left (a request running a chain of plugins spends one budget,
   * not one per step). Costs nothing per upcall beyond one flag test.
   */
  beginBudget(fuel = this.limits.fuel): void {
    this.gate.budget = checkFuelBudget(fuel, "shared fuel budget");
    this.gate.shared = true;
  }

  /** Closes the shared budget (upcalls get `limits.fuel` each again); returns the fuel left. */
  endBudget(): number {
    const left = this.gate.budget;
    this.gate.shared = false;
    this.gate.budget = this.limits.fuel;
    return left;
  }

  /** Fuel the next outermost upcall gets: the rest of a shared budget, or `limits.fuel`. */
  get fuelLeft(): number {
    return this.gate.budget;
  }

  /** Lifts a plugin's quarantine. */
  reinstate(name: string): void {
    const plugin = this.requirePlugin(name);
    this.watch.lift(plugin);
    for (const slot of plugin.slots) this.bindSlot(slot, plugin);
  }

  plugin(name: string): Plugin | undefined {
    return this.plugins.get(name);
  }

  /**
   * Each plugin's state as bytes, by name: its static data in the runtime's memory, or a
   * standalone foreign module's whole memory; of the plugins named in `of` and those they
   * import from, or of all. Copies; for comparing two runs (fault-replay.ts).
   */
  staticState(of?: Iterable<string>): Map<string, Uint8Array> {
    const out = new Map<string, Uint8Array>();
    const u8 = this.views.fresh().u8;
    let plugins: Iterable<Plugin> = this.plugins.values();
    if (of) {
      // The named plugins and every plugin they import from, transitively.
      const set = new Set<Plugin>();
      const visit = (p: Plugin) => {
        if (set.has(p)) return;
        set.add(p);
        for (const d of p.dependencies) visit(d);
      };
      for (const name of of) {
        const p = this.plugins.get(name);
        if (p) visit(p);
      }
      plugins = set;
    }
    for (const p of plugins) {
      const own = p.ownMemory;
      const { dataBase, module } = p.linked;
      out.set(
        p.name,
        own
          ? new Uint8Array(own.memory.buffer).slice()
          : u8.slice(dataBase, dataBase + module.dataSize),
      );
    }
    return out;
  }

  /** The plugins in an order they can be linked in again (each after those it imports from). */
  get linkOrder(): Plugin[] {
    return inDependencyOrder(new Set(this.plugins.values()));
  }

  get pluginNames(): string[] {
    return [...this.plugins.keys()];
  }

  stats(name: string): PluginStats {
    return this.requirePlugin(name).stats;
  }

  /** Names of all symbols plugins of this runtime export. */
  get symbolNames(): string[] {
    return [...this.symbols.keys()];
  }

  // ---- upcalls -------------------------------------------------------------------------

  /**
   * A resolved upcall function for an exported symbol: resets fuel to the budget, calls, and
   * turns traps into PluginFault. Handles follow hot swaps; after the symbol is unlinked they
   * throw UnlinkedSymbolError until it is linked again.
   */
  lookup(symbol: string): AnyFunction {
    this.check();
    const def = this.symbols.get(symbol);
    if (!def) throw new UnlinkedSymbolError(this.name, symbol);
    let slot = this.slots.get(symbol);
    if (slot && slot.signature !== def.symbol.signature) {
      slot = undefined; // the symbol was redefined with another signature: new handles for it
    }
    if (!slot) {
      slot = new UpcallSlot(
        symbol,
        def.symbol.signature,
        def.symbol.params.length,
        this.gate,
        this.unlinkedEntry(symbol),
      );
      this.slots.set(symbol, slot);
      this.bindSlot(slot, def.plugin);
    }
    return slot.upcall;
  }

  /**
   * Calls the table's `void (void)` function `index` through the upcall gate, so that its
   * traps (and a longjmp no frame owns) become PluginFaults of `owner`: for host code running
   * plugin callbacks outside any upcall, as atexit handlers after main has returned. Nothing
   * happens for an index that holds no function.
   */
  callFromHost(index: number, owner: Plugin): void {
    const fn = this.tableFunction(index);
    if (!fn) return;
    const slot = new UpcallSlot(`function ${index}`, "void (void)", 0, this.gate, fn);
    slot.owner = owner;
    slot.upcall();
  }

  /** The by-name gate: `call("f", 1, 2)`. */
  call(symbol: string, ...args: unknown[]): unknown {
    // Fast path: a bound slot is exactly what `lookup` would return, with nothing to release.
    const slot = this.slots.get(symbol);
    const fn =
      slot !== undefined && slot.owner !== undefined && this.pendingRelease.length === 0
        ? slot.upcall
        : this.lookup(symbol);
    switch (args.length) {
      case 0:
        return fn();
      case 1:
        return fn(args[0]);
      case 2:
        return fn(args[0], args[1]);
      case 3:
        return fn(args[0], args[1], args[2]);
      case 4:
        return fn(args[0], args[1], args[2], args[3]);
      case 5:
        return fn(args[0], args[1], args[2], args[3], args[4]);
      case 6:
        return fn(args[0], args[1], args[2], args[3], args[4], args[5]);
      default:
        return fn(...args);
    }
  }

  /** The plugin function a function pointer (table index) designates, or null; for built-ins. */
  tableFunction(index: number): AnyFunction | null {
    return this.table.get(index) as AnyFunction | null;
  }

  // ---- memory --------------------------------------------------------------------------

  /** A zero-copy buffer in plugin memory; throws RangeError beyond the runtime's limit. */
  alloc(bytes: number): Allocation {
    const ptr = this.heap.malloc(bytes);
    if (ptr === 0) throw new RangeError(`runtime '${this.name}': cannot allocate ${bytes} bytes`);
    return new Allocation(this.views, ptr, bytes);
  }

  free(block: number | Allocation): void {
    this.heap.free(typeof block === "number" ? block : block.ptr);
  }

  /** Reads a NUL-terminated UTF-8 string; throws RangeError if it runs out of memory. */
  readString(ptr: number, maxBytes = Number.POSITIVE_INFINITY): string {
    const u8 = this.views.fresh().u8;
    if (ptr <= 0 || ptr >= u8.length) throw new RangeError(`bad string pointer ${ptr}`);
    const limit = Math.min(u8.length, ptr + maxBytes);
    let end = ptr;
    while (end < limit && u8[end] !== 0) end++;
    if (end === u8.length) throw new RangeError(`unterminated string at ${ptr}`);
    return new TextDecoder().decode(u8.subarray(ptr, end));
  }

  /** Copies a string (UTF-8, NUL-terminated) into a fresh heap block; returns its address. */
  writeString(s: string): number {
    const bytes = new TextEncoder().encode(s);
    const ptr = this.heap.malloc(bytes.length + 1);
    if (ptr === 0) throw new RangeError(`runtime '${this.name}': out of memory`);
    const u8 = this.views.fresh().u8;
    u8.set(bytes, ptr);
    u8[ptr + bytes.length] = 0;
    return ptr;
  }

  // ---- output --------------------------------------------------------------------------

  /** Where plugins' stdout goes once flushed. */
  get stdout(): ByteSink {
    return this.output.sink;
  }

  set stdout(sink: ByteSink) {
    this.output.sink = sink;
  }

  /** Buffered standard output of the runtime's plugins. */
  writeOut(bytes: Uint8Array): void {
    this.output.write(bytes);
  }

  writeOutByte(b: number): void {
    this.output.writeByte(b);
  }

  flush(): void {
    this.output.flush();
  }

  // ---- life cycle ----------------------------------------------------------------------

  /** Called by the kernel: unlinks everything and returns the memory to the pool. */
  destroy(): void {
    if (this.destroyed) return;
    this.flush();
    this.reset();
    for (const slot of this.slots.values()) slot.bind(this.unlinkedEntry(slot.symbol), false);
    this.slots.clear();
    this.destroyed = true;
    this.host.releaseResources(this.resources);
  }

  get isDestroyed(): boolean {
    return this.destroyed;
  }

  // ---- internals -----------------------------------------------------------------------

  private check(): void {
    if (this.destroyed) throw new KernelError(`runtime '${this.name}' was destroyed`);
    if (this.gate.depth === 0 && this.pendingRelease.length > 0) {
      for (const l of this.pendingRelease) this.pool.put(l);
      this.pendingRelease.length = 0;
    }
  }

  /**
   * Gives the runtime a fresh function table when it is due (table-rotation.ts): the plugins
   * using it are re-instantiated with their static data and slots kept; pooled instances of the
   * old table are dropped.
   */
  private maybeRotateTable(): void {
    if (this.gate.depth > 0) return;
    const affected = tableRotationDue(this.table, this.plugins);
    if (!affected) return;
    this.pool.dropTableUsers();
    this.table.rotate();
    const relinked = new Map<Plugin, LinkedModule>();
    const pick = (p: Plugin) => relinked.get(p);
    for (const p of inDependencyOrder(affected)) relinked.set(p, this.relink(p, pick));
    for (const [p, l] of relinked) this.switchTo(p, l);
  }

  /** Points a plugin, its symbols and its handles at a new instance. */
  private switchTo(p: Plugin, l: LinkedModule): void {
    this.unbindSymbols(p);
    p.linked = l;
    this.bindSymbols(p);
  }

  private requirePlugin(name: string): Plugin {
    const p = this.plugins.get(name);
    if (!p) throw new KernelError(`no plugin '${name}' in runtime '${this.name}'`);
    return p;
  }

  private toModule(name: string, code: PluginCode, options: AddOptions): CompiledModule {
    if (code instanceof Uint8Array) return this.loadForeign(name, code, options);
    if (typeof code !== "string") return code;
    const file = options.file ?? (name.endsWith(".c") ? name : `${name}.c`);
    const result = compile(code, {
      file,
      includes: options.includes,
      defines: options.defines,
      nullChecks: options.nullChecks ?? this.nullChecks,
    });
    if (!result.ok) throw new CompileError(result.diagnostics, code, file);
    return result.module;
  }

  /** Verifies and rewrites wasm bytes against what this runtime could link them with. */
  private loadForeign(name: string, bytes: Uint8Array, options: AddOptions): CompiledModule {
    const functions: FunctionSymbol[] = [];
    for (const e of this.host.kernelExports()) if (this.grants.allows(e)) functions.push(e.symbol);
    for (const { symbol } of this.symbols.values()) functions.push(symbol);
    const ctx = { modules: this.host.modules, functions, memoryLimit: this.limits.memory };
    return loadForeign(name, bytes, ctx, { header: options.header });
  }

  private scope(exclude?: Plugin): SymbolScope<Plugin> {
    if (exclude) return new RuntimeScope(this.name, this.symbols, this.host, this.grants, exclude);
    this.linkScope ??= new RuntimeScope(this.name, this.symbols, this.host, this.grants, undefined);
    return this.linkScope;
  }

  private boundExport(e: ExportedFunction): AnyFunction {
    let fn = this.boundExports.get(e.name);
    if (!fn) {
      const entry = this.host.kernelExport(e.name)!;
      fn = entry.fn ?? entry.factory!(this);
      this.boundExports.set(e.name, fn);
    }
    return fn;
  }

  /**
   * Resolves, places static data and table slots, and instantiates. `replacing.exclude` hides
   * the plugin being replaced from resolution; importing from one of `forbidden` (the plugins
   * that depend on it) would create a cycle.
   */
  private link(
    name: string,
    module: CompiledModule,
    replacing: { exclude: Plugin; forbidden: Set<Plugin> } | undefined,
  ): LinkedModule {
    const resolutions = resolveImports(name, module.imports, this.scope(replacing?.exclude));
    if (replacing) {
      for (const r of resolutions) {
        if (r.kind === "plugin" && replacing.forbidden.has(r.plugin)) {
          throw new LinkError(
            `replace '${name}': importing '${r.symbol.name}' from plugin '${r.plugin.name}', which depends on '${name}', would make a cycle`,
            r.symbol.name,
          );
        }
      }
    }
    const imports = resolutions.map((r) =>
      r.kind === "plugin"
        ? r.plugin.linked.functions.get(r.symbol.name)!
        : this.boundExport(r.export),
    );
    const pooled = this.pool.take(module, imports);
    if (pooled) {
      pooled.resolutions = resolutions;
      return pooled;
    }
    const wasm = this.code(module);
    let dataBase = 0;
    if (module.dataSize > 0) {
      dataBase = this.heap.allocZeroed(module.dataSize, module.dataAlign);
      if (dataBase === 0) {
        throw new LinkError(
          `plugin '${name}': ${module.dataSize} bytes of static data exceed runtime '${this.name}''s memory limit`,
          name,
        );
      }
    }
    const tableBase = module.tableSize > 0 ? this.table.reserve(module.tableSize) : 0;
    try {
      const linked = this.instances.instantiate(
        wasm,
        module,
        imports,
        resolutions,
        dataBase,
        tableBase,
      );
      // Foreign instances are never pooled: their own globals (and memory) escape the snapshot.
      if (!isForeign(module)) this.pool.snapshot(linked);
      return linked;
    } catch (e) {
      if (dataBase) this.heap.free(dataBase);
      if (module.tableSize > 0) this.table.release(tableBase, module.tableSize);
      if (e instanceof WebAssembly.LinkError || e instanceof WebAssembly.RuntimeError) {
        throw new LinkError(`plugin '${name}': ${e.message}`, name);
      }
      throw e;
    }
  }

  /** The compiled code a module runs as here: its probed build in a probing runtime. */
  private code(module: CompiledModule): WebAssembly.Module {
    return this.boundsProbe ? this.host.modules.probed(module) : this.host.modules.compiled(module);
  }

  /** Re-instantiates a dependent against new definitions, keeping its static data as it is. */
  private relink(p: Plugin, pick: (p: Plugin) => LinkedModule | undefined): LinkedModule {
    const { module, dataBase, tableBase, resolutions } = p.linked;
    const imports = resolutions.map((r) => {
      if (r.kind === "kernel") return this.boundExport(r.export);
      const from = pick(r.plugin) ?? r.plugin.linked;
      return from.functions.get(r.symbol.name)!;
    });
    const u8 = this.views.fresh().u8;
    const saved = u8.slice(dataBase, dataBase + module.dataSize);
    const linked = this.instances.instantiate(
      this.code(module),
      module,
      imports,
      resolutions.map((r): Resolution<Plugin> => r),
      dataBase,
      tableBase,
    );
    this.views.fresh().u8.set(saved, dataBase);
    return linked;
  }

  private bindSymbols(p: Plugin): void {
    for (const r of p.linked.resolutions) if (r.kind === "plugin") r.plugin.importers.add(p);
    for (const symbol of p.linked.exports.values()) {
      this.symbols.set(symbol.name, { plugin: p, symbol });
      const slot = this.slots.get(symbol.name);
      if (slot && slot.signature === symbol.signature) this.bindSlot(slot, p);
    }
  }

  private unbindSymbols(p: Plugin): void {
    for (const r of p.linked.resolutions) if (r.kind === "plugin") r.plugin.importers.delete(p);
    for (const name of p.linked.exports.keys()) {
      if (this.symbols.get(name)?.plugin === p) this.symbols.delete(name);
    }
    for (const slot of [...p.slots]) {
      p.detachSlot(slot);
      slot.owner = undefined;
      slot.bind(this.unlinkedEntry(slot.symbol), false);
    }
  }

  private bindSlot(slot: UpcallSlot, p: Plugin): void {
    const prev = slot.owner as Plugin | undefined;
    if (prev && prev !== p) prev.detachSlot(slot);
    slot.owner = p;
    p.slots.add(slot);
    if (p.disabled) slot.bind(this.watch.refusal(p, slot.symbol), false);
    else {
      const entry = p.linked.entries.get(slot.symbol);
      const plain = p.linked.functions.get(slot.symbol)!;
      slot.bind(entry ?? this.unmeteredEntry(plain, p.linked.module), entry !== undefined);
    }
  }

  /**
   * Code built without metering (`fuel: false`, for measurement) never sets the fuel global,
   * yet the host functions it calls charge it: its upcalls set it to the budget first.
   */
  private unmeteredEntry(fn: AnyFunction, module: CompiledModule): AnyFunction {
    if (module.metered || module.imports.length === 0) return fn;
    const gate = this.gate;
    const { fuel, fuelReserve } = this.resources;
    return (...args: unknown[]) => {
      if (gate.depth !== 1) return fn(...args);
      if (gate.budget <= FUEL_COUNTER_MAX) {
        fuel.value = gate.budget;
        return fn(...args);
      }
      // The reserve must not outlive this upcall (a fault clears it too: see `fault`).
      setFuel(fuel, fuelReserve, gate.budget);
      const result = fn(...args);
      fuelReserve.value = 0;
      return result;
    };
  }

  private unlinkedEntry(symbol: string): AnyFunction {
    const name = this.name;
    return () => {
      throw new UnlinkedSymbolError(name, symbol);
    };
  }

  private unlinkPlugin(p: Plugin): void {
    this.unbindSymbols(p);
    this.plugins.delete(p.name);
    this.retire(p.linked);
  }

  private retire(l: LinkedModule): void {
    if (this.gate.depth > 0) this.pendingRelease.push(l);
    else this.pool.put(l);
  }

  /** Slow path of every handle: bookkeeping, stack recovery, classification, quarantine. */
  private fault(e: unknown, slot: UpcallSlot): unknown {
    const gate = this.gate;
    gate.depth--;
    if (gate.depth <= 0) {
      gate.depth = 0;
      // A trap skips function epilogues; the shadow stack starts over at the outermost upcall.
      this.resources.stackPointer.value = this.stackTop;
    }
    this.views.fresh();
    // A longjmp out of a nested upcall (a host function's callback) may still find its setjmp
    // frame outside: it passes on, to fault only at the outermost gate.
    const passes =
      e instanceof PluginFault || e instanceof ExitSignal || (gate.depth > 0 && isWasmException(e));
    // A call refused before any plugin code ran (unlinked, quarantined) is the caller's error;
    // once it has unwound through a plugin (a host function's nested upcall) it is a fault.
    const refused =
      (e instanceof UnlinkedSymbolError || e instanceof QuarantineError) && !this.refusals.has(e);
    // The trap's frames, before anything reads `e.stack` (which V8 formats once, on first read).
    const stack = passes || refused ? [] : stackFrames(e);
    // Any other JS error a host function threw is the plugin call's failure too.
    // An `unreachable` with fuel left: a failed null check of compiled code (which left its
    // word, read and cleared at every fault so that none outlives its trap), or foreign code's.
    const nullWord = takeNullFault(this.views.i32);
    // In a probing runtime, an `unreachable` may be the probe's: an access out of bounds.
    const probe = this.boundsProbe && !passes && !refused ? this.takeProbe() : undefined;
    let nullAddress: number | undefined;
    const unreachableKind = () => {
      if (probe) return "out-of-bounds";
      nullAddress = nullWord;
      if (nullAddress !== undefined) return "null-pointer";
      return foreignUnreachable(e, this.linkedModules());
    };
    const kind =
      passes || refused
        ? undefined
        : (classifyTrap(e, () => this.resources.fuel.value as number, unreachableKind) ??
          "host-error");
    // Foreign depth counters missed the decrements of the frames the trap skipped (read above).
    if (gate.depth === 0) resetForeignDepths(this.linkedModules());
    if (refused) this.refusals.add(e as object);
    if (kind === undefined) return e;
    // Code that never touches fuel is called without setting it: a negative value left by this
    // fault must not make its later stack overflow look like fuel exhaustion.
    const { fuel, fuelReserve } = this.resources;
    if (kind === "fuel-exhausted") {
      fuel.value = 0;
      fuelReserve.value = 0;
    }
    if (gate.depth === 0) {
      // What the outermost upcall left: the counter and the reserve of a budget above 2^31-1.
      const left = Math.max(0, fuel.value as number) + (fuelReserve.value as number);
      fuelReserve.value = 0;
      gate.wide = false;
      if (gate.shared) gate.budget = left;
    }
    const plugin = slot.owner as Plugin | undefined;
    const pluginName = plugin?.name ?? "?";
    const fn = this.faultingFunctionName(e, plugin) ?? slot.symbol;
    // A kernel function's trap says what it refused; a host error names its class (TypeError:
    // ...); an engine trap's own text ("unreachable") says nothing the kind does not.
    const message =
      nullAddress !== undefined
        ? nullFaultDetail(nullAddress)
        : e instanceof HostTrap
          ? e.message
          : kind === "host-error"
            ? e instanceof Error
              ? `${e.name}: ${e.message}`
              : String(e)
            : kind === "longjmp"
              ? "no running setjmp frame saved this jmp_buf (its function returned, or none saved it)"
              : "";
    // A failed null check traps at its `unreachable`, inline at the access it guards: the
    // line table places it at the check (its detail says the address).
    const location = probe
      ? probe.location
      : faultLocation(
          stack,
          (instance) => this.instanceOwner(instance),
          plugin && { plugin: plugin.name, module: plugin.linked.module },
          e instanceof HostTrap ? e.access : undefined,
        );
    const fault = new PluginFault(kind, this.name, pluginName, fn, message, {
      cause: e,
      location,
    });
    if (plugin) this.recordFault(plugin, fault);
    return fault;
  }

  /**
   * The access a probed instance recorded before trapping, as a fault location: only the
   * access and its site in the original module (the probed code's offsets match no line table).
   */
  private takeProbe(): { location: FaultLocation } | undefined {
    for (const p of this.plugins.values()) {
      const r = takeProbeRecord(p.linked.instance.exports);
      if (!r) continue;
      const decoded = accessAt(p.linked.module, r.site);
      // The effective address is a + offset without wrapping; as a C pointer (gcc -m32) it is
      // that sum modulo 2^32.
      const access: FaultAccess = {
        access: r.write ? "write" : "read",
        size: r.size,
        address: r.address % 2 ** 32,
      };
      if (decoded?.instruction) access.instruction = decoded.instruction;
      return { location: { frames: [], access, site: { plugin: p.name, offset: r.site } } };
    }
    return undefined;
  }

  /** The plugin whose instance a stack frame ran in (for fault reports). */
  private instanceOwner(instance: object): FrameOwner | undefined {
    for (const p of this.plugins.values()) {
      if (p.linked.instance === instance) return { plugin: p.name, module: p.linked.module };
    }
    return undefined;
  }

  private *linkedModules(): Iterable<LinkedModule> {
    for (const p of this.plugins.values()) yield p.linked;
  }

  /** Names the innermost wasm function of a trap, via its module's exports if need be. */
  private faultingFunctionName(e: unknown, plugin: Plugin | undefined): string | undefined {
    const frame = faultingFrame(e);
    if (!frame) return undefined;
    if (frame.name) return frame.name;
    if (!plugin) return undefined;
    return this.host.modules.exportName(plugin.linked.module, frame.index);
  }

  private recordFault(plugin: Plugin, fault: PluginFault): void {
    plugin.faults[fault.kind] = (plugin.faults[fault.kind] ?? 0) + 1;
    if (!this.watch.strike(plugin)) return;
    if (
      this.quarantine &&
      this.quarantine.action === "unlink" &&
      this.plugins.get(plugin.name) === plugin
    ) {
      this.remove(plugin.name, { cascade: true });
    } else {
      this.watch.disable(plugin);
    }
    this.onQuarantine?.(plugin.name, fault);
  }
}
