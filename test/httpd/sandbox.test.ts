// The playground's token-free sessions (POST /playground/session): a sandbox client that works
// at once (upload, image requests, tries, logs), with tight limits, kept out of the data
// directory, expiring when idle, capped in number and per address.

import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { SANDBOX_LIMITS } from "../../httpd/limits.ts";
import { addressKey } from "../../httpd/sandbox.ts";
import { ADMIN_TOKEN, type Harness, putPlugin, startServer } from "./harness.ts";

interface Session {
  client: string;
  token: string;
  expiresAt: string;
}

const COPY = (name: string) => `#include <stdio.h>
#include "kplug/image.h"
int ${name}_transform(const image *in, image *out, const params *p) {
  (void)p;
  printf("${name} ran\\n");
  *out = *in;
  return IMAGE_OK;
}
`;

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

/**
 * A request retried while it is answered 429 (as a page does, after Retry-After): a sandbox's
 * CPU rate is small, and compiling on a loaded machine may use a second's worth of it.
 */
async function patiently(request: () => Promise<Response>): Promise<Response> {
  for (let i = 0; ; i++) {
    const r = await request();
    if (r.status !== 429 || i === 10) return r;
    await new Promise((resolve) =>
      setTimeout(resolve, 1000 * Number(r.headers.get("retry-after") ?? 1)),
    );
  }
}

async function session(h: Harness): Promise<Response> {
  return fetch(`${h.url}/playground/session`, { method: "POST" });
}

async function newSession(h: Harness): Promise<Session> {
  const r = await session(h);
  assert.equal(r.status, 201, await r.clone().text());
  return (await r.json()) as Session;
}

function filesUnder(dir: string): string {
  let out = "";
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    out += `${path}\n`;
    out += statSync(path).isDirectory() ? filesUnder(path) : readFileSync(path, "latin1");
  }
  return out;
}

describe("playground sessions", () => {
  let h: Harness;
  before(async () => {
    h = await startServer({
      workers: 1,
      sandbox: { createBurst: 100, maxSessionsPerAddress: 100 },
    });
  });
  after(() => h.stop());

  test("a session is a working client at once, with the sandbox's limits", async () => {
    const before = Date.now();
    const s = await newSession(h);
    assert.match(s.client, /^sandbox-[0-9a-f]{20}$/);
    const expires = Date.parse(s.expiresAt);
    assert.ok(
      expires >= before + SANDBOX_LIMITS.idleMs - 1000 &&
        expires <= Date.now() + SANDBOX_LIMITS.idleMs,
    );
    const info = (await (
      await fetch(`${h.url}/clients/${s.client}`, { headers: auth(s.token) })
    ).json()) as {
      settings: { fuel: number; memory: number; rate: number };
    };
    assert.deepEqual(info.settings, {
      fuel: SANDBOX_LIMITS.fuel,
      memory: SANDBOX_LIMITS.memory,
      rate: SANDBOX_LIMITS.rate,
    });
    const up = await patiently(() => putPlugin(h, s.client, s.token, "mine", COPY("mine")));
    assert.equal(up.status, 201, await up.text());
    const img = await fetch(`${h.url}/images/small.ppm?client=${s.client}&plugin=mine`, {
      headers: auth(s.token),
    });
    assert.equal(img.status, 200);
    const tried = await patiently(() =>
      fetch(`${h.url}/clients/${s.client}/try/small.ppm?name=trial`, {
        method: "POST",
        headers: auth(s.token),
        body: COPY("trial"),
      }),
    );
    assert.equal(tried.status, 200, await tried.clone().text());
    const logs = (await (
      await fetch(`${h.url}/clients/${s.client}/logs`, { headers: auth(s.token) })
    ).json()) as {
      entries: { text: string }[];
    };
    assert.deepEqual(
      logs.entries.map((e) => e.text),
      ["mine ran", "trial ran"],
    );
    // Another session's token is not this client's.
    const other = await newSession(h);
    assert.equal(
      (await fetch(`${h.url}/clients/${s.client}`, { headers: auth(other.token) })).status,
      401,
    );
    // Nothing of it reaches the data directory (the store there is for real clients).
    assert.doesNotMatch(filesUnder(h.dataDir), /sandbox-/);
  });

  test("plugin count and upload size are the sandbox's", async () => {
    const s = await newSession(h);
    for (let i = 0; i < SANDBOX_LIMITS.maxPlugins; i++) {
      const r = await patiently(() => putPlugin(h, s.client, s.token, `p${i}`, COPY(`p${i}`)));
      assert.equal(r.status, 201, await r.text());
    }
    const over = await patiently(() => putPlugin(h, s.client, s.token, "extra", COPY("extra")));
    assert.equal(over.status, 409, await over.clone().text());
    assert.match(((await over.json()) as { message: string }).message, /at most 4 plugins/);
    const big = `${COPY("big")}/*${"x".repeat(SANDBOX_LIMITS.maxUploadBytes)}*/\n`;
    assert.equal((await patiently(() => putPlugin(h, s.client, s.token, "p0", big))).status, 413);
  });

  test("a request keeps a session alive; the admin cannot take sandbox ids", async () => {
    const s = await newSession(h);
    const sandbox = h.server.sandbox!;
    const was = sandbox.expiresAt(s.client)!;
    await new Promise((resolve) => setTimeout(resolve, 20));
    await fetch(`${h.url}/clients/${s.client}/logs`, { headers: auth(s.token) });
    assert.ok(sandbox.expiresAt(s.client)! > was);
    const r = await fetch(`${h.url}/admin/clients/sandbox-mine`, {
      method: "PUT",
      headers: auth(ADMIN_TOKEN),
    });
    assert.equal(r.status, 400);
  });
});

