// `kplug store migrate|export|import --store SPEC`: prepares a store and moves its contents
// between stores as JSON lines (a data directory <-> PostgreSQL). Every store failure is one
// line on stderr and exit status 1; a usage mistake is status 2.

import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { open, rename, unlink } from "node:fs/promises";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import {
  exportStore,
  importStore,
  isDatabaseUrl,
  migrateStore,
  openStore,
  type PluginStore,
  redactSpec,
  StoreError,
} from "../store/index.ts";
import { fileError, parseCommandLine, reportUsage, UsageError } from "./args.ts";

export const usage = `usage: kplug store <action> --store SPEC [options]
actions:
  migrate             create or upgrade the store: the schema of a database, the layout of a
                      data directory (nothing else is read or changed)
  export [-o FILE]    write every client and plugin as JSON lines (default: to stdout)
  import [FILE]       read an export (default: from stdin) and write it into the store;
                      clients and plugins with the same ids and names are replaced
options:
  --store SPEC        a data directory or a postgres:// URL (default: $KPLUG_STORE)
  -o, --out FILE      export: write to FILE (complete or not at all) instead of stdout

A running server keeps its data directory locked: stop it before exporting from that
directory. A database can be exported and imported while the fleet runs; the nodes apply
an import like any upload. From a data directory into PostgreSQL:
  kplug store export --store ~/.kplug | kplug store import --store postgres://kplug@db/kplug`;

const ACTIONS = ["migrate", "export", "import"] as const;
type Action = (typeof ACTIONS)[number];

export async function main(argv: string[]): Promise<number> {
  let request: ReturnType<typeof readRequest>;
  try {
    request = readRequest(argv);
  } catch (e) {
    return reportUsage("store", (e as Error).message, usage);
  }
  const { action, spec } = request;
  const say = (stream: Writable, message: string) =>
    stream.write(`kplug store ${action}: ${message}\n`);
  try {
    switch (action) {
      case "migrate":
        say(process.stdout, await migrate(spec));
        break;
      case "export":
        say(process.stderr, await exportTo(spec, request.file));
        break;
      case "import":
        say(process.stdout, await importFrom(spec, request.file));
        break;
    }
    return 0;
  } catch (e) {
    if (e instanceof UsageError) return reportUsage("store", e.message, usage);
    say(process.stderr, failure(e));
    return 1;
  }
}

function parse(argv: string[]) {
  return parseCommandLine({
    args: argv,
    allowPositionals: true,
    options: {
      store: { type: "string" },
      out: { type: "string", short: "o" },
      help: { type: "boolean", short: "h" },
    },
  });
}

/** The action, the store and the file named on the command line (or a UsageError). */
function readRequest(argv: string[]): { action: Action; spec: string; file?: string } {
  const { values, positionals } = parse(argv);
  const [action, file, extra] = positionals;
  if (action === undefined) throw new UsageError("no action (migrate, export or import)");
  if (!(ACTIONS as readonly string[]).includes(action))
    throw new UsageError(`unknown action '${action}' (migrate, export or import)`);
  const spec = values.store ?? process.env.KPLUG_STORE;
  if (!spec) throw new UsageError("no store: give --store DIR|postgres://... or set KPLUG_STORE");
  if (values.out !== undefined && action !== "export")
    throw new UsageError("-o/--out is for export only");
  const takesFile = action === "import";
  const stray = takesFile ? extra : file;
  if (stray !== undefined) throw new UsageError(`unexpected argument '${stray}'`);
  return {
    action: action as Action,
    spec: isDatabaseUrl(spec) ? spec : resolve(spec),
    file: takesFile ? file : values.out,
  };
}

/** Why an action failed, as one line: the store's typed errors already say what and where. */
function failure(e: unknown): string {
  const message = (e as Error)?.message ?? String(e);
  // `pg` is an optional peer dependency, loaded only when a database URL is named.
  const missing = /Cannot find (?:package|module) '(pg)'/.exec(message)?.[1];
  if (missing) return `a postgres:// store needs the '${missing}' package (npm install pg)`;
  return message.split("\n")[0]!;
}

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;

