// The CLI part of `npm run build` (scripts/build.ts): dist/cli-bundle/, which bin/kplug.js runs.
//
// - core.cjs: cli/core.ts as one CommonJS script (dispatcher, compiler, kernel and the run,
//   compile and headers commands); bin/kplug.js compiles it with V8's code cache.
// - core.cache: that code cache, made here by running the core on a program and a plugin, so a
//   user's first start is as fast as the next (Node 20 caches no ES module code).
// - serve.js, store.js and run-image.js (ES modules, shared code in chunks): the commands that need the
//   server or a database. The server stays unbundled (serve imports dist/httpd/index.js), as its
//   paths are relative to httpd/; the bundle sits one level below dist/ like the tsc output, so
//   relative paths (../include) hold in both.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";

const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  minify: true,
  legalComments: "none",
  logLevel: "warning",
} as const;

export async function buildCli(root: string, dist: string): Promise<void> {
  const out = join(dist, "cli-bundle");
  await build({
    ...common,
    entryPoints: {
      serve: join(root, "cli", "serve.ts"),
      store: join(root, "cli", "store.ts"),
      "run-image": join(root, "cli", "run-image.ts"),
    },
    splitting: true,
    format: "esm",
    outdir: out,
    // pg is an optional peer (kplug store with a postgres:// URL): loaded from node_modules
    // when used, like the server loads it, never a second copy inside the bundle.
    external: ["pg"],
    plugins: [
      {
        name: "server-stays-unbundled",
        setup(b) {
          b.onResolve({ filter: /\/httpd\/index\.ts$/ }, () => ({
            path: "../httpd/index.js",
            external: true,
          }));
        },
      },
    ],
  });
  await build({
    ...common,
    entryPoints: [join(root, "cli", "core.ts")],
    format: "cjs",
    outfile: join(out, "core.cjs"),
    // bin/kplug.js passes the script's URL as `__kplug_url`.
    define: { "import.meta.url": "__kplug_url" },
  });
  writeCodeCache(root);
}

/** Runs the core on hello world and on a plugin in a fresh node, then saves its code cache. */
function writeCodeCache(root: string): void {
  const work = mkdtempSync(join(tmpdir(), "kplug-cache-"));
  try {
    const hello = join(work, "hello.c");
    writeFileSync(hello, '#include <stdio.h>\nint main(void) { printf("hi\\n"); return 0; }\n');
    const plugin = join(root, "plugins", "grayscale.c");
    const script = `
      const { writeFileSync } = require("node:fs");
      const { CORE_CACHE, loadCore } = require(${JSON.stringify(join(root, "bin", "kplug.js"))});
      const { core, script } = loadCore();
      (async () => {
        const run = await core.run.main([${JSON.stringify(hello)}]);
        const out = ${JSON.stringify(join(work, "g.wasm"))};
        const compile = await core.compile.main([${JSON.stringify(plugin)}, "-o", out]);
        if (run !== 0 || compile !== 0) throw new Error("the core failed: " + run + " " + compile);
        writeFileSync(CORE_CACHE, script.createCachedData());
      })().catch((e) => { console.error(e); process.exitCode = 1; });
    `;
    const r = spawnSync(process.execPath, ["-e", script], {
      stdio: ["ignore", "ignore", "inherit"],
    });
    if (r.status !== 0) throw new Error(`code cache: node exited ${r.status}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
