import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { DiagnosticSink } from "../../cc/diagnostics.ts";
import { builtinHeaders, libcFunctions } from "../../cc/headers.ts";
import { makeToken } from "../../cc/lexer.ts";
import { type CompileLimits, defaultLimits } from "../../cc/limits.ts";
import { Preprocessor, preprocess } from "../../cc/preprocess.ts";
import { simdIntrinsic } from "../../cc/simd-intrinsics.ts";
import type { Token } from "../../cc/token.ts";
import { TokenList } from "../../cc/token-list.ts";

interface Options {
  includes?: Record<string, string>;
  defines?: Record<string, string>;
  limits?: Partial<CompileLimits>;
}

function pp(source: string, options: Options = {}) {
  const diags = new DiagnosticSink(100);
  const tokens = preprocess(source, {
    file: "main.c",
    includes: options.includes ?? {},
    defines: options.defines ?? {},
    limits: { ...defaultLimits, ...options.limits },
    diags,
  });
  return { tokens, diags: diags.list };
}

/** The output as one line of token spellings. */
function render(tokens: Token[]): string {
  assert.equal(tokens[tokens.length - 1].kind, "eof");
  return tokens
    .slice(0, -1)
    .map((t) => t.text)
    .join(" ");
}

/** Preprocesses `source` without diagnostics and compares tokens with those of `expected`. */
function expands(source: string, expected: string, options: Options = {}): void {
  const { tokens, diags } = pp(source, options);
  assert.deepEqual(diags, []);
  assert.equal(render(tokens), render(pp(expected).tokens));
}

function errors(source: string, options: Options = {}): string[] {
  return pp(source, options).diags.map((d) => `${d.line}:${d.col}: ${d.severity}: ${d.message}`);
}

describe("C99 6.10.3.5 examples (oracle: gcc -E -P)", () => {
  test("example 3: rescanning and hide sets", () => {
    const src = `#define x 3
#define f(a) f(x * (a))
#undef x
#define x 2
#define g f
#define z z[0]
#define h g(~
#define m(a) a(w)
#define w 0,1
#define t(a) a
#define p() int
#define q(x) x
#define r(x,y) x ## y
#define str(x) # x
f(y+1) + f(f(z)) % t(t(g)(0) + t)(1);
g(x+(3,4)-w) | h 5) & m
(f)^m(m);
p() i[q()] = { q(1), r(2,3), r(4,), r(,5), r(,) };
char c[2][6] = { str(hello), str() };
`;
    expands(
      src,
      `f(2 * (y+1)) + f(2 * (f(2 * (z[0])))) % f(2 * (0)) + t(1);
f(2 * (2+(3,4)-0,1)) | f(2 * (~ 5)) & f(2 * (0,1))^m(0,1);
int i[] = { 1, 23, 4, 5, };
char c[2][6] = { "hello", "" };`,
    );
  });

  test("example 4: # and ##, and a computed #include", () => {
    const src = `#define str(s) # s
#define xstr(s) str(s)
#define debug(s, t) printf("x" # s "= %d, x" # t "= %s", \\
 x ## s, x ## t)
#define INCFILE(n) vers ## n
#define glue(a, b) a ## b
#define xglue(a, b) glue(a, b)
#define HIGHLOW "hello"
#define LOW LOW ", world"
debug(1, 2);
fputs(str(strncmp("abc\\0d", "abc", '\\4') // this goes away
 == 0) str(: @\\n), s);
#include xstr(INCFILE(2).h)
glue(HIGH, LOW);
xglue(HIGH, LOW)
`;
    const { tokens, diags } = pp(src, { includes: { "vers2.h": "int vers2;" } });
    assert.deepEqual(diags, []);
    const expected = `printf("x" "1" "= %d, x" "2" "= %s", x1, x2);
fputs("strncmp(\\"abc\\\\0d\\", \\"abc\\", '\\\\4') == 0" ": @\\n", s);
int vers2;
"hello";
"hello" ", world"`;
    assert.equal(render(tokens), render(pp(expected).tokens));
    const fputsArg = tokens.find((t) => t.kind === "str" && t.text.startsWith('"strncmp'))!;
    assert.equal(
      new TextDecoder().decode(fputsArg.bytes),
      'strncmp("abc\\0d", "abc", \'\\4\') == 0: @\n',
    );
  });

  test("example 5: placemarkers", () => {
    expands(
      `#define t(x,y,z) x ## y ## z
int j[] = { t(1,2,3), t(,4,5), t(6,,7), t(8,9,),
 t(10,,), t(,11,), t(,,12), t(,,) };`,
      "int j[] = { 123, 45, 67, 89, 10, 11, 12, };",
    );
  });

  test("example 7: variable arguments", () => {
    expands(
      `#define debug(...) fprintf(stderr, __VA_ARGS__)
#define showlist(...) puts(#__VA_ARGS__)
#define report(test, ...) ((test)?puts(#test):\\
 printf(__VA_ARGS__))
debug("Flag");
debug("X = %d\\n", x);
showlist(The first, second, and third items.);
report(x>y, "x is %d but y is %d", x, y);`,
      `fprintf(stderr, "Flag" );
fprintf(stderr, "X = %d\\n", x );
puts( "The first, second, and third items." );
((x>y)?puts("x>y"): printf("x is %d but y is %d", x, y));`,
    );
  });
});

