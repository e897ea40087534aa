// The embedded store: one data directory, one server. Every change is written durably
// (durable-fs.ts) before its promise resolves and before memory or subscribers see it, so
// what a restart reads is exactly what was acknowledged. Changes to one client run one at a
// time (a promise chain per client); different clients proceed in parallel, and subscribers
// still receive changes in version order (a change waits for the lower versions in flight).
//
// Layout under the data directory:
//   kplug-store.lock                       held while open (file-lock.ts)
//   store/meta.json                        { format, reserved }: versions up to `reserved` may be in use
//   store/clients/<id>.json                a client, or its tombstone { deleted, generation }
//   store/plugins/<id>/<generation>/<name>.json   a plugin, or its tombstone
// A deleted client keeps its tombstone, so the id's next life gets generation + 1 and a fresh
// plugin directory: leftovers of the old generation are never read (and are removed at start).

import { readdir, readFile, unlink } from "node:fs/promises";
import { join } from "node:path";
import { ensureDir, removeTree, storeErrorOf, TMP_SUFFIX, writeDurably } from "./durable-fs.ts";
import { PreconditionFailed, StoreClosed, UnknownClient } from "./errors.ts";
import { DirectoryLock } from "./file-lock.ts";
import { KeyedQueue } from "./keyed-queue.ts";
import { importLegacyClients } from "./legacy-import.ts";
import {
  clientFromJson,
  clientJson,
  parseJsonObject,
  pluginFromJson,
  pluginJson,
} from "./record-codec.ts";
import {
  freezeRecord,
  Listeners,
  pluginRecord,
  StoreReads,
  StoreState,
  withCompiled,
} from "./state.ts";
import {
  type Change,
  type ChangeListener,
  type ClientRecord,
  type CompiledPlugin,
  checkClientId,
  checkCompiled,
  checkLimits,
  checkPluginName,
  checkTokenHash,
  type PluginRecord,
  type PluginStore,
  type PutClientInput,
  type WriteOptions,
} from "./types.ts";

const FORMAT = 1;
/** Versions reserved per write of meta.json: one extra fsync'd write per this many changes. */
const VERSION_BLOCK = 1000;

export interface FileStoreOptions {
  log?: (message: string) => void;
}

export class FileStore extends StoreReads implements PluginStore {
  readonly kind = "file";
  readonly problems: string[] = [];
  protected readonly state = new StoreState();
  private readonly listeners: Listeners;
  private readonly queue = new KeyedQueue();
  /** Highest version handed out, and highest one meta.json allows. */
  private allocated = 0;
  private reserved = 0;
  private reserving: Promise<void> = Promise.resolve();
  /** Finished writes waiting for lower versions (null: the write failed, nothing to emit). */
  private readonly finished = new Map<number, Change | null>();
  private nextToEmit = 1;
  /** Version of the last change that took effect (failed writes leave gaps, not changes). */
  private applied = 0;
  private closed = false;

  private constructor(
    readonly dir: string,
    private readonly lock: DirectoryLock,
    private readonly options: FileStoreOptions,
  ) {
    super();
    this.listeners = new Listeners((e) =>
      this.options.log?.(`store listener failed: ${(e as Error)?.message ?? e}`),
    );
  }

  /** Opens (creating if needed) the store in `dir`; StoreLocked if another process has it. */
  static async open(dir: string, options: FileStoreOptions = {}): Promise<FileStore> {
    let lock: DirectoryLock;
    try {
      await ensureDir(dir);
      lock = await DirectoryLock.acquire(dir);
    } catch (e) {
      if ((e as Error).name === "StoreLocked") throw e;
      throw storeErrorOf(e, `cannot open the store in ${dir}`);
    }
    const store = new FileStore(dir, lock, options);
    let fresh = false;
    try {
      fresh = (await ensureDir(store.path())) !== undefined;
      await ensureDir(store.path("clients"));
      await ensureDir(store.path("plugins"));
      await store.load();
      if (fresh) await importLegacyClients(dir, store, (m) => store.problem(m));
    } catch (e) {
      await lock.release();
      throw storeErrorOf(e, `cannot open the store in ${dir}`);
    }
    return store;
  }

