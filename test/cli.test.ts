// The `kplug` command line, run as a user would run it (bin/kplug.js in a child process).

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { fileURLToPath } from "node:url";

const bin = fileURLToPath(new URL("../bin/kplug.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "kplug-cli-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function kplug(...args: string[]) {
  return kplugWithInput(undefined, ...args);
}

function kplugWithInput(input: string | undefined, ...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", cwd: dir, input });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe("kplug run", () => {
  test("passes argv and exits with main's return value & 255", () => {
    const src = file(
      "args.c",
      '#include <stdio.h>\n#include "twice.h"\nint main(int argc, char **argv) { for (int i = 1; i < argc; i++) printf("%s\\n", argv[i]); return TWICE(150); }\n',
    );
    file("twice.h", "#define TWICE(x) ((x) * 2)\n");
    const r = kplug("run", src, "--", "one", "two words");
    assert.equal(r.stdout, "one\ntwo words\n");
    assert.equal(r.status, 300 & 255);
  });

  test("connects the process's stdin", () => {
    const src = file(
      "sum.c",
      `#include <stdio.h>
int main(void) {
  long long sum = 0; int x, n = 0;
  while (scanf("%d", &x) == 1) { sum += x; n++; }
  printf("%d numbers, sum %lld, eof %d\\n", n, sum, feof(stdin) != 0);
  return 0;
}
`,
    );
    // ~590 KB: several refills of the 64 KiB input buffer, numbers split across them.
    const numbers = Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 100_003);
    const sum = numbers.reduce((a, b) => a + b, 0);
    const r = kplugWithInput(numbers.join(" "), "run", src);
    assert.equal(r.stderr, "");
    assert.equal(r.stdout, `100000 numbers, sum ${sum}, eof 1\n`);
    assert.equal(r.status, 0);
    assert.equal(kplugWithInput("", "run", src).stdout, "0 numbers, sum 0, eof 1\n");
  });

  test("exit() sets the status", () => {
    const src = file(
      "exit.c",
      '#include <stdlib.h>\n#include <stdio.h>\nint main(void) { printf("bye"); exit(3); }\n',
    );
    const r = kplug("run", src);
    assert.equal(r.stdout, "bye");
    assert.equal(r.status, 3);
  });

  test("compile errors print diagnostics with a caret and exit 1", () => {
    const src = file("bad.c", "int main(void) {\n  return missing;\n}\n");
    const r = kplug("run", src);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /bad\.c:2:10: error: .*missing/);
    assert.match(r.stderr, /\n {9}\^/);
  });

  test("a fault prints a one-line report; fuel exhaustion says so", () => {
    const spin = file("spin.c", "int main(void) { for (;;) {} }\n");
    const r = kplug("run", spin, "--fuel", "10000");
    assert.equal(r.status, 1);
    assert.match(
      r.stderr,
      /^kplug: fault: fuel exhausted in function 'main' \(plugin '.*spin\.c'\)\n$/,
    );
    const abort = file("abort.c", "#include <stdlib.h>\nint main(void) { abort(); }\n");
    assert.equal(kplug("run", abort).status, 134);
    const oob = file("oob.c", "int main(void) { return *(int *)-4; }\n");
    const o = kplug("run", oob);
    assert.equal(o.status, 1);
    assert.match(o.stderr, /fault: out-of-bounds/);
  });

  test("--entry runs another function", () => {
    const src = file("entry.c", "int main(void) { return 1; }\nint other(void) { return 9; }\n");
    assert.equal(kplug("run", src, "--entry", "other").status, 9);
  });
});

describe("kplug compile", () => {
  test("writes a module that kplug run can execute", () => {
    const src = file("hello.c", '#include <stdio.h>\nint main(void) { puts("hi"); return 0; }\n');
    const out = join(dir, "hello.wasm");
    const c = kplug("compile", src, "-o", out);
    assert.equal(c.status, 0, c.stderr);
    assert.ok(existsSync(out));
    assert.deepEqual([...readFileSync(out).subarray(0, 4)], [0, 0x61, 0x73, 0x6d]);
    const r = kplug("run", out);
    assert.equal(r.stdout, "hi\n");
    assert.equal(r.status, 0);
  });

  test("--wat prints the text format", () => {
    const src = file("wat.c", "int add(int a, int b) { return a + b; }\n");
    const r = kplug("compile", src, "--wat");
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^\(module/m);
    assert.match(r.stdout, /i32\.add/);
  });

  test("errors exit 1", () => {
    const src = file("err.c", "int f( { }\n");
    const r = kplug("compile", src);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /err\.c:1:\d+: error:/);
  });

  test("an image plugin compiles with no flags: kplug/image.h is built in", () => {
    const sobel = fileURLToPath(new URL("../plugins/sobel.c", import.meta.url));
    const out = join(dir, "sobel.wasm");
    const r = kplug("compile", sobel, "-o", out);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual([...readFileSync(out).subarray(0, 4)], [0, 0x61, 0x73, 0x6d]);
  });
});

