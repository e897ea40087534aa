// A client's plugin logs (log-book.ts), for the client (its bearer token) or the admin:
//
//   GET /clients/{id}/logs[?since=SEQ]        200 {dropped, next, entries: [...]}
//   GET /clients/{id}/logs?follow=1[&since=SEQ]   text/event-stream: `id: SEQ` + `data: <entry>`
//        per line, `event: dropped` + `data: {"dropped": N}` for lines this reader lost;
//        resumes after `Last-Event-ID` when the browser reconnects. Without `since` (or
//        Last-Event-ID) only lines to come are sent.

import { bearerToken, CLIENT_ID, tokenMatches } from "../clients.ts";
import {
  type ClientDirectory,
  type Handler,
  HttpError,
  type RequestContext,
  sendJson,
} from "../http.ts";
import { type LogBook, TooManyFollowers } from "../log-book.ts";
import type { Router } from "../router.ts";
import { BadRequest } from "../transcode.ts";

export interface LogsHost {
  readonly clients: ClientDirectory;
  readonly logs: LogBook;
  /** SHA-256 of the admin token (the admin may read every client's log). */
  readonly adminHash: Buffer | undefined;
}

export function mountLogs(router: Router<Handler>, host: LogsHost): void {
  router.add("GET", "/clients/:id/logs", "client-logs", (c) => logs(host, c));
}

/** The client's id if the bearer token is its own or the admin's; else 401 (404 for the admin). */
function authorize(host: LogsHost, c: RequestContext): string {
  const id = c.params.id;
  const token = bearerToken(c.req.headers.authorization);
  if (CLIENT_ID.test(id) && host.clients.authenticate(id, token)) return id;
  if (host.adminHash && tokenMatches(token, host.adminHash)) {
    if (host.clients.get(id)) return id;
    throw new HttpError(404, { error: "not-found", message: `no client '${id}'` });
  }
  c.res.setHeader("WWW-Authenticate", 'Bearer realm="kplug"');
  throw new HttpError(401, {
    error: "unauthorized",
    message: `a valid bearer token for client '${id}' (or the admin's) is required`,
  });
}

/** A sequence number from the query or Last-Event-ID; undefined when absent. */
function sequence(text: string | null | undefined, what: string): number | undefined {
  if (text === null || text === undefined || text === "") return undefined;
  if (!/^\d{1,15}$/.test(text))
    throw new BadRequest(`${what} must be a sequence number (got '${text.slice(0, 32)}')`);
  return Number(text);
}

async function logs(host: LogsHost, c: RequestContext): Promise<void> {
  const id = authorize(host, c);
  const q = c.url.searchParams;
  const since = sequence(q.get("since"), "since");
  const follow = q.get("follow");
  if (follow === null || follow === "0" || follow === "false") {
    sendJson(c, 200, host.logs.read(id, since), { "Cache-Control": "no-store" });
    return;
  }
  const last = sequence(c.req.headers["last-event-id"] as string | undefined, "Last-Event-ID");
  const from = last !== undefined ? last + 1 : since;
  try {
    host.logs.checkFollow(id);
  } catch (e) {
    if (!(e instanceof TooManyFollowers)) throw e;
    c.res.setHeader("Retry-After", "5");
    throw new HttpError(429, { error: "too-many-followers", message: e.message });
  }
  // The head goes out before any line: the browser's EventSource opens at once.
  c.res.writeHead(200, {
    "Content-Type": "text/event-stream; charset=utf-8",
    "Cache-Control": "no-store",
    "X-Accel-Buffering": "no",
  });
  if (c.req.method === "HEAD") {
    c.res.end();
    return;
  }
  c.res.write(": kplug logs\n\n");
  const stop = host.logs.follow(id, c.res, from);
  c.res.once("close", stop);
}
