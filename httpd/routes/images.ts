// The image routes: the catalogue (GET /images, /plugins, /profiles) and an image, as stored or
// adapted by a plugin chain (GET /images/{name}?plugin=...&client=...), with ETags and the
// transcode cache. The chain runs in the plugin executor (the trusted `js` engine too, in the
// same workers); the `helper` engine exists for the paper's comparison and runs here.

import { etagFor, etagMatches, type TranscodeCache } from "../cache.ts";
import { encodeImage } from "../codecs.ts";
import type { PluginExecutor } from "../executor.ts";
import type { TranscoderHelper } from "../helper.ts";
import {
  authClient,
  type ClientDirectory,
  type Handler,
  HttpError,
  type RequestContext,
  sendJson,
} from "../http.ts";
import { CONTENT_TYPES, type ImageFormat, isPnmFormat } from "../image-format.ts";
import type { ImageStore } from "../images.ts";
import { JS_TRANSFORMS } from "../js-transforms.ts";
import type { PluginLibrary } from "../library.ts";
import type { ServerLimits } from "../limits.ts";
import type { PluginCounters } from "../plugin-counters.ts";
import type { RawImage } from "../raw-image.ts";
import type { Router } from "../router.ts";
import { clientRuntimeName } from "../runtimes.ts";
import type { ServerMetrics } from "../server-metrics.ts";
import {
  BadRequest,
  formatCandidates,
  negotiateFormat,
  PROFILES,
  planFromQuery,
  planKey,
  type TranscodePlan,
} from "../transcode.ts";

export interface ImagesHost {
  readonly limits: ServerLimits;
  readonly store: ImageStore;
  readonly cache: TranscodeCache;
  readonly library: PluginLibrary;
  readonly counters: PluginCounters;
  readonly clients: ClientDirectory;
  readonly helper: TranscoderHelper | undefined;
  readonly executor: PluginExecutor;
  readonly metrics: ServerMetrics;
}

const VARY = "Accept, X-Client-Profile";

export function mountImages(router: Router<Handler>, host: ImagesHost): void {
  router
    .add("GET", "/images", "images", (c) => listImages(host, c))
    .add("GET", "/images/:name", "image", (c) => image(host, c))
    .add("GET", "/plugins", "plugins", (c) => listLibrary(host, c))
    .add("GET", "/profiles", "profiles", async (c) => sendJson(c, 200, PROFILES));
}

async function listImages(host: ImagesHost, c: RequestContext): Promise<void> {
  const images = await host.store.list();
  sendJson(c, 200, {
    images: images.map(({ name, format, bytes, mtime }) => ({
      name,
      format,
      bytes,
      mtime,
      url: `/images/${encodeURIComponent(name)}`,
    })),
    plugins: [...host.library.transforms.keys()].sort(),
    profiles: Object.keys(PROFILES),
  });
}

async function listLibrary(host: ImagesHost, c: RequestContext): Promise<void> {
  sendJson(c, 200, {
    plugins: [...host.library.transforms].map(([name, m]) => ({
      name,
      file: m.file,
      version: m.version,
      compileMs: m.compileMs,
      params: m.params,
      stats: host.counters.of("library", m.name),
      source: c.url.searchParams.has("source") ? m.source : undefined,
    })),
    problems: host.library.problems.map((p) => ({ file: p.file, message: p.message })),
  });
}

async function image(host: ImagesHost, c: RequestContext): Promise<void> {
  const name = c.params.name;
  c.note.image = name;
  if (c.url.search.length > host.limits.maxQueryBytes)
    throw new HttpError(414, { error: "uri-too-long" });
  const plan = planFromQuery(c.url.searchParams, c.req.headers, host.limits.maxChainLength);
  c.note.engine = plan.steps.length > 0 ? plan.engine : "none";
  const file = await host.store.read(name);

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
    if (etagMatches(c.req.headers["if-none-match"], etag)) return notModified(host, c, etag);
    c.res.writeHead(200, {
      "Content-Type": CONTENT_TYPES[file.format],
      "Content-Length": file.data.length,
      ETag: etag,
      "Cache-Control": "no-cache",
      Vary: VARY,
    });
    c.res.end(c.req.method === "HEAD" ? undefined : file.data);
    return;
  }

  let runtimeName = "library";
  let versions: string;
  if (plan.client !== undefined) {
    const client = authClient(host.clients, c, plan.client);
    // A plugin still compiling after start-up is not "unknown": 503, retry shortly.
    host.clients.checkReady(client);
    runtimeName = clientRuntimeName(client.id);
    // Store versions of the client's plugins in the chain and of all they import: two nodes
    // serve the same bytes under one ETag, and a dependency's upload invalidates the entry.
    versions = [
      ...plan.steps.map((s) => (client.plugins.has(s) ? "" : libraryVersion(host, s))),
      ...host.clients.chainVersions(client, plan.steps),
    ].join(",");
  } else {
    versions = plan.steps.map((s) => libraryVersion(host, s)).join(",");
  }
  if (plan.engine !== "plugin") checkEngine(host, plan);

  const key = `${file.identity}|${plan.engine}|${runtimeName}|${versions}|${planKey(plan)}|${format}`;
  const etag = etagFor(key);
  if (etagMatches(c.req.headers["if-none-match"], etag)) return notModified(host, c, etag);
  const cached = host.cache.get(key);
  if (cached) {
    sendImage(c, cached.body, cached.contentType, etag, cached.width, cached.height, "hit", 0);
    return;
  }
  const decoded = await host.store.decode(file, host.limits);
  const t0 = performance.now();
  const out = await transcode(host, plan, decoded, format, c.requestId);
  const transcodeMs = performance.now() - t0;
  host.metrics.transcoded(plan.engine, transcodeMs / 1000);
  const contentType = CONTENT_TYPES[out.format];
  let body = out.body;
  if (out.release && host.cache.enabled) {
    // The cache keeps its own copy; the loaned body goes back at once.
    body = Buffer.from(out.body);
    out.release();
  } else if (out.release) {
    // Sent straight from the worker's output memory, which is lent until the response is done.
    c.res.once("close", out.release);
  }
  host.cache.set(key, { body, contentType, etag, width: out.width, height: out.height });
  const state = host.cache.enabled ? "miss" : "off";
  sendImage(c, body, contentType, etag, out.width, out.height, state, transcodeMs, out.workerMs);
}

