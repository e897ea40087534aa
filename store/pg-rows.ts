// Rows of the PostgreSQL tables <-> store records and changes.

import { freezeRecord } from "./state.ts";
import type {
  Change,
  ClientRecord,
  PluginHistoryEntry,
  PluginRecord,
  PluginSymbol,
} from "./types.ts";

export const CLIENT_COLUMNS =
  "id, generation, deleted, token_sha256, limits, version, created, updated";
export const PLUGIN_COLUMNS =
  "client, generation, name, deleted, version, source, wasm, compiler_version, exports, imports, updated, history";

export interface ClientRow {
  id: string;
  generation: number;
  deleted: boolean;
  token_sha256: string | null;
  limits: Record<string, number>;
  version: string;
  created: string;
  updated: string;
}

export interface PluginRow {
  client: string;
  generation: number;
  name: string;
  deleted: boolean;
  version: string;
  source: string | null;
  wasm: Buffer | null;
  compiler_version: string | null;
  exports: PluginSymbol[] | null;
  imports: PluginSymbol[] | null;
  updated: string | null;
  history: PluginHistoryEntry[];
}

export function clientFromRow(r: ClientRow): ClientRecord {
  return freezeRecord({
    id: r.id,
    generation: r.generation,
    tokenSha256: r.token_sha256 ?? "",
    limits: { ...r.limits },
    version: Number(r.version),
    created: r.created,
    updated: r.updated,
  });
}

export function pluginFromRow(r: PluginRow): PluginRecord {
  return freezeRecord({
    client: r.client,
    generation: r.generation,
    name: r.name,
    version: Number(r.version),
    source: r.source ?? "",
    compiled:
      r.wasm === null
        ? null
        : {
            // A copy: pg's Buffers may be views of a shared slab kept alive by the cache.
            wasm: new Uint8Array(r.wasm),
            compilerVersion: r.compiler_version ?? "",
            exports: r.exports ?? [],
            imports: r.imports ?? [],
          },
    updated: r.updated ?? "",
    history: r.history,
  });
}

export function clientChange(r: ClientRow): Change {
  const version = Number(r.version);
  return r.deleted
    ? { kind: "client-delete", version, id: r.id, generation: r.generation }
    : { kind: "client-put", version, client: clientFromRow(r) };
}

export function pluginChange(r: PluginRow): Change {
  const version = Number(r.version);
  return r.deleted
    ? { kind: "plugin-delete", version, client: r.client, generation: r.generation, name: r.name }
    : { kind: "plugin-put", version, plugin: pluginFromRow(r) };
}

export function wasmParam(wasm: Uint8Array): Buffer {
  return Buffer.from(wasm.buffer, wasm.byteOffset, wasm.byteLength);
}
