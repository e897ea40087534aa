// kplug serve: the kernel web server, node:http and no framework. This file is the wiring: it
// builds the parts (image store, transcode cache, plugin library, client registry, the plugin
// executor with its worker pool, optional native helper, metrics), mounts each resource's
// routes (routes/), and answers each request through the router, mapping failures to responses
// (errors.ts). The main thread parses, schedules and answers; plugins run only in workers.

import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { PluginFault } from "../kernel/index.ts";
import { MemoryStore, openStore, type PluginStore } from "../store/index.ts";
import { TranscodeCache } from "./cache.ts";
import { ClientRegistry, type ClientSettings, sha256 } from "./clients.ts";
import { compilerVersion } from "./compiler-version.ts";
import { errorResponse } from "./errors.ts";
import { buildHelper, PLUGINS_DIR, TranscoderHelper } from "./helper.ts";
import { type Handler, HttpError, JSON_TYPE, type RequestContext } from "./http.ts";
import { ImageStore } from "./images.ts";
import { PluginLibrary } from "./library.ts";
import {
  CLIENT_DEFAULTS,
  CLIENT_QUARANTINE,
  ConcurrencyGate,
  defaultLimits,
  ORIGINALS_CACHE_BYTES,
  REVALIDATE_MS,
  type SandboxLimits,
  type ServerLimits,
  TRANSCODE_CACHE_BYTES,
} from "./limits.ts";
import { LogBook } from "./log-book.ts";
import { PluginCounters } from "./plugin-counters.ts";
import { PoolExecutor } from "./pool-executor.ts";
import type { CacheLimits } from "./pool-protocol.ts";
import { JobFailed } from "./pool-protocol.ts";
import { QuarantineBook } from "./quarantine-book.ts";
import { REQUEST_ID_HEADER, requestIdOf } from "./request-id.ts";
import { Router } from "./router.ts";
import { mountAdmin } from "./routes/admin.ts";
import { mountClients } from "./routes/clients.ts";
import { mountImages } from "./routes/images.ts";
import { mountLogs } from "./routes/logs.ts";
import { Playground } from "./routes/playground.ts";
import { mountSession } from "./routes/session.ts";
import { mountStatus } from "./routes/status.ts";
import { SandboxSessions } from "./sandbox.ts";
import { ServerMetrics } from "./server-metrics.ts";
import { loadSharp } from "./sharp.ts";

export interface ServerOptions {
  imagesDir: string;
  pluginsDir?: string;
  /**
   * Where clients and plugins are kept: a PluginStore (the caller opens and closes it), or a
   * spec for openStore (a data directory, or a postgres:// URL). Default: the data directory's
   * store; without a data directory, a temporary one removed at close.
   */
  store?: PluginStore | string;
  /** The data directory: the default store, and where the native helper is built. */
  dataDir?: string;
  /** Tags stored compiled modules (default: the package version and a hash of cc/). */
  compilerVersion?: string;
  /** A start-up progress line every this many stored plugins (default 1000). */
  progressEvery?: number;
  /** Where the native helper is built (default: dataDir, else no helper). */
  buildDir?: string;
  cache?: boolean;
  cacheBytes?: number;
  /** How long an original kept in memory is served without a stat of its file (default 1 s). */
  revalidateMs?: number;
  limits?: Partial<ServerLimits>;
  /** Admin token for /admin; undefined disables the admin endpoints. */
  adminToken?: string;
  /** Clients to create at start-up (id -> token), e.g. from configuration. */
  clients?: Record<string, string>;
  clientDefaults?: Partial<ClientSettings>;
  /** Build and start the out-of-process helper (engine=helper). */
  helper?: boolean;
  log?: (message: string) => void;
  /** Called with each request's service time (request parsed -> response ended). */
  onServiceTime?: (sample: ServiceSample) => void;
  /** Plugin worker threads (default: os.availableParallelism()). */
  workers?: number;
  /**
   * A module (path or URL) exporting `setup(kernel)`, called in every plugin worker at start:
   * extra kernel exports for plugins, published with `{ group: HOST_EXTENSION_GROUP }`.
   */
  workerSetup?: string;
  /** Faults of a client plugin within a window that quarantine it (default CLIENT_QUARANTINE). */
  quarantine?: { faults: number; windowMs: number };
  /** Bounds of each worker's runtime cache (resident client runtimes). */
  runtimeCache?: Partial<CacheLimits>;
  /**
   * The playground's token-free sandbox sessions (POST /playground/session): their limits, or
   * false for none. Sandbox clients live in memory only (sandbox.ts).
   */
  sandbox?: Partial<SandboxLimits> | false;
}

