// The records a plugin store keeps and the one interface both stores implement. Records are
// plain data (JSON apart from the wasm bytes) so that they cross processes, databases and
// export files unchanged. Records handed out are frozen: the store's cache is never mutated
// from outside.

import { InvalidRecord } from "./errors.ts";

export const CLIENT_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;
export const PLUGIN_NAME = /^[a-z][a-z0-9_]{0,31}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;
/** Previous versions remembered per plugin (metadata only, newest first). */
export const HISTORY_LIMIT = 16;

/** Per-client limits; the server fills absent ones from its defaults. */
export interface ClientLimits {
  /** Fuel budget per plugin upcall. */
  fuel?: number;
  /** Memory limit of the client's runtime, bytes. */
  memory?: number;
  /** Requests per second. */
  rate?: number;
}

export interface ClientRecord {
  readonly id: string;
  /** Starts at 1 and grows each time the id is deleted and created again. */
  readonly generation: number;
  /** SHA-256 of the bearer token, lowercase hex; the token itself is never stored. */
  readonly tokenSha256: string;
  readonly limits: Readonly<ClientLimits>;
  /** Store version of the client's last change. */
  readonly version: number;
  readonly created: string;
  readonly updated: string;
}

/** An exported or imported function of a compiled plugin, as the linker describes it. */
export interface PluginSymbol {
  readonly name: string;
  readonly signature: string;
}

export interface CompiledPlugin {
  readonly wasm: Uint8Array;
  /** The compiled module is reused only while this matches the running compiler. */
  readonly compilerVersion: string;
  readonly exports: readonly PluginSymbol[];
  readonly imports: readonly PluginSymbol[];
}

export interface PluginHistoryEntry {
  readonly version: number;
  readonly updated: string;
  readonly sourceSha256: string;
}

export interface PluginRecord {
  readonly client: string;
  /** The owning client's generation: a record of an older generation is dead data. */
  readonly generation: number;
  readonly name: string;
  /** Store version of this upload: the plugin's version id (ETags and cache keys use it). */
  readonly version: number;
  readonly source: string;
  /** Null when only the source is known (e.g. imported from an old data directory). */
  readonly compiled: CompiledPlugin | null;
  readonly updated: string;
  /** Earlier uploads of this name in this generation, newest first, at most HISTORY_LIMIT. */
  readonly history: readonly PluginHistoryEntry[];
}

/**
 * One change, numbered by the store's global version. A node behind by several versions may
 * receive only the latest change per client/plugin (the log is compacted to current state
 * plus tombstones), always in increasing version order.
 */
export type Change =
  | { readonly kind: "client-put"; readonly version: number; readonly client: ClientRecord }
  | {
      readonly kind: "client-delete";
      readonly version: number;
      readonly id: string;
      readonly generation: number;
    }
  | { readonly kind: "plugin-put"; readonly version: number; readonly plugin: PluginRecord }
  | {
      readonly kind: "plugin-delete";
      readonly version: number;
      readonly client: string;
      readonly generation: number;
      readonly name: string;
    };

export type ChangeListener = (change: Change) => void;

export interface PutClientInput {
  tokenSha256: string;
  /** Replaces the client's limits when given; kept otherwise. */
  limits?: ClientLimits;
}

export interface WriteOptions {
  /** Proceed only if the plugin's current version is this one (HTTP If-Match). */
  ifMatch?: number;
}

export interface PluginStore {
  /** "file" or "postgres", for logs and /health. */
  readonly kind: string;
  /** Highest version this node has applied. */
  readonly version: number;
  /** Problems met while loading (corrupt entries skipped), for /health. */
  readonly problems: readonly string[];

  client(id: string): ClientRecord | undefined;
  /** Every client, one at a time (100,000 clients are never copied into one object). */
  clients(): AsyncIterable<ClientRecord>;
  plugins(client: string): PluginRecord[];
  plugin(client: string, name: string): PluginRecord | undefined;
  /** Changes after `version`, oldest first (compacted: the latest per key, plus tombstones). */
  changesSince(version: number): Promise<Change[]>;
  /** Every applied change, in version order; returns the unsubscribe function. */
  subscribe(listener: ChangeListener): () => void;

  /** Creates the client, or updates its token hash and limits. */
  putClient(id: string, input: PutClientInput): Promise<ClientRecord>;
  rotateToken(id: string, tokenSha256: string): Promise<ClientRecord>;
  /** Deletes the client and all its plugins; false if there was none. */
  deleteClient(id: string): Promise<boolean>;
  putPlugin(
    client: string,
    name: string,
    source: string,
    compiled: CompiledPlugin | null,
    options?: WriteOptions,
  ): Promise<PluginRecord>;
  deletePlugin(client: string, name: string, options?: WriteOptions): Promise<boolean>;
  /**
   * Replaces the compiled module cached with plugin version `version` (a recompile by a newer
   * compiler). The module is a cache of that version's source, so the version id, the source,
   * the history and every ETag stay as they are, and no change is fed to subscribers (other
   * nodes read it when they next load the store). Durable before it resolves, like any write.
   * False, changing nothing, when the plugin is no longer at that version (replaced or gone).
   */
  cacheCompiled(
    client: string,
    name: string,
    version: number,
    compiled: CompiledPlugin,
  ): Promise<boolean>;

  close(): Promise<void>;
}

export function checkClientId(id: string): void {
  if (typeof id !== "string" || !CLIENT_ID.test(id))
    throw new InvalidRecord(`client ids are [a-z0-9][a-z0-9_-]{0,63} (got '${String(id)}')`);
}

export function checkPluginName(name: string): void {
  if (typeof name !== "string" || !PLUGIN_NAME.test(name))
    throw new InvalidRecord(`plugin names are [a-z][a-z0-9_]{0,31} (got '${String(name)}')`);
}

export function checkTokenHash(hash: string): void {
  if (typeof hash !== "string" || !SHA256_HEX.test(hash))
    throw new InvalidRecord("a token hash is 64 lowercase hex digits (SHA-256)");
}

export function checkLimits(limits: unknown): ClientLimits {
  if (limits === undefined) return {};
  if (!limits || typeof limits !== "object") throw new InvalidRecord("limits must be an object");
  const out: ClientLimits = {};
  for (const key of ["fuel", "memory", "rate"] as const) {
    const v = (limits as Record<string, unknown>)[key];
    if (v === undefined) continue;
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v <= 0)
      throw new InvalidRecord(`limit '${key}' must be a positive integer`);
    out[key] = v;
  }
  return out;
}

export function checkCompiled(compiled: CompiledPlugin | null, required = false): void {
  if (compiled === null && !required) return;
  if (!compiled) throw new InvalidRecord("a compiled module is required");
  const ok =
    compiled.wasm instanceof Uint8Array &&
    typeof compiled.compilerVersion === "string" &&
    Array.isArray(compiled.exports) &&
    Array.isArray(compiled.imports) &&
    [...compiled.exports, ...compiled.imports].every(
      (s) => s && typeof s.name === "string" && typeof s.signature === "string",
    );
  if (!ok) throw new InvalidRecord("compiled plugin: wasm bytes, compiler version, symbols");
}
