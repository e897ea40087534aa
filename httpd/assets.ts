// The playground page's static assets, served by kplug itself (no network at run time). The
// page's TypeScript (httpd/public/main.ts, with CodeMirror from node_modules) is bundled by
// esbuild into memory on the first request and kept: servers that never serve the page never
// pay for the bundle, and a fresh clone needs no build step before `npm start`.

import { createHash } from "node:crypto";
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

async function bundleScript(): Promise<Asset> {
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
  return asset(Buffer.from(result.outputFiles[0].contents), TYPES[".js"]);
}

async function readPublic(file: string): Promise<Asset> {
  const ext = file.slice(file.lastIndexOf("."));
  return asset(await readFile(join(PUBLIC_DIR, file)), TYPES[ext]);
}

/** The page's files by URL name. Only these names are served: nothing is looked up on disk. */
const SOURCES: Record<string, () => Promise<Asset>> = {
  "index.html": () => readPublic("index.html"),
  "playground.css": () => readPublic("playground.css"),
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