describe("playground sessions: expiry and caps", () => {
  test("an idle session ends: its client, plugins and place are gone", async () => {
    const h = await startServer({ workers: 1, sandbox: { maxSessions: 1 } });
    try {
      const s = await newSession(h);
      assert.equal(
        (await patiently(() => putPlugin(h, s.client, s.token, "mine", COPY("mine")))).status,
        201,
      );
      assert.equal((await session(h)).status, 429, "the one place is taken");
      // Idle from now on: shorten the idle time rather than wait 30 minutes.
      const sandbox = h.server.sandbox!;
      sandbox.limits.idleMs = 50;
      await new Promise((resolve) => setTimeout(resolve, 100));
      await sandbox.sweep();
      assert.equal(sandbox.size, 0);
      assert.equal(h.server.clients.get(s.client), undefined);
      assert.equal(
        (await fetch(`${h.url}/clients/${s.client}`, { headers: auth(s.token) })).status,
        401,
      );
      await newSession(h);
    } finally {
      await h.stop();
    }
  });

  test("live sessions are capped (429 + Retry-After), in all and per address", async () => {
    const h = await startServer({
      workers: 1,
      sandbox: { maxSessions: 3, maxSessionsPerAddress: 2, createBurst: 100 },
    });
    try {
      await newSession(h);
      await newSession(h);
      const perAddress = await session(h);
      assert.equal(perAddress.status, 429);
      assert.ok(Number(perAddress.headers.get("retry-after")) > 0);
      assert.equal(((await perAddress.json()) as { error: string }).error, "too-many-sessions");
    } finally {
      await h.stop();
    }
    const g = await startServer({
      workers: 1,
      sandbox: { maxSessions: 2, maxSessionsPerAddress: 100, createBurst: 100 },
    });
    try {
      await newSession(g);
      await newSession(g);
      const full = await session(g);
      assert.equal(full.status, 429);
      assert.match(
        ((await full.json()) as { message: string }).message,
        /all 2 playground sessions/,
      );
    } finally {
      await g.stop();
    }
  });

  test("creations per address are rate-limited", async () => {
    const h = await startServer({ workers: 1, sandbox: { createBurst: 2, createEveryMs: 60_000 } });
    try {
      await newSession(h);
      await newSession(h);
      const r = await session(h);
      assert.equal(r.status, 429);
      const wait = Number(r.headers.get("retry-after"));
      assert.ok(wait > 0 && wait <= 60, `${wait}`);
    } finally {
      await h.stop();
    }
  });

  test("off: 404, and addresses group IPv6 by /64", async () => {
    const h = await startServer({ workers: 1, sandbox: false });
    try {
      assert.equal((await session(h)).status, 404);
    } finally {
      await h.stop();
    }
    assert.equal(addressKey("::ffff:10.1.2.3"), "10.1.2.3");
    assert.equal(addressKey("2001:db8:0:1:aaaa::1"), addressKey("2001:db8::1:bbbb:0:0:2"));
    assert.notEqual(addressKey("2001:db8:0:1::1"), addressKey("2001:db8:0:2::1"));
  });
});
