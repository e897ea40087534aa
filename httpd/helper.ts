// The out-of-process transcoder: builds httpd/transcoder-helper.c with the plugin library's C
// (gcc -O2, native) and talks to it over a pipe, one request at a time in FIFO order. This is
// the paper's "transcode at user level" baseline for the macro-benchmark, and a native oracle
// for the plugin tests.

import { type ChildProcessWithoutNullStreams, execFile, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { IMAGE_HEADER } from "./image-header.ts";
import { PARAMS_STRUCT_SIZE, type PluginParams, writeParams } from "./plugin-abi.ts";
import type { RawImage } from "./raw-image.ts";

const here = dirname(fileURLToPath(import.meta.url));
export const PLUGINS_DIR = join(here, "..", "plugins");
const HELPER_SOURCE = join(here, "transcoder-helper.c");

/** Compiles the helper into `cacheDir` (once per source version) and returns its path. */
export async function buildHelper(cacheDir: string, pluginsDir = PLUGINS_DIR): Promise<string> {
  const cFiles = (await readdir(pluginsDir)).filter((f) => f.endsWith(".c")).sort();
  const hash = createHash("sha256");
  hash.update(IMAGE_HEADER).update(await readFile(HELPER_SOURCE));
  for (const f of cFiles) hash.update(f).update(await readFile(join(pluginsDir, f)));
  const dir = join(cacheDir, "helper");
  const exe = join(dir, `transcoder-${hash.digest("hex").slice(0, 16)}`);
  if (existsSync(exe)) return exe;
  await mkdir(join(dir, "include", "kplug"), { recursive: true });
  await writeFile(join(dir, "include", "kplug", "image.h"), IMAGE_HEADER);
  const tmp = `${exe}.${process.pid}.tmp`;
  const args = ["-O2", "-I", join(dir, "include"), HELPER_SOURCE];
  args.push(...cFiles.map((f) => join(pluginsDir, f)), "-o", tmp);
  await promisify(execFile)("gcc", args);
  await rename(tmp, exe);
  return exe;
}

export class HelperError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

interface Pending {
  resolve: (image: RawImage) => void;
  reject: (e: Error) => void;
}

export class TranscoderHelper {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly queue: Pending[] = [];
  private chunks: Buffer[] = [];
  private buffered = 0;
  private dead: Error | undefined;

  constructor(exe: string) {
    this.child = spawn(exe, [], { stdio: ["pipe", "pipe", "pipe"] });
    this.child.stdout.on("data", (chunk: Buffer) => this.onData(chunk));
    this.child.on("exit", (code) => this.fail(new Error(`transcoder helper exited (${code})`)));
    this.child.on("error", (e) => this.fail(e));
    this.child.stdin.on("error", (e) => this.fail(e));
  }

  transform(name: string, image: RawImage, params: PluginParams): Promise<RawImage> {
    if (this.dead) return Promise.reject(this.dead);
    const nameBytes = Buffer.from(name, "latin1");
    const row = image.width * image.channels;
    const head = Buffer.alloc(4 + nameBytes.length + 12 + PARAMS_STRUCT_SIZE);
    head.writeInt32LE(nameBytes.length, 0);
    nameBytes.copy(head, 4);
    let off = 4 + nameBytes.length;
    head.writeInt32LE(image.width, off);
    head.writeInt32LE(image.height, off + 4);
    head.writeInt32LE(image.channels, off + 8);
    off += 12;
    writeParams(new DataView(head.buffer, head.byteOffset, head.length), off, params);
    this.child.stdin.write(head);
    if (image.stride === row) {
      this.child.stdin.write(image.data.subarray(0, row * image.height));
    } else {
      for (let y = 0; y < image.height; y++) {
        this.child.stdin.write(image.data.subarray(y * image.stride, y * image.stride + row));
      }
    }
    return new Promise((resolve, reject) => this.queue.push({ resolve, reject }));
  }

  private onData(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    while (this.queue.length > 0 && this.buffered >= 16) {
      const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
      this.chunks = [all];
      const status = all.readInt32LE(0);
      const width = all.readInt32LE(4);
      const height = all.readInt32LE(8);
      const channels = all.readInt32LE(12);
      const size = status === 0 ? width * height * channels : 0;
      if (all.length < 16 + size) return;
      const pending = this.queue.shift()!;
      if (status !== 0) {
        pending.reject(new HelperError(`transform failed with status ${status}`, status));
      } else {
        const data = new Uint8Array(all.subarray(16, 16 + size));
        pending.resolve({
          width,
          height,
          channels: channels === 1 ? 1 : 3,
          stride: width * channels,
          data,
        });
      }
      const rest = all.subarray(16 + size);
      this.chunks = rest.length > 0 ? [rest] : [];
      this.buffered = rest.length;
    }
  }

  private fail(e: Error): void {
    this.dead ??= e;
    for (const p of this.queue.splice(0)) p.reject(e);
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.stdin.end();
    await exited;
  }
}
