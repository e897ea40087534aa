// Follows the signed-in client's plugin logs into the console: server-sent events
// (`GET /clients/{id}/logs?follow=1`), from the oldest line the server keeps and resumed from
// the last sequence number after a drop, or polling (`?since=`) when the stream cannot be had
// (429: too many followers). A server without the route (404) is told once and left alone.

import { followLogs, getLogs, isFailure, type LogEntry, type Session } from "./api.ts";
import type { ConsolePane } from "./console.ts";

const RETRY_MS = 2000;

export class LogFollower {
  private abort: AbortController | undefined;
  /** The sequence number to ask for next. */
  private next = 0;
  /** The server's count of lines it dropped, as last seen (it only grows). */
  private dropped = 0;
  private generation = 0;
  onUnauthorized: () => void = () => {};

  constructor(private readonly pane: ConsolePane) {}

  start(session: Session | undefined): void {
    this.abort?.abort();
    this.next = 0;
    this.dropped = 0;
    const gen = ++this.generation;
    if (!session) {
      this.pane.setStatus("");
      return;
    }
    this.abort = new AbortController();
    void this.run(gen, session, this.abort.signal);
  }

  private entry(e: LogEntry): void {
    if (typeof e.seq === "number" && e.seq < this.next) return; // seen before a reconnect
    if (typeof e.seq === "number") this.next = e.seq + 1;
    this.pane.log(e);
  }

  private async run(gen: number, session: Session, signal: AbortSignal): Promise<void> {
    let streaming = true;
    while (gen === this.generation) {
      try {
        if (streaming) {
          this.pane.setStatus("live");
          const f = await followLogs(session, this.next, signal, {
            entry: (e) => this.entry(e),
            dropped: (n) => this.pane.dropped(n),
          });
          if (f?.status === 404) return this.pane.setStatus("no plugin logs on this server");
          if (f?.status === 401) return this.onUnauthorized();
          if (f) streaming = false; // the stream is refused: poll instead
        } else {
          const page = await getLogs(session, this.next);
          if (isFailure(page)) {
            if (page.status === 404) return this.pane.setStatus("no plugin logs on this server");
            if (page.status === 401) return this.onUnauthorized();
          } else {
            if (page.dropped > this.dropped) this.pane.dropped(page.dropped - this.dropped);
            this.dropped = Math.max(this.dropped, page.dropped);
            for (const e of page.entries) this.entry(e);
            if (typeof page.next === "number") this.next = Math.max(this.next, page.next);
            this.pane.setStatus("polling");
          }
        }
      } catch {
        if (signal.aborted) return;
        this.pane.setStatus("reconnecting…");
      }
      await new Promise((r) => setTimeout(r, RETRY_MS));
    }
  }
}