describe("macro expansion", () => {
  test("self-reference and mutual recursion stop (hide sets)", () => {
    expands("#define foo foo + 1\nfoo", "foo + 1");
    expands("#define a b\n#define b a\na b", "a b");
    expands("#define f(x) g(x)\n#define g(x) f(x)\nf(1) g(2)", "f(1) g(2)");
    expands("#define f(x) x f\nf(1)(2)", "1 f(2)");
  });

  test("a function-like macro name without ( is left alone", () => {
    expands("#define f(x) [x]\nint f; f (1) f\n(2)", "int f; [1] [2]");
  });

  test("an expansion can take its arguments from the text after it", () => {
    expands("#define f(x) x*2\n#define g f\ng(3) g", "3*2 f");
  });

  test("arguments: nesting, commas in parentheses, spanning lines, empty", () => {
    expands(
      "#define F(a, b) <a|b>\nF((1, 2), [3 4]) F(f(x,\n y), ) F(,)",
      "<(1, 2)|[3 4]> <f(x, y)|> <|>",
    );
  });

  test("arguments are expanded before substitution, except next to # and ##", () => {
    expands(
      "#define ONE 1\n#define id(x) x\n#define str(x) #x\n#define cat(a,b) a##b\nid(ONE) str(ONE) cat(ONE, 2)",
      '1 "ONE" ONE2',
    );
  });

  test("stringizing spells spaces and escapes quotes", () => {
    const { tokens } = pp('#define s(x) #x\ns(  a   +b  ) s("x\\n" \'"\') s()');
    assert.deepEqual(
      tokens.slice(0, -1).map((t) => new TextDecoder().decode(t.bytes)),
      ['a +b"x\\n" \'"\''],
    );
    assert.equal(tokens.length, 2);
  });

  test("GNU named variadics and , ## __VA_ARGS__", () => {
    expands(
      `#define e(fmt, ...) printf(fmt, ## __VA_ARGS__)
#define g(fmt, args...) printf(fmt, args)
e("a"); e("a", 1, 2); g("b", 3);`,
      'printf("a"); printf("a", 1, 2); printf("b", 3);',
    );
  });

  test("object-like ## pastes", () => {
    expands("#define X a ## 1 ## b\n#define Y <<## =\nX Y", "a1b <<=");
  });

  test("redefinition: identical is silent, different warns", () => {
    assert.deepEqual(errors("#define A 1 + 2\n#define A 1 + 2\n#define A 3\nA"), [
      '3:9: warning: "A" redefined',
    ]);
    expands("#define A 1\n#undef A\nA", "A");
  });

  test("predefined macros, __FILE__ and __LINE__", () => {
    expands(
      "__STDC__ __STDC_VERSION__ __KPLUG__ __wasm32__ __ILP32__ __SIZEOF_POINTER__ __CHAR_BIT__",
      "1 199901L 1 1 1 4 8",
    );
    expands(
      '#define L __LINE__\n#define F(x) x __LINE__\n\nL __FILE__\nF(\n__LINE__\n)\n#include "a.h"',
      '4 "main.c" 6 5 "a.h" 2',
      { includes: { "a.h": "\n__FILE__ __LINE__" } },
    );
  });

  test("__DATE__ and __TIME__ are the compilation's start, in gcc's format", () => {
    const before = Date.now();
    const { tokens, diags } = pp("__DATE__, __TIME__, __TIME__");
    const after = Date.now();
    assert.deepEqual(diags, []);
    const strings = tokens.filter((t) => t.kind === "str");
    const [date, time, again] = strings.map((t) => JSON.parse(t.text) as string);
    assert.match(date!, /^[A-Z][a-z]{2} [ \d]\d \d{4}$/);
    assert.match(time!, /^\d\d:\d\d:\d\d$/);
    assert.equal(again, time);
    // The same local date and time, to the second, as a clock read during the call.
    const stamp = Date.parse(`${date} ${time}`);
    assert.ok(stamp >= Math.floor(before / 1000) * 1000 && stamp <= after, `${date} ${time}`);
  });

  test("ctx.defines, object- and function-like", () => {
    expands("DEBUG SQ(3) EMPTY.", "1 ((3)*(3)) .", {
      defines: { DEBUG: "1", "SQ(x)": "((x)*(x))", EMPTY: "" },
    });
  });

  test("adjacent string literals are joined, also across macros", () => {
    const { tokens } = pp('#define S "b" "c"\nchar *p = "a" S "d"; "x";');
    const strs = tokens.filter((t) => t.kind === "str");
    assert.deepEqual(
      strs.map((t) => new TextDecoder().decode(t.bytes)),
      ["abcd", "x"],
    );
    assert.equal(strs[0].loc.col, 11);
  });

  test("locations: macro tokens at the invocation, argument tokens where written", () => {
    const { tokens } = pp("#define ADD(a, b) (a + b)\nint x =\n  ADD(first,\n      second);");
    const at = (text: string) => {
      const t = tokens.find((k) => k.text === text)!;
      return `${t.loc.line}:${t.loc.col}`;
    };
    assert.equal(at("("), "3:3");
    assert.equal(at("+"), "3:3");
    assert.equal(at("first"), "3:7");
    assert.equal(at("second"), "4:7");
    assert.ok(tokens.every((t) => t.kind !== "punct" || t.text !== "#"));
  });

  test("an invalid character is fine when stringized, an error when output", () => {
    const { diags } = pp("#define s(x) #x\nchar *p = s(@);");
    assert.deepEqual(diags, []);
    assert.deepEqual(errors("#define AT @\nint x AT;"), [
      "2:7: error: invalid character '@' in program",
    ]);
  });
});

