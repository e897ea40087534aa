// Loads the built CLI's core (dist/cli-bundle/core.cjs: compiler, kernel and the run, compile
// and headers commands, bundled by scripts/build.ts) with the V8 code cache the build made by
// running it once (core.cache). Node 20 has no code cache for ES modules, and compiling the
// core's functions was the largest part of a cold start: with the cache `kplug run hello.c`
// took 87 ms instead of 104 ms, against 65 ms for `node -e 0` (bench/cli-start.ts). A cache
// from another Node or V8 version is rejected by V8 and the script compiles as without one.
// Only the built CLI uses this file; a checkout runs cli/core.ts's modules through tsx.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { Script } from "node:vm";
import type * as Core from "./core.ts";

/** What core.cjs exports: the modules of cli/core.ts. */
export type CoreCommands = typeof Core;

/** The core script and its code cache, beside the bundle this file is part of. */
export const CORE_URL: URL = new URL("./core.cjs", import.meta.url);
export const CORE_CACHE_URL: URL = new URL("./core.cache", import.meta.url);

export interface LoadedCore {
  commands: CoreCommands;
  /** The compiled script, for the build to make the cache from (`createCachedData`). */
  script: Script;
}

let loaded: LoadedCore | undefined;

/**
 * core.cjs compiled with the code cache when there is one that fits, and run once. It is a
 * CommonJS bundle whose `import.meta.url` is the wrapper's `__kplug_url` parameter (esbuild's
 * `define`), so its paths (../include, ../kernel) resolve from dist/cli-bundle/ as in ESM.
 */
export function loadCore(): LoadedCore {
  if (loaded) return loaded;
  const file = fileURLToPath(CORE_URL);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(CORE_CACHE_URL);
  } catch {
    // no cache: V8 compiles the functions as they run
  }
  const source = readFileSync(file, "utf8");
  const script = new Script(`(function (exports, require, module, __kplug_url) {${source}\n})`, {
    filename: file,
    cachedData,
  });
  const module = { exports: {} as CoreCommands };
  script.runInThisContext()(module.exports, createRequire(file), module, CORE_URL.href);
  loaded = { commands: module.exports, script };
  return loaded;
}
