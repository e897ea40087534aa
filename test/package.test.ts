// The package as a user gets it: `npm pack` (prepack builds dist/), the tarball installed into
// a fresh project without dev dependencies (plus sharp, the server's optional peer), and used
// from there: the root API from an .mjs file and from type-checked TypeScript, the `kplug` CLI
// through npx on an image plugin, and kplug/server embedded in a plain node:http server.
// Needs the npm registry (for sharp); takes about a minute.

import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { jsBlocks } from "./embedding.test.ts";

const root = join(import.meta.dirname, "..");
const work = mkdtempSync(join(tmpdir(), "kplug-package-"));
const project = join(work, "app");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
let packedFiles: string[] = [];

after(() => rmSync(work, { recursive: true, force: true }));

function run(cmd: string, args: string[], cwd = project) {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", timeout: 240_000 });
  return { status: r.status, stdout: r.stdout, stderr: `${r.stderr}${r.error ?? ""}` };
}

function node(file: string) {
  return run(process.execPath, [file]);
}

before(() => {
  const packed = execFileSync(npm, ["pack", "--json", "--pack-destination", work], {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 240_000,
  });
  const [info] = JSON.parse(packed.slice(packed.indexOf("[")));
  packedFiles = info.files.map((f: { path: string }) => f.path);
  mkdirSync(project);
  writeFileSync(join(project, "package.json"), '{ "name": "app", "private": true }\n');
  const sharp = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).peerDependencies
    .sharp as string;
  const args = ["install", "--omit=dev", "--no-audit", "--no-fund", join(work, info.filename)];
  const install = run(npm, [...args, `sharp@${sharp}`]);
  assert.equal(install.status, 0, install.stderr);
});

test("the tarball holds what users run: no tests, benchmarks, fixtures or sources", () => {
  for (const f of [
    "bin/kplug.js",
    "bin/package.json",
    "dist/index.js",
    "dist/index.d.ts",
    "dist/httpd/index.js",
  ]) {
    assert.ok(packedFiles.includes(f), `${f} missing from the tarball`);
  }
  // The built-in headers, and what the CLI starts from: the libc signature table and the
  // CLI core with its code cache (scripts/build-cli.ts).
  for (const f of [
    "dist/include/stdio.h",
    "dist/include/kplug/image.h",
    "dist/kernel/libc-signatures.json",
    "dist/cli-bundle/core.cjs",
    "dist/cli-bundle/core.cache",
  ]) {
    assert.ok(packedFiles.includes(f), `${f} missing from the tarball`);
  }
  assert.ok(packedFiles.includes("dist/httpd/public/playground.js"), "no prebuilt playground");
  const stray = packedFiles.filter(
    (f) =>
      /^(test|bench|scripts)\//.test(f) ||
      /fixture|\.test\.|(^|\/)test\//.test(f) ||
      (f.endsWith(".ts") && !f.endsWith(".d.ts")),
  );
  assert.deepEqual(stray, []);
  // Dev tools stay out of a production install.
  for (const dev of ["tsx", "esbuild", "codemirror", "typescript"]) {
    assert.equal(run("node", ["-e", `import("${dev}").then(()=>process.exit(3))`]).status, 1);
  }
});

test("import kplug from an .mjs file: the embedding guide's example runs", () => {
  const [example] = jsBlocks(readFileSync(join(root, "docs", "embedding.md"), "utf8"));
  writeFileSync(join(project, "example.mjs"), example!);
  const r = node(join(project, "example.mjs"));
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split("\n"), [
    "42",
    "1 0",
    "fuel-exhausted scale spin",
    "43 [ 14 ]",
  ]);
  // compile() alone, and kplug/image.h found with no includes given.
  writeFileSync(
    join(project, "compile.mjs"),
    `import { compile } from "kplug";
const r = compile('#include "kplug/image.h"\\nint f(int v) { return clamp255(v); }');
console.log(r.ok, r.ok && r.module.exports.map((e) => e.name).join(","));`,
  );
  const c = node(join(project, "compile.mjs"));
  assert.equal(c.status, 0, c.stderr);
  assert.equal(c.stdout.trim(), "true f");
});

