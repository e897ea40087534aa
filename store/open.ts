// Choosing a store from one setting (`--store`, KPLUG_STORE): a postgres:// or postgresql://
// URL opens PgStore; anything else is a data directory path for FileStore.

import { FileStore, type FileStoreOptions } from "./file-store.ts";
import type { PgStoreOptions } from "./pg-store.ts";
import type { PluginStore } from "./types.ts";

export type OpenStoreOptions = FileStoreOptions & PgStoreOptions;

export function isDatabaseUrl(spec: string): boolean {
  return /^postgres(ql)?:\/\//i.test(spec);
}

/** The spec without a URL's password, for messages and logs. */
export function redactSpec(spec: string): string {
  return spec.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");
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

export interface MigrateResult {
  kind: "file" | "postgres";
  /** Schema migrations applied now ("1: version counter, ..."); empty when up to date. */
  applied: string[];
}

/**
 * Prepares a store for use: a database gets its schema created or migrated (nothing else is
 * read); a data directory gets its layout, and an old-layout directory is imported once.
 */
export async function migrateStore(
  spec: string,
  options: OpenStoreOptions = {},
): Promise<MigrateResult> {
  if (!isDatabaseUrl(spec)) {
    await (await FileStore.open(spec, options)).close();
    return { kind: "file", applied: [] };
  }
  const { migrateDatabase } = await import("./pg-store.ts");
  return { kind: "postgres", applied: await migrateDatabase(spec, options) };
}
