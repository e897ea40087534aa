// Preprocessing directives: conditionals (#if/#ifdef/#elif/#else/#endif and skipping groups),
// #define/#undef, #include (with include guards, #pragma once and replay of built-in headers),
// #error, #line and #pragma. Each works on the preprocessor's state.

import {
  builtinDefines,
  builtinLex,
  type HeaderReplay,
  headerReplays,
  includeGuard,
} from "./include-cache.ts";
import type { LexedFile } from "./lexer.ts";
import { type Macro, sameDefinition } from "./macro.ts";
import { lineDirective, mapToken, pragma } from "./pragma.ts";
import type { Preprocessor } from "./preprocess.ts";
import type { Token } from "./token.ts";

export function directive(pp: Preprocessor, hash: Token): void {
  const f = pp.top;
  let toks = f.toks;
  let start = f.pos;
  let end = start;
  while (!toks[end].atLineStart) end++;
  f.pos = end;
  const file = f.file!;
  if (end > file.problemAt) pp.reportProblems(f, end, true);
  if (start === end) return; // the null directive
  const physicalEnd = toks[end - 1].loc.line;
  if (file.lineMap !== null) {
    // After #line the directive's own tokens report the new name and numbering too.
    const map = file.lineMap;
    toks = toks.slice(start, end).map((t) => mapToken(map, t));
    end -= start;
    start = 0;
  }
  const name = toks[start];
  if (name.kind !== "ident") {
    // `# 33 "file"` line markers (as in gcc -E output) work as #line does.
    if (name.kind === "num") lineDirective(pp, toks, start, end, name, physicalEnd);
    else pp.diags.error(name.loc, "invalid preprocessing directive");
    return;
  }
  const a = start + 1;
  switch (name.text) {
    case "define":
      define(pp, hash, toks, a, end, file.builtin);
      return;
    case "undef":
      undef(pp, toks, a, end, name);
      return;
    case "include":
      include(pp, toks, a, end, name);
      return;
    case "if":
      pushConditional(pp, "if", name, pp.evalIf(toks, a, end, name));
      return;
    case "ifdef":
    case "ifndef": {
      const id = macroNameOperand(pp, toks, a, end, name);
      const defined = id !== undefined && pp.macros.has(id);
      pushConditional(pp, name.text, name, defined === (name.text === "ifdef"));
      return;
    }
    case "elif":
      elif(pp, name, toks, a, end, name);
      return;
    case "else":
      elseDirective(pp, name, toks, a, end);
      return;
    case "endif":
      if (file.conds.length === 0) pp.diags.error(name.loc, "#endif without #if");
      else file.conds.pop();
      extraTokens(pp, toks, a, end, "endif");
      return;
    case "error":
      pp.diags.error(name.loc, `#error ${spell(toks, a, end)}`.trimEnd());
      return;
    case "warning":
      pp.diags.warning(name.loc, `#warning ${spell(toks, a, end)}`.trimEnd());
      return;
    case "pragma":
      pragma(pp, toks, a, end);
      return;
    case "line":
      lineDirective(pp, toks, a, end, name, physicalEnd);
      return;
    default:
      pp.diags.error(name.loc, `invalid preprocessing directive #${name.text}`);
  }
}

export function extraTokens(
  pp: Preprocessor,
  toks: Token[],
  a: number,
  end: number,
  directive: string,
): void {
  if (a < end) pp.diags.warning(toks[a].loc, `extra tokens at end of #${directive} directive`);
}

/** The identifier operand of #ifdef / #ifndef / #undef. */
export function macroNameOperand(
  pp: Preprocessor,
  toks: Token[],
  a: number,
  end: number,
  at: Token,
): string | undefined {
  if (a >= end) {
    pp.diags.error(at.loc, `no macro name given in #${at.text} directive`);
    return undefined;
  }
  const id = toks[a];
  if (id.kind !== "ident") {
    pp.diags.error(id.loc, "macro names must be identifiers");
    return undefined;
  }
  extraTokens(pp, toks, a + 1, end, at.text);
  return id.text;
}