describe("tricky expansions (expected output from gcc -E -P)", () => {
  const cases: [string, string][] = [
    ["#define f(a) a*g\n#define g(a) f(a)\nf(2)(9)", "2*9*g"],
    ["#define OBJ(x) x\n#define E\nOBJ(E)E", ""],
    [
      "#define hash_hash # ## #\n#define mkstr(a) # a\n#define in_between(a) mkstr(a)\n" +
        "#define join(c, d) in_between(c hash_hash d)\nchar p[] = join(x, y);",
      'char p[] = "x ## y";',
    ],
    ["#define m() X\nm()m ( ) m", "X X m"],
    [
      "#define cat(a,b) a##b\ncat(1,e)+2 cat(.,5) cat(x,) cat(<,<) cat(-,>) cat(0x,1p-3)",
      "1e + 2 .5 x << -> 0x1p-3",
    ],
    ["#define LPAREN (\n#define f(x) [x]\nf LPAREN 1)", "f ( 1)"],
    ["#define F(x,...) x __VA_ARGS__\nF(1) F(1,2,3) F()", "1 1 2,3"],
    ["#define EMPTY\n#define f(x) (x)\nf(EMPTY) f( EMPTY ) f(f(f(1)))", "() () (((1)))"],
    [
      "#define NIL(xxx) xxx\n#define G_0(arg) NIL(G_1)(arg)\n#define G_1(arg) NIL(arg)\nG_0(42)",
      "42",
    ],
    ["#define x(a) a + x(a)\n#define y x(1)\ny x(y)", "1 + x(1) 1 + x(1) + x(1 + x(1))"],
    ["#define foo() bar\nfoo()baz foo\n()", "bar baz bar"],
    ["#define A() B\n#define B() A\nA()()()()", "A"],
  ];
  for (const [source, expected] of cases) {
    test(source.split("\n").pop()!, () => expands(source, expected));
  }
});

