// Fair scheduling of plugin work across tenants (issue 10): which client's job runs next on
// the worker pool, how many at once, and who is turned away.
//
// - One FIFO queue per client, bounded (`maxQueued`): excess is a `QueueFull` rejection (503).
// - Deficit round robin weighted by fuel *actually used*. A job's cost is known only after it
//   ran, so a dispatch charges the client's deficit with an estimate (the client's recent mean
//   fuel per job) and the completion corrects it by (estimate - fuel reported). Deficits may go
//   negative: a heavy job leaves a debt that later rounds repay while other clients are served.
//   A client is served while its deficit is positive; when no eligible client has credit, the
//   fewest rounds that give one of them credit are added to every backlogged client at once
//   (equivalent to running those empty rounds, without looping). A client that goes idle keeps
//   a debt but loses unused credit (no hoarding).
// - A per-client concurrency cap (`maxConcurrent`), so one tenant does not hold every executor
//   while others wait: the default leaves one executor to the others (DEFAULT_CONCURRENCY). The
//   cap gives way to a client that is alone: when no other client submitted anything in the
//   last second (RECENT_MS), idle executors go to it beyond its cap (a lone client uses the
//   whole pool), and the next free executor goes to whoever is under its cap again.
// - A per-client CPU rate: a token bucket in fuel per second (`fuelPerSecond`, `burstFuel`).
//   Completed jobs take their fuel from it; a job is admitted only while the bucket, less the
//   estimates of the client's queued and running jobs, is positive. Otherwise a `RateLimited`
//   rejection says in how many seconds it will be (429 + Retry-After).
//
// Pure logic: no timers, the clock is injected (`now`, ms), and execution is a function given
// at construction that returns a promise; the scheduler never runs more than `executors` jobs at
// once. With `WorkerPool.run` as `execute` and `executors` = pool size, the pool never queues.

/** Limits that apply per client (admin-settable; `defaults` apply to the rest). */
export interface ClientLimits {
  /** Jobs of this client running at once. */
  maxConcurrent: number;
  /** Jobs of this client waiting; more are rejected with QueueFull. */
  maxQueued: number;
  /** Sustained CPU rate, in fuel per second. */
  fuelPerSecond: number;
  /** Bucket size: fuel the client may use in a burst above its rate. */
  burstFuel: number;
}

/**
 * Fuel per millisecond of CPU, measured on the library plugins over a 1210x910 image (Node 20,
 * this machine kind): grayscale 0.22M, blur 0.18M, sobel 0.47M, invert 1.6M. Used to express
 * work that has no fuel count (a compile, a job killed by the watchdog) in fuel.
 */
export const FUEL_PER_MS = 500_000;

/** A client may use about one core continuously by default (admins raise or lower it). */
export const DEFAULT_FUEL_PER_SECOND = 1000 * FUEL_PER_MS;

/** How long a client counts as present after its last submission (see `aloneRecently`). */
const RECENT_MS = 1000;

/** Default cap: all executors but one (at least one), exceeded only by a client alone. */
export const DEFAULT_CONCURRENCY = (executors: number): number => Math.max(1, executors - 1);