test("the installed types check: a .ts file using the API passes tsc --noEmit", () => {
  writeFileSync(
    join(project, "check.ts"),
    `import { type CompileResult, compile, Kernel, PluginFault, type RuntimeOptions } from "kplug";
import { ImageServer, type ServerOptions } from "kplug/server";
const options: RuntimeOptions = { memory: 1 << 20, fuel: 1000, allow: ["libc"] };
const rt = new Kernel().createRuntime("t", options);
const result: CompileResult = compile("int f(void) { return 1; }");
if (result.ok) rt.add("f", result.module);
const n: unknown = rt.call("f");
const fault: PluginFault | undefined = undefined;
const serverOptions: ServerOptions = { imagesDir: "." };
export const create: (o: ServerOptions) => Promise<ImageServer> = ImageServer.create;
console.log(n, fault, serverOptions);
// @ts-expect-error: fuel is a number
const wrong: RuntimeOptions = { fuel: "lots" };
console.log(wrong);
`,
  );
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  const r = run(process.execPath, [
    tsc,
    "--noEmit",
    "--strict",
    "--target",
    "es2022",
    "--module",
    "nodenext",
    "--moduleResolution",
    "nodenext",
    "--typeRoots",
    join(root, "node_modules", "@types"),
    "--types",
    "node",
    "check.ts",
  ]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test("npx kplug run and compile an image plugin with no flags", () => {
  writeFileSync(
    join(project, "luma.c"),
    `#include <stdio.h>
#include "kplug/image.h"
int main(void) {
  uint8_t px[3] = {200, 100, 50};
  image img = {1, 1, 3, 3, px};
  printf("%d %d\\n", luma(img.pixels[0], img.pixels[1], img.pixels[2]), clamp255(300));
  return 0;
}
`,
  );
  const r = run("npx", ["--no-install", "kplug", "run", "luma.c"]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, `${(77 * 200 + 150 * 100 + 29 * 50 + 128) >> 8} 255\n`);
  const gray = join(root, "plugins", "grayscale_image.c");
  const out = join(project, "gray.wasm");
  const c = run("npx", ["--no-install", "kplug", "compile", gray, "-o", out]);
  assert.equal(c.status, 0, c.stderr);
  assert.deepEqual([...readFileSync(out).subarray(0, 4)], [0, 0x61, 0x73, 0x6d]);
  // An image plugin on an image, as the server would run it (run --image loads the server's
  // code from the package, the library included when a plugin calls into it).
  writeFileSync(
    join(project, "in.ppm"),
    Buffer.concat([Buffer.from("P6\n2 1\n255\n"), Buffer.from([200, 100, 50, 0, 0, 0])]),
  );
  const img = run("npx", [
    "--no-install",
    "kplug",
    "run",
    gray,
    "--image",
    "in.ppm",
    "-o",
    "out.pgm",
  ]);
  assert.equal(img.status, 0, img.stderr);
  const pgm = readFileSync(join(project, "out.pgm"));
  assert.deepEqual(
    [...pgm.subarray(pgm.length - 2)],
    [(77 * 200 + 150 * 100 + 29 * 50 + 128) >> 8, 0],
  );
  // The code cache made at build time fits this Node: V8 takes it instead of compiling.
  const bin = join(project, "node_modules", "kplug", "bin", "kplug.js");
  const cache = run(process.execPath, [
    "-e",
    `console.log(require(${JSON.stringify(bin)}).loadCore().script.cachedDataRejected)`,
  ]);
  assert.equal(cache.stdout.trim(), "false", cache.stderr);
  const v = run("npx", ["--no-install", "kplug", "--version"]);
  assert.equal(
    v.stdout.trim(),
    `kplug ${JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version}`,
  );
});

test("kplug/server embedded in a plain node:http server transcodes an image", () => {
  writeFileSync(
    join(project, "server.mjs"),
    `import { createServer } from "node:http";
import sharp from "sharp";
import { ensureSamples, ImageServer } from "kplug/server";
const imagesDir = await ensureSamples(${JSON.stringify(join(work, "data"))});
const images = await ImageServer.create({ imagesDir, helper: false });
const server = createServer((req, res) => {
  if (req.url === "/") return res.end("host app");
  images.handler(req, res);
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const base = "http://127.0.0.1:" + server.address().port;
const own = await (await fetch(base + "/")).text();
const res = await fetch(base + "/images/valley.png?plugin=grayscale&format=png");
const body = Buffer.from(await res.arrayBuffer());
const original = await sharp(imagesDir + "/valley.png").metadata();
const { data, info } = await sharp(body).raw().toBuffer({ resolveWithObject: true });
let gray = true;
for (let i = 0; i < data.length; i += info.channels) {
  if (info.channels >= 3 && (data[i] !== data[i + 1] || data[i] !== data[i + 2])) gray = false;
}
console.log(JSON.stringify({ own, status: res.status, type: res.headers.get("content-type"),
  size: [info.width, info.height], original: [original.width, original.height], gray }));
server.close();
await images.close();
`,
  );
  const r = node(join(project, "server.mjs"));
  assert.equal(r.status, 0, r.stderr);
  const got = JSON.parse(r.stdout.trim().split("\n").pop()!);
  assert.equal(got.own, "host app");
  assert.equal(got.status, 200);
  assert.equal(got.type, "image/png");
  assert.deepEqual(got.size, got.original);
  assert.equal(got.gray, true);
});
