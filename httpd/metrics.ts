// A small Prometheus registry: counters, gauges and histograms with labels, rendered in the
// text exposition format (version 0.0.4), or in OpenMetrics 1.0 for scrapers that ask for it,
// which adds exemplars (the last fault's place in the C source, on the faults counter). Label
// sets are keyed by their rendered form, so an observation costs one Map lookup.

type Labels = Record<string, string | number>;

function renderLabels(labels: Labels | undefined): string {
  if (!labels) return "";
  const keys = Object.keys(labels);
  if (keys.length === 0) return "";
  const parts = keys.map((k) => `${k}="${escapeLabel(String(labels[k]))}"`);
  return `{${parts.join(",")}}`;
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

function formatNumber(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (n === Number.POSITIVE_INFINITY) return "+Inf";
  if (n === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(n);
}

interface Metric {
  readonly name: string;
  render(openMetrics?: boolean): string;
}

/** OpenMetrics caps an exemplar's label names and values at 128 characters together. */
const EXEMPLAR_CHARS = 128;

/** The family name and TYPE line: OpenMetrics names a counter family without `_total`. */
function typeLine(name: string, help: string, type: string, openMetrics: boolean): string {
  const family = openMetrics && type === "counter" ? name.replace(/_total$/, "") : name;
  return `# HELP ${family} ${help}\n# TYPE ${family} ${type}\n`;
}

export class Counter implements Metric {
  private readonly values = new Map<string, number>();
  /** The latest exemplar of each label set, rendered (OpenMetrics only). */
  private readonly exemplars = new Map<string, string>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  inc(labels?: Labels, by = 1): void {
    const key = renderLabels(labels);
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }

  /**
   * Counts one event and keeps `exemplar` as its label set's latest example (label values are
   * cut so the set stays within OpenMetrics' 128 characters; empty values are left out).
   */
  incWithExemplar(labels: Labels, exemplar: Labels): void {
    this.inc(labels);
    const kept: Labels = {};
    let room = EXEMPLAR_CHARS;
    for (const [k, v] of Object.entries(exemplar)) {
      const value = String(v);
      if (value === "" || room <= k.length) continue;
      kept[k] = value.slice(0, room - k.length);
      room -= k.length + String(kept[k]).length;
    }
    const seconds = (Date.now() / 1000).toFixed(3);
    this.exemplars.set(renderLabels(labels), ` # ${renderLabels(kept) || "{}"} 1 ${seconds}`);
  }

  /** A handle on one label set, for hot paths: increments skip rendering the labels. */
  child(labels?: Labels): (by?: number) => void {
    const key = renderLabels(labels);
    if (!this.values.has(key)) this.values.set(key, 0);
    return (by = 1) => {
      this.values.set(key, this.values.get(key)! + by);
    };
  }

  get(labels?: Labels): number {
    return this.values.get(renderLabels(labels)) ?? 0;
  }

  render(openMetrics = false): string {
    let out = typeLine(this.name, this.help, "counter", openMetrics);
    for (const [key, v] of this.values) {
      const exemplar = openMetrics ? (this.exemplars.get(key) ?? "") : "";
      out += `${this.name}${key} ${formatNumber(v)}${exemplar}\n`;
    }
    return out;
  }
}

export class Gauge implements Metric {
  private readonly values = new Map<string, number>();
  /** Gauges whose value lives elsewhere are read at scrape time. */
  private readonly collectors: Array<() => Array<[Labels | undefined, number]>> = [];
  constructor(
    readonly name: string,
    readonly help: string,
    /** "counter" for monotonic totals kept elsewhere (e.g. the kernel's plugin stats). */
    readonly type: "gauge" | "counter" = "gauge",
  ) {}

  set(labels: Labels | undefined, value: number): void {
    this.values.set(renderLabels(labels), value);
  }

  collect(fn: () => Array<[Labels | undefined, number]>): void {
    this.collectors.push(fn);
  }

  render(openMetrics = false): string {
    let out = typeLine(this.name, this.help, this.type, openMetrics);
    for (const [key, v] of this.values) out += `${this.name}${key} ${formatNumber(v)}\n`;
    for (const fn of this.collectors) {
      for (const [labels, v] of fn())
        out += `${this.name}${renderLabels(labels)} ${formatNumber(v)}\n`;
    }
    return out;
  }
}

/** Seconds-based buckets from 50 µs to 10 s. */
export const LATENCY_BUCKETS = [
  0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
  10,
];

interface Series {
  labels: string;
  counts: Float64Array;
  sum: number;
  count: number;
}

export class Histogram implements Metric {
  private readonly series = new Map<string, Series>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: readonly number[] = LATENCY_BUCKETS,
  ) {}

  observe(labels: Labels | undefined, value: number): void {
    this.record(this.seriesOf(labels), value);
  }

  /** A handle on one label set, for hot paths: observations skip rendering the labels. */
  child(labels?: Labels): (value: number) => void {
    const s = this.seriesOf(labels);
    return (value) => this.record(s, value);
  }

  private seriesOf(labels: Labels | undefined): Series {
    const key = renderLabels(labels);
    let s = this.series.get(key);
    if (!s) {
      s = { labels: key, counts: new Float64Array(this.buckets.length), sum: 0, count: 0 };
      this.series.set(key, s);
    }
    return s;
  }

  private record(s: Series, value: number): void {
    for (let i = 0; i < this.buckets.length; i++) {
      if (value <= this.buckets[i]) {
        s.counts[i]++;
        break;
      }
    }
    s.sum += value;
    s.count++;
  }

  count(labels?: Labels): number {
    return this.series.get(renderLabels(labels))?.count ?? 0;
  }

  render(openMetrics = false): string {
    let out = typeLine(this.name, this.help, "histogram", openMetrics);
    for (const s of this.series.values()) {
      // Bucket counts are stored per bucket and accumulated here, as the format wants.
      const inner = s.labels ? s.labels.slice(1, -1) : "";
      const join = inner ? `${inner},` : "";
      let cumulative = 0;
      for (let i = 0; i < this.buckets.length; i++) {
        cumulative += s.counts[i];
        out += `${this.name}_bucket{${join}le="${formatNumber(this.buckets[i])}"} ${cumulative}\n`;
      }
      out += `${this.name}_bucket{${join}le="+Inf"} ${s.count}\n`;
      out += `${this.name}_sum${s.labels} ${formatNumber(s.sum)}\n`;
      out += `${this.name}_count${s.labels} ${s.count}\n`;
    }
    return out;
  }
}

export class Registry {
  private readonly metrics: Metric[] = [];

  counter(name: string, help: string): Counter {
    return this.add(new Counter(name, help));
  }

  gauge(name: string, help: string): Gauge {
    return this.add(new Gauge(name, help));
  }

  /** A counter whose values are collected at scrape time from elsewhere. */
  collectedCounter(name: string, help: string): Gauge {
    return this.add(new Gauge(name, help, "counter"));
  }

  histogram(name: string, help: string, buckets?: readonly number[]): Histogram {
    return this.add(new Histogram(name, help, buckets));
  }

  private add<M extends Metric>(m: M): M {
    if (this.metrics.some((x) => x.name === m.name)) throw new Error(`duplicate metric ${m.name}`);
    this.metrics.push(m);
    return m;
  }

  /** The text format 0.0.4, or OpenMetrics 1.0 (with exemplars and the closing `# EOF`). */
  render(openMetrics = false): string {
    const body = this.metrics.map((m) => m.render(openMetrics)).join("");
    return openMetrics ? `${body}# EOF\n` : body;
  }
}
