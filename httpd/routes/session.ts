// The playground's demo session (sandbox.ts): a token-free start for a browser.
//
//   POST /playground/session   201 {client, token, expiresAt}: a sandbox client for this session;
//                              429 {error: "too-many-sessions"} with Retry-After over a limit;
//                              404 when the server runs without sandboxes.

import { type Handler, HttpError, type RequestContext, sendJson } from "../http.ts";
import type { Router } from "../router.ts";
import { SandboxRefused, type SandboxSessions } from "../sandbox.ts";

export interface SessionHost {
  readonly sandbox: SandboxSessions | undefined;
}

export function mountSession(router: Router<Handler>, host: SessionHost): void {
  router.add("POST", "/playground/session", "playground-session", (c) => create(host, c));
}

async function create(host: SessionHost, c: RequestContext): Promise<void> {
  const sandbox = host.sandbox;
  if (!sandbox) {
    throw new HttpError(404, {
      error: "not-found",
      message: "this server has no playground sessions; sign in with a client token",
    });
  }
  try {
    const session = await sandbox.create(c.req.socket.remoteAddress);
    sendJson(c, 201, session, { "Cache-Control": "no-store" });
  } catch (e) {
    if (!(e instanceof SandboxRefused)) throw e;
    c.res.setHeader("Retry-After", String(e.retryAfterSeconds));
    throw new HttpError(429, { error: "too-many-sessions", message: e.message });
  }
}
