// The operator's read-only routes: GET /healthz (liveness, start-up progress and problems),
// GET /readyz (200 once every stored plugin serves, else 503) and GET /metrics (Prometheus
// text; OpenMetrics with exemplars when the scraper accepts it).

import type { Handler } from "../http.ts";
import { sendJson } from "../http.ts";
import type { PluginLibrary } from "../library.ts";
import type { LoadingStatus } from "../plugin-loading.ts";
import type { Router } from "../router.ts";
import type { ServerMetrics } from "../server-metrics.ts";

export interface StatusHost {
  readonly library: PluginLibrary;
  readonly clients: {
    readonly all: unknown[];
    readonly problems: string[];
    loadingStatus(): LoadingStatus;
  };
  readonly pluginStore: {
    readonly kind: string;
    readonly version: number;
    readonly problems: readonly string[];
  };
  readonly metrics: ServerMetrics;
}

export function mountStatus(router: Router<Handler>, host: StatusHost): void {
  router
    .add("GET", "/healthz", "healthz", async (c) => {
      const loading = host.clients.loadingStatus();
      // Alive (200) while loading: a supervisor must not restart a node busy compiling.
      sendJson(c, 200, {
        status: "ok",
        ready: loading.ready,
        loading,
        uptimeSeconds: Math.round(process.uptime()),
        plugins: host.library.transforms.size,
        clients: host.clients.all.length,
        store: { kind: host.pluginStore.kind, version: host.pluginStore.version },
        // Start-up problems (library files that did not compile, persisted entries skipped).
        problems: [
          ...host.library.problems.map((p) => `${p.file}: ${p.message.split("\n")[0]}`),
          ...host.pluginStore.problems,
          ...host.clients.problems,
        ],
      });
    })
    // Readiness for a balancer's active checks: 503 until every stored plugin serves.
    .add("GET", "/readyz", "readyz", async (c) => {
      const loading = host.clients.loadingStatus();
      sendJson(c, loading.ready ? 200 : 503, loading);
    })
    .add("GET", "/metrics", "metrics", async (c) => {
      // Exemplars (a fault's source line) exist only in OpenMetrics, for scrapers that ask.
      const open = /application\/openmetrics-text/.test(String(c.req.headers.accept ?? ""));
      const text = host.metrics.registry.render(open);
      c.res.writeHead(200, {
        "Content-Type": open
          ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
          : "text/plain; version=0.0.4; charset=utf-8",
        "Content-Length": Buffer.byteLength(text),
      });
      c.res.end(text);
    });
}
