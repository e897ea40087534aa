import assert from "node:assert/strict";
import { test } from "node:test";
import { compile } from "../../cc/index.ts";

test("incompatible pointer types warn (gcc 12); warningsAsErrors makes them errors", () => {
  const src = "int main(void) { int x = 1; float *p = &x; return p != 0; }\n";
  const ok = compile(src);
  assert.equal(ok.ok, true);
  assert.deepEqual(
    ok.diagnostics.map((d) => `${d.severity}: ${d.message}`),
    ["warning: incompatible pointer types initializing 'float *' from 'int *'"],
  );
  const strict = compile(src, { warningsAsErrors: true });
  assert.equal(strict.ok, false);
  assert.deepEqual(
    strict.diagnostics.map((d) => d.severity),
    ["error"],
  );
});

test("a libc function redeclared without its header links under the library's signature", () => {
  const r = compile(
    'int strlen(const char *s);\nvoid *malloc();\nint main(void) { return strlen("ab") + (malloc(4) != 0); }\n',
  );
  assert.equal(r.ok, true);
  assert.deepEqual(
    r.diagnostics.map((d) => `${d.line}: ${d.severity}: ${d.message}`),
    [
      "1: warning: conflicting types for built-in function 'strlen'; expected 'unsigned long (char *)'",
    ],
  );
  if (!r.ok) return;
  const strlen = r.module.imports.find((f) => f.name === "strlen");
  assert.equal(strlen?.signature, "unsigned long (char *)");
  const bad = compile("double strlen(const char *s);\nint main(void) { return 0; }\n");
  assert.equal(bad.ok, false);
});
