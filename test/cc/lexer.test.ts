import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { DiagnosticSink } from "../../cc/diagnostics.ts";
import { tokenize } from "../../cc/lexer.ts";
import { type CompileLimits, defaultLimits } from "../../cc/limits.ts";
import type { Token } from "../../cc/token.ts";

function lexAll(text: string, limits: Partial<CompileLimits> = {}) {
  const diags = new DiagnosticSink(100);
  const tokens = tokenize(text, "t.c", diags, { ...defaultLimits, ...limits });
  return { tokens, diags: diags.list };
}

function texts(tokens: Token[]): string[] {
  return tokens.filter((t) => t.kind !== "eof").map((t) => t.text);
}

function only(text: string): Token {
  const { tokens, diags } = lexAll(text);
  assert.equal(tokens.length, 2, `one token expected in ${text}`);
  assert.deepEqual(diags, []);
  return tokens[0];
}

describe("lexer: tokens", () => {
  test("kinds, spellings and a final eof", () => {
    const { tokens, diags } = lexAll("int main(void) { return x1_$ + 0x1F; }");
    assert.deepEqual(diags, []);
    assert.deepEqual(
      tokens.map((t) => [t.kind, t.text]),
      [
        ["ident", "int"],
        ["ident", "main"],
        ["punct", "("],
        ["ident", "void"],
        ["punct", ")"],
        ["punct", "{"],
        ["ident", "return"],
        ["ident", "x1_$"],
        ["punct", "+"],
        ["num", "0x1F"],
        ["punct", ";"],
        ["punct", "}"],
        ["eof", ""],
      ],
    );
  });

  test("punctuators take the longest match", () => {
    const src = "... <<= >>= -> ++ -- << >> <= >= == != && || *= /= %= += -= &= ^= |= ## # .";
    assert.deepEqual(texts(lexAll(src).tokens), src.split(" "));
    assert.deepEqual(texts(lexAll("a+++++b").tokens), ["a", "++", "++", "+", "b"]);
    assert.deepEqual(texts(lexAll("x<<=y>>z..w").tokens), [
      "x",
      "<<=",
      "y",
      ">>",
      "z",
      ".",
      ".",
      "w",
    ]);
    assert.deepEqual(texts(lexAll("p->q-->r").tokens), ["p", "->", "q", "--", ">", "r"]);
  });

  test("pp-numbers keep their raw spelling, exponent signs included", () => {
    const nums = [
      "0x1F",
      "077",
      "10u",
      "10UL",
      "1.5f",
      "1e3",
      ".5",
      "0x1p3",
      "1e+5",
      "2.5E-3",
      "0x1P-2",
      "1.2.3",
    ];
    for (const n of nums) {
      const t = only(n);
      assert.equal(t.kind, "num");
      assert.equal(t.text, n);
    }
    // A sign only belongs to a number right after e/E/p/P.
    assert.deepEqual(texts(lexAll("1+2 0x1e+1 a-1").tokens), [
      "1",
      "+",
      "2",
      "0x1e+1",
      "a",
      "-",
      "1",
    ]);
  });

  test("lines, 1-based columns, tabs as one column", () => {
    const { tokens } = lexAll("int x;\n\tfoo = 42;\n  /* c */ bar");
    const pos = tokens.map((t) => `${t.text}@${t.loc.line}:${t.loc.col}`);
    assert.deepEqual(pos, [
      "int@1:1",
      "x@1:5",
      ";@1:6",
      "foo@2:2",
      "=@2:6",
      "42@2:8",
      ";@2:10",
      "bar@3:11",
      "@3:14",
    ]);
    assert.equal(tokens[0].loc.file, "t.c");
  });

  test("atLineStart and hasSpace", () => {
    const { tokens } = lexAll("a b\n  c/**/d(e)");
    const flags = tokens.map(
      (t) => `${t.text}:${t.atLineStart ? "L" : ""}${t.hasSpace ? "S" : ""}`,
    );
    assert.deepEqual(flags, ["a:L", "b:S", "c:LS", "d:S", "(:", "e:", "):", ":L"]);
  });

  test("comments vanish, a multi-line comment keeps line numbers right", () => {
    const { tokens } = lexAll("a // x */ y\n/* one\ntwo\n*/ b /* */ c");
    assert.deepEqual(texts(tokens), ["a", "b", "c"]);
    assert.equal(tokens[1].loc.line, 4);
    assert.equal(tokens[1].loc.col, 4);
    assert.equal(tokens[2].loc.col, 12);
  });

  test("line splices join lines and later lines keep their numbers", () => {
    const { tokens } = lexAll("#define X 1 + \\\n  2\nin\\\nt y;\nz");
    assert.deepEqual(texts(tokens), ["#", "define", "X", "1", "+", "2", "int", "y", ";", "z"]);
    const z = tokens[9];
    assert.equal(z.loc.line, 5);
    assert.equal(tokens[6].loc.line, 3);
  });

  test("CRLF line endings", () => {
    const { tokens } = lexAll("a\r\nb \\\r\nc\r\n");
    assert.deepEqual(texts(tokens), ["a", "b", "c"]);
    assert.equal(tokens[1].loc.line, 2);
    assert.equal(tokens[1].atLineStart, true);
  });

  test("surrogate pairs in comments and strings count as one column", () => {
    const { tokens } = lexAll('/* 😀 */ a "😀" b');
    assert.equal(tokens[0].loc.col, 9);
    assert.equal(tokens[2].loc.col, 15);
    assert.deepEqual([...tokens[1].bytes!], [0xf0, 0x9f, 0x98, 0x80]);
  });
});

