// A runtime: one namespace of linked plugins with its own memory, heap, function table,
// limits and granted kernel exports. One per extensible service instance or per client.

import {
  type CompiledModule,
  compile,
  ENTRY_SUFFIX,
  type FunctionSymbol,
  STACK_FLOOR,
} from "../cc/index.ts";
import { decodeModule } from "../wasm/index.ts";
import { ChurnMap } from "./churn-map.ts";
import { CompileError, KernelError, QuarantineError, UnlinkedSymbolError } from "./errors.ts";
import { classifyTrap, ExitSignal, faultingFrame, PluginFault } from "./faults.ts";
import { HostMeter } from "./fuel.ts";
import { Heap } from "./heap.ts";
import {
  checkDuplicates,
  type ExportedFunction,
  type Grants,
  LinkError,
  type Resolution,
  resolveImports,
  type SymbolScope,
} from "./linker.ts";
import { MemoryViews, type RuntimeResources } from "./memory.ts";
import { type LinkedModule, Plugin, type PluginStats } from "./plugin.ts";
import { FunctionTable } from "./table.ts";
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
  releaseResources(res: RuntimeResources): void;
}

export interface QuarantinePolicy {
  /** Faults within `windowMs` that quarantine a plugin. */
  faults: number;
  windowMs: number;
  /** `disable`: upcalls are refused until reinstated; `unlink`: removed with its dependents. */
  action: "disable" | "unlink";
}

export const defaultQuarantine: QuarantinePolicy = {
  faults: 10,
  windowMs: 60_000,
  action: "disable",
};

export type ByteSink = (bytes: Uint8Array) => void;

export interface RuntimeLimits {
  memory: number;
  fuel: number;
  stack: number;
}

export interface AddOptions {
  /** File name for diagnostics (default `<name>.c`). */
  file?: string;
  includes?: Record<string, string>;
  defines?: Record<string, string>;
}

/** A zero-copy buffer in plugin memory. `bytes` stays valid after the memory grows. */
export class Allocation {
  private view: Uint8Array | undefined;

  constructor(
    private readonly views: MemoryViews,
    readonly ptr: number,
    readonly size: number,
  ) {}

  get bytes(): Uint8Array {
    if (this.view === undefined || (this.view.length === 0 && this.size !== 0)) {
      this.view = new Uint8Array(this.views.memory.buffer, this.ptr, this.size);
    }
    return this.view;
  }
}

const OUT_BUFFER = 8192;
/** Instance pool limits: static data small enough to snapshot, instances per module, in all. */
const POOL_MAX_DATA = 64 << 10;
const POOL_PER_MODULE = 2;
const POOL_TOTAL = 16;
/** Instantiations importing one function table before it is rotated (see table.ts). */
const TABLE_IMPORTERS_MAX = 256;

type SymbolTable = ChurnMap<string, { plugin: Plugin; symbol: FunctionSymbol }>;

/**
 * What the linker sees of a runtime. A class rather than an object of closures: linking is on
 * the hot path of add/remove, and per-link closures cost allocations (and, under tsx, a
 * `defineProperty` each for their names).
 */
class RuntimeScope implements SymbolScope<Plugin> {
  constructor(
    readonly runtimeName: string,
    private readonly symbols: SymbolTable,
    private readonly host: RuntimeHost,
    private readonly grants: Grants,
    /** The plugin being replaced: its symbols are invisible to its new code. */
    private readonly exclude: Plugin | undefined,
  ) {}

  pluginSymbol(name: string): { plugin: Plugin; symbol: FunctionSymbol } | undefined {
    const found = this.symbols.get(name);
    return found && found.plugin !== this.exclude ? found : undefined;
  }

  kernelExport(name: string): ExportedFunction | undefined {
    return this.host.kernelExport(name);
  }

  granted(e: ExportedFunction): boolean {
    return this.grants.allows(e);
  }

  pluginName(p: Plugin): string {
    return p.name;
  }
}

/** Function index to export name, per module (decoded only when a fault needs it). */
const exportNames = new WeakMap<CompiledModule, Map<number, string>>();

