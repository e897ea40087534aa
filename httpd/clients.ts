// Clients and their plugins: the main thread's registry, a view of the PluginStore (store/).
// Each client has a bearer token (only its SHA-256 is kept; tokens are compared in constant
// time), its settings (fuel, memory, CPU rate), its plugins (source and compiled module, in
// link order) and a stamp that changes whenever any of it changes. No runtime lives here: a
// client's runtime is built in a plugin worker from this record (PoolExecutor.specOf) and
// rebuilt when the stamp changes, so 100,000 registered clients cost their records only.
//
// The store is the truth. A change (upload, delete, client create/re-key/delete) is written
// to the store first; the registry follows the store's change feed, for this node's writes
// (applied before the write's promise resolves, so the HTTP answer sees them) and for other
// nodes' alike. A failed write changes nothing here. Compiled modules are stored with the
// compiler version and reused while it matches: a start-up compiles only what is stale.

import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Diagnostic } from "../cc/index.ts";
import type {
  Change,
  ClientLimits,
  ClientRecord,
  CompiledPlugin,
  PluginRecord,
  PluginStore,
} from "../store/index.ts";
import type { PluginLibrary } from "./library.ts";
import { linkOrder } from "./link-order.ts";
import { PLUGIN_NAME } from "./plugin-abi.ts";
import type { WasmUpload } from "./plugin-check.ts";
import { type CompileOutcome, LoadingBook, type LoadingStatus } from "./plugin-loading.ts";

export const CLIENT_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;
/** Ids of this form belong to the playground's sandbox clients (sandbox.ts); admins cannot take them. */
export const SANDBOX_PREFIX = "sandbox-";
export const isSandboxId = (id: string): boolean => id.startsWith(SANDBOX_PREFIX);
/** The compiler version of a stored WebAssembly upload: its module is the code itself. */
export const FOREIGN_WASM = "foreign-wasm";

export interface ClientSettings {
  /** Fuel budget of one request's plugin chain. */
  fuel: number;
  /** Memory limit of the client's runtime, bytes. */
  memory: number;
  /** CPU rate: fuel per second the client's plugin work may use (429 beyond it). */
  rate: number;
}

export interface ClientPlugin {
  name: string;
  /** The C source, or for a wasm upload the client's C declarations ("" if none). */
  source: string;
  /** Uploaded as WebAssembly (stored with compiler version FOREIGN_WASM). */
  foreign: boolean;
  /** The store's version of this upload, as text (ETags, cache keys, If-Match). */
  version: string;
  /** Compile and link-check times of this node's upload (0 when it came from the store). */
  compileMs: number;
  linkMs: number;
  updated: string;
  /** The module as workers link it: compiled from the C source, or the uploaded wasm. */
  wasm: Uint8Array<ArrayBuffer>;
  /** Symbols it exports and imports (link order, and the plugins that depend on it). */
  exports: string[];
  imports: string[];
}

export interface Client {
  id: string;
  generation: number;
  tokenHash: Buffer;
  settings: ClientSettings;
  /** In link order: a plugin after the plugins it imports from. */
  plugins: Map<string, ClientPlugin>;
  /** Changes whenever settings or plugins change: workers rebuild the runtime on a new one. */
  stamp: string;
}

/** A plugin compiled (and, for an upload, link-checked) in a worker. */
export interface BuiltPlugin {
  wasm: Uint8Array<ArrayBuffer>;
  diagnostics: Diagnostic[];
  compileMs: number;
  linkMs: number;
  exports: Array<{ name: string; signature: string }>;
  imports: string[];
}

/** A plugin's code: C source, or WebAssembly from any toolchain with its declarations. */
export type PluginCode = string | WasmUpload;

