// `kplug serve [--port N] [--host H] [--images DIR] [--plugins DIR] [--data DIR] ...`: starts the
// kernel web server. With no flags it serves sample images it generates into the data
// directory and compiles the plugin library in plugins/.

import { randomBytes } from "node:crypto";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { ensureSamples, ImageServer, isSharpMissing } from "../httpd/index.ts";
import { isDatabaseUrl, redactSpec, StoreError, StoreLocked } from "../store/index.ts";
import { parseCommandLine, parseFuel, reportUsage } from "./args.ts";

export const usage = `usage: kplug serve [options]
  --port N            port to listen on (default 8080; 0 = any free port)
  --host H            address to bind (default 127.0.0.1)
  --images DIR        image directory (default: generated samples)
  --plugins DIR       plugin library sources (default: plugins/)
  --data DIR          samples, helper build, default store (default: $KPLUG_DATA or ~/.kplug)
  --store SPEC        where clients and plugins are kept: a data directory, or a
                      postgres://user@host/db URL for a fleet (default: $KPLUG_STORE, else
                      the data directory)
  --admin-token T     token for /admin (default: $KPLUG_ADMIN_TOKEN, else generated and printed)
  --client ID:TOKEN   create a client at start-up (repeatable)
  --fuel N            fuel budget per request for client plugins (default 50000000,
                      at most 2^53-1)
  --workers N         plugin worker threads (default: the number of cores)
  --max-runtimes N    client runtimes kept resident per worker (default 10000 ÷ workers); the least
                      recently used are evicted and rebuilt from the store on their next request
  --cache-bytes N     transcode cache size (default 64 MiB)
  --no-cache          switch the transcode cache off
  --no-helper         do not build the out-of-process native transcoder (engine=helper)
  --no-demo           do not create the 'demo' client (by default it gets a fresh token at
                      every start, printed below the URL)
  --no-sandbox        no token-free playground sessions (POST /playground/session: a small
                      sandbox client per browser session, in memory only, expiring when idle)`;

export async function main(argv: string[]): Promise<number> {
  try {
    return await serve(argv);
  } catch (e) {
    // sharp is an optional peer dependency, loaded when images are first made or served.
    if (!isSharpMissing(e)) throw e;
    process.stderr.write("kplug serve: needs the 'sharp' package (npm install sharp)\n");
    return 1;
  }
}

