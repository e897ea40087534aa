// The server's sizes in one place: request limits (ServerLimits, overridable per server), the
// sizes of its caches and runtimes, with defaults sized for a small box, plus the gate that
// bounds concurrent uploads (compiling is CPU work; a flood of uploads must not starve image
// requests).

import type { PixelLimits } from "./raw-image.ts";
import { DEFAULT_FUEL_PER_SECOND } from "./scheduler.ts";

export interface ServerLimits extends PixelLimits {
  /** Bytes of plugin source in one upload. */
  maxUploadBytes: number;
  /** Bytes of an admin request body. */
  maxAdminBodyBytes: number;
  /** Uploads (compile + link) in progress at once; more get 429. */
  maxConcurrentUploads: number;
  /** Plugins one client may have linked. */
  maxPluginsPerClient: number;
  /** Plugins in one ?plugin= chain. */
  maxChainLength: number;
  /** Bytes of a query string. */
  maxQueryBytes: number;
  /** Milliseconds a request body may take to arrive (slower bodies get 408). */
  bodyReadMs: number;
  /** Wall-clock limit of a plugin job (transcode, try) in a worker: the watchdog's deadline. */
  jobDeadlineMs: number;
  /** Wall-clock limit of a compile job (uploads, POST /compile) in a worker. */
  compileDeadlineMs: number;
  /** Bytes of a compiled module (code and data); larger ones are refused (413). */
  maxModuleBytes: number;
  /** Jobs one client may have waiting for a worker; more get 503. */
  maxQueuedJobs: number;
}

export const defaultLimits: ServerLimits = {
  maxWidth: 16384,
  maxHeight: 16384,
  maxPixels: 40_000_000,
  maxUploadBytes: 256 << 10,
  maxAdminBodyBytes: 16 << 10,
  maxConcurrentUploads: 4,
  maxPluginsPerClient: 64,
  maxChainLength: 16,
  maxQueryBytes: 4096,
  bodyReadMs: 10_000,
  jobDeadlineMs: 10_000,
  compileDeadlineMs: 10_000,
  maxModuleBytes: 16 << 20,
  maxQueuedJobs: 64,
};

/** Bytes of transcoded results kept (ServerOptions.cacheBytes). */
export const TRANSCODE_CACHE_BYTES = 64 << 20;
/** Bytes of originals and their decoded pixels kept in memory. */
export const ORIGINALS_CACHE_BYTES = 64 << 20;
/** How long a kept original is served without a stat of its file (ServerOptions.revalidateMs). */
export const REVALIDATE_MS = 1000;

/** The shared library runtime: trusted plugins, the largest images, no fuel bound to speak of. */
export const LIBRARY_RUNTIME = { memory: 512 << 20, fuel: 0x7fffffff } as const;
/**
 * A client's settings unless configured otherwise: fuel per request, memory bytes, and CPU
 * rate in fuel per second (about one core: FUEL_PER_MS in scheduler.ts).
 */
export const CLIENT_DEFAULTS = {
  fuel: 50_000_000,
  memory: 64 << 20,
  rate: DEFAULT_FUEL_PER_SECOND,
} as const;
/** Faults within the window that disable a client's plugin. */
export const CLIENT_QUARANTINE = { faults: 20, windowMs: 10_000 } as const;
/** What an admin may set for a client (PUT /admin/clients/{id}). */
export const CLIENT_BOUNDS = {
  minFuel: 1000,
  maxFuel: 0x7fffffff,
  minMemory: 1 << 20,
  maxMemory: 1 << 30,
  minRate: 1000,
  maxRate: 1e15,
  minTokenLength: 16,
} as const;
/** Distinct chains the playground's ledger remembers per client (arbitrary chains must not grow memory without end). */
export const LEDGER_MAX_CHAINS = 32;

/** The playground's token-free sandbox clients (sandbox.ts, POST /playground/session). */
export interface SandboxLimits {
  /** Live sessions in all; more get 429. */
  maxSessions: number;
  /** Live sessions per address (IPv6: per /64). */
  maxSessionsPerAddress: number;
  /** Creations per address: a bucket of `createBurst`, one more every `createEveryMs`. */
  createBurst: number;
  createEveryMs: number;
  /** A session unused this long ends (its client, runtime, plugins and logs are deleted). */
  idleMs: number;
  /** A session ends this long after it began, used or not. */
  maxAgeMs: number;
  /** The sandbox client's settings: fuel per request, memory bytes, CPU rate in fuel/s. */
  fuel: number;
  memory: number;
  rate: number;
  /** Plugins it may save, and bytes of one upload, try or compile body. */
  maxPlugins: number;
  maxUploadBytes: number;
}

export const SANDBOX_LIMITS: SandboxLimits = {
  maxSessions: 64,
  maxSessionsPerAddress: 4,
  createBurst: 5,
  createEveryMs: 60_000,
  idleMs: 30 * 60_000,
  maxAgeMs: 4 * 3600_000,
  fuel: 20_000_000,
  memory: 32 << 20,
  // Half a core (DEFAULT_FUEL_PER_SECOND is about one): compiles are charged by their time too.
  rate: DEFAULT_FUEL_PER_SECOND / 2,
  maxPlugins: 4,
  maxUploadBytes: 64 << 10,
};

/**
 * Plugin logs (log-capture.ts in the workers, log-book.ts on the main thread): what one job may
 * send, what each client's ring keeps, what all rings keep together, and what a follower
 * (`?follow=1`) may have queued. Past a cap the oldest lines go (or new ones are counted and
 * not kept); every loss is counted. Memory for logs is bounded by `totalBytes` plus the
 * followers' queues (`maxFollowers` × `followerQueueBytes`), whatever plugins print.
 */
export const LOG_LIMITS = {
  /** Bytes of one line kept; the rest of a longer line is cut (the entry says `truncated`). */
  lineBytes: 1024,
  /** Lines and bytes one job (a request's chain or a try) may send; more are counted as dropped. */
  jobLines: 256,
  jobBytes: 64 << 10,
  /** A worker posts its lines in batches of at most this many lines or bytes. */
  batchLines: 64,
  batchBytes: 16 << 10,
  /** A client's ring: lines and bytes (text and tags, in memory) kept; the oldest go first. */
  clientLines: 1000,
  clientBytes: 256 << 10,
  /** All rings together; past it the least recently written clients lose their oldest lines. */
  totalBytes: 32 << 20,
  /** Open `?follow=1` streams per client and in all. */
  followersPerClient: 4,
  maxFollowers: 256,
  /** Lines and bytes a follower may have waiting for a slow reader; more are dropped. */
  followerQueueLines: 256,
  followerQueueBytes: 256 << 10,
  /** A comment line this often keeps idle streams (and proxies) open. */
  heartbeatMs: 15_000,
} as const;

/** A counting gate: `tryEnter` never waits, so an overloaded server answers at once. */
export class ConcurrencyGate {
  private active = 0;
  constructor(readonly max: number) {}

  tryEnter(): boolean {
    if (this.active >= this.max) return false;
    this.active++;
    return true;
  }

  leave(): void {
    if (this.active > 0) this.active--;
  }

  get inUse(): number {
    return this.active;
  }
}
