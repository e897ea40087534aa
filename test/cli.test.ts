// The `kplug` command line, run as a user would run it (bin/kplug.js in a child process).

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { parsePnm } from "../httpd/pnm.ts";
import { grayscale } from "./httpd/reference.ts";
import { clangWasm } from "./wasm/clang.ts";

const NO_LIMITS = { maxWidth: 1e6, maxHeight: 1e6, maxPixels: 1e12 };

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

/** `text` as a literal in a regular expression. */
function esc(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
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

  test("--stack sets the shadow stack: deep recursion that overflows 256 KiB runs", () => {
    const deep = file(
      "deep.c",
      "int depth(int n) { volatile char buf[1000]; buf[0] = (char)n;\n" +
        "  return n == 0 ? 0 : depth(n - 1) + 1 + buf[0] - buf[0]; }\n" +
        "int main(void) { return depth(2000) == 2000 ? 7 : 1; }\n",
    );
    const small = kplug("run", deep);
    assert.equal(small.status, 1);
    assert.match(small.stderr, /fault: stack exhausted in depth\(\)/);
    const big = kplug("run", deep, "--stack", "4000000");
    assert.equal(big.status, 7, big.stderr);
  });

  test("--fuel takes budgets above 2^31-1 and spends them exactly", () => {
    // ~3.1e9 units of counted, vectorised loops (a fraction of a second).
    const big = file(
      "big.c",
      "static unsigned char a[1 << 20];\nint main(void) {\n" +
        "  for (int r = 0; r < 3000; r++)\n" +
        "    for (int i = 0; i < (1 << 20); i++) a[i] = (unsigned char)(a[i] + 1);\n" +
        "  return a[7];\n}\n",
    );
    const ok = kplug("run", big, "--fuel", "5000000000");
    assert.equal(ok.status, 3000 % 256, ok.stderr);
    const short = kplug("run", big, "--fuel", String(2 ** 31 + 100));
    assert.equal(short.status, 1);
    assert.match(short.stderr, /fault: fuel exhausted in main\(\)/);
  });

  test("a fault prints a diagnostic at the source line, with the line and a caret", () => {
    const spin = file("spin.c", "int main(void) {\n  for (;;) {}\n}\n");
    const r = kplug("run", spin, "--fuel", "10000");
    assert.equal(r.status, 1);
    assert.equal(r.stderr, `${spin}:2:3: fault: fuel exhausted in main()\n  for (;;) {}\n  ^\n`);
    const abort = file("abort.c", "#include <stdlib.h>\nint main(void) { abort(); }\n");
    const a = kplug("run", abort);
    assert.equal(a.status, 134);
    assert.match(
      a.stderr,
      /abort\.c:2:18: fault: abort in abort\(\), called from main\(\) at .*abort\.c:2:18/,
    );
  });

  test("an out-of-bounds read in an inlined function: its address, f, then its caller", () => {
    // The program prints the pointer it is about to read through: the report's address.
    const oob = file(
      "oob.c",
      '#include <stdio.h>\nint g[4];\nstatic int f(int *p, int i) {\n  return p[i];\n}\nint main(int argc, char **argv) {\n  int s = 0;\n  printf("%p\\n", (void *)(g + argc * 100000000));\n  s += f(g, argc * 100000000);\n  return s;\n}\n',
    );
    const o = kplug("run", oob);
    assert.equal(o.status, 1);
    const address = o.stdout.trim();
    assert.match(address, /^0x[0-9a-f]+$/);
    assert.equal(
      o.stderr,
      `${oob}:4:10: fault: out-of-bounds read of 4 bytes at ${address} in f(), called from main() at ${oob}:9:8\n` +
        "  return p[i];\n         ^\n",
    );
  });

  test("an out-of-bounds write in a function of its own, after reading stdin: its address", () => {
    // Not inlined (it recurses); the index comes from stdin, which the replay reads again.
    const w = file(
      "w.c",
      '#include <stdio.h>\nshort buf[8];\nint put(short *p, int i, int depth) {\n  if (depth > 0) return put(p, i, depth - 1);\n  p[i] = 7;\n  return 0;\n}\nint main(void) {\n  int i = 0;\n  if (scanf("%d", &i) != 1) return 2;\n  printf("%p\\n", (void *)(buf + i));\n  return put(buf, i, 3);\n}\n',
    );
    const o = kplugWithInput("123456789\n", "run", w);
    assert.equal(o.status, 1);
    const address = o.stdout.trim();
    assert.match(address, /^0x[0-9a-f]+$/);
    assert.match(
      o.stderr,
      new RegExp(
        `^${esc(w)}:5:3: fault: out-of-bounds write of 2 bytes at ${address} in put\\(\\), called from put\\(\\) at ${esc(w)}:4:`,
      ),
    );
  });

  test("foreign (clang) wasm: the out-of-bounds address of its read", () => {
    const src = file(
      "f.c",
      `extern int putchar(int);
static void hex(unsigned v) {
  putchar('0');
  putchar('x');
  int started = 0;
  for (int s = 28; s >= 0; s -= 4) {
    unsigned d = (v >> s) & 15;
    if (d || started || s == 0) {
      putchar("0123456789abcdef"[d]);
      started = 1;
    }
  }
  putchar('\\n');
}
int table[16];
volatile int step = 3000000;
__attribute__((visibility("default"))) int main(void) {
  int *p = table + step * 10;
  hex((unsigned)p);
  return *p;
}
`,
    );
    const wasm = join(dir, "f.wasm");
    writeFileSync(wasm, clangWasm(readFileSync(src, "utf8"), "shared"));
    const o = kplug("run", wasm);
    assert.equal(o.status, 1);
    const address = o.stdout.trim();
    assert.match(address, /^0x[0-9a-f]+$/);
    assert.match(
      o.stderr,
      new RegExp(
        `^kplug: fault: out-of-bounds read of 4 bytes at ${address} in \\S+\\(\\) at wasm offset`,
      ),
    );
  });

  test("divide by zero, stack overflow and a comparator's fault: each at its line", () => {
    const div = file("div.c", "int main(int argc, char **argv) {\n  return 10 / (argc - 1);\n}\n");
    assert.match(kplug("run", div).stderr, /div\.c:2:13: fault: divide-by-zero in main\(\)\n/);
    const rec = file(
      "rec.c",
      "int rec(int n) {\n  char pad[256];\n  pad[n & 255] = 1;\n  return rec(n + 1) + pad[3];\n}\nint main(void) { return rec(0); }\n",
    );
    const s = kplug("run", rec);
    assert.match(
      s.stderr,
      /rec\.c:1:5: fault: stack exhausted in rec\(\), called from rec\(\) at .*rec\.c:4:10\n/,
    );
    assert.match(s.stderr, /\n {2}#1-#\d+ rec\(\) at .*rec\.c:4:10\n/);
    // The comparator, called by the library's qsort, prints the pointer it reads through.
    const sort = file(
      "sort.c",
      '#include <stdlib.h>\n#include <stdio.h>\nint *bad;\nstatic int cmp(const void *a, const void *b) {\n  printf("%p\\n", (void *)bad);\n  return *bad - *(const int *)b;\n}\nint main(void) {\n  int v[2] = {2, 1};\n  bad = (int *)-4;\n  qsort(v, 2, sizeof v[0], cmp);\n  return v[0];\n}\n',
    );
    const q = kplug("run", sort);
    assert.equal(q.status, 1);
    const bad = q.stdout.trim();
    assert.match(bad, /^0x[0-9a-f]+$/);
    assert.match(
      q.stderr,
      new RegExp(
        `sort\\.c:6:10: fault: out-of-bounds read of 4 bytes at ${bad} in cmp\\(\\), called from qsort\\(\\)\n`,
      ),
    );
    assert.match(q.stderr, / {2}#1 qsort\(\) \(kernel\)\n {2}#2 main\(\) at .*sort\.c:11:3\n/);
    assert.doesNotMatch(q.stderr + s.stderr, /unreachable|RuntimeError|wasm-function/);
  });

  test("NULL is a fault; --no-null-checks lets the access through", () => {
    const src = file(
      "null.c",
      "#include <string.h>\nint main(void) { memset(NULL, 0, 10); *(int *)64 = 5; return *(int *)64; }\n",
    );
    const r = kplug("run", src);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /fault: null pointer/);
    assert.equal(kplug("run", "--no-null-checks", src).status, 5);
    assert.equal(kplug("compile", "--no-null-checks", src, "-o", join(dir, "null.wasm")).status, 0);
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
    usageMistake(kplug("serve", "--fuel=Infinity"), /^kplug serve: --fuel needs a whole number/);
    for (const bad of ["NaN", "Infinity", "1e400", "1e300", "-1", "0", "1.5", "2e16", "lots"]) {
      usageMistake(
        kplug("run", "x.c", `--fuel=${bad}`),
        /^kplug run: --fuel needs a whole number from 1 to 9007199254740991 \(2\^53-1\) \(got '.*'\); --no-fuel runs unmetered$/,
      );
    }
    for (const bad of ["100", "1e12", "4k"]) {
      usageMistake(
        kplug("run", "x.c", "--stack", bad),
        /^kplug run: --stack needs a number of bytes/,
      );
    }
    oneLine(kplug("run", "missing.c"), 1, /^kplug run: cannot read missing\.c: no such file$/m);
    oneLine(kplug("compile", "missing.c"), 1, /^kplug compile: cannot read missing\.c/);
    oneLine(kplug("run", "missing.wasm"), 1, /^kplug run: cannot read missing\.wasm/);
    oneLine(kplug("help", "frob"), 2, /^kplug: unknown command 'frob'/);
    usageMistake(kplug("serve", "--port", "http"), /--port needs a port number/);
  });
});

