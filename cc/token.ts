// Tokens shared by the lexer, the preprocessor and the parser.

import type { DataRun } from "./data-run.ts";
import type { Loc } from "./diagnostics.ts";
import type { PackedBody } from "./packed-body.ts";

export type TokenKind =
  | "ident" // identifiers and keywords (the parser tells them apart)
  | "punct" // operators and punctuation: + ++ += -> ... # ## etc.
  | "num" // a preprocessing number; the parser converts it (see `parseNumber`)
  | "char" // character constant, text includes quotes; `value` holds the code
  | "str" // string literal, text includes quotes; `bytes` holds the decoded contents
  | "eof"
  | "run" // a data run (data-run.ts): many num/char/`, { } - +` tokens in typed arrays
  | "packed"; // a long object-like macro's body in typed arrays (packed-body.ts)

export interface Token {
  kind: TokenKind;
  /** Spelling as written (after line splicing). */
  text: string;
  loc: Loc;
  /** First token on its line (the preprocessor needs it for directives). */
  atLineStart: boolean;
  /** Preceded by white space (for stringizing and macro definitions). */
  hasSpace: boolean;
  /** For "char": the character's value (already sign-adjusted as a C `int`). */
  value?: number;
  /** For "str": decoded bytes without the terminating NUL; `wide` prefixes are not supported. */
  bytes?: Uint8Array;
  /** Macro names this token was produced by (the preprocessor's "hide set"). */
  hideset?: ReadonlySet<string>;
  /** The preprocessor's latest copy of this token with another spacing or hide set (a cache). */
  recolored?: Token;
  /** For "packed": the body; `loc` and `hasSpace` are its first token's. */
  packed?: PackedBody;
  /** For "run": the run; `text`, `loc` and the flags are its first token's. */
  run?: DataRun;
}