  private path(...parts: string[]): string {
    return join(this.dir, "store", ...parts);
  }

  private pluginDir(client: ClientRecord): string {
    return this.path("plugins", client.id, String(client.generation));
  }

  get version(): number {
    return this.applied;
  }

  async changesSince(version: number): Promise<Change[]> {
    // Only the prefix every lower version of which has finished: a reader moving its cursor
    // to the last change returned never skips a change still being written.
    return this.state.changesSince(version).filter((c) => c.version < this.nextToEmit);
  }

  subscribe(listener: ChangeListener): () => void {
    return this.listeners.add(listener);
  }

  putClient(id: string, input: PutClientInput): Promise<ClientRecord> {
    return this.writeClient(id, input, false);
  }

  rotateToken(id: string, tokenSha256: string): Promise<ClientRecord> {
    return this.writeClient(id, { tokenSha256 }, true);
  }

  private writeClient(
    id: string,
    input: PutClientInput,
    mustExist: boolean,
  ): Promise<ClientRecord> {
    checkClientId(id);
    checkTokenHash(input.tokenSha256);
    const limits = input.limits === undefined ? undefined : checkLimits(input.limits);
    return this.serial(id, async () => {
      const old = this.state.clients.get(id);
      if (mustExist && !old) throw new UnknownClient(id);
      const version = await this.allocate();
      const now = new Date().toISOString();
      const record: ClientRecord = freezeRecord({
        id,
        generation: this.state.nextGeneration(id),
        tokenSha256: input.tokenSha256,
        limits: { ...(limits ?? old?.limits ?? {}) },
        version,
        created: old?.created ?? now,
        updated: now,
      });
      await this.durably(version, `client '${id}'`, () =>
        writeDurably(this.path("clients", `${id}.json`), `${JSON.stringify(clientJson(record))}\n`),
      );
      this.finish({ kind: "client-put", version, client: record });
      return record;
    });
  }

  deleteClient(id: string): Promise<boolean> {
    checkClientId(id);
    return this.serial(id, async () => {
      const old = this.state.clients.get(id);
      if (!old) return false;
      const version = await this.allocate();
      const tomb = { id, generation: old.generation, version, deleted: true };
      await this.durably(version, `deleting client '${id}'`, () =>
        writeDurably(this.path("clients", `${id}.json`), `${JSON.stringify(tomb)}\n`),
      );
      this.finish({ kind: "client-delete", version, id, generation: old.generation });
      // The tombstone already makes the old generation dead data; this only frees the space.
      await removeTree(this.path("plugins", id));
      return true;
    });
  }

  putPlugin(
    clientId: string,
    name: string,
    source: string,
    compiled: CompiledPlugin | null,
    options: WriteOptions = {},
  ): Promise<PluginRecord> {
    checkClientId(clientId);
    checkPluginName(name);
    checkCompiled(compiled);
    return this.serial(clientId, async () => {
      const client = this.state.clients.get(clientId);
      if (!client) throw new UnknownClient(clientId);
      const previous = this.state.plugin(clientId, name);
      checkIfMatch(clientId, name, previous, options);
      const version = await this.allocate();
      const record = pluginRecord(client, name, version, source, compiled, previous);
      await this.durably(version, `plugin '${clientId}/${name}'`, async () => {
        const created = await ensureDir(this.pluginDir(client));
        try {
          await writeDurably(
            join(this.pluginDir(client), `${name}.json`),
            JSON.stringify(pluginJson(record)),
          );
        } catch (e) {
          if (created) await removeTree(created);
          throw e;
        }
      });
      this.finish({ kind: "plugin-put", version, plugin: record });
      return record;
    });
  }