export function pushConditional(
  pp: Preprocessor,
  directive: string,
  hash: Token,
  active: boolean,
): void {
  pp.top.file!.conds.push({ directive, loc: hash.loc, taken: active, sawElse: false });
  if (!active) skipGroup(pp);
}

export function elif(
  pp: Preprocessor,
  hash: Token,
  toks: Token[],
  a: number,
  end: number,
  name: Token,
): void {
  const cond = pp.top.file!.conds[pp.top.file!.conds.length - 1];
  if (!cond) {
    pp.diags.error(hash.loc, "#elif without #if");
    return;
  }
  if (cond.sawElse) pp.diags.error(hash.loc, "#elif after #else");
  if (cond.taken) {
    skipGroup(pp);
    return;
  }
  if (pp.evalIf(toks, a, end, name)) cond.taken = true;
  else skipGroup(pp);
}

export function elseDirective(
  pp: Preprocessor,
  hash: Token,
  toks: Token[],
  a: number,
  end: number,
): void {
  const cond = pp.top.file!.conds[pp.top.file!.conds.length - 1];
  if (!cond) {
    pp.diags.error(hash.loc, "#else without #if");
    return;
  }
  if (cond.sawElse) pp.diags.error(hash.loc, "#else after #else");
  cond.sawElse = true;
  extraTokens(pp, toks, a, end, "else");
  if (cond.taken) skipGroup(pp);
  else cond.taken = true;
}

/** Skips to the #elif, #else or #endif that ends the current group (left for the caller). */
export function skipGroup(pp: Preprocessor): void {
  const f = pp.top;
  const toks = f.toks;
  let depth = 0;
  let i = f.pos;
  for (; ; i++) {
    const t = toks[i];
    if (t.kind === "eof") break;
    if (!t.atLineStart || t.text !== "#" || t.kind !== "punct") continue;
    const d = toks[i + 1];
    if (d.atLineStart || d.kind !== "ident") continue;
    const name = d.text;
    if (name === "if" || name === "ifdef" || name === "ifndef") depth++;
    else if (name === "endif") {
      if (depth === 0) break;
      depth--;
    } else if ((name === "elif" || name === "else") && depth === 0) break;
  }
  f.pos = i;
  if (i > f.file!.problemAt) pp.reportProblems(f, i, false);
}

export function undef(pp: Preprocessor, toks: Token[], a: number, end: number, name: Token): void {
  const id = macroNameOperand(pp, toks, a, end, name);
  if (!pp.top.file!.builtin) pp.pristine = null;
  if (id !== undefined) ownMacros(pp).delete(id);
}

export function define(
  pp: Preprocessor,
  hash: Token,
  toks: Token[],
  a: number,
  end: number,
  cacheable: boolean,
): void {
  if (!cacheable) pp.pristine = null;
  let macro: Macro | null | undefined = cacheable ? builtinDefines.get(hash) : undefined;
  if (macro === undefined) {
    macro = parseDefine(pp, toks, a, end, hash);
    if (cacheable) builtinDefines.set(hash, macro);
  }
  if (macro === null) return;
  const old = pp.macros.get(macro.name);
  if (old && !sameDefinition(old, macro)) {
    pp.diags.warning(toks[a].loc, `"${macro.name}" redefined`);
  }
  ownMacros(pp).set(macro.name, macro);
}

/** The macro table, copied first if it is shared. */
export function ownMacros(pp: Preprocessor): Map<string, Macro> {
  if (pp.macrosShared) {
    pp.macros = new Map(pp.macros);
    pp.macrosShared = false;
  }
  return pp.macros;
}

