// csmith as a standing differential fuzzer: a fixed set of seeds, generated at test time by
// Debian's csmith (2.3.0; `.ci/run` installs it with libcsmith-dev), each run under the gcc
// oracle and through kplug: kplug must accept every one and print the same checksum. The
// goto-heavy seeds (csmith's goto probability raised) jump into nested blocks more often; 9 of
// the 23 programs go through the CFG lowering (cc/lower-cfg.ts) and were rejected before it.
// The bit-field seeds turn on csmith's bit-fields (structs mixing them with other members).
// Seeds are chosen among those csmith generates quickly and whose gcc build runs briefly under
// qemu-i386 (about 5 s of CPU per program here, generation and both compilers included).
// Longer runs: scripts/csmith-run.ts.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import {
  compare,
  csmithAvailable,
  gccOracle,
  generate,
  kplugCompile,
  pool,
} from "./helpers/csmith.ts";

/**
 * csmith's default probabilities (bit-fields and packed structs off). 6, 7 and 28 jump into
 * nested blocks (rejected before the CFG lowering).
 */
const DEFAULT_SEEDS = [5, 6, 7, 12, 14, 16, 17, 22, 24, 27, 28, 36];
/** Goto-heavy: 1, 13, 14, 16, 19 and 25 jump into nested blocks. */
const GOTO_SEEDS = [1, 5, 8, 13, 14, 15, 16, 19, 24, 25, 27];
/** With bit-fields on (csmith's default): structs of 8, 10, 9 and 19 bit-fields. */
const BIT_FIELD_SEEDS = [107, 112, 113, 124];

/** The oracle's run-time bound, generous for a loaded CI machine. */
const ORACLE_TIMEOUT_MS = 60_000;

const missing = csmithAvailable();
const dir = mkdtempSync(join(tmpdir(), "kplug-csmith-test-"));
process.on("exit", () => rmSync(dir, { recursive: true, force: true }));

// csmith and the gcc builds run two at a time from the start, beside kplug's work in the tests.
const limit = pool(2);
const jobs = [
  ...DEFAULT_SEEDS.map((seed) => ({ seed, gotoHeavy: false, bitFields: false })),
  ...GOTO_SEEDS.map((seed) => ({ seed, gotoHeavy: true, bitFields: false })),
  ...BIT_FIELD_SEEDS.map((seed) => ({ seed, gotoHeavy: false, bitFields: true })),
].map((job) => {
  const prepared = missing
    ? Promise.reject(new Error(missing))
    : limit(async () => {
        const program = await generate(job.seed, job.gotoHeavy, dir, job.bitFields);
        return { program, oracle: await gccOracle(program.source, ORACLE_TIMEOUT_MS) };
      });
  prepared.catch(() => {}); // reported by the test that awaits it
  return { ...job, prepared };
});

for (const { seed, gotoHeavy, bitFields, prepared } of jobs) {
  const kind = gotoHeavy ? " (goto-heavy)" : bitFields ? " (bit-fields)" : "";
  test(`csmith --seed ${seed}${kind}`, async () => {
    // A missing tool fails the test: it is never a reason to skip.
    const { program, oracle } = await prepared;
    const module = kplugCompile(program.source);
    if (typeof module === "string") assert.fail(`kplug rejected the program: ${module}`);
    if (typeof oracle === "string") assert.fail(oracle);
    assert.deepEqual(compare(program.source, module, oracle), { kind: "match" });
  });
}
