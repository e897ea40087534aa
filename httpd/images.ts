// The image store: one directory of originals. Names are single path components; a name that
// could climb out of the root ('..', separators, NUL, hidden files) is refused, and so is a
// symlink whose target resolves outside the root. Each file has an identity (device, inode,
// size, mtime) that keys every cache derived from it, so editing a file invalidates them.
//
// Originals stay in memory (like the paper's page cache), decoded pixels too, bounded in bytes
// and least recently used first out. A cached file is revalidated by one stat of its path at
// most every `revalidateMs` (1 s by default, as web servers' open-file caches do): a stat is
// a syscall costing 8-20 µs here, more than the rest of serving a small image from memory.
// The stat is synchronous: an asynchronous one is a thread-pool round trip costing 50-150 µs of
// latency on a loaded machine. Path safety (realpath inside the root) is checked again
// whenever the identity changes: the same inode as before is the file that was checked.

import { type Stats, statSync } from "node:fs";
import { readdir, readFile, realpath, stat } from "node:fs/promises";
import { join, sep } from "node:path";
import { decodeImage } from "./codecs.ts";
import { formatFromName, type ImageFormat } from "./image-format.ts";
import { ORIGINALS_CACHE_BYTES, REVALIDATE_MS } from "./limits.ts";
import type { PixelLimits, RawImage } from "./raw-image.ts";

export class ImageNotFound extends Error {}
export class ForbiddenPath extends Error {}

export interface ImageEntry {
  readonly name: string;
  readonly format: ImageFormat;
  readonly bytes: number;
  /** Changes whenever the file changes; part of every derived cache key. */
  readonly identity: string;
  readonly mtime: string;
}

export interface ImageFile extends ImageEntry {
  readonly data: Buffer;
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

const identityOf = (st: Stats) => `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`;

/** A file kept in memory, with the stat fields that must not change for it to stay valid. */
interface Cached {
  file: ImageFile;
  path: string;
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  /** performance.now() of the last stat that found the file unchanged. */
  checked: number;
  /** The decoded pixels (a view of `file.data` for PNM), once asked for. */
  decoded: Promise<RawImage> | undefined;
  /** Bytes held beyond `file.data` by the decoded pixels. */
  decodedBytes: number;
}

export class ImageStore {
  private realRoot: string | undefined;
  private readonly originals = new Map<string, Cached>();
  private readonly byFile = new WeakMap<ImageFile, Cached>();
  private heldBytes = 0;

  constructor(
    readonly root: string,
    private readonly maxCachedBytes = ORIGINALS_CACHE_BYTES,
    /** How long a cached file is served without a stat; 0 checks on every read. */
    private readonly revalidateMs = REVALIDATE_MS,
  ) {}

  /** Bytes of originals and decoded pixels held in memory. */
  get cachedBytes(): number {
    return this.heldBytes;
  }

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
    return entryOf(name, format, st);
  }

  /** The file's bytes; the result is shared and must not be modified. */
  async read(name: string): Promise<ImageFile> {
    const cached = this.originals.get(name);
    if (cached !== undefined) {
      const now = performance.now();
      if (now - cached.checked < this.revalidateMs) {
        // Map order is insertion order: re-inserting makes this the most recently used.
        this.originals.delete(name);
        this.originals.set(name, cached);
        return cached.file;
      }
      const st = statSync(cached.path, { throwIfNoEntry: false });
      if (
        st !== undefined &&
        st.ino === cached.ino &&
        st.dev === cached.dev &&
        st.size === cached.size &&
        st.mtimeMs === cached.mtimeMs
      ) {
        cached.checked = now;
        this.originals.delete(name);
        this.originals.set(name, cached);
        return cached.file;
      }
      this.forget(name);
    }
    const format = formatFromName(name);
    if (!format) throw new ImageNotFound(`not an image: ${name}`);
    const real = await this.resolve(name);
    const st = await stat(real);
    if (!st.isFile()) throw new ImageNotFound(`not a file: ${name}`);
    const data = await readFile(real);
    // Stat again after the read: if the file changed meanwhile, the bytes are served but not
    // kept under an identity they may not match.
    const after = await stat(real);
    const file: ImageFile = { ...entryOf(name, format, after), bytes: data.length, data };
    if (identityOf(st) === identityOf(after) && after.size === data.length) {
      this.remember(name, {
        file,
        path: join(await this.rootPath(), name),
        dev: after.dev,
        ino: after.ino,
        size: after.size,
        mtimeMs: after.mtimeMs,
        checked: performance.now(),
        decoded: undefined,
        decodedBytes: 0,
      });
    }
    return file;
  }

  /**
   * The file's pixels, decoded once per identity while the file stays in memory, into a
   * SharedArrayBuffer: plugin workers read them without a copy, and posting them to a worker
   * never detaches them (a transfer would). The result is shared and must not be modified.
   */
  decode(file: ImageFile, limits: PixelLimits): Promise<RawImage> {
    const cached = this.byFile.get(file);
    if (cached === undefined || this.originals.get(file.name) !== cached) {
      return decodeImage(file.data, limits);
    }
    if (cached.decoded === undefined) {
      const decoding = decodeImage(file.data, limits).then(inSharedMemory);
      cached.decoded = decoding;
      decoding.then(
        (image) => {
          if (this.originals.get(file.name) !== cached) return;
          cached.decodedBytes = image.data.byteLength;
          this.heldBytes += cached.decodedBytes;
          this.evict(cached);
        },
        () => {
          // Not kept: a bad or oversized image is reported again on every request.
          if (cached.decoded === decoding) cached.decoded = undefined;
        },
      );
    }
    return cached.decoded;
  }

  private remember(name: string, item: Cached): void {
    this.forget(name);
    if (item.file.data.length > this.maxCachedBytes) return;
    this.originals.set(name, item);
    this.byFile.set(item.file, item);
    this.heldBytes += item.file.data.length;
    this.evict(item);
  }

  /** Drops least recently used entries until the bound holds (`keep`'s pixels last). */
  private evict(keep: Cached): void {
    for (const [key, value] of this.originals) {
      if (this.heldBytes <= this.maxCachedBytes) return;
      if (value !== keep) this.forget(key);
    }
    if (this.heldBytes > this.maxCachedBytes && keep.decodedBytes > 0) {
      this.heldBytes -= keep.decodedBytes;
      keep.decodedBytes = 0;
      keep.decoded = undefined;
    }
  }

  private forget(name: string): void {
    const old = this.originals.get(name);
    if (old === undefined) return;
    this.originals.delete(name);
    this.heldBytes -= old.file.data.length + old.decodedBytes;
  }
}

function entryOf(name: string, format: ImageFormat, st: Stats): ImageEntry {
  return {
    name,
    format,
    bytes: st.size,
    identity: identityOf(st),
    mtime: st.mtime.toISOString(),
  };
}

/** The image with its pixels copied into a SharedArrayBuffer (rows packed as they are). */
function inSharedMemory(image: RawImage): RawImage {
  const data = new Uint8Array(new SharedArrayBuffer(image.data.byteLength));
  data.set(image.data);
  return { ...image, data };
}
