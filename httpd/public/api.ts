// The server's HTTP API as the page uses it. Every image request asks for `X-Kplug-Time` so the
// page can show the server-side time next to the bytes, and reads `Server-Timing` for the
// transcode (and, for tries, compile and link) phases.

import type { ParamDecl } from "../plugin-params.ts";

export interface Session {
  id: string;
  token: string;
  /** A token-free sandbox client the server handed this browser (POST /playground/session). */
  demo?: boolean;
  /** When a demo session ends (ms since the epoch). */
  expiresAt?: number;
}

export interface ImageEntry {
  name: string;
  format: string;
  bytes: number;
  url: string;
}

export interface Catalog {
  images: ImageEntry[];
  plugins: string[];
  profiles: string[];
}

export interface LibraryPlugin {
  name: string;
  file: string;
  version: string;
  source: string;
  /** The parameters it declares (`@param` comments). */
  params?: ParamDecl[];
}

export interface Profile {
  description: string;
  steps: string[];
}

export interface Diagnostic {
  severity: "error" | "warning";
  file: string;
  line: number;
  col: number;
  message: string;
}

export interface CompileReport {
  ok: boolean;
  compileMs: number;
  diagnostics: Diagnostic[];
  exports: { name: string }[];
  wasmBytes: number;
  /** What stopped a plugin check (compile, ABI or link), when the server checks as Save would. */
  rejected?: string;
  /** With `wat=1`: the module as WebAssembly text... */
  wat?: string;
  /** ...and [WAT line, source line] pairs (1-based) linking the two. */
  lines?: [number, number][];
}

/** A C frame of a fault's backtrace (kernel/fault-report.ts's FaultFrame). */
export interface FaultFrame {
  function: string;
  file?: string;
  line?: number;
  col?: number;
  inlined?: boolean;
  plugin?: string;
  /** A kernel function (qsort calling back, memcpy refusing a pointer). */
  kernel?: boolean;
  /** Code offset of a frame without source lines (foreign code). */
  offset?: number;
}

/** A memory fault's access (kernel/fault-report.ts's FaultAccess). */
export interface FaultAccess {
  access: "read" | "write" | "copy" | "fill";
  size: number;
  address?: number;
  instruction?: string;
}

/** One line a plugin wrote (GET /clients/{id}/logs). */
export interface LogEntry {
  seq: number;
  time: number | string;
  plugin: string;
  request?: string;
  stream: "stdout" | "stderr" | string;
  text: string;
}

export interface LogPage {
  dropped: number;
  next: number;
  entries: LogEntry[];
}

export interface Failure {
  /** Distinguishes a failed request from a body that has its own `ok` field. */
  failed: true;
  status: number;
  error: string;
  message: string;
  /** plugin-fault: the fault kind (`null-pointer`, `out-of-bounds`, ...). */
  fault?: string;
  plugin?: string;
  function?: string;
  file?: string;
  line?: number;
  col?: number;
  backtrace?: FaultFrame[];
  access?: FaultAccess;
  diagnostics?: Diagnostic[];
}

export interface ImageResponse {
  ok: true;
  body: Uint8Array;
  contentType: string;
  /** Server-side time from request to response headers. */
  serverMs: number | undefined;
  /** Server-Timing phases (transcode, compile, link), ms. */
  phases: Record<string, number>;
  cache: string | null;
  fuel: number | undefined;
}

export interface PluginStats {
  name: string;
  origin: "client" | "library";
  version?: string;
  calls: number;
  fuelUsed: number;
  fuelPerCall?: number;
  faults: Record<string, number>;
  disabled: boolean;
  avgMs?: number;
}

export interface RuntimeReport {
  id: string;
  runtime: string;
  settings: { fuel: number; memory: number };
  memoryBytes: number;
  totals: {
    calls: number;
    fuelUsed: number;
    faults: Record<string, number>;
    requests: number;
    avgMs?: number;
  };
  plugins: PluginStats[];
  chains: { chain: string; runs: number; avgMs?: number; lastMs: number }[];
  tries?: {
    runs: number;
    avgMs?: number;
    lastMs: number;
    fuelUsed: number;
    faults: Record<string, number>;
  };
}

