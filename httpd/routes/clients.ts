// A client's own routes (bearer token): its record, and its plugins: list, read, upload
// (compile + link, or hot swap) and delete. PUT /clients/{id}/plugins/{name} checks the source
// with plugin-check.ts, as the playground's tries do; with `Content-Type: application/wasm` the
// body is a module from any toolchain, its C declarations in an optional (URI-encoded)
// `X-Kplug-Header` request header.

import type { Client, ClientRegistry } from "../clients.ts";
import { Conflict } from "../clients.ts";
import {
  authClient,
  type Handler,
  HttpError,
  type RequestContext,
  readBody,
  sendJson,
} from "../http.ts";
import type { PluginLibrary } from "../library.ts";
import type { ConcurrencyGate, ServerLimits } from "../limits.ts";
import { PLUGIN_NAME, PLUGIN_NAME_RULE } from "../plugin-abi.ts";
import { PluginRejected } from "../plugin-check.ts";
import type { PluginCounters } from "../plugin-counters.ts";
import type { QuarantineBook } from "../quarantine-book.ts";
import type { Router } from "../router.ts";
import { clientRuntimeName } from "../runtimes.ts";
import type { ServerMetrics } from "../server-metrics.ts";
import { BadRequest } from "../transcode.ts";

export interface ClientsHost {
  readonly limits: ServerLimits;
  readonly library: PluginLibrary;
  readonly clients: ClientRegistry;
  /** Bounds uploads and compile checks in progress together (compiling is CPU work). */
  readonly uploads: ConcurrencyGate;
  readonly metrics: ServerMetrics;
  readonly counters: PluginCounters;
  readonly quarantine: QuarantineBook;
}

/** A client plugin's counters (summed from the jobs that ran it) and quarantine state. */
function statsOf(host: ClientsHost, client: Client, plugin: string) {
  const disabled = host.quarantine.isQuarantined(client.id, plugin);
  return host.counters.of(clientRuntimeName(client.id), plugin, disabled);
}

export function mountClients(router: Router<Handler>, host: ClientsHost): void {
  router
    .add("GET", "/clients/:id", "client", (c) => clientInfo(host, c))
    .add("GET", "/clients/:id/plugins", "client-plugins", (c) => listPlugins(host, c))
    .add("GET", "/clients/:id/plugins/:name", "client-plugin", (c) => getPlugin(host, c))
    .add("PUT", "/clients/:id/plugins/:name", "client-plugin", (c) => putPlugin(host, c))
    .add("DELETE", "/clients/:id/plugins/:name", "client-plugin", (c) => deletePlugin(host, c));
}

/** Runs `work` inside the upload gate, or answers 429 when too many are in progress. */
export async function gatedUpload(
  gate: ConcurrencyGate,
  c: RequestContext,
  what: string,
  work: () => Promise<void>,
): Promise<void> {
  if (!gate.tryEnter()) {
    c.res.setHeader("Retry-After", "1");
    throw new HttpError(429, {
      error: "too-many-uploads",
      message: `too many ${what} in progress`,
    });
  }
  try {
    await work();
  } finally {
    gate.leave();
  }
}

async function clientInfo(host: ClientsHost, c: RequestContext): Promise<void> {
  const client = authClient(host.clients, c, c.params.id);
  sendJson(c, 200, {
    id: client.id,
    runtime: clientRuntimeName(client.id),
    settings: client.settings,
    plugins: [
      ...[...client.plugins.values()].map((p) => ({
        name: p.name,
        version: p.version,
        updated: p.updated,
        ready: true,
        stats: statsOf(host, client, p.name),
      })),
      ...loadingOf(host, client),
    ],
    library: [...host.library.transforms.keys()].sort(),
  });
}

async function listPlugins(host: ClientsHost, c: RequestContext): Promise<void> {
  const client = authClient(host.clients, c, c.params.id);
  sendJson(c, 200, {
    plugins: [
      ...[...client.plugins.values()].map((p) => ({
        name: p.name,
        version: p.version,
        updated: p.updated,
        ready: true,
        compileMs: p.compileMs,
        linkMs: p.linkMs,
        stats: statsOf(host, client, p.name),
      })),
      ...loadingOf(host, client),
    ],
  });
}

