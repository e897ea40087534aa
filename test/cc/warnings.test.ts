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

test("a constant that does not fit a bit-field warns with the field's type where gcc 12 does", () => {
  const src = [
    "struct S { unsigned u3 : 3; int f3 : 3; unsigned short w : 12; long long s40 : 40; } s;",
    "int main(void) { s.u3 = 13; s.f3 = 5; s.f3 = -4; s.w = 65535; s.s40 = 1LL << 40; return 0; }",
    "",
  ].join("\n");
  const r = compile(src);
  assert.equal(r.ok, true);
  // 5 and -4 fit the signed or the unsigned 3-bit range: no warning (gcc's rule).
  assert.deepEqual(
    r.diagnostics.map((d) => d.message),
    [
      "unsigned conversion from 'int' to 'unsigned char:3' changes value from 13 to 5",
      "unsigned conversion from 'int' to 'unsigned short:12' changes value from 65535 to 4095",
      "overflow in conversion from 'long long' to 'long long:40' changes value from 1099511627776 to 0",
    ],
  );
});
