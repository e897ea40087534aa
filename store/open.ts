// Choosing a store from one setting (`--store`, KPLUG_STORE): a postgres:// or postgresql://
// URL opens PgStore; anything else is a data directory path for FileStore.

import { FileStore, type FileStoreOptions } from "./file-store.ts";
import type { PgStoreOptions } from "./pg-store.ts";
import type { PluginStore } from "./types.ts";

export type OpenStoreOptions = FileStoreOptions & PgStoreOptions;

export function isDatabaseUrl(spec: string): boolean {
  return /^postgres(ql)?:\/\//i.test(spec);
}

export async function openStore(
  spec: string,
  options: OpenStoreOptions = {},
): Promise<PluginStore> {
  if (!isDatabaseUrl(spec)) return FileStore.open(spec, options);
  // `pg` is an optional peer dependency: loaded only by those who name a database.
  const { PgStore } = await import("./pg-store.ts");
  return PgStore.open(spec, options);
}