/** Where uploads are compiled: the worker pool. Both throw PluginRejected for bad code. */
export interface PluginBuilder {
  /** Compiles and links the code as plugin `name` into a scratch copy of the client's runtime. */
  checkUpload(client: Client, name: string, code: PluginCode): Promise<BuiltPlugin>;
  /** Compiles a stored plugin whose module is missing or from another compiler version. */
  compilePersisted(client: Client, name: string, code: PluginCode): Promise<BuiltPlugin>;
}

let stamps = 0;
/** A stamp no other client state has had in this process. */
const nextStamp = (): string => (++stamps).toString(36);

export class Conflict extends Error {}

export const sha256 = (text: string): Buffer => createHash("sha256").update(text).digest();

/** Constant-time token check: both sides are hashed first, so lengths never differ. */
export function tokenMatches(presented: string | undefined, expectedHash: Buffer): boolean {
  const got = sha256(presented ?? "");
  return timingSafeEqual(got, expectedHash) && presented !== undefined;
}

/** The token in an `Authorization: Bearer ...` header, if any. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1] : undefined;
}

export interface ClientRegistryOptions {
  store: PluginStore;
  library: PluginLibrary;
  builder: PluginBuilder;
  /** Stored modules of another compiler version are compiled again. */
  compilerVersion: string;
  defaults: ClientSettings;
  maxPluginsPerClient: number;
  /**
   * Where sandbox clients (ids with SANDBOX_PREFIX) are kept instead of `store`: a MemoryStore,
   * so they never reach the data directory or a fleet's database. Without it there are none.
   */
  sandbox?: {
    store: PluginStore;
    maxPlugins: number;
    maxUploadBytes: number;
    /** A sandbox client authenticated: its session is in use. */
    onUse?: (id: string) => void;
  };
  /** Called when a client is deleted (its runtimes, counters and quarantine go with it). */
  onDeleted?: (id: string) => void;
  log?: (message: string) => void;
  /** A progress line every this many plugins at start-up (default 1000). */
  progressEvery?: number;
  /** Stale stored plugins compiled at once at start-up (the server: its worker count). */
  compileLanes?: number;
}

const DUMMY_HASH = sha256("no such client");

export class ClientRegistry {
  private readonly clients = new Map<string, Client>();
  readonly problems: string[] = [];
  /** Plugins compiled from stored source (stale or missing modules): start-up and feed. */
  compiles = 0;
  /** Of those, modules written back to the store (cacheCompiled) for the next start-up. */
  writtenBack = 0;
  private unsubscribe: (() => void) | undefined;
  /** Compiles in flight, per client/plugin key, with the store version they compile. */
  private readonly compiling = new Map<string, number>();
  /** Plugins being compiled that have no module serving yet (their clients answer 503). */
  private readonly loading: LoadingBook;
  private stopped = false;

  constructor(private readonly options: ClientRegistryOptions) {
    this.loading = new LoadingBook(options.progressEvery ?? 1000, (m) => this.log(m));
  }

  get store(): PluginStore {
    return this.options.store;
  }

  get all(): Client[] {
    return [...this.clients.values()];
  }

  get size(): number {
    return this.clients.size;
  }

  /** Gives the client a new stamp: workers rebuild its runtime on its next job. */
  touch(client: Client): void {
    client.stamp = nextStamp();
  }

  get(id: string): Client | undefined {
    return this.clients.get(id);
  }

  /** The client whose id and token these are, or undefined (same time either way). */
  authenticate(id: string, token: string | undefined): Client | undefined {
    const client = this.clients.get(id);
    const ok = tokenMatches(token, client?.tokenHash ?? DUMMY_HASH);
    if (!ok || !client) return undefined;
    if (this.options.sandbox && isSandboxId(id)) this.options.sandbox.onUse?.(id);
    return client;
  }

  /** Is this a sandbox client (kept in memory only, with the sandbox's limits)? */
  isSandbox(id: string): boolean {
    return this.options.sandbox !== undefined && isSandboxId(id);
  }

  /** The store that keeps this client: the sandbox's for sandbox ids. */
  private storeOf(id: string): PluginStore {
    const sandbox = this.options.sandbox;
    return sandbox && isSandboxId(id) ? sandbox.store : this.options.store;
  }