describe("conditionals", () => {
  test("#if / #elif / #else / #endif choose one group, nested", () => {
    const src = `#define TWO 2
#if TWO == 1
one
#elif TWO == 2
  #ifdef TWO
two
  #else
nottwo
  #endif
#elif 1
never
#else
never
#endif
#ifndef THREE
three
#endif
#if 0
#if 1
no
#else
no
#endif
#elif defined TWO && defined(TWO) && !defined THREE
yes
#endif`;
    expands(src, "two three yes");
  });

  const truths: [string, boolean][] = [
    ["1 + 2 * 3 == 7", true],
    ["(1 + 2) * 3 == 9", true],
    ["-1 < 0", true],
    ["-1 < 0u", false],
    ["0xffffffffffffffff == -1", true],
    ["18446744073709551615ULL > 0", true],
    ["9223372036854775807 + 1 < 0", true],
    ["-1 >> 1 == -1", true],
    ["1 << 63 < 0", true],
    ["7 / 2 == 3 && -7 / 2 == -3 && -7 % 2 == -1", true],
    ["~0 == -1 && !0 == 1 && !5 == 0", true],
    ["(3 & 5) == 1 && (3 | 5) == 7 && (3 ^ 5) == 6", true],
    ["1 ? 2 : 3", true],
    ["0 ? 1 : 0", false],
    ["0 && 1 / 0", false],
    ["1 || 1 / 0", true],
    ["1 ? 1 : 1 / 0", true],
    ["'a' == 97 && '\\n' == 10", true],
    ["'\\xff' < 0", true],
    ["UNKNOWN == 0 && !UNKNOWN", true],
    ["defined UNKNOWN", false],
    ["0x10 == 16 && 010 == 8 && 0b101 == 5 && 10L == 10 && 10ull == 10", true],
    ["(1, 2) == 2", true],
    ["3 >= 3 && 3 <= 3 && 2 != 3 && 4 > 3", true],
  ];
  for (const [expr, value] of truths) {
    test(`#if ${expr} is ${value ? "true" : "false"}`, () => {
      expands(`#if ${expr}\nyes\n#else\nno\n#endif`, value ? "yes" : "no");
    });
  }

  test("header limits agree with #if arithmetic", () => {
    expands(
      `#include <limits.h>
#include <stdint.h>
#if INT_MAX == 2147483647 && INT_MIN == -INT_MAX - 1 && UINT_MAX == 4294967295
#if LLONG_MIN < 0 && ULLONG_MAX == 18446744073709551615u && UINT64_MAX == ULLONG_MAX
#if INT64_MIN == LLONG_MIN && SIZE_MAX == UINT32_MAX && CHAR_MIN == -128
ok
#endif
#endif
#endif`,
      "#include <limits.h>\n#include <stdint.h>\nok",
    );
  });

  test("skipped groups may hold anything", () => {
    expands(
      "#if 0\ndon't @ ` \"unterminated\n#bogus directive\n#if garbage (\n#endif\n#else\nok\n#endif",
      "ok",
    );
  });
});

describe("includes", () => {
  test("user includes, guards, #pragma once and file names in locations", () => {
    const includes = {
      "a.h": '#ifndef A_H\n#define A_H\nint a;\n#include "b.h"\n#endif\n',
      "b.h": "#pragma once\nint b;\n",
    };
    const { tokens, diags } = pp('#include "a.h"\n#include "a.h"\n#include "b.h"\nint c;', {
      includes,
    });
    assert.deepEqual(diags, []);
    assert.equal(render(tokens), "int a ; int b ; int c ;");
    assert.deepEqual(
      tokens.slice(0, -1).map((t) => `${t.loc.file}:${t.loc.line}`),
      ["a.h:3", "a.h:3", "a.h:3", "b.h:2", "b.h:2", "b.h:2", "main.c:4", "main.c:4", "main.c:4"],
    );
  });

  test('"x.h" prefers the caller\'s file, <x.h> the built-in one', () => {
    const includes = { "stdbool.h": "mine", "extra.h": "extra" };
    expands('#include "stdbool.h"\n#include <extra.h>', "mine extra", { includes });
    expands("#include <stdbool.h>\nbool true false", "_Bool 1 0", { includes });
  });

  test("every built-in header preprocesses cleanly, twice", () => {
    for (const name of Object.keys(builtinHeaders)) {
      const { diags } = pp(`#include <${name}>\n#include <${name}>`);
      assert.deepEqual(diags, [], name);
    }
  });

  test("assert, offsetof and NULL", () => {
    const { tokens, diags } = pp(
      "#include <assert.h>\n#include <stddef.h>\nassert(x > 0); offsetof(struct s, f); NULL",
    );
    assert.deepEqual(diags, []);
    const expected =
      '((x > 0) ? (void)0 : __assert_fail("x > 0", "main.c", 3)); __builtin_offsetof(struct s, f); ((void *)0)';
    assert.ok(render(tokens).endsWith(render(pp(expected).tokens)), render(tokens));
    assert.ok(render(tokens).startsWith("void __assert_fail ("));
    expands("#define NDEBUG\n#include <assert.h>\nassert(x);", "((void)0);");
  });

  test("libcFunctions names exactly the functions the headers declare without a body", () => {
    const declared = new Set<string>();
    /** The token after the parenthesized list that opens at `k`. */
    const after = (k: number): string => {
      let d = 0;
      for (let j = k; j < tokens.length; j++) {
        if (tokens[j].text === "(") d++;
        else if (tokens[j].text === ")" && --d === 0) return tokens[j + 1]?.text ?? "";
      }
      return "";
    };
    const all = Object.keys(builtinHeaders)
      .map((h) => `#include <${h}>`)
      .join("\n");
    const { tokens, diags } = pp(all);
    assert.deepEqual(diags, []);
    let depth = 0;
    for (let k = 0; k < tokens.length - 1; k++) {
      const t = tokens[k];
      if (t.text === "(") depth++;
      if (t.text === ")") depth--;
      if (t.text === "{") depth++;
      if (t.text === "}") depth--;
      const call = depth === 0 && t.kind === "ident" && tokens[k + 1].text === "(";
      // Functions defined in a header (<wchar.h>'s) are compiled into the plugin instead, and
      // <wasm_simd128.h>'s intrinsics and setjmp become instructions: none is a host function.
      const inline = simdIntrinsic(t.text) || t.text === "setjmp";
      if (call && after(k + 1) !== "{" && !inline) declared.add(t.text);
    }
    assert.deepEqual([...declared].sort(), [...libcFunctions].sort());
    assert.equal(new Set(libcFunctions).size, libcFunctions.length);
  });

  test("built-in header tokens are shared and frozen", () => {
    const a = pp("#include <stdio.h>").tokens;
    const b = pp("#include <stdio.h>").tokens;
    const printfA = a.find((t) => t.text === "printf")!;
    assert.equal(
      printfA,
      b.find((t) => t.text === "printf"),
    );
    assert.ok(Object.isFrozen(printfA));
  });
});

