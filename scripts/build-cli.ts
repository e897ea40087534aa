// The CLI part of `npm run build` (scripts/build.ts): dist/cli-bundle/.
//
// - main.js and its chunks (ESM, a chunk per command): one module to read and compile instead
//   of ~60 cut `kplug run hello.c` by ~15% (bench/cli-start.ts). The bundle sits one level
//   below dist/ like the tsc output, so its relative paths (../include) still hold; the server
//   stays unbundled (serve imports dist/httpd/index.js), as its paths are relative to httpd/.
// - core.cjs: the commands that need no server (cli/core.ts) as one CommonJS script, which
//   main.js's run, compile and headers load through cli/cached-core.ts with V8's code cache.
// - core.cache: that code cache, made here by running the core once on a program and a plugin,
//   so a user's first start is as fast as the next (Node 20 caches no ES module code).

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  minify: true,
  legalComments: "none",
  logLevel: "warning",
} as const;

/** The commands main.js takes from core.cjs rather than from its own chunks. */
const CORE_COMMANDS = ["run", "compile", "headers"];

export async function buildCli(root: string, dist: string): Promise<void> {
  const out = join(dist, "cli-bundle");
  await build({
    ...common,
    entryPoints: [join(root, "cli", "main.ts"), join(root, "cli", "cached-core.ts")],
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
      {
        name: "core-commands-from-core-cjs",
        setup(b) {
          const filter = new RegExp(`^\\./(${CORE_COMMANDS.join("|")})\\.ts$`);
          b.onResolve({ filter }, (args) =>
            args.importer === join(root, "cli", "main.ts")
              ? { path: args.path.slice(2, -3), namespace: "core-command" }
              : undefined,
          );
          b.onLoad({ filter: /.*/, namespace: "core-command" }, (args) => ({
            contents:
              'import { loadCore } from "./cached-core.ts";\n' +
              `export const { main, usage } = loadCore().commands[${JSON.stringify(args.path)}];\n`,
            resolveDir: join(root, "cli"),
            loader: "js",
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
    // The loader passes the script's URL as `__kplug_url` (cli/cached-core.ts).
    define: { "import.meta.url": "__kplug_url" },
  });
  writeCodeCache(root, out);
}

/** Runs the core on hello world and on a plugin in a fresh node, then saves its code cache. */
function writeCodeCache(root: string, out: string): void {
  const work = mkdtempSync(join(tmpdir(), "kplug-cache-"));
  try {
    const hello = join(work, "hello.c");
    writeFileSync(hello, '#include <stdio.h>\nint main(void) { printf("hi\\n"); return 0; }\n');
    const loader = pathToFileURL(join(out, "cached-core.js")).href;
    const script = `
      import { writeFileSync } from "node:fs";
      const { CORE_CACHE_URL, loadCore } = await import(${JSON.stringify(loader)});
      const { commands, script } = loadCore();
      const run = await commands.run.main([${JSON.stringify(hello)}]);
      const compile = await commands.compile.main([
        ${JSON.stringify(join(root, "plugins", "grayscale.c"))}, "-o", ${JSON.stringify(join(work, "g.wasm"))},
      ]);
      if (run !== 0 || compile !== 0) throw new Error("the core failed: " + run + " " + compile);
      writeFileSync(CORE_CACHE_URL, script.createCachedData());
    `;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      stdio: ["ignore", "ignore", "inherit"],
    });
    if (r.status !== 0) throw new Error(`code cache: node exited ${r.status}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