async function withStore<T>(spec: string, use: (store: PluginStore) => Promise<T>): Promise<T> {
  const store = await openStore(spec, {
    pollMs: 0,
    log: (m) => process.stderr.write(`kplug store: ${m}\n`),
  });
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

async function migrate(spec: string): Promise<string> {
  const { kind, applied } = await migrateStore(spec);
  const where = redactSpec(spec);
  if (kind === "file") return `${where}: data directory ready`;
  if (applied.length === 0) return `${where}: schema up to date`;
  return `${where}: applied migration ${applied.join(", ")}`;
}

async function exportTo(spec: string, file: string | undefined): Promise<string> {
  // A file is written under a temporary name and renamed when complete (and synced), so a
  // failed export never leaves a truncated file that looks like a whole one.
  const path = file === undefined ? undefined : resolve(file);
  const temp = path && `${path}.${process.pid}.partial`;
  let out: Writable = process.stdout;
  if (temp) {
    const stream = createWriteStream(temp, { flags: "wx", mode: 0o600 });
    try {
      await once(stream, "open");
    } catch (e) {
      throw new Error(fileError("write", path!, e));
    }
    out = stream;
  }
  let clients = 0;
  let plugins = 0;
  try {
    await withStore(spec, async (store) => {
      for (const problem of store.problems)
        process.stderr.write(`kplug store export: warning: ${problem} (not exported)\n`);
      await writeLines(out, exportStore(store), (line) => {
        if (line.startsWith('{"type":"client"')) clients++;
        else if (line.startsWith('{"type":"plugin"')) plugins++;
      });
    });
    if (temp) {
      const handle = await open(temp, "r+");
      await handle.sync().finally(() => handle.close());
      await rename(temp, path!);
    }
  } catch (e) {
    if (temp) {
      out.destroy();
      await unlink(temp).catch(() => {});
    }
    throw e;
  }
  return `${count(clients, "client")}, ${count(plugins, "plugin")} from ${redactSpec(spec)}${path ? ` to ${path}` : ""}`;
}

/** Writes each line with its newline, waiting when the stream is full; rejects on its error. */
async function writeLines(
  out: Writable,
  lines: AsyncIterable<string>,
  seen: (line: string) => void,
): Promise<void> {
  // Kept for the life of the process: a closed pipe may report EPIPE after the last write.
  let failed: Error | undefined;
  out.on("error", (e: Error) => {
    failed ??= e;
  });
  try {
    for await (const line of lines) {
      seen(line);
      if (!out.write(`${line}\n`)) await once(out, "drain");
      if (failed) break;
    }
    if (out !== process.stdout && !failed) {
      out.end();
      await once(out, "close");
    }
  } catch (e) {
    if (!(e instanceof Error) || e instanceof StoreError) throw e;
    failed ??= e;
  }
  if (failed) {
    const epipe = (failed as NodeJS.ErrnoException).code === "EPIPE";
    throw new Error(`cannot write the export: ${epipe ? "the reader went away" : failed.message}`);
  }
}

async function importFrom(spec: string, file: string | undefined): Promise<string> {
  let input: Readable;
  let from: string;
  if (file === undefined) {
    if (process.stdin.isTTY)
      throw new UsageError("no export to read: give a FILE or pipe one into stdin");
    input = process.stdin;
    from = "stdin";
  } else {
    from = resolve(file);
    try {
      input = (await open(from, "r")).createReadStream();
    } catch (e) {
      throw new Error(fileError("read", from, e));
    }
  }
  // Counted here so that a failure can say how far the import got.
  let lineNo = 0;
  async function* counted(): AsyncIterable<string> {
    for await (const line of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
      lineNo++;
      yield line;
    }
  }
  try {
    const { clients, plugins } = await withStore(spec, (store) => importStore(store, counted()));
    return `${count(clients, "client")}, ${count(plugins, "plugin")} from ${from} into ${redactSpec(spec)}`;
  } catch (e) {
    if (!(e instanceof StoreError) || lineNo === 0) throw e;
    // Line 1 is the header: from line 3 on, earlier clients and plugins are in the store.
    const progress = lineNo > 2 ? ` (the lines before line ${lineNo} were imported)` : "";
    throw new Error(`${from}: ${failure(e)}${progress}`);
  } finally {
    input.destroy();
  }
}
