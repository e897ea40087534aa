// Clients and their plugins: the main thread's registry. Each client has a bearer token (only
// its SHA-256 is kept; tokens are compared in constant time), its settings (fuel, memory, CPU
// rate), its uploaded plugins (source and compiled module) and a stamp that changes whenever
// any of it changes. No runtime lives here: a client's runtime is built in a plugin worker from
// this record (PoolExecutor.specOf) and rebuilt when the stamp changes, so 100,000 registered
// clients cost their records only. Uploads are compiled and link-checked in a worker first
// (PluginBuilder), then persisted in the data directory (write to a temporary file, fsync,
// rename, fsync the directory) and compiled again (in workers) at start-up; an entry that is
// corrupt or no longer compiles is reported and skipped.

import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { mkdir, open, readdir, readFile, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Diagnostic } from "../cc/index.ts";
import { type PluginLibrary, versionOf } from "./library.ts";
import { PLUGIN_NAME } from "./plugin-abi.ts";
import type { WasmUpload } from "./plugin-check.ts";

export const CLIENT_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export interface ClientSettings {
  /** Fuel budget of one request's plugin chain. */
  fuel: number;
  /** Memory limit of the client's runtime, bytes. */
  memory: number;
  /** CPU rate: fuel per second the client's plugin work may use (429 beyond it). */
  rate: number;
}

export interface ClientPlugin {
  name: string;
  /** The C source, or for a wasm upload the client's C declarations ("" if none). */
  source: string;
  /** Uploaded as WebAssembly (persisted as `<name>.wasm`, its declarations as `<name>.h`). */
  foreign: boolean;
  version: string;
  compileMs: number;
  linkMs: number;
  updated: string;
  /** The module as workers link it: compiled from the C source, or the uploaded wasm. */
  wasm: Uint8Array<ArrayBuffer>;
  /** Symbols it exports and imports (to find the plugins that depend on it). */
  exports: string[];
  imports: string[];
}

export interface Client {
  id: string;
  tokenHash: Buffer;
  settings: ClientSettings;
  plugins: Map<string, ClientPlugin>;
  /** Changes whenever settings or plugins change: workers rebuild the runtime on a new one. */
  stamp: string;
}

/** A plugin compiled (and, for an upload, link-checked) in a worker. */
export interface BuiltPlugin {
  wasm: Uint8Array<ArrayBuffer>;
  diagnostics: Diagnostic[];
  compileMs: number;
  linkMs: number;
  exports: string[];
  imports: string[];
}

/** A plugin's code: C source, or WebAssembly from any toolchain with its declarations. */
export type PluginCode = string | WasmUpload;

/** Where uploads are compiled: the worker pool. Both throw PluginRejected for bad code. */
export interface PluginBuilder {
  /** Compiles and links the code as plugin `name` into a scratch copy of the client's runtime. */
  checkUpload(client: Client, name: string, code: PluginCode): Promise<BuiltPlugin>;
  /** Compiles (checks) a persisted plugin again (its client's runtime links it when built). */
  compilePersisted(client: Client, name: string, code: PluginCode): Promise<BuiltPlugin>;
}

let stamps = 0;
/** A stamp no other client state has had in this process. */
const nextStamp = (): string => (++stamps).toString(36);

export class Conflict extends Error {}

export const sha256 = (text: string): Buffer => createHash("sha256").update(text).digest();

/** Constant-time token check: both sides are hashed first, so lengths never differ. */
export function tokenMatches(presented: string | undefined, expectedHash: Buffer): boolean {
  const got = sha256(presented ?? "");
  return timingSafeEqual(got, expectedHash) && presented !== undefined;
}

/** The token in an `Authorization: Bearer ...` header, if any. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1] : undefined;
}

/** Atomic, durable file replacement: temp file, fsync, rename, fsync of the directory. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const dir = join(path, "..");
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  const fh = await open(tmp, "w", 0o600);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
  const dh = await open(dir, "r");
  try {
    await dh.sync();
  } finally {
    await dh.close();
  }
}

export interface ClientStoreOptions {
  library: PluginLibrary;
  builder: PluginBuilder;
  /** Where clients and their plugins persist; undefined keeps everything in memory. */
  dataDir?: string;
  defaults: ClientSettings;
  maxPluginsPerClient: number;
  /** Called when a client is deleted (its runtimes, counters and quarantine go with it). */
  onDeleted?: (id: string) => void;
  log?: (message: string) => void;
}