export interface ServiceSample {
  route: string;
  engine: string;
  image: string | undefined;
  status: number;
  ms: number;
}

export class ImageServer {
  readonly metrics = new ServerMetrics();
  /** Calls, fuel and faults of every plugin that ran, per runtime (summed from job results). */
  readonly counters = new PluginCounters();
  /** The playground's sandbox sessions; undefined when switched off. */
  sandbox: SandboxSessions | undefined;
  /** What client plugins printed, per client, bounded (workers send it; log-book.ts). */
  readonly logs = new LogBook();
  /** Quarantined client plugins (faults are counted here; workers come and go). */
  readonly quarantine: QuarantineBook;
  readonly cache: TranscodeCache;
  readonly store: ImageStore;
  readonly limits: ServerLimits;
  readonly server: Server;
  /** Uploads and compile checks in progress, bounded together. */
  readonly uploads: ConcurrencyGate;
  /** SHA-256 of the admin token; undefined disables the admin routes. */
  readonly adminHash: Buffer | undefined;
  library!: PluginLibrary;
  clients!: ClientRegistry;
  /** Where clients and plugins are kept (store/). */
  pluginStore!: PluginStore;
  /** Closed (and a temporary directory removed) with the server when the server opened it. */
  private ownedStore: { tempDir?: string } | undefined;
  executor!: PoolExecutor;
  helper: TranscoderHelper | undefined;
  private readonly playground: Playground;
  private readonly router = new Router<Handler>();

  /**
   * The server as a node:http request handler, to embed it in an existing server or framework
   * (`http.createServer(imageServer.handler)`); `create()` alone never listens. Every request
   * given to it is answered.
   */
  readonly handler = (req: IncomingMessage, res: ServerResponse): void => {
    void this.handle(req, res);
  };

  private constructor(readonly options: ServerOptions) {
    this.quarantine = new QuarantineBook(options.quarantine ?? CLIENT_QUARANTINE);
    this.limits = { ...defaultLimits, ...options.limits };
    this.cache = new TranscodeCache(
      options.cacheBytes ?? TRANSCODE_CACHE_BYTES,
      options.cache ?? true,
    );
    this.store = new ImageStore(
      options.imagesDir,
      ORIGINALS_CACHE_BYTES,
      options.revalidateMs ?? REVALIDATE_MS,
    );
    this.uploads = new ConcurrencyGate(this.limits.maxConcurrentUploads);
    this.adminHash = options.adminToken ? sha256(options.adminToken) : undefined;
    const m = this.metrics;
    m.cacheHits.collect(() => [[undefined, this.cache.hits]]);
    m.cacheMisses.collect(() => [[undefined, this.cache.misses]]);
    m.cacheBytes.collect(() => [[undefined, this.cache.totalBytes]]);
    m.pluginCalls.collect(() => this.pluginSeries((s) => s.calls));
    m.pluginFuel.collect(() => this.pluginSeries((s) => s.fuelUsed));
    this.server = createServer(this.handler);
    // The playground first: it sees every request (timing, its ledger) before routing.
    this.playground = new Playground(this);
    this.playground.mount(this.router);
    mountStatus(this.router, this);
    mountImages(this.router, this);
    mountClients(this.router, this);
    mountLogs(this.router, this);
    mountSession(this.router, this);
    mountAdmin(this.router, this);
  }

