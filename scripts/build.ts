// `npm run build` (and `prepack`): the package's dist/. tsc compiles the sources to JavaScript
// and .d.ts (tsconfig.build.json); then the files the code reads at run time are copied beside
// it at the same relative places (dist/include, dist/plugins, dist/httpd/...), so dist/ works
// on its own, and the playground script is bundled once here instead of at server start.

import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { bundlePlayground } from "../httpd/assets.ts";
import { LIBC_TABLE_URL, libcSignatureTable } from "../kernel/libc-signatures.ts";
import { buildCli } from "./build-cli.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");

function step(what: string): void {
  process.stderr.write(`build: ${what}\n`);
}

rmSync(dist, { recursive: true, force: true });

step("tsc -p tsconfig.build.json");
const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
const compiled = spawnSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], {
  stdio: "inherit",
});
if (compiled.status !== 0) process.exit(compiled.status ?? 1);

step("headers, plugin library and server files");
cpSync(join(root, "include"), join(dist, "include"), { recursive: true });
mkdirSync(join(dist, "plugins"), { recursive: true });
for (const f of readdirSync(join(root, "plugins"))) {
  if (f.endsWith(".c")) cpSync(join(root, "plugins", f), join(dist, "plugins", f));
}
cpSync(join(root, "httpd", "transcoder-helper.c"), join(dist, "httpd", "transcoder-helper.c"));
mkdirSync(join(dist, "httpd", "public"), { recursive: true });
for (const f of ["index.html", "playground.css", "workbench.css"]) {
  cpSync(join(root, "httpd", "public", f), join(dist, "httpd", "public", f));
}

// The kernel's libc signatures, parsed from the headers once here rather than at every start
// (kernel/libc-signatures.ts reads the file back; its URL there is relative to kernel/).
step("libc signature table");
const table = join(dist, "kernel", basename(fileURLToPath(LIBC_TABLE_URL)));
writeFileSync(table, `${JSON.stringify(libcSignatureTable())}\n`);

step("playground bundle (esbuild)");
writeFileSync(join(dist, "httpd", "public", "playground.js"), await bundlePlayground());

step("CLI bundle and its code cache (esbuild)");
await buildCli(root, dist);
step("done");
