// Timing and summary statistics. Every figure in BENCHMARKS.md comes out of `summarize`: a
// median with quartiles and min/max over many samples taken after a warm-up, in nanoseconds.
// Fast operations are timed in batches (calibrated so one sample lasts long enough for the
// clock to resolve it) and reported per operation.

export interface Stat {
  /** Nanoseconds per operation. */
  median: number;
  q1: number;
  q3: number;
  min: number;
  max: number;
  /** Number of samples the figures summarize. */
  samples: number;
  /** Operations per sample (1 unless batched). */
  batch: number;
}

export interface MeasureOptions {
  /** Time spent running the operation before sampling starts. */
  warmupMs: number;
  /** Total sampling budget; sampling stops at whichever of budget and maxSamples comes first. */
  budgetMs: number;
  minSamples: number;
  maxSamples: number;
  /** A batch is grown until one sample takes at least this long. */
  minSampleUs: number;
}

/** Budgets for a full run and for the smoke run (`--quick`). */
export function measureProfile(quick: boolean, scale = 1): MeasureOptions {
  return quick
    ? { warmupMs: 5 * scale, budgetMs: 30 * scale, minSamples: 2, maxSamples: 30, minSampleUs: 200 }
    : {
        warmupMs: 150 * scale,
        budgetMs: 800 * scale,
        minSamples: 7,
        maxSamples: 1000,
        // Short samples: on a busy machine most of them then escape preemption, and the
        // median stays the undisturbed cost.
        minSampleUs: 250,
      };
}

export function now(): number {
  return performance.now() * 1e6;
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 1) return sorted[0];
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Summarizes per-sample times (ns per sample) into per-operation figures. */
export function summarize(sampleNs: readonly number[], batch = 1): Stat {
  if (sampleNs.length === 0) throw new Error("summarize: no samples");
  const sorted = sampleNs.map((t) => t / batch).sort((a, b) => a - b);
  return {
    median: quantile(sorted, 0.5),
    q1: quantile(sorted, 0.25),
    q3: quantile(sorted, 0.75),
    min: sorted[0],
    max: sorted[sorted.length - 1],
    samples: sorted.length,
    batch,
  };
}

/**
 * Times `run(batch)`, which must perform the operation `batch` times. The batch size is
 * doubled until one sample lasts `minSampleUs`, so even a 5 ns call is measured against a
 * clock read every millisecond or so.
 */
export function measureBatched(run: (batch: number) => unknown, opts: MeasureOptions): Stat {
  let batch = 1;
  const warmEnd = now() + opts.warmupMs * 1e6;
  for (;;) {
    const t0 = now();
    run(batch);
    const took = now() - t0;
    if (took >= opts.minSampleUs * 1e3 || batch >= 1 << 30) {
      if (now() >= warmEnd) break;
    } else {
      batch *=
        took > 0 ? Math.min(16, Math.max(2, Math.ceil((opts.minSampleUs * 1e3) / took))) : 16;
    }
  }
  const samples: number[] = [];
  const end = now() + opts.budgetMs * 1e6;
  while (samples.length < opts.maxSamples && (samples.length < opts.minSamples || now() < end)) {
    const t0 = now();
    run(batch);
    samples.push(now() - t0);
  }
  return summarize(samples, batch);
}

/** Times one call of `run` per sample (operations that take long enough on their own). */
export function measureEach(run: () => unknown, opts: MeasureOptions): Stat {
  return summarize(sampleEach(run, opts));
}

/** The raw per-call samples behind measureEach, for callers that pool several rounds. */
export function sampleEach(run: () => unknown, opts: MeasureOptions): number[] {
  const warmEnd = now() + opts.warmupMs * 1e6;
  do run();
  while (now() < warmEnd);
  const samples: number[] = [];
  const end = now() + opts.budgetMs * 1e6;
  while (samples.length < opts.maxSamples && (samples.length < opts.minSamples || now() < end)) {
    const t0 = now();
    run();
    samples.push(now() - t0);
  }
  return samples;
}

/** The asynchronous variant of measureBatched (round trips to workers, child processes...). */
export async function measureBatchedAsync(
  run: (batch: number) => Promise<unknown>,
  opts: MeasureOptions,
): Promise<Stat> {
  let batch = 1;
  const warmEnd = now() + opts.warmupMs * 1e6;
  for (;;) {
    const t0 = now();
    await run(batch);
    const took = now() - t0;
    if (took >= opts.minSampleUs * 1e3 || batch >= 1 << 24) {
      if (now() >= warmEnd) break;
    } else {
      batch *=
        took > 0 ? Math.min(16, Math.max(2, Math.ceil((opts.minSampleUs * 1e3) / took))) : 16;
    }
  }
  const samples: number[] = [];
  const end = now() + opts.budgetMs * 1e6;
  while (samples.length < opts.maxSamples && (samples.length < opts.minSamples || now() < end)) {
    const t0 = now();
    await run(batch);
    samples.push(now() - t0);
  }
  return summarize(samples, batch);
}

/** Geometric mean of positive ratios. */
export function geomean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let logSum = 0;
  for (const v of values) logSum += Math.log(v);
  return Math.exp(logSum / values.length);
}