const DUMMY_HASH = sha256("no such client");

export class ClientStore {
  private readonly clients = new Map<string, Client>();
  readonly problems: string[] = [];

  constructor(private readonly options: ClientStoreOptions) {}

  private get clientsDir(): string | undefined {
    return this.options.dataDir ? join(this.options.dataDir, "clients") : undefined;
  }

  get all(): Client[] {
    return [...this.clients.values()];
  }

  get size(): number {
    return this.clients.size;
  }

  /** Gives the client a new stamp: workers rebuild its runtime on its next job. */
  touch(client: Client): void {
    client.stamp = nextStamp();
  }

  get(id: string): Client | undefined {
    return this.clients.get(id);
  }

  /** The client whose id and token these are, or undefined (same time either way). */
  authenticate(id: string, token: string | undefined): Client | undefined {
    const client = this.clients.get(id);
    const ok = tokenMatches(token, client?.tokenHash ?? DUMMY_HASH);
    return ok && client ? client : undefined;
  }

  /** Creates (or re-keys) a client; returns the token, generated unless one is given. */
  async upsertClient(
    id: string,
    options: { token?: string; settings?: Partial<ClientSettings> } = {},
  ): Promise<{ token: string; created: boolean }> {
    if (!CLIENT_ID.test(id)) throw new RangeError(`bad client id '${id}'`);
    const token = options.token ?? randomBytes(24).toString("base64url");
    const existing = this.clients.get(id);
    const settings = { ...this.options.defaults, ...existing?.settings, ...options.settings };
    if (existing) {
      existing.tokenHash = sha256(token);
      existing.settings = settings;
      this.touch(existing);
    } else {
      this.clients.set(id, this.makeClient(id, sha256(token), settings));
    }
    await this.persistClient(this.clients.get(id)!);
    return { token, created: !existing };
  }

  async deleteClient(id: string): Promise<boolean> {
    const client = this.clients.get(id);
    if (!client) return false;
    this.clients.delete(id);
    this.options.onDeleted?.(id);
    const dir = this.clientsDir;
    if (dir) await rm(join(dir, id), { recursive: true, force: true });
    return true;
  }

  private makeClient(id: string, tokenHash: Buffer, settings: ClientSettings): Client {
    return { id, tokenHash, settings, plugins: new Map(), stamp: nextStamp() };
  }

  /**
   * Compiles and link-checks (in a worker) then stores a client's plugin, new or replacing one.
   * The plugin named N must export `int N_transform(const image *, image *, const params *)`;
   * throws PluginRejected if not, or if it does not compile or link.
   */
  async putPlugin(
    client: Client,
    name: string,
    code: PluginCode,
  ): Promise<{ plugin: ClientPlugin; replaced: boolean; warnings: Diagnostic[] }> {
    this.checkName(client, name);
    const built = await this.options.builder.checkUpload(client, name, code);
    // Checked again: the client may have been deleted, or filled up, while it compiled.
    if (this.clients.get(client.id) !== client) throw new Conflict(`client '${client.id}' is gone`);
    this.checkName(client, name);
    const replaced = client.plugins.has(name);
    const plugin = this.record(name, code, built);
    await this.persistPlugin(client, plugin);
    client.plugins.set(name, plugin);
    this.touch(client);
    return { plugin, replaced, warnings: built.diagnostics };
  }

  private checkName(client: Client, name: string): void {
    if (!PLUGIN_NAME.test(name)) throw new RangeError(`bad plugin name '${name}'`);
    if (this.options.library.moduleNames.has(name) || this.options.library.transforms.has(name)) {
      throw new Conflict(`'${name}' is a library plugin; choose another name`);
    }
    if (!client.plugins.has(name) && client.plugins.size >= this.options.maxPluginsPerClient) {
      throw new Conflict(`at most ${this.options.maxPluginsPerClient} plugins per client`);
    }
  }

  private record(name: string, code: PluginCode, built: BuiltPlugin): ClientPlugin {
    const foreign = typeof code !== "string";
    const source = foreign ? (code.header ?? "") : code;
    return {
      name,
      source,
      foreign,
      version: foreign
        ? versionOf(Buffer.from(code.wasm).toString("base64") + source)
        : versionOf(source),
      compileMs: built.compileMs,
      linkMs: built.linkMs,
      updated: new Date().toISOString(),
      wasm: built.wasm,
      exports: built.exports,
      imports: built.imports,
    };
  }

