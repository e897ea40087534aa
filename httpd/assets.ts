// The playground page's static assets, served by kplug itself (no network at run time). The
// page's TypeScript (httpd/public/main.ts, with CodeMirror) is bundled by esbuild: in the
// package at build time (`npm run build` writes dist/httpd/public/playground.js, so esbuild and
// CodeMirror are dev dependencies); in a checkout without that file, into memory on the first
// request and kept, so a fresh clone needs no build step before `npm start`.

import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

export const PUBLIC_DIR = join(dirname(fileURLToPath(import.meta.url)), "public");

export interface Asset {
  body: Buffer;
  /** The body gzipped once, for clients that accept it (the bundle shrinks about 3x). */
  gzip: Buffer;
  contentType: string;
  etag: string;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml",
};

function asset(body: Buffer, contentType: string): Asset {
  const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 22)}"`;
  return { body, gzip: gzipSync(body, { level: 9 }), contentType, etag };
}

/** The playground script bundled (esbuild, minified); also what the build writes to dist. */
export async function bundlePlayground(): Promise<Uint8Array> {
  const { build } = await import("esbuild");
  const result = await build({
    entryPoints: [join(PUBLIC_DIR, "main.ts")],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2020",
    minify: true,
    legalComments: "none",
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0].contents;
}

async function bundleScript(): Promise<Asset> {
  if (existsSync(join(PUBLIC_DIR, "playground.js"))) return readPublic("playground.js");
  return asset(Buffer.from(await bundlePlayground()), TYPES[".js"]);
}

async function readPublic(file: string): Promise<Asset> {
  const ext = file.slice(file.lastIndexOf("."));
  return asset(await readFile(join(PUBLIC_DIR, file)), TYPES[ext]);
}

/** The page's files by URL name. Only these names are served: nothing is looked up on disk. */
const SOURCES: Record<string, () => Promise<Asset>> = {
  "index.html": () => readPublic("index.html"),
  "playground.css": () => readPublic("playground.css"),
  "workbench.css": () => readPublic("workbench.css"),
  "playground.js": bundleScript,
};

export class AssetStore {
  private readonly loaded = new Map<string, Promise<Asset>>();

  /** The asset, built once (a failed build is retried on the next request), or undefined. */
  get(name: string): Promise<Asset> | undefined {
    const source = Object.hasOwn(SOURCES, name) ? SOURCES[name] : undefined;
    if (!source) return undefined;
    let p = this.loaded.get(name);
    if (!p) {
      p = source();
      p.catch(() => this.loaded.delete(name));
      this.loaded.set(name, p);
    }
    return p;
  }
}
