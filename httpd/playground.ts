// The plugin playground: the page at `/` where a person works with kplug serve the way its
// clients do (gallery, chains and profiles, an editor for KP-C plugins, a live runtime panel),
// and the few routes the page needs beyond the server's own (it compiles with POST /compile):
//
//   GET  /                            the page;  GET /assets/{file}: its bundled script and CSS
//   POST /clients/{id}/try/{image}?name=N[&plugin=chain][&params]   run unsaved code (bearer)
//   GET  /clients/{id}/runtime        live stats of the client's runtime (bearer)
//
// A request carrying `X-Kplug-Timing: 1` gets `X-Kplug-Time: <ms>` (request received -> headers
// written) on any route, so the page can show the server-side time of originals too.

import type { IncomingMessage, ServerResponse } from "node:http";
import type { Runtime } from "../kernel/index.ts";
import { type FaultKind, PluginFault } from "../kernel/index.ts";
import { onWriteHead, RuntimeLedger } from "./api-runtime.ts";
import { PlaygroundRuntimes } from "./api-try.ts";
import { AssetStore } from "./assets.ts";
import { bearerToken, CLIENT_ID, type Client } from "./clients.ts";
import { decodeImage, encodeImage } from "./codecs.ts";
import { CONTENT_TYPES, type ImageFormat } from "./image-format.ts";
import { ConcurrencyGate } from "./limits.ts";
import { PLUGIN_NAME } from "./plugin-abi.ts";
import { type CheckedPlugin, checkPlugin, linkPlugin, PluginRejected } from "./plugin-check.ts";
import { detached, runChain } from "./plugin-runner.ts";
import type { RawImage } from "./raw-image.ts";
import type { RouteParams, Router } from "./router.ts";
import type { ImageServer } from "./server.ts";
import { planFromQuery } from "./transcode.ts";

/** The server's request context, as far as these handlers use it. */
export interface PlaygroundContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: RouteParams;
  note: { route: string; engine: string; image?: string };
}

type Handler = (c: PlaygroundContext) => Promise<void>;

const JSON_TYPE = "application/json; charset=utf-8";

