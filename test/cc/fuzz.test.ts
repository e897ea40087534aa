// Fuzzing the compiler: mutated valid programs and random token soup, bounded in time. The
// compiler must never fail internally (no exception, no "internal compiler error"), and every
// module it accepts must validate.

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { compile } from "../../cc/compile.ts";
import { validateWasm } from "../helpers/validate.ts";

const programsDir = join(import.meta.dirname, "..", "programs");
const seeds = readdirSync(programsDir)
  .filter((f) => f.endsWith(".c"))
  .sort()
  .map((f) => readFileSync(join(programsDir, f), "utf8"));

/** Deterministic PRNG (mulberry32) so a failure can be replayed from its seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const fragments = [
  "int",
  "char",
  "unsigned",
  "long",
  "double",
  "struct s",
  "union u",
  "enum e",
  "*",
  "&",
  "(",
  ")",
  "[",
  "]",
  "{",
  "}",
  ";",
  ",",
  "=",
  "==",
  "+",
  "-",
  "/",
  "%",
  "<<",
  ">>",
  "?",
  ":",
  "if",
  "else",
  "while",
  "for",
  "do",
  "switch",
  "case 1:",
  "default:",
  "break;",
  "continue;",
  "return",
  "goto L;",
  "L:",
  "sizeof",
  "x",
  "y",
  "main",
  "0",
  "1",
  "0x7fffffff",
  "1e308",
  '"str"',
  "'c'",
  "#define M(a) a##a",
  "#if 1",
  "#endif",
  "typedef",
  "static",
  "...",
  "->",
  ".",
  "++",
  "--",
  "!",
  "~",
  "&&",
  "||",
  "\n",
];

function mutate(src: string, rand: () => number): string {
  const lines = src.split("\n");
  const edits = 1 + Math.floor(rand() * 4);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(rand() * lines.length);
    const line = lines[at] ?? "";
    const pos = Math.floor(rand() * (line.length + 1));
    switch (Math.floor(rand() * 5)) {
      case 0: // delete a span
        lines[at] = line.slice(0, pos) + line.slice(pos + 1 + Math.floor(rand() * 8));
        break;
      case 1: // insert a fragment
        lines[at] =
          `${line.slice(0, pos)} ${fragments[Math.floor(rand() * fragments.length)]} ${line.slice(pos)}`;
        break;
      case 2: // duplicate a line
        lines.splice(at, 0, line);
        break;
      case 3: // delete a line
        lines.splice(at, 1);
        break;
      default:
        {
          // swap two lines
          const other = Math.floor(rand() * lines.length);
          lines[at] = lines[other] ?? "";
          lines[other] = line;
        }
        break;
    }
  }
  return lines.join("\n");
}

function soup(rand: () => number): string {
  const n = 5 + Math.floor(rand() * 200);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(fragments[Math.floor(rand() * fragments.length)]!);
  return parts.join(" ");
}

async function check(source: string, label: string): Promise<"ok" | "error"> {
  let result: ReturnType<typeof compile>;
  try {
    result = compile(source, { file: "fuzz.c" });
  } catch (e) {
    assert.fail(`${label}: compile threw ${(e as Error).stack}\n--- source ---\n${source}`);
  }
  for (const d of result.diagnostics) {
    assert.ok(
      !d.message.includes("internal compiler error"),
      `${label}: ${d.message}\n--- source ---\n${source}`,
    );
  }
  if (!result.ok) return "error";
  await validateWasm(result.module.wasm).catch((e: Error) => {
    assert.fail(`${label}: emitted invalid wasm: ${e.message}\n--- source ---\n${source}`);
  });
  return "ok";
}

const budgetMs = Number(process.env.KPLUG_FUZZ_MS ?? 8000);

test("mutated valid programs never crash the compiler and always validate", async () => {
  assert.ok(seeds.length > 0, "no seed programs found");
  const rand = rng(Number(process.env.KPLUG_FUZZ_SEED ?? 1234));
  const deadline = Date.now() + budgetMs;
  let runs = 0;
  let accepted = 0;
  while (Date.now() < deadline) {
    const seed = seeds[Math.floor(rand() * seeds.length)]!;
    if ((await check(mutate(seed, rand), `mutation #${runs}`)) === "ok") accepted++;
    runs++;
  }
  assert.ok(runs > 20, `only ${runs} fuzz runs completed`);
  // Some mutations are harmless (e.g. swapping two blank lines); most are not.
  assert.ok(accepted < runs, "every mutated program compiled: the mutator is not mutating");
});

test("random token soup gets diagnostics, never an exception", async () => {
  const rand = rng(Number(process.env.KPLUG_FUZZ_SEED ?? 99));
  const deadline = Date.now() + budgetMs / 2;
  let runs = 0;
  while (Date.now() < deadline) {
    await check(soup(rand), `soup #${runs}`);
    runs++;
  }
  assert.ok(runs > 20, `only ${runs} soup runs completed`);
});

// Bounded in time by the compiler's limits (work budgets, tested exactly in limits.test.ts);
// a hang here fails the test by its timeout, not by a wall-clock assertion that flakes under load.
test("hostile inputs get a clear error, never a hang", { timeout: 120_000 }, () => {
  const hostile: [string, string][] = [
    // Plain parentheses are a loop (100,000 compile); around operators they nest the tree.
    [
      "deep parentheses",
      `int f(int a) { return ${"(".repeat(60_000)}a${") + a".repeat(60_000)}; }`,
    ],
    ["deep blocks", `void f(void) ${"{".repeat(50_000)}${"}".repeat(50_000)}`],
    ["huge literal", `int x = ${"9".repeat(10_000)};`],
    ["huge array", "char big[2000000000]; char big2[2000000000];"],
    [
      "megabytes of source",
      `int f(void) { return 0; }\n${"int a_%d;\n".repeat(1).repeat(5_000_000)}`,
    ],
    ["many identifiers", Array.from({ length: 200_000 }, (_, i) => `int v${i};`).join("\n")],
    [
      "macro bomb",
      `#define A0 x\n${Array.from({ length: 40 }, (_, i) => `#define A${i + 1} A${i} A${i}`).join("\n")}\nint y = A40;`,
    ],
  ];
  for (const [name, source] of hostile) {
    const result = compile(source, { file: "hostile.c" });
    assert.equal(result.ok, false, `${name}: expected a diagnostic`);
    assert.ok(result.diagnostics.length > 0, `${name}: no diagnostic`);
    for (const d of result.diagnostics) {
      assert.ok(!d.message.includes("internal compiler error"), `${name}: ${d.message}`);
    }
  }
});
