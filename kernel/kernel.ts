// The kernel (Wasmtime's Engine): the host's table of exported callbacks ("built-ins"), the
// compiled code and memories shared by its runtimes, and the runtimes by name.

import { type FunctionSymbol, STACK_FLOOR } from "../cc/index.ts";
import { ChurnMap } from "./churn-map.ts";
import { KernelError } from "./errors.ts";
import type { PluginFault } from "./faults.ts";
import { checkFuelBudget } from "./fuel.ts";
import { installLibc } from "./libc.ts";
import { Grants } from "./linker.ts";
import { MemoryPool, PAGE, type RuntimeResources } from "./memory.ts";
import { ModuleCache } from "./module-cache.ts";
import { defaultQuarantine, type QuarantinePolicy } from "./quarantine.ts";
import { type KernelExportEntry, Runtime } from "./runtime.ts";
import { parseSignature } from "./signature.ts";
import type { ByteSource } from "./stdin.ts";
import type { ByteSink } from "./stdout.ts";
import type { AnyFunction } from "./upcall.ts";

/**
 * Limits and grants of one runtime (`Kernel.createRuntime`), all optional: what its plugins
 * may use in memory, fuel and stack, which kernel exports they may link, and where their output
 * and quarantines go.
 */
export interface RuntimeOptions {
  /** Memory limit in bytes (default 64 MiB): the maximum of the runtime's linear memory. */
  memory?: number;
  /**
   * Fuel budget per upcall (default 1e9): loop back-edges and calls. A whole number from 1 to
   * 2^53-1 (MAX_FUEL); anything else throws a FuelBudgetError.
   */
  fuel?: number;
  /** Shadow-stack bytes (default 256 KiB). */
  stack?: number;
  /** Kernel exports this runtime may link: names, groups (e.g. "libc") and `*` wildcards. */
  allow?: string[];
  /** Quarantine policy (false: never quarantine). */
  quarantine?: Partial<QuarantinePolicy> | false;
  /** Called when a plugin is quarantined. */
  onQuarantine?: (plugin: string, fault: PluginFault) => void;
  /** Where plugins' stdout goes (default process.stdout). */
  stdout?: ByteSink;
  /** Where plugins' stderr (a failed assert's message) goes, unbuffered (default process.stderr). */
  stderr?: ByteSink;
  /**
   * Compile C source added as text with NULL-page checks (default true): a load or store
   * through a pointer into the first 4 KiB faults with `null-pointer`. False drops the checks
   * (such accesses then succeed silently); C library built-ins fault on NULL either way.
   */
  nullChecks?: boolean;
  /** Where plugins' stdin comes from (default none: reads see the end of input). */
  stdin?: ByteSource;
  /**
   * Run every module's bounds-probed build (default false): each load and store is checked
   * first, so an out-of-bounds fault reports its address. Slower; for replaying a fault
   * (kernel/fault-replay.ts), not for serving.
   */
  boundsProbe?: boolean;
}

/** A function signature given without C text: what `parseSignature` would produce. */
export type SignatureSpec = string | FunctionSymbol;

/** Options of a kernel export (`Kernel.export`). */
export interface ExportOptions {
  /** A group name that `allow` lists can grant as a whole (libc's is "libc"). */
  group?: string;
}

/** A runtime's memory limit when `RuntimeOptions.memory` is not given: 64 MiB. */
export const DEFAULT_MEMORY = 64 << 20;
/** Fuel per upcall when `RuntimeOptions.fuel` is not given: 1e9 loop back-edges and calls. */
export const DEFAULT_FUEL = 1e9;
/** Shadow-stack bytes when `RuntimeOptions.stack` is not given: 256 KiB. */
export const DEFAULT_STACK = 256 << 10;
/**
 * The largest shadow stack a runtime may ask for: 256 MiB. Deeper recursion than that meets
 * V8's own (native) stack limit first, which faults as `stack-overflow` too.
 */
export const MAX_STACK = 256 << 20;

/**
 * The engine of a plugin host: it publishes the host's callbacks, owns the compiled-code cache
 * and the memory pool, and creates and destroys runtimes. It is not where plugins live or run:
 * it holds no plugin and no plugin memory of its own; every plugin is linked into a `Runtime`.
 */
export class Kernel {
  private readonly exportTable = new Map<string, KernelExportEntry>();
  /** Runtimes come and go under the same names (per-client, per-request): see ChurnMap. */
  private readonly runtimes = new ChurnMap<string, Runtime>();
  /** How each runtime was made (a probe replica is made alike). */
  private readonly runtimeOptions = new WeakMap<Runtime, RuntimeOptions>();
  private replicas = 0;
  private readonly pool = new MemoryPool();
  /** Compiled code is shared by all runtimes: linking a module into another runtime reuses it. */
  private readonly modules = new ModuleCache();

  constructor(options: { libc?: boolean } = {}) {
    if (options.libc !== false) installLibc(this);
  }