  /** Bytes of one upload, try or compile body: the sandbox's bound for sandbox clients. */
  maxUploadBytesOf(id: string, fallback: number): number {
    const sandbox = this.options.sandbox;
    return sandbox && isSandboxId(id) ? Math.min(fallback, sandbox.maxUploadBytes) : fallback;
  }

  private maxPluginsOf(id: string): number {
    const sandbox = this.options.sandbox;
    return sandbox && isSandboxId(id) ? sandbox.maxPlugins : this.options.maxPluginsPerClient;
  }

  /**
   * Reads every client and plugin from the store once, reusing each stored module whose
   * compiler version matches, then follows the feed. Stale plugins (no module, or one from
   * another compiler version) are compiled in the background, each once, and their modules
   * written back to the store; `ready` settles when they are done. Until then a client with
   * such plugins is answered PluginsLoading (503), so the server can listen at once.
   */
  async load(): Promise<void> {
    const store = this.options.store;
    const off = store.subscribe((change) => this.onChange(change));
    const offSandbox = this.options.sandbox?.store.subscribe((change) => this.onChange(change));
    this.unsubscribe = () => {
      off();
      offSandbox?.();
    };
    let total = 0;
    const stale: Array<[Client, PluginRecord]> = [];
    for await (const record of store.clients()) {
      if (this.options.sandbox && isSandboxId(record.id)) {
        this.report(
          `client '${record.id}' skipped: ids starting '${SANDBOX_PREFIX}' are the playground's`,
        );
        continue;
      }
      const client = this.makeClient(record);
      this.clients.set(record.id, client);
      for (const p of store.plugins(record.id)) {
        total++;
        const ready = this.usable(p);
        if (ready) client.plugins.set(p.name, ready);
        else {
          stale.push([client, p]);
          this.loading.add(record.id, p.name, p.version);
        }
      }
      this.reorder(client);
    }
    this.loading.begin(
      total,
      total - stale.length,
      stale.map(([c]) => c.id),
    );
    this.ready = this.compileAll(stale);
  }

  /** Settles when the start-up compiles are done (each plugin applied or skipped). */
  ready: Promise<void> = Promise.resolve();

  /** Start-up progress and readiness, for GET /healthz. */
  loadingStatus(): LoadingStatus {
    return this.loading.status();
  }

  /** Throws PluginsLoading (503) while some of the client's plugins are being compiled. */
  checkReady(client: Client): void {
    this.loading.check(client.id);
  }

  /** The stored records of the client's plugins that are being compiled (not served yet). */
  loadingPlugins(client: Client): PluginRecord[] {
    const out: PluginRecord[] = [];
    for (const name of this.loading.names(client.id)) {
      const record = this.storeOf(client.id).plugin(client.id, name);
      if (record && !client.plugins.has(name)) out.push(record);
    }
    return out;
  }

