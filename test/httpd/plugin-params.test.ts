// `@param` declarations: the library's own, and what the parser accepts and refuses.

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { parseParams, serverDefault } from "../../httpd/plugin-params.ts";

const PLUGINS = join(import.meta.dirname, "..", "..", "plugins");

test("every library plugin that reads p-> declares exactly the fields it reads", () => {
  for (const file of readdirSync(PLUGINS).filter((f) => f.endsWith(".c"))) {
    const source = readFileSync(join(PLUGINS, file), "utf8");
    const { params, problems } = parseParams(source);
    assert.deepEqual(problems, [], file);
    const read = new Set([...source.matchAll(/\bp->(\w+)/g)].map((m) => m[1]));
    read.delete("arg");
    assert.deepEqual(params.map((p) => p.name).sort(), [...read].sort(), file);
  }
});

test("a declaration: name, range, default, description, line", () => {
  const src = `/* x
 * @param threshold: int 0..256 = 128 — luma cut */
// @param a2: int -5..5 - free argument
// @param turns: int
int f(void);
`;
  const { params, problems } = parseParams(src);
  assert.deepEqual(problems, []);
  assert.deepEqual(params, [
    {
      name: "threshold",
      type: "int",
      min: 0,
      max: 256,
      default: 128,
      description: "luma cut",
      line: 2,
    },
    { name: "a2", type: "int", min: -5, max: 5, default: 0, description: "free argument", line: 3 },
    {
      name: "turns",
      type: "int",
      min: undefined,
      max: undefined,
      default: 1,
      description: "",
      line: 4,
    },
  ]);
});

test("unknown names, other types, duplicates, empty ranges and bad defaults are problems", () => {
  const src = `// @param k: int 0..1
// @param scale: float
// @param scale: int 1..64 = 2
// @param scale: int 1..64 = 2
// @param radius: int 9..1
// @param levels: int 2..8 = 99
// @param nonsense
`;
  const { params, problems } = parseParams(src);
  assert.deepEqual(
    params.map((p) => p.name),
    ["scale", "levels"],
  );
  assert.deepEqual(
    problems.map((p) => p.line),
    [1, 2, 4, 5, 6, 7],
  );
  assert.match(problems[0].message, /'k' is not a parameter/);
  assert.match(problems[2].message, /declared twice/);
  assert.match(problems[4].message, /outside 2..8/);
});

test("server defaults: struct fields, a0..a7, nothing else", () => {
  assert.equal(serverDefault("threshold"), 128);
  assert.equal(serverDefault("a7"), 0);
  assert.equal(serverDefault("a8"), undefined);
  assert.equal(serverDefault("constructor"), undefined);
});

test("@param outside comments is not a declaration", () => {
  assert.deepEqual(parseParams(`const char *s = "@param scale: int";`).params, []);
});
