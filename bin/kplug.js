#!/usr/bin/env node
// The `kplug` command. An installed package runs the built JavaScript in dist/. A checkout (the
// TypeScript sources sit beside this file) runs the sources through tsx instead, so a dist/
// left from an older build never runs in place of what was just edited; KPLUG_USE_DIST=1
// makes a checkout run its dist/ (to measure or test the build).
import { existsSync } from "node:fs";

const sources = new URL("../cli/main.ts", import.meta.url);
if (existsSync(sources) && process.env.KPLUG_USE_DIST !== "1") {
  const { register } = await import("tsx/esm/api");
  register();
  await import(sources.href);
} else {
  await import("../dist/cli-bundle/main.js");
}