  /**
   * Publishes a host callback. `signature` is a C declaration ("int add(int a, int b)"); the
   * callback receives numbers (BigInt for long long) and returns the result.
   */
  export(
    name: string,
    signature: SignatureSpec,
    fn: AnyFunction,
    options: ExportOptions = {},
  ): void {
    this.define(name, signature, fn, undefined, options);
  }

  /**
   * Publishes a callback made per runtime, for built-ins that need the calling runtime (its
   * memory, heap, output). The factory runs once per runtime, when a plugin first links it.
   */
  exportFactory(
    name: string,
    signature: SignatureSpec,
    factory: (runtime: Runtime) => AnyFunction,
    options: ExportOptions = {},
  ): void {
    this.define(name, signature, undefined, factory, options);
  }

  /** Withdraws an export; plugins already linked keep what they were linked with. */
  unexport(name: string): void {
    this.exportTable.delete(name);
  }

  kernelExport(name: string): KernelExportEntry | undefined {
    return this.exportTable.get(name);
  }

  get exportNames(): string[] {
    return [...this.exportTable.keys()];
  }

  createRuntime(name: string, options: RuntimeOptions = {}): Runtime {
    const runtime = this.makeRuntime(name, options);
    this.runtimeOptions.set(runtime, options);
    return runtime;
  }

  /**
   * A fresh runtime made like `of` (its limits and grants) with `of`'s plugins linked again
   * from their modules, in dependency order: their static data as linking leaves it, not as
   * earlier calls left it. It runs the bounds-probed builds (`boundsProbe`), has no input and
   * drops its output: it is for replaying a fault (kernel/fault-replay.ts). Destroy it after.
   */
  probeReplica(of: Runtime): Runtime {
    const options = this.runtimeOptions.get(of) ?? {};
    const name = `${of.name}#replay-${++this.replicas}`;
    const replica = this.createRuntime(name, {
      ...options,
      quarantine: false,
      onQuarantine: undefined,
      stdout: () => {},
      stderr: () => {},
      stdin: undefined,
      boundsProbe: true,
    });
    try {
      for (const p of of.linkOrder) replica.add(p.name, p.module);
    } catch (e) {
      this.destroyRuntime(name);
      throw e;
    }
    return replica;
  }

  private makeRuntime(name: string, options: RuntimeOptions): Runtime {
    if (this.runtimes.has(name)) throw new KernelError(`runtime '${name}' already exists`);
    const memory = options.memory ?? DEFAULT_MEMORY;
    const stack = options.stack ?? DEFAULT_STACK;
    const fuel =
      options.fuel === undefined ? DEFAULT_FUEL : checkFuelBudget(options.fuel, "fuel budget");
    if (!(stack >= 1024 && stack <= MAX_STACK && stack % 16 === 0)) {
      throw new RangeError(
        `stack must be a multiple of 16 bytes from 1024 to ${MAX_STACK} (got ${stack})`,
      );
    }
    if (!(memory >= STACK_FLOOR + stack + PAGE) || memory > 2 ** 32) {
      throw new RangeError(
        `memory limit ${memory} must hold the stack and at least one page of heap`,
      );
    }
    const quarantine =
      options.quarantine === false ? false : { ...defaultQuarantine, ...options.quarantine };
    const resources = this.pool.acquire(memory, STACK_FLOOR + stack + PAGE);
    const runtime = new Runtime({
      name,
      host: {
        kernelExport: (n) => this.exportTable.get(n),
        kernelExports: () => this.exportTable.values(),
        releaseResources: (res: RuntimeResources) => this.pool.release(res),
        modules: this.modules,
      },
      resources,
      limits: { memory, fuel, stack },
      grants: new Grants(options.allow ?? []),
      quarantine,
      onQuarantine: options.onQuarantine,
      stdout: options.stdout ?? ((b) => process.stdout.write(b)),
      stderr: options.stderr ?? ((b) => process.stderr.write(b)),
      nullChecks: options.nullChecks ?? true,
      stdin: options.stdin,
      boundsProbe: options.boundsProbe ?? false,
    });
    this.runtimes.set(name, runtime);
    return runtime;
  }

  runtime(name: string): Runtime | undefined {
    return this.runtimes.get(name);
  }

  get runtimeNames(): string[] {
    return [...this.runtimes.keys()];
  }

  /** Unlinks everything in the runtime and recycles its memory. */
  destroyRuntime(name: string): void {
    const rt = this.runtimes.get(name);
    if (!rt) throw new KernelError(`no runtime '${name}'`);
    this.runtimes.delete(name);
    rt.destroy();
  }

  private define(
    name: string,
    signature: SignatureSpec,
    fn: AnyFunction | undefined,
    factory: ((runtime: Runtime) => AnyFunction) | undefined,
    options: ExportOptions,
  ): void {
    const symbol = typeof signature === "string" ? parseSignature(signature) : signature;
    if (symbol.name !== name) {
      throw new KernelError(`export '${name}': its declaration names '${symbol.name}'`);
    }
    this.exportTable.set(name, { name, symbol, group: options.group, fn, factory });
  }
}
