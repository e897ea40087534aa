// kplug serve: the kernel web server. node:http, no framework. Serves an image directory and
// adapts images per request with plugin chains run in runtimes (the shared library runtime,
// or a client's own), with a byte-bounded cache and ETags, client plugin uploads, /metrics.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { compile } from "../cc/index.ts";
import type { Runtime } from "../kernel/index.ts";
import { Kernel, PluginFault, QuarantineError, UnlinkedSymbolError } from "../kernel/index.ts";
import { etagFor, etagMatches, TranscodeCache } from "./cache.ts";
import {
  bearerToken,
  CLIENT_ID,
  type ClientSettings,
  ClientStore,
  Conflict,
  PLUGIN_NAME,
  sha256,
  tokenMatches,
  UploadRejected,
} from "./clients.ts";
import {
  CONTENT_TYPES,
  encodeImage,
  encodePnm,
  ImageDecodeError,
  type ImageFormat,
  type RawImage,
} from "./codecs.ts";
import { buildHelper, HelperError, PLUGINS_DIR, TranscoderHelper } from "./helper.ts";
import { IMAGE_BUFFER_GROUP, installImageBuffers } from "./image-buffers.ts";
import { ForbiddenPath, ImageNotFound, ImageStore } from "./images.ts";
import { JS_TRANSFORMS } from "./js-transforms.ts";
import { IMAGE_INCLUDES, PluginLibrary } from "./library.ts";
import { ConcurrencyGate, defaultLimits, type ServerLimits } from "./limits.ts";
import { Registry } from "./metrics.ts";
import { Playground } from "./playground.ts";
import { TRANSFORM_ERRORS } from "./plugin-abi.ts";
import {
  BadPluginOutput,
  detached,
  RuntimeMemoryExhausted,
  runChain,
  TransformRejected,
} from "./plugin-runner.ts";
import { PathRefused, type RouteParams, Router } from "./router.ts";
import {
  BadRequest,
  formatCandidates,
  negotiateFormat,
  PROFILES,
  planFromQuery,
  planKey,
  type TranscodePlan,
} from "./transcode.ts";

export interface ServerOptions {
  imagesDir: string;
  pluginsDir?: string;
  /** Client records and uploaded plugins persist here; undefined keeps them in memory. */
  dataDir?: string;
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
}

export interface ServiceSample {
  route: string;
  engine: string;
  image: string | undefined;
  status: number;
  ms: number;
}

type Handler = (ctx: RequestContext) => Promise<void>;

interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: RouteParams;
  /** Filled by handlers for metrics and service-time samples. */
  note: { route: string; engine: string; image?: string };
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.message ?? body.error));
  }
}

const JSON_TYPE = "application/json; charset=utf-8";

export class ImageServer {
  readonly kernel = new Kernel();
  readonly metrics = new Registry();
  readonly cache: TranscodeCache;
  readonly store: ImageStore;
  readonly limits: ServerLimits;
  readonly server: Server;
  library!: PluginLibrary;
  libraryRuntime!: Runtime;
  clients!: ClientStore;
  helper: TranscoderHelper | undefined;
  private readonly router = new Router<Handler>();
  private readonly uploads: ConcurrencyGate;
  private readonly adminHash: Buffer | undefined;
  private readonly m: ReturnType<typeof serverMetrics>;
  /** Metric handles per route and status, and per engine: no label rendering per request. */
  private readonly requestMetrics = new Map<string, (seconds: number) => void>();
  private readonly transcodeMetrics = new Map<string, (seconds: number) => void>();

  /**
   * The server as a node:http request handler, to embed it in an existing server or framework
   * (`http.createServer(imageServer.handler)`); `create()` alone never listens. Every request
   * given to it is answered.
   */
  readonly handler = (req: IncomingMessage, res: ServerResponse): void => {
    void this.handle(req, res);
  };

