#!/usr/bin/env node
// The `kplug` command. An installed package runs the build in dist/. A checkout (the TypeScript
// sources sit beside this file) runs the sources through tsx instead, so a dist/ left from an
// older build never runs in place of what was just edited; KPLUG_USE_DIST=1 makes a checkout
// run its dist/ (to measure or test the build).
//
// This file is CommonJS (bin/package.json): an ES module entry makes Node set up its ESM loader,
// ~8 ms of a ~90 ms `kplug run hello.c` (bench/cli-start.ts). The build's CLI core
// (dist/cli-bundle/core.cjs, see cli/core.ts) is compiled here with the V8 code cache the build
// made (core.cache); serve and store are ES modules, imported only when they run.
"use strict";

const { existsSync, readFileSync } = require("node:fs");
const { createRequire } = require("node:module");
const path = require("node:path");
const { pathToFileURL } = require("node:url");
const { Script } = require("node:vm");

const root = path.join(__dirname, "..");
const bundle = path.join(root, "dist", "cli-bundle");

/** Where the build writes the core's code cache, and where this file reads it. */
const CORE_CACHE = path.join(bundle, "core.cache");

/**
 * Compiles and runs core.cjs with the code cache when there is one that fits (V8 rejects a
 * cache from another Node or V8 version; the script then compiles as without one). The script
 * is wrapped like a CommonJS module, plus `__kplug_url`, which esbuild put for `import.meta.url`
 * so its paths (../include, ../kernel) resolve from dist/cli-bundle/ as in the ES modules.
 */
function loadCore() {
  const file = path.join(bundle, "core.cjs");
  let cachedData;
  try {
    cachedData = readFileSync(CORE_CACHE);
  } catch {
    // no cache: V8 compiles the functions as they run
  }
  const source = readFileSync(file, "utf8");
  const script = new Script(`(function (exports, require, module, __kplug_url) {${source}\n})`, {
    filename: file,
    cachedData,
  });
  const mod = { exports: {} };
  script.runInThisContext()(mod.exports, createRequire(file), mod, pathToFileURL(file).href);
  return { core: mod.exports, script };
}

function main() {
  const sources = path.join(root, "cli", "main.ts");
  if (existsSync(sources) && process.env.KPLUG_USE_DIST !== "1") {
    import("tsx/esm/api")
      .then(({ register }) => {
        register();
        return import(pathToFileURL(sources).href);
      })
      .catch(fail);
    return;
  }
  const { core } = loadCore();
  const importOther = (name) => import(pathToFileURL(path.join(bundle, `${name}.js`)).href);
  core.start(process.argv.slice(2), importOther).then((status) => {
    process.exitCode = status;
  }, fail);
}

/** An error no command handled: its stack and status 1, as an uncaught one would give. */
function fail(e) {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exitCode = 1;
}

if (require.main === module) main();

module.exports = { CORE_CACHE, loadCore };
