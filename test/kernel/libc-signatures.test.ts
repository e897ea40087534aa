// The libc signature table the build writes into dist/: read back when it was made from the
// current headers, ignored (the headers are parsed) when they changed or it is unreadable.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { pathToFileURL } from "node:url";
import { builtinHeaders, libcFunctions } from "../../cc/index.ts";
import { parseSignature } from "../../kernel/index.ts";
import {
  libcSignatureTable,
  loadLibcSignatures,
  parseLibcSignatures,
  sameHeaders,
} from "../../kernel/libc-signatures.ts";

const dir = mkdtempSync(join(tmpdir(), "kplug-libc-table-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The headers with one byte added to <stdio.h>. */
function edited(): Record<string, string> {
  return { ...builtinHeaders, "stdio.h": `${builtinHeaders["stdio.h"]} ` };
}

function tableFile(name: string, text: string): URL {
  const file = join(dir, name);
  writeFileSync(file, text);
  return pathToFileURL(file);
}

test("the table holds every libc function with the signature the headers declare", () => {
  const parsed = parseLibcSignatures();
  const table = libcSignatureTable();
  assert.deepEqual(table.headers, { ...builtinHeaders });
  assert.deepEqual(new Map(table.functions.map((f) => [f.name, f])), parsed);
  for (const name of libcFunctions) assert.ok(parsed.has(name), name);
  // The same as the kernel's parser makes of the declaration on its own.
  assert.deepEqual(parsed.get("strlen"), parseSignature("size_t strlen(const char *s)"));
});

test("a table made from the current headers is what the kernel reads", () => {
  const table = libcSignatureTable();
  // Marked so the test can tell the file's entries from parsed ones.
  const marked = table.functions.map((f) => ({ ...f, signature: `${f.signature} /*file*/` }));
  const url = tableFile("current.json", JSON.stringify({ ...table, functions: marked }));
  const loaded = loadLibcSignatures(url);
  assert.equal(loaded.size, table.functions.length);
  assert.equal(loaded.get("printf")?.signature.endsWith("/*file*/"), true);
});

test("a stale, missing or broken table falls back to parsing the headers", () => {
  const parsed = parseLibcSignatures();
  const table = libcSignatureTable();
  const wrong = table.functions.map((f) => ({ ...f, params: [] }));
  const stale = tableFile(
    "stale.json",
    JSON.stringify({ ...table, functions: wrong, headers: edited() }),
  );
  assert.deepEqual(loadLibcSignatures(stale), parsed);
  assert.deepEqual(loadLibcSignatures(tableFile("broken.json", "{")), parsed);
  assert.deepEqual(loadLibcSignatures(pathToFileURL(join(dir, "absent.json"))), parsed);
});

test("headers are the same only with the same names and text", () => {
  assert.equal(sameHeaders({ ...builtinHeaders }, builtinHeaders), true);
  assert.equal(sameHeaders(edited(), builtinHeaders), false);
  const { "stdio.h": text, ...rest } = builtinHeaders;
  assert.equal(sameHeaders({ ...rest, "stdio2.h": text! }, builtinHeaders), false);
  assert.equal(sameHeaders(rest, builtinHeaders), false);
});