/** Stored plugins still being compiled (start-up): listed, not yet runnable. */
function loadingOf(host: ClientsHost, client: Client) {
  return host.clients.loadingPlugins(client).map((r) => ({
    name: r.name,
    version: String(r.version),
    updated: r.updated,
    ready: false,
  }));
}

async function getPlugin(host: ClientsHost, c: RequestContext): Promise<void> {
  const client = authClient(host.clients, c, c.params.id);
  const p =
    client.plugins.get(c.params.name) ??
    host.clients.loadingPlugins(client).find((r) => r.name === c.params.name);
  if (!p) throw new HttpError(404, { error: "not-found", message: `no plugin '${c.params.name}'` });
  if ((c.req.headers.accept ?? "").includes("application/json")) {
    sendJson(c, 200, {
      name: p.name,
      version: String(p.version),
      updated: p.updated,
      source: p.source,
      ready: client.plugins.has(p.name),
      stats: statsOf(host, client, p.name),
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

async function putPlugin(host: ClientsHost, c: RequestContext): Promise<void> {
  const client = authClient(host.clients, c, c.params.id);
  const name = c.params.name;
  if (!PLUGIN_NAME.test(name)) throw new BadRequest(`${PLUGIN_NAME_RULE} (got '${name}')`);
  // The body first, under its read deadline: a slow body never holds an upload slot.
  const max = host.clients.maxUploadBytesOf(client.id, host.limits.maxUploadBytes);
  const body = await readBody(c, max, host.limits.bodyReadMs);
  // WebAssembly from any toolchain (kernel/foreign.ts), typed by an optional C header.
  const isWasm = /^application\/wasm\b/i.test(c.req.headers["content-type"] ?? "");
  const code = isWasm
    ? { wasm: new Uint8Array(body), header: headerText(c.req.headers["x-kplug-header"]) }
    : body.toString("utf8");
  const ifMatch = ifMatchVersion(c);
  await gatedUpload(host.uploads, c, "uploads", async () => {
    try {
      const { plugin, replaced, warnings } = await host.clients.putPlugin(
        client,
        name,
        code,
        ifMatch,
      );
      // New code starts with a clean record: a quarantine earned by the old code is lifted.
      host.quarantine.reinstate(client.id, name);
      host.metrics.compile.observe({ origin: "client" }, plugin.compileMs / 1000);
      host.metrics.link.observe({ origin: "client" }, plugin.linkMs / 1000);
      host.metrics.uploads.inc({ result: replaced ? "replaced" : "created" });
      c.res.setHeader("ETag", `"${plugin.version}"`);
      sendJson(c, replaced ? 200 : 201, {
        name,
        version: plugin.version,
        replaced,
        compileMs: plugin.compileMs,
        linkMs: plugin.linkMs,
        warnings,
      });
    } catch (e) {
      if (e instanceof PluginRejected) {
        host.metrics.uploads.inc({ result: e.kind });
        throw new HttpError(400, e.body);
      }
      if (e instanceof Conflict)
        throw new HttpError(409, { error: "conflict", message: e.message });
      throw e;
    }
  });
}

async function deletePlugin(host: ClientsHost, c: RequestContext): Promise<void> {
  const client = authClient(host.clients, c, c.params.id);
  const removed = await host.clients.deletePlugin(client, c.params.name, ifMatchVersion(c));
  if (!removed)
    throw new HttpError(404, { error: "not-found", message: `no plugin '${c.params.name}'` });
  c.res.writeHead(204);
  c.res.end();
}

/**
 * The plugin version an `If-Match` header names (`"12"`, `W/"12"` or `12`; the version a
 * GET's ETag or GET /clients/{id} gave), or undefined without one.
 */
function ifMatchVersion(c: RequestContext): number | undefined {
  const value = c.req.headers["if-match"];
  if (value === undefined) return undefined;
  const m = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(value);
  if (!m) throw new BadRequest('If-Match wants one plugin version (an ETag such as "12")');
  return Number(m[1]);
}

/** The `X-Kplug-Header` value: C declarations, URI-encoded (a header cannot hold newlines). */
function headerText(value: string | string[] | undefined): string | undefined {
  if (typeof value !== "string") return undefined;
  try {
    return decodeURIComponent(value);
  } catch {
    throw new BadRequest("X-Kplug-Header must be URI-encoded C declarations");
  }
}