  /** Removes a plugin and the client's plugins that import from it (directly or not). */
  async deletePlugin(client: Client, name: string): Promise<boolean> {
    const target = client.plugins.get(name);
    if (!target) return false;
    const gone = new Set([name]);
    const provided = new Set(target.exports);
    for (let grew = true; grew; ) {
      grew = false;
      for (const p of client.plugins.values()) {
        if (gone.has(p.name) || !p.imports.some((i) => provided.has(i))) continue;
        gone.add(p.name);
        for (const e of p.exports) provided.add(e);
        grew = true;
      }
    }
    for (const g of gone) {
      client.plugins.delete(g);
      const dir = this.clientsDir;
      for (const ext of [".c", ".wasm", ".h"]) {
        if (dir) await rm(join(dir, client.id, "plugins", `${g}${ext}`), { force: true });
      }
    }
    this.touch(client);
    return true;
  }

  private async persistClient(client: Client): Promise<void> {
    const dir = this.clientsDir;
    if (!dir) return;
    await mkdir(join(dir, client.id, "plugins"), { recursive: true });
    const record = {
      id: client.id,
      tokenSha256: client.tokenHash.toString("hex"),
      settings: client.settings,
    };
    await writeFileAtomic(
      join(dir, client.id, "client.json"),
      `${JSON.stringify(record, null, 2)}\n`,
    );
  }

  private async persistPlugin(client: Client, plugin: ClientPlugin): Promise<void> {
    const dir = this.clientsDir;
    if (!dir) return;
    await mkdir(join(dir, client.id, "plugins"), { recursive: true });
    const base = join(dir, client.id, "plugins", plugin.name);
    if (plugin.foreign) {
      // The declarations first: a crash between the two leaves a module that loads without them.
      await writeFileAtomic(`${base}.h`, plugin.source);
      await writeFileAtomic(`${base}.wasm`, plugin.wasm);
      await rm(`${base}.c`, { force: true });
    } else {
      await writeFileAtomic(`${base}.c`, plugin.source);
      await rm(`${base}.wasm`, { force: true });
    }
  }

  /** Re-creates persisted clients and re-links their plugins; problems are collected, not thrown. */
  async load(): Promise<void> {
    const dir = this.clientsDir;
    if (!dir) return;
    await mkdir(dir, { recursive: true });
    for (const id of (await readdir(dir)).sort()) {
      if (!CLIENT_ID.test(id)) continue;
      let client: Client;
      try {
        const record = JSON.parse(await readFile(join(dir, id, "client.json"), "utf8"));
        const hash = Buffer.from(String(record.tokenSha256), "hex");
        if (record.id !== id || hash.length !== 32) throw new Error("malformed client record");
        const settings = { ...this.options.defaults, ...validSettings(record.settings) };
        client = this.makeClient(id, hash, settings);
        this.clients.set(id, client);
      } catch (e) {
        this.report(`client '${id}' skipped: ${(e as Error).message}`);
        continue;
      }
      const pluginDir = join(dir, id, "plugins");
      let files: string[] = [];
      try {
        files = (await readdir(pluginDir)).filter((f) => /\.(c|wasm)$/.test(f)).sort();
      } catch {
        // No plugins yet.
      }
      for (const f of files) {
        const name = f.replace(/\.(c|wasm)$/, "");
        try {
          let code: PluginCode;
          if (f.endsWith(".c")) {
            code = await readFile(join(pluginDir, f), "utf8");
          } else {
            const wasm = new Uint8Array(await readFile(join(pluginDir, f)));
            const header = await readFile(join(pluginDir, `${name}.h`), "utf8").catch(() => "");
            code = { wasm, header: header || undefined };
          }
          const built = await this.options.builder.compilePersisted(client, name, code);
          client.plugins.set(name, this.record(name, code, built));
        } catch (e) {
          this.report(`client '${id}': plugin ${f} skipped: ${(e as Error).message}`);
        }
      }
    }
  }

  private report(message: string): void {
    this.problems.push(message);
    this.options.log?.(message);
  }
}

function validSettings(s: unknown): Partial<ClientSettings> {
  const out: Partial<ClientSettings> = {};
  if (s && typeof s === "object") {
    const { fuel, memory, rate } = s as Record<string, unknown>;
    if (typeof fuel === "number" && fuel > 0) out.fuel = fuel;
    if (typeof memory === "number" && memory > 0) out.memory = memory;
    if (typeof rate === "number" && rate > 0) out.rate = rate;
  }
  return out;
}