export class Runtime {
  readonly views: MemoryViews;
  readonly heap: Heap;
  readonly table = new FunctionTable();
  readonly stackTop: number;
  private readonly plugins = new ChurnMap<string, Plugin>();
  private readonly symbols: SymbolTable = new ChurnMap();
  private readonly slots = new Map<string, UpcallSlot>();
  private readonly boundExports = new Map<string, AnyFunction>();
  private readonly wasmModules = new WeakMap<CompiledModule, WebAssembly.Module>();
  /** Static data and table ranges of replaced/removed code, freed once no upcall is running. */
  private readonly pendingRelease: LinkedModule[] = [];
  /** Unlinked instances kept for reuse, by module, and in the order they were pooled. */
  private instancePool = new WeakMap<CompiledModule, LinkedModule[]>();
  private pooledOrder: LinkedModule[] = [];
  private readonly gate: Gate;
  private linkScope: RuntimeScope | undefined;
  private destroyed = false;
  private out = new Uint8Array(OUT_BUFFER);
  private outLength = 0;
  /** Per-runtime state of host built-ins (libc keeps its rand state and helpers here). */
  readonly hostState = new Map<string, unknown>();
  /** Charges host functions' work to the calling plugin's fuel (see fuel.ts). */
  readonly meter: HostMeter;
  /** Refused-call errors already passed out of one upcall (see `fault`). */
  private readonly refusals = new WeakSet<object>();