function sendJson(c: PlaygroundContext, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  c.res.writeHead(status, {
    "Content-Type": JSON_TYPE,
    "Content-Length": Buffer.byteLength(text),
    "Cache-Control": "no-store",
  });
  c.res.end(c.req.method === "HEAD" ? undefined : text);
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
  private readonly tries: PlaygroundRuntimes;

  constructor(private readonly server: ImageServer) {
    this.gate = new ConcurrencyGate(server.limits.maxConcurrentUploads);
    this.tries = new PlaygroundRuntimes(server.kernel, () => server.library);
  }

  mount(router: Router<Handler>): void {
    this.server.server.prependListener("request", (req: IncomingMessage, res: ServerResponse) => {
      stampServiceTime(req, res);
      this.ledger.watch(req, res);
    });
    router
      .add("GET", "/", (c) => this.asset(c, "index.html"))
      .add("GET", "/assets/:file", (c) => this.asset(c, c.params.file))
      .add("POST", "/clients/:id/try/:image", (c) => this.tryPlugin(c))
      .add("GET", "/clients/:id/runtime", (c) => this.runtime(c));
  }

  private async asset(c: PlaygroundContext, name: string): Promise<void> {
    c.note.route = "playground";
    const pending = this.assets.get(name);
    if (!pending) return sendJson(c, 404, { error: "not-found", message: `no asset '${name}'` });
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

  /** The client named in the path if the bearer token is its own; otherwise answers 401. */
  private authenticate(c: PlaygroundContext): Client | undefined {
    const id = c.params.id;
    const client = CLIENT_ID.test(id)
      ? this.server.clients.authenticate(id, bearerToken(c.req.headers.authorization))
      : undefined;
    if (client) return client;
    c.res.setHeader("WWW-Authenticate", 'Bearer realm="kplug"');
    sendJson(c, 401, {
      error: "unauthorized",
      message: `a valid bearer token for client '${id}' is required`,
    });
    return undefined;
  }

  /** The plugin name in `?name=`, or undefined after answering 400. */
  private pluginName(c: PlaygroundContext): string | undefined {
    const name = c.url.searchParams.get("name") ?? "";
    let problem: string | undefined;
    if (!PLUGIN_NAME.test(name)) problem = `plugin names are [a-z][a-z0-9_]{0,31} (got '${name}')`;
    else if (this.server.library.moduleNames.has(name) || this.server.library.transforms.has(name))
      problem = `'${name}' is a library plugin; choose another name`;
    if (!problem) return name;
    sendJson(c, 400, {
      error: "bad-name",
      message: problem,
      diagnostics: [{ severity: "error", file: `${name}.c`, line: 1, col: 1, message: problem }],
    });
    return undefined;
  }

  /** Runs `work` inside the compile gate, or answers 429 when the server is busy compiling. */
  private async gated(c: PlaygroundContext, work: () => Promise<void>): Promise<void> {
    if (!this.gate.tryEnter()) {
      c.res.setHeader("Retry-After", "1");
      return sendJson(c, 429, { error: "busy", message: "too many compilations in progress" });
    }
    try {
      await work();
    } finally {
      this.gate.leave();
    }
  }

  private async tryPlugin(c: PlaygroundContext): Promise<void> {
    c.note.route = "playground-try";
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
    const plan = planFromQuery(query, c.req.headers, this.server.limits.maxChainLength);
    await this.gated(c, async () => {
      const source = (await this.server.readBody(c, this.server.limits.maxUploadBytes)).toString(
        "utf8",
      );
      const file = await this.server.store.read(c.params.image);
      const image = await decodeImage(file.data, this.server.limits);
      let check: CheckedPlugin;
      let linkMs: number;
      let runtime: Runtime;
      try {
        check = checkPlugin(name, source);
        this.tries.prune((known) => this.server.clients.get(known.id) === known);
        runtime = this.tries.runtimeFor(client);
        linkMs = linkPlugin(name, source, () => this.tries.link(runtime, name, check.module));
      } catch (e) {
        // Nothing ran: the same 400 as an upload of this source gets.
        if (e instanceof PluginRejected) return sendJson(c, 400, e.body);
        throw e;
      }
      const before = this.fuelOf(runtime, plan.steps);
      const t1 = performance.now();
      let runMs = 0;
      let fuelUsed = 0;
      let result: RawImage;
      let fault: FaultKind | undefined;
      try {
        result = runChain(runtime, plan.steps, image, plan.params, detached);
      } catch (e) {
        // Reported by the server's error mapping (a fault is a 503 or 500 naming its kind).
        if (e instanceof PluginFault) fault = e.kind;
        throw e;
      } finally {
        runMs = performance.now() - t1;
        fuelUsed = this.fuelOf(runtime, plan.steps) - before;
        // A run stopped for fuel burnt its whole budget, whatever the counters saw.
        if (fault === "fuel-exhausted") fuelUsed = Math.max(fuelUsed, client.settings.fuel);
        this.tries.unlink(runtime, name);
        this.ledger.recordTry(client.id, runMs, fuelUsed, fault);
      }
      const sourcePnm = file.format === "ppm" || file.format === "pgm";
      const format: ImageFormat = plan.format ?? (sourcePnm ? "ppm" : "png");
      const encoded = await encodeImage(result, format, { quality: plan.quality });
      c.res.writeHead(200, {
        "Content-Type": CONTENT_TYPES[encoded.format],
        "Content-Length": encoded.body.length,
        "Cache-Control": "no-store",
        "X-Image-Size": `${result.width}x${result.height}`,
        "X-Kplug-Fuel": String(fuelUsed),
        "Server-Timing": `compile;dur=${check.compileMs.toFixed(3)}, link;dur=${linkMs.toFixed(3)}, transcode;dur=${runMs.toFixed(3)}`,
      });
      c.res.end(encoded.body);
    });
  }

  /** Fuel used so far by the plugins of a chain (each counted once). */
  private fuelOf(runtime: Runtime, steps: string[]): number {
    let fuel = 0;
    for (const step of new Set(steps)) {
      const module = this.server.library.transforms.get(step)?.name ?? step;
      if (runtime.plugin(module)) fuel += runtime.stats(module).fuelUsed;
    }
    return fuel;
  }

  private async runtime(c: PlaygroundContext): Promise<void> {
    c.note.route = "playground-runtime";
    const client = this.authenticate(c);
    if (!client) return;
    sendJson(c, 200, this.ledger.report(client));
  }
}
