// Closed-loop HTTP load for the isolation benchmark: N requests in flight on keep-alive
// connections, each started as soon as the previous one on its lane ends, for a fixed window.
// Records every request's latency and status, so a window yields requests/s, p99 and the mix of
// answers a hostile client got.

import { Agent, request } from "node:http";

export interface HttpCall {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  ms: number;
}

/** One request; a network error is status 0 (a hostile load must go on through resets). */
export function call(
  base: URL,
  agent: Agent,
  c: HttpCall,
  timeoutMs = 120_000,
): Promise<HttpAnswer> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const body = c.body === undefined ? undefined : Buffer.from(c.body);
    const req = request(
      {
        host: base.hostname,
        port: base.port,
        method: c.method ?? "GET",
        path: c.path,
        agent,
        headers: body ? { ...c.headers, "Content-Length": String(body.length) } : c.headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (d: Buffer) => chunks.push(d));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
            ms: performance.now() - t0,
          }),
        );
        res.on("error", () =>
          resolve({ status: 0, headers: {}, body: Buffer.alloc(0), ms: performance.now() - t0 }),
        );
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error("timeout")));
    req.on("error", () =>
      resolve({ status: 0, headers: {}, body: Buffer.alloc(0), ms: performance.now() - t0 }),
    );
    req.end(body);
  });
}

export interface LoadWindow {
  /**
   * Latencies (ms) of the requests that completed inside the window, plus the age of those
   * still in flight at its end (a lower bound: a stall must show in p99 even if nothing ends).
   */
  latencies: number[];
  /** Requests that completed inside the window. */
  completed: number;
  /** Completed answers by HTTP status (0 = network error). */
  statuses: Map<number, number>;
  windowMs: number;
}

/**
 * A closed loop of `lanes` concurrent requests. `start()` begins issuing; `measure(ms)` records
 * what completes during the next `ms`; `stop()` stops issuing and waits for the requests in
 * flight (bounded by their timeout).
 */
export class ClosedLoop {
  private running = false;
  private lanes: Promise<void>[] = [];
  private recording: LoadWindow | undefined;
  private readonly agent: Agent;
  /** Start time of each lane's request in flight (NaN when idle). */
  private readonly inFlight: number[];

  constructor(
    private readonly base: URL,
    private readonly next: () => HttpCall,
    private readonly laneCount: number,
    /** Milliseconds a lane waits after an answer with this status before its next request. */
    private readonly pauseAfter: (status: number) => number = () => 0,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: laneCount });
    this.inFlight = new Array(laneCount).fill(Number.NaN);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.lanes = Array.from({ length: this.laneCount }, (_, i) => this.lane(i));
  }

  private async lane(i: number): Promise<void> {
    while (this.running) {
      this.inFlight[i] = performance.now();
      const answer = await call(this.base, this.agent, this.next());
      this.inFlight[i] = Number.NaN;
      const pause = this.pauseAfter(answer.status);
      const window = this.recording;
      if (pause > 0) await new Promise((r) => setTimeout(r, pause));
      if (!window) continue;
      window.completed++;
      window.statuses.set(answer.status, (window.statuses.get(answer.status) ?? 0) + 1);
      window.latencies.push(answer.ms);
    }
  }

  /** Records a window of `ms`. */
  async measure(ms: number): Promise<LoadWindow> {
    const window: LoadWindow = { latencies: [], completed: 0, statuses: new Map(), windowMs: ms };
    this.recording = window;
    await new Promise((r) => setTimeout(r, ms));
    this.recording = undefined;
    const end = performance.now();
    for (const t of this.inFlight) if (!Number.isNaN(t)) window.latencies.push(end - t);
    return window;
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.lanes);
    this.agent.destroy();
  }
}

/** The q-quantile (0..1) of the values, nearest rank (p99 of 100 values is the largest but one). */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** "200×412, 503×3": a window's answers by status, most frequent first. */
export function statusMix(statuses: ReadonlyMap<number, number>): string {
  return [...statuses]
    .sort((a, b) => b[1] - a[1])
    .map(([s, n]) => `${s === 0 ? "net-error" : s}×${n}`)
    .join(", ");
}