function authHeaders(session: Session | undefined): Record<string, string> {
  return session ? { authorization: `Bearer ${session.token}` } : {};
}

async function failure(res: Response): Promise<Failure> {
  let body: Partial<Failure> = {};
  try {
    body = await res.json();
  } catch {
    body = { error: "http", message: `${res.status} ${res.statusText}` };
  }
  return {
    ...body,
    failed: true,
    status: res.status,
    error: body.error ?? "http",
    message: body.message ?? `${res.status} ${res.statusText}`,
  };
}

async function json<T>(res: Response): Promise<T | Failure> {
  return res.ok ? ((await res.json()) as T) : failure(res);
}

export const isFailure = (x: unknown): x is Failure =>
  typeof x === "object" && x !== null && (x as Failure).failed === true;

export async function getCatalog(): Promise<Catalog | Failure> {
  return json<Catalog>(await fetch("/images", { cache: "no-store" }));
}

export async function getLibrary(): Promise<LibraryPlugin[] | Failure> {
  const r = await json<{ plugins: LibraryPlugin[] }>(await fetch("/plugins?source"));
  return isFailure(r) ? r : r.plugins;
}

export async function getProfiles(): Promise<Record<string, Profile> | Failure> {
  return json<Record<string, Profile>>(await fetch("/profiles"));
}

function phasesOf(header: string | null): Record<string, number> {
  const phases: Record<string, number> = {};
  for (const part of (header ?? "").split(",")) {
    const m = /^\s*([\w-]+)\s*;\s*dur=([0-9.]+)/.exec(part);
    if (m) phases[m[1]] = Number(m[2]);
  }
  return phases;
}

async function imageResponse(res: Response): Promise<ImageResponse | Failure> {
  if (!res.ok) return failure(res);
  const time = res.headers.get("x-kplug-time");
  const fuel = res.headers.get("x-kplug-fuel");
  return {
    ok: true,
    body: new Uint8Array(await res.arrayBuffer()),
    contentType: res.headers.get("content-type") ?? "",
    serverMs: time === null ? undefined : Number(time),
    phases: phasesOf(res.headers.get("server-timing")),
    cache: res.headers.get("x-cache"),
    fuel: fuel === null ? undefined : Number(fuel),
  };
}

/** GET /images/{name}?query, timed by the server. */
export async function getImage(
  name: string,
  query: URLSearchParams,
  session?: Session,
): Promise<ImageResponse | Failure> {
  const qs = query.toString();
  const res = await fetch(`/images/${encodeURIComponent(name)}${qs ? `?${qs}` : ""}`, {
    cache: "no-store",
    headers: { "x-kplug-timing": "1", ...authHeaders(session) },
  });
  return imageResponse(res);
}

/** Runs unsaved source on an image in the client's playground runtime. */
export async function tryPlugin(
  session: Session,
  image: string,
  name: string,
  source: string,
  query: URLSearchParams,
): Promise<ImageResponse | Failure> {
  const q = new URLSearchParams(query);
  q.set("name", name);
  const res = await fetch(
    `/clients/${encodeURIComponent(session.id)}/try/${encodeURIComponent(image)}?${q}`,
    {
      method: "POST",
      cache: "no-store",
      headers: { "x-kplug-timing": "1", "content-type": "text/x-c", ...authHeaders(session) },
      body: source,
    },
  );
  return imageResponse(res);
}

export async function compileSource(
  session: Session | undefined,
  file: string,
  source: string,
  wat = false,
): Promise<CompileReport | Failure> {
  // Compiling is a client's work: it needs the client's token, as tries and uploads do.
  const q = new URLSearchParams({ client: session?.id ?? "", file });
  if (wat) q.set("wat", "1");
  const res = await fetch(`/compile?${q}`, {
    method: "POST",
    headers: { "content-type": "text/x-c", ...authHeaders(session) },
    body: source,
  });
  return json<CompileReport>(res);
}

