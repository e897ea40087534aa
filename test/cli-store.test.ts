// `kplug store migrate|export|import`, run as a user runs it (bin/kplug.js in a child process),
// against a data directory and a real PostgreSQL server started by the test harness.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { FileStore, openStore } from "../store/index.ts";
import { TestPostgres } from "./helpers/postgres.ts";
import { compiledFor, sourceFor, TOKEN } from "./store/contract.ts";

const bin = fileURLToPath(new URL("../bin/kplug.js", import.meta.url));
const root = mkdtempSync(join(tmpdir(), "kplug-cli-store-"));
let server: TestPostgres;
before(async () => {
  server = await TestPostgres.start();
});
after(async () => {
  await server?.stop();
  rmSync(root, { recursive: true, force: true });
});

let dirs = 0;
const tempDir = () => mkdtempSync(join(root, `d${++dirs}-`));

interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs kplug (asynchronously: the PostgreSQL server's pipes must keep flowing meanwhile). */
function kplug(args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}) {
  return new Promise<Result>((resolve, reject) => {
    const env = { ...process.env, ...options.env };
    if (!options.env || !("KPLUG_STORE" in options.env)) delete env.KPLUG_STORE;
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d;
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}

/** A failure is exactly one line on stderr, prefixed with the command, and status 1. */
function assertFailed(r: Result, pattern: RegExp): void {
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /^kplug store \w+: [^\n]+\n$/, r.stderr);
  assert.match(r.stderr, pattern);
}

/** A FileStore with clients and plugins (some with compiled wasm, some sources only). */
async function filledDataDir(clients: number): Promise<string> {
  const dir = tempDir();
  const store = await FileStore.open(dir);
  for (let i = 0; i < clients; i++) {
    await store.putClient(`c${i}`, {
      tokenSha256: TOKEN(`c${i}`),
      limits: { fuel: 1000 * (i + 1), memory: 1 << 20 },
    });
    for (let j = 0; j <= i; j++) {
      const tag = `c${i}p${j}`;
      await store.putPlugin(`c${i}`, `p${j}`, sourceFor(tag), j % 2 ? null : compiledFor(tag));
    }
  }
  await store.close();
  return dir;
}

/** An export's records without what each store assigns itself (versions, dates), sorted. */
function contents(jsonLines: string): string[] {
  const lines = jsonLines.split("\n").filter((l) => l !== "");
  const header = JSON.parse(lines[0]!);
  assert.equal(header.type, "kplug-store-export");
  return lines
    .slice(1)
    .map((l) => {
      const r = JSON.parse(l);
      if (r.type === "client") return ["client", r.id, r.tokenSha256, r.limits];
      assert.equal(r.type, "plugin");
      return ["plugin", r.client, r.name, r.source, r.compiled];
    })
    .map((r) => JSON.stringify(r))
    .sort();
}

async function tables(url: string): Promise<string[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'",
    );
    return rows.map((r) => r.name).sort();
  } finally {
    await c.end();
  }
}

async function sql(url: string, text: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

describe("kplug store migrate", () => {
  test("on an empty database creates the schema; a second run finds it up to date", async () => {
    const url = await server.createDatabase();
    assert.deepEqual(await tables(url), []);
    const first = await kplug(["store", "migrate", "--store", url]);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /applied migration 1: /);
    assert.deepEqual(await tables(url), [
      "kplug_clients",
      "kplug_migrations",
      "kplug_plugins",
      "kplug_version",
    ]);
    const again = await kplug(["store", "migrate"], { env: { KPLUG_STORE: url } });
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /schema up to date/);
    // The migrated database opens as a store, empty.
    const store = await openStore(url, { pollMs: 0 });
    assert.equal(store.kind, "postgres");
    for await (const _ of store.clients()) assert.fail("a migrated database starts empty");
    await store.close();
  });

  test("on a data directory creates its layout", async () => {
    const dir = join(tempDir(), "new");
    const r = await kplug(["store", "migrate", "--store", dir]);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(existsSync(join(dir, "store", "clients")));
  });
});

