// Request ids: every response carries `X-Request-Id`, and the log lines a request's plugins
// print carry it too (log-book.ts), so an author can match a line to the request that caused
// it. A caller (or a proxy in front) may send its own id, which is kept if it is short and
// plain; otherwise the server makes one: a per-process random prefix and a counter, unique
// across a fleet's nodes without a random draw per request.

import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";

export const REQUEST_ID_HEADER = "X-Request-Id";
/** An id a caller may choose: what fits in a log line and a header without escaping. */
const USABLE = /^[A-Za-z0-9._:@-]{1,64}$/;

const prefix = randomBytes(6).toString("base64url");
let counter = 0;

/** The request's id: the one it sent, when usable, else a new one. */
export function requestIdOf(req: IncomingMessage): string {
  const sent = req.headers["x-request-id"];
  if (typeof sent === "string" && USABLE.test(sent)) return sent;
  return `${prefix}-${(++counter).toString(36)}`;
}