describe("errors", () => {
  test("unterminated conditionals, at the directive name (like gcc)", () => {
    assert.deepEqual(errors("int x;\n  #ifndef FOO\n#if 1\n"), [
      "3:2: error: unterminated #if",
      "2:4: error: unterminated #ifndef",
    ]);
    assert.deepEqual(errors('#include "a.h"\nint y;', { includes: { "a.h": "#ifndef X\n" } }), [
      "1:2: error: unterminated #ifndef",
    ]);
  });

  test("#else, #elif and #endif out of place", () => {
    assert.deepEqual(errors("#else\n#endif\n#elif 1\n#if 1\n#else\n#elif 1\n#else\n#endif"), [
      "1:2: error: #else without #if",
      "2:2: error: #endif without #if",
      "3:2: error: #elif without #if",
      "6:2: error: #elif after #else",
      "7:2: error: #else after #else",
    ]);
  });

  test("unknown directives, #error and #warning", () => {
    assert.deepEqual(errors("#foo bar\n# \n#error stop  here\n#warning careful\nint x;"), [
      "1:2: error: invalid preprocessing directive #foo",
      "3:2: error: #error stop here",
      "4:2: warning: #warning careful",
    ]);
  });

  test("include not found, at the file name", () => {
    assert.deepEqual(errors('#include "nope.h"\n#include <sys/nope.h>\nint x;'), [
      "1:10: error: 'nope.h' file not found",
      "2:10: error: 'sys/nope.h' file not found",
    ]);
  });

  test("macro argument count", () => {
    assert.deepEqual(errors("#define F(a,b) a\n#define G(a) a\nF(1) F(1,2,3) G(1,2) G() F()"), [
      '3:4: error: macro "F" requires 2 arguments, but only 1 given',
      '3:13: error: macro "F" passed 3 arguments, but takes just 2',
      '3:20: error: macro "G" passed 2 arguments, but takes just 1',
      '3:28: error: macro "F" requires 2 arguments, but only 1 given',
    ]);
  });

  test("unterminated macro call", () => {
    assert.deepEqual(errors("#define F(a) a\nint x;\nF(1, (2)\n"), [
      '3:1: error: unterminated argument list invoking macro "F"',
    ]);
  });

  test("bad #define and bad ##", () => {
    assert.deepEqual(
      errors(
        "#define\n#define 3 x\n#define F(a) #b\n#define G(a,a) a\n#define H ## x\n#define P(a,b) a##b\nP(+,/)",
      ),
      [
        "1:1: error: no macro name given in #define directive",
        "2:9: error: macro names must be identifiers",
        "3:14: error: '#' is not followed by a macro parameter",
        '4:13: error: duplicate macro parameter "a"',
        "5:11: error: '##' cannot appear at either end of a macro expansion",
        '7:1: error: pasting "+" and "/" does not give a valid preprocessing token',
      ],
    );
  });

  test("#if expression errors", () => {
    assert.deepEqual(
      errors(
        "#if 1 / 0\n#endif\n#if (1\n#endif\n#if 1.5\n#endif\n#if\n#endif\n#if 1 +\n#endif\n#if 2 3\n#endif",
      ),
      [
        "1:7: error: division by zero in #if",
        "3:5: error: missing ')' in expression",
        "5:5: error: floating constant in preprocessor expression",
        "7:4: error: #if with no expression",
        "9:7: error: #if expression ends unexpectedly",
        '11:7: error: missing binary operator before token "3"',
      ],
    );
  });

  test("lexer errors outside skipped groups are reported, with recovery", () => {
    assert.deepEqual(errors("int a = 'x;\n#if 1\nchar *s = \"abc;\n#endif\nint @;\n#bad"), [
      "1:9: error: missing terminating ' character",
      '3:11: error: missing terminating " character',
      "5:5: error: invalid character '@' in program",
      "6:2: error: invalid preprocessing directive #bad",
    ]);
  });
});