describe("kplug store export | import", () => {
  test("a data directory to PostgreSQL and back: the same clients and plugins", async () => {
    const dataDir = await filledDataDir(4);
    const file = join(tempDir(), "dump.jsonl");
    const exported = await kplug(["store", "export", "--store", dataDir, "-o", file]);
    assert.equal(exported.status, 0, exported.stderr);
    assert.equal(exported.stdout, "");
    assert.match(exported.stderr, /4 clients, 10 plugins/);
    const fromFiles = readFileSync(file, "utf8");
    assert.equal(contents(fromFiles).length, 4 + 10);

    const url = await server.createDatabase();
    const imported = await kplug(["store", "import", "--store", url, file]);
    assert.equal(imported.status, 0, imported.stderr);
    assert.match(imported.stdout, /4 clients, 10 plugins/);

    const fromPg = await kplug(["store", "export", "--store", url]);
    assert.equal(fromPg.status, 0, fromPg.stderr);
    assert.match(JSON.parse(fromPg.stdout.split("\n")[0]!).from, /^postgres$/);
    assert.deepEqual(contents(fromPg.stdout), contents(fromFiles));

    // And back, through stdin, into a fresh data directory.
    const back = tempDir();
    const piped = await kplug(["store", "import", "--store", back], { input: fromPg.stdout });
    assert.equal(piped.status, 0, piped.stderr);
    const again = await kplug(["store", "export", "--store", back]);
    assert.deepEqual(contents(again.stdout), contents(fromFiles));
  });

  test("a malformed line stops the import, saying where and what was written", async () => {
    const dataDir = await filledDataDir(2);
    const good = (await kplug(["store", "export", "--store", dataDir])).stdout.split("\n");
    // header, c0, c0/p0, then a broken client line.
    const broken = [...good.slice(0, 3), '{"type":"client","id":"../x"}', ...good.slice(3)];
    const target = tempDir();
    const r = await kplug(["store", "import", "--store", target], { input: broken.join("\n") });
    assertFailed(r, /stdin: line 4: client ids .*\(the lines before line 4 were imported\)/);
    const store = await FileStore.open(target);
    assert.deepEqual(
      store.plugins("c0").map((p) => p.name),
      ["p0"],
    );
    assert.equal(store.client("c1"), undefined);
    await store.close();

    assertFailed(
      await kplug(["store", "import", "--store", tempDir()], { input: "hello\n" }),
      /line 1: /,
    );
    assertFailed(await kplug(["store", "import", "--store", tempDir()]), /empty input/);
  });
});

describe("kplug store errors", () => {
  test("a data directory held by a server: StoreLocked, and no export file left", async () => {
    const dir = await filledDataDir(1);
    const holder = await FileStore.open(dir);
    try {
      const outDir = tempDir();
      const r = await kplug(["store", "export", "--store", dir, "-o", join(outDir, "x.jsonl")]);
      assertFailed(r, new RegExp(`in use by process ${process.pid}`));
      assert.deepEqual(readdirSync(outDir), []);
      assertFailed(
        await kplug(["store", "import", "--store", dir], { input: "" }),
        /in use by process/,
      );
    } finally {
      await holder.close();
    }
  });

  test("no database at the URL: StoreUnavailable, the password not shown", async () => {
    const closed = new URL(server.url());
    closed.password = "s3cret";
    closed.port = "1";
    const r = await kplug(["store", "export", "--store", closed.href]);
    assertFailed(r, /cannot open the PostgreSQL store at postgres:\/\/kplug:\*\*\*@.*ECONNREFUSED/);
    assert.doesNotMatch(r.stderr, /s3cret/);
    assert.equal(r.stdout, "");
    assertFailed(await kplug(["store", "migrate", "--store", closed.href]), /ECONNREFUSED/);
  });

  test("a read-only database: StoreReadOnly, nothing created", async () => {
    const url = await server.createDatabase();
    const name = new URL(url).pathname.slice(1);
    await sql(url, `ALTER DATABASE ${name} SET default_transaction_read_only = on`);
    assertFailed(await kplug(["store", "migrate", "--store", url]), /read-only transaction/);
    assert.deepEqual(await tables(url), []);
  });

  test("a schema newer than this kplug: refused", async () => {
    const url = await server.createDatabase();
    assert.equal((await kplug(["store", "migrate", "--store", url])).status, 0);
    await sql(url, "INSERT INTO kplug_migrations (id, name) VALUES (999, 'from the future')");
    assertFailed(await kplug(["store", "migrate", "--store", url]), /migration 999, newer/);
    assertFailed(await kplug(["store", "export", "--store", url]), /upgrade kplug/);
  });

  test("files that cannot be read or written: one line each", async () => {
    const dir = tempDir();
    assertFailed(
      await kplug(["store", "import", "--store", dir, join(dir, "missing.jsonl")]),
      /cannot read .*missing\.jsonl: no such file/,
    );
    assertFailed(
      await kplug(["store", "export", "--store", dir, "-o", join(dir, "no", "x.jsonl")]),
      /cannot write .*x\.jsonl: no such directory/,
    );
  });

  test("usage mistakes: one line, then the synopsis pointing at the help, status 2", async () => {
    for (const [args, pattern] of [
      [["store"], /no action/],
      [["store", "frob", "--store", "x"], /unknown action 'frob'/],
      [["store", "export"], /no store: give --store/],
      [["store", "migrate", "--store", "x", "-o", "y"], /-o\/--out is for export only/],
      [["store", "import", "--store", "x", "a", "b"], /unexpected argument 'b'/],
      [["store", "export", "--stroe", "x"], /unknown option '--stroe'/],
    ] as const) {
      const r = await kplug([...args]);
      assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(
        r.stderr,
        /^kplug store: [^\n]+\nusage: kplug store <action> [^\n]+ \(see 'kplug help store'\)\n$/,
      );
      assert.match(r.stderr, pattern);
    }
    const help = await kplug(["store", "--help"]);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^usage: kplug store <action> --store SPEC/);
  });
});
