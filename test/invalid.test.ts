// Diagnostics test: every program in test/invalid must be rejected (or warned about) with the
// diagnostics its header announces. Each file starts with one or more lines
//   // expect: LINE:COL: error: SUBSTRING      (or `warning:`)
// giving, in order, the diagnostics the compiler must report: same severity, line and column
// (gcc's convention: 1-based, at the offending token), and a message whose lowercase form
// contains SUBSTRING. They must appear in that order among the compiler's diagnostics; extra
// warnings may appear anywhere and extra errors after the first expected one, but no error may
// come before it. A file expecting any error must fail to compile; one expecting only
// warnings must compile.

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { compile } from "../cc/compile.ts";

const DIR = join(dirname(fileURLToPath(import.meta.url)), "invalid");
const EXPECT = /^\/\/ expect: (\d+):(\d+): (error|warning): (.+)$/;

interface Expectation {
  line: number;
  col: number;
  severity: "error" | "warning";
  substring: string;
}

interface Reported {
  severity: "error" | "warning";
  message: string;
  line: number;
  col: number;
}

function expectations(source: string): Expectation[] {
  const out: Expectation[] = [];
  for (const text of source.split("\n")) {
    const m = EXPECT.exec(text.replace(/\r$/, ""));
    if (!m) break;
    out.push({
      line: Number(m[1]),
      col: Number(m[2]),
      severity: m[3] as "error" | "warning",
      substring: m[4]!.trim().toLowerCase(),
    });
  }
  return out;
}

function matches(d: Reported, e: Expectation): boolean {
  return (
    d.severity === e.severity &&
    d.line === e.line &&
    d.col === e.col &&
    d.message.toLowerCase().includes(e.substring)
  );
}

const show = (d: Reported) => `${d.line}:${d.col}: ${d.severity}: ${d.message}`;
const showExpected = (e: Expectation) => `${e.line}:${e.col}: ${e.severity}: ${e.substring}`;

const files = readdirSync(DIR)
  .filter((f) => f.endsWith(".c"))
  .sort();

test("invalid corpus is present", () => {
  assert.ok(files.length >= 45, `expected at least 45 invalid programs, found ${files.length}`);
});

function check(file: string): void {
  const source = readFileSync(join(DIR, file), "utf8");
  const expected = expectations(source);
  assert.ok(expected.length > 0, `${file} has no "// expect:" header on line 1`);

  let result: ReturnType<typeof compile>;
  try {
    result = compile(source, { file });
  } catch (e) {
    assert.fail(`compile threw on ${file}: ${e instanceof Error ? (e.stack ?? e.message) : e}`);
  }
  const reported: Reported[] = result.diagnostics;
  const report = [
    `${file}`,
    "expected (in order):",
    ...expected.map((e) => `  ${showExpected(e)}`),
    "reported:",
    ...(reported.length ? reported.map((d) => `  ${show(d)}`) : ["  (nothing)"]),
  ].join("\n");

  // Match the expectations as an ordered subsequence of the reported diagnostics.
  let next = 0;
  for (const [i, e] of expected.entries()) {
    let found = -1;
    for (let k = next; k < reported.length; k++) {
      const d = reported[k]!;
      if (matches(d, e)) {
        found = k;
        break;
      }
      if (i === 0 && d.severity === "error") {
        assert.fail(`an unexpected error comes before the first expected one\n${report}`);
      }
    }
    if (found < 0) assert.fail(`missing diagnostic ${showExpected(e)}\n${report}`);
    next = found + 1;
  }

  const wantsError = expected.some((e) => e.severity === "error");
  assert.equal(
    result.ok,
    !wantsError,
    wantsError ? `compile must fail\n${report}` : `compile must succeed (only warnings)\n${report}`,
  );
}

for (const file of files) {
  const name = basename(file, ".c");
  test(name, () => check(file));
}
