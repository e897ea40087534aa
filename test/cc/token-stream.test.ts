// The preprocessor streamed into the parser (PreprocessStream, TokenWindow; issue 15's compile
// speed): compile() no longer holds the whole token output, and must change nothing else:
// - every C file of the repository compiles to the same diagnostics and module bytes as the
//   whole-output pipeline (preprocess(), then parse() of the array, then lower()), with the
//   default batch and window, and with one token per pull and every release dropping tokens
//   (so a string join or header recording across pulls, or a read behind a release, shows);
// - the preprocessor's diagnostics come first, and an error of its drops the parse's;
// - backtracking and deferred header declarations after many released tokens run as gcc's
//   build does.

import assert from "node:assert/strict";
import { test } from "node:test";
import { type CompileOptions, type CompileResult, compile } from "../../cc/compile.ts";
import { CompileAbort, DiagnosticSink, TooManyErrors } from "../../cc/diagnostics.ts";
import { defaultLimits } from "../../cc/limits.ts";
import { lower } from "../../cc/lower.ts";
import { parse } from "../../cc/parse.ts";
import { preprocess, streamSettings } from "../../cc/preprocess.ts";
import { windowSettings } from "../../cc/token-window.ts";
import { runProgram } from "../../kernel/program.ts";
import { comparableSources, compileOutcome } from "../helpers/c-corpus.ts";
import { gccRun } from "../kernel/gcc.ts";

/** compile() as it was before streaming: the whole output, then the parse, then lowering. */
function wholeOutputCompile(source: string, options: CompileOptions): CompileResult {
  const file = options.file ?? "plugin.c";
  const limits = { ...defaultLimits, ...options.limits };
  const diags = new DiagnosticSink(limits.maxErrors);
  try {
    const ctx = { file, includes: options.includes ?? {}, defines: {}, limits, diags };
    const tokens = preprocess(source, ctx);
    if (diags.hasErrors) return { ok: false, diagnostics: diags.list };
    const unit = parse(tokens, { diags, limits });
    if (diags.hasErrors) return { ok: false, diagnostics: diags.list };
    const module = lower(unit, {
      file,
      fuel: true,
      nullChecks: true,
      inline: true,
      vectorize: true,
      diags,
      limits,
    });
    if (diags.hasErrors || !module) return { ok: false, diagnostics: diags.list };
    return { ok: true, module, diagnostics: diags.list };
  } catch (e) {
    if (e instanceof TooManyErrors || e instanceof CompileAbort) {
      return { ok: false, diagnostics: diags.list };
    }
    throw e;
  }
}

/** `f` with one token per pull and a window that drops at every release. */
function tightly<T>(f: () => T): T {
  const { batch } = streamSettings;
  const { dropAt } = windowSettings;
  streamSettings.batch = 1;
  windowSettings.dropAt = 1;
  try {
    return f();
  } finally {
    streamSettings.batch = batch;
    windowSettings.dropAt = dropAt;
  }
}

test("every C file of the repository compiles as the whole-output pipeline compiles it", () => {
  const { sources, includes } = comparableSources();
  assert.ok(sources.length > 300, `only ${sources.length} C files found`);
  const failures: string[] = [];
  for (const { name: file, source } of sources) {
    const options = { file, includes };
    // Tight first: the first file to include each built-in header then streams it while the
    // header is still being recorded (the reference would otherwise fill the replay cache).
    const tight = compileOutcome(tightly(() => compile(source, options)));
    const runs = { tight, default: compileOutcome(compile(source, options)) };
    const want = compileOutcome(wholeOutputCompile(source, options));
    for (const [how, got] of Object.entries(runs)) {
      if (JSON.stringify(got.diagnostics) !== JSON.stringify(want.diagnostics)) {
        failures.push(`${file} (${how}): ${got.diagnostics.join(" | ")} vs ${want.diagnostics}`);
      } else if (got.wasm !== want.wasm) {
        failures.push(`${file} (${how}): module bytes differ`);
      }
    }
  }
  assert.deepEqual(failures, []);
});

test("the preprocessor's diagnostics come first, and its errors drop the parse's", () => {
  // A parse error before the preprocessor's warning: the warning is still listed first, as
  // when the whole file was preprocessed before parsing began.
  const warned = compile("int x = ;\n#warning careful\nint y = ;\n", { file: "w.c" });
  assert.deepEqual(
    warned.diagnostics.map((d) => `${d.line}: ${d.severity}: ${d.message}`),
    [
      "2: warning: #warning careful",
      "1: error: expected expression before ';'",
      "3: error: expected expression before ';'",
    ],
  );
  // An error of the preprocessor after a parse error: only the preprocessor's is reported.
  for (const run of [() => compile, () => tightly(() => compile)]) {
    const failed = run()("int x = ;\nint y;\n#error stop here\nint z = ;\n", { file: "e.c" });
    assert.equal(failed.ok, false);
    assert.deepEqual(
      failed.diagnostics.map((d) => `${d.line}: ${d.message}`),
      ["3: #error stop here"],
    );
  }
  // The preprocessor's error limit stops the compile with its diagnostics alone.
  const many = Array.from({ length: 30 }, (_, i) => `#error e${i}\nint v${i} = ;\n`).join("");
  const stopped = compile(many, { file: "m.c", limits: { maxErrors: 5 } });
  assert.deepEqual(
    stopped.diagnostics.map((d) => d.message),
    ["#error e0", "#error e1", "#error e2", "#error e3", "#error e4"],
  );
});

/** A program whose body is long enough to be released many times over, with every construct
 *  that reads tokens twice (nested declarators, an initializer that may be an expression or a
 *  list, an anonymous member's designator) and a header function first used at the end. */
function longProgram(statements: number): string {
  const lines: string[] = [];
  for (let i = 0; i < statements; i++) {
    lines.push(`  s = s * 31 + ${i % 97}; s ^= (s >> 7);`);
    if (i % 500 === 250) {
      lines.push(
        `  { int (*f)(int) = twice; int (arr)[3] = {1, 2, 3}; s += f(arr[${i % 3}]); }`,
        `  { struct P p = ({ int t = ${i}; s += t; (struct P){t, t + 1}; }); s += p.a + p.b; }`,
        `  { struct Q q = { .x = ${i}, .y = ${i + 1} }; s += q.x - q.y; }`,
      );
    }
  }
  return `#include <stdio.h>
#include <string.h>
struct P { int a, b; };
struct Q { struct { int x; }; int y; };
static int twice(int v) { return 2 * v; }
int main(void) {
  unsigned s = 1;
  const char *text = "stream" "ed" " tokens";
${lines.join("\n")}
  printf("%u %u\\n", s, (unsigned)strlen(text));
  return 0;
}
`;
}

test("a long function with backtracking constructs runs as gcc's build does", () => {
  const source = longProgram(3000);
  const want = gccRun(source);
  assert.ok(want, "gcc -m32 is needed for this test");
  for (const compiled of [compile(source), tightly(() => compile(source))]) {
    assert.ok(compiled.ok, JSON.stringify(compiled.diagnostics.slice(0, 3)));
    const result = runProgram(source, { file: "long.c", module: compiled.module });
    assert.equal(result.stdout, want.stdout);
    assert.equal(result.exitCode, want.status);
  }
});
