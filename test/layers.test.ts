// The layer rule: wasm <- cc <- kernel <- store <- httpd <- cli. A layer imports only layers below it,
// and only through their index.ts. Read from the import statements of the source tree, so a
// wrong arrow fails CI.

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { test } from "node:test";

const ROOT = resolve(import.meta.dirname, "..");
const LAYERS = ["wasm", "cc", "kernel", "store", "httpd", "cli"] as const;
type Layer = (typeof LAYERS)[number];

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    // The playground's browser code is bundled separately and imports no layer.
    if (e.isDirectory()) out.push(...sources(p));
    else if (e.name.endsWith(".ts")) out.push(p);
  }
  return out;
}

/** Every `from "..."` and `import("...")` target of a file, resolved to a path from ROOT. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specs = [...text.matchAll(/(?:from|import)\s*\(?\s*"(\.[^"]+)"/g)].map((m) => m[1]!);
  return specs.map((s) => relative(ROOT, resolve(file, "..", s)));
}

export function layerViolations(): string[] {
  const bad: string[] = [];
  for (const layer of LAYERS) {
    for (const file of sources(join(ROOT, layer))) {
      const from = relative(ROOT, file);
      for (const target of importsOf(file)) {
        const to = target.split("/")[0] as Layer;
        if (to === layer) continue;
        const rank = LAYERS.indexOf(to);
        if (rank < 0) bad.push(`${from} -> ${target}: outside the layers`);
        else if (rank > LAYERS.indexOf(layer)) bad.push(`${from} -> ${target}: upward`);
        else if (target !== `${to}/index.ts`) bad.push(`${from} -> ${target}: not through index`);
      }
    }
  }
  return bad;
}

test("every cross-layer import goes down the stack, through the layer's index.ts", () => {
  assert.deepEqual(layerViolations(), []);
});

test("the checker sees a violation when there is one", () => {
  // The import regex and resolution must find real imports, or the test above proves nothing.
  const kernelImports = importsOf(join(ROOT, "kernel/signature.ts"));
  assert.ok(kernelImports.includes("cc/index.ts"), kernelImports.join(", "));
  const runtime = importsOf(join(ROOT, "kernel/runtime.ts"));
  assert.ok(runtime.length > 3);
});
