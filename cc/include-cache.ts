// Process-wide caches of the preprocessor: built-in headers are lexed once, their #define
// directives parsed once, include guards found once, and a header's whole effect recorded for
// replay. Cached tokens are frozen: every compilation shares them.

import { allHeaders } from "./headers.ts";
import { type LexedFile, lex } from "./lexer.ts";
import type { CompileLimits } from "./limits.ts";
import type { Macro } from "./macro.ts";
import type { Token } from "./token.ts";

/** Tokens of built-in headers, lexed once. */
export const builtinLexed = new Map<string, LexedFile>();
/** Macros defined by directives in built-in headers, keyed by the directive's `#` token. */
export const builtinDefines = new WeakMap<Token, Macro | null>();
/** Include-guard macro of a lexed file (null: the file has no guard). */
export const guardOf = new WeakMap<LexedFile, string | null>();

/**
 * The effect of including a built-in header when every macro so far came from the predefined
 * set and built-in headers: then the state is a function of the headers included so far (the
 * key, e.g. "<stddef.h><stdint.h>"), and so is the header's effect. Replaying it skips the
 * header's directives, which cost more than a small plugin's own preprocessing.
 */
export interface HeaderReplay {
  /** The whole macro table afterwards. */
  macros: Map<string, Macro>;
  /** The tokens the header emitted (frozen). */
  tokens: Token[];
  expansions: number;
  expandedTokens: number;
  includedTokens: number;
}
export const headerReplays = new Map<string, HeaderReplay>();

export function builtinLex(name: string, limits: CompileLimits): LexedFile | undefined {
  let lexed = builtinLexed.get(name);
  if (lexed) return lexed;
  const text = allHeaders[name];
  if (text === undefined) return undefined;
  lexed = lex(text, name, limits);
  for (const t of lexed.tokens) Object.freeze(t);
  builtinLexed.set(name, lexed);
  return lexed;
}

/** The guard macro X of a file wholly wrapped in `#ifndef X ... #endif`, or null. */
export function includeGuard(lexed: LexedFile): string | null {
  let guard = guardOf.get(lexed);
  if (guard !== undefined) return guard;
  guard = findIncludeGuard(lexed.tokens);
  guardOf.set(lexed, guard);
  return guard;
}

export function findIncludeGuard(toks: Token[]): string | null {
  if (toks.length < 4) return null;
  const [hash, ifndef, name] = toks;
  if (hash.text !== "#" || ifndef.text !== "ifndef" || ifndef.atLineStart) return null;
  if (name.kind !== "ident" || name.atLineStart || !toks[3].atLineStart) return null;
  let depth = 0;
  for (let i = 3; i < toks.length - 1; i++) {
    const t = toks[i];
    if (!t.atLineStart || t.text !== "#" || t.kind !== "punct") continue;
    const d = toks[i + 1];
    if (d.atLineStart || d.kind !== "ident") continue;
    if (d.text === "if" || d.text === "ifdef" || d.text === "ifndef") depth++;
    else if (d.text === "elif" || d.text === "else") {
      if (depth === 0) return null;
    } else if (d.text === "endif") {
      if (depth > 0) {
        depth--;
        continue;
      }
      // The guard's #endif must end the file.
      return toks[i + 2].kind === "eof" ? name.text : null;
    }
  }
  return null;
}