export async function savePlugin(
  session: Session,
  name: string,
  source: string,
): Promise<{ version: string; replaced: boolean; compileMs: number; linkMs: number } | Failure> {
  const res = await fetch(
    `/clients/${encodeURIComponent(session.id)}/plugins/${encodeURIComponent(name)}`,
    {
      method: "PUT",
      headers: { "content-type": "text/x-c", ...authHeaders(session) },
      body: source,
    },
  );
  return json(res);
}

export async function getClientPlugin(
  session: Session,
  name: string,
): Promise<{ name: string; source: string } | Failure> {
  const res = await fetch(
    `/clients/${encodeURIComponent(session.id)}/plugins/${encodeURIComponent(name)}`,
    { headers: { accept: "application/json", ...authHeaders(session) }, cache: "no-store" },
  );
  return json(res);
}

export async function deleteClientPlugin(session: Session, name: string): Promise<Failure | null> {
  const res = await fetch(
    `/clients/${encodeURIComponent(session.id)}/plugins/${encodeURIComponent(name)}`,
    { method: "DELETE", headers: authHeaders(session) },
  );
  return res.ok ? null : failure(res);
}

export async function getRuntime(session: Session): Promise<RuntimeReport | Failure> {
  const res = await fetch(`/clients/${encodeURIComponent(session.id)}/runtime`, {
    headers: authHeaders(session),
    cache: "no-store",
  });
  return json<RuntimeReport>(res);
}

/** A demo session: a sandbox client for this browser, or a failure (404: the server has none). */
export async function startDemoSession(): Promise<Session | Failure> {
  const r = await json<{ client: string; token: string; expiresAt: string | number }>(
    await fetch("/playground/session", { method: "POST", cache: "no-store" }),
  );
  if (isFailure(r)) return r;
  const expiresAt = typeof r.expiresAt === "number" ? r.expiresAt : Date.parse(String(r.expiresAt));
  return { id: r.client, token: r.token, demo: true, expiresAt };
}

/** The client's plugin logs after `since` (a sequence number), as one page. */
export async function getLogs(session: Session, since: number): Promise<LogPage | Failure> {
  const res = await fetch(`/clients/${encodeURIComponent(session.id)}/logs?since=${since}`, {
    headers: authHeaders(session),
    cache: "no-store",
  });
  return json<LogPage>(res);
}

/**
 * Follows the client's logs as server-sent events (`?follow=1`), read with fetch so that the
 * bearer token goes in a header: `data:` events are entries, `event: dropped` ones count lines
 * this reader lost. Resolves when the stream ends (a failure if it never opened).
 */
export async function followLogs(
  session: Session,
  since: number,
  signal: AbortSignal,
  on: { entry(e: LogEntry): void; dropped(n: number): void },
): Promise<Failure | undefined> {
  const q = new URLSearchParams({ follow: "1", since: String(since) });
  const res = await fetch(`/clients/${encodeURIComponent(session.id)}/logs?${q}`, {
    headers: { accept: "text/event-stream", ...authHeaders(session) },
    cache: "no-store",
    signal,
  });
  if (!res.ok || !res.body) return failure(res);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return undefined;
    buffered += value.replace(/\r\n?/g, "\n");
    // Events end with a blank line; their `data:` lines join with newlines.
    for (let end = buffered.indexOf("\n\n"); end >= 0; end = buffered.indexOf("\n\n")) {
      const lines = buffered.slice(0, end).split("\n");
      buffered = buffered.slice(end + 2);
      const field = (name: string) =>
        lines
          .filter((l) => l.startsWith(`${name}:`))
          .map((l) => l.slice(name.length + 1).replace(/^ /, ""));
      const data = field("data").join("\n");
      if (!data) continue;
      try {
        const value = JSON.parse(data);
        if (field("event")[0] === "dropped") on.dropped(Number(value.dropped) || 0);
        else if (typeof value?.text === "string") on.entry(value as LogEntry);
      } catch {
        // A malformed event is skipped; the stream goes on.
      }
    }
  }
}