async function serve(argv: string[]): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (e) {
    return reportUsage("serve", (e as Error).message, usage);
  }
  const v = args.values;
  if (v.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const port = Number(v.port ?? process.env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    return reportUsage("serve", `--port needs a port number 0..65535 (got '${v.port}')`, usage);
  }
  const workers = v.workers === undefined ? undefined : Number(v.workers);
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1 && workers <= 256)) {
    return reportUsage("serve", `--workers needs a number 1..256 (got '${v.workers}')`, usage);
  }
  const maxRuntimes = v["max-runtimes"] === undefined ? undefined : Number(v["max-runtimes"]);
  if (maxRuntimes !== undefined && !(Number.isInteger(maxRuntimes) && maxRuntimes >= 1)) {
    return reportUsage(
      "serve",
      `--max-runtimes needs a number >= 1 (got '${v["max-runtimes"]}')`,
      usage,
    );
  }
  let fuel: number | undefined;
  if (v.fuel !== undefined) {
    const parsed = parseFuel(v.fuel);
    if ("error" in parsed) return reportUsage("serve", parsed.error, usage);
    fuel = parsed.fuel;
  }
  const dataDir = resolve(v.data ?? process.env.KPLUG_DATA ?? join(homedir(), ".kplug"));
  let imagesDir: string;
  try {
    imagesDir = v.images ? resolve(v.images) : await ensureSamples(dataDir);
  } catch (e) {
    // A read-only or full data directory, say: one line, not a stack.
    const err = e as NodeJS.ErrnoException;
    process.stderr.write(
      `kplug serve: cannot write the sample images into ${dataDir} (${err.code ?? err.message}); ` +
        "give --images DIR, or a writable --data DIR\n",
    );
    return 1;
  }
  const clients: Record<string, string> = {};
  for (const spec of v.client ?? []) {
    const colon = spec.indexOf(":");
    if (colon <= 0) {
      return reportUsage("serve", `--client wants ID:TOKEN (got '${spec}')`, usage);
    }
    clients[spec.slice(0, colon)] = spec.slice(colon + 1);
  }
  let adminToken = v["admin-token"] ?? process.env.KPLUG_ADMIN_TOKEN;
  const generatedAdmin = !adminToken;
  adminToken ??= randomBytes(24).toString("base64url");
  const storeSpec = v.store ?? process.env.KPLUG_STORE ?? dataDir;
  const store = isDatabaseUrl(storeSpec) ? storeSpec : resolve(storeSpec);
  let server: ImageServer;
  try {
    server = await ImageServer.create({
      imagesDir,
      pluginsDir: v.plugins ? resolve(v.plugins) : undefined,
      dataDir,
      store,
      cache: !v["no-cache"],
      cacheBytes: v["cache-bytes"] ? Number(v["cache-bytes"]) : undefined,
      adminToken,
      clients,
      clientDefaults: fuel === undefined ? undefined : { fuel },
      workers,
      runtimeCache: maxRuntimes === undefined ? undefined : { maxRuntimes },
      helper: !v["no-helper"],
      sandbox: v["no-sandbox"] ? false : undefined,
      log: (m) => process.stderr.write(`kplug serve: ${m}\n`),
    });
  } catch (e) {
    if (!(e instanceof StoreError)) throw e;
    process.stderr.write(`kplug serve: ${storeError(e, redactSpec(store))}\n`);
    return 1;
  }
  let url: string;
  try {
    url = await server.listen(port, v.host ?? "127.0.0.1");
  } catch (e) {
    await server.close();
    process.stderr.write(`kplug serve: ${listenError(e, port)}\n`);
    return 1;
  }
  const plugins = [...server.library.transforms.keys()].sort();
  process.stdout.write(
    `kplug serve: ${url}/  (images: ${imagesDir}; plugins: ${plugins.join(", ") || "none"})\n`,
  );
  if (generatedAdmin) process.stdout.write(`kplug serve: admin token ${adminToken}\n`);
  if (!v["no-demo"] && !Object.hasOwn(clients, "demo")) {
    const { token } = await server.clients.upsertClient("demo");
    process.stdout.write(`kplug serve: playground client 'demo', token ${token}\n`);
  }
  const stop = () => {
    server.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  return await new Promise<number>(() => {});
}

/** Why the store could not be opened, as one line. */
function storeError(e: StoreError, spec: string): string {
  if (e instanceof StoreLocked) {
    const holder = e.holderPid === undefined ? "another process" : `process ${e.holderPid}`;
    return `the store ${spec} is in use by ${holder} (one server per data directory; use --store postgres://... for several)`;
  }
  return `cannot open the store ${spec}: ${e.message.split("\n")[0]}`;
}

/** Why the server could not listen, as one line (a busy port is the usual case). */
function listenError(e: unknown, port: number): string {
  const err = e as NodeJS.ErrnoException;
  if (err.code === "EADDRINUSE") {
    return `port ${port} is already in use; pick another with --port N, or --port 0 for any free port`;
  }
  if (err.code === "EACCES") {
    return `no permission to listen on port ${port}; use a port above 1023, or --port 0`;
  }
  if (err.code === "EADDRNOTAVAIL") return `cannot listen on that --host: ${err.message}`;
  return `cannot listen: ${err.message}`;
}

function parse(argv: string[]) {
  return parseCommandLine({
    args: argv,
    options: {
      port: { type: "string" },
      host: { type: "string" },
      images: { type: "string" },
      plugins: { type: "string" },
      data: { type: "string" },
      store: { type: "string" },
      "admin-token": { type: "string" },
      client: { type: "string", multiple: true },
      fuel: { type: "string" },
      workers: { type: "string" },
      "max-runtimes": { type: "string" },
      "cache-bytes": { type: "string" },
      "no-cache": { type: "boolean" },
      "no-helper": { type: "boolean" },
      "no-demo": { type: "boolean" },
      "no-sandbox": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: false,
  });
}
