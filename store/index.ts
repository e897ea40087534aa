// The plugin store's public face: clients, their plugins and the change feed, kept in a data
// directory (FileStore) or PostgreSQL (PgStore). Everything outside store/ enters here.

export {
  InvalidRecord,
  PreconditionFailed,
  StoreClosed,
  StoreError,
  StoreFull,
  StoreLocked,
  StoreReadOnly,
  StoreSchemaTooNew,
  StoreUnavailable,
  UnknownClient,
} from "./errors.ts";
export { FileStore, type FileStoreOptions } from "./file-store.ts";
export { MemoryStore, type MemoryStoreOptions } from "./memory-store.ts";
export {
  isDatabaseUrl,
  type MigrateResult,
  migrateStore,
  type OpenStoreOptions,
  openStore,
  redactSpec,
} from "./open.ts";
export type { PgStore, PgStoreOptions } from "./pg-store.ts";
export { sha256Hex } from "./state.ts";
export { EXPORT_FORMAT, exportStore, type ImportResult, importStore } from "./transfer.ts";
export {
  type Change,
  type ChangeListener,
  CLIENT_ID,
  type ClientLimits,
  type ClientRecord,
  type CompiledPlugin,
  HISTORY_LIMIT,
  PLUGIN_NAME,
  type PluginHistoryEntry,
  type PluginRecord,
  type PluginStore,
  type PluginSymbol,
  type PutClientInput,
  type WriteOptions,
} from "./types.ts";
