// The PostgreSQL store, for a fleet of servers sharing one database. Every change is one
// transaction that first increments the single version row (serialising writers, so versions
// commit in order) and ends with NOTIFY kplug_changes '<version>'. Each node LISTENs on a
// dedicated connection and, on a notification, reads the changes after the last version it
// applied (changesSince) and hands them to its subscribers in order.
//
// The cache: every node holds all clients and plugins in process memory (a StoreState, loaded
// at open from one consistent snapshot, then kept current from the change feed). All reads are
// served from it, so a node that loses the database keeps serving what it has; writes then fail
// with StoreUnavailable. The listener reconnects with exponential backoff (with jitter) and,
// once connected, reads every version it missed before taking new notifications.

import pg from "pg";
import {
  StoreClosed,
  StoreError,
  StoreFull,
  StoreReadOnly,
  StoreUnavailable,
  UnknownClient,
} from "./errors.ts";
import { checkIfMatch } from "./file-store.ts";
import { KeyedQueue } from "./keyed-queue.ts";
import { redactSpec } from "./open.ts";
import {
  CLIENT_COLUMNS,
  type ClientRow,
  clientChange,
  clientFromRow,
  PLUGIN_COLUMNS,
  type PluginRow,
  pluginChange,
  pluginFromRow,
  wasmParam,
} from "./pg-rows.ts";
import { migrate } from "./pg-schema.ts";
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

export const CHANNEL = "kplug_changes";
const PAGE = 500;

export interface PgStoreOptions {
  log?: (message: string) => void;
  /** First reconnection delay; doubles per failure up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** A safety net: read changes this often even without a notification (0: never). */
  pollMs?: number;
  /** Bound on any query and on connecting, so a dead database is noticed in bounded time. */
  queryTimeoutMs?: number;
  connectTimeoutMs?: number;
}

export function pgErrorOf(e: unknown, what: string): Error {
  if (e instanceof StoreError) return e;
  const code = (e as { code?: string } | undefined)?.code ?? "";
  const message = `${what}: ${(e as Error)?.message ?? String(e)}`;
  if (code === "25006") return new StoreReadOnly(message, { cause: e });
  if (code === "53100") return new StoreFull(message, { cause: e });
  return new StoreUnavailable(message, { cause: e });
}

/** What a write transaction did; `changed: false` rolls back (the version is not used). */
type Outcome<T> = { changed: boolean; result: T };

export class PgStore extends StoreReads implements PluginStore {
  readonly kind = "postgres";
  readonly problems: string[] = [];
  protected readonly state = new StoreState();
  private readonly listeners: Listeners;
  private cursor = 0;
  private listener: pg.Client | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private backoffMs: number;
  private syncing: Promise<void> | null = null;
  private syncAgain = false;
  private closed = false;
  /** This node's writes to one client go to the database in the order they were made. */
  private readonly queue = new KeyedQueue();

  private constructor(
    private readonly url: string,
    private readonly pool: pg.Pool,
    private readonly options: PgStoreOptions,
  ) {
    super();
    this.backoffMs = options.backoffMs ?? 100;
    this.listeners = new Listeners((e) =>
      this.log(`store listener failed: ${(e as Error)?.message ?? e}`),
    );
  }

  static async open(url: string, options: PgStoreOptions = {}): Promise<PgStore> {
    const pool = new pg.Pool({
      connectionString: url,
      max: 4,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 3000,
      query_timeout: options.queryTimeoutMs ?? 10_000,
      idleTimeoutMillis: 30_000,
    });
    // An idle pooled connection cut by the server: the pool drops it; the next query reconnects.
    pool.on("error", () => {});
    const store = new PgStore(url, pool, options);
    try {
      await migrate(pool);
      await store.loadSnapshot();
      await store.connectListener();
    } catch (e) {
      await store.close();
      throw pgErrorOf(e, `cannot open the PostgreSQL store at ${redactSpec(url)}`);
    }
    const pollMs = options.pollMs ?? 10_000;
    if (pollMs > 0) {
      store.pollTimer = setInterval(() => store.sync().catch(() => {}), pollMs);
      store.pollTimer.unref();
    }
    return store;
  }

  get version(): number {
    return this.cursor;
  }

  /** Whether the change feed is connected (reads are served either way). */
  get connected(): boolean {
    return this.listener !== null;
  }