describe("limits", () => {
  test("a 5 MB source is refused quickly", () => {
    const start = performance.now();
    const { tokens, diags } = pp("int x;\n".repeat((5 << 20) / 7 + 1));
    assert.ok(performance.now() - start < 2000);
    assert.equal(tokens.length, 1);
    assert.match(diags[0].message, /^source file too large \(\d+ bytes; limit 4194304\)$/);
  });

  test("include recursion is stopped at maxIncludeDepth", () => {
    const includes = { "self.h": '#include "self.h"\n#include "self.h"\nint x;\n' };
    const { diags } = pp('#include "self.h"', { includes });
    assert.deepEqual(
      diags.map((d) => `${d.file}:${d.line}:${d.col}: ${d.message}`),
      ["self.h:1:2: #include nested depth 33 exceeds maximum of 32"],
    );
    // A chain of 1000 distinct files.
    const chain: Record<string, string> = {};
    for (let k = 0; k < 1000; k++) chain[`f${k}.h`] = `#include "f${k + 1}.h"\n`;
    const r = pp('#include "f0.h"', { includes: chain, limits: { maxIncludeDepth: 2000 } });
    assert.deepEqual(
      r.diags.map((d) => d.message),
      ["'f1000.h' file not found"],
    );
  });

  test("an exponential macro bomb hits the work budget", () => {
    let src = "#define A0 x\n";
    for (let k = 1; k <= 40; k++) src += `#define A${k} A${k - 1} A${k - 1}\n`;
    src += "A40\n";
    const { diags } = pp(src, { limits: { maxMacroWork: 50_000, maxTokens: 1_000_000 } });
    assert.deepEqual(
      diags.map((d) => `${d.line}: ${d.message}`),
      ["42: macro expansion needs too much work (limit 50000 expansions and tokens produced)"],
    );
  });

  test("nested arguments that double at each level are charged for what they produce", () => {
    // Each level doubles its argument: 2^30 tokens if nothing stopped it.
    const src = `#define D(x) x x\n${"D(".repeat(30)}a${")".repeat(30)}\n`;
    const { diags } = pp(src, { limits: { maxMacroWork: 100_000 } });
    assert.deepEqual(
      diags.map((d) => d.message),
      ["macro expansion needs too much work (limit 100000 expansions and tokens produced)"],
    );
  });

  test("more than 100,000 expansions are no error when their work is small", () => {
    const src = `#define E\n#define F(x) x\n${"E F(1) ".repeat(60_000)}\n`;
    const { tokens, diags } = pp(src);
    assert.deepEqual(diags, []);
    assert.equal(tokens.length, 60_001);
  });

  test("maxTokens bounds the output beyond the source's own tokens", () => {
    // 25 tokens in the source (the directive's included): the output may hold 25 + 50.
    const { tokens, diags } = pp("#define X a a a a a a a a a a\nX X X X X X X X X X X X", {
      limits: { maxTokens: 50 },
    });
    assert.equal(tokens.length, 76);
    assert.deepEqual(
      diags.map((d) => d.message),
      ["too many tokens after preprocessing (limit 75: the source's 25 and 50 more)"],
    );
  });

  test("deeply nested macro arguments and #if parentheses get errors, not a crash", () => {
    const depth = 5000;
    const nested = `#define F(x) x\n${"F(".repeat(depth)}1${")".repeat(depth)}`;
    assert.deepEqual(
      pp(nested).diags.map((d) => d.message),
      ["macro arguments nested too deeply"],
    );
    const parens = `#if ${"(".repeat(depth)}1${")".repeat(depth)}\n#endif`;
    assert.deepEqual(
      pp(parens).diags.map((d) => d.message),
      ["#if expression nested too deeply"],
    );
  });
});

describe("robustness", () => {
  test("random directive and token soup never throws", () => {
    const fragments = [
      "#define ",
      "#undef ",
      "#if ",
      "#ifdef ",
      "#elif ",
      "#else",
      "#endif",
      "#include ",
      "\n",
      " ",
      "(",
      ")",
      ",",
      "##",
      "#",
      "F",
      "G",
      "X",
      "__VA_ARGS__",
      "...",
      "defined",
      "1",
      "0x",
      "'",
      '"',
      "<stdio.h>",
      '"a.h"',
      "/*",
      "*/",
      "//",
      "\\\n",
      "@",
      "+",
      "/",
      "?",
      ":",
      "__LINE__",
      "'a'",
      '"s"',
      "99999999999999999999",
      "1.5",
    ];
    let seed = 12345;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let iteration = 0; iteration < 2000; iteration++) {
      let source = "";
      const n = 5 + random(60);
      for (let k = 0; k < n; k++) source += fragments[random(fragments.length)];
      const diags = new DiagnosticSink(1000);
      const tokens = preprocess(source, {
        file: "f.c",
        includes: { "a.h": source.slice(0, 40) },
        defines: { F: "G(", "G(x)": "x F" },
        limits: { ...defaultLimits, maxIncludeDepth: 5 },
        diags,
      });
      assert.equal(tokens[tokens.length - 1].kind, "eof", source);
    }
  });
});

