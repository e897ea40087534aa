// Minimal, dependency-free SVG charts: line charts (the paper's Figure 5) and horizontal bar
// charts. Output is deterministic for given data, so regenerated charts diff cleanly.

import type { Chart } from "./types.ts";

const PALETTE = [
  "#d62728",
  "#1f77b4",
  "#2ca02c",
  "#ff7f0e",
  "#9467bd",
  "#8c564b",
  "#e377c2",
  "#7f7f7f",
  "#17becf",
  "#bcbd22",
];

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Formats a nanosecond value with a unit that keeps 2-3 significant digits. */
export function formatNs(ns: number): string {
  if (!Number.isFinite(ns)) return "—";
  const abs = Math.abs(ns);
  if (abs >= 1e9) return `${(ns / 1e9).toPrecision(3)} s`;
  if (abs >= 1e6) return `${(ns / 1e6).toPrecision(3)} ms`;
  if (abs >= 1e3) return `${(ns / 1e3).toPrecision(3)} µs`;
  return `${ns.toPrecision(3)} ns`;
}

function niceStep(range: number, ticks: number): number {
  const raw = range / ticks;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  return (norm < 1.5 ? 1 : norm < 3.5 ? 2 : norm < 7.5 ? 5 : 10) * mag;
}

interface Axis {
  toPx: (v: number) => number;
  ticks: number[];
}

function yAxis(min: number, max: number, log: boolean, top: number, bottom: number): Axis {
  if (log) {
    const lo = Math.floor(Math.log10(Math.max(min, 1e-9)));
    const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(max, 1e-9))));
    const ticks: number[] = [];
    for (let e = lo; e <= hi; e++) ticks.push(10 ** e);
    const toPx = (v: number) =>
      bottom - ((Math.log10(Math.max(v, 10 ** lo)) - lo) / (hi - lo)) * (bottom - top);
    return { toPx, ticks };
  }
  const step = niceStep(max || 1, 5);
  const hi = Math.ceil((max || 1) / step) * step;
  const ticks: number[] = [];
  for (let v = 0; v <= hi + step / 2; v += step) ticks.push(v);
  return { toPx: (v) => bottom - (v / hi) * (bottom - top), ticks };
}

function lineChart(chart: Chart, unitNs: boolean): string {
  const W = 720;
  const H = 400;
  const left = 80;
  const right = W - 200;
  const top = 40;
  const bottom = H - 50;
  const xs = chart.series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = chart.series.flatMap((s) => s.points.map((p) => p[1])).filter((y) => y > 0);
  const xMin = Math.min(...xs);
  const xMax = Math.max(...xs);
  const xPx = (x: number) => left + ((x - xMin) / (xMax - xMin || 1)) * (right - left);
  const y = yAxis(Math.min(...ys), Math.max(...ys), chart.logY ?? false, top, bottom);
  const fmt = (v: number) => (unitNs ? formatNs(v) : String(Number(v.toPrecision(3))));
  const out: string[] = [];
  out.push(
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="15">${esc(chart.title)}</text>`,
  );
  for (const t of y.ticks) {
    const py = y.toPx(t).toFixed(1);
    out.push(`<line x1="${left}" y1="${py}" x2="${right}" y2="${py}" stroke="#ddd"/>`);
    out.push(`<text x="${left - 6}" y="${py}" text-anchor="end" dy="4">${esc(fmt(t))}</text>`);
  }
  for (const x of [...new Set(xs)].sort((a, b) => a - b)) {
    const px = xPx(x).toFixed(1);
    out.push(`<line x1="${px}" y1="${bottom}" x2="${px}" y2="${bottom + 5}" stroke="#333"/>`);
    out.push(`<text x="${px}" y="${bottom + 18}" text-anchor="middle">${x}</text>`);
  }
  out.push(
    `<line x1="${left}" y1="${bottom}" x2="${right}" y2="${bottom}" stroke="#333"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${bottom}" stroke="#333"/>`,
    `<text x="${(left + right) / 2}" y="${H - 12}" text-anchor="middle">${esc(chart.xLabel)}</text>`,
    `<text transform="translate(16 ${(top + bottom) / 2}) rotate(-90)" text-anchor="middle">${esc(chart.yLabel)}</text>`,
  );
  chart.series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length];
    const pts = s.points
      .filter((p) => p[1] > 0)
      .map((p) => `${xPx(p[0]).toFixed(1)},${y.toPx(p[1]).toFixed(1)}`);
    out.push(
      `<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts.join(" ")}"/>`,
    );
    for (const p of pts) {
      const [cx, cy] = p.split(",");
      out.push(`<circle cx="${cx}" cy="${cy}" r="3" fill="${color}"/>`);
    }
    const ly = top + 10 + i * 18;
    out.push(
      `<line x1="${right + 15}" y1="${ly}" x2="${right + 35}" y2="${ly}" stroke="${color}" stroke-width="2"/>`,
      `<text x="${right + 40}" y="${ly + 4}">${esc(s.name)}</text>`,
    );
  });
  return wrap(W, H, out);
}

function barChart(chart: Chart, unitNs: boolean): string {
  const cats = chart.categories ?? [];
  const points = chart.series[0]?.points ?? [];
  const rowH = 24;
  const left = 230;
  const right = 600;
  const top = 40;
  const H = top + cats.length * rowH + 50;
  const W = 720;
  const values = points.map((p) => p[1]).filter((v) => v > 0);
  const log = chart.logY ?? false;
  const axis = yAxis(Math.min(...values), Math.max(...values), log, 0, right - left);
  // yAxis maps onto a vertical range; flip it for horizontal bars.
  const xPx = (v: number) => left + (right - left) - axis.toPx(v);
  const fmt = (v: number) => (unitNs ? formatNs(v) : String(Number(v.toPrecision(3))));
  const out: string[] = [];
  out.push(
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="15">${esc(chart.title)}</text>`,
  );
  const bottom = top + cats.length * rowH;
  for (const t of axis.ticks) {
    const px = xPx(t).toFixed(1);
    out.push(`<line x1="${px}" y1="${top}" x2="${px}" y2="${bottom}" stroke="#ddd"/>`);
    out.push(`<text x="${px}" y="${bottom + 16}" text-anchor="middle">${esc(fmt(t))}</text>`);
  }
  points.forEach(([idx, v], i) => {
    const yTop = top + idx * rowH + 4;
    const w = Math.max(1, xPx(v) - left);
    const color = PALETTE[i % PALETTE.length];
    out.push(
      `<text x="${left - 8}" y="${yTop + 13}" text-anchor="end">${esc(cats[idx] ?? "")}</text>`,
      `<rect x="${left}" y="${yTop}" width="${w.toFixed(1)}" height="${rowH - 8}" fill="${color}"/>`,
      `<text x="${(left + w + 6).toFixed(1)}" y="${yTop + 13}">${esc(fmt(v))}</text>`,
    );
  });
  out.push(
    `<text x="${(left + right) / 2}" y="${H - 10}" text-anchor="middle">${esc(chart.yLabel)}</text>`,
  );
  return wrap(W, H, out);
}

function wrap(W: number, H: number, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    ...body,
    "</svg>",
    "",
  ].join("\n");
}

export function renderChart(chart: Chart): string {
  const unitNs = chart.yUnit === "ns";
  return chart.kind === "line" ? lineChart(chart, unitNs) : barChart(chart, unitNs);
}
