// The operator's routes (admin bearer token): create or re-key a client with its limits (fuel
// and memory when it is created; its CPU rate in fuel per second at any time), and delete one
// with its runtimes and plugins. Disabled (404) when the server has no admin token.

import {
  bearerToken,
  CLIENT_ID,
  type ClientRegistry,
  type ClientSettings,
  isSandboxId,
  SANDBOX_PREFIX,
  tokenMatches,
} from "../clients.ts";
import { type Handler, HttpError, type RequestContext, readBody, sendJson } from "../http.ts";
import { CLIENT_BOUNDS, type ServerLimits } from "../limits.ts";
import type { Router } from "../router.ts";
import { BadRequest } from "../transcode.ts";

export interface AdminHost {
  readonly limits: ServerLimits;
  readonly clients: ClientRegistry;
  /** SHA-256 of the admin token; undefined disables the admin routes. */
  readonly adminHash: Buffer | undefined;
}

export function mountAdmin(router: Router<Handler>, host: AdminHost): void {
  router
    .add("PUT", "/admin/clients/:id", "admin", (c) => putClient(host, c))
    .add("DELETE", "/admin/clients/:id", "admin", (c) => deleteClient(host, c));
}

function requireAdmin(host: AdminHost, c: RequestContext): void {
  if (!host.adminHash)
    throw new HttpError(404, { error: "not-found", message: "admin endpoints are disabled" });
  if (!tokenMatches(bearerToken(c.req.headers.authorization), host.adminHash)) {
    c.res.setHeader("WWW-Authenticate", 'Bearer realm="kplug-admin"');
    throw new HttpError(401, { error: "unauthorized", message: "admin token required" });
  }
}

/** Within [min, max]; NaN and non-numbers are not. */
const within = (v: unknown, min: number, max: number): v is number =>
  typeof v === "number" && v >= min && v <= max;

async function putClient(host: AdminHost, c: RequestContext): Promise<void> {
  requireAdmin(host, c);
  const id = c.params.id;
  if (!CLIENT_ID.test(id)) throw new BadRequest("client ids are [a-z0-9][a-z0-9_-]{0,63}");
  if (isSandboxId(id))
    throw new BadRequest(`ids starting '${SANDBOX_PREFIX}' are the playground's sandbox clients`);
  const body = await readBody(c, host.limits.maxAdminBodyBytes, host.limits.bodyReadMs);
  let request: { token?: unknown; fuel?: unknown; memory?: unknown; rate?: unknown } = {};
  if (body.length > 0) {
    try {
      request = JSON.parse(body.toString("utf8"));
    } catch {
      throw new BadRequest("body must be JSON");
    }
  }
  const settings: Partial<ClientSettings> = {};
  if (request.fuel !== undefined) {
    if (!within(request.fuel, CLIENT_BOUNDS.minFuel, CLIENT_BOUNDS.maxFuel))
      throw new BadRequest("fuel must be within 1000..2^31-1");
    settings.fuel = request.fuel;
  }
  if (request.memory !== undefined) {
    if (!within(request.memory, CLIENT_BOUNDS.minMemory, CLIENT_BOUNDS.maxMemory))
      throw new BadRequest("memory must be within 1 MiB..1 GiB");
    settings.memory = request.memory;
  }
  if (request.rate !== undefined) {
    if (!within(request.rate, CLIENT_BOUNDS.minRate, CLIENT_BOUNDS.maxRate))
      throw new BadRequest("rate (fuel per second) must be within 1000..1e15");
    settings.rate = request.rate;
  }
  const token = request.token;
  if (
    token !== undefined &&
    (typeof token !== "string" || token.length < CLIENT_BOUNDS.minTokenLength)
  ) {
    throw new BadRequest(
      `token must be a string of at least ${CLIENT_BOUNDS.minTokenLength} characters`,
    );
  }
  if ((settings.fuel !== undefined || settings.memory !== undefined) && host.clients.get(id)) {
    throw new HttpError(409, {
      error: "conflict",
      message: "limits of an existing client cannot change; delete it first",
    });
  }
  const result = await host.clients.upsertClient(id, {
    token: token as string | undefined,
    settings,
  });
  sendJson(c, result.created ? 201 : 200, { id, token: result.token, created: result.created });
}

async function deleteClient(host: AdminHost, c: RequestContext): Promise<void> {
  requireAdmin(host, c);
  if (!(await host.clients.deleteClient(c.params.id)))
    throw new HttpError(404, { error: "not-found" });
  c.res.writeHead(204);
  c.res.end();
}