/** Base of the scheduler's rejections; `status` is the HTTP answer the server gives. */
export class SchedulerRejection extends Error {
  constructor(
    readonly kind: "queue-full" | "rate-limited" | "closed" | "aborted",
    readonly client: string,
    message: string,
    readonly status: number,
    /** Seconds after which a retry may succeed (Retry-After), when known. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** The client's queue is full: 503. */
export class QueueFull extends SchedulerRejection {
  override name = "QueueFull";
  constructor(client: string, limit: number) {
    super("queue-full", client, `client '${client}' has ${limit} jobs waiting already`, 503, 1);
  }
}

/** The client is over its CPU rate: 429 with Retry-After. */
export class RateLimited extends SchedulerRejection {
  override name = "RateLimited";
  constructor(client: string, retryAfterSeconds: number) {
    super(
      "rate-limited",
      client,
      `client '${client}' is over its CPU rate; retry in ${retryAfterSeconds} s`,
      429,
      retryAfterSeconds,
    );
  }
}

export interface SchedulerOptions<J, R> {
  /** Jobs run at once over all clients (the pool's size). */
  executors: number;
  /** Runs a job; the scheduler charges `fuelOf` its result. */
  execute: (job: J, client: string) => Promise<R>;
  /** Fuel a finished job used (a result may be a failure that still burnt fuel). */
  fuelOf: (result: R) => number;
  /** Credit added per round to every backlogged client (default 1M fuel, ~2 ms of CPU). */
  quantum?: number;
  defaults?: Partial<ClientLimits>;
  /** Milliseconds, monotonic (default performance.now). */
  now?: () => number;
}

export interface SubmitOptions {
  /** Aborting removes a job that has not started yet (it rejects with kind "aborted"). */
  signal?: AbortSignal;
}

interface Waiting<J, R> {
  job: J;
  resolve: (r: R) => void;
  reject: (e: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

/** What the scheduler knows of one client. */
interface ClientState<J, R> {
  id: string;
  limits: ClientLimits;
  /** Limits set for this client only (kept when it goes idle and is forgotten). */
  custom: boolean;
  queue: Waiting<J, R>[];
  /** Index of the queue's head (dequeue is O(1); the array is compacted now and then). */
  head: number;
  running: number;
  deficit: number;
  /** Mean fuel per job, exponentially weighted; charged at dispatch. */
  estimate: number;
  tokens: number;
  tokensAt: number;
  /** Whether it is in the round-robin ring. */
  active: boolean;
  stats: ClientStats;
}

export interface ClientStats {
  submitted: number;
  completed: number;
  fuelUsed: number;
  rejectedQueueFull: number;
  rejectedRateLimited: number;
}

/** The estimate's weight for the newest sample. */
const ESTIMATE_WEIGHT = 0.25;

export class Scheduler<J, R> {
  readonly executors: number;
  readonly quantum: number;
  readonly defaults: ClientLimits;
  private readonly clients = new Map<string, ClientState<J, R>>();
  /** Backlogged clients in round-robin order; `cursor` is the one being served. */
  private readonly ring: ClientState<J, R>[] = [];
  private cursor = 0;
  private runningTotal = 0;
  private closed = false;
  private readonly now: () => number;
  /** When each recently seen client last submitted (pruned as it is read). */
  private readonly lastSubmit = new Map<string, number>();

  constructor(private readonly options: SchedulerOptions<J, R>) {
    if (!(options.executors >= 1)) throw new RangeError("executors must be at least 1");
    this.executors = options.executors;
    this.quantum = options.quantum ?? 1_000_000;
    const rate = options.defaults?.fuelPerSecond ?? DEFAULT_FUEL_PER_SECOND;
    this.defaults = {
      maxConcurrent: DEFAULT_CONCURRENCY(options.executors),
      maxQueued: 64,
      fuelPerSecond: rate,
      burstFuel: rate,
      ...options.defaults,
    };
    this.now = options.now ?? (() => performance.now());
  }

  /** Sets a client's own limits (the rest stay the defaults). */
  setLimits(client: string, limits: Partial<ClientLimits>): void {
    const c = this.state(client);
    c.limits = { ...c.limits, ...limits };
    c.custom = true;
    c.tokens = Math.min(c.tokens, c.limits.burstFuel);
  }

  limitsOf(client: string): ClientLimits {
    return this.clients.get(client)?.limits ?? this.defaults;
  }

  /** Forgets a client's limits and counters (queued jobs are rejected). */
  removeClient(client: string): void {
    const c = this.clients.get(client);
    if (!c) return;
    for (const w of this.drain(c)) {
      w.reject(new SchedulerRejection("closed", client, "client removed", 503));
    }
    c.custom = false;
    this.forgetIfIdle(c);
  }

  stats(client: string): ClientStats & { queued: number; running: number; deficit: number } {
    const c = this.clients.get(client);
    const empty = {
      submitted: 0,
      completed: 0,
      fuelUsed: 0,
      rejectedQueueFull: 0,
      rejectedRateLimited: 0,
    };
    if (!c) return { ...empty, queued: 0, running: 0, deficit: 0 };
    return {
      ...c.stats,
      queued: c.queue.length - c.head,
      running: c.running,
      deficit: c.deficit,
    };
  }

  get running(): number {
    return this.runningTotal;
  }

  get queued(): number {
    let n = 0;
    for (const c of this.ring) n += c.queue.length - c.head;
    return n;
  }

  /**
   * Queues a job of `client`; resolves with its result once it ran. Rejects at once with
   * QueueFull or RateLimited when the client is over its limits.
   */
  submit(client: string, job: J, options: SubmitOptions = {}): Promise<R> {
    if (this.closed)
      return Promise.reject(new SchedulerRejection("closed", client, "scheduler closed", 503));
    const c = this.state(client);
    c.stats.submitted++;
    this.lastSubmit.set(client, this.now());
    const waiting = c.queue.length - c.head;
    if (waiting >= c.limits.maxQueued) {
      c.stats.rejectedQueueFull++;
      this.forgetIfIdle(c);
      return Promise.reject(new QueueFull(client, c.limits.maxQueued));
    }
    this.refill(c);
    const reserved = (waiting + c.running) * c.estimate;
    if (c.tokens - reserved <= 0) {
      c.stats.rejectedRateLimited++;
      const seconds = Math.max(1, Math.ceil((reserved - c.tokens + 1) / c.limits.fuelPerSecond));
      this.forgetIfIdle(c);
      return Promise.reject(new RateLimited(client, seconds));
    }
    if (options.signal?.aborted) return Promise.reject(aborted(client));
    return new Promise<R>((resolve, reject) => {
      const w: Waiting<J, R> = {
        job,
        resolve,
        reject,
        signal: options.signal,
        onAbort: undefined,
      };
      if (w.signal) {
        w.onAbort = () => this.cancel(c, w);
        w.signal.addEventListener("abort", w.onAbort, { once: true });
      }
      c.queue.push(w);
      if (!c.active) {
        c.active = true;
        this.ring.push(c);
      }
      this.pump();
    });
  }

  /** Rejects every waiting job; running ones finish. Later submits are rejected. */
  close(): void {
    this.closed = true;
    for (const c of [...this.ring]) {
      for (const w of this.drain(c)) {
        w.reject(new SchedulerRejection("closed", c.id, "scheduler closed", 503));
      }
    }
  }

  private state(client: string): ClientState<J, R> {
    let c = this.clients.get(client);
    if (c === undefined) {
      c = {
        id: client,
        limits: this.defaults,
        custom: false,
        queue: [],
        head: 0,
        running: 0,
        deficit: 0,
        estimate: this.quantum,
        tokens: this.defaults.burstFuel,
        tokensAt: this.now(),
        active: false,
        stats: {
          submitted: 0,
          completed: 0,
          fuelUsed: 0,
          rejectedQueueFull: 0,
          rejectedRateLimited: 0,
        },
      };
      this.clients.set(client, c);
    }
    return c;
  }

  /**
   * A client with nothing queued or running, default limits and a full bucket has no state
   * worth keeping: forgetting it keeps memory bounded by the active clients, not all clients.
   */
  private forgetIfIdle(c: ClientState<J, R>): void {
    if (c.active || c.running > 0 || c.custom || c.deficit < 0) return;
    this.refill(c);
    if (c.tokens >= c.limits.burstFuel) this.clients.delete(c.id);
  }

  private refill(c: ClientState<J, R>): void {
    const t = this.now();
    const elapsed = t - c.tokensAt;
    c.tokensAt = t;
    if (elapsed > 0) {
      c.tokens = Math.min(c.limits.burstFuel, c.tokens + (elapsed / 1000) * c.limits.fuelPerSecond);
    }
  }

  private drain(c: ClientState<J, R>): Waiting<J, R>[] {
    const out = c.queue.slice(c.head);
    c.queue = [];
    c.head = 0;
    for (const w of out) this.unlisten(w);
    this.deactivate(c);
    return out;
  }

  private unlisten(w: Waiting<J, R>): void {
    if (w.signal && w.onAbort) w.signal.removeEventListener("abort", w.onAbort);
  }

  private cancel(c: ClientState<J, R>, w: Waiting<J, R>): void {
    const i = c.queue.indexOf(w, c.head);
    if (i < 0) return; // already dispatched
    c.queue.splice(i, 1);
    if (c.queue.length === c.head) this.deactivate(c);
    w.reject(aborted(c.id));
  }

  /** Leaves the ring: unused credit is dropped (a debt stays). */
  private deactivate(c: ClientState<J, R>): void {
    if (!c.active) return;
    c.active = false;
    c.queue = [];
    c.head = 0;
    if (c.deficit > 0) c.deficit = 0;
    const i = this.ring.indexOf(c);
    this.ring.splice(i, 1);
    if (i < this.cursor) this.cursor--;
    if (this.cursor >= this.ring.length) this.cursor = 0;
  }

  private eligible(c: ClientState<J, R>, overCap = false): boolean {
    if (c.queue.length === c.head) return false;
    if (c.running < c.limits.maxConcurrent) return true;
    return overCap && this.aloneRecently(c.id);
  }

  /**
   * Whether no other client submitted work within RECENT_MS. Going over the cap is only for a
   * client that is alone: a job cannot be preempted once started (a compile may take 0.3 s),
   * so a client whose requests come one after another, with its queue empty in between, must
   * still find an executor free when its next request arrives. Measured with bench/isolation.ts:
   * beside compile bombs the good client kept 15 % of its solo throughput (p99 15x) when any
   * momentary gap in its queue let the bomber take every worker.
   */
  private aloneRecently(id: string): boolean {
    const since = this.now() - RECENT_MS;
    for (const [other, t] of this.lastSubmit) {
      if (t < since) this.lastSubmit.delete(other);
      else if (other !== id) return false;
    }
    return true;
  }

  /** Starts jobs while executors are free and some backlogged client may run. */
  private pump(): void {
    while (this.runningTotal < this.executors && this.ring.length > 0) {
      const c = this.next();
      if (c === undefined) return;
      this.dispatch(c);
    }
  }

  /**
   * The client to serve next: first among clients under their cap; when every backlogged client
   * is at its cap and executors are idle, among them too (work-conserving: a lone client may
   * use the whole pool, and gives the surplus back as soon as another client's job waits).
   */
  private next(): ClientState<J, R> | undefined {
    return this.pick(false) ?? this.pick(true);
  }

  /** DRR over the ring, adding rounds of credit when nobody eligible has any. */
  private pick(overCap: boolean): ClientState<J, R> | undefined {
    const n = this.ring.length;
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < n; k++) {
        const c = this.ring[(this.cursor + k) % n];
        if (c.deficit > 0 && this.eligible(c, overCap)) {
          this.cursor = (this.cursor + k) % n;
          return c;
        }
      }
      // Nobody eligible has credit: add the fewest rounds that give one of them some.
      let rounds = Number.POSITIVE_INFINITY;
      for (const c of this.ring) {
        if (this.eligible(c, overCap))
          rounds = Math.min(rounds, Math.ceil((1 - c.deficit) / this.quantum));
      }
      if (!Number.isFinite(rounds)) return undefined; // every backlogged client is at its cap
      for (const c of this.ring) c.deficit += rounds * this.quantum;
    }
    return undefined;
  }

  private dispatch(c: ClientState<J, R>): void {
    const w = c.queue[c.head];
    c.queue[c.head] = undefined as unknown as Waiting<J, R>;
    c.head++;
    if (c.head > 32 && c.head * 2 > c.queue.length) {
      c.queue = c.queue.slice(c.head);
      c.head = 0;
    }
    this.unlisten(w);
    const charged = c.estimate;
    c.deficit -= charged;
    c.running++;
    this.runningTotal++;
    // Served out of credit, or nothing left: the next client's turn.
    if (c.deficit <= 0 || c.queue.length === c.head) {
      this.cursor = (this.cursor + 1) % this.ring.length;
    }
    if (c.queue.length === c.head) this.deactivate(c);
    let run: Promise<R>;
    try {
      run = this.options.execute(w.job, c.id);
    } catch (e) {
      run = Promise.reject(e);
    }
    run.then(
      (result) => {
        this.finish(c, charged, this.options.fuelOf(result));
        w.resolve(result);
      },
      (error) => {
        // An executor that failed without a result: charge what was estimated.
        this.finish(c, charged, charged);
        w.reject(error);
      },
    );
  }

  private finish(c: ClientState<J, R>, charged: number, fuel: number): void {
    const used = Number.isFinite(fuel) && fuel > 0 ? fuel : 0;
    c.running--;
    this.runningTotal--;
    c.deficit += charged - used;
    c.estimate += ESTIMATE_WEIGHT * (used - c.estimate);
    this.refill(c);
    c.tokens -= used;
    c.stats.completed++;
    c.stats.fuelUsed += used;
    if (!c.active) {
      if (c.deficit > 0) c.deficit = 0;
      this.forgetIfIdle(c);
    }
    this.pump();
  }
}

function aborted(client: string): SchedulerRejection {
  return new SchedulerRejection("aborted", client, "request aborted before it ran", 499);
}
