// #line, #pragma and the _Pragma operator: the directives that change where tokens say they
// come from (#line) and the pragmas with an effect (once, push_macro/pop_macro, GCC warning and
// error). Other pragmas are ignored, as gcc does without -Wunknown-pragmas.

import type { Loc } from "./diagnostics.ts";
import { ownMacros } from "./directives.ts";
import { lex } from "./lexer.ts";
import type { Preprocessor } from "./preprocess.ts";
import type { Token } from "./token.ts";

/** What #line set for a file: physical line `physical` is called `line` of `file`. */
export interface LineMap {
  physical: number;
  line: number;
  file: string;
}

export function mapLoc(map: LineMap, loc: Loc): Loc {
  return { file: map.file, line: map.line + (loc.line - map.physical), col: loc.col };
}

/** A file token as #line renamed it (a copy; lexed tokens are shared and never changed). */
export function mapToken(map: LineMap, tok: Token): Token {
  return { ...tok, loc: mapLoc(map, tok.loc), recolored: undefined };
}

// line-directive = "#" "line" digit-sequence string-literal? new-line
//                | "#" digit-sequence string-literal? flag* new-line    (gcc -E line markers)
// Either form may be written with macros that expand to it.
export function lineDirective(
  pp: Preprocessor,
  toks: Token[],
  a: number,
  end: number,
  at: Token,
  physicalEnd: number,
): void {
  let line = toks.slice(a, end);
  if (line.length > 0 && line[0].kind !== "num") line = pp.expandList(line);
  const num = line[0];
  if (num?.kind !== "num" || !/^[0-9]+$/.test(num.text)) {
    const what = num ? `"${num.text}"` : "end of line";
    pp.diags.error((num ?? at).loc, `${what} after #line is not a positive integer`);
    return;
  }
  const n = Number(num.text);
  if (n > 2147483647) {
    pp.diags.error(num.loc, "line number out of range");
    return;
  }
  const f = pp.currentFile();
  let file = f.lineMap?.file ?? f.name;
  const name = line[1];
  if (name !== undefined) {
    if (name.kind !== "str" || !name.text.startsWith('"')) {
      pp.diags.error(name.loc, `invalid filename "${name.text}"`);
      return;
    }
    file = new TextDecoder().decode(name.bytes);
    // gcc -E markers carry flags (1 2 3 4) after the name; #line takes nothing more.
    if (at.text === "line" && line.length > 2) {
      pp.diags.warning(line[2].loc, "extra tokens at end of #line directive");
    }
  }
  f.lineMap = { physical: physicalEnd + 1, line: n, file };
}

// pragma = "#" "pragma" pp-tokens? new-line
export function pragma(pp: Preprocessor, toks: Token[], a: number, end: number): void {
  if (a >= end) return;
  const name = toks[a].text;
  if (name === "once") {
    pp.pragmaOnce.add(pp.currentFile().name);
  } else if (name === "push_macro" || name === "pop_macro") {
    const id = macroNameOf(pp, toks, a + 1, end, toks[a]);
    if (id !== undefined) (name === "push_macro" ? pushMacro : popMacro)(pp, id);
  } else if (name === "GCC" && a + 1 < end) {
    const what = toks[a + 1].text;
    if (what !== "warning" && what !== "error") return;
    const message = a + 2 < end && toks[a + 2].kind === "str" ? toks[a + 2].bytes : undefined;
    if (message === undefined) {
      pp.diags.error(toks[a + 1].loc, `invalid "#pragma GCC ${what}" directive`);
      return;
    }
    const text = new TextDecoder().decode(message);
    if (what === "error") pp.diags.error(toks[a].loc, text);
    else pp.diags.warning(toks[a].loc, text);
  }
}

/** `("NAME")`, the operand of push_macro and pop_macro. */
function macroNameOf(
  pp: Preprocessor,
  toks: Token[],
  a: number,
  end: number,
  at: Token,
): string | undefined {
  if (
    end - a >= 3 &&
    toks[a].text === "(" &&
    toks[a + 1].kind === "str" &&
    toks[a + 1].text.startsWith('"') &&
    toks[a + 2].text === ")"
  ) {
    return new TextDecoder().decode(toks[a + 1].bytes);
  }
  pp.diags.error(at.loc, `invalid #pragma ${at.text} directive`);
  return undefined;
}

/** Saves the current definition of `name` (or its absence) on the name's own stack. */
function pushMacro(pp: Preprocessor, name: string): void {
  let stack = pp.pushedMacros.get(name);
  if (stack === undefined) {
    stack = [];
    pp.pushedMacros.set(name, stack);
  }
  // Each push keeps one definition (a few words): the source's size bounds their number.
  stack.push(pp.macros.get(name));
}

/** Restores the definition saved by the latest push_macro of `name`; without one, nothing. */
function popMacro(pp: Preprocessor, name: string): void {
  const stack = pp.pushedMacros.get(name);
  if (stack === undefined || stack.length === 0) return;
  const saved = stack.pop();
  if (!pp.currentFile().builtin) pp.pristine = null;
  if (saved === undefined) ownMacros(pp).delete(name);
  else ownMacros(pp).set(name, saved);
}

// pragma-operator = "_Pragma" "(" string-literal ")"
/** Runs `_Pragma("...")` read after `at`; the pragma's tokens are located at `at`. */
export function pragmaOperator(pp: Preprocessor, at: Token): void {
  const open = pp.next();
  const str = open.text === "(" && open.kind === "punct" ? pp.next() : open;
  const close = str !== open && str.kind === "str" ? pp.next() : str;
  if (open.text !== "(" || str.kind !== "str" || close.text !== ")" || close.kind !== "punct") {
    pp.diags.error(at.loc, "_Pragma takes a parenthesized string literal");
    return;
  }
  // Destringize (C99 6.10.9): the L prefix and the quotes go, \" and \\ lose the backslash.
  const body = str.text
    .replace(/^L/, "")
    .slice(1, -1)
    .replace(/\\(["\\])/g, "$1");
  const toks = lex(body, at.loc.file, pp.limits).tokens.map((t) => ({
    ...t,
    loc: at.loc,
    recolored: undefined,
  }));
  pragma(pp, toks, 0, toks.length - 1);
}