describe("lexer: character constants", () => {
  const cases: [string, number][] = [
    ["'a'", 97],
    ["'\\n'", 10],
    ["'\\t'", 9],
    ["'\\\\'", 92],
    ["'\\''", 39],
    ["'\\\"'", 34],
    ["'\"'", 34],
    ["'\\?'", 63],
    ["'\\a'", 7],
    ["'\\b'", 8],
    ["'\\f'", 12],
    ["'\\v'", 11],
    ["'\\r'", 13],
    ["'\\0'", 0],
    ["'\\101'", 65],
    ["'\\377'", -1],
    ["'\\x41'", 65],
    ["'\\xff'", -1],
    ["'\\x80'", -128],
    ["'\\x7f'", 127],
  ];
  for (const [src, value] of cases) {
    test(`${src} is ${value}`, () => {
      const t = only(src);
      assert.equal(t.kind, "char");
      assert.equal(t.text, src);
      assert.equal(t.value, value);
    });
  }

  test("multi-character constants take gcc's value with a warning", () => {
    const { tokens, diags } = lexAll("'ab'");
    assert.equal(tokens[0].value, 0x6162);
    assert.equal(diags.length, 1);
    assert.equal(diags[0].severity, "warning");
    assert.match(diags[0].message, /multi-character/);
  });

  test("empty character constant is an error", () => {
    const { diags } = lexAll("x = '';");
    assert.deepEqual(
      diags.map((d) => [d.message, d.line, d.col]),
      [["empty character constant", 1, 5]],
    );
  });
});

describe("lexer: string literals", () => {
  test("escapes decode into bytes, without a terminating NUL", () => {
    const t = only('"a\\tb\\n\\\\\\"\\x41\\101\\0z"');
    assert.equal(t.kind, "str");
    assert.deepEqual([...t.bytes!], [97, 9, 98, 10, 92, 34, 65, 65, 0, 122]);
  });

  test("hex escapes take every hex digit; octal escapes at most three digits", () => {
    const { tokens, diags } = lexAll('"\\x4142"');
    assert.deepEqual([...tokens[0].bytes!], [0x42]);
    assert.deepEqual(
      diags.map((d) => [d.severity, d.message]),
      [["warning", "hex escape sequence out of range"]],
    );
    assert.deepEqual([...only('"\\1234"').bytes!], [0o123, 0x34]);
  });

  test("source characters are UTF-8 encoded, \\u names too", () => {
    assert.deepEqual([...only('"é"').bytes!], [0xc3, 0xa9]);
    assert.deepEqual(
      [...only('"\\u00e9\\U0001F600"').bytes!],
      [0xc3, 0xa9, 0xf0, 0x9f, 0x98, 0x80],
    );
  });

  test("adjacent strings stay separate tokens in the lexer", () => {
    const { tokens } = lexAll('"a" "b"');
    assert.deepEqual(texts(tokens), ['"a"', '"b"']);
  });

  test("u8 strings are plain strings; wide ones hold little-endian code units", () => {
    const t = only('u8"x"');
    assert.equal(t.kind, "str");
    assert.deepEqual([...t.bytes!], [120]);
    const l = only('L"x\\x101"');
    assert.equal(l.value, "L".charCodeAt(0));
    assert.deepEqual([...l.bytes!], [120, 0, 0, 0, 1, 1, 0, 0]);
    const u = only('u"\\u00e9"');
    assert.deepEqual([...u.bytes!], [0xe9, 0]);
    const { diags } = lexAll('u"\\x10000"');
    assert.match(diags[0].message, /out of range/);
  });

  test("unknown escapes warn and keep the character", () => {
    const { tokens, diags } = lexAll('"\\q"');
    assert.deepEqual([...tokens[0].bytes!], [113]);
    assert.deepEqual(
      diags.map((d) => [d.severity, d.message, d.col]),
      [["warning", "unknown escape sequence: '\\q'", 2]],
    );
  });

  test("\\x without digits is an error", () => {
    const { diags } = lexAll('"\\xg"');
    assert.equal(diags[0].message, "\\x used with no following hex digits");
  });
});