export function parseDefine(
  pp: Preprocessor,
  toks: Token[],
  a: number,
  end: number,
  hash: Token,
): Macro | null {
  if (a >= end) {
    pp.diags.error(hash.loc, "no macro name given in #define directive");
    return null;
  }
  const nameTok = toks[a];
  if (nameTok.kind !== "ident") {
    pp.diags.error(nameTok.loc, "macro names must be identifiers");
    return null;
  }
  if (nameTok.text === "defined") {
    pp.diags.error(nameTok.loc, '"defined" cannot be used as a macro name');
    return null;
  }
  let i = a + 1;
  let params: string[] | null = null;
  let variadic = false;
  if (i < end && toks[i].text === "(" && !toks[i].hasSpace) {
    params = [];
    i++;
    for (;;) {
      const t = i < end ? toks[i] : undefined;
      if (t?.text === ")" && params.length === 0) {
        i++;
        break;
      }
      if (t?.text === "...") {
        variadic = true;
        params.push("__VA_ARGS__");
        i++;
      } else if (t?.kind === "ident") {
        if (params.includes(t.text)) {
          pp.diags.error(t.loc, `duplicate macro parameter "${t.text}"`);
          return null;
        }
        params.push(t.text);
        i++;
        if (i < end && toks[i].text === "...") {
          variadic = true; // GNU named variadic parameter
          i++;
        }
      } else {
        pp.diags.error((t ?? nameTok).loc, `expected parameter name, found ${describe(t)}`);
        return null;
      }
      const sep = i < end ? toks[i] : undefined;
      if (sep?.text === ")") {
        i++;
        break;
      }
      if (sep?.text !== "," || variadic) {
        pp.diags.error(
          (sep ?? toks[i - 1]).loc,
          variadic ? "expected ')' after \"...\"" : `expected ',' or ')', found ${describe(sep)}`,
        );
        return null;
      }
      i++;
    }
  }
  if (params === null && end === i + 1 && toks[i].kind === "packed") {
    return {
      name: nameTok.text,
      params,
      variadic,
      body: [],
      paramAt: [],
      hasOperators: false,
      self: new Set([nameTok.text]),
      packed: toks[i].packed,
    };
  }
  const body = toks.slice(i, end);
  const paramAt: number[] = [];
  let hasOperators = false;
  for (let k = 0; k < body.length; k++) {
    const t = body[k];
    paramAt.push(params && t.kind === "ident" ? params.indexOf(t.text) : -1);
    if (t.kind !== "punct") continue;
    if (t.text === "##") {
      hasOperators = true;
      if (k === 0 || k === body.length - 1) {
        pp.diags.error(t.loc, "'##' cannot appear at either end of a macro expansion");
        return null;
      }
    } else if (t.text === "#" && params) {
      hasOperators = true;
      const operand = body[k + 1];
      if (operand?.kind !== "ident" || !params.includes(operand.text)) {
        pp.diags.error(t.loc, "'#' is not followed by a macro parameter");
        return null;
      }
    }
  }
  return {
    name: nameTok.text,
    params,
    variadic,
    body,
    paramAt,
    hasOperators,
    self: new Set([nameTok.text]),
  };
}

