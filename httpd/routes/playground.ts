// The plugin playground: the page at `/` where a person works with kplug serve the way its
// clients do (gallery, chains and profiles, an editor for KP-C plugins, a live runtime panel),
// and the routes the page needs beyond the server's own:
//
//   GET  /                            the page;  GET /assets/{file}: its bundled script and CSS
//   POST /compile?client=ID&file=F[&wat=1]   compile only: diagnostics for the editor (bearer);
//                                     with wat=1 also `wat` and `lines` ([WAT line, source line])
//   POST /clients/{id}/try/{image}?name=N[&plugin=chain][&params]   run unsaved code (bearer)
//   GET  /clients/{id}/runtime        live stats of the client's runtime (bearer)
//
// It sees the server through PlaygroundHost only; compiling and running go to the executor,
// as the client's work (its queue, its CPU rate). Bodies are read, under their deadline,
// before a gate is taken.
//
// A request carrying `X-Kplug-Timing: 1` gets `X-Kplug-Time: <ms>` (request received -> headers
// written) on any route, so the page can show the server-side time of originals too.

import type { IncomingMessage, ServerResponse } from "node:http";
import { AssetStore } from "../assets.ts";
import type { Client } from "../clients.ts";
import { decodeImage, encodeImage } from "../codecs.ts";
import type { PluginExecutor } from "../executor.ts";
import {
  type ClientDirectory,
  clientOf,
  type Handler,
  type RequestContext,
  readBody,
  sendJson,
  unauthorized,
} from "../http.ts";
import { CONTENT_TYPES, type ImageFormat, isPnmFormat } from "../image-format.ts";
import type { ImageStore } from "../images.ts";
import { ConcurrencyGate, type ServerLimits } from "../limits.ts";
import { onWriteHead, RuntimeLedger } from "../playground-ledger.ts";
import { PLUGIN_NAME, PLUGIN_NAME_RULE } from "../plugin-abi.ts";
import { PluginRejected } from "../plugin-check.ts";
import type { PluginCounters } from "../plugin-counters.ts";
import { JobFailed } from "../pool-protocol.ts";
import type { QuarantineBook } from "../quarantine-book.ts";
import type { Router } from "../router.ts";
import type { ServerMetrics } from "../server-metrics.ts";
import { planFromQuery } from "../transcode.ts";
import { gatedUpload } from "./clients.ts";

/** What the playground uses of the server. */
export interface PlaygroundHost {
  readonly limits: ServerLimits;
  readonly clients: ClientDirectory;
  readonly store: Pick<ImageStore, "read">;
  readonly executor: PluginExecutor;
  readonly counters: PluginCounters;
  readonly quarantine: QuarantineBook;
  /** Library plugin and module names, which a client's plugin may not take. */
  isLibraryName(name: string): boolean;
  /** The gate uploads go through: compile checks share it. */
  readonly uploads: ConcurrencyGate;
  readonly metrics: ServerMetrics;
  /** Sees every request first, before routing. */
  onRequest(listener: (req: IncomingMessage, res: ServerResponse) => void): void;
}

/** The playground's responses are never cached. */
const NO_STORE = { "Cache-Control": "no-store" };

function sendJsonNoStore(c: RequestContext, status: number, body: unknown): void {
  sendJson(c, status, body, NO_STORE);
}

/** Stamps `X-Kplug-Time` on the response when its headers are written (opt-in per request). */
function stampServiceTime(req: IncomingMessage, res: ServerResponse): void {
  if (req.headers["x-kplug-timing"] === undefined) return;
  const start = process.hrtime.bigint();
  onWriteHead(res, () => {
    if (!res.headersSent)
      res.setHeader("X-Kplug-Time", (Number(process.hrtime.bigint() - start) / 1e6).toFixed(3));
  });
}

export class Playground {
  readonly ledger = new RuntimeLedger();
  private readonly assets = new AssetStore();
  private readonly gate: ConcurrencyGate;

  constructor(private readonly host: PlaygroundHost) {
    this.gate = new ConcurrencyGate(host.limits.maxConcurrentUploads);
  }

  mount(router: Router<Handler>): void {
    this.host.onRequest((req, res) => {
      stampServiceTime(req, res);
      this.ledger.watch(req, res);
    });
    router
      .add("GET", "/", "playground", (c) => this.asset(c, "index.html"))
      .add("GET", "/assets/:file", "playground", (c) => this.asset(c, c.params.file))
      .add("POST", "/compile", "compile", (c) => this.compileOnly(c))
      .add("POST", "/clients/:id/try/:image", "playground-try", (c) => this.tryPlugin(c))
      .add("GET", "/clients/:id/runtime", "playground-runtime", (c) => this.runtime(c));
  }

  private async asset(c: RequestContext, name: string): Promise<void> {
    const pending = this.assets.get(name);
    if (!pending)
      return sendJsonNoStore(c, 404, { error: "not-found", message: `no asset '${name}'` });
    const a = await pending;
    if (c.req.headers["if-none-match"] === a.etag) {
      c.res.writeHead(304, { ETag: a.etag, "Cache-Control": "no-cache" });
      c.res.end();
      return;
    }
    const gzip = /\bgzip\b/.test(String(c.req.headers["accept-encoding"] ?? ""));
    const body = gzip ? a.gzip : a.body;
    if (gzip) c.res.setHeader("Content-Encoding", "gzip");
    c.res.writeHead(200, {
      "Content-Type": a.contentType,
      "Content-Length": body.length,
      Vary: "Accept-Encoding",
      ETag: a.etag,
      "Cache-Control": "no-cache",
      "X-Content-Type-Options": "nosniff",
      // Everything the page needs comes from this server; nothing else may load.
      "Content-Security-Policy":
        "default-src 'self'; img-src 'self' blob: data:; style-src 'self' 'unsafe-inline'",
    });
    c.res.end(c.req.method === "HEAD" ? undefined : body);
  }

