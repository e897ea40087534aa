// Plugin logs on the main thread: a bounded ring of lines per client, fed by the workers'
// batches (log-capture.ts) whichever worker ran the job, so the log survives a worker being
// replaced. Each line gets the client's next sequence number; a line lost to a cap (in the
// worker, or evicted here) still uses its number, so a reader knows exactly how many it
// missed: `dropped` = the numbers in [since, next) it was not given.
//
// Bounds (LOG_LIMITS in limits.ts): lines and bytes per client (the oldest go), bytes over all
// clients (the least recently written clients lose their oldest lines first), and per follower
// a queue of lines not yet written to a slow reader (past it lines are dropped for that reader
// and announced by an `event: dropped`). What remains of a client whose lines were all evicted
// is its next sequence number.

import { LOG_LIMITS } from "./limits.ts";
import type { CapturedLine, LogBatch, LogStream } from "./log-capture.ts";

/** One line as GET /clients/{id}/logs answers it. */
export interface LogEntry {
  seq: number;
  /** ISO 8601. */
  time: string;
  plugin: string;
  /** The X-Request-Id of the request whose job printed it. */
  request: string;
  stream: LogStream;
  text: string;
  truncated?: true;
}

export interface LogPage {
  /** Lines numbered in [since, next) that are not in `entries` (evicted, or over a cap). */
  dropped: number;
  /** The sequence number the next line will get: pass it as `since` to read on. */
  next: number;
  entries: LogEntry[];
}

/** Where a follower's events go (a ServerResponse). */
export interface EventSink {
  write(chunk: string): boolean;
  once(event: "drain", listener: () => void): unknown;
  end(): unknown;
}

interface Stored {
  entry: LogEntry;
  /** Approximate bytes it holds in memory (UTF-16 strings and the object). */
  weight: number;
}

type Queued = { entry: LogEntry; weight: number } | { dropped: number };

class Follower {
  private readonly queue: Queued[] = [];
  private queuedBytes = 0;
  private waiting = false;
  closed = false;

  constructor(private readonly sink: EventSink) {}

  push(s: Stored): void {
    if (this.closed) return;
    const full =
      this.queue.length >= LOG_LIMITS.followerQueueLines ||
      this.queuedBytes + s.weight > LOG_LIMITS.followerQueueBytes;
    if (full) this.lose(1);
    else {
      this.queue.push(s);
      this.queuedBytes += s.weight;
    }
    this.pump();
  }

  /** Lines this reader will never see: one `event: dropped` before the next line. */
  lose(n: number): void {
    if (n <= 0) return;
    const last = this.queue[this.queue.length - 1];
    if (last && "dropped" in last) last.dropped += n;
    else this.queue.push({ dropped: n });
  }

  heartbeat(): void {
    if (!this.closed && !this.waiting) this.sink.write(": keep-alive\n\n");
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    this.sink.end();
  }

  pump(): void {
    while (!this.waiting && !this.closed && this.queue.length > 0) {
      const q = this.queue.shift()!;
      let text: string;
      if ("dropped" in q) {
        text = `event: dropped\ndata: ${JSON.stringify({ dropped: q.dropped })}\n\n`;
      } else {
        this.queuedBytes -= q.weight;
        text = `id: ${q.entry.seq}\ndata: ${JSON.stringify(q.entry)}\n\n`;
      }
      if (!this.sink.write(text)) {
        this.waiting = true;
        this.sink.once("drain", () => {
          this.waiting = false;
          this.pump();
        });
      }
    }
  }
}

class ClientLog {
  /** Oldest first; `head` is the first live slot (compacted now and then). */
  items: Stored[] = [];
  head = 0;
  bytes = 0;
  next = 0;
  readonly followers = new Set<Follower>();

  get size(): number {
    return this.items.length - this.head;
  }

  /** Drops the oldest line; returns the bytes freed. */
  shift(): number {
    const s = this.items[this.head++]!;
    this.bytes -= s.weight;
    if (this.head > 64 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return s.weight;
  }
}

/** An emptied log keeps only its counters (its sequence number must never go back). */
function release(log: ClientLog): void {
  if (log.size > 0) return;
  log.items = [];
  log.head = 0;
}

export class TooManyFollowers extends Error {}

const weightOf = (e: LogEntry): number =>
  96 + 2 * (e.text.length + e.plugin.length + e.request.length + e.time.length);

export class LogBook {
  /** By client, least recently written first (a write moves a client to the end). */
  private readonly logs = new Map<string, ClientLog>();
  private totalBytes = 0;
  private followers = 0;
  private heartbeat: NodeJS.Timeout | undefined;

  /** Bytes all rings hold (approximate heap), for /metrics and tests. */
  get bytes(): number {
    return this.totalBytes;
  }

  /** Appends a worker's batch for a client's job; `request` is that job's request id. */
  append(client: string, request: string, batch: LogBatch): void {
    const log = this.logOf(client);
    // Lines the worker dropped come first: they were printed before the batch's last lines
    // only when the job ran over its caps, and then every later line is dropped too.
    this.skip(log, batch.dropped);
    for (const line of batch.lines) this.add(log, client, request, line);
  }