  static async create(options: ServerOptions): Promise<ImageServer> {
    const s = new ImageServer(options);
    await s.start();
    return s;
  }

  private log(message: string): void {
    this.options.log?.(message);
  }

  private async start(): Promise<void> {
    // Images are decoded and encoded with sharp: missing, the server does not start.
    await loadSharp();
    const pluginsDir = this.options.pluginsDir ?? PLUGINS_DIR;
    this.library = await PluginLibrary.load(pluginsDir);
    for (const p of this.library.problems) this.log(`plugin library: ${p.file}: ${p.message}`);
    for (const m of this.library.modules)
      this.metrics.compile.observe({ origin: "library" }, m.compileMs / 1000);
    this.executor = new PoolExecutor({
      library: this.library,
      clients: () => this.clients,
      quarantine: this.quarantine,
      counters: this.counters,
      limits: this.limits,
      workers: this.options.workers ?? availableParallelism(),
      setup: this.options.workerSetup,
      cache: this.options.runtimeCache,
      log: (m) => this.log(m),
      logs: this.logs,
    });
    await this.openPluginStore();
    const sandbox = this.options.sandbox;
    if (sandbox !== false) {
      this.sandbox = new SandboxSessions(
        () => this.clients,
        sandbox,
        (m) => this.log(m),
      );
    }
    const sessions = this.sandbox;
    this.clients = new ClientRegistry({
      store: this.pluginStore,
      library: this.library,
      builder: this.executor,
      compilerVersion: this.options.compilerVersion ?? compilerVersion(),
      progressEvery: this.options.progressEvery,
      compileLanes: this.executor.pool.size,
      defaults: { ...CLIENT_DEFAULTS, ...this.options.clientDefaults },
      maxPluginsPerClient: this.limits.maxPluginsPerClient,
      sandbox: sessions && {
        store: new MemoryStore({ log: (m) => this.log(m) }),
        maxPlugins: sessions.limits.maxPlugins,
        maxUploadBytes: sessions.limits.maxUploadBytes,
        onUse: (id) => sessions.touch(id),
      },
      onDeleted: (id) => {
        sessions?.deleted(id);
        this.executor.forget(id);
        this.playground.ledger.forget(id);
      },
      log: (m) => this.log(m),
    });
    await this.clients.load();
    for (const [id, token] of Object.entries(this.options.clients ?? {})) {
      // Written only when it changes: every node of a fleet starts with the same list.
      if (this.pluginStore.client(id)?.tokenSha256 === sha256(token).toString("hex")) continue;
      await this.clients.upsertClient(id, { token });
    }
    const buildDir = this.options.buildDir ?? this.options.dataDir;
    if (this.options.helper && buildDir) {
      try {
        this.helper = new TranscoderHelper(await buildHelper(buildDir, pluginsDir));
      } catch (e) {
        this.log(`out-of-process helper unavailable: ${(e as Error).message}`);
      }
    }
  }

  /** Opens the configured store (StoreLocked and other StoreErrors propagate, workers closed). */
  private async openPluginStore(): Promise<void> {
    const given = this.options.store;
    if (given !== undefined && typeof given !== "string") {
      this.pluginStore = given;
      return;
    }
    const tempDir =
      given === undefined && this.options.dataDir === undefined
        ? mkdtempSync(join(tmpdir(), "kplug-store-"))
        : undefined;
    const spec = given ?? this.options.dataDir ?? tempDir!;
    try {
      this.pluginStore = await openStore(spec, { log: (m) => this.log(m) });
    } catch (e) {
      await this.executor.close();
      if (tempDir) rmSync(tempDir, { recursive: true, force: true });
      throw e;
    }
    this.ownedStore = { tempDir };
  }

  /** Library plugin and module names, which a client's plugin may not take. */
  isLibraryName(name: string): boolean {
    return this.library.moduleNames.has(name) || this.library.transforms.has(name);
  }