function libraryVersion(host: ImagesHost, step: string): string {
  const m = host.library.transforms.get(step);
  if (!m)
    throw new HttpError(404, { error: "unknown-plugin", message: `no plugin named '${step}'` });
  return m.version;
}

function checkEngine(host: ImagesHost, plan: TranscodePlan): void {
  if (plan.client !== undefined)
    throw new BadRequest("client plugins run only in the plugin engine");
  if (plan.engine === "js") {
    const missing = plan.steps.find((s) => !JS_TRANSFORMS[s]);
    if (missing) throw new BadRequest(`no trusted JS implementation of '${missing}'`);
  }
  if (plan.engine === "helper" && !host.helper)
    throw new HttpError(501, {
      error: "helper-unavailable",
      message: "the out-of-process transcoder is not running",
    });
}

interface Transcoded {
  body: Buffer;
  format: ImageFormat;
  width: number;
  height: number;
  /** The body is on loan from the plugin executor until this is called (see executor.ts). */
  release?: () => void;
  /** Time in the worker, when a worker transcoded. */
  workerMs?: number;
}

async function transcode(
  host: ImagesHost,
  plan: TranscodePlan,
  image: RawImage,
  format: ImageFormat,
  request: string,
): Promise<Transcoded> {
  let result: RawImage;
  let workerMs: number | undefined;
  if (plan.steps.length === 0) {
    result = image; // a format conversion only
  } else if (plan.engine === "plugin" || plan.engine === "js") {
    // Trusted JS transforms run in the pool too: no transcode runs on the event loop, and the
    // plugin is compared with JS where both run.
    const out = await host.executor.transcode({
      client: plan.client,
      steps: plan.steps,
      engine: plan.engine,
      params: plan.params,
      image,
      output: isPnmFormat(format) ? "pnm" : "raw",
      request,
    });
    if (out.kind === "pnm") {
      const pnm = out.channels === 3 ? "ppm" : "pgm";
      return {
        body: out.body,
        format: pnm,
        width: out.width,
        height: out.height,
        release: out.release,
        workerMs: out.workerMs,
      };
    }
    result = out.image;
    workerMs = out.workerMs;
  } else {
    result = image;
    for (const s of plan.steps) result = await host.helper!.transform(s, result, plan.params);
  }
  const encoded = await encodeImage(result, format, { quality: plan.quality });
  return {
    body: encoded.body,
    format: encoded.format,
    width: result.width,
    height: result.height,
    workerMs,
  };
}

/** Shared caches may keep public images; anything fetched with credentials is private. */
function cacheControl(c: RequestContext): string {
  return c.req.headers.authorization ? "private, no-cache" : "no-cache";
}

function notModified(host: ImagesHost, c: RequestContext, etag: string): void {
  host.metrics.notModified.inc();
  c.res.writeHead(304, { ETag: etag, "Cache-Control": cacheControl(c), Vary: VARY });
  c.res.end();
}

function sendImage(
  c: RequestContext,
  body: Buffer,
  contentType: string,
  etag: string,
  width: number,
  height: number,
  cache: string,
  transcodeMs: number,
  workerMs?: number,
): void {
  // transcode: the whole transcode as the main thread saw it; worker: the part in a worker
  // (the difference is the scheduler's queue and the hop between threads).
  let timing = `transcode;dur=${transcodeMs.toFixed(3)}`;
  if (workerMs !== undefined) timing += `, worker;dur=${workerMs.toFixed(3)}`;
  c.res.writeHead(200, {
    "Content-Type": contentType,
    "Content-Length": body.length,
    ETag: etag,
    "Cache-Control": cacheControl(c),
    Vary: VARY,
    "X-Image-Size": `${width}x${height}`,
    "X-Cache": cache,
    "Server-Timing": timing,
  });
  c.res.end(c.req.method === "HEAD" ? undefined : body);
}