describe("performance", () => {
  const plugin = `/* grayscale.c: packed 24-bit RGB to 8-bit gray (ITU-R BT.601 luma). */
#include <stdint.h>
#define R_WEIGHT 77
#define G_WEIGHT 150
#define B_WEIGHT 29
#define CLAMP(v, lo, hi) ((v) < (lo) ? (lo) : (v) > (hi) ? (hi) : (v))

typedef struct {
  uint32_t width;
  uint32_t height;
  uint32_t stride;
} image_info;

static uint8_t luma(uint8_t r, uint8_t g, uint8_t b) {
  uint32_t y = (R_WEIGHT * r + G_WEIGHT * g + B_WEIGHT * b + 128) >> 8;
  return (uint8_t)CLAMP(y, 0, 255);
}

static uint32_t row_bytes(const image_info *info) {
  return info->stride ? info->stride : info->width * 3;
}
int grayscale(const uint8_t *src, uint8_t *dst, const image_info *info) {
  if (!src || !dst || !info) return -1;
  if (info->width == 0 || info->height == 0) return 0;
  uint32_t in_stride = row_bytes(info);
  for (uint32_t y = 0; y < info->height; y++) {
    const uint8_t *in = src + y * in_stride;
    uint8_t *out = dst + y * info->width;
    uint32_t x = 0;
    for (; x + 4 <= info->width; x += 4) {
      out[x] = luma(in[0], in[1], in[2]);
      out[x + 1] = luma(in[3], in[4], in[5]);
      out[x + 2] = luma(in[6], in[7], in[8]);
      out[x + 3] = luma(in[9], in[10], in[11]);
      in += 12;
    }
    for (; x < info->width; x++) {
      out[x] = luma(in[0], in[1], in[2]);
      in += 3;
    }
  }
  return (int)(info->width * info->height);
}

int histogram(const uint8_t *gray, uint32_t n, uint32_t *bins) {
  for (int i = 0; i < 256; i++) bins[i] = 0;
  for (uint32_t i = 0; i < n; i++) bins[gray[i]]++;
  uint32_t peak = 0;
  int at = 0;
  for (int i = 0; i < 256; i++) {
    if (bins[i] > peak) {
      peak = bins[i];
      at = i;
    }
  }
  return at;
}

int threshold(uint8_t *gray, uint32_t n, uint8_t level) {
  int count = 0;
  for (uint32_t i = 0; i < n; i++) {
    gray[i] = gray[i] >= level ? 255 : 0;
    count += gray[i] != 0;
  }
  return count;
}
`;

  test("a realistic 66-line plugin preprocesses in well under 2 ms warm", () => {
    assert.equal(plugin.split("\n").length - 1, 66);
    const first = pp(plugin);
    assert.deepEqual(first.diags, []);
    assert.ok(first.tokens.some((t) => t.text === "unsigned"));
    for (let k = 0; k < 200; k++) pp(plugin);
    const runs = 200;
    const start = performance.now();
    for (let k = 0; k < runs; k++) pp(plugin);
    const perRun = (performance.now() - start) / runs;
    assert.ok(perRun < 2, `${perRun.toFixed(3)} ms per run`);
  });
});