  private constructor(readonly options: ServerOptions) {
    installImageBuffers(this.kernel);
    this.limits = { ...defaultLimits, ...options.limits };
    this.cache = new TranscodeCache(options.cacheBytes ?? 64 << 20, options.cache ?? true);
    this.store = new ImageStore(options.imagesDir, 64 << 20, options.revalidateMs ?? 1000);
    this.uploads = new ConcurrencyGate(this.limits.maxConcurrentUploads);
    this.adminHash = options.adminToken ? sha256(options.adminToken) : undefined;
    this.m = serverMetrics(this.metrics);
    this.m.cacheHits.collect(() => [[undefined, this.cache.hits]]);
    this.m.cacheMisses.collect(() => [[undefined, this.cache.misses]]);
    this.m.cacheBytes.collect(() => [[undefined, this.cache.totalBytes]]);
    this.m.pluginCalls.collect(() => this.pluginSeries((s) => s.calls));
    this.m.pluginFuel.collect(() => this.pluginSeries((s) => s.fuelUsed));
    this.server = createServer(this.handler);
    this.routes();
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
    const pluginsDir = this.options.pluginsDir ?? PLUGINS_DIR;
    this.library = await PluginLibrary.load(pluginsDir);
    for (const p of this.library.problems) this.log(`plugin library: ${p.file}: ${p.message}`);
    for (const m of this.library.modules)
      this.m.compile.observe({ origin: "library" }, m.compileMs / 1000);
    this.libraryRuntime = this.kernel.createRuntime("library", {
      memory: 512 << 20,
      fuel: 0x7fffffff,
      allow: ["libc", IMAGE_BUFFER_GROUP],
      quarantine: false,
      stdout: () => {},
      stderr: () => {},
    });
    const t0 = performance.now();
    this.library.linkInto(this.libraryRuntime, (p) =>
      this.log(`plugin library: ${p.file}: ${p.message}`),
    );
    this.m.link.observe({ origin: "library" }, (performance.now() - t0) / 1000);
    this.clients = new ClientStore({
      kernel: this.kernel,
      library: this.library,
      dataDir: this.options.dataDir,
      defaults: { fuel: 50_000_000, memory: 64 << 20, ...this.options.clientDefaults },
      maxPluginsPerClient: this.limits.maxPluginsPerClient,
      log: (m) => this.log(m),
    });
    await this.clients.load();
    for (const [id, token] of Object.entries(this.options.clients ?? {})) {
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

  private pluginSeries(pick: (s: { calls: number; fuelUsed: number }) => number) {
    const out: Array<[Record<string, string>, number]> = [];
    for (const rt of [this.libraryRuntime, ...this.clients.all.map((c) => c.runtime)]) {
      for (const name of rt.pluginNames)
        out.push([{ runtime: rt.name, plugin: name }, pick(rt.stats(name))]);
    }
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

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    await this.helper?.close();
  }

  // ---- routing ----------------------------------------------------------------------------

  private routes(): void {
    // The playground page at "/" and its JSON routes (httpd/playground.ts).
    new Playground(this).mount(this.router);
    this.router
      .add("GET", "/healthz", (c) => this.healthz(c))
      .add("GET", "/metrics", (c) => this.sendMetrics(c))
      .add("GET", "/images", (c) => this.listImages(c))
      .add("GET", "/images/:name", (c) => this.image(c))
      .add("GET", "/plugins", (c) => this.listLibrary(c))
      .add("GET", "/profiles", async (c) => this.json(c, 200, PROFILES))
      .add("POST", "/compile", (c) => this.compileOnly(c))
      .add("GET", "/clients/:id", (c) => this.clientInfo(c))
      .add("GET", "/clients/:id/plugins", (c) => this.listClientPlugins(c))
      .add("GET", "/clients/:id/plugins/:name", (c) => this.getClientPlugin(c))
      .add("PUT", "/clients/:id/plugins/:name", (c) => this.putClientPlugin(c))
      .add("DELETE", "/clients/:id/plugins/:name", (c) => this.deleteClientPlugin(c))
      .add("PUT", "/admin/clients/:id", (c) => this.adminPutClient(c))
      .add("DELETE", "/admin/clients/:id", (c) => this.adminDeleteClient(c));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const start = process.hrtime.bigint();
    const note: RequestContext["note"] = { route: "unknown", engine: "none" };
    res.once("finish", () => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      this.routeMetrics(note.route, res.statusCode)(ms / 1000);
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
      await match.handler({ req, res, url, params: match.params, note });
    } catch (e) {
      this.fail(res, e, note);
    }
  }

  /** Counts a finished request and records its service time (routes and statuses are few). */
  private routeMetrics(route: string, status: number): (seconds: number) => void {
    const key = `${route} ${status}`;
    let record = this.requestMetrics.get(key);
    if (record === undefined) {
      const count = this.m.requests.child({ route, status });
      const observe = this.m.latency.child({ route });
      record = (seconds) => {
        count();
        observe(seconds);
      };
      this.requestMetrics.set(key, record);
    }
    return record;
  }

  private fail(res: ServerResponse, e: unknown, note: RequestContext["note"]): void {
    const [status, body] = this.describeError(e, note);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const text = JSON.stringify(body);
    res.writeHead(status, { "Content-Type": JSON_TYPE, "Content-Length": Buffer.byteLength(text) });
    res.end(text);
  }

  private describeError(
    e: unknown,
    note: RequestContext["note"],
  ): [number, Record<string, unknown>] {
    if (e instanceof HttpError) return [e.status, e.body];
    if (e instanceof PluginFault) {
      this.m.faults.inc({ runtime: e.runtime, plugin: e.plugin, kind: e.kind });
      const status = e.kind === "fuel-exhausted" ? 503 : 500;
      return [
        status,
        {
          error: "plugin-fault",
          fault: e.kind,
          runtime: e.runtime,
          plugin: e.plugin,
          function: e.function,
          message: e.message,
        },
      ];
    }
    if (e instanceof QuarantineError) {
      return [503, { error: "plugin-quarantined", plugin: e.plugin, message: e.message }];
    }
    if (e instanceof UnlinkedSymbolError) {
      return [404, { error: "unknown-plugin", message: `no plugin provides '${e.symbol}'` }];
    }
    if (e instanceof TransformRejected) {
      return [
        422,
        { error: "transform-rejected", plugin: e.plugin, code: e.code, message: e.message },
      ];
    }
    if (e instanceof BadPluginOutput)
      return [500, { error: "bad-plugin-output", plugin: e.plugin, message: e.message }];
    if (e instanceof RuntimeMemoryExhausted)
      return [413, { error: "runtime-memory", message: e.message }];
    if (e instanceof HelperError) {
      return [
        422,
        {
          error: "transform-rejected",
          code: e.status,
          message: TRANSFORM_ERRORS[e.status] ?? e.message,
        },
      ];
    }
    if (e instanceof ImageDecodeError) {
      return [e.code === "too-large" ? 413 : 422, { error: e.code, message: e.message }];
    }
    if (e instanceof ForbiddenPath || e instanceof PathRefused)
      return [403, { error: "forbidden-path", message: e.message }];
    if (e instanceof ImageNotFound) return [404, { error: "not-found", message: e.message }];
    if (e instanceof BadRequest) return [e.status, { error: "bad-request", message: e.message }];
    this.log(`internal error on ${note.route}: ${(e as Error)?.stack ?? e}`);
    return [500, { error: "internal", message: "internal server error" }];
  }

  // ---- helpers ----------------------------------------------------------------------------

  private json(c: RequestContext, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    c.res.writeHead(status, {
      "Content-Type": JSON_TYPE,
      "Content-Length": Buffer.byteLength(text),
    });
    c.res.end(c.req.method === "HEAD" ? undefined : text);
  }

  /** The request body, or a 413 once it exceeds `max` bytes (declared or received). */
  async readBody(c: { req: IncomingMessage; res: ServerResponse }, max: number): Promise<Buffer> {
    const declared = Number(c.req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > max) {
      c.res.setHeader("Connection", "close");
      throw new HttpError(413, { error: "too-large", message: `body exceeds ${max} bytes` });
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of c.req) {
      size += (chunk as Buffer).length;
      if (size > max) {
        c.res.setHeader("Connection", "close");
        throw new HttpError(413, { error: "too-large", message: `body exceeds ${max} bytes` });
      }
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  }

  /** The client named in the path, authenticated by its bearer token (401 otherwise). */
  private authClient(c: RequestContext, id: string) {
    const client = CLIENT_ID.test(id)
      ? this.clients.authenticate(id, bearerToken(c.req.headers.authorization))
      : undefined;
    if (!client) {
      c.res.setHeader("WWW-Authenticate", 'Bearer realm="kplug"');
      throw new HttpError(401, {
        error: "unauthorized",
        message: `a valid bearer token for client '${id}' is required`,
      });
    }
    return client;
  }

  private requireAdmin(c: RequestContext): void {
    if (!this.adminHash)
      throw new HttpError(404, { error: "not-found", message: "admin endpoints are disabled" });
    if (!tokenMatches(bearerToken(c.req.headers.authorization), this.adminHash)) {
      c.res.setHeader("WWW-Authenticate", 'Bearer realm="kplug-admin"');
      throw new HttpError(401, { error: "unauthorized", message: "admin token required" });
    }
  }

  // ---- handlers ---------------------------------------------------------------------------

  private async healthz(c: RequestContext): Promise<void> {
    c.note.route = "healthz";
    this.json(c, 200, {
      status: "ok",
      uptimeSeconds: Math.round(process.uptime()),
      plugins: this.library.transforms.size,
      clients: this.clients.all.length,
      // Start-up problems (library files that did not compile, persisted entries skipped).
      problems: [
        ...this.library.problems.map((p) => `${p.file}: ${p.message.split("\n")[0]}`),
        ...this.clients.problems,
      ],
    });
  }

  private async sendMetrics(c: RequestContext): Promise<void> {
    c.note.route = "metrics";
    const text = this.metrics.render();
    c.res.writeHead(200, {
      "Content-Type": "text/plain; version=0.0.4; charset=utf-8",
      "Content-Length": Buffer.byteLength(text),
    });
    c.res.end(text);
  }

  private async listImages(c: RequestContext): Promise<void> {
    c.note.route = "images";
    const images = await this.store.list();
    this.json(c, 200, {
      images: images.map(({ name, format, bytes, mtime }) => ({
        name,
        format,
        bytes,
        mtime,
        url: `/images/${encodeURIComponent(name)}`,
      })),
      plugins: [...this.library.transforms.keys()].sort(),
      profiles: Object.keys(PROFILES),
    });
  }

  private async listLibrary(c: RequestContext): Promise<void> {
    c.note.route = "plugins";
    this.json(c, 200, {
      plugins: [...this.library.transforms].map(([name, m]) => ({
        name,
        file: m.file,
        version: m.version,
        compileMs: m.compileMs,
        stats: this.libraryRuntime.plugin(m.name) ? this.libraryRuntime.stats(m.name) : undefined,
        source: c.url.searchParams.has("source") ? m.source : undefined,
      })),
      problems: this.library.problems.map((p) => ({ file: p.file, message: p.message })),
    });
  }

  private async image(c: RequestContext): Promise<void> {
    c.note.route = "image";
    const name = c.params.name;
    c.note.image = name;
    if (c.url.search.length > this.limits.maxQueryBytes)
      throw new HttpError(414, { error: "uri-too-long" });
    const plan = planFromQuery(c.url.searchParams, c.req.headers, this.limits.maxChainLength);
    c.note.engine = plan.steps.length > 0 ? plan.engine : "none";
    const file = await this.store.read(name);
    const vary = "Accept, X-Client-Profile";

    const sourceFamily = file.format === "pgm" ? "ppm" : file.format;
    const format =
      plan.format ?? negotiateFormat(c.req.headers.accept, formatCandidates(sourceFamily, 3));
    if (!format)
      throw new HttpError(406, { error: "not-acceptable", message: "no acceptable image format" });

    // No adaptation and no format change: the original bytes, as the paper's baseline.
    if (
      plan.steps.length === 0 &&
      (format === file.format || (format === "ppm" && file.format === "pgm"))
    ) {
      const etag = etagFor(`orig|${file.identity}`);
      if (etagMatches(c.req.headers["if-none-match"], etag)) return this.notModified(c, etag, vary);
      c.res.writeHead(200, {
        "Content-Type": CONTENT_TYPES[file.format],
        "Content-Length": file.data.length,
        ETag: etag,
        "Cache-Control": "no-cache",
        Vary: vary,
      });
      c.res.end(c.req.method === "HEAD" ? undefined : file.data);
      return;
    }

    let runtime = this.libraryRuntime;
    let versions: string;
    if (plan.client !== undefined) {
      const client = this.authClient(c, plan.client);
      runtime = client.runtime;
      versions = plan.steps
        .map((s) => client.plugins.get(s)?.version ?? this.libraryVersion(s))
        .join(",");
    } else {
      versions = plan.steps.map((s) => this.libraryVersion(s)).join(",");
    }
    if (plan.engine !== "plugin") this.checkEngine(plan);

    const key = `${file.identity}|${plan.engine}|${runtime.name}|${versions}|${planKey(plan)}|${format}`;
    const etag = etagFor(key);
    if (etagMatches(c.req.headers["if-none-match"], etag)) return this.notModified(c, etag, vary);
    const cached = this.cache.get(key);
    if (cached) {
      this.sendImage(
        c,
        cached.body,
        cached.contentType,
        etag,
        vary,
        cached.width,
        cached.height,
        "hit",
        0,
      );
      return;
    }
    const image = await this.store.decode(file, this.limits);
    const t0 = performance.now();
    const {
      body,
      format: outFormat,
      width,
      height,
    } = await this.transcode(runtime, plan, image, format);
    const transcodeMs = performance.now() - t0;
    let observeTranscode = this.transcodeMetrics.get(plan.engine);
    if (observeTranscode === undefined) {
      observeTranscode = this.m.transcode.child({ engine: plan.engine });
      this.transcodeMetrics.set(plan.engine, observeTranscode);
    }
    observeTranscode(transcodeMs / 1000);
    const contentType = CONTENT_TYPES[outFormat];
    this.cache.set(key, { body, contentType, etag, width, height });
    this.sendImage(
      c,
      body,
      contentType,
      etag,
      vary,
      width,
      height,
      this.cache.enabled ? "miss" : "off",
      transcodeMs,
    );
  }

  private libraryVersion(step: string): string {
    const m = this.library.transforms.get(step);
    if (!m)
      throw new HttpError(404, { error: "unknown-plugin", message: `no plugin named '${step}'` });
    return m.version;
  }

  private checkEngine(plan: TranscodePlan): void {
    if (plan.client !== undefined)
      throw new BadRequest("client plugins run only in the plugin engine");
    if (plan.engine === "js") {
      const missing = plan.steps.find((s) => !JS_TRANSFORMS[s]);
      if (missing) throw new BadRequest(`no trusted JS implementation of '${missing}'`);
    }
    if (plan.engine === "helper" && !this.helper)
      throw new HttpError(501, {
        error: "helper-unavailable",
        message: "the out-of-process transcoder is not running",
      });
  }

  private async transcode(
    runtime: Runtime,
    plan: TranscodePlan,
    image: RawImage,
    format: ImageFormat,
  ): Promise<{ body: Buffer; format: ImageFormat; width: number; height: number }> {
    const pnm = format === "ppm" || format === "pgm";
    let result: RawImage;
    if (plan.steps.length === 0) {
      result = image; // a format conversion only
    } else if (plan.engine === "plugin") {
      // PNM output is written straight from plugin memory; other formats need a detached copy.
      const out = runChain(runtime, plan.steps, image, plan.params, (r) =>
        pnm ? { r, body: encodePnm(r) } : { r: detached(r), body: undefined },
      );
      if (out.body)
        return {
          body: out.body,
          format: out.r.channels === 3 ? "ppm" : "pgm",
          width: out.r.width,
          height: out.r.height,
        };
      result = out.r;
    } else if (plan.engine === "js") {
      result = image;
      for (const s of plan.steps) result = JS_TRANSFORMS[s](result);
    } else {
      result = image;
      for (const s of plan.steps) result = await this.helper!.transform(s, result, plan.params);
    }
    const encoded = await encodeImage(result, format, { quality: plan.quality });
    return {
      body: encoded.body,
      format: encoded.format,
      width: result.width,
      height: result.height,
    };
  }

  private notModified(c: RequestContext, etag: string, vary: string): void {
    this.m.notModified.inc();
    c.res.writeHead(304, { ETag: etag, "Cache-Control": cacheControl(c), Vary: vary });
    c.res.end();
  }

  private sendImage(
    c: RequestContext,
    body: Buffer,
    contentType: string,
    etag: string,
    vary: string,
    width: number,
    height: number,
    cache: string,
    transcodeMs: number,
  ): void {
    c.res.writeHead(200, {
      "Content-Type": contentType,
      "Content-Length": body.length,
      ETag: etag,
      "Cache-Control": cacheControl(c),
      Vary: vary,
      "X-Image-Size": `${width}x${height}`,
      "X-Cache": cache,
      "Server-Timing": `transcode;dur=${transcodeMs.toFixed(3)}`,
    });
    c.res.end(c.req.method === "HEAD" ? undefined : body);
  }

  private async clientInfo(c: RequestContext): Promise<void> {
    c.note.route = "client";
    const client = this.authClient(c, c.params.id);
    const rt = client.runtime;
    this.json(c, 200, {
      id: client.id,
      runtime: rt.name,
      settings: client.settings,
      plugins: [...client.plugins.values()].map((p) => ({
        name: p.name,
        version: p.version,
        updated: p.updated,
        stats: rt.stats(p.name),
      })),
      library: [...this.library.transforms.keys()].sort(),
    });
  }

  private async listClientPlugins(c: RequestContext): Promise<void> {
    c.note.route = "client-plugins";
    const client = this.authClient(c, c.params.id);
    this.json(c, 200, {
      plugins: [...client.plugins.values()].map((p) => ({
        name: p.name,
        version: p.version,
        updated: p.updated,
        compileMs: p.compileMs,
        linkMs: p.linkMs,
        stats: client.runtime.stats(p.name),
      })),
    });
  }

  private async getClientPlugin(c: RequestContext): Promise<void> {
    c.note.route = "client-plugin";
    const client = this.authClient(c, c.params.id);
    const p = client.plugins.get(c.params.name);
    if (!p)
      throw new HttpError(404, { error: "not-found", message: `no plugin '${c.params.name}'` });
    if ((c.req.headers.accept ?? "").includes("application/json")) {
      this.json(c, 200, {
        name: p.name,
        version: p.version,
        updated: p.updated,
        source: p.source,
        stats: client.runtime.stats(p.name),
      });
      return;
    }
    c.res.writeHead(200, {
      "Content-Type": "text/x-c; charset=utf-8",
      "Content-Length": Buffer.byteLength(p.source),
      ETag: `"${p.version}"`,
    });
    c.res.end(p.source);
  }

  private async putClientPlugin(c: RequestContext): Promise<void> {
    c.note.route = "client-plugin";
    const client = this.authClient(c, c.params.id);
    const name = c.params.name;
    if (!PLUGIN_NAME.test(name))
      throw new BadRequest(`plugin names are [a-z][a-z0-9_]{0,31} (got '${name}')`);
    if (!this.uploads.tryEnter()) {
      c.res.setHeader("Retry-After", "1");
      throw new HttpError(429, {
        error: "too-many-uploads",
        message: "too many uploads in progress",
      });
    }
    try {
      const body = await this.readBody(c, this.limits.maxUploadBytes);
      const source = body.toString("utf8");
      const { plugin, replaced, warnings } = await this.clients.putPlugin(client, name, source);
      this.m.compile.observe({ origin: "client" }, plugin.compileMs / 1000);
      this.m.link.observe({ origin: "client" }, plugin.linkMs / 1000);
      this.m.uploads.inc({ result: replaced ? "replaced" : "created" });
      this.json(c, replaced ? 200 : 201, {
        name,
        version: plugin.version,
        replaced,
        compileMs: plugin.compileMs,
        linkMs: plugin.linkMs,
        warnings,
      });
    } catch (e) {
      if (e instanceof UploadRejected) {
        this.m.uploads.inc({ result: e.kind });
        throw new HttpError(400, { error: e.kind, message: e.message, diagnostics: e.diagnostics });
      }
      if (e instanceof Conflict)
        throw new HttpError(409, { error: "conflict", message: e.message });
      throw e;
    } finally {
      this.uploads.leave();
    }
  }

  /** Compiles without linking anything: diagnostics for an editor, no token needed. */
  private async compileOnly(c: RequestContext): Promise<void> {
    c.note.route = "compile";
    if (!this.uploads.tryEnter()) {
      c.res.setHeader("Retry-After", "1");
      throw new HttpError(429, {
        error: "too-many-uploads",
        message: "too many compilations in progress",
      });
    }
    try {
      const source = (await this.readBody(c, this.limits.maxUploadBytes)).toString("utf8");
      const file = c.url.searchParams.get("file") ?? "plugin.c";
      const t0 = performance.now();
      const result = compile(source, { file: file.slice(0, 64), includes: IMAGE_INCLUDES });
      const compileMs = performance.now() - t0;
      this.m.compile.observe({ origin: "check" }, compileMs / 1000);
      this.json(c, 200, {
        ok: result.ok,
        compileMs,
        diagnostics: result.diagnostics,
        exports: result.ok
          ? result.module.exports.map((e) => ({ name: e.name, signature: e.signature }))
          : [],
        wasmBytes: result.ok ? result.module.wasm.length : 0,
      });
    } finally {
      this.uploads.leave();
    }
  }

  private async deleteClientPlugin(c: RequestContext): Promise<void> {
    c.note.route = "client-plugin";
    const client = this.authClient(c, c.params.id);
    const removed = await this.clients.deletePlugin(client, c.params.name);
    if (!removed)
      throw new HttpError(404, { error: "not-found", message: `no plugin '${c.params.name}'` });
    c.res.writeHead(204);
    c.res.end();
  }

  private async adminPutClient(c: RequestContext): Promise<void> {
    c.note.route = "admin";
    this.requireAdmin(c);
    const id = c.params.id;
    if (!CLIENT_ID.test(id)) throw new BadRequest("client ids are [a-z0-9][a-z0-9_-]{0,63}");
    const body = await this.readBody(c, this.limits.maxAdminBodyBytes);
    let request: { token?: unknown; fuel?: unknown; memory?: unknown } = {};
    if (body.length > 0) {
      try {
        request = JSON.parse(body.toString("utf8"));
      } catch {
        throw new BadRequest("body must be JSON");
      }
    }
    const settings: Partial<ClientSettings> = {};
    if (request.fuel !== undefined) {
      if (typeof request.fuel !== "number" || !(request.fuel >= 1000 && request.fuel <= 0x7fffffff))
        throw new BadRequest("fuel must be within 1000..2^31-1");
      settings.fuel = request.fuel;
    }
    if (request.memory !== undefined) {
      if (
        typeof request.memory !== "number" ||
        !(request.memory >= 1 << 20 && request.memory <= 1 << 30)
      )
        throw new BadRequest("memory must be within 1 MiB..1 GiB");
      settings.memory = request.memory;
    }
    if (
      request.token !== undefined &&
      (typeof request.token !== "string" || request.token.length < 16)
    ) {
      throw new BadRequest("token must be a string of at least 16 characters");
    }
    if ((settings.fuel !== undefined || settings.memory !== undefined) && this.clients.get(id)) {
      throw new HttpError(409, {
        error: "conflict",
        message: "limits of an existing client cannot change; delete it first",
      });
    }
    const { token, created } = await this.clients.upsertClient(id, {
      token: request.token as string | undefined,
      settings,
    });
    this.json(c, created ? 201 : 200, { id, token, created });
  }

  private async adminDeleteClient(c: RequestContext): Promise<void> {
    c.note.route = "admin";
    this.requireAdmin(c);
    if (!(await this.clients.deleteClient(c.params.id)))
      throw new HttpError(404, { error: "not-found" });
    c.res.writeHead(204);
    c.res.end();
  }
}

function serverMetrics(r: Registry) {
  return {
    requests: r.counter("kplug_http_requests_total", "HTTP requests by route and status"),
    latency: r.histogram("kplug_http_request_duration_seconds", "Service time by route"),
    transcode: r.histogram("kplug_transcode_duration_seconds", "Plugin chain time by engine"),
    cacheHits: r.collectedCounter("kplug_cache_hits_total", "Transcode cache hits"),
    cacheMisses: r.collectedCounter("kplug_cache_misses_total", "Transcode cache misses"),
    cacheBytes: r.gauge("kplug_cache_bytes", "Bytes held by the transcode cache"),
    notModified: r.counter("kplug_not_modified_total", "Conditional requests answered 304"),
    faults: r.counter("kplug_plugin_faults_total", "Plugin faults by runtime, plugin and kind"),
    pluginCalls: r.collectedCounter("kplug_plugin_calls_total", "Upcalls per plugin"),
    pluginFuel: r.collectedCounter("kplug_plugin_fuel_used_total", "Fuel used per plugin"),
    compile: r.histogram("kplug_compile_duration_seconds", "Plugin compile time"),
    link: r.histogram("kplug_link_duration_seconds", "Plugin link time"),
    uploads: r.counter("kplug_plugin_uploads_total", "Plugin uploads by result"),
  };
}

/** Shared caches may keep public images; anything fetched with credentials is private. */
function cacheControl(c: RequestContext): string {
  return c.req.headers.authorization ? "private, no-cache" : "no-cache";
}