describe("kplug run --image", () => {
  const images = fileURLToPath(new URL("../../shared/images/", import.meta.url));
  const plugins = fileURLToPath(new URL("../plugins/", import.meta.url));
  const ppm = join(images, "astronaut-64x48.ppm");

  test("runs a library plugin's source as the server does: output equals the reference", () => {
    const out = join(dir, "gray.pgm");
    const r = kplug("run", join(plugins, "grayscale_image.c"), "--image", ppm, "-o", out);
    assert.equal(r.status, 0, r.stderr);
    const input = parsePnm(readFileSync(ppm), NO_LIMITS);
    const got = parsePnm(readFileSync(out), NO_LIMITS);
    const want = grayscale(input);
    assert.equal(got.channels, 1);
    assert.deepEqual([got.width, got.height], [want.width, want.height]);
    assert.ok(Buffer.from(got.data).equals(Buffer.from(want.data)), "pixels differ");
    // The format comes from -o: PNG through sharp.
    const png = join(dir, "gray.png");
    assert.equal(
      kplug("run", join(plugins, "grayscale_image.c"), "--image", ppm, "-o", png).status,
      0,
    );
    assert.deepEqual([...readFileSync(png).subarray(1, 4)], [...Buffer.from("PNG")]);
  });

  test("parameters, printf, a generated PPM, and a plugin calling the library", () => {
    const img = join(dir, "ramp.ppm");
    const pixels = Buffer.alloc(4 * 2 * 3);
    for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 11) & 255;
    writeFileSync(img, Buffer.concat([Buffer.from("P6\n4 2\n255\n"), pixels]));
    const src = file(
      "thresh.c",
      `#include <stdio.h>
#include "kplug/image.h"
extern int invert_transform(const image *in, image *out, const params *p);
int thresh_transform(const image *in, image *out, const params *p) {
  printf("threshold=%d a0=%d\\n", p->threshold, p->arg[0]);
  int rc = invert_transform(in, out, p);   /* the library's, as in a client's runtime */
  if (rc) return rc;
  for (int i = 0; i < out->height * out->stride; i++)
    out->pixels[i] = out->pixels[i] > p->threshold ? 255 : 0;
  return IMAGE_OK;
}
`,
    );
    const out = join(dir, "thresh.ppm");
    const r = kplug(
      "run",
      src,
      "--image",
      img,
      "-o",
      out,
      "--param",
      "threshold=100",
      "--param",
      "a0=7",
    );
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, "threshold=100 a0=7\n");
    const got = parsePnm(readFileSync(out), NO_LIMITS);
    const want = [...pixels].map((v) => (255 - v > 100 ? 255 : 0));
    assert.deepEqual([...got.data], want);
  });

  test("clear errors: missing files, formats, parameters, compile errors, faults", () => {
    const src = file(
      "ok.c",
      '#include "kplug/image.h"\nint ok_transform(const image *in, image *out, const params *p) { *out = *in; return 0; }\n',
    );
    const one = (r: { status: number | null; stderr: string }, status: number, re: RegExp) => {
      assert.equal(r.status, status, r.stderr);
      assert.match(r.stderr, re);
      assert.doesNotMatch(r.stderr, /at .*\.ts:\d+|Error:|unreachable/);
    };
    const out = join(dir, "x.ppm");
    one(
      kplug("run", src, "--image", "nope.png", "-o", out),
      1,
      /^kplug run: cannot read nope\.png: no such file\n$/,
    );
    one(
      kplug("run", "nope.c", "--image", ppm, "-o", out),
      1,
      /^kplug run: cannot read nope\.c: no such file\n$/,
    );
    one(
      kplug("run", src, "--image", ppm, "-o", join(dir, "x.gif")),
      1,
      /cannot tell the output format from 'x\.gif'/,
    );
    one(kplug("run", src, "--image", ppm), 2, /^kplug run: --image needs -o OUT/);
    for (const bad of ["Infinity", "NaN", "1e300", "-1", "1.5"]) {
      one(
        kplug("run", src, "--image", ppm, "-o", out, `--fuel=${bad}`),
        2,
        /^kplug run: --fuel needs a whole number from 1 to 9007199254740991/,
      );
    }
    one(kplug("run", src, "--image", ppm, "-o", out, "--fuel", "5000000000"), 0, /^$/);
    one(
      kplug("run", src, "--image", ppm, "-o", out, "--param", "zoom=2"),
      1,
      /unknown parameter 'zoom'/,
    );
    one(
      kplug("run", src, "--image", ppm, "-o", out, "--param", "scale=big"),
      1,
      /scale must be an integer/,
    );
    const text = file("not-an-image.ppm", "hello\n");
    one(kplug("run", src, "--image", text, "-o", out), 1, /^kplug run: .*not-an-image\.ppm: /);
    const broken = file(
      "broken.c",
      '#include "kplug/image.h"\nint broken_transform(const image *in, image *out, const params *p) { return nope; }\n',
    );
    one(kplug("run", broken, "--image", ppm, "-o", out), 1, /broken\.c:2:\d+: error: .*nope/);
    const noEntry = file("noentry.c", "int helper(int x) { return x; }\n");
    one(kplug("run", noEntry, "--image", ppm, "-o", out), 1, /noentry_transform/);
    const crash = file(
      "crash.c",
      '#include "kplug/image.h"\nint crash_transform(const image *in, image *out, const params *p) { uint8_t *b = (uint8_t *)0x7ffffff0; b[100] = 1; *out = *in; return 0; }\n',
    );
    one(
      kplug("run", crash, "--image", ppm, "-o", out),
      1,
      // b + 100, as the plugin computes it.
      new RegExp(
        `crash\\.c:2:105: fault: out-of-bounds write of 1 byte at 0x${(0x7ffffff0 + 100).toString(16)} in crash_transform\\(\\)$`,
        "m",
      ),
    );
    const refuse = file(
      "refuse.c",
      '#include "kplug/image.h"\nint refuse_transform(const image *in, image *out, const params *p) { return IMAGE_EPARAM; }\n',
    );
    one(kplug("run", refuse, "--image", ppm, "-o", out), 1, /^kplug run: plugin 'refuse': /);
  });
});