describe("#line, #pragma and _Pragma", () => {
  test("#line renames and renumbers what follows, diagnostics included", () => {
    const { tokens, diags } = pp('a\n#line 100 "x.c"\nb\n\nc __LINE__ __FILE__\n#error here\n@\n');
    const at = tokens.slice(0, -1).map((t) => `${t.loc.file}:${t.loc.line} ${t.text}`);
    assert.deepEqual(at, [
      "main.c:1 a",
      "x.c:100 b",
      "x.c:102 c",
      "x.c:102 102",
      'x.c:102 "x.c"',
      "x.c:104 @",
    ]);
    assert.deepEqual(
      diags.map((d) => `${d.file}:${d.line}: ${d.message}`),
      ["x.c:103: #error here", "x.c:104: invalid character '@' in program"],
    );
  });

  test("#line without a file keeps the name; gcc -E markers work the same; macros expand", () => {
    const src =
      '#line 7\n__LINE__ __FILE__\n# 20 "m.c" 1\n__LINE__ __FILE__\n#define N 50\n#line N\n__LINE__';
    expands(src, '7 "main.c" 20 "m.c" 50');
  });

  test("bad #line and _Pragma operands are errors", () => {
    assert.deepEqual(errors("#line x\n#line 5 y\n_Pragma(1)\n_Pragma\n"), [
      '1:7: error: "x" after #line is not a positive integer',
      '2:9: error: invalid filename "y"',
      "3:1: error: _Pragma takes a parenthesized string literal",
      "4:1: error: _Pragma takes a parenthesized string literal",
    ]);
  });

  test("push_macro and pop_macro save and restore definitions, also from _Pragma", () => {
    const src = `#define X 1
#pragma push_macro("X")
#undef X
X
#define X 2
X
_Pragma("pop_macro(\\"X\\")") X
#pragma push_macro("U")
#define U 3
U
#pragma pop_macro("U")
U
#pragma pop_macro("X")
X`;
    expands(src, "X 2 1 3 U 1");
  });

  test("#pragma GCC warning and error report their message", () => {
    assert.deepEqual(errors('#pragma GCC warning "careful"\n_Pragma("GCC error \\"stop\\"")'), [
      "1:9: warning: careful",
      "2:1: error: stop",
    ]);
  });
});

test("TokenList hands out each token once, holds back the last, and keeps what is pinned", () => {
  const list = new TokenList();
  const all: Token[] = [];
  const push = (n: number) => {
    for (let k = 0; k < n; k++) {
      const t = makeToken("num", String(all.length), { file: "t.c", line: 1, col: 1 }, false, true);
      list.push(t);
      all.push(t);
    }
  };
  const taken: Token[] = [];
  push(5);
  taken.push(...list.take(false)); // the last may still be joined: held back
  assert.equal(taken.length, 4);
  assert.equal(list.last(), all[4]);
  list.keep(list.length - 1); // a header recording starts at token 4
  push(3);
  taken.push(...list.take(false));
  assert.deepEqual(list.slice(4), all.slice(4), "pinned tokens outlive their take");
  list.keep(-1);
  push(2);
  const replaced = makeToken("str", '"x"', { file: "t.c", line: 2, col: 1 }, false, true);
  list.setLast(replaced);
  all[all.length - 1] = replaced;
  taken.push(...list.take(true));
  assert.deepEqual(taken, all, "every token once, in order");
  assert.equal(list.length, 10);
  assert.deepEqual(list.take(true), []);
  assert.equal(list.last(), undefined, "all taken");
  assert.throws(() => list.slice(3), /already taken/);
});

test("a built-in header recorded when the output is 4096 tokens long replays none of them", () => {
  // The header emits no tokens; its recording (HeaderReplay) must not take the includer's.
  const headers = "#include <stdalign.h>\n#include <iso646.h>\n#include <stdbool.h>\n";
  const names = Array.from({ length: 2046 }, (_, i) => `a${i}`).join(", ");
  const first = pp(`int b; int ${names};\n${headers}`);
  assert.deepEqual(first.diags, []);
  assert.equal(first.tokens.length, 4096 + 1);
  const second = pp(`${headers}char b;\n`);
  assert.deepEqual(second.diags, []);
  assert.equal(second.tokens.length, 4, `replayed: ${render(second.tokens).slice(0, 40)}`);
  assert.equal(render(second.tokens), "char b ;");
});

test("recolouring memos keep no more copies alive than the token limit", () => {
  // An argument of source tokens passed down a chain of macros: each level recolours every
  // token (a new hide set), and a memo on each copy would keep the whole chain of copies alive
  // as long as the source (here an included file, whose tokens the preprocessor keeps).
  const depth = 50;
  const defines = Array.from({ length: depth }, (_, k) =>
    k < depth - 1 ? `#define F${k}(x) F${k + 1}(x)` : `#define F${k}(x) x`,
  ).join("\n");
  const args = Array.from({ length: 2000 }, (_, i) => `a${i}`).join(" ");
  const limits = { ...defaultLimits, maxTokens: 5000 };
  const diags = new DiagnosticSink(100);
  const p = new Preprocessor({
    file: "main.c",
    includes: { "h.h": `int F0(${args});\n` },
    defines: {},
    limits,
    diags,
  });
  const out = p.run(`${defines}\n#include "h.h"\n`);
  assert.deepEqual(diags.list, []);
  assert.equal(out.length, 1 + 2000 + 1 + 1); // int, the argument, ;, eof
  const memos = new Set<Token>();
  for (const t of p.lexedFiles.get("h.h")!.tokens) {
    for (let m = t.recolored; m !== undefined && !memos.has(m); m = m.recolored) memos.add(m);
  }
  assert.ok(memos.size <= p.tokenLimit, `${memos.size} copies kept (limit ${p.tokenLimit})`);
});