  async changesSince(version: number): Promise<Change[]> {
    return (await this.readChanges(version)).changes;
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

  private async writeClient(
    id: string,
    input: PutClientInput,
    mustExist: boolean,
  ): Promise<ClientRecord> {
    checkClientId(id);
    checkTokenHash(input.tokenSha256);
    const limits = input.limits === undefined ? undefined : checkLimits(input.limits);
    return this.transaction(id, `client '${id}'`, async (q, version) => {
      const old = (
        await q.query<ClientRow>(`SELECT ${CLIENT_COLUMNS} FROM kplug_clients WHERE id = $1`, [id])
      ).rows[0];
      const live = old && !old.deleted ? old : undefined;
      if (mustExist && !live) throw new UnknownClient(id);
      const now = new Date().toISOString();
      const record: ClientRecord = freezeRecord({
        id,
        generation: old ? (old.deleted ? old.generation + 1 : old.generation) : 1,
        tokenSha256: input.tokenSha256,
        limits: { ...(limits ?? live?.limits ?? {}) },
        version,
        created: live?.created ?? now,
        updated: now,
      });
      await q.query(
        `INSERT INTO kplug_clients (${CLIENT_COLUMNS}) VALUES ($1, $2, false, $3, $4, $5, $6, $7)
         ON CONFLICT (id) DO UPDATE SET generation = $2, deleted = false, token_sha256 = $3,
           limits = $4, version = $5, created = $6, updated = $7`,
        [
          id,
          record.generation,
          record.tokenSha256,
          JSON.stringify(record.limits),
          version,
          record.created,
          now,
        ],
      );
      return { changed: true, result: record };
    });
  }

  deleteClient(id: string): Promise<boolean> {
    checkClientId(id);
    return this.transaction(id, `deleting client '${id}'`, async (q, version) => {
      const r = await q.query(
        `UPDATE kplug_clients SET deleted = true, token_sha256 = NULL, limits = '{}', version = $2
         WHERE id = $1 AND NOT deleted`,
        [id, version],
      );
      if (r.rowCount === 0) return { changed: false, result: false };
      await q.query("DELETE FROM kplug_plugins WHERE client = $1", [id]);
      return { changed: true, result: true };
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
    return this.transaction(clientId, `plugin '${clientId}/${name}'`, async (q, version) => {
      const client = await this.liveClient(q, clientId);
      if (!client) throw new UnknownClient(clientId);
      const previous = await this.livePlugin(q, clientId, name);
      checkIfMatch(clientId, name, previous, options);
      const record = pluginRecord(client, name, version, source, compiled, previous);
      const c = record.compiled;
      await q.query(
        `INSERT INTO kplug_plugins (${PLUGIN_COLUMNS})
         VALUES ($1, $2, $3, false, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (client, name) DO UPDATE SET generation = $2, deleted = false, version = $4,
           source = $5, wasm = $6, compiler_version = $7, exports = $8, imports = $9,
           updated = $10, history = $11`,
        [
          clientId,
          client.generation,
          name,
          version,
          source,
          c ? wasmParam(c.wasm) : null,
          c?.compilerVersion ?? null,
          c ? JSON.stringify(c.exports) : null,
          c ? JSON.stringify(c.imports) : null,
          record.updated,
          JSON.stringify(record.history),
        ],
      );
      return { changed: true, result: record };
    });
  }

  deletePlugin(clientId: string, name: string, options: WriteOptions = {}): Promise<boolean> {
    checkClientId(clientId);
    checkPluginName(name);
    return this.transaction(
      clientId,
      `deleting plugin '${clientId}/${name}'`,
      async (q, version) => {
        const previous = await this.livePlugin(q, clientId, name);
        checkIfMatch(clientId, name, previous, options);
        if (!previous) return { changed: false, result: false };
        await q.query(
          `UPDATE kplug_plugins SET deleted = true, version = $3, source = NULL, wasm = NULL,
           compiler_version = NULL, exports = NULL, imports = NULL, history = '[]'
         WHERE client = $1 AND name = $2`,
          [clientId, name, version],
        );
        return { changed: true, result: true };
      },
    );
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
    if (this.closed) return Promise.reject(new StoreClosed());
    return this.queue.run(clientId, async () => {
      // One statement (its own transaction), guarded by the version: a newer upload committed
      // meanwhile, on any node, leaves the row alone. No version taken, no NOTIFY: not a change.
      let updated: number;
      try {
        const r = await this.pool.query(
          `UPDATE kplug_plugins SET wasm = $4, compiler_version = $5, exports = $6, imports = $7
           WHERE client = $1 AND name = $2 AND version = $3 AND NOT deleted`,
          [
            clientId,
            name,
            version,
            wasmParam(compiled.wasm),
            compiled.compilerVersion,
            JSON.stringify(compiled.exports),
            JSON.stringify(compiled.imports),
          ],
        );
        updated = r.rowCount ?? 0;
      } catch (e) {
        throw pgErrorOf(e, `cannot write the compiled module of '${clientId}/${name}'`);
      }
      const now = this.state.plugin(clientId, name);
      if (updated > 0 && now && now.version === version)
        this.state.apply({ kind: "plugin-put", version, plugin: withCompiled(now, compiled) });
      return updated > 0;
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.drain();
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.pollTimer) clearInterval(this.pollTimer);
    const listener = this.listener;
    this.listener = null;
    await this.syncing?.catch(() => {});
    await listener?.end().catch(() => {});
    await this.pool.end().catch(() => {});
  }

  private log(message: string): void {
    this.options.log?.(message);
  }

  private async liveClient(q: pg.PoolClient, id: string): Promise<ClientRecord | undefined> {
    const { rows } = await q.query<ClientRow>(
      `SELECT ${CLIENT_COLUMNS} FROM kplug_clients WHERE id = $1 AND NOT deleted`,
      [id],
    );
    return rows[0] && clientFromRow(rows[0]);
  }

  private async livePlugin(
    q: pg.PoolClient,
    client: string,
    name: string,
  ): Promise<PluginRecord | undefined> {
    const { rows } = await q.query<PluginRow>(
      `SELECT ${PLUGIN_COLUMNS} FROM kplug_plugins WHERE client = $1 AND name = $2 AND NOT deleted`,
      [client, name],
    );
    return rows[0] && pluginFromRow(rows[0]);
  }

  /**
   * One write: takes the next version (and with it the writers' lock), runs `body`, notifies
   * and commits; then brings this node's cache up to the new version before resolving.
   */
  private transaction<T>(
    clientId: string,
    what: string,
    body: (q: pg.PoolClient, version: number) => Promise<Outcome<T>>,
  ): Promise<T> {
    if (this.closed) return Promise.reject(new StoreClosed());
    return this.queue.run(clientId, () => this.runTransaction(what, body));
  }

  private async runTransaction<T>(
    what: string,
    body: (q: pg.PoolClient, version: number) => Promise<Outcome<T>>,
  ): Promise<T> {
    let q: pg.PoolClient;
    try {
      q = await this.pool.connect();
    } catch (e) {
      throw pgErrorOf(e, `cannot write ${what}`);
    }
    let broken = false;
    let outcome: Outcome<T>;
    try {
      await q.query("BEGIN");
      const { rows } = await q.query<{ version: string }>(
        "UPDATE kplug_version SET version = version + 1 RETURNING version",
      );
      const version = Number(rows[0]!.version);
      outcome = await body(q, version);
      if (outcome.changed) {
        await q.query("SELECT pg_notify($1, $2)", [CHANNEL, String(version)]);
        await q.query("COMMIT");
      } else {
        await q.query("ROLLBACK");
      }
    } catch (e) {
      await q.query("ROLLBACK").catch(() => {
        broken = true;
      });
      throw pgErrorOf(e, `cannot write ${what}`);
    } finally {
      q.release(broken);
    }
    // Committed: acknowledged even if the cache cannot catch up right now (it will later).
    if (outcome.changed)
      await this.sync().catch((e) => this.log(`store catch-up failed: ${(e as Error).message}`));
    return outcome.result;
  }

  /** Loads every record from one consistent snapshot, in pages. */
  private async loadSnapshot(): Promise<void> {
    const q = await this.pool.connect();
    let broken = false;
    try {
      await q.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      const { rows } = await q.query<{ version: string }>("SELECT version FROM kplug_version");
      const version = Number(rows[0]!.version);
      for (let after = ""; ; ) {
        const page = await q.query<ClientRow>(
          `SELECT ${CLIENT_COLUMNS} FROM kplug_clients WHERE id > $1 ORDER BY id LIMIT ${PAGE}`,
          [after],
        );
        for (const r of page.rows) this.state.apply(clientChange(r));
        if (page.rows.length < PAGE) break;
        after = page.rows[page.rows.length - 1]!.id;
      }
      for (let after = ["", ""]; ; ) {
        const page = await q.query<PluginRow>(
          `SELECT ${PLUGIN_COLUMNS} FROM kplug_plugins WHERE (client, name) > ($1, $2)
           ORDER BY client, name LIMIT ${PAGE}`,
          after,
        );
        for (const r of page.rows) this.state.apply(pluginChange(r));
        if (page.rows.length < PAGE) break;
        const last = page.rows[page.rows.length - 1]!;
        after = [last.client, last.name];
      }
      await q.query("COMMIT");
      this.cursor = version;
    } catch (e) {
      broken = true;
      throw e;
    } finally {
      q.release(broken);
    }
  }

  /**
   * The compacted changes after `version`, read in one snapshot: every version up to `upTo`
   * has committed (versions commit in order), so a cursor moved to `upTo` skips nothing.
   */
  private async readChanges(version: number): Promise<{ changes: Change[]; upTo: number }> {
    let q: pg.PoolClient;
    try {
      q = await this.pool.connect();
    } catch (e) {
      throw pgErrorOf(e, "cannot read changes");
    }
    let broken = false;
    try {
      await q.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      const top = await q.query<{ version: string }>("SELECT version FROM kplug_version");
      const clients = await q.query<ClientRow>(
        `SELECT ${CLIENT_COLUMNS} FROM kplug_clients WHERE version > $1`,
        [version],
      );
      const plugins = await q.query<PluginRow>(
        `SELECT ${PLUGIN_COLUMNS} FROM kplug_plugins WHERE version > $1`,
        [version],
      );
      await q.query("COMMIT");
      const changes = [...clients.rows.map(clientChange), ...plugins.rows.map(pluginChange)];
      changes.sort((a, b) => a.version - b.version);
      return { changes, upTo: Number(top.rows[0]!.version) };
    } catch (e) {
      broken = true;
      throw pgErrorOf(e, "cannot read changes");
    } finally {
      q.release(broken);
    }
  }

  /** Applies the changes after the cursor; concurrent calls share one run (plus one more). */
  private sync(): Promise<void> {
    if (this.syncing) {
      this.syncAgain = true;
      return this.syncing;
    }
    const run = async () => {
      try {
        do {
          this.syncAgain = false;
          const { changes, upTo } = await this.readChanges(this.cursor);
          for (const change of changes) {
            if (change.version <= this.cursor) continue;
            this.state.apply(change);
            this.cursor = change.version;
            this.listeners.emit(change);
          }
          this.cursor = Math.max(this.cursor, upTo);
        } while (this.syncAgain && !this.closed);
      } finally {
        this.syncing = null;
      }
    };
    this.syncing = run();
    return this.syncing;
  }

  private async connectListener(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.url,
      connectionTimeoutMillis: this.options.connectTimeoutMs ?? 3000,
      keepAlive: true,
    });
    const lost = () => this.listenerLost(client);
    client.on("error", lost);
    client.on("end", lost);
    client.on("notification", (n) => {
      if (n.channel === CHANNEL) this.sync().catch(() => {});
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (e) {
      await client.end().catch(() => {});
      throw e;
    }
    if (this.closed) {
      await client.end().catch(() => {});
      return;
    }
    this.listener = client;
    this.backoffMs = this.options.backoffMs ?? 100;
    // Everything committed while we were not listening.
    await this.sync().catch((e) => this.log(`store catch-up failed: ${(e as Error).message}`));
  }

  private listenerLost(client: pg.Client): void {
    if (this.listener !== client) return;
    this.listener = null;
    this.log("store: lost the database connection; serving cached data, reconnecting");
    client.end().catch(() => {});
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer) return;
    // Jitter: a fleet that lost the database together does not reconnect in lockstep.
    const delay = this.backoffMs / 2 + (Math.random() * this.backoffMs) / 2;
    this.reconnectTimer = setTimeout(async () => {
      this.reconnectTimer = null;
      try {
        await this.connectListener();
        if (this.listener) this.log("store: database connection restored");
      } catch {
        this.backoffMs = Math.min(this.backoffMs * 2, this.options.maxBackoffMs ?? 5000);
        this.scheduleReconnect();
      }
    }, delay);
    this.reconnectTimer.unref();
  }
}

/**
 * Creates or migrates the schema of the database at `url` without loading the store (what
 * `kplug store migrate` does before a fleet starts). Returns the migrations applied now.
 */
export async function migrateDatabase(
  url: string,
  options: Pick<PgStoreOptions, "connectTimeoutMs" | "queryTimeoutMs"> = {},
): Promise<string[]> {
  const pool = new pg.Pool({
    connectionString: url,
    max: 1,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 3000,
    query_timeout: options.queryTimeoutMs ?? 60_000,
  });
  pool.on("error", () => {});
  try {
    return await migrate(pool);
  } catch (e) {
    throw pgErrorOf(e, `cannot migrate the PostgreSQL store at ${redactSpec(url)}`);
  } finally {
    await pool.end().catch(() => {});
  }
}