  constructor(
    readonly name: string,
    private readonly host: RuntimeHost,
    private readonly resources: RuntimeResources,
    readonly limits: RuntimeLimits,
    readonly grants: Grants,
    readonly quarantine: QuarantinePolicy | false,
    public stdout: ByteSink,
    public stderr: ByteSink,
    private readonly onQuarantine?: (plugin: string, fault: PluginFault) => void,
  ) {
    this.views = new MemoryViews(resources.memory);
    this.stackTop = STACK_FLOOR + limits.stack;
    const heapBase = Math.ceil(this.stackTop / 16) * 16;
    this.heap = new Heap(this.views, heapBase, limits.memory);
    resources.stackPointer.value = this.stackTop;
    this.meter = new HostMeter(resources.fuel);
    this.gate = {
      depth: 0,
      budget: limits.fuel,
      shared: false,
      liveFuel: () => this.resources.fuel.value as number,
      words: new Int32Array(resources.memory.buffer),
      refreshWords: () => this.views.fresh().i32,
      fault: (e, slot) => this.fault(e, slot),
    };
    this.views.onRefresh = () => {
      this.gate.words = this.views.i32;
    };
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
  add(name: string, code: string | CompiledModule, options: AddOptions = {}): Plugin {
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
  replace(name: string, code: string | CompiledModule, options: AddOptions = {}): Plugin {
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
    const dependents = this.dependentsOf(plugin);
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
    const order = this.topological(dependents);
    const relinked = new Map<Plugin, LinkedModule>();
    const pick = (p: Plugin) => (p === plugin ? linked : relinked.get(p));
    try {
      for (const d of order) relinked.set(d, this.relink(d, pick));
    } catch (e) {
      this.releaseLinked(linked);
      throw e;
    }
    // Commit.
    const old = plugin.linked;
    this.unbindSymbols(plugin);
    plugin.linked = linked;
    this.bindSymbols(plugin);
    for (const [d, l] of relinked) {
      this.unbindSymbols(d);
      d.linked = l;
      this.bindSymbols(d);
    }
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
    const dependents = this.dependentsOf(plugin);
    if (!options.cascade) {
      const users = [...dependents].map((d) => `'${d.name}'`).join(", ");
      throw new KernelError(
        `cannot remove plugin '${name}' from runtime '${this.name}': plugin(s) ${users} import its symbols ` +
          "(remove them first or pass { cascade: true })",
      );
    }
    const victims = [plugin, ...this.topological(dependents)].reverse();
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
    this.instancePool = new WeakMap();
    this.pooledOrder = [];
    this.heap.clear();
    this.table.reset();
    this.gate.depth = 0;
    this.resources.stackPointer.value = this.stackTop;
    this.outLength = 0;
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
    if (!(fuel >= 0)) throw new RangeError(`fuel budget must not be negative (got ${fuel})`);
    this.gate.budget = Math.min(Math.floor(fuel), 0x7fffffff);
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
    plugin.disabled = false;
    plugin.recentFaults.length = 0;
    for (const slot of plugin.slots) this.bindSlot(slot, plugin);
  }

  plugin(name: string): Plugin | undefined {
    return this.plugins.get(name);
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

  /** Calls `fn` from the table (a plugin function pointer) as a nested call of the current upcall. */
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

  /** Buffered standard output of the runtime's plugins. */
  writeOut(bytes: Uint8Array): void {
    if (this.outLength + bytes.length > this.out.length) {
      this.flush();
      if (bytes.length > this.out.length) {
        this.stdout(bytes.slice());
        return;
      }
    }
    this.out.set(bytes, this.outLength);
    this.outLength += bytes.length;
  }

  writeOutByte(b: number): void {
    if (this.outLength === this.out.length) this.flush();
    this.out[this.outLength++] = b;
  }

  flush(): void {
    if (this.outLength === 0) return;
    const chunk = this.out.slice(0, this.outLength);
    this.outLength = 0;
    this.stdout(chunk);
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
      for (const l of this.pendingRelease) this.releaseLinked(l);
      this.pendingRelease.length = 0;
    }
  }

  /**
   * Gives the runtime a fresh function table once the current one has been imported by too many
   * instances (V8 keeps them all alive and slows down with their number). Every live plugin that
   * imports the table, and every plugin importing from one of those, is re-instantiated with
   * its static data and slots kept; pooled instances of the old table are dropped. The cost is
   * a few instantiations per live user, once every TABLE_IMPORTERS_MAX instantiations.
   */
  private maybeRotateTable(): void {
    const table = this.table;
    if (table.importers < TABLE_IMPORTERS_MAX || this.gate.depth > 0) return;
    const affected = new Set<Plugin>();
    for (const p of this.plugins.values()) {
      if (!p.linked.module.uses.table || affected.has(p)) continue;
      affected.add(p);
      for (const d of this.dependentsOf(p)) affected.add(d);
    }
    if (table.importers < TABLE_IMPORTERS_MAX + 4 * affected.size) return;
    for (const l of this.pooledOrder) {
      if (!l.module.uses.table) continue;
      this.evict(l);
    }
    this.pooledOrder = this.pooledOrder.filter((l) => !l.module.uses.table);
    table.rotate();
    const relinked = new Map<Plugin, LinkedModule>();
    const pick = (p: Plugin) => relinked.get(p);
    for (const p of this.topological(affected)) relinked.set(p, this.relink(p, pick));
    for (const [p, l] of relinked) {
      this.unbindSymbols(p);
      p.linked = l;
      this.bindSymbols(p);
    }
  }

  private requirePlugin(name: string): Plugin {
    const p = this.plugins.get(name);
    if (!p) throw new KernelError(`no plugin '${name}' in runtime '${this.name}'`);
    return p;
  }

  private toModule(
    name: string,
    code: string | CompiledModule,
    options: AddOptions,
  ): CompiledModule {
    if (typeof code !== "string") return code;
    const file = options.file ?? (name.endsWith(".c") ? name : `${name}.c`);
    const result = compile(code, { file, includes: options.includes, defines: options.defines });
    if (!result.ok) throw new CompileError(result.diagnostics, code, file);
    return result.module;
  }

  private wasmModule(module: CompiledModule): WebAssembly.Module {
    let m = this.wasmModules.get(module);
    if (!m) {
      m = new WebAssembly.Module(module.wasm);
      if (module.metered && module.uses.fuel) {
        // Upcalls into fuel-spending code go through `F$entry` (cc/module.ts): setting the fuel
        // global from JS instead would cost more than the whole upcall.
        const names = new Set(WebAssembly.Module.exports(m).map((e) => e.name));
        const missing = module.exports.find((e) => !names.has(e.name + ENTRY_SUFFIX));
        if (missing) {
          throw new KernelError(
            `module '${module.file}' spends fuel but has no '${missing.name}${ENTRY_SUFFIX}' entry point`,
          );
        }
      }
      this.wasmModules.set(module, m);
    }
    return m;
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
    const pooled = this.fromPool(module, imports);
    if (pooled) {
      pooled.resolutions = resolutions;
      return pooled;
    }
    const wasm = this.wasmModule(module);
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
      const instance = this.instantiate(wasm, module, imports, dataBase, tableBase);
      const linked = this.describe(module, instance, resolutions, dataBase, tableBase, imports);
      if (module.dataSize <= POOL_MAX_DATA) {
        linked.image = this.views.fresh().u8.slice(dataBase, dataBase + module.dataSize);
      }
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
    const instance = this.instantiate(
      this.wasmModule(module),
      module,
      imports,
      dataBase,
      tableBase,
    );
    this.views.fresh().u8.set(saved, dataBase);
    const next = resolutions.map((r): Resolution<Plugin> => r);
    return this.describe(module, instance, next, dataBase, tableBase, imports);
  }

  private instantiate(
    wasm: WebAssembly.Module,
    module: CompiledModule,
    imports: AnyFunction[],
    dataBase: number,
    tableBase: number,
  ): WebAssembly.Instance {
    const env: Record<string, unknown> = {
      memory: this.resources.memory,
      __stack_pointer: this.resources.stackPointer,
      __memory_base: dataBase,
      __table_base: tableBase,
      fuel: this.resources.fuel,
    };
    if (module.uses.table) {
      env.__indirect_function_table = this.table.wasm;
      this.table.importers++;
    }
    for (let i = 0; i < imports.length; i++) env[module.imports[i]!.name] = imports[i];
    return new WebAssembly.Instance(wasm, { env: env as WebAssembly.ModuleImports });
  }

  private describe(
    module: CompiledModule,
    instance: WebAssembly.Instance,
    resolutions: Resolution<Plugin>[],
    dataBase: number,
    tableBase: number,
    imports: AnyFunction[],
  ): LinkedModule {
    const functions = new Map<string, AnyFunction>();
    const entries = new Map<string, AnyFunction>();
    const exports = new Map<string, FunctionSymbol>();
    const ex = instance.exports as Record<string, AnyFunction>;
    for (const e of module.exports) {
      const fn = ex[e.name];
      if (typeof fn !== "function") continue;
      functions.set(e.name, fn);
      exports.set(e.name, e);
      const entry = ex[e.name + ENTRY_SUFFIX];
      // Without an entry the code never touches fuel (checked in wasmModule): handles call `fn`.
      if (typeof entry === "function") entries.set(e.name, entry);
    }
    return {
      module,
      instance,
      functions,
      entries,
      exports,
      resolutions,
      dataBase,
      tableBase,
      imports,
      image: undefined,
      elements: undefined,
    };
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
    if (p.disabled) slot.bind(this.quarantinedEntry(p.name, slot.symbol), false);
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
    const fuel = this.resources.fuel;
    return (...args: unknown[]) => {
      if (gate.depth === 1) fuel.value = gate.budget;
      return fn(...args);
    };
  }

  private unlinkedEntry(symbol: string): AnyFunction {
    const name = this.name;
    return () => {
      throw new UnlinkedSymbolError(name, symbol);
    };
  }

  private quarantinedEntry(plugin: string, symbol: string): AnyFunction {
    const name = this.name;
    return () => {
      throw new QuarantineError(name, plugin, symbol);
    };
  }

  private unlinkPlugin(p: Plugin): void {
    this.unbindSymbols(p);
    this.plugins.delete(p.name);
    this.retire(p.linked);
  }

  private retire(l: LinkedModule): void {
    if (this.gate.depth > 0) this.pendingRelease.push(l);
    else this.releaseLinked(l);
  }

  /**
   * Unlinked instances are kept (with their static data block and table slots) for a while:
   * linking the same module again with the same imports then only restores the data image,
   * which is what makes link/unlink cheap compared with `new WebAssembly.Instance`.
   */
  private releaseLinked(l: LinkedModule): void {
    if (l.image) {
      let list = this.instancePool.get(l.module);
      if (!list) {
        list = [];
        this.instancePool.set(l.module, list);
      }
      if (list.length < POOL_PER_MODULE) {
        if (l.module.tableSize > 0) {
          // Stale function pointers into unlinked code must trap, as after a real unlink.
          const table = this.table.wasm;
          l.elements = [];
          for (let i = 0; i < l.module.tableSize; i++) {
            l.elements.push(table.get(l.tableBase + i));
            table.set(l.tableBase + i, null);
          }
        }
        list.push(l);
        this.pooledOrder.push(l);
        if (this.pooledOrder.length > POOL_TOTAL) this.evict(this.pooledOrder.shift()!);
        return;
      }
    }
    this.freeLinked(l);
  }

  private evict(l: LinkedModule): void {
    const list = this.instancePool.get(l.module);
    const i = list ? list.indexOf(l) : -1;
    if (i < 0) return; // already taken back out of the pool
    list!.splice(i, 1);
    this.freeLinked(l);
  }

  private fromPool(module: CompiledModule, imports: AnyFunction[]): LinkedModule | undefined {
    const list = this.instancePool.get(module);
    if (!list) return undefined;
    for (let i = list.length - 1; i >= 0; i--) {
      const l = list[i]!;
      if (!sameFunctions(l.imports, imports)) continue;
      list.splice(i, 1);
      const at = this.pooledOrder.indexOf(l);
      if (at >= 0) this.pooledOrder.splice(at, 1);
      this.views.fresh().u8.set(l.image!, l.dataBase);
      if (l.elements) {
        const table = this.table.wasm;
        for (let k = 0; k < l.elements.length; k++)
          table.set(l.tableBase + k, l.elements[k] as never);
        l.elements = undefined;
      }
      return l;
    }
    return undefined;
  }

  private freeLinked(l: LinkedModule): void {
    if (l.dataBase) this.heap.free(l.dataBase);
    if (l.module.tableSize > 0) this.table.release(l.tableBase, l.module.tableSize);
  }

  /** Every plugin importing (directly or not) from `p`. */
  private dependentsOf(p: Plugin): Set<Plugin> {
    const out = new Set<Plugin>();
    const todo = [p];
    while (todo.length > 0) {
      for (const q of todo.pop()!.importers) {
        if (q === p || out.has(q)) continue;
        out.add(q);
        todo.push(q);
      }
    }
    return out;
  }

  /** Orders plugins so that each comes after the ones (of the set) it imports from. */
  private topological(set: Set<Plugin>): Plugin[] {
    const order: Plugin[] = [];
    const done = new Set<Plugin>();
    const visit = (p: Plugin) => {
      if (done.has(p)) return;
      done.add(p);
      for (const d of p.dependencies) if (set.has(d)) visit(d);
      order.push(p);
    };
    for (const p of set) visit(p);
    return order;
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
    if (e instanceof PluginFault || e instanceof ExitSignal) return e;
    // A call refused before any plugin code ran (unlinked, quarantined) is the caller's error;
    // once it has unwound through a plugin (a host function's nested upcall) it is a fault.
    if (
      (e instanceof UnlinkedSymbolError || e instanceof QuarantineError) &&
      !this.refusals.has(e)
    ) {
      this.refusals.add(e);
      return e;
    }
    // Any other JS error a host function threw is the plugin call's failure too.
    const kind = classifyTrap(e, () => this.resources.fuel.value as number) ?? "host-error";
    // Code that never touches fuel is called without setting it: a negative value left by this
    // fault must not make its later stack overflow look like fuel exhaustion.
    if (kind === "fuel-exhausted") this.resources.fuel.value = 0;
    if (gate.depth === 0 && gate.shared) {
      gate.budget = Math.max(0, this.resources.fuel.value as number);
    }
    const plugin = slot.owner as Plugin | undefined;
    const pluginName = plugin?.name ?? "?";
    const fn = this.faultingFunctionName(e, plugin) ?? slot.symbol;
    // A host error names its class (TypeError: ...); a trap's message says what it is.
    const message =
      e instanceof Error
        ? kind === "host-error"
          ? `${e.name}: ${e.message}`
          : e.message
        : String(e);
    const fault = new PluginFault(kind, this.name, pluginName, fn, message, {
      cause: e,
    });
    if (plugin) this.recordFault(plugin, fault);
    return fault;
  }

  /** Names the innermost wasm function of a trap, via its module's exports if need be. */
  private faultingFunctionName(e: unknown, plugin: Plugin | undefined): string | undefined {
    const frame = faultingFrame(e);
    if (!frame) return undefined;
    if (frame.name) return frame.name;
    if (!plugin) return undefined;
    const module = plugin.linked.module;
    let names = exportNames.get(module);
    if (!names) {
      names = new Map();
      try {
        for (const x of decodeModule(module.wasm).exports) {
          if (x.kind === "func" && !x.name.endsWith(ENTRY_SUFFIX)) names.set(x.index, x.name);
        }
      } catch {
        // An undecodable module only loses the function name in fault reports.
      }
      exportNames.set(module, names);
    }
    return names.get(frame.index);
  }

  private recordFault(plugin: Plugin, fault: PluginFault): void {
    plugin.faults[fault.kind] = (plugin.faults[fault.kind] ?? 0) + 1;
    const policy = this.quarantine;
    if (!policy || plugin.disabled) return;
    const now = Date.now();
    const recent = plugin.recentFaults;
    recent.push(now);
    while (recent.length > 0 && recent[0]! <= now - policy.windowMs) recent.shift();
    if (recent.length < policy.faults) return;
    if (policy.action === "unlink" && this.plugins.get(plugin.name) === plugin) {
      this.remove(plugin.name, { cascade: true });
    } else {
      plugin.disabled = true;
      for (const slot of plugin.slots)
        slot.bind(this.quarantinedEntry(plugin.name, slot.symbol), false);
    }
    this.onQuarantine?.(plugin.name, fault);
  }
}

function sameFunctions(a: readonly AnyFunction[], b: readonly AnyFunction[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
