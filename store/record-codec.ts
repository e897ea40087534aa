// Records as JSON text (the FileStore's files and the export format): wasm bytes as base64,
// and a strict reader that turns anything malformed into InvalidRecord instead of a record
// with holes in it.

import { InvalidRecord } from "./errors.ts";
import { freezeRecord } from "./state.ts";
import {
  type ClientRecord,
  type CompiledPlugin,
  checkClientId,
  checkCompiled,
  checkLimits,
  checkPluginName,
  checkTokenHash,
  type PluginHistoryEntry,
  type PluginRecord,
} from "./types.ts";

type Json = Record<string, unknown>;

export function clientJson(c: ClientRecord): Json {
  return { ...c, limits: { ...c.limits } };
}

export function pluginJson(p: PluginRecord): Json {
  const compiled = p.compiled && {
    ...p.compiled,
    wasm: Buffer.from(
      p.compiled.wasm.buffer,
      p.compiled.wasm.byteOffset,
      p.compiled.wasm.byteLength,
    ).toString("base64"),
  };
  return { ...p, compiled };
}

function positiveInt(v: unknown, what: string): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 1)
    throw new InvalidRecord(`${what} must be a positive integer`);
  return v;
}

function text(v: unknown, what: string): string {
  if (typeof v !== "string") throw new InvalidRecord(`${what} must be a string`);
  return v;
}

export function clientFromJson(j: Json): ClientRecord {
  checkClientId(j.id as string);
  checkTokenHash(j.tokenSha256 as string);
  return freezeRecord({
    id: j.id as string,
    generation: positiveInt(j.generation, "generation"),
    tokenSha256: j.tokenSha256 as string,
    limits: checkLimits(j.limits ?? {}),
    version: positiveInt(j.version, "version"),
    created: text(j.created, "created"),
    updated: text(j.updated, "updated"),
  });
}

export function compiledFromJson(v: unknown): CompiledPlugin | null {
  if (v === null || v === undefined) return null;
  const j = v as Json;
  const compiled = {
    wasm: new Uint8Array(Buffer.from(text(j.wasm, "compiled.wasm"), "base64")),
    compilerVersion: j.compilerVersion as string,
    exports: j.exports as CompiledPlugin["exports"],
    imports: j.imports as CompiledPlugin["imports"],
  };
  checkCompiled(compiled);
  return compiled;
}

export function pluginFromJson(j: Json): PluginRecord {
  checkClientId(j.client as string);
  checkPluginName(j.name as string);
  const history = Array.isArray(j.history) ? (j.history as PluginHistoryEntry[]) : [];
  return freezeRecord({
    client: j.client as string,
    generation: positiveInt(j.generation, "generation"),
    name: j.name as string,
    version: positiveInt(j.version, "version"),
    source: text(j.source, "source"),
    compiled: compiledFromJson(j.compiled),
    updated: text(j.updated, "updated"),
    history: history.map((h) => ({
      version: positiveInt(h?.version, "history version"),
      updated: text(h.updated, "history updated"),
      sourceSha256: text(h.sourceSha256, "history sourceSha256"),
    })),
  });
}

export function parseJsonObject(textIn: string, what: string): Json {
  let v: unknown;
  try {
    v = JSON.parse(textIn);
  } catch {
    throw new InvalidRecord(`${what}: not JSON`);
  }
  if (!v || typeof v !== "object" || Array.isArray(v))
    throw new InvalidRecord(`${what}: not a JSON object`);
  return v as Json;
}
