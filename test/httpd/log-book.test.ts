// The main thread's log rings (log-book.ts) and a worker's capture (log-capture.ts) without a
// server: caps per client and in total, sequence numbers that count every loss, and a slow
// follower that loses lines (announced) instead of buffering without end.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { LOG_LIMITS } from "../../httpd/limits.ts";
import { type EventSink, LogBook } from "../../httpd/log-book.ts";
import { type LogBatch, LogCapture } from "../../httpd/log-capture.ts";

const line = (text: string) => ({ time: 0, plugin: "p", stream: "stdout" as const, text });
const utf8 = (s: string) => new TextEncoder().encode(s);

/** A sink whose reader never reads: every write after the first reports backpressure. */
class StuckSink implements EventSink {
  written: string[] = [];
  drain: (() => void) | undefined;
  ended = false;
  stuck = true;
  write(chunk: string): boolean {
    this.written.push(chunk);
    return !this.stuck;
  }
  once(_event: "drain", listener: () => void) {
    this.drain = listener;
    return this;
  }
  end() {
    this.ended = true;
  }
}

describe("LogBook", () => {
  test("a client's ring keeps the newest lines; dropped counts the rest exactly", () => {
    const book = new LogBook();
    const n = LOG_LIMITS.clientLines + 500;
    book.append("a", "r1", { lines: [], dropped: 7 });
    for (let i = 0; i < n; i++) book.append("a", "r1", { lines: [line(`l${i}`)], dropped: 0 });
    const page = book.read("a");
    assert.equal(page.next, n + 7);
    assert.equal(page.entries.length, LOG_LIMITS.clientLines);
    assert.equal(page.entries[0]!.text, `l${n - LOG_LIMITS.clientLines}`);
    assert.equal(page.dropped, 7 + 500);
    const tail = book.read("a", page.next - 3);
    assert.deepEqual(
      tail.entries.map((e) => e.text),
      [`l${n - 3}`, `l${n - 2}`, `l${n - 1}`],
    );
    assert.equal(tail.dropped, 0);
    assert.deepEqual(book.read("a", page.next + 100), { dropped: 0, next: page.next, entries: [] });
    assert.deepEqual(book.read("nobody"), { dropped: 0, next: 0, entries: [] });
  });

  test("all rings together stay under totalBytes; the least recently written lose first", () => {
    const book = new LogBook();
    const text = "x".repeat(LOG_LIMITS.lineBytes);
    const clients = Math.ceil(LOG_LIMITS.totalBytes / LOG_LIMITS.clientBytes) + 20;
    for (let c = 0; c < clients; c++) {
      for (let i = 0; i < 200; i++) book.append(`c${c}`, "r", { lines: [line(text)], dropped: 0 });
    }
    assert.ok(book.bytes <= LOG_LIMITS.totalBytes, `${book.bytes}`);
    assert.equal(book.read("c0").entries.length, 0);
    assert.equal(book.read("c0").dropped, 200);
    assert.ok(book.read(`c${clients - 1}`).entries.length > 0);
  });

  test("a slow follower gets at most its queue, then one dropped event", () => {
    const book = new LogBook();
    const sink = new StuckSink();
    const stop = book.follow("a", sink, undefined);
    const n = LOG_LIMITS.followerQueueLines + 100;
    for (let i = 0; i < n; i++) book.append("a", "r", { lines: [line(`l${i}`)], dropped: 0 });
    // One write went out (and reported backpressure); the queue holds the cap, no more.
    assert.equal(sink.written.length, 1);
    sink.stuck = false;
    sink.drain?.();
    const events = sink.written;
    assert.equal(events.length, 1 + LOG_LIMITS.followerQueueLines + 1);
    assert.match(events[events.length - 1]!, /^event: dropped\ndata: \{"dropped":99\}\n\n$/);
    book.append("a", "r", { lines: [line("after")], dropped: 0 });
    assert.match(sink.written[sink.written.length - 1]!, /"text":"after"/);
    stop();
    book.forget("a");
    assert.equal(sink.ended, false, "a stopped follower is not ended twice");
  });

  test("forgetting a client ends its followers", () => {
    const book = new LogBook();
    const sink = new StuckSink();
    sink.stuck = false;
    const stop = book.follow("a", sink, 0);
    book.forget("a");
    assert.equal(sink.ended, true);
    stop();
    // Its place is free again.
    for (let i = 0; i < LOG_LIMITS.followersPerClient; i++) book.follow("a", new StuckSink(), 0);
  });
});

describe("LogCapture", () => {
  test("splits lines, tags steps, caps a job and counts what it dropped", () => {
    const batches: LogBatch[] = [];
    const capture = new LogCapture((b) => batches.push(b));
    capture.stdout(utf8("outside a job is discarded\n"));
    capture.begin("one");
    capture.stdout(utf8("a\nb"));
    capture.stdout(utf8("c\npartial"));
    capture.step("two");
    capture.stderr(utf8("err\n"));
    capture.stdout(
      utf8(
        `${"y"
          .repeat(LOG_LIMITS.jobLines * 2)
          .split("")
          .join("\n")}\n`,
      ),
    );
    capture.end();
    const lines = batches.flatMap((b) => b.lines);
    const dropped = batches.reduce((n, b) => n + b.dropped, 0);
    assert.deepEqual(
      lines.slice(0, 4).map((l) => [l.plugin, l.stream, l.text]),
      [
        ["one", "stdout", "a"],
        ["one", "stdout", "bc"],
        ["one", "stdout", "partial"],
        ["two", "stderr", "err"],
      ],
    );
    assert.equal(lines.length, LOG_LIMITS.jobLines);
    assert.equal(lines.length + dropped, 4 + LOG_LIMITS.jobLines * 2);
    assert.ok(batches.every((b) => b.lines.length <= LOG_LIMITS.batchLines));
  });
});
