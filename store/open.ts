// Choosing a store from one setting (`--store`, KPLUG_STORE): a postgres:// or postgresql://
// URL opens PgStore; anything else is a data directory path for FileStore.

import { FileStore, type FileStoreOptions } from "./file-store.ts";
import { PgStore, type PgStoreOptions } from "./pg-store.ts";
import type { PluginStore } from "./types.ts";

export type OpenStoreOptions = FileStoreOptions & PgStoreOptions;

export function isDatabaseUrl(spec: string): boolean {
  return /^postgres(ql)?:\/\//i.test(spec);
}

export async function openStore(
  spec: string,
  options: OpenStoreOptions = {},
): Promise<PluginStore> {
  return isDatabaseUrl(spec) ? PgStore.open(spec, options) : FileStore.open(spec, options);
}
