// The server's Prometheus metrics: what is counted and timed per request, transcode, upload
// and fault, with handles memoised per route and status and per engine, so recording a
// request renders no labels.

import { Registry } from "./metrics.ts";

export class ServerMetrics {
  readonly registry = new Registry();
  readonly requests = this.registry.counter(
    "kplug_http_requests_total",
    "HTTP requests by route and status",
  );
  readonly latency = this.registry.histogram(
    "kplug_http_request_duration_seconds",
    "Service time by route",
  );
  readonly transcode = this.registry.histogram(
    "kplug_transcode_duration_seconds",
    "Plugin chain time by engine",
  );
  readonly cacheHits = this.registry.collectedCounter(
    "kplug_cache_hits_total",
    "Transcode cache hits",
  );
  readonly cacheMisses = this.registry.collectedCounter(
    "kplug_cache_misses_total",
    "Transcode cache misses",
  );
  readonly cacheBytes = this.registry.gauge(
    "kplug_cache_bytes",
    "Bytes held by the transcode cache",
  );
  readonly notModified = this.registry.counter(
    "kplug_not_modified_total",
    "Conditional requests answered 304",
  );
  readonly faults = this.registry.counter(
    "kplug_plugin_faults_total",
    "Plugin faults by runtime, plugin and kind",
  );
  readonly pluginCalls = this.registry.collectedCounter(
    "kplug_plugin_calls_total",
    "Upcalls per plugin",
  );
  readonly pluginFuel = this.registry.collectedCounter(
    "kplug_plugin_fuel_used_total",
    "Fuel used per plugin",
  );
  readonly compile = this.registry.histogram(
    "kplug_compile_duration_seconds",
    "Plugin compile time",
  );
  readonly link = this.registry.histogram("kplug_link_duration_seconds", "Plugin link time");
  readonly uploads = this.registry.counter(
    "kplug_plugin_uploads_total",
    "Plugin uploads by result",
  );

  private readonly requestHandles = new Map<string, (seconds: number) => void>();
  private readonly transcodeHandles = new Map<string, (seconds: number) => void>();

  /** Counts a finished request and records its service time (routes and statuses are few). */
  request(route: string, status: number, seconds: number): void {
    const key = `${route} ${status}`;
    let record = this.requestHandles.get(key);
    if (record === undefined) {
      const count = this.requests.child({ route, status });
      const observe = this.latency.child({ route });
      record = (s) => {
        count();
        observe(s);
      };
      this.requestHandles.set(key, record);
    }
    record(seconds);
  }

  /** Records the time one engine took to transcode an image. */
  transcoded(engine: string, seconds: number): void {
    let observe = this.transcodeHandles.get(engine);
    if (observe === undefined) {
      observe = this.transcode.child({ engine });
      this.transcodeHandles.set(engine, observe);
    }
    observe(seconds);
  }
}
