// Every way a store operation can fail, as a typed error. Callers (the server, the CLI) map
// these to HTTP statuses or exit codes; none of them is a crash. `code` is stable text for logs.

export class StoreError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The backing store cannot be reached (database down, I/O error): retry later. */
export class StoreUnavailable extends StoreError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("store-unavailable", message, options);
  }
}

/** The data directory or database refuses writes; nothing was changed. */
export class StoreReadOnly extends StoreError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("store-read-only", message, options);
  }
}

/** No space left (disk, quota, database disk full); nothing was changed. */
export class StoreFull extends StoreError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("store-full", message, options);
  }
}

/** Another process holds the data directory. */
export class StoreLocked extends StoreError {
  constructor(
    message: string,
    readonly holderPid?: number,
  ) {
    super("store-locked", message);
  }
}

/** An If-Match version did not match the current one (`current` is null when absent). */
export class PreconditionFailed extends StoreError {
  constructor(
    message: string,
    readonly current: number | null,
  ) {
    super("precondition-failed", message);
  }
}

/** The client id names no (live) client. */
export class UnknownClient extends StoreError {
  constructor(readonly clientId: string) {
    super("unknown-client", `no client '${clientId}'`);
  }
}

/** A malformed argument or import line (bad id, bad name, bad hash, bad JSON). */
export class InvalidRecord extends StoreError {
  constructor(message: string) {
    super("invalid-record", message);
  }
}

/** The database schema was migrated by a newer kplug than this one. */
export class StoreSchemaTooNew extends StoreError {
  constructor(message: string) {
    super("schema-too-new", message);
  }
}

/** The store was closed; no more operations. */
export class StoreClosed extends StoreError {
  constructor() {
    super("store-closed", "the store is closed");
  }
}
