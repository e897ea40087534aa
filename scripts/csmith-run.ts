// Long csmith runs: `npx tsx scripts/csmith-run.ts [--count N] [--from SEED] [--goto-heavy]
// [--bit-fields] [--compile-only] [--reduce] [--save DIR]`. Generates N random programs (seeds
// FROM..FROM+N-1); each one kplug accepts runs under gcc -m32 and kplug. Prints a tally:
// matches, programs kplug rejects (grouped by the first error), fuel exhaustions, skips (the
// gcc build runs too long) and mismatches. --compile-only counts rejections without gcc. With --reduce, each mismatch is
// reduced by creduce (keeping "gcc and kplug still disagree" as the interestingness test) and
// saved as a regression test in test/programs/ (or --save DIR). Exits 1 on any mismatch.

import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  CSMITH_INCLUDE,
  type CsmithOutcome,
  csmithAvailable,
  GCC_FLAGS,
  generate,
  judge,
  kplugCompile,
} from "../test/helpers/csmith.ts";

const ROOT = join(fileURLToPath(import.meta.url), "..", "..");

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const count = option("--count", 100);
const from = option("--from", 1);
const gotoHeavy = process.argv.includes("--goto-heavy");
const bitFields = process.argv.includes("--bit-fields");
const reduce = process.argv.includes("--reduce");
const compileOnly = process.argv.includes("--compile-only");
const saveAt = process.argv.indexOf("--save");
const saveDir = saveAt >= 0 ? process.argv[saveAt + 1]! : join(ROOT, "test", "programs");

const missing = csmithAvailable();
if (missing) {
  console.error(`csmith-run: ${missing}`);
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), "kplug-csmith-run-"));
const tally: Record<CsmithOutcome["kind"], number> = {
  match: 0,
  rejected: 0,
  mismatch: 0,
  fuel: 0,
  skipped: 0,
};
const rejections = new Map<string, number[]>();
const mismatches: number[] = [];

for (let seed = from; seed < from + count; seed++) {
  let program: Awaited<ReturnType<typeof generate>>;
  try {
    program = await generate(seed, gotoHeavy, dir, bitFields);
  } catch (e) {
    tally.skipped++;
    console.log(`seed ${seed}: skipped (${(e as Error).message.split("\n")[0]})`);
    continue;
  }
  let outcome: CsmithOutcome;
  if (compileOnly) {
    const m = kplugCompile(program.source);
    outcome = typeof m === "string" ? { kind: "rejected", error: m } : { kind: "match" };
  } else {
    outcome = await judge(program.source);
  }
  tally[outcome.kind]++;
  if (outcome.kind === "rejected") {
    const key = outcome.error.replace(/^[^:]*:\d+:\d+: /, "").replace(/'[^']*'/g, "'…'");
    rejections.set(key, [...(rejections.get(key) ?? []), seed]);
  } else if (outcome.kind === "mismatch") {
    mismatches.push(seed);
    console.log(`seed ${seed}: MISMATCH gcc ${outcome.expected} kplug ${outcome.got}`);
    if (reduce) reduceMismatch(seed, program.source);
  } else if (outcome.kind === "skipped") {
    console.log(`seed ${seed}: skipped (${outcome.why.split("\n")[0]})`);
  } else if (outcome.kind === "fuel") {
    console.log(`seed ${seed}: kplug ran out of fuel`);
  }
}

const kind = `${gotoHeavy ? " (goto-heavy)" : ""}${bitFields ? " (bit-fields)" : ""}`;
console.log(`\ncsmith seeds ${from}..${from + count - 1}${kind}`);
for (const [kind, n] of Object.entries(tally)) {
  console.log(`  ${(compileOnly && kind === "match" ? "accepted" : kind).padEnd(9)} ${n}`);
}
for (const [error, seeds] of [...rejections].sort((a, b) => b[1].length - a[1].length)) {
  console.log(
    `  rejected ${String(seeds.length).padStart(4)}× ${error}  (seeds ${seeds.slice(0, 5).join(" ")})`,
  );
}
process.exit(mismatches.length > 0 ? 1 : 0);

/**
 * Reduces a mismatching program with creduce. The interestingness test rebuilds both ways and
 * keeps the candidate only if gcc builds it without warnings that signal undefined behaviour,
 * both run, and their outputs differ.
 */
function reduceMismatch(seed: number, source: string): void {
  const work = mkdtempSync(join(tmpdir(), `kplug-creduce-${seed}-`));
  const file = join(work, "prog.c");
  // Preprocess csmith.h in so that creduce sees (and can cut) everything.
  const pre = spawnSync("gcc", ["-E", "-P", "-m32", "-I", CSMITH_INCLUDE, "-"], {
    input: source,
    encoding: "utf8",
  });
  writeFileSync(file, pre.status === 0 ? pre.stdout : source);
  const judgeScript = join(work, "judge.mts");
  writeFileSync(
    judgeScript,
    `import { readFileSync } from "node:fs";
import { judge } from ${JSON.stringify(join(ROOT, "test", "helpers", "csmith.ts"))};
const source = readFileSync("prog.c", "utf8");
process.exit((await judge(source, 5000)).kind === "mismatch" ? 0 : 1);
`,
  );
  const test = join(work, "interesting.sh");
  writeFileSync(
    test,
    `#!/bin/sh
gcc ${GCC_FLAGS.join(" ")} -Wall -Werror=uninitialized -Werror=return-type -c -o /dev/null prog.c || exit 1
exec node --import tsx ${judgeScript}
`,
  );
  chmodSync(test, 0o755);
  console.log(`seed ${seed}: creduce in ${work} ...`);
  const r = spawnSync("creduce", ["--n", "2", test, "prog.c"], {
    cwd: work,
    stdio: "inherit",
    env: { ...process.env, NODE_PATH: join(ROOT, "node_modules") },
  });
  if (r.status !== 0) {
    console.log(`seed ${seed}: creduce failed; the original is kept in ${work}`);
    return;
  }
  const target = join(saveDir, `csmith_${seed}.c`);
  const reduced = readFileSync(file, "utf8");
  writeFileSync(
    target,
    `// csmith --seed ${seed} ${gotoHeavy ? "(goto-heavy) " : ""}reduced by creduce: gcc and kplug disagreed.\n${reduced}`,
  );
  copyFileSync(file, join(work, "reduced.c"));
  console.log(`seed ${seed}: reduced program saved as ${target}`);
}
