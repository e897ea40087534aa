import assert from "node:assert/strict";
import { test } from "node:test";
import { parseNumber } from "../../cc/numbers.ts";
import { typeToString } from "../../cc/types.ts";

function typed(text: string): string {
  const n = parseNumber(text);
  if (n.kind === "error") return `error: ${n.message}`;
  return `${n.value} ${typeToString(n.type)}`;
}

test("integer constants take the first C99 type that holds them (ILP32)", () => {
  assert.equal(typed("42"), "42 int");
  assert.equal(typed("2147483647"), "2147483647 int");
  assert.equal(typed("2147483648"), "2147483648 long long");
  assert.equal(typed("0x80000000"), "2147483648 unsigned int");
  assert.equal(typed("0xFFFFFFFFFF"), "1099511627775 long long");
  assert.equal(typed("0xFFFFFFFFFFFFFFFF"), "18446744073709551615 unsigned long long");
  assert.equal(typed("4294967295u"), "4294967295 unsigned int");
  assert.equal(typed("4294967296U"), "4294967296 unsigned long long");
  assert.equal(typed("7L"), "7 long");
  assert.equal(typed("0xffffffffl"), "4294967295 unsigned long");
  assert.equal(typed("1ull"), "1 unsigned long long");
  assert.equal(typed("5LLU"), "5 unsigned long long");
  assert.equal(typed("017"), "15 int");
  assert.equal(typed("0b101"), "5 int");
  assert.equal(typed("0"), "0 int");
});

test("floating constants, hex floats and suffixes", () => {
  assert.equal(typed("1.5"), "1.5 double");
  assert.equal(typed("1e3"), "1000 double");
  assert.equal(typed(".25f"), "0.25 float");
  assert.equal(typed("0.1f"), `${Math.fround(0.1)} float`);
  assert.equal(typed("2.5L"), "2.5 double");
  assert.equal(typed("0x1.8p3"), "12 double");
  assert.equal(typed("0x10p-4f"), "1 float");
  assert.equal(typed("1e400"), "Infinity double");
});

test("malformed numbers are errors", () => {
  assert.equal(typed("12abc"), "error: invalid suffix 'abc' on integer constant");
  assert.equal(typed("09"), "error: invalid digit '9' in octal constant");
  assert.equal(typed("1lL"), "error: invalid suffix 'lL' on integer constant");
  assert.equal(typed("1e+"), "error: exponent has no digits");
  assert.equal(typed("1.0q"), "error: invalid suffix 'q' on floating constant");
  assert.equal(typed("0x1.8"), "error: hexadecimal floating constant requires an exponent");
  assert.equal(typed("0x"), "error: invalid hex constant '0x'");
  assert.equal(typed("99999999999999999999"), "error: integer constant is too large for its type");
});