describe("lexer: identifiers beyond ASCII", () => {
  test("UTF-8 and universal character names name the same identifier", () => {
    const { tokens, diags } = lexAll(
      "π \\u03C0 \\U000003c0 a\\u00e9\u00e9 x😀 \\U0001F600y ¾ a\u0300",
    );
    assert.deepEqual(diags, []);
    assert.ok(tokens.slice(0, -1).every((t) => t.kind === "ident"));
    assert.deepEqual(texts(tokens), ["π", "π", "π", "aéé", "x😀", "😀y", "¾", "a\u0300"]);
  });

  test("a surrogate pair is one column", () => {
    const { tokens } = lexAll("x😀 y");
    assert.deepEqual(
      tokens.map((t) => t.loc.col),
      [1, 4, 5],
    );
  });

  test("characters outside C11 Annex D and bad names are not identifiers", () => {
    for (const src of ["\\u0041", "\\u0300x", "\\uD800", "\\U00110000", "a\\u00", "☃"]) {
      const { diags } = lexAll(src);
      assert.match(diags[0]?.message ?? "", /invalid character/, src);
    }
  });
});

describe("lexer: errors", () => {
  test("invalid characters, with their position", () => {
    const { tokens, diags } = lexAll("int a;\n  x @ y `");
    assert.deepEqual(
      diags.map((d) => [d.message, d.line, d.col]),
      [
        ["invalid character '@' in program", 2, 5],
        ["invalid character '`' in program", 2, 9],
      ],
    );
    assert.deepEqual(texts(tokens), ["int", "a", ";", "x", "@", "y", "`"]);
  });

  test("unterminated string and character constant", () => {
    const { tokens, diags } = lexAll("s = \"abc\nc = 'x;\nnext");
    assert.deepEqual(
      diags.map((d) => [d.message, d.line, d.col]),
      [
        ['missing terminating " character', 1, 5],
        ["missing terminating ' character", 2, 5],
      ],
    );
    assert.equal(tokens[tokens.length - 2].text, "next");
    assert.equal(tokens[tokens.length - 2].loc.line, 3);
  });

  test("unterminated comment is reported at its start", () => {
    const { tokens, diags } = lexAll("a\n  /* never\nends");
    assert.deepEqual(
      diags.map((d) => [d.message, d.line, d.col]),
      [["unterminated comment", 2, 3]],
    );
    assert.deepEqual(texts(tokens), ["a"]);
  });

  test("a source over maxSourceBytes is refused without lexing", () => {
    const big = "x".repeat(5 << 20);
    const start = performance.now();
    const { tokens, diags } = lexAll(big);
    assert.ok(performance.now() - start < 1000);
    assert.equal(tokens.length, 1);
    assert.equal(diags[0].message, `source file too large (${5 << 20} bytes; limit ${4 << 20})`);
    // Bytes, not UTF-16 units: 2 MB of 'é' is 4 MB of UTF-8.
    const { diags: d2 } = lexAll(`/*${"é".repeat(2 << 20)}*/`, { maxSourceBytes: 4 << 20 });
    assert.match(d2[0].message, /source file too large/);
  });

  test("a string over maxStringBytes is an error", () => {
    const { diags } = lexAll(`"${"a".repeat(100)}"`, { maxStringBytes: 64 });
    assert.equal(diags[0].message, "string literal too long (100 bytes; limit 64)");
  });
});

describe("lexer: performance", () => {
  // A guard against accidentally quadratic scanning, not a benchmark (CI machines are noisy).
  test("a megabyte of code lexes in bounded time", () => {
    const line =
      "  for (int i = 0; i < n; i++) { sum += a[i] * 0x10 + 'c'; s = \"str\\n\"; } // c\n";
    const src = line.repeat(Math.floor((1 << 20) / line.length));
    const start = performance.now();
    const { tokens, diags } = lexAll(src);
    const ms = performance.now() - start;
    assert.deepEqual(diags, []);
    assert.ok(tokens.length > 400_000);
    assert.ok(ms < 10_000, `took ${ms} ms`);
  });
});
