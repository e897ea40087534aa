// Starting `kplug serve` for the isolation benchmark: a scratch data directory, the cache off,
// a good and a hostile client with their own tokens, `--workers` only when the server has it,
// and the plugins each client uploads.

import { mkdtempSync, rmSync } from "node:fs";
import { Agent } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { call, type HttpCall } from "./http-load.ts";
import { type ServeFeatures, type ServerChild, startServe } from "./serve-child.ts";

export const ADMIN_TOKEN = "bench-isolation-admin-token-0000";

/** Each bench client's bearer token (deterministic: the server is a scratch instance). */
export const tokenOf = (client: string) => `bench-${client}-token-0123456789abcdef`;

export const authOf = (client: string) => ({ Authorization: `Bearer ${tokenOf(client)}` });

export interface BenchServer extends ServerChild {
  base: URL;
  agent: Agent;
  /** The `--workers` value passed, if the server supports the option. */
  workers: number | undefined;
  /** One request on the server's keep-alive agent; throws unless the status is `expect`. */
  must(c: HttpCall, expect?: number): Promise<Buffer>;
}

export interface ServerPlan {
  imagesDir: string;
  features: ServeFeatures;
  /** `--workers N` when the server supports it; undefined leaves the server's default. */
  workers?: number;
  /** Clients created at start-up (`--client id:token`). */
  clients?: string[];
  extraArgs?: string[];
}

export async function startBenchServer(root: string, plan: ServerPlan): Promise<BenchServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "kplug-isolation-"));
  const args = [
    "--images",
    plan.imagesDir,
    "--data",
    dataDir,
    "--no-cache",
    "--no-helper",
    "--no-demo",
    "--admin-token",
    ADMIN_TOKEN,
  ];
  for (const id of plan.clients ?? []) args.push("--client", `${id}:${tokenOf(id)}`);
  const workers = plan.features.workers ? plan.workers : undefined;
  if (workers !== undefined) args.push("--workers", String(workers));
  args.push(...(plan.extraArgs ?? []));
  let child: ServerChild;
  try {
    child = await startServe(root, args);
  } catch (e) {
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  const base = new URL(child.url);
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  return {
    ...child,
    url: child.url,
    base,
    agent,
    workers,
    async must(c: HttpCall, expect = 200): Promise<Buffer> {
      const a = await call(base, agent, c);
      if (a.status !== expect) {
        throw new Error(
          `${c.method ?? "GET"} ${c.path}: HTTP ${a.status} (expected ${expect}): ${a.body.toString("utf8").slice(0, 300)}`,
        );
      }
      return a.body;
    },
    async stop() {
      agent.destroy();
      await child.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Uploads `source` as the client's plugin `name` (201 on a fresh server). */
export async function upload(
  server: BenchServer,
  client: string,
  name: string,
  source: string,
): Promise<void> {
  await server.must(
    {
      method: "PUT",
      path: `/clients/${client}/plugins/${name}`,
      headers: { ...authOf(client), "Content-Type": "text/x-c" },
      body: source,
    },
    201,
  );
}
