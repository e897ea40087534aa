// What every route handler shares: the request context, the error that carries an HTTP answer,
// JSON responses, bounded body reading and bearer-token authentication of a client.

import type { IncomingMessage, ServerResponse } from "node:http";
import { bearerToken, CLIENT_ID, type Client } from "./clients.ts";
import type { RouteParams } from "./router.ts";

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: RouteParams;
  /** The route's name (from the router) and what handlers add, for metrics and samples. */
  note: { route: string; engine: string; image?: string };
  /** The request's id: its X-Request-Id if it sent a usable one, else made here (request-id.ts). */
  requestId: string;
}

export type Handler = (c: RequestContext) => Promise<void>;

/** A failure with its HTTP status and JSON body, thrown by handlers and answered by the server. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.message ?? body.error));
  }
}

export const JSON_TYPE = "application/json; charset=utf-8";

export function sendJson(
  c: Pick<RequestContext, "req" | "res">,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  c.res.writeHead(status, {
    "Content-Type": JSON_TYPE,
    "Content-Length": Buffer.byteLength(text),
    ...headers,
  });
  c.res.end(c.req.method === "HEAD" ? undefined : text);
}

/**
 * The request body, or a 413 once it exceeds `max` bytes (declared or received), or a 408 when
 * it has not all arrived within `deadlineMs`: a slow body must not hold anything for long, so
 * routes read it before they take a gate or queue a job.
 */
export function readBody(
  c: Pick<RequestContext, "req" | "res">,
  max: number,
  deadlineMs = 10_000,
): Promise<Buffer> {
  const declared = Number(c.req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > max) {
    c.res.setHeader("Connection", "close");
    return Promise.reject(
      new HttpError(413, { error: "too-large", message: `body exceeds ${max} bytes` }),
    );
  }
  return new Promise<Buffer>((resolve, reject) => {
    const { req } = c;
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (error?: unknown) => {
      clearTimeout(timer);
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("aborted", onError);
      if (error === undefined) return resolve(Buffer.concat(chunks));
      // The rest of the body is not read: the connection closes after the answer.
      c.res.setHeader("Connection", "close");
      req.pause();
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        done(new HttpError(413, { error: "too-large", message: `body exceeds ${max} bytes` }));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => done();
    const onError = () =>
      done(new HttpError(400, { error: "bad-request", message: "request body aborted" }));
    const timer = setTimeout(
      () =>
        done(
          new HttpError(408, {
            error: "request-timeout",
            message: `the request body did not arrive within ${deadlineMs} ms`,
          }),
        ),
      deadlineMs,
    );
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("aborted", onError);
  });
}

/** How routes find clients: by id, and by id with the token presented. */
export interface ClientDirectory {
  get(id: string): Client | undefined;
  authenticate(id: string, token: string | undefined): Client | undefined;
  /** The store versions a chain's result depends on (its plugins and what they import). */
  chainVersions(client: Client, steps: readonly string[]): string[];
  /** Bytes of one upload, try or compile body this client may send (sandboxes: fewer). */
  maxUploadBytesOf(id: string, fallback: number): number;
  /** Throws PluginsLoading (503) while some of the client's plugins are still compiling. */
  checkReady(client: Client): void;
}

/** The client named `id` if the request's bearer token is its own, else undefined. */
export function clientOf(
  clients: ClientDirectory,
  c: Pick<RequestContext, "req">,
  id: string,
): Client | undefined {
  return CLIENT_ID.test(id)
    ? clients.authenticate(id, bearerToken(c.req.headers.authorization))
    : undefined;
}

/** What a request without a valid token for client `id` is answered: 401 and its body. */
export function unauthorized(c: Pick<RequestContext, "res">, id: string): HttpError {
  c.res.setHeader("WWW-Authenticate", 'Bearer realm="kplug"');
  return new HttpError(401, {
    error: "unauthorized",
    message: `a valid bearer token for client '${id}' is required`,
  });
}

/** The client named `id`, authenticated by the request's bearer token (401 otherwise). */
export function authClient(clients: ClientDirectory, c: RequestContext, id: string): Client {
  const client = clientOf(clients, c, id);
  if (!client) throw unauthorized(c, id);
  return client;
}
