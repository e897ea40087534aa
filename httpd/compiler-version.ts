// The version a stored compiled module is tagged with (store/ CompiledPlugin.compilerVersion):
// the package version and a hash of the compiler's own files (cc/) and the plugin headers
// (include/), so a changed compiler or ABI never reuses an old module, even within one release.
// Hashing them takes a few milliseconds, once per process.

import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
let cached: string | undefined;

function hashTree(hash: ReturnType<typeof createHash>, dir: string): void {
  let entries: import("node:fs").Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return; // not shipped in this install: the package version alone decides
  }
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, e.name);
    if (e.isDirectory()) hashTree(hash, path);
    else if (e.isFile()) hash.update(e.name).update(readFileSync(path));
  }
}

/** The package's version: package.json next to the sources, or one up from dist/. */
function packageVersion(): string {
  for (const dir of [ROOT, join(ROOT, "..")]) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      if (pkg.name === "kplug" && typeof pkg.version === "string") return pkg.version;
    } catch {
      // not here
    }
  }
  return "unknown";
}

export function compilerVersion(): string {
  if (cached) return cached;
  const hash = createHash("sha256");
  hashTree(hash, join(ROOT, "cc"));
  hashTree(hash, join(ROOT, "include"));
  cached = `${packageVersion()}+${hash.digest("hex").slice(0, 12)}`;
  return cached;
}
