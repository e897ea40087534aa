// Random unstructured control flow against gcc: functions whose labels sit at every depth (in
// if arms, loop bodies, switch cases, nested blocks) and whose gotos jump anywhere, so the
// graphs have loops with several entries (irreducible), jumps into loops from after them, and
// case labels inside nested statements. Each function counts its steps and stops after a
// bound, so every run terminates; the checksums of the paths taken must equal gcc's.

import assert from "node:assert/strict";
import { test } from "node:test";
import { runProgram } from "../../kernel/program.ts";
import { gccRun } from "../kernel/gcc.ts";

/** Deterministic PRNG (mulberry32). */
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

function soup(name: string, seed: number): string {
  const r = rng(seed);
  const pick = (n: number) => Math.floor(r() * n);
  const labels = 3 + pick(6);
  let next = 0;
  let loops = 0;
  const guard = "if (++steps > 200) goto out;";
  const lines: string[] = [];
  const emit = (depth: number, s: string) => lines.push(`${"  ".repeat(depth)}${s}`);
  const action = (depth: number) => {
    const k = pick(7);
    if (k === 0) emit(depth, `h = h * 31u + ${pick(100)}u;`);
    else if (k === 1) emit(depth, `if (h % ${2 + pick(5)}u == 0) goto L${pick(labels)};`);
    else if (k === 2) emit(depth, `x ^= h >> ${1 + pick(9)}; h += x;`);
    else if (k === 3) emit(depth, `goto L${pick(labels)};`);
    else if (k === 4) emit(depth, `{ int t = ${pick(9)}; h += (unsigned)t * x; }`);
    else emit(depth, `h = (h ^ ${pick(1000)}u) * 16777619u;`);
  };
  const label = (depth: number) => {
    if (next < labels) {
      emit(depth, `L${next++}: ${guard} h += ${next};`);
    }
  };
  const body = (depth: number): void => {
    const n = 1 + pick(3);
    for (let i = 0; i < n; i++) {
      const k = depth > 3 ? pick(3) : pick(8);
      if (k <= 1) {
        label(depth);
        action(depth);
      } else if (k === 2) {
        action(depth);
      } else if (k === 3) {
        emit(depth, `if (x & ${1 << pick(5)}) {`);
        body(depth + 1);
        emit(depth, "} else {");
        body(depth + 1);
        emit(depth, "}");
      } else if (k === 4) {
        // The index is declared at the top: a goto into the body finds it initialised.
        const i = `i${loops++}`;
        emit(depth, `for (${i} = 0; ${i} < ${1 + pick(4)}; ${i}++) {`);
        emit(depth + 1, guard);
        body(depth + 1);
        emit(depth, "}");
      } else if (k === 5) {
        emit(depth, `while (h % ${3 + pick(4)}u != 0) {`);
        emit(depth + 1, `h++; ${guard}`);
        body(depth + 1);
        emit(depth, "}");
      } else if (k === 6) {
        emit(depth, "do {");
        emit(depth + 1, guard);
        body(depth + 1);
        emit(depth, `} while (x-- % ${2 + pick(3)} != 0);`);
      } else {
        emit(depth, `switch (h % ${2 + pick(4)}u) {`);
        emit(depth + 1, `case ${pick(2)}:`);
        body(depth + 2);
        emit(depth + 1, "{");
        emit(depth + 2, `case ${2 + pick(2)}:`);
        body(depth + 2);
        emit(depth + 2, "break;");
        emit(depth + 1, "}");
        emit(depth + 1, "default:");
        body(depth + 2);
        emit(depth, "}");
      }
    }
  };
  body(1);
  while (next < labels) label(1);
  const indices = Array.from({ length: loops }, (_, k) => `i${k} = 0`);
  return `static unsigned ${name}(unsigned x) {
  unsigned h = x * 2654435761u;
  int steps = 0${indices.map((d) => `, ${d}`).join("")};
${lines.join("\n")}
out:
  return h ^ (unsigned)steps;
}
`;
}

test("random goto soup: 40 functions with jumps into and out of every kind of block", () => {
  const count = Number(process.env.SOUP_COUNT ?? 40);
  let source = "#include <stdio.h>\n";
  for (let i = 0; i < count; i++)
    source += soup(`f${i}`, Number(process.env.SOUP_SEED ?? 1000) + i);
  source += "int main(void) {\n";
  for (let i = 0; i < count; i++) {
    source += `  for (unsigned x = 0; x < 4; x++) printf("f${i}(%u) = %u\\n", x, f${i}(x));\n`;
  }
  source += "  return 0;\n}\n";
  const want = gccRun(source);
  assert.ok(want, "gcc -m32 oracle unavailable (install gcc-multilib and qemu-user)");
  const got = runProgram(source, { file: "soup.c" });
  assert.equal(got.diagnostics ?? "", "", "kplug rejected the program");
  assert.equal(got.stdout, want.stdout);
  assert.equal(got.exitCode, want.status);
});