  /** One line written by the server itself (a fault, a deadline) into a client's log. */
  note(client: string, request: string, plugin: string, stream: LogStream, text: string): void {
    const cut = text.length > LOG_LIMITS.lineBytes;
    const line: CapturedLine = {
      time: Date.now(),
      plugin,
      stream,
      text: cut ? text.slice(0, LOG_LIMITS.lineBytes) : text,
    };
    if (cut) line.truncated = true;
    this.add(this.logOf(client), client, request, line);
  }

  /** Lines numbered `since` and after (all kept lines when since is 0). */
  read(client: string, since = 0): LogPage {
    const log = this.logs.get(client);
    if (!log) return { dropped: 0, next: 0, entries: [] };
    const from = Math.min(Math.max(0, since), log.next);
    const entries: LogEntry[] = [];
    for (let i = log.head; i < log.items.length; i++) {
      const e = log.items[i]!.entry;
      if (e.seq >= from) entries.push(e);
    }
    return { dropped: log.next - from - entries.length, next: log.next, entries };
  }

  /**
   * Streams a client's lines to `sink` as server-sent events, starting with those numbered
   * `since` and after (undefined: only lines to come). Returns the function that stops it.
   * Throws TooManyFollowers past the per-client or total limit.
   */
  follow(client: string, sink: EventSink, since: number | undefined): () => void {
    this.checkFollow(client);
    const log = this.logOf(client);
    const f = new Follower(sink);
    log.followers.add(f);
    this.followers++;
    if (since !== undefined) {
      const page = this.read(client, since);
      f.lose(page.dropped);
      for (const e of page.entries) f.push({ entry: e, weight: weightOf(e) });
    }
    this.heartbeat ??= setInterval(() => this.beat(), LOG_LIMITS.heartbeatMs).unref();
    return () => {
      f.closed = true;
      // Already gone when the client was forgotten (its streams were ended then).
      if (!log.followers.delete(f)) return;
      this.followers--;
      if (this.followers === 0) this.stopHeartbeat();
      release(log);
    };
  }

  /** Throws TooManyFollowers if `follow` would (so a route can refuse before its head). */
  checkFollow(client: string): void {
    const open = this.logs.get(client)?.followers.size ?? 0;
    if (open >= LOG_LIMITS.followersPerClient || this.followers >= LOG_LIMITS.maxFollowers)
      throw new TooManyFollowers(
        `at most ${LOG_LIMITS.followersPerClient} log followers per client (${LOG_LIMITS.maxFollowers} in all)`,
      );
  }

  /** A deleted client's log goes, and its followers' streams end. */
  forget(client: string): void {
    const log = this.logs.get(client);
    if (!log) return;
    this.logs.delete(client);
    this.totalBytes -= log.bytes;
    for (const f of [...log.followers]) f.close();
    this.followers -= log.followers.size;
    log.followers.clear();
    if (this.followers === 0) this.stopHeartbeat();
  }

  close(): void {
    for (const client of [...this.logs.keys()]) this.forget(client);
    this.stopHeartbeat();
  }

  private logOf(client: string): ClientLog {
    let log = this.logs.get(client);
    if (log) {
      // Most recently written last: eviction takes from the front.
      this.logs.delete(client);
    } else log = new ClientLog();
    this.logs.set(client, log);
    return log;
  }

  private skip(log: ClientLog, n: number): void {
    if (n <= 0) return;
    log.next += n;
    for (const f of log.followers) {
      f.lose(n);
      f.pump();
    }
  }

  private add(log: ClientLog, client: string, request: string, line: CapturedLine): void {
    const entry: LogEntry = {
      seq: log.next++,
      time: new Date(line.time).toISOString(),
      plugin: line.plugin,
      request,
      stream: line.stream,
      text: line.text,
    };
    if (line.truncated) entry.truncated = true;
    const stored = { entry, weight: weightOf(entry) };
    log.items.push(stored);
    log.bytes += stored.weight;
    this.totalBytes += stored.weight;
    while (log.size > LOG_LIMITS.clientLines || log.bytes > LOG_LIMITS.clientBytes)
      this.totalBytes -= log.shift();
    for (const f of log.followers) f.push(stored);
    if (this.totalBytes > LOG_LIMITS.totalBytes) this.evict(client);
  }

  /** Takes the oldest lines of the least recently written clients until under the total. */
  private evict(keep: string): void {
    for (const [client, log] of this.logs) {
      if (this.totalBytes <= LOG_LIMITS.totalBytes) return;
      if (client === keep) continue;
      while (log.size > 0 && this.totalBytes > LOG_LIMITS.totalBytes)
        this.totalBytes -= log.shift();
      release(log);
    }
  }

  private beat(): void {
    for (const log of this.logs.values()) for (const f of log.followers) f.heartbeat();
  }

  private stopHeartbeat(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }
}