  /** The client named (in the path by default) if the bearer token is its own; else 401. */
  private authenticate(c: RequestContext, id = c.params.id): Client | undefined {
    const client = clientOf(this.host.clients, c, id);
    if (client) return client;
    const refusal = unauthorized(c, id);
    sendJsonNoStore(c, refusal.status, refusal.body);
    return undefined;
  }

  /** The plugin name in `?name=`, or undefined after answering 400. */
  private pluginName(c: RequestContext): string | undefined {
    const name = c.url.searchParams.get("name") ?? "";
    let problem: string | undefined;
    if (!PLUGIN_NAME.test(name)) problem = `${PLUGIN_NAME_RULE} (got '${name}')`;
    else if (this.host.isLibraryName(name))
      problem = `'${name}' is a library plugin; choose another name`;
    if (!problem) return name;
    sendJsonNoStore(c, 400, {
      error: "bad-name",
      message: problem,
      diagnostics: [{ severity: "error", file: `${name}.c`, line: 1, col: 1, message: problem }],
    });
    return undefined;
  }

  /** Runs `work` inside the compile gate, or answers 429 when the server is busy compiling. */
  private async gated(c: RequestContext, work: () => Promise<void>): Promise<void> {
    if (!this.gate.tryEnter()) {
      c.res.setHeader("Retry-After", "1");
      return sendJsonNoStore(c, 429, {
        error: "busy",
        message: "too many compilations in progress",
      });
    }
    try {
      await work();
    } finally {
      this.gate.leave();
    }
  }

  /**
   * Compiles for an editor, as the client's work. A `?file=<plugin>.c` is checked as
   * Save would check that plugin: the image ABI, then a link into a scratch copy of the
   * client's runtime, so an `extern` nothing defines is an error at its declaration.
   */
  private async compileOnly(c: RequestContext): Promise<void> {
    const client = this.authenticate(c, c.url.searchParams.get("client") ?? "");
    if (!client) return;
    const limits = this.host.limits;
    const max = this.host.clients.maxUploadBytesOf(client.id, limits.maxUploadBytes);
    const source = (await readBody(c, max, limits.bodyReadMs)).toString("utf8");
    await gatedUpload(this.host.uploads, c, "compilations", async () => {
      const given = c.url.searchParams.get("file");
      const file = (given ?? "plugin.c").slice(0, 64);
      const named = (given !== null && /^(.*)\.c$/.exec(file)?.[1]) || "";
      const plugin = PLUGIN_NAME.test(named) && !this.host.isLibraryName(named) ? named : undefined;
      const wat = c.url.searchParams.get("wat") === "1";
      const report = await this.host.executor.check({
        client: client.id,
        file,
        source,
        plugin,
        wat,
      });
      this.host.metrics.compile.observe({ origin: "check" }, report.compileMs / 1000);
      sendJson(c, 200, report);
    });
  }

  private async tryPlugin(c: RequestContext): Promise<void> {
    c.note.engine = "plugin";
    c.note.image = c.params.image;
    const client = this.authenticate(c);
    if (!client) return;
    const name = this.pluginName(c);
    if (name === undefined) return;
    const query = c.url.searchParams;
    // The chain may place the plugin among library plugins (`?plugin=downscale,mine`).
    if (!query.get("plugin") && !query.get("profile")) query.set("plugin", name);
    query.delete("client");
    const plan = planFromQuery(query, c.req.headers, this.host.limits.maxChainLength);
    const limits = this.host.limits;
    const max = this.host.clients.maxUploadBytesOf(client.id, limits.maxUploadBytes);
    const source = (await readBody(c, max, limits.bodyReadMs)).toString("utf8");
    await this.gated(c, async () => {
      const file = await this.host.store.read(c.params.image);
      const image = await decodeImage(file.data, this.host.limits);
      let outcome: Awaited<ReturnType<PluginExecutor["try"]>>;
      try {
        outcome = await this.host.executor.try({
          client: client.id,
          name,
          source,
          steps: plan.steps,
          params: plan.params,
          image,
          request: c.requestId,
        });
      } catch (e) {
        // Nothing ran: the same 400 as an upload of this source gets.
        if (e instanceof PluginRejected) return sendJsonNoStore(c, 400, e.body);
        throw e;
      }
      const { result, runMs, fuelUsed } = outcome;
      const error = "error" in result ? result.error : undefined;
      this.ledger.recordTry(
        client.id,
        runMs,
        fuelUsed,
        error instanceof JobFailed ? error.error.fault : undefined,
      );
      // Reported by the server's error mapping (a fault is a 503 or 500 naming its kind).
      if ("error" in result) throw result.error;
      const format: ImageFormat = plan.format ?? (isPnmFormat(file.format) ? "ppm" : "png");
      const encoded = await encodeImage(result.image, format, { quality: plan.quality });
      c.res.writeHead(200, {
        "Content-Type": CONTENT_TYPES[encoded.format],
        "Content-Length": encoded.body.length,
        "Cache-Control": "no-store",
        "X-Image-Size": `${result.image.width}x${result.image.height}`,
        "X-Kplug-Fuel": String(fuelUsed),
        "Server-Timing": `compile;dur=${outcome.compileMs.toFixed(3)}, link;dur=${outcome.linkMs.toFixed(3)}, transcode;dur=${runMs.toFixed(3)}`,
      });
      c.res.end(encoded.body);
    });
  }

  private async runtime(c: RequestContext): Promise<void> {
    const client = this.authenticate(c);
    if (!client) return;
    sendJsonNoStore(c, 200, this.ledger.report(client, this.host));
  }
}
