// A throwaway PostgreSQL server for tests: initdb into a temporary directory, a free port on
// 127.0.0.1 (and the socket in the same directory), trust authentication. PostgreSQL refuses
// to run as root, so as root (CI) initdb and postgres run as the `postgres` system user of
// the Debian package (spawned with its uid and gid: a runuser in between would not pass on the
// shutdown signal) and own the directory. No mocks: the tests talk to it.

import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

/** The server binaries of the newest PostgreSQL Debian installed (or $KPLUG_PG_BIN). */
const BIN =
  process.env.KPLUG_PG_BIN ??
  join(
    "/usr/lib/postgresql",
    (existsSync("/usr/lib/postgresql") ? readdirSync("/usr/lib/postgresql") : ["15"]).sort(
      (a, b) => Number(b) - Number(a),
    )[0] ?? "15",
    "bin",
  );
const asRoot = process.getuid?.() === 0;

/** Spawn options that drop to the `postgres` user when we are root. */
function asPostgres(): { uid?: number; gid?: number } {
  if (!asRoot) return {};
  const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }));
  return { uid: id("-u"), gid: id("-g") };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export class TestPostgres {
  private child: ChildProcess | null = null;
  private databases = 0;

  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  /** Server URL for `database` (default: the bootstrap database `postgres`). */
  url(database = "postgres"): string {
    return `postgres://kplug@127.0.0.1:${this.port}/${database}`;
  }

  static async start(): Promise<TestPostgres> {
    const dir = mkdtempSync(join(tmpdir(), "kplug-pg-"));
    if (asRoot) {
      execFileSync("chown", ["postgres:postgres", dir]);
    }
    chmodSync(dir, 0o700);
    execFileSync(
      join(BIN, "initdb"),
      ["-D", join(dir, "data"), "-U", "kplug", "--auth=trust", "-E", "UTF8", "--no-sync"],
      { stdio: "pipe", ...asPostgres() },
    );
    const server = new TestPostgres(dir, await freePort());
    await server.resume();
    return server;
  }

  /** Starts (again) the server process on the same port and data. */
  async resume(): Promise<void> {
    const args = [
      "-D",
      join(this.dir, "data"),
      "-p",
      String(this.port),
      "-k",
      this.dir,
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "fsync=off",
      "-c",
      "max_connections=200",
    ];
    const child = spawn(join(BIN, "postgres"), args, {
      stdio: ["ignore", "ignore", "pipe"],
      ...asPostgres(),
    });
    let log = "";
    child.stderr?.on("data", (d: Buffer) => {
      log = (log + d.toString()).slice(-4000);
    });
    this.child = child;
    const until = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`postgres exited: ${log}`);
      const c = new pg.Client({ connectionString: this.url(), connectionTimeoutMillis: 1000 });
      try {
        await c.connect();
        await c.end();
        return;
      } catch {
        await c.end().catch(() => {});
        if (Date.now() > until) throw new Error(`postgres did not start: ${log}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  /** Stops the server (fast shutdown: connections are cut, as in a crash of the network). */
  async pause(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    this.child = null;
    const exited = new Promise((r) => child.once("exit", r));
    // SIGINT is PostgreSQL's fast shutdown: clients are disconnected at once.
    child.kill("SIGINT");
    await exited;
  }

  /** A new empty database; returns its URL. */
  async createDatabase(): Promise<string> {
    const name = `t${++this.databases}`;
    const c = new pg.Client({ connectionString: this.url() });
    await c.connect();
    try {
      await c.query(`CREATE DATABASE ${name}`);
    } finally {
      await c.end();
    }
    return this.url(name);
  }

  async stop(): Promise<void> {
    await this.pause();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
