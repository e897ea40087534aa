// Plugin logs end to end: what a client's plugins print in the workers reaches its ring on the
// main thread, tagged with plugin and request id; the ring stays bounded under a flood; only
// the client (or the admin) reads it; `?follow=1` streams lines printed by later requests.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { LOG_LIMITS } from "../../httpd/limits.ts";
import type { LogEntry, LogPage } from "../../httpd/log-book.ts";
import { ADMIN_TOKEN, createClient, type Harness, putPlugin, startServer } from "./harness.ts";

const TALK = `#include <stdio.h>
#include "kplug/image.h"
int talk_transform(const image *in, image *out, const params *p) {
  printf("talk: %dx%d threshold=%d\\n", in->width, in->height, p->threshold);
  printf("no newline at the end");
  *out = *in;
  return IMAGE_OK;
}
`;

const FLOOD = `#include <stdio.h>
#include "kplug/image.h"
int flood_transform(const image *in, image *out, const params *p) {
  for (int i = 0; i < 20000; i++) printf("flood line %d of request %d\\n", i, p->threshold);
  for (int i = 0; i < 5000; i++) putchar('x');
  *out = *in;
  return IMAGE_OK;
}
`;

const CRASH = `#include <stdio.h>
#include "kplug/image.h"
int crash_transform(const image *in, image *out, const params *p) {
  printf("about to crash\\n");
  uint8_t *bad = (uint8_t *)0x7ffffff0;
  bad[100] = 1;
  *out = *in;
  return 0;
}
`;

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