  /** Compiles stored plugins with a bounded number in flight (the pool runs them). */
  private async compileAll(work: Array<[Client, PluginRecord]>): Promise<void> {
    let next = 0;
    let compiled = 0;
    const lane = async () => {
      while (next < work.length && !this.stopped) {
        const [client, record] = work[next++];
        const outcome = await this.compileStale(client.id, record);
        if (outcome === "compiled") compiled++;
        this.loading.startupCompiled(outcome);
      }
    };
    // One compile per worker at a time: a request of a ready client waits for one at most.
    const lanes = Math.min(this.options.compileLanes ?? 1, work.length);
    await Promise.all(Array.from({ length: lanes }, lane));
    if (!this.stopped) this.loading.startupFinished(compiled);
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  /** Creates (or re-keys) a client; returns the token, generated unless one is given. */
  async upsertClient(
    id: string,
    options: { token?: string; settings?: Partial<ClientSettings> } = {},
  ): Promise<{ token: string; created: boolean }> {
    if (!CLIENT_ID.test(id)) throw new RangeError(`bad client id '${id}'`);
    const token = options.token ?? randomBytes(24).toString("base64url");
    const store = this.storeOf(id);
    const existing = store.client(id);
    const limits: ClientLimits = { ...existing?.limits, ...options.settings };
    await store.putClient(id, {
      tokenSha256: sha256(token).toString("hex"),
      limits,
    });
    this.refreshClient(id);
    return { token, created: !existing };
  }

  async deleteClient(id: string): Promise<boolean> {
    const removed = await this.storeOf(id).deleteClient(id);
    this.refreshClient(id);
    return removed;
  }

  /**
   * Compiles and link-checks (in a worker), then stores a client's plugin, new or replacing
   * one; it takes effect here once the store has it. The plugin named N must export
   * `int N_transform(const image *, image *, const params *)`; throws PluginRejected if not,
   * or if it does not compile or link; PreconditionFailed if `ifMatch` is not the version.
   */
  async putPlugin(
    client: Client,
    name: string,
    code: PluginCode,
    ifMatch?: number,
  ): Promise<{ plugin: ClientPlugin; replaced: boolean; warnings: Diagnostic[] }> {
    this.checkName(client, name);
    // The upload links against the client's other plugins: all of them must be there.
    this.checkReady(client);
    const built = await this.options.builder.checkUpload(client, name, code);
    // Checked again: the client may have been deleted, or filled up, while it compiled.
    if (this.clients.get(client.id) !== client) throw new Conflict(`client '${client.id}' is gone`);
    this.checkName(client, name);
    const foreign = typeof code !== "string";
    const source = foreign ? (code.header ?? "") : code;
    const compiled: CompiledPlugin = {
      wasm: foreign ? new Uint8Array(code.wasm) : built.wasm,
      compilerVersion: foreign ? FOREIGN_WASM : this.options.compilerVersion,
      exports: built.exports,
      imports: built.imports.map((i) => ({ name: i, signature: "" })),
    };
    const replaced = client.plugins.has(name);
    const record = await this.storeOf(client.id).putPlugin(client.id, name, source, compiled, {
      ifMatch,
    });
    this.refreshPlugin(client.id, name);
    // Another node's later upload may already have replaced it here: the answer still
    // describes this upload, which the store acknowledged.
    const current = this.clients.get(client.id)?.plugins.get(name);
    const plugin =
      current?.version === String(record.version)
        ? current
        : this.pluginOf(record, foreign, compiled.wasm as Uint8Array<ArrayBuffer>);
    plugin.compileMs = built.compileMs;
    plugin.linkMs = built.linkMs;
    return { plugin, replaced, warnings: built.diagnostics };
  }

  private checkName(client: Client, name: string): void {
    if (!PLUGIN_NAME.test(name)) throw new RangeError(`bad plugin name '${name}'`);
    if (this.options.library.moduleNames.has(name) || this.options.library.transforms.has(name)) {
      throw new Conflict(`'${name}' is a library plugin; choose another name`);
    }
    const max = this.maxPluginsOf(client.id);
    if (!client.plugins.has(name) && client.plugins.size >= max) {
      throw new Conflict(`at most ${max} plugins per client`);
    }
  }

  /**
   * Removes a plugin and the client's plugins that import from it (directly or not), the
   * dependents first. `ifMatch` applies to the named plugin.
   */
  async deletePlugin(client: Client, name: string, ifMatch?: number): Promise<boolean> {
    // Its dependents are found from the compiled plugins' imports: all must be known.
    this.checkReady(client);
    const target = client.plugins.get(name);
    if (!target && ifMatch === undefined) return false;
    const gone = [name];
    const provided = new Set(target?.exports ?? []);
    for (let grew = true; grew; ) {
      grew = false;
      for (const p of client.plugins.values()) {
        if (gone.includes(p.name) || !p.imports.some((i) => provided.has(i))) continue;
        gone.push(p.name);
        for (const e of p.exports) provided.add(e);
        grew = true;
      }
    }
    const store = this.storeOf(client.id);
    // The named one first when it is conditional: a failed precondition deletes nothing.
    if (ifMatch !== undefined) {
      const removed = await store.deletePlugin(client.id, name, { ifMatch });
      this.refreshPlugin(client.id, name);
      if (!removed) return false;
    }
    for (const g of gone.slice(1).reverse()) {
      await store.deletePlugin(client.id, g);
      this.refreshPlugin(client.id, g);
    }
    if (ifMatch === undefined) {
      const removed = await store.deletePlugin(client.id, name);
      this.refreshPlugin(client.id, name);
      return removed;
    }
    return true;
  }

  /** The versions a chain's result depends on: its client plugins and all they import. */
  chainVersions(client: Client, steps: readonly string[]): string[] {
    const byExport = new Map<string, ClientPlugin>();
    for (const p of client.plugins.values()) for (const e of p.exports) byExport.set(e, p);
    const seen = new Set<string>();
    const visit = (p: ClientPlugin | undefined) => {
      if (!p || seen.has(p.name)) return;
      seen.add(p.name);
      for (const i of p.imports) visit(byExport.get(i));
    };
    for (const s of steps) visit(client.plugins.get(s));
    return [...seen].sort().map((n) => `${n}@${client.plugins.get(n)?.version}`);
  }

  // --- Following the store ---------------------------------------------------------------

  private onChange(change: Change): void {
    switch (change.kind) {
      case "client-put":
        this.refreshClient(change.client.id);
        return;
      case "client-delete":
        this.refreshClient(change.id);
        return;
      default: {
        const id = change.kind === "plugin-put" ? change.plugin.client : change.client;
        const name = change.kind === "plugin-put" ? change.plugin.name : change.name;
        this.refreshPlugin(id, name);
      }
    }
  }

  /** Makes the registry's client match the store's (new, re-keyed, deleted, re-created). */
  private refreshClient(id: string): void {
    const store = this.storeOf(id);
    const record = store.client(id);
    const mine = this.clients.get(id);
    if (mine && (!record || record.generation !== mine.generation)) {
      this.clients.delete(id);
      this.options.onDeleted?.(id);
    }
    if (!record) return;
    const current = this.clients.get(id);
    if (!current) {
      const client = this.makeClient(record);
      this.clients.set(id, client);
      for (const p of store.plugins(id)) this.refreshPlugin(id, p.name);
      return;
    }
    const settings = this.settingsOf(record);
    const hash = Buffer.from(record.tokenSha256, "hex");
    const same =
      current.tokenHash.equals(hash) &&
      current.settings.fuel === settings.fuel &&
      current.settings.memory === settings.memory &&
      current.settings.rate === settings.rate;
    if (same) return;
    current.tokenHash = hash;
    current.settings = settings;
    this.touch(current);
  }

  /**
   * Makes the registry's plugin match the store's. A stored module of this compiler version
   * takes effect at once; another is compiled first (the old version serves meanwhile).
   */
  private refreshPlugin(id: string, name: string): void {
    const client = this.clients.get(id);
    if (!client) return;
    const record = this.storeOf(id).plugin(id, name);
    const mine = client.plugins.get(name);
    if (!record || record.generation !== client.generation) {
      // Deleted: nothing of it to wait for (a compile in flight is dropped when it ends).
      this.loading.settle(id, name);
      if (mine) {
        client.plugins.delete(name);
        this.touch(client);
      }
      return;
    }
    if (mine?.version === String(record.version)) return;
    const ready = this.usable(record);
    if (ready) {
      this.loading.settle(id, name);
      client.plugins.set(name, ready);
      this.reorder(client);
      this.touch(client);
      return;
    }
    void this.compileStale(id, record);
  }

  /**
   * Compiles a stored plugin's source; applies it if the store still has that version, and
   * writes the module back to the store under the same version (cacheCompiled), so the next
   * start-up with this compiler reuses it. "superseded": another version or a deletion came
   * meanwhile (or this one is already being compiled); "failed": reported and skipped.
   */
  private async compileStale(id: string, record: PluginRecord): Promise<CompileOutcome> {
    const key = `${id}/${record.name}`;
    if (this.compiling.get(key) === record.version) return "superseded";
    this.compiling.set(key, record.version);
    const client = this.clients.get(id);
    // No module of any version to serve meanwhile: the client waits for this one.
    if (client && !client.plugins.has(record.name))
      this.loading.add(id, record.name, record.version);
    try {
      if (!client) return "superseded";
      this.compiles++;
      const built = await this.options.builder.compilePersisted(client, record.name, record.source);
      const now = this.storeOf(id).plugin(id, record.name);
      if (this.clients.get(id) !== client || now?.version !== record.version) return "superseded";
      client.plugins.set(record.name, {
        ...this.pluginOf(record, false, built.wasm),
        exports: built.exports.map((e) => e.name),
        imports: built.imports,
      });
      this.reorder(client);
      this.touch(client);
      const compiled: CompiledPlugin = {
        wasm: built.wasm,
        compilerVersion: this.options.compilerVersion,
        exports: built.exports,
        imports: built.imports.map((i) => ({ name: i, signature: "" })),
      };
      // A cache of this version's source: failing to keep it costs a compile next time only.
      await this.storeOf(id)
        .cacheCompiled(id, record.name, record.version, compiled)
        .then((kept) => kept && this.writtenBack++)
        .catch((e) => {
          if (!this.stopped)
            this.log(`client '${id}': compiled '${record.name}' not kept: ${(e as Error).message}`);
        });
      return "compiled";
    } catch (e) {
      if (!this.stopped)
        this.report(`client '${id}': plugin '${record.name}' skipped: ${(e as Error).message}`);
      return "failed";
    } finally {
      if (this.compiling.get(key) === record.version) this.compiling.delete(key);
      this.loading.remove(id, record.name, record.version);
    }
  }

  /** The plugin as workers link it, when the stored module can be used as it is. */
  private usable(record: PluginRecord): ClientPlugin | undefined {
    const c = record.compiled;
    if (!c) return undefined;
    const foreign = c.compilerVersion === FOREIGN_WASM;
    if (!foreign && c.compilerVersion !== this.options.compilerVersion) return undefined;
    return this.pluginOf(record, foreign, new Uint8Array(c.wasm));
  }

  private pluginOf(
    record: PluginRecord,
    foreign: boolean,
    wasm: Uint8Array<ArrayBuffer>,
  ): ClientPlugin {
    return {
      name: record.name,
      source: record.source,
      foreign,
      version: String(record.version),
      compileMs: 0,
      linkMs: 0,
      updated: record.updated,
      wasm,
      exports: record.compiled?.exports.map((e) => e.name) ?? [],
      imports: record.compiled?.imports.map((i) => i.name) ?? [],
    };
  }

  /** Puts the client's plugins in link order (linear in plugins and symbols). */
  private reorder(client: Client): void {
    const ordered = linkOrder([...client.plugins.values()]);
    client.plugins = new Map(ordered.map((p) => [p.name, p]));
  }

  private makeClient(record: ClientRecord): Client {
    return {
      id: record.id,
      generation: record.generation,
      tokenHash: Buffer.from(record.tokenSha256, "hex"),
      settings: this.settingsOf(record),
      plugins: new Map(),
      stamp: nextStamp(),
    };
  }

  private settingsOf(record: ClientRecord): ClientSettings {
    return { ...this.options.defaults, ...record.limits };
  }

  private report(message: string): void {
    this.problems.push(message);
    this.log(message);
  }

  private log(message: string): void {
    this.options.log?.(message);
  }
}
