// Clients and their plugins. Each client has a bearer token (only its SHA-256 is kept; tokens
// are compared in constant time) and its own runtime, the paper's per-client runtime: the
// plugin library is linked into it, and the client's uploads are compiled and linked beside
// it, where no other client can name, call or replace them. Uploads persist in the data
// directory (write to a temporary file, fsync, rename, fsync the directory) and are re-linked
// at start-up; an entry that is corrupt or no longer compiles is reported and skipped.

import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { mkdir, open, readdir, readFile, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Diagnostic } from "../cc/index.ts";
import type { Kernel, Runtime } from "../kernel/index.ts";
import { type PluginLibrary, versionOf } from "./library.ts";
import { CLIENT_QUARANTINE } from "./limits.ts";
import { PLUGIN_NAME } from "./plugin-abi.ts";
import {
  checkPlugin,
  checkWasmPlugin,
  linkPlugin,
  type WasmUpload,
  wasmPluginHeader,
} from "./plugin-check.ts";
import { createPluginRuntime } from "./runtimes.ts";

export const CLIENT_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export interface ClientSettings {
  /** Fuel budget per plugin upcall. */
  fuel: number;
  /** Memory limit of the client's runtime, bytes. */
  memory: number;
}

export interface ClientPlugin {
  name: string;
  /** The C source, or for a wasm upload the client's C declarations ("" if none). */
  source: string;
  /** The module of a wasm upload (persisted as `<name>.wasm`, its declarations as `<name>.h`). */
  wasm?: Uint8Array;
  version: string;
  compileMs: number;
  linkMs: number;
  updated: string;
}

export interface Client {
  id: string;
  tokenHash: Buffer;
  settings: ClientSettings;
  runtime: Runtime;
  plugins: Map<string, ClientPlugin>;
}

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
  kernel: Kernel;
  library: PluginLibrary;
  /** Where clients and their plugins persist; undefined keeps everything in memory. */
  dataDir?: string;
  defaults: ClientSettings;
  maxPluginsPerClient: number;
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
    this.options.kernel.destroyRuntime(client.runtime.name);
    const dir = this.clientsDir;
    if (dir) await rm(join(dir, id), { recursive: true, force: true });
    return true;
  }

  private makeClient(id: string, tokenHash: Buffer, settings: ClientSettings): Client {
    const runtime = createPluginRuntime(this.options.kernel, `client:${id}`, {
      ...settings,
      // Faults are answered per request; a hostile client only hurts its own runtime.
      quarantine: { ...CLIENT_QUARANTINE, action: "disable" },
    });
    this.options.library.linkInto(runtime, (p) =>
      this.problems.push(`client ${id}: library ${p.file}: ${p.message}`),
    );
    return { id, tokenHash, settings, runtime, plugins: new Map() };
  }

  /**
   * Compiles and links (or hot-swaps) a client's plugin. The plugin named N must export
   * `int N_transform(const image *, image *, const params *)`; throws PluginRejected if not.
   */
  async putPlugin(
    client: Client,
    name: string,
    code: string | WasmUpload,
    persist = true,
  ): Promise<{ plugin: ClientPlugin; replaced: boolean; warnings: Diagnostic[] }> {
    if (!PLUGIN_NAME.test(name)) throw new RangeError(`bad plugin name '${name}'`);
    if (this.options.library.moduleNames.has(name) || this.options.library.transforms.has(name)) {
      throw new Conflict(`'${name}' is a library plugin; choose another name`);
    }
    const replaced = client.plugins.has(name);
    if (!replaced && client.plugins.size >= this.options.maxPluginsPerClient) {
      throw new Conflict(`at most ${this.options.maxPluginsPerClient} plugins per client`);
    }
    const wasm = typeof code === "string" ? undefined : code;
    const source = wasm ? (wasm.header ?? "") : (code as string);
    let module: Parameters<Runtime["add"]>[1];
    let diagnostics: Diagnostic[] = [];
    let compileMs = 0;
    if (wasm) {
      checkWasmPlugin(name, wasm);
      module = wasm.wasm;
    } else {
      ({ module, diagnostics, compileMs } = checkPlugin(name, source));
    }
    const options = wasm ? { header: wasmPluginHeader(name, wasm.header) } : {};
    const linkMs = linkPlugin(name, source, () => {
      if (replaced) {
        client.runtime.replace(name, module, options);
        // New code starts with a clean record: a quarantine earned by the old code is lifted.
        if (client.runtime.plugin(name)?.disabled) client.runtime.reinstate(name);
      } else {
        client.runtime.add(name, module, options);
      }
    });
    const plugin: ClientPlugin = {
      name,
      source,
      version: wasm
        ? versionOf(Buffer.from(wasm.wasm).toString("base64") + source)
        : versionOf(source),
      compileMs,
      linkMs,
      updated: new Date().toISOString(),
      ...(wasm ? { wasm: wasm.wasm } : {}),
    };
    client.plugins.set(name, plugin);
    if (persist) await this.persistPlugin(client, plugin);
    return { plugin, replaced, warnings: diagnostics };
  }

  async deletePlugin(client: Client, name: string): Promise<boolean> {
    if (!client.plugins.has(name)) return false;
    // Other uploads of this client may import it: remove them too, as unlinking requires.
    const before = new Set(client.runtime.pluginNames);
    client.runtime.remove(name, { cascade: true });
    const after = new Set(client.runtime.pluginNames);
    for (const gone of before) {
      if (after.has(gone) || !client.plugins.has(gone)) continue;
      client.plugins.delete(gone);
      const dir = this.clientsDir;
      for (const ext of [".c", ".wasm", ".h"]) {
        if (dir) await rm(join(dir, client.id, "plugins", `${gone}${ext}`), { force: true });
      }
    }
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
    if (plugin.wasm) {
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
      const load = async (f: string) => {
        if (f.endsWith(".c")) {
          return this.putPlugin(
            client,
            f.slice(0, -2),
            await readFile(join(pluginDir, f), "utf8"),
            false,
          );
        }
        const name = f.slice(0, -5);
        const wasm = new Uint8Array(await readFile(join(pluginDir, f)));
        const header = await readFile(join(pluginDir, `${name}.h`), "utf8").catch(() => "");
        return this.putPlugin(client, name, { wasm, header: header || undefined }, false);
      };
      // Plugins may import each other: retry the failures until no more link.
      let pending = files;
      for (let round = 0; pending.length > 0 && round < files.length; round++) {
        const failed: string[] = [];
        for (const f of pending) await load(f).catch(() => failed.push(f));
        if (failed.length === pending.length) break;
        pending = failed;
      }
      for (const f of pending) {
        try {
          await load(f);
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
    const { fuel, memory } = s as Record<string, unknown>;
    if (typeof fuel === "number" && fuel > 0) out.fuel = fuel;
    if (typeof memory === "number" && memory > 0) out.memory = memory;
  }
  return out;
}