describe("plugin logs", () => {
  let h: Harness;
  let token: string;
  before(async () => {
    h = await startServer({ workers: 2, cache: false });
    token = await createClient(h, "alice");
    for (const [name, src] of [
      ["talk", TALK],
      ["flood", FLOOD],
      ["crash", CRASH],
    ]) {
      const r = await putPlugin(h, "alice", token, name, src);
      assert.equal(r.status, 201, await r.text());
    }
  });
  after(() => h.stop());

  const image = (query: string, headers: Record<string, string> = {}) =>
    fetch(`${h.url}/images/small.ppm?client=alice&${query}`, {
      headers: { ...auth(token), ...headers },
    });
  const logs = async (query = "", t = token): Promise<LogPage> => {
    const r = await fetch(`${h.url}/clients/alice/logs${query}`, { headers: auth(t) });
    assert.equal(r.status, 200, await r.clone().text());
    return (await r.json()) as LogPage;
  };

  test("a request's printf lines are tagged with plugin, stream and its X-Request-Id", async () => {
    const r = await image("plugin=talk&threshold=77");
    assert.equal(r.status, 200);
    const id = r.headers.get("x-request-id");
    assert.ok(id && id.length > 0);
    const page = await logs();
    const mine = page.entries.filter((e) => e.request === id);
    assert.deepEqual(
      mine.map((e) => [e.plugin, e.stream, e.text]),
      [
        ["talk", "stdout", "talk: 40x30 threshold=77"],
        ["talk", "stdout", "no newline at the end"],
      ],
    );
    assert.ok(!Number.isNaN(Date.parse(mine[0]!.time)));
    assert.equal(mine[1]!.seq, mine[0]!.seq + 1);
    // A caller's own request id is kept, answered and carried by the lines.
    const r2 = await image("plugin=talk&threshold=5", { "x-request-id": "trace-abc.123" });
    assert.equal(r2.headers.get("x-request-id"), "trace-abc.123");
    const after = await logs(`?since=${page.next}`);
    assert.equal(after.dropped, 0);
    assert.deepEqual(
      after.entries.map((e) => [e.request, e.text]),
      [
        ["trace-abc.123", "talk: 40x30 threshold=5"],
        ["trace-abc.123", "no newline at the end"],
      ],
    );
    assert.equal(after.next, page.next + 2);
    // Every response has an id, errors and routes without plugins included.
    const missing = await fetch(`${h.url}/no/such/route`);
    assert.ok(missing.headers.get("x-request-id"));
  });

  test("only the client's token or the admin's reads the log", async () => {
    const bob = await createClient(h, "bob");
    assert.equal((await fetch(`${h.url}/clients/alice/logs`)).status, 401);
    assert.equal((await fetch(`${h.url}/clients/alice/logs`, { headers: auth(bob) })).status, 401);
    assert.equal(
      (await fetch(`${h.url}/clients/alice/logs`, { headers: auth(ADMIN_TOKEN) })).status,
      200,
    );
    const none = await fetch(`${h.url}/clients/nobody/logs`, { headers: auth(ADMIN_TOKEN) });
    assert.equal(none.status, 404);
    const bad = await fetch(`${h.url}/clients/alice/logs?since=-1`, { headers: auth(token) });
    assert.equal(bad.status, 400);
  });

  test("a fault is logged on stderr after what the plugin printed", async () => {
    const r = await image("plugin=crash");
    assert.equal(r.status, 500);
    const id = r.headers.get("x-request-id");
    const mine = (await logs()).entries.filter((e) => e.request === id);
    assert.equal(mine[0]?.text, "about to crash");
    assert.equal(mine[1]?.stream, "stderr");
    assert.equal(mine[1]?.plugin, "crash");
    assert.match(mine[1]!.text, /out-of-bounds/);
  });

  test("a flood: the ring stays bounded, dropped grows, the server goes on", async () => {
    const first = await logs();
    for (let i = 0; i < 6; i++) {
      const r = await image(`plugin=flood&threshold=${i}`);
      assert.equal(r.status, 200, await r.text());
    }
    const page = await logs();
    assert.ok(page.entries.length <= LOG_LIMITS.clientLines);
    assert.ok(h.server.logs.bytes <= LOG_LIMITS.clientBytes * 2, `${h.server.logs.bytes} bytes`);
    // Each request printed 20,001 lines; a job sends at most jobLines of them.
    const printed = 6 * 20_001;
    assert.equal(page.next - first.next, printed);
    assert.ok(page.dropped >= first.dropped + printed - LOG_LIMITS.clientLines, `${page.dropped}`);
    assert.equal(page.dropped + page.entries.length, page.next);
    const last = page.entries[page.entries.length - 1] as LogEntry;
    assert.equal(last.plugin, "flood");
    // The next reader from where it stopped sees only what is new.
    assert.deepEqual((await logs(`?since=${page.next}`)).entries, []);
    // And everyone is still served.
    const ok = await image("plugin=talk&threshold=1");
    assert.equal(ok.status, 200);
  });

  test("a long line is cut at lineBytes and says so", async () => {
    const long = `#include <stdio.h>
#include "kplug/image.h"
int long_transform(const image *in, image *out, const params *p) {
  for (int i = 0; i < 5000; i++) putchar('a' + i % 26);
  putchar('\\n');
  *out = *in;
  return IMAGE_OK;
}
`;
    assert.equal((await putPlugin(h, "alice", token, "long", long)).status, 201);
    const r = await image("plugin=long");
    const id = r.headers.get("x-request-id");
    const [line] = (await logs()).entries.filter((e) => e.request === id);
    assert.equal(line?.text.length, LOG_LIMITS.lineBytes);
    assert.equal(line?.truncated, true);
  });

  test("follow: a stream receives a line printed by a later request", async () => {
    const ac = new AbortController();
    const res = await fetch(`${h.url}/clients/alice/logs?follow=1`, {
      headers: auth(token),
      signal: ac.signal,
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^text\/event-stream/);
    const reader = res.body!.getReader();
    const r = await image("plugin=talk&threshold=4242");
    const id = r.headers.get("x-request-id");
    let text = "";
    const decoder = new TextDecoder();
    while (!text.includes("threshold=4242")) {
      const chunk = await reader.read();
      assert.ok(!chunk.done, "stream ended");
      text += decoder.decode(chunk.value, { stream: true });
    }
    const event = text.split("\n\n").find((e) => e.includes("threshold=4242"))!;
    const data = JSON.parse(/^data: (.*)$/m.exec(event)![1]!) as LogEntry;
    assert.equal(data.request, id);
    assert.equal(data.plugin, "talk");
    assert.match(event, new RegExp(`^id: ${data.seq}$`, "m"));
    ac.abort();
  });

  test("follow is limited per client (429 with Retry-After)", async () => {
    const open: AbortController[] = [];
    try {
      for (let i = 0; i < LOG_LIMITS.followersPerClient; i++) {
        const ac = new AbortController();
        open.push(ac);
        const r = await fetch(`${h.url}/clients/alice/logs?follow=1`, {
          headers: auth(token),
          signal: ac.signal,
        });
        assert.equal(r.status, 200);
      }
      const refused = await fetch(`${h.url}/clients/alice/logs?follow=1`, { headers: auth(token) });
      assert.equal(refused.status, 429);
      assert.equal(refused.headers.get("retry-after"), "5");
    } finally {
      for (const ac of open) ac.abort();
    }
    // Closed streams free their places.
    for (let tries = 0; ; tries++) {
      const ac = new AbortController();
      const r = await fetch(`${h.url}/clients/alice/logs?follow=1`, {
        headers: auth(token),
        signal: ac.signal,
      });
      ac.abort();
      if (r.status === 200) break;
      assert.ok(tries < 50, "followers were not released");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });

  test("a playground try logs under the try's request id", async () => {
    const r = await fetch(`${h.url}/clients/alice/try/small.ppm?name=trial&threshold=9`, {
      method: "POST",
      headers: auth(token),
      body: TALK.replace("talk_transform", "trial_transform"),
    });
    assert.equal(r.status, 200, await r.clone().text());
    const id = r.headers.get("x-request-id");
    const mine = (await logs()).entries.filter((e) => e.request === id);
    assert.deepEqual(
      mine.map((e) => [e.plugin, e.text]),
      [
        ["trial", "talk: 40x30 threshold=9"],
        ["trial", "no newline at the end"],
      ],
    );
  });
});

describe("plugin logs and worker replacement", () => {
  test("the log lives on the main thread: a worker killed by the watchdog loses none of it", async () => {
    const h = await startServer({ workers: 1, cache: false, limits: { jobDeadlineMs: 1500 } });
    try {
      // The watchdog, not fuel, must stop the spin, on any machine: a pointer chase through
      // 16 MiB waits on memory, so the most fuel a client may have (2^31) lasts minutes
      // (measured 5m52s here; a counting loop burns it in 2.6 s, under 1.5 s on faster CI).
      const token = await createClient(h, "carol", { fuel: 0x7fffffff, rate: 1e15 });
      const spin = `#include <stdio.h>
#include <stdlib.h>
#include "kplug/image.h"
int spin_transform(const image *in, image *out, const params *p) {
  if (p->threshold == 1) { printf("quick\\n"); *out = *in; return IMAGE_OK; }
  unsigned n = 1u << 22, *next = malloc(n * sizeof *next), j = 1;
  for (unsigned i = 0; i < n; i++) next[i] = (i * 2654435761u) & (n - 1);
  for (;;) j = next[j];
}
`;
      assert.equal((await putPlugin(h, "carol", token, "spin", spin)).status, 201);
      const get = (t: number) =>
        fetch(`${h.url}/images/small.ppm?client=carol&plugin=spin&threshold=${t}`, {
          headers: auth(token),
        });
      assert.equal((await get(1)).status, 200);
      const killed = await get(2);
      assert.equal(killed.status, 503);
      const id = killed.headers.get("x-request-id");
      assert.equal((await get(1)).status, 200, "a new worker serves");
      const r = await fetch(`${h.url}/clients/carol/logs`, { headers: auth(token) });
      const page = (await r.json()) as LogPage;
      assert.deepEqual(
        page.entries.map((e) => [e.stream, e.text.replace(/ of \d+ ms.*/, "")]),
        [
          ["stdout", "quick"],
          ["stderr", "the job ran past its deadline"],
          ["stdout", "quick"],
        ],
      );
      assert.equal(page.entries[1]!.request, id);
      assert.equal(page.entries[1]!.plugin, "spin");
    } finally {
      await h.stop();
    }
  });
});
