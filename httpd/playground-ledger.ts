// The playground's view of a client's runtime, as JSON for the page's live panel: the client's
// plugins with calls, faults by kind and fuel used (the kernel counts these in the workers;
// plugin-counters.ts sums them here), plus service
// times the kernel does not keep. Times come from the image route's own `Server-Timing`
// header, read when a client's transcoding response finishes, so the route itself needs no
// hook; results served from the cache ran no plugin and are not counted.

import type { IncomingMessage, ServerResponse } from "node:http";
import type { FaultKind, PluginStats } from "../kernel/index.ts";
import type { Client } from "./clients.ts";
import { LEDGER_MAX_CHAINS } from "./limits.ts";
import type { PluginCounters } from "./plugin-counters.ts";
import type { QuarantineBook } from "./quarantine-book.ts";
import { clientRuntimeName } from "./runtimes.ts";

interface Timing {
  runs: number;
  totalMs: number;
  lastMs: number;
}

/** Tries of unsaved code in the client's playground runtime (see playground-runtimes.ts). */
interface TryLedger extends Timing {
  faults: Partial<Record<FaultKind, number>>;
  fuelUsed: number;
}

interface ClientLedger {
  /** Transcoding requests through the client's runtime, by chain (`?plugin=` / profile). */
  chains: Map<string, Timing>;
  tries: TryLedger;
}

const TRANSCODE_DUR = /(?:^|,)\s*transcode;dur=([0-9.]+)/;

function addTime(t: Timing, ms: number): void {
  t.runs++;
  t.totalMs += ms;
  t.lastMs = ms;
}

/**
 * Calls `inspect` just before the response's head is written, with a lookup of its headers:
 * those set earlier and those passed to writeHead itself (which getHeader never sees).
 */
export function onWriteHead(
  res: ServerResponse,
  inspect: (status: number, header: (name: string) => string | undefined) => void,
): void {
  const writeHead = res.writeHead as (...a: unknown[]) => ServerResponse;
  res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    const passed = args.find((a, i) => i > 0 && typeof a === "object" && a !== null);
    const header = (name: string): string | undefined => {
      if (passed && !Array.isArray(passed)) {
        for (const [k, v] of Object.entries(passed)) if (k.toLowerCase() === name) return String(v);
      }
      const set = this.getHeader(name);
      return set === undefined ? undefined : String(set);
    };
    inspect(Number(args[0]), header);
    return writeHead.apply(this, args);
  } as typeof res.writeHead;
}

const average = (t: Timing) => (t.runs > 0 ? t.totalMs / t.runs : undefined);

export interface PluginReport extends PluginStats {
  name: string;
  origin: "client" | "library";
  version?: string;
  updated?: string;
  fuelPerCall?: number;
  /** Mean transcode time of requests whose chain is this plugin alone. */
  avgMs?: number;
}

export class RuntimeLedger {
  private readonly clients = new Map<string, ClientLedger>();

  private ledger(id: string): ClientLedger {
    let l = this.clients.get(id);
    if (!l) {
      l = {
        chains: new Map(),
        tries: { runs: 0, totalMs: 0, lastMs: 0, faults: {}, fuelUsed: 0 },
      };
      this.clients.set(id, l);
    }
    return l;
  }

  /** Watches one request: a client's image request is timed when its headers are written. */
  watch(req: IncomingMessage, res: ServerResponse): void {
    const raw = req.url;
    if (raw === undefined || !raw.startsWith("/images/") || !raw.includes("client=")) return;
    onWriteHead(res, (status, header) => {
      if (status !== 200 || header("x-cache") === "hit") return;
      const m = TRANSCODE_DUR.exec(header("server-timing") ?? "");
      if (!m) return;
      const q = new URL(raw, "http://kplug.invalid").searchParams;
      const id = q.get("client");
      if (!id) return;
      const chain = [q.get("profile") && `profile:${q.get("profile")}`, q.get("plugin")]
        .filter(Boolean)
        .join(",");
      this.recordChain(id, chain, Number(m[1]));
    });
  }

  recordChain(id: string, chain: string, ms: number): void {
    const chains = this.ledger(id).chains;
    let t = chains.get(chain);
    if (!t) {
      if (chains.size >= LEDGER_MAX_CHAINS) return;
      t = { runs: 0, totalMs: 0, lastMs: 0 };
      chains.set(chain, t);
    }
    addTime(t, ms);
  }

  recordTry(id: string, ms: number, fuelUsed: number, fault?: FaultKind): void {
    const tries = this.ledger(id).tries;
    addTime(tries, ms);
    tries.fuelUsed += fuelUsed;
    if (fault) tries.faults[fault] = (tries.faults[fault] ?? 0) + 1;
  }

  forget(id: string): void {
    this.clients.delete(id);
  }

  /** Everything the live panel shows about one client's runtime. */
  report(
    client: Client,
    view: { counters: PluginCounters; quarantine: Pick<QuarantineBook, "isQuarantined"> },
  ) {
    const runtime = clientRuntimeName(client.id);
    const ledger = this.clients.get(client.id);
    const plugins: PluginReport[] = [];
    const names = new Set([...client.plugins.keys(), ...view.counters.pluginsOf(runtime)]);
    for (const name of names) {
      const own = client.plugins.get(name);
      const disabled = view.quarantine.isQuarantined(client.id, name);
      const stats: PluginStats = view.counters.of(runtime, name, disabled);
      // Library modules sit in every client runtime; only the ones this client used matter.
      if (!own && stats.calls === 0) continue;
      const alone = ledger?.chains.get(name);
      plugins.push({
        name,
        origin: own ? "client" : "library",
        version: own?.version,
        updated: own?.updated,
        ...stats,
        fuelPerCall: stats.calls > 0 ? stats.fuelUsed / stats.calls : undefined,
        avgMs: alone && average(alone),
      });
    }
    plugins.sort((a, b) =>
      a.origin === b.origin ? a.name.localeCompare(b.name) : a.origin === "client" ? -1 : 1,
    );
    const totals = { calls: 0, fuelUsed: 0, faults: {} as Partial<Record<FaultKind, number>> };
    for (const p of plugins) {
      totals.calls += p.calls;
      totals.fuelUsed += p.fuelUsed;
      for (const [k, n] of Object.entries(p.faults) as [FaultKind, number][])
        totals.faults[k] = (totals.faults[k] ?? 0) + n;
    }
    const chains = [...(ledger?.chains ?? [])].map(([chain, t]) => ({
      chain,
      runs: t.runs,
      avgMs: average(t),
      lastMs: t.lastMs,
    }));
    const requests = chains.reduce((n, c) => n + c.runs, 0);
    const totalMs = [...(ledger?.chains.values() ?? [])].reduce((s, t) => s + t.totalMs, 0);
    const tries = ledger?.tries;
    return {
      id: client.id,
      runtime,
      settings: client.settings,
      /** As of the runtime's last job (runtimes live in the workers). */
      memoryBytes: view.counters.memoryOf(runtime),
      totals: { ...totals, requests, avgMs: requests > 0 ? totalMs / requests : undefined },
      plugins,
      chains,
      tries: tries && {
        runs: tries.runs,
        avgMs: average(tries),
        lastMs: tries.lastMs,
        fuelUsed: tries.fuelUsed,
        faults: tries.faults,
      },
    };
  }
}