export function include(
  pp: Preprocessor,
  toks: Token[],
  a: number,
  end: number,
  directive: Token,
): void {
  let line = toks.slice(a, end);
  if (line.length > 0 && line[0].kind !== "str" && line[0].text !== "<") {
    line = pp.expandList(line); // #include MACRO
  }
  const first = line[0];
  let name: string;
  let angled = false;
  let rest: number;
  if (first?.kind === "str" && first.text.startsWith('"')) {
    name = first.text.slice(1, -1);
    rest = 1;
  } else if (first?.text === "<") {
    let k = 1;
    name = "";
    while (k < line.length && line[k].text !== ">") {
      if (k > 1 && line[k].hasSpace) name += " ";
      name += line[k].text;
      k++;
    }
    if (k === line.length) {
      pp.diags.error(first.loc, "missing terminating > character");
      return;
    }
    angled = true;
    rest = k + 1;
  } else {
    pp.diags.error((first ?? directive).loc, '#include expects "FILENAME" or <FILENAME>');
    return;
  }
  if (rest < line.length) {
    pp.diags.warning(line[rest].loc, "extra tokens at end of #include directive");
  }
  if (pp.pragmaOnce.has(name)) return;

  const depth = pp.top.file!.includeDepth + 1;
  if (depth > pp.limits.maxIncludeDepth) {
    pp.diags.fatal(
      directive.loc,
      `#include nested depth ${depth} exceeds maximum of ${pp.limits.maxIncludeDepth}`,
    );
  }
  let lexed: LexedFile | undefined;
  let builtin = false;
  const user = pp.ctx.includes[name];
  if (angled || user === undefined) {
    lexed = builtinLex(name, pp.limits);
    builtin = lexed !== undefined;
  }
  if (!lexed && user !== undefined) {
    lexed = pp.lexedFiles.get(name);
    if (!lexed) {
      lexed = pp.lexUserFile(name, user);
      pp.lexedFiles.set(name, lexed);
    }
  }
  if (!lexed) {
    pp.diags.error(first.loc, `'${name}' file not found`);
    return;
  }
  const guard = includeGuard(lexed);
  if (guard && pp.macros.has(guard)) return;
  const record =
    builtin && pp.pristine !== null && pp.recording === null && depth === 1
      ? `${pp.pristine}<${name}>`
      : undefined;
  if (record !== undefined) {
    const recorded = headerReplays.get(record);
    if (recorded && replay(pp, recorded)) {
      pp.pristine = record;
      return;
    }
    pp.recording = {
      key: record,
      frame: pp.top, // replaced below by the header's frame
      outStart: pp.out.length,
      expansions: pp.expansions,
      expandedTokens: pp.expandedTokens,
      includedTokens: pp.includedTokens,
      diagnostics: pp.diags.list.length,
      pragmaOnce: pp.pragmaOnce.size,
    };
    pp.out.keep(pp.out.length);
  }
  pp.includedTokens += lexed.tokenCount + 1;
  if (pp.includedTokens > pp.tokenLimit * 4) {
    pp.diags.fatal(directive.loc, "too much input through #include");
  }
  pp.pushFile(name, lexed, depth, builtin);
  if (record !== undefined) pp.recording!.frame = pp.top;
}

/** Applies a recorded header inclusion; false if it would cross a limit (then include it). */
function replay(pp: Preprocessor, r: HeaderReplay): boolean {
  const limits = pp.limits;
  if (
    pp.out.length + r.tokens.length > pp.tokenLimit ||
    pp.expansions + r.expansions + pp.expandedTokens + r.expandedTokens > limits.maxMacroWork ||
    pp.includedTokens + r.includedTokens > pp.tokenLimit * 4
  ) {
    return false;
  }
  pp.macros = r.macros;
  pp.macrosShared = true;
  for (const t of r.tokens) pp.out.push(t);
  pp.expansions += r.expansions;
  pp.expandedTokens += r.expandedTokens;
  pp.includedTokens += r.includedTokens;
  return true;
}

/** The recorded header has ended: keep its effect if it is a pure function of the key. */
export function finishRecording(pp: Preprocessor): void {
  const r = pp.recording!;
  pp.recording = null;
  pp.out.keep(-1); // (read only by `take`, after this)
  if (
    pp.pristine === null ||
    pp.limitHit ||
    pp.diags.list.length !== r.diagnostics ||
    pp.pragmaOnce.size !== r.pragmaOnce
  ) {
    pp.pristine = null;
    return;
  }
  const tokens = pp.out.slice(r.outStart);
  // A string literal at either end could join with the includer's (see `emit`).
  for (const t of tokens) {
    if (t.kind === "str") {
      pp.pristine = null;
      return;
    }
  }
  for (const t of tokens) Object.freeze(t);
  pp.macrosShared = true;
  headerReplays.set(r.key, {
    macros: pp.macros,
    tokens,
    expansions: pp.expansions - r.expansions,
    expandedTokens: pp.expandedTokens - r.expandedTokens,
    includedTokens: pp.includedTokens - r.includedTokens,
  });
  pp.pristine = r.key;
}

// --- macro expansion -----------------------------------------------------------------------

function spell(toks: Token[], a: number, end: number): string {
  let s = "";
  for (let i = a; i < end; i++) {
    if (i > a && toks[i].hasSpace) s += " ";
    s += toks[i].text;
  }
  return s;
}

function describe(t: Token | undefined): string {
  return t === undefined ? "end of line" : `"${t.text}"`;
}
