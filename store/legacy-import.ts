// Data directories written before the store existed kept `clients/<id>/client.json`
// ({ id, tokenSha256, settings: { fuel, memory } }) and `clients/<id>/plugins/<name>.c`.
// The first time a FileStore opens such a directory it copies them in (sources only: they
// are compiled again at start-up); the old files stay where they are, unread afterwards.

import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseJsonObject } from "./record-codec.ts";
import { CLIENT_ID, checkLimits, PLUGIN_NAME, type PluginStore } from "./types.ts";

export async function importLegacyClients(
  dataDir: string,
  store: PluginStore,
  problem: (message: string) => void,
): Promise<number> {
  const root = join(dataDir, "clients");
  const ids = await readdir(root).catch(() => [] as string[]);
  let imported = 0;
  for (const id of ids.sort()) {
    if (!CLIENT_ID.test(id)) continue;
    try {
      const j = parseJsonObject(
        await readFile(join(root, id, "client.json"), "utf8"),
        "client.json",
      );
      const settings = (j.settings ?? {}) as Record<string, unknown>;
      await store.putClient(id, {
        tokenSha256: String(j.tokenSha256),
        limits: checkLimits({ fuel: settings.fuel, memory: settings.memory }),
      });
      const files = await readdir(join(root, id, "plugins")).catch(() => [] as string[]);
      for (const f of files.sort()) {
        const name = f.slice(0, -2);
        if (!f.endsWith(".c") || !PLUGIN_NAME.test(name)) continue;
        await store.putPlugin(id, name, await readFile(join(root, id, "plugins", f), "utf8"), null);
      }
      imported++;
    } catch (e) {
      problem(`old data directory: client '${id}' not imported: ${(e as Error).message}`);
    }
  }
  return imported;
}
