// CLI cold start (issue 12): wall time of whole processes, `kplug run hello.c` and `kplug compile
// plugins/grayscale.c` against `node -e 0` (the floor of any Node CLI) and `tcc -run hello.c`.
// Each command is spawned N times, round-robin so machine noise hits all of them alike, and the
// median is kept. `kplug` is bin/kplug.js: the built dist/ when `npm run build` has run, else
// tsx on the sources (that row is labelled so). Standalone: `npx tsx bench/cli-start.ts [N]`.

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { now, summarize } from "./stats.ts";
import type { BenchContext, BenchGroup, Cell, GroupOutput } from "./types.ts";

const HELLO = '#include <stdio.h>\nint main(void) {\n  printf("hello\\n");\n  return 0;\n}\n';

interface Contender {
  name: string;
  argv: string[];
}

export interface StartFigures {
  /** Median wall time per contender, in nanoseconds, in contender order. */
  medians: { name: string; ns: number; samples: number[] }[];
  /** How bin/kplug.js ran: the built dist/ or tsx on the sources. */
  mode: "dist" | "tsx";
}

function available(cmd: string): boolean {
  return spawnSync(cmd, ["-v"], { stdio: "ignore" }).error === undefined;
}

export function measureCliStart(root: string, runs: number, useDist: boolean): StartFigures {
  const dir = mkdtempSync(path.join(tmpdir(), "kplug-start-"));
  try {
    const hello = path.join(dir, "hello.c");
    writeFileSync(hello, HELLO);
    const bin = path.join(root, "bin", "kplug.js");
    const gray = path.join(root, "plugins", "grayscale.c");
    const contenders: Contender[] = [
      { name: "node -e 0", argv: [process.execPath, "-e", "0"] },
      { name: "kplug run hello.c", argv: [process.execPath, bin, "run", hello] },
      {
        name: "kplug compile grayscale.c",
        argv: [process.execPath, bin, "compile", gray, "-o", path.join(dir, "g.wasm")],
      },
    ];
    if (available("tcc"))
      contenders.push({ name: "tcc -run hello.c", argv: ["tcc", "-run", hello] });
    const samples = contenders.map(() => [] as number[]);
    for (let r = 0; r < runs + 1; r++) {
      contenders.forEach((c, i) => {
        const t0 = now();
        const res = spawnSync(c.argv[0]!, c.argv.slice(1), {
          stdio: ["ignore", "pipe", "pipe"],
          env: useDist ? { ...process.env, KPLUG_USE_DIST: "1" } : process.env,
        });
        const ns = now() - t0;
        if (res.status !== 0) {
          throw new Error(`${c.name} exited ${res.status}: ${String(res.stderr).slice(0, 300)}`);
        }
        if (r > 0) samples[i]!.push(ns); // the first round warms the OS file cache
      });
    }
    return {
      medians: contenders.map((c, i) => ({
        name: c.name,
        ns: summarize(samples[i]!).median,
        samples: samples[i]!,
      })),
      mode: useDist ? "dist" : "tsx",
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const cliStartGroup: BenchGroup = {
  id: "cli-start",
  title: "CLI cold start",
  description:
    "Whole-process wall time (spawn to exit) of `kplug run hello.c` and `kplug compile " +
    "plugins/grayscale.c` against `node -e 0` and `tcc -run hello.c`, each spawned round-robin " +
    "after one warm-up round; medians. Target (issue 12): kplug at most 1.5x `node -e 0`.",
  async run(ctx: BenchContext, out: GroupOutput): Promise<void> {
    // A full run measures what users run: the build, made now so it matches the sources. A
    // quick (smoke) run measures tsx on the sources and never reads dist/, which the package
    // test may be rebuilding at the same moment.
    if (!ctx.quick) {
      const build = spawnSync("npm", ["run", "build"], { cwd: ctx.root, encoding: "utf8" });
      if (build.status !== 0) throw new Error(`npm run build failed: ${build.stderr.slice(-500)}`);
    }
    const figures = measureCliStart(ctx.root, ctx.quick ? 5 : 20, !ctx.quick);
    const node = figures.medians[0]!.ns;
    const rows: Cell[][] = figures.medians.map((m) => [
      m.name,
      summarize(m.samples),
      Number((m.ns / node).toFixed(2)),
    ]);
    out.tables.push({
      id: "cli-start",
      title: `CLI cold start (kplug from ${figures.mode === "dist" ? "dist/" : "tsx on the sources"})`,
      columns: ["command", "wall time", "x node -e 0"],
      rows,
      notes: [
        "A full run builds dist/ first and measures bin/kplug.js running it, as an installed package does; a --quick run measures tsx on the sources.",
      ],
    });
    const run = figures.medians.find((m) => m.name.startsWith("kplug run"))!;
    out.summary.push({
      measure: "CLI cold start, kplug run hello.c / node -e 0",
      paper: "-",
      kplug: run.ns / node,
      peer: null,
      peerName: "node -e 0",
      unit: "ratio",
      target: "<= 1.5",
    });
  },
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  // Standalone: measures dist/ when it has been built (`npm run build`), else tsx.
  const built = existsSync(path.join(root, "dist", "cli-bundle", "core.cjs"));
  const figures = measureCliStart(root, Number(process.argv[2] ?? 20), built);
  const node = figures.medians[0]!.ns;
  console.log(`kplug from ${figures.mode}`);
  for (const m of figures.medians) {
    const ms = (m.ns / 1e6).toFixed(1).padStart(7);
    console.log(`${m.name.padEnd(28)}${ms} ms  ${(m.ns / node).toFixed(2)}x node -e 0`);
  }
}
