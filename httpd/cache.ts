// The transcode cache: an LRU bounded in bytes. Keys describe everything a result depends on
// (file identity, plugin versions, parameters, output format), so the ETag is derived from the
// key alone and a conditional request can be answered with 304 before any work is done.

import { createHash } from "node:crypto";

export interface CachedResponse {
  body: Buffer;
  contentType: string;
  etag: string;
  /** Width/height of the result, for headers and metrics. */
  width: number;
  height: number;
}

/** A strong validator for a cache key (quoted, as HTTP wants it). */
export function etagFor(key: string): string {
  return `"${createHash("sha256").update(key).digest("base64url").slice(0, 27)}"`;
}

/** Does an If-None-Match header value match this ETag (weak comparison, `*` included)? */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const bare = etag.replace(/^W\//, "");
  for (const part of ifNoneMatch.split(",")) {
    const tag = part.trim();
    if (tag === "*" || tag.replace(/^W\//, "") === bare) return true;
  }
  return false;
}

export class TranscodeCache {
  private readonly entries = new Map<string, CachedResponse>();
  private bytes = 0;
  hits = 0;
  misses = 0;
  evictions = 0;

  constructor(
    readonly maxBytes: number,
    public enabled = true,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get totalBytes(): number {
    return this.bytes;
  }

  get(key: string): CachedResponse | undefined {
    if (!this.enabled) return undefined;
    const entry = this.entries.get(key);
    if (!entry) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    // Map order is insertion order: re-inserting makes this the most recently used.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  set(key: string, value: CachedResponse): void {
    if (!this.enabled) return;
    this.delete(key);
    if (value.body.length > this.maxBytes) return;
    this.entries.set(key, value);
    this.bytes += value.body.length;
    for (const [oldKey, old] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldKey);
      this.bytes -= old.body.length;
      this.evictions++;
    }
  }

  delete(key: string): void {
    const old = this.entries.get(key);
    if (!old) return;
    this.entries.delete(key);
    this.bytes -= old.body.length;
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }
}
