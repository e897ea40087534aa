// The image store: one directory of originals. Names are single path components; a name that
// could climb out of the root ('..', separators, NUL, hidden files) is refused, and so is a
// symlink whose target resolves outside the root. Each file has an identity (device, inode,
// size, mtime) that keys every cache derived from it, so editing a file invalidates them.

import { readdir, readFile, realpath, stat } from "node:fs/promises";
import { join, sep } from "node:path";
import { formatFromName, type ImageFormat } from "./codecs.ts";

export class ImageNotFound extends Error {}
export class ForbiddenPath extends Error {}

export interface ImageEntry {
  name: string;
  format: ImageFormat;
  bytes: number;
  /** Changes whenever the file changes; part of every derived cache key. */
  identity: string;
  mtime: string;
}

export interface ImageFile extends ImageEntry {
  data: Buffer;
}

/** Is this a plausible single file name (no traversal, no hidden file, no control bytes)? */
export function isSafeName(name: string): boolean {
  if (name.length === 0 || name.length > 255) return false;
  if (name.startsWith(".")) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 0x20 || c === 0x7f || c === 0x2f /* / */ || c === 0x5c /* \ */) return false;
  }
  return true;
}

interface Cached {
  identity: string;
  data: Buffer;
}

export class ImageStore {
  private realRoot: string | undefined;
  // Originals kept in memory (like the paper's page cache), revalidated by stat on each read.
  private readonly originals = new Map<string, Cached>();
  private originalBytes = 0;

  constructor(
    readonly root: string,
    private readonly maxCachedBytes = 64 << 20,
  ) {}

  private async rootPath(): Promise<string> {
    this.realRoot ??= await realpath(this.root);
    return this.realRoot;
  }

  /** Resolves a name to a real path inside the root, or throws ForbiddenPath/ImageNotFound. */
  async resolve(name: string): Promise<string> {
    if (!isSafeName(name)) throw new ForbiddenPath(`forbidden image name: ${JSON.stringify(name)}`);
    const root = await this.rootPath();
    let real: string;
    try {
      real = await realpath(join(root, name));
    } catch {
      throw new ImageNotFound(`no such image: ${name}`);
    }
    if (!real.startsWith(root + sep)) {
      throw new ForbiddenPath(`image ${JSON.stringify(name)} resolves outside the image root`);
    }
    return real;
  }

  async list(): Promise<ImageEntry[]> {
    const root = await this.rootPath();
    const names = (await readdir(root)).filter((n) => isSafeName(n) && formatFromName(n)).sort();
    const entries: ImageEntry[] = [];
    for (const name of names) {
      try {
        entries.push(await this.entry(name));
      } catch {
        // Unreadable files, directories and escaping symlinks are simply not listed.
      }
    }
    return entries;
  }

  async entry(name: string): Promise<ImageEntry> {
    const format = formatFromName(name);
    if (!format) throw new ImageNotFound(`not an image: ${name}`);
    const real = await this.resolve(name);
    const st = await stat(real);
    if (!st.isFile()) throw new ImageNotFound(`not a file: ${name}`);
    return {
      name,
      format,
      bytes: st.size,
      identity: `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`,
      mtime: st.mtime.toISOString(),
    };
  }

  async read(name: string): Promise<ImageFile> {
    const entry = await this.entry(name);
    const cached = this.originals.get(name);
    if (cached && cached.identity === entry.identity) {
      // Refresh recency.
      this.originals.delete(name);
      this.originals.set(name, cached);
      return { ...entry, data: cached.data };
    }
    const data = await readFile(await this.resolve(name));
    this.remember(name, { identity: entry.identity, data });
    return { ...entry, bytes: data.length, data };
  }

  private remember(name: string, item: Cached): void {
    const old = this.originals.get(name);
    if (old) {
      this.originalBytes -= old.data.length;
      this.originals.delete(name);
    }
    if (item.data.length > this.maxCachedBytes) return;
    this.originals.set(name, item);
    this.originalBytes += item.data.length;
    for (const [key, value] of this.originals) {
      if (this.originalBytes <= this.maxCachedBytes) break;
      this.originals.delete(key);
      this.originalBytes -= value.data.length;
    }
  }
}
