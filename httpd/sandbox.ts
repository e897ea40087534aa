// The playground's demo sessions: `POST /playground/session` makes a sandbox client for one
// browser session without any token copied from a terminal. A sandbox client is an ordinary
// client (its own runtime, plugins, logs, fair share) with tight limits, kept in a MemoryStore
// (clients.ts routes ids starting "sandbox-" there): it never reaches the data directory or a
// fleet's database and does not survive a restart (the page then asks for a new session).
//
// What keeps sessions from being a way to exhaust the server: a cap on live sessions, a cap per
// address, a creation rate per address (token bucket; IPv6 grouped by /64), small limits per
// client (SANDBOX_LIMITS), and expiry: a session unused for `idleMs`, or older than `maxAgeMs`,
// is deleted with its runtime, plugins, logs and counters (the registry's onDeleted).

import { randomBytes } from "node:crypto";
import { isIP } from "node:net";
import { type ClientRegistry, SANDBOX_PREFIX } from "./clients.ts";
import { SANDBOX_LIMITS, type SandboxLimits } from "./limits.ts";

export interface SandboxSession {
  client: string;
  token: string;
  /** ISO 8601: when the session ends unless used before (idle expiry, capped by max age). */
  expiresAt: string;
}

/** No session now: too many live ones, or this address made too many; retry after. */
export class SandboxRefused extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

interface Live {
  address: string;
  created: number;
  lastUsed: number;
}

interface Bucket {
  tokens: number;
  at: number;
  live: number;
}

/** Addresses whose buckets are remembered; past it the fullest (oldest) ones go. */
const MAX_ADDRESSES = 10_000;

/** The rate-limiting key of an address: IPv4 as is, IPv6 by its /64 (one host's usual share). */
export function addressKey(address: string | undefined): string {
  if (!address) return "unknown";
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (v4) return v4[1]!;
  if (isIP(address) !== 6) return address;
  const [head, tail = ""] = address.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = [
    ...left,
    ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"),
    ...right,
  ];
  return `${groups
    .slice(0, 4)
    .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}

export class SandboxSessions {
  readonly limits: SandboxLimits;
  private readonly live = new Map<string, Live>();
  private readonly buckets = new Map<string, Bucket>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly clients: () => ClientRegistry,
    limits: Partial<SandboxLimits> = {},
    private readonly log: (message: string) => void = () => {},
    private readonly now: () => number = Date.now,
  ) {
    this.limits = { ...SANDBOX_LIMITS, ...limits };
    this.timer = setInterval(() => void this.sweep(), Math.min(30_000, this.limits.idleMs / 4));
    this.timer.unref();
  }

  get size(): number {
    return this.live.size;
  }

  /** Makes a sandbox client for a caller at `address`; throws SandboxRefused over a limit. */
  async create(address: string | undefined): Promise<SandboxSession> {
    await this.sweep();
    const l = this.limits;
    if (this.live.size >= l.maxSessions) {
      throw new SandboxRefused(
        `all ${l.maxSessions} playground sessions are in use; try again later or sign in`,
        60,
      );
    }
    const key = addressKey(address);
    const bucket = this.bucket(key);
    if (bucket.live >= l.maxSessionsPerAddress) {
      throw new SandboxRefused(
        `at most ${l.maxSessionsPerAddress} playground sessions per address at a time`,
        60,
      );
    }
    if (bucket.tokens < 1) {
      const wait = Math.ceil(((1 - bucket.tokens) * l.createEveryMs) / 1000);
      throw new SandboxRefused("too many playground sessions from this address", Math.max(1, wait));
    }
    bucket.tokens -= 1;
    bucket.live++;
    const id = `${SANDBOX_PREFIX}${randomBytes(10).toString("hex")}`;
    const t = this.now();
    this.live.set(id, { address: key, created: t, lastUsed: t });
    try {
      const { token } = await this.clients().upsertClient(id, {
        settings: { fuel: l.fuel, memory: l.memory, rate: l.rate },
      });
      return {
        client: id,
        token,
        expiresAt: new Date(this.expiry(this.live.get(id)!)).toISOString(),
      };
    } catch (e) {
      this.release(id);
      throw e;
    }
  }

  /** The session was used (an authenticated request): its idle clock starts over. */
  touch(id: string): void {
    const s = this.live.get(id);
    if (s) s.lastUsed = this.now();
  }

  /** When a session ends if unused (ms since the epoch); undefined when there is none. */
  expiresAt(id: string): number | undefined {
    const s = this.live.get(id);
    return s && this.expiry(s);
  }

  /** Deletes expired sessions' clients (their runtimes, plugins, logs go with them). */
  async sweep(): Promise<void> {
    const t = this.now();
    const expired = [...this.live].filter(([, s]) => this.expiry(s) <= t).map(([id]) => id);
    for (const id of expired) await this.end(id);
  }

  /** The client was deleted (by the admin, or by `end`): its session is over. */
  deleted(id: string): void {
    this.release(id);
  }

  /** Stops the expiry timer (the server is closing; its MemoryStore goes with it). */
  stop(): void {
    clearInterval(this.timer);
  }

  private async end(id: string): Promise<void> {
    if (!this.live.has(id)) return;
    this.release(id);
    try {
      await this.clients().deleteClient(id);
    } catch (e) {
      this.log(`sandbox client '${id}' could not be deleted: ${(e as Error).message}`);
    }
  }

  private release(id: string): void {
    const s = this.live.get(id);
    if (!s) return;
    this.live.delete(id);
    const b = this.buckets.get(s.address);
    if (b) b.live--;
  }

  private expiry(s: Live): number {
    return Math.min(s.lastUsed + this.limits.idleMs, s.created + this.limits.maxAgeMs);
  }

  /** The address's bucket, refilled for the time since it was last looked at. */
  private bucket(key: string): Bucket {
    const l = this.limits;
    const t = this.now();
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size >= MAX_ADDRESSES) this.forgetAddresses();
      b = { tokens: l.createBurst, at: t, live: 0 };
    }
    b.tokens = Math.min(l.createBurst, b.tokens + (t - b.at) / l.createEveryMs);
    b.at = t;
    // Most recently seen last, so the sweep of addresses takes the stalest first.
    this.buckets.delete(key);
    this.buckets.set(key, b);
    return b;
  }

  /** Forgets addresses that hold no session, stalest first, down to half the bound. */
  private forgetAddresses(): void {
    for (const [key, b] of this.buckets) {
      if (this.buckets.size < MAX_ADDRESSES / 2) return;
      if (b.live === 0) this.buckets.delete(key);
    }
  }
}