describe("kplug headers", () => {
  test("--out writes every built-in header, byte for byte the compiler's", () => {
    const out = join(dir, "inc");
    const r = kplug("headers", "--out", out);
    assert.equal(r.status, 0, r.stderr);
    const include = fileURLToPath(new URL("../include/", import.meta.url));
    for (const name of ["stdio.h", "stdint.h", "assert.h", "kplug/image.h"]) {
      assert.equal(
        readFileSync(join(out, name), "utf8"),
        readFileSync(join(include, name), "utf8"),
      );
    }
    // The written headers are usable as quoted includes from a plain -I directory.
    const src = file(
      "uses.c",
      '#include "kplug/image.h"\nint main(void) { return clamp255(300) - 250; }\n',
    );
    const run = kplug("run", src, "-I", out);
    assert.equal(run.status, 5, run.stderr);
  });
});

describe("kplug", () => {
  test("--help lists the commands; unknown commands fail", () => {
    const h = kplug("--help");
    assert.equal(h.status, 0);
    assert.match(h.stdout, /compile/);
    assert.match(h.stdout, /run/);
    const u = kplug("frobnicate");
    assert.equal(u.status, 2);
    assert.match(u.stderr, /unknown command 'frobnicate'/);
    const r = kplug("run", "--help");
    assert.equal(r.status, 0);
    assert.match(r.stdout, /--fuel/);
  });

  test("every command --help lists has a working --help; --version is package.json's", () => {
    const listed = [...kplug("--help").stdout.matchAll(/^ {2}([a-z]+) {2,}/gm)].map((m) => m[1]!);
    assert.ok(listed.length >= 3, listed.join(","));
    for (const name of listed) {
      const h = kplug(name, "--help");
      assert.equal(h.status, 0, `kplug ${name} --help: ${h.stderr}`);
      assert.match(h.stdout, new RegExp(`kplug ${name}`));
    }
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    assert.equal(kplug("--version").stdout.trim(), `kplug ${pkg.version}`);
    const h = kplug("help", "compile");
    assert.equal(h.status, 0);
    assert.match(h.stdout, /^usage: kplug compile/);
  });

  test("mistakes get one line: unknown flags, missing values, missing files", () => {
    const oneLine = (r: { status: number | null; stderr: string }, status: number, re: RegExp) => {
      assert.equal(r.status, status, r.stderr);
      assert.match(r.stderr, re);
      assert.equal(r.stderr.trimEnd().split("\n").length, 1, r.stderr);
    };
    // A usage mistake: kplug's own words (never parseArgs'), then the command's synopsis.
    const usageMistake = (r: { status: number | null; stderr: string }, re: RegExp) => {
      assert.equal(r.status, 2, r.stderr);
      const lines = r.stderr.trimEnd().split("\n");
      assert.equal(lines.length, 2, r.stderr);
      assert.match(lines[0]!, re);
      assert.match(lines[1]!, /^usage: kplug \w+ .*\(see 'kplug help \w+'\)$/);
      assert.doesNotMatch(r.stderr, /positional|Unknown option|argument missing|does not take/);
    };
    usageMistake(kplug("run", "--frob", "x.c"), /^kplug run: unknown option '--frob'$/);
    usageMistake(kplug("run", "-q", "x.c"), /^kplug run: unknown option '-q'$/);
    usageMistake(kplug("compile", "x.c", "-o"), /^kplug compile: option '-o' needs a value$/);
    usageMistake(
      kplug("run", "--no-fuel=3", "x.c"),
      /^kplug run: option '--no-fuel' takes no value$/,
    );
    usageMistake(kplug("serve", "extra"), /^kplug serve: unexpected argument 'extra'$/);
    oneLine(kplug("run", "missing.c"), 1, /^kplug run: cannot read missing\.c: no such file$/m);
    oneLine(kplug("compile", "missing.c"), 1, /^kplug compile: cannot read missing\.c/);
    oneLine(kplug("run", "missing.wasm"), 1, /^kplug run: cannot read missing\.wasm/);
    oneLine(kplug("help", "frob"), 2, /^kplug: unknown command 'frob'/);
    usageMistake(kplug("serve", "--port", "http"), /--port needs a port number/);
  });
});
