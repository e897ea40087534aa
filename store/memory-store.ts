// A store that lives in process memory only: for what need not survive a restart (the
// playground's sandbox clients, httpd/sandbox.ts). It keeps every invariant of the other two
// (versions that only grow, generations that grow when an id comes back, frozen records, the
// change feed in version order, typed errors); it only forgets old tombstones: past
// `maxTombstones` deleted clients the oldest tombstones go, and the highest generation they
// held becomes a floor every new client starts above, so an id never gets a generation back.

import { StoreClosed, UnknownClient } from "./errors.ts";
import { checkIfMatch } from "./file-store.ts";
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

export interface MemoryStoreOptions {
  /** Deleted clients whose tombstones are kept (default 1024). */
  maxTombstones?: number;
  log?: (message: string) => void;
}

export class MemoryStore extends StoreReads implements PluginStore {
  readonly kind = "memory";
  readonly problems: string[] = [];
  protected readonly state = new StoreState();
  private readonly listeners: Listeners;
  private applied = 0;
  /** Every generation a forgotten tombstone held is below this. */
  private generationFloor = 0;
  private closed = false;

  constructor(private readonly options: MemoryStoreOptions = {}) {
    super();
    this.listeners = new Listeners((e) =>
      options.log?.(`store listener failed: ${(e as Error)?.message ?? e}`),
    );
  }

  get version(): number {
    return this.applied;
  }

  async changesSince(version: number): Promise<Change[]> {
    return this.state.changesSince(version);
  }

  subscribe(listener: ChangeListener): () => void {
    return this.listeners.add(listener);
  }

  async putClient(id: string, input: PutClientInput): Promise<ClientRecord> {
    return this.writeClient(id, input, false);
  }

  async rotateToken(id: string, tokenSha256: string): Promise<ClientRecord> {
    return this.writeClient(id, { tokenSha256 }, true);
  }

  private writeClient(id: string, input: PutClientInput, mustExist: boolean): ClientRecord {
    this.check();
    checkClientId(id);
    checkTokenHash(input.tokenSha256);
    const limits = input.limits === undefined ? undefined : checkLimits(input.limits);
    const old = this.state.clients.get(id);
    if (mustExist && !old) throw new UnknownClient(id);
    const now = new Date().toISOString();
    const generation = old
      ? old.generation
      : Math.max(this.state.nextGeneration(id), this.generationFloor + 1);
    const record: ClientRecord = freezeRecord({
      id,
      generation,
      tokenSha256: input.tokenSha256,
      limits: { ...(limits ?? old?.limits ?? {}) },
      version: this.applied + 1,
      created: old?.created ?? now,
      updated: now,
    });
    this.emit({ kind: "client-put", version: record.version, client: record });
    return record;
  }

  async deleteClient(id: string): Promise<boolean> {
    this.check();
    checkClientId(id);
    const old = this.state.clients.get(id);
    if (!old) return false;
    this.emit({ kind: "client-delete", version: this.applied + 1, id, generation: old.generation });
    this.forgetOldTombstones();
    return true;
  }

  async putPlugin(
    clientId: string,
    name: string,
    source: string,
    compiled: CompiledPlugin | null,
    options: WriteOptions = {},
  ): Promise<PluginRecord> {
    this.check();
    checkClientId(clientId);
    checkPluginName(name);
    checkCompiled(compiled);
    const client = this.state.clients.get(clientId);
    if (!client) throw new UnknownClient(clientId);
    const previous = this.state.plugin(clientId, name);
    checkIfMatch(clientId, name, previous, options);
    const record = pluginRecord(client, name, this.applied + 1, source, compiled, previous);
    this.emit({ kind: "plugin-put", version: record.version, plugin: record });
    return record;
  }

  async deletePlugin(clientId: string, name: string, options: WriteOptions = {}): Promise<boolean> {
    this.check();
    checkClientId(clientId);
    checkPluginName(name);
    const client = this.state.clients.get(clientId);
    const previous = this.state.plugin(clientId, name);
    checkIfMatch(clientId, name, previous, options);
    if (!client || !previous) return false;
    this.emit({
      kind: "plugin-delete",
      version: this.applied + 1,
      client: clientId,
      generation: client.generation,
      name,
    });
    return true;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  async cacheCompiled(
    clientId: string,
    name: string,
    version: number,
    compiled: CompiledPlugin,
  ): Promise<boolean> {
    this.check();
    checkClientId(clientId);
    checkPluginName(name);
    checkCompiled(compiled, true);
    const current = this.state.plugin(clientId, name);
    if (!this.state.clients.has(clientId) || current?.version !== version) return false;
    // Not a change (same version): memory follows, subscribers are not told.
    this.state.apply({ kind: "plugin-put", version, plugin: withCompiled(current, compiled) });
    return true;
  }

  private check(): void {
    if (this.closed) throw new StoreClosed();
  }

  /** Applies a change (writes are synchronous, so versions are emitted in order). */
  private emit(change: Change): void {
    this.state.apply(change);
    this.applied = change.version;
    this.listeners.emit(change);
  }

  private forgetOldTombstones(): void {
    const max = this.options.maxTombstones ?? 1024;
    const tombs = this.state.deletedClients;
    // A Map iterates in insertion order: the oldest deletions first.
    for (const [id, t] of tombs) {
      if (tombs.size <= max) return;
      this.generationFloor = Math.max(this.generationFloor, t.generation);
      tombs.delete(id);
    }
  }
}
