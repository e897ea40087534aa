// `npm run bench [-- --quick] [--only GROUP[,GROUP]] [--out DIR]`: runs the benchmark groups,
// writes bench/results/latest.json, the SVG charts and BENCHMARKS.md.
//
// A full run rewrites BENCHMARKS.md at the repository root; `--only` reruns some groups and
// merges them into the existing latest.json. `--quick` is a smoke run (few iterations) whose
// output goes to bench/results/quick/ unless --out says otherwise, so it never replaces the
// published figures.

import { existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { benchGroups } from "./groups.ts";
import { describeMachine } from "./machine.ts";
import { writeReport } from "./report.ts";
import { measureProfile } from "./stats.ts";
import type { BenchContext, BenchResults, GroupOutput, GroupResult } from "./types.ts";

export interface RunOptions {
  quick: boolean;
  only?: string[];
  /** Output directory; BENCHMARKS.md and latest.json land there (default: see header). */
  out?: string;
  /** The command line recorded in the report. */
  command?: string;
  log?: (message: string) => void;
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export async function runBenchmarks(options: RunOptions): Promise<{
  results: BenchResults;
  markdown: string;
  json: string;
}> {
  const log = options.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const known = new Set(benchGroups.map((g) => g.id));
  for (const id of options.only ?? []) {
    if (!known.has(id)) throw new Error(`unknown group "${id}" (groups: ${[...known].join(", ")})`);
  }
  const selected = benchGroups.filter((g) => !options.only || options.only.includes(g.id));
  const ctx: BenchContext = {
    quick: options.quick,
    profile: measureProfile(options.quick),
    root,
    buildDir: path.join(root, "bench", ".build"),
    log,
  };
  mkdirSync(ctx.buildDir, { recursive: true });

  const started = performance.now();
  const groups: GroupResult[] = [];
  for (const group of selected) {
    log(`[bench] ${group.id}: ${group.title}`);
    const out: GroupOutput = { tables: [], charts: [], summary: [], unavailable: [] };
    const t0 = performance.now();
    try {
      await group.run(ctx, out);
    } catch (e) {
      // A group that dies still reports what it measured, and why the rest is missing.
      const reason = e instanceof Error ? (e.stack ?? e.message) : String(e);
      out.unavailable.push({ part: "rest of the group", reason: reason.split("\n")[0] });
      log(`[bench] ${group.id} failed: ${reason}`);
    }
    const measured = out.tables.length + out.charts.length;
    groups.push({
      id: group.id,
      title: group.title,
      description: group.description,
      status: out.unavailable.length === 0 ? "ok" : measured > 0 ? "partial" : "unavailable",
      ...out,
      durationMs: performance.now() - t0,
    });
    log(`[bench] ${group.id}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }

  const outDir = options.out
    ? path.resolve(options.out)
    : options.quick
      ? path.join(root, "bench", "results", "quick")
      : root;
  const resultsDir = outDir === root ? path.join(root, "bench", "results") : outDir;
  const markdown = path.join(outDir, "BENCHMARKS.md");
  const json = path.join(resultsDir, "latest.json");

  // A partial rerun keeps the other groups' latest figures, in registry order.
  if (options.only && existsSync(json)) {
    const previous = JSON.parse(readFileSync(json, "utf8")) as BenchResults;
    const fresh = new Map(groups.map((g) => [g.id, g]));
    const merged = benchGroups
      .map((g) => fresh.get(g.id) ?? previous.groups.find((p) => p.id === g.id))
      .filter((g): g is GroupResult => g !== undefined);
    groups.splice(0, groups.length, ...merged);
  }

  const results: BenchResults = {
    date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    command: options.command ?? "npm run bench",
    quick: options.quick,
    machine: describeMachine(),
    durationMs: performance.now() - started,
    groups,
  };
  // Only a run that writes the repository's own BENCHMARKS.md may quote it in the README.
  const readme = outDir === root ? path.join(root, "README.md") : undefined;
  writeReport(results, { markdown, resultsDir, readme });
  log(`[bench] wrote ${path.relative(root, markdown)} and ${path.relative(root, json)}`);
  return { results, markdown, json };
}

function parseArgs(argv: string[]): RunOptions {
  const options: RunOptions = { quick: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--quick") options.quick = true;
    else if (a === "--only") options.only = (argv[++i] ?? "").split(",").filter(Boolean);
    else if (a.startsWith("--only=")) options.only = a.slice(7).split(",").filter(Boolean);
    else if (a === "--out") options.out = argv[++i];
    else if (a === "--help" || a === "-h") {
      const ids = benchGroups.map((g) => `  ${g.id.padEnd(10)} ${g.title}`).join("\n");
      process.stdout.write(
        `usage: npm run bench -- [--quick] [--only GROUP[,GROUP]] [--out DIR]\n\ngroups:\n${ids}\n`,
      );
      process.exit(0);
    } else throw new Error(`unknown argument: ${a}`);
  }
  const args = argv.length > 0 ? ` -- ${argv.join(" ")}` : "";
  options.command = `npm run bench${args}`;
  return options;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runBenchmarks(parseArgs(process.argv.slice(2))).then(
    () => process.exit(0),
    (e) => {
      process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}
