// Stored plugins that are being compiled and have no module to serve yet: at start-up, those
// whose stored module is missing or from another compiler version; later, a new plugin fed
// from another node running another compiler. The server listens before they are ready; a
// request that needs the runtime of a client with such plugins is answered 503 with a
// Retry-After (PluginsLoading), never with a runtime missing part of the client's code.
// Start-up progress is logged ("loading plugins: 400/1000") and shown by GET /healthz.

/** A client's runtime cannot be built yet: some of its plugins are still being compiled. */
export class PluginsLoading extends Error {
  constructor(
    readonly client: string,
    readonly plugins: readonly string[],
    readonly retryAfterSeconds: number,
  ) {
    super(
      `client '${client}': ${plugins.length} plugin(s) still being compiled after a start-up ` +
        `or compiler change (${plugins.slice(0, 5).join(", ")}${plugins.length > 5 ? ", ..." : ""}); retry shortly`,
    );
  }
}

/** How a compile of a stored plugin ended. */
export type CompileOutcome = "compiled" | "superseded" | "failed";

/** What GET /healthz shows of the start-up. */
export interface LoadingStatus {
  /** Every stored plugin has a module to serve (or was skipped: see problems). */
  ready: boolean;
  /** Stored plugins at start-up. */
  plugins: number;
  /** Of those, settled: serving (reused or compiled), or replaced or deleted meanwhile. */
  loaded: number;
  /** Start-up compiles that finished (their modules written back to the store). */
  compiled: number;
  /** Compiles still to do (start-up and fed), and skipped ones (did not compile). */
  compiling: number;
  skipped: number;
}

export class LoadingBook {
  /** Client id -> plugin name -> the store version being compiled. */
  private readonly pending = new Map<string, Map<string, number>>();
  /** Start-up: the position of each client's last plugin in the compile queue. */
  private readonly lastInQueue = new Map<string, number>();
  private total = 0;
  private loaded = 0;
  private skipped = 0;
  private startupDone = 0;
  private compiled = 0;
  private startedAt = 0;
  private loggedStep = 0;

  constructor(
    private readonly every: number,
    private readonly log: (message: string) => void,
  ) {}

  /** Start-up begins: `total` stored plugins, `reused` of which serve as they are. */
  begin(total: number, reused: number, queue: readonly string[]): void {
    this.total = total;
    this.loaded = reused;
    this.startedAt = performance.now();
    for (const [i, client] of queue.entries()) this.lastInQueue.set(client, i);
    if (total >= this.every || queue.length > 0)
      this.log(
        `loading plugins: ${reused}/${total} (${reused} stored modules reused, ` +
          `${queue.length} to compile for this compiler)`,
      );
    this.loggedStep = Math.floor(reused / this.every);
  }

  add(client: string, name: string, version: number): void {
    let byName = this.pending.get(client);
    if (!byName) {
      byName = new Map();
      this.pending.set(client, byName);
    }
    byName.set(name, version);
  }

  /** Nothing to wait for any more: a usable version arrived, or the plugin was deleted. */
  settle(client: string, name: string): void {
    const byName = this.pending.get(client);
    if (!byName?.delete(name)) return;
    if (byName.size === 0) this.pending.delete(client);
  }

  /** The compile of `version` ended (applied, superseded or failed). */
  remove(client: string, name: string, version: number): void {
    const byName = this.pending.get(client);
    if (byName?.get(name) !== version) return;
    byName.delete(name);
    if (byName.size === 0) this.pending.delete(client);
  }

  /** One start-up compile ended; a failed one is skipped (and reported elsewhere). */
  startupCompiled(outcome: CompileOutcome): void {
    this.startupDone++;
    if (outcome === "failed") this.skipped++;
    else this.loaded++;
    if (outcome === "compiled") this.compiled++;
    const step = Math.floor(this.loaded / this.every);
    if (step > this.loggedStep) {
      this.loggedStep = step;
      this.log(`loading plugins: ${this.loaded}/${this.total}`);
    }
  }

  startupFinished(compiled: number): void {
    if (compiled === 0 && this.total < this.every) return;
    const ms = Math.round(performance.now() - this.startedAt);
    this.log(
      `loading plugins: ${this.loaded}/${this.total} ready (${compiled} compiled in ${ms} ms` +
        `${this.skipped ? `, ${this.skipped} skipped` : ""})`,
    );
    this.lastInQueue.clear();
  }

  /** Throws PluginsLoading if the client has plugins still being compiled. */
  check(client: string): void {
    const byName = this.pending.get(client);
    if (!byName || byName.size === 0) return;
    throw new PluginsLoading(client, [...byName.keys()], this.retryAfter(client));
  }

  names(client: string): string[] {
    return [...(this.pending.get(client)?.keys() ?? [])];
  }

  status(): LoadingStatus {
    let compiling = 0;
    for (const byName of this.pending.values()) compiling += byName.size;
    return {
      ready: compiling === 0,
      plugins: this.total,
      loaded: this.loaded,
      compiled: this.compiled,
      compiling,
      skipped: this.skipped,
    };
  }

  /** Seconds until the client's last queued compile, at the rate seen so far (1..30). */
  private retryAfter(client: string): number {
    const last = this.lastInQueue.get(client);
    const seconds = (performance.now() - this.startedAt) / 1000;
    if (last === undefined || this.startupDone === 0 || seconds <= 0) return 1;
    const rate = this.startupDone / seconds;
    return Math.min(30, Math.max(1, Math.ceil((last + 1 - this.startupDone) / rate)));
  }
}