  deletePlugin(clientId: string, name: string, options: WriteOptions = {}): Promise<boolean> {
    checkClientId(clientId);
    checkPluginName(name);
    return this.serial(clientId, async () => {
      const client = this.state.clients.get(clientId);
      const previous = this.state.plugin(clientId, name);
      checkIfMatch(clientId, name, previous, options);
      if (!client || !previous) return false;
      const version = await this.allocate();
      const tomb = { client: clientId, generation: client.generation, name, version };
      // The tombstone replaces the plugin file in one rename: the deletion is as durable as
      // an upload, and a restart cannot find the old source.
      await this.durably(version, `deleting plugin '${clientId}/${name}'`, () =>
        writeDurably(
          join(this.pluginDir(client), `${name}.json`),
          JSON.stringify({ ...tomb, deleted: true }),
        ),
      );
      this.finish({ kind: "plugin-delete", ...tomb });
      return true;
    });
  }

  cacheCompiled(
    clientId: string,
    name: string,
    version: number,
    compiled: CompiledPlugin,
  ): Promise<boolean> {
    checkClientId(clientId);
    checkPluginName(name);
    checkCompiled(compiled, true);
    return this.serial(clientId, async () => {
      const client = this.state.clients.get(clientId);
      const current = this.state.plugin(clientId, name);
      if (!client || current?.version !== version) return false;
      const record = withCompiled(current, compiled);
      // The same file, rewritten durably with the same version: a crash leaves either module.
      try {
        await writeDurably(
          join(this.pluginDir(client), `${name}.json`),
          JSON.stringify(pluginJson(record)),
        );
      } catch (e) {
        throw storeErrorOf(e, `cannot write the compiled module of '${clientId}/${name}'`);
      }
      // Not a change (same version): memory follows, subscribers are not told.
      this.state.apply({ kind: "plugin-put", version, plugin: record });
      return true;
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.drain();
    await this.lock.release();
  }

  /** Runs `job` after every earlier job of this client (failed ones included). */
  private serial<T>(clientId: string, job: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new StoreClosed());
    return this.queue.run(clientId, job);
  }

  private async allocate(): Promise<number> {
    const version = ++this.allocated;
    if (version > this.reserved) {
      try {
        await this.reserve(version);
      } catch (e) {
        this.finished.set(version, null);
        this.emitReady();
        throw storeErrorOf(e, "reserving store versions");
      }
    }
    return version;
  }

  /** Persists a new version ceiling, so versions never repeat across restarts. */
  private reserve(version: number): Promise<void> {
    this.reserving = this.reserving
      .catch(() => {})
      .then(async () => {
        if (version <= this.reserved) return;
        const reserved = version + VERSION_BLOCK - 1;
        await writeDurably(
          this.path("meta.json"),
          `${JSON.stringify({ format: FORMAT, reserved })}\n`,
        );
        this.reserved = reserved;
      });
    return this.reserving;
  }

  private async durably(version: number, what: string, write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (e) {
      this.finished.set(version, null);
      this.emitReady();
      throw storeErrorOf(e, `cannot write ${what}`);
    }
  }

  /** The change is durable: it takes effect in memory now and reaches subscribers in order. */
  private finish(change: Change): void {
    this.state.apply(change);
    this.finished.set(change.version, change);
    this.emitReady();
  }

  private emitReady(): void {
    while (this.finished.has(this.nextToEmit)) {
      const change = this.finished.get(this.nextToEmit);
      this.finished.delete(this.nextToEmit);
      this.nextToEmit++;
      if (change) {
        this.applied = change.version;
        this.listeners.emit(change);
      }
    }
  }

  private problem(message: string): void {
    this.problems.push(message);
    this.options.log?.(message);
  }

  /** Reads every record once: linear in the number of clients and plugins. */
  private async load(): Promise<void> {
    let reserved = 0;
    const meta = await readFile(this.path("meta.json"), "utf8").catch(() => undefined);
    if (meta !== undefined) {
      try {
        const r = parseJsonObject(meta, "meta.json").reserved;
        if (typeof r === "number" && Number.isSafeInteger(r)) reserved = r;
      } catch (e) {
        this.problem(`store/meta.json: ${(e as Error).message}`);
      }
    }
    let highest = 0;
    for (const file of await readdir(this.path("clients"))) {
      const path = this.path("clients", file);
      if (file.endsWith(TMP_SUFFIX)) {
        await unlink(path).catch(() => {});
        continue;
      }
      if (!file.endsWith(".json")) continue;
      try {
        const j = parseJsonObject(await readFile(path, "utf8"), file);
        if (j.id !== file.slice(0, -5)) throw new Error("id does not match the file name");
        if (j.deleted === true) {
          const t = {
            id: String(j.id),
            generation: Number(j.generation),
            version: Number(j.version),
          };
          if (!(t.generation >= 1 && t.version >= 1)) throw new Error("malformed tombstone");
          this.state.deletedClients.set(t.id, t);
          highest = Math.max(highest, t.version);
        } else {
          const c = clientFromJson(j);
          this.state.clients.set(c.id, c);
          highest = Math.max(highest, c.version);
        }
      } catch (e) {
        this.problem(`store/clients/${file} skipped: ${(e as Error).message}`);
      }
    }
    for (const id of await readdir(this.path("plugins"))) {
      highest = Math.max(highest, await this.loadPluginsOf(id));
    }
    this.applied = highest;
    this.allocated = Math.max(highest, reserved);
    this.nextToEmit = this.allocated + 1;
  }

  private async loadPluginsOf(id: string): Promise<number> {
    const client = this.state.clients.get(id);
    if (!client) {
      // A deleted client's plugins whose removal was cut short; unknown ids are left alone
      // (their client file may be corrupt, and deleting data on a guess is worse).
      if (this.state.deletedClients.has(id)) await removeTree(this.path("plugins", id));
      return 0;
    }
    let highest = 0;
    for (const gen of await readdir(this.path("plugins", id))) {
      if (gen !== String(client.generation)) {
        await removeTree(this.path("plugins", id, gen));
        continue;
      }
      const dir = this.pluginDir(client);
      const files: string[] = [];
      for (const file of await readdir(dir)) {
        if (file.endsWith(TMP_SUFFIX)) await unlink(join(dir, file)).catch(() => {});
        else if (file.endsWith(".json")) files.push(file);
      }
      // One client's files (at most its plugin limit) are read concurrently; still one pass.
      const texts = await Promise.all(
        files.map((f) => readFile(join(dir, f), "utf8").catch((e: Error) => e)),
      );
      for (const [i, file] of files.entries()) {
        try {
          const text = texts[i]!;
          if (text instanceof Error) throw text;
          const j = parseJsonObject(text, file);
          if (j.name !== file.slice(0, -5) || j.client !== id || j.generation !== client.generation)
            throw new Error("client, generation or name does not match the path");
          if (j.deleted === true) {
            const version = Number(j.version);
            this.state.apply({
              kind: "plugin-delete",
              version,
              client: id,
              generation: client.generation,
              name: String(j.name),
            });
            highest = Math.max(highest, version);
          } else {
            const plugin = pluginFromJson(j);
            this.state.apply({ kind: "plugin-put", version: plugin.version, plugin });
            highest = Math.max(highest, plugin.version);
          }
        } catch (e) {
          this.problem(`store/plugins/${id}/${gen}/${file} skipped: ${(e as Error).message}`);
        }
      }
    }
    return highest;
  }
}

export function checkIfMatch(
  client: string,
  name: string,
  current: PluginRecord | undefined,
  options: WriteOptions,
): void {
  if (options.ifMatch === undefined || options.ifMatch === current?.version) return;
  const now = current ? `version ${current.version}` : "no such plugin";
  throw new PreconditionFailed(
    `plugin '${client}/${name}': If-Match ${options.ifMatch} but ${now}`,
    current?.version ?? null,
  );
}
