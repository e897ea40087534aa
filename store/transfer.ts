// Moving a store's contents between stores (FileStore <-> PgStore) as JSON lines: a header
// line, then each client followed by its plugins (compiled wasm as base64). Import writes
// through the destination's ordinary API, so the destination assigns its own versions and
// generations, and an import into a live store reaches its subscribers like any upload.

import { InvalidRecord } from "./errors.ts";
import {
  clientFromJson,
  clientJson,
  compiledFromJson,
  parseJsonObject,
  pluginJson,
} from "./record-codec.ts";
import { checkClientId, checkPluginName, type PluginStore } from "./types.ts";

export const EXPORT_FORMAT = "kplug-store-export";

/** One JSON text per line (no trailing newline): the header, then clients and their plugins. */
export async function* exportStore(store: PluginStore): AsyncIterable<string> {
  yield JSON.stringify({
    type: EXPORT_FORMAT,
    format: 1,
    from: store.kind,
    version: store.version,
  });
  for await (const client of store.clients()) {
    yield JSON.stringify({ type: "client", ...clientJson(client) });
    for (const plugin of store.plugins(client.id)) {
      yield JSON.stringify({ type: "plugin", ...pluginJson(plugin) });
    }
  }
}

export interface ImportResult {
  clients: number;
  plugins: number;
}

/**
 * Writes every client and plugin of an export into `store` (existing ones with the same ids
 * and names are replaced). A malformed line stops the import with InvalidRecord naming it;
 * what was written before it stays written.
 */
export async function importStore(
  store: PluginStore,
  lines: AsyncIterable<string> | Iterable<string>,
): Promise<ImportResult> {
  const result: ImportResult = { clients: 0, plugins: 0 };
  let n = 0;
  let header = false;
  for await (const raw of lines) {
    n++;
    const line = raw.trim();
    if (line === "") continue;
    const j = parseJsonObject(line, `line ${n}`);
    try {
      if (!header) {
        if (j.type !== EXPORT_FORMAT || j.format !== 1)
          throw new InvalidRecord("not a kplug store export");
        header = true;
      } else if (j.type === "client") {
        const c = clientFromJson(j);
        await store.putClient(c.id, { tokenSha256: c.tokenSha256, limits: c.limits });
        result.clients++;
      } else if (j.type === "plugin") {
        checkClientId(j.client as string);
        checkPluginName(j.name as string);
        if (typeof j.source !== "string") throw new InvalidRecord("source must be a string");
        await store.putPlugin(
          j.client as string,
          j.name as string,
          j.source,
          compiledFromJson(j.compiled),
        );
        result.plugins++;
      } else {
        throw new InvalidRecord(`unknown record type '${String(j.type)}'`);
      }
    } catch (e) {
      if (e instanceof InvalidRecord) throw new InvalidRecord(`line ${n}: ${e.message}`);
      throw e;
    }
  }
  if (!header) throw new InvalidRecord("empty input: not a kplug store export");
  return result;
}