  onRequest(listener: (req: IncomingMessage, res: ServerResponse) => void): void {
    this.server.prependListener("request", listener);
  }

  private pluginSeries(pick: (s: { calls: number; fuelUsed: number }) => number) {
    const out: Array<[Record<string, string>, number]> = [];
    for (const [runtime, plugin, counts] of this.counters.entries())
      out.push([{ runtime, plugin }, pick(counts)]);
    return out;
  }

  async listen(port = 0, host = "127.0.0.1"): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, host, () => resolve());
    });
    const addr = this.server.address() as AddressInfo;
    return `http://${addr.family === "IPv6" ? `[${addr.address}]` : addr.address}:${addr.port}`;
  }

  /**
   * Settles when every stored plugin serves (start-up compiles of stale modules done). The
   * server answers before that: a client whose plugins are still compiling gets 503.
   */
  get ready(): Promise<void> {
    return this.clients.ready;
  }

  async close(): Promise<void> {
    this.logs.close();
    this.sandbox?.stop();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    await this.helper?.close();
    // Start-up compiles stop with the pool; their lanes end before the store closes.
    this.clients?.stop();
    await this.executor?.close();
    await this.clients?.ready.catch(() => {});
    if (this.ownedStore) {
      await this.pluginStore.close();
      const dir = this.ownedStore.tempDir;
      if (dir) rmSync(dir, { recursive: true, force: true });
      this.ownedStore = undefined;
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const start = process.hrtime.bigint();
    const note: RequestContext["note"] = { route: "unknown", engine: "none" };
    const requestId = requestIdOf(req);
    res.setHeader(REQUEST_ID_HEADER, requestId);
    res.once("finish", () => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      this.metrics.request(note.route, res.statusCode, ms / 1000);
      this.options.onServiceTime?.({
        route: note.route,
        engine: note.engine,
        image: note.image,
        status: res.statusCode,
        ms,
      });
    });
    try {
      const raw = req.url ?? "/";
      if (raw.length > this.limits.maxQueryBytes + 1024)
        throw new HttpError(414, { error: "uri-too-long" });
      const url = new URL(raw, "http://kplug.invalid");
      const match = this.router.match(req.method ?? "GET", url.pathname);
      if (match === undefined)
        throw new HttpError(404, { error: "not-found", message: `no route for ${url.pathname}` });
      if (match === "method") {
        res.setHeader("Allow", this.router.allowed(url.pathname).join(", "));
        throw new HttpError(405, { error: "method-not-allowed" });
      }
      note.route = match.name;
      await match.handler({ req, res, url, params: match.params, note, requestId });
    } catch (e) {
      this.fail(res, e, note);
    }
  }

  private fail(res: ServerResponse, e: unknown, note: RequestContext["note"]): void {
    // Each fault counts with its place in the C source as the exemplar (OpenMetrics).
    const place = (f: { function?: string; file?: string; line?: number; col?: number }) => ({
      function: f.function ?? "",
      file: f.file ?? "",
      line: f.line ?? "",
      col: f.col ?? "",
    });
    if (e instanceof PluginFault) {
      const labels = { runtime: e.runtime, plugin: e.plugin, kind: e.kind };
      this.metrics.faults.incWithExemplar(labels, place(e));
    }
    if (e instanceof JobFailed && e.error.kind === "plugin-fault") {
      const { runtime = "", plugin = "", fault = "" } = e.error;
      this.metrics.faults.incWithExemplar({ runtime, plugin, kind: fault }, place(e.error));
    }
    let answer = errorResponse(e);
    if (answer === undefined) {
      this.log(`internal error on ${note.route}: ${(e as Error)?.stack ?? e}`);
      answer = [500, { error: "internal", message: "internal server error" }];
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const text = JSON.stringify(answer[1]);
    res.writeHead(answer[0], {
      ...answer[2],
      "Content-Type": JSON_TYPE,
      "Content-Length": Buffer.byteLength(text),
    });
    res.end(text);
  }
}
