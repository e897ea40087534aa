// The in-memory picture of a store: live clients and plugins, plus the tombstones that make a
// deletion a change other nodes can see. FileStore keeps its authoritative copy here (applied
// only after the change is durable); PgStore keeps its cache here (applied as changes arrive).

import { createHash } from "node:crypto";
import {
  type Change,
  type ChangeListener,
  type ClientRecord,
  type CompiledPlugin,
  HISTORY_LIMIT,
  type PluginRecord,
} from "./types.ts";

export interface ClientTombstone {
  id: string;
  generation: number;
  version: number;
}

export interface PluginTombstone {
  client: string;
  generation: number;
  name: string;
  version: number;
}

export class StoreState {
  readonly clients = new Map<string, ClientRecord>();
  readonly plugins = new Map<string, Map<string, PluginRecord>>();
  readonly deletedClients = new Map<string, ClientTombstone>();
  /** Per client: plugin name -> tombstone (only for the client's live generation). */
  readonly deletedPlugins = new Map<string, Map<string, PluginTombstone>>();

  plugin(client: string, name: string): PluginRecord | undefined {
    return this.plugins.get(client)?.get(name);
  }

  /** The generation a new client with this id gets: one past any earlier life. */
  nextGeneration(id: string): number {
    const live = this.clients.get(id);
    if (live) return live.generation;
    return (this.deletedClients.get(id)?.generation ?? 0) + 1;
  }

  apply(change: Change): void {
    switch (change.kind) {
      case "client-put": {
        const c = change.client;
        const old = this.clients.get(c.id);
        if (old && old.generation !== c.generation) this.dropPluginsOf(c.id);
        this.clients.set(c.id, c);
        this.deletedClients.delete(c.id);
        break;
      }
      case "client-delete":
        this.clients.delete(change.id);
        this.dropPluginsOf(change.id);
        this.deletedClients.set(change.id, {
          id: change.id,
          generation: change.generation,
          version: change.version,
        });
        break;
      case "plugin-put": {
        const p = change.plugin;
        if (this.clients.get(p.client)?.generation !== p.generation) return;
        inner(this.plugins, p.client).set(p.name, p);
        this.deletedPlugins.get(p.client)?.delete(p.name);
        break;
      }
      case "plugin-delete": {
        if (this.clients.get(change.client)?.generation !== change.generation) return;
        this.plugins.get(change.client)?.delete(change.name);
        const { client, generation, name, version } = change;
        inner(this.deletedPlugins, client).set(name, { client, generation, name, version });
        break;
      }
    }
  }

  private dropPluginsOf(id: string): void {
    this.plugins.delete(id);
    this.deletedPlugins.delete(id);
  }

  /** The compacted log after `version`: latest record or tombstone per key, oldest first. */
  changesSince(version: number): Change[] {
    const out: Change[] = [];
    for (const c of this.clients.values()) {
      if (c.version > version) out.push({ kind: "client-put", version: c.version, client: c });
    }
    for (const t of this.deletedClients.values()) {
      if (t.version > version) out.push({ kind: "client-delete", ...t });
    }
    for (const byName of this.plugins.values()) {
      for (const p of byName.values()) {
        if (p.version > version) out.push({ kind: "plugin-put", version: p.version, plugin: p });
      }
    }
    for (const tombs of this.deletedPlugins.values()) {
      for (const t of tombs.values()) {
        if (t.version > version) out.push({ kind: "plugin-delete", ...t });
      }
    }
    return out.sort((a, b) => a.version - b.version);
  }
}

function inner<V>(outer: Map<string, Map<string, V>>, key: string): Map<string, V> {
  let map = outer.get(key);
  if (!map) {
    map = new Map();
    outer.set(key, map);
  }
  return map;
}

export const sha256Hex = (text: string): string => createHash("sha256").update(text).digest("hex");

/** The record of a new upload; the replaced one (if any) moves into its history. */
export function pluginRecord(
  client: Pick<ClientRecord, "id" | "generation">,
  name: string,
  version: number,
  source: string,
  compiled: CompiledPlugin | null,
  previous: PluginRecord | undefined,
  now = new Date().toISOString(),
): PluginRecord {
  const history = previous
    ? [
        {
          version: previous.version,
          updated: previous.updated,
          sourceSha256: sha256Hex(previous.source),
        },
        ...previous.history,
      ].slice(0, HISTORY_LIMIT)
    : [];
  return freezeRecord({
    client: client.id,
    generation: client.generation,
    name,
    version,
    source,
    compiled: compiled && copyCompiled(compiled),
    updated: now,
    history,
  });
}

/** The same record with another compiled module (cacheCompiled): version and source kept. */
export function withCompiled(record: PluginRecord, compiled: CompiledPlugin): PluginRecord {
  return freezeRecord({ ...record, compiled: copyCompiled(compiled) });
}

function copyCompiled(compiled: CompiledPlugin): CompiledPlugin {
  return {
    wasm: compiled.wasm,
    compilerVersion: compiled.compilerVersion,
    exports: compiled.exports.map((s) => ({ name: s.name, signature: s.signature })),
    imports: compiled.imports.map((s) => ({ name: s.name, signature: s.signature })),
  };
}

/** Freezes a record and its plain-data parts (the wasm bytes cannot be frozen: never write them). */
export function freezeRecord<T extends object>(record: T): T {
  for (const value of Object.values(record)) {
    if (value && typeof value === "object" && !ArrayBuffer.isView(value)) freezeRecord(value);
  }
  return Object.freeze(record);
}

/** Listeners of a store; one that throws is reported and never stops the others. */
export class Listeners {
  private readonly set = new Set<ChangeListener>();
  constructor(private readonly onError: (e: unknown) => void) {}

  add(listener: ChangeListener): () => void {
    this.set.add(listener);
    return () => this.set.delete(listener);
  }

  emit(change: Change): void {
    for (const l of this.set) {
      try {
        l(change);
      } catch (e) {
        this.onError(e);
      }
    }
  }
}

/** The reads both stores answer from their in-memory state (the same code for each). */
export abstract class StoreReads {
  protected abstract readonly state: StoreState;

  client(id: string): ClientRecord | undefined {
    return this.state.clients.get(id);
  }

  async *clients(): AsyncIterable<ClientRecord> {
    for (const c of this.state.clients.values()) yield c;
  }

  plugins(client: string): PluginRecord[] {
    return [...(this.state.plugins.get(client)?.values() ?? [])];
  }

  plugin(client: string, name: string): PluginRecord | undefined {
    return this.state.plugin(client, name);
  }
}
