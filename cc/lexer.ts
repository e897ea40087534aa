// The lexer: source text to preprocessing tokens in one pass (model: chibicc's tokenize.c).
// Keywords come out as "ident" and numbers as raw pp-numbers; the parser tells them apart.

import { runToken, scanRun } from "./data-run.ts";
import type { DiagnosticSink, Loc, Severity } from "./diagnostics.ts";
import { extendedIdentChar } from "./identifier-chars.ts";
import type { CompileLimits } from "./limits.ts";
import {
  IDENT as PACKED_IDENT,
  NUM as PACKED_NUM,
  PUNCT as PACKED_PUNCT,
  PackedBodyBuilder,
  packedBodySettings,
} from "./packed-body.ts";
import type { Token, TokenKind } from "./token.ts";

/**
 * A problem found while lexing. `deferrable` ones belong to a token (`index`) and only matter
 * if that token is not in a group skipped by #if; the preprocessor reports them when it reaches
 * the token. The others (file too large, unterminated comment) always stand. An invalid
 * character is reported only if it reaches the output (it may be stringized away), see
 * `isInvalidCharToken`.
 */
export interface LexProblem {
  index: number;
  loc: Loc;
  severity: Severity;
  message: string;
  deferrable: boolean;
  invalidChar?: boolean;
}

export interface LexedFile {
  tokens: Token[];
  problems: LexProblem[];
  /** Tokens without the final "eof", each token of a data run counted (see data-run.ts). */
  tokenCount: number;
}

/** Tokenizes one file, reporting every problem to `diags`. The result ends with an "eof". */
export function tokenize(
  text: string,
  file: string,
  diags: DiagnosticSink,
  limits: CompileLimits,
): Token[] {
  const { tokens, problems } = lex(text, file, limits);
  for (const p of problems) {
    if (p.severity === "error") diags.error(p.loc, p.message);
    else diags.warning(p.loc, p.message);
  }
  return tokens;
}

/** Tokenizes one file and returns the problems instead of reporting them. */
export function lex(text: string, file: string, limits: CompileLimits): LexedFile {
  const problems: LexProblem[] = [];
  const size = sourceBytes(text, limits.maxSourceBytes);
  if (size > limits.maxSourceBytes) {
    const loc = { file, line: 1, col: 1 };
    problems.push({
      index: 0,
      loc,
      severity: "error",
      message: `source file too large (${size} bytes; limit ${limits.maxSourceBytes})`,
      deferrable: false,
    });
    return { tokens: [makeToken("eof", "", loc, true, false)], problems, tokenCount: 0 };
  }
  if (text.indexOf("\r") >= 0) text = text.replace(/\r\n?/g, "\n");
  if (text.indexOf("\\\n") >= 0) text = removeLineSplices(text);
  return new Lexer(text, file, limits, problems).run();
}

/** UTF-8 size of `text`, computed exactly only when the cheap bounds cannot decide. */
function sourceBytes(text: string, limit: number): number {
  if (text.length > limit) return Buffer.byteLength(text, "utf8");
  if (text.length * 3 <= limit) return text.length;
  return Buffer.byteLength(text, "utf8");
}

/**
 * Deletes backslash-newline pairs. Like chibicc, the deleted newlines are put back after the
 * next real newline so that later lines keep their line numbers.
 */
function removeLineSplices(text: string): string {
  const parts: string[] = [];
  let pos = 0;
  let pending = 0;
  for (;;) {
    const splice = text.indexOf("\\\n", pos);
    const segmentEnd = splice < 0 ? text.length : splice;
    while (pending > 0) {
      const nl = text.indexOf("\n", pos);
      if (nl < 0 || nl >= segmentEnd) break;
      parts.push(text.slice(pos, nl + 1), "\n".repeat(pending));
      pending = 0;
      pos = nl + 1;
    }
    parts.push(text.slice(pos, segmentEnd));
    if (splice < 0) break;
    pending++;
    pos = splice + 2;
  }
  if (pending > 0) parts.push("\n".repeat(pending));
  return parts.join("");
}

export function makeToken(
  kind: TokenKind,
  text: string,
  loc: Loc,
  atLineStart: boolean,
  hasSpace: boolean,
  value?: number,
  bytes?: Uint8Array,
): Token {
  // Every token gets every property, in one order, so that V8 sees a single object shape.
  return {
    kind,
    text,
    loc,
    atLineStart,
    hasSpace,
    value,
    bytes,
    hideset: undefined,
    recolored: undefined,
  };
}

// Character classes for the ASCII range.
const IDENT_START = 1;
const IDENT_CONT = 2;
const DIGIT = 4;
const HEX = 8;
/** Characters a data run can start with (data-run.ts decides whether one does). */
const RUN_START = 16;
const charClass = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[0-9.,{}+\-']/.test(ch)) charClass[c] |= RUN_START;
  if (/[A-Za-z_$]/.test(ch)) charClass[c] |= IDENT_START | IDENT_CONT;
  if (/[0-9]/.test(ch)) charClass[c] |= IDENT_CONT | DIGIT;
  if (/[0-9A-Fa-f]/.test(ch)) charClass[c] |= HEX;
}

function isIdentCont(c: number): boolean {
  return c < 128 && (charClass[c] & IDENT_CONT) !== 0;
}

// Reused buffer for decoding string and character literals.
let scratch = new Uint8Array(256);

class Lexer {
  private pos = 0;
  private line = 1;
  private lineStart = 0;
  private readonly tokens: Token[] = [];
  private byteLength = 0;
  /** Tokens inside data runs beyond the one token that stands for each run. */
  private runExtra = 0;
  /** No data run starts before this offset (a scan from here already failed). */
  private noRunBefore = 0;

  constructor(
    private readonly text: string,
    private readonly file: string,
    private readonly limits: CompileLimits,
    private readonly problems: LexProblem[],
  ) {}

  run(): LexedFile {
    const text = this.text;
    const n = text.length;
    let atLineStart = true;
    let hasSpace = false;
    // A directive's line never holds a data run: directives read their tokens one by one.
    let directiveLine = false;
    // Progress through `# define NAME` (1: after `#`, 2: after `define`), see `packBody`.
    let defineStep = 0;
    while (this.pos < n) {
      const c = text.charCodeAt(this.pos);
      if (c === 10) {
        this.pos++;
        this.line++;
        this.lineStart = this.pos;
        atLineStart = true;
        hasSpace = false;
        directiveLine = false;
        // `#` or `#define` ending its line: the next line is no directive's.
        defineStep = 0;
        continue;
      }
      if (this.skipBlank(c)) {
        hasSpace = true;
        continue;
      }
      if (c < 128 && charClass[c] & RUN_START && this.pos >= this.noRunBefore && !directiveLine) {
        const r = scanRun(
          text,
          this.file,
          this.pos,
          this.line,
          this.lineStart,
          atLineStart,
          hasSpace,
        );
        if (typeof r === "number") {
          this.noRunBefore = r;
        } else {
          this.tokens.push(runToken(r.run));
          this.runExtra += r.run.count - 1;
          this.pos = r.pos;
          this.line = r.line;
          this.lineStart = r.lineStart;
          atLineStart = false;
          hasSpace = false;
          continue;
        }
      }
      const tok = this.readToken(c, atLineStart, hasSpace);
      if (atLineStart && tok.kind === "punct" && tok.text === "#") {
        directiveLine = true;
        defineStep = 1;
      } else if (defineStep === 1 && tok.kind === "ident" && tok.text === "define") {
        defineStep = 2;
      } else if (defineStep === 2 && tok.kind === "ident" && text.charCodeAt(this.pos) !== 40) {
        // `#define NAME` of an object-like macro: its body may be packed.
        this.tokens.push(tok);
        const packed = this.packBody();
        if (packed !== null) this.tokens.push(packed);
        defineStep = 0;
        atLineStart = false;
        hasSpace = false;
        continue;
      } else {
        defineStep = 0;
      }
      this.tokens.push(tok);
      atLineStart = false;
      hasSpace = false;
    }
    this.tokens.push(makeToken("eof", "", this.here(), true, hasSpace));
    const tokenCount = this.tokens.length - 1 + this.runExtra;
    return { tokens: this.tokens, problems: this.problems, tokenCount };
  }

  /**
   * Lexes the rest of a `#define NAME` line as a packed body (packed-body.ts) and returns the
   * one token that stands for it, or returns null with nothing consumed when the body is short
   * or holds a token a packed body cannot (then it is lexed as usual).
   */
  private packBody(): Token | null {
    const text = this.text;
    const n = text.length;
    const pos = this.pos;
    const line = this.line;
    const lineStart = this.lineStart;
    const problems = this.problems.length;
    const body = new PackedBodyBuilder();
    // The packed token takes its first token's place and spacing.
    let firstLoc: Loc | null = null;
    let firstSpace = false;
    let hasSpace = false;
    let packable = true;
    while (this.pos < n) {
      const c = text.charCodeAt(this.pos);
      if (c === 10) break;
      if (this.skipBlank(c)) {
        hasSpace = true;
        continue;
      }
      const start = this.pos;
      // Identifiers, numbers and punctuators are scanned without making a token (as
      // `readToken` would scan them); anything else goes through `readToken`.
      const cls = c < 128 ? charClass[c] : 0;
      let code = -1;
      let i = start + 1;
      if (cls & IDENT_START) {
        while (i < n && isIdentCont(text.charCodeAt(i))) i++;
        const q = text.charCodeAt(i);
        if (!(q >= 0x80 || q === 92 || q === 34 || q === 39)) code = PACKED_IDENT;
      } else if (cls & DIGIT || (c === 46 && isDigit(text.charCodeAt(start + 1)))) {
        for (;;) {
          const d = text.charCodeAt(i);
          if ((d === 43 || d === 45) && isExponentChar(text.charCodeAt(i - 1))) i++;
          else if (isIdentCont(d) || d === 46) i++;
          else break;
        }
        code = PACKED_NUM;
      } else if (c !== 34 && c !== 39 && c !== 35) {
        const punct = this.readPunct(c);
        if (punct !== undefined) {
          code = PACKED_PUNCT;
          i = start + punct.length;
        }
      }
      if (code >= 0) {
        if (body.count === 0) {
          firstLoc = this.locAt(start);
          firstSpace = hasSpace;
        }
        body.addRaw(code, start, i, hasSpace, this.line, start - this.lineStart + 1);
        this.pos = i;
        hasSpace = false;
        continue;
      }
      const tok = this.readToken(c, false, hasSpace);
      hasSpace = false;
      if (body.count === 0) {
        firstLoc = tok.loc;
        firstSpace = tok.hasSpace;
      }
      if (this.problems.length !== problems || !body.add(tok, text, start, this.pos)) {
        packable = false;
        break;
      }
    }
    if (
      !packable ||
      this.problems.length !== problems ||
      body.count < packedBodySettings.minTokens
    ) {
      this.pos = pos;
      this.line = line;
      this.lineStart = lineStart;
      this.problems.length = problems;
      return null;
    }
    const tok = makeToken("packed", "", firstLoc!, false, firstSpace);
    tok.packed = body.finish(text, this.file);
    this.runExtra += body.count - 1;
    return tok;
  }

  /**
   * Skips the white-space character or the comment that starts at `pos` (`c` is its first
   * character; a line comment stops before its newline). False if neither starts there.
   */
  private skipBlank(c: number): boolean {
    if (c === 32 || c === 9 || c === 12 || c === 11 || c === 13) {
      this.pos++;
      return true;
    }
    if (c !== 47) return false;
    const d = this.text.charCodeAt(this.pos + 1);
    if (d === 47) {
      const nl = this.text.indexOf("\n", this.pos + 2);
      this.pos = nl < 0 ? this.text.length : nl;
      return true;
    }
    if (d === 42) {
      this.skipBlockComment();
      return true;
    }
    return false;
  }

  private here(): Loc {
    return { file: this.file, line: this.line, col: this.pos - this.lineStart + 1 };
  }

  private locAt(pos: number): Loc {
    return { file: this.file, line: this.line, col: pos - this.lineStart + 1 };
  }

  private problem(loc: Loc, message: string, severity: Severity = "error", deferrable = true) {
    this.problems.push({ index: this.tokens.length, loc, severity, message, deferrable });
  }

  private skipBlockComment(): void {
    const text = this.text;
    const start = this.here();
    const end = text.indexOf("*/", this.pos + 2);
    const stop = end < 0 ? text.length : end + 2;
    for (let nl = text.indexOf("\n", this.pos); nl >= 0 && nl < stop; ) {
      this.line++;
      this.lineStart = nl + 1;
      nl = text.indexOf("\n", nl + 1);
    }
    this.skipSurrogates(this.pos, stop);
    this.pos = stop;
    if (end < 0) this.problem(start, "unterminated comment", "error", false);
  }

  /** Keeps columns in characters: each surrogate pair in [from, to) on this line counts once. */
  private skipSurrogates(from: number, to: number): void {
    const text = this.text;
    for (let i = Math.max(from, this.lineStart); i < to; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff) this.lineStart++;
    }
  }

  private readToken(c: number, atLineStart: boolean, hasSpace: boolean): Token {
    const text = this.text;
    const start = this.pos;
    const loc = this.locAt(start);
    const cls = c < 128 ? charClass[c] : 0;

    if (cls & IDENT_START || ((c >= 0x80 || c === 92) && extendedIdentChar(text, start, true))) {
      let i = start + (cls & IDENT_START ? 1 : 0);
      while (i < text.length && isIdentCont(text.charCodeAt(i))) i++;
      if (i === start || text.charCodeAt(i) >= 0x80 || text.charCodeAt(i) === 92) {
        return this.readExtendedIdent(start, loc, atLineStart, hasSpace);
      }
      const q = text.charCodeAt(i);
      if (q === 34 || q === 39) {
        const prefix = text.slice(start, i);
        if (prefix === "u8" && q === 34) {
          this.pos = i;
          const tok = this.readQuoted(34, loc, atLineStart, hasSpace);
          tok.text = prefix + tok.text;
          return tok;
        }
        if ((prefix === "L" || prefix === "u" || prefix === "U") && q === 39) {
          // A wide character constant: the code point (wchar_t is a 32-bit int on i386).
          this.pos = i;
          this.wideQuote = true;
          this.wideUnit = prefix === "u" ? 2 : 4;
          const tok = this.readQuoted(q, loc, atLineStart, hasSpace);
          this.wideQuote = false;
          tok.text = prefix + tok.text;
          tok.value = this.wideCharValue(prefix === "L");
          this.wideUnit = 0;
          return tok;
        }
        if ((prefix === "L" || prefix === "u" || prefix === "U") && q === 34) {
          // A wide string literal: its bytes are the little-endian code units; `value` is the
          // prefix's character code (see wide-strings.ts).
          this.pos = i;
          this.wideUnit = prefix === "u" ? 2 : 4;
          const tok = this.readQuoted(q, loc, atLineStart, hasSpace);
          this.wideUnit = 0;
          tok.text = prefix + tok.text;
          tok.value = prefix.charCodeAt(0);
          return tok;
        }
      }
      this.pos = i;
      return makeToken("ident", text.slice(start, i), loc, atLineStart, hasSpace);
    }

    if (cls & DIGIT || (c === 46 && isDigit(text.charCodeAt(start + 1)))) {
      let i = start + 1;
      for (;;) {
        const d = text.charCodeAt(i);
        if ((d === 43 || d === 45) && isExponentChar(text.charCodeAt(i - 1))) i++;
        else if (isIdentCont(d) || d === 46) i++;
        else break;
      }
      this.pos = i;
      return makeToken("num", text.slice(start, i), loc, atLineStart, hasSpace);
    }

    if (c === 34 || c === 39) return this.readQuoted(c, loc, atLineStart, hasSpace);

    const punct = this.readPunct(c);
    if (punct !== undefined) {
      this.pos += punct.length;
      return makeToken("punct", punct, loc, atLineStart, hasSpace);
    }

    // Anything else is not C. Keep it as a one-character token so the problem is reported
    // only if the preprocessor does not skip it.
    const wide = c >= 0xd800 && c <= 0xdbff && start + 1 < text.length;
    const spelling = text.slice(start, start + (wide ? 2 : 1));
    if (wide) this.lineStart++;
    this.pos = start + (wide ? 2 : 1);
    this.problems.push({
      index: this.tokens.length,
      loc,
      severity: "error",
      message: invalidCharMessage(spelling),
      deferrable: true,
      invalidChar: true,
    });
    return makeToken("punct", spelling, loc, atLineStart, hasSpace);
  }

  /** An identifier with characters beyond ASCII (C11 6.4.2.1): universal character names are
   *  stored as the characters they name, so `\u03C0` and `π` are the same identifier. */
  private readExtendedIdent(start: number, loc: Loc, atLineStart: boolean, hasSpace: boolean) {
    const text = this.text;
    let name = "";
    let i = start;
    for (;;) {
      const c = text.charCodeAt(i);
      if (isIdentCont(c) && (i > start || !isDigit(c))) {
        name += text[i];
        i++;
        continue;
      }
      const ext = extendedIdentChar(text, i, i === start);
      if (!ext) break;
      name += String.fromCodePoint(ext.cp);
      if (ext.length === 2 && c !== 92) this.lineStart++; // a surrogate pair is one column
      i += ext.length;
    }
    this.pos = i;
    return makeToken("ident", name, loc, atLineStart, hasSpace);
  }

  private readPunct(c: number): string | undefined {
    const text = this.text;
    const d = text.charCodeAt(this.pos + 1);
    switch (c) {
      case 40:
        return "(";
      case 41:
        return ")";
      case 91:
        return "[";
      case 93:
        return "]";
      case 123:
        return "{";
      case 125:
        return "}";
      case 59:
        return ";";
      case 44:
        return ",";
      case 126:
        return "~";
      case 63:
        return "?";
      case 58:
        return ":";
      case 46:
        return d === 46 && text.charCodeAt(this.pos + 2) === 46 ? "..." : ".";
      case 45:
        return d === 62 ? "->" : d === 45 ? "--" : d === 61 ? "-=" : "-";
      case 43:
        return d === 43 ? "++" : d === 61 ? "+=" : "+";
      case 38:
        return d === 38 ? "&&" : d === 61 ? "&=" : "&";
      case 124:
        return d === 124 ? "||" : d === 61 ? "|=" : "|";
      case 42:
        return d === 61 ? "*=" : "*";
      case 47:
        return d === 61 ? "/=" : "/";
      case 37:
        return d === 61 ? "%=" : "%";
      case 94:
        return d === 61 ? "^=" : "^";
      case 61:
        return d === 61 ? "==" : "=";
      case 33:
        return d === 61 ? "!=" : "!";
      case 60:
        if (d === 60) return text.charCodeAt(this.pos + 2) === 61 ? "<<=" : "<<";
        return d === 61 ? "<=" : "<";
      case 62:
        if (d === 62) return text.charCodeAt(this.pos + 2) === 61 ? ">>=" : ">>";
        return d === 61 ? ">=" : ">";
      case 35:
        return d === 35 ? "##" : "#";
      default:
        return undefined;
    }
  }

  /** A string literal or character constant; `this.pos` is at the opening quote. */
  private readQuoted(quote: number, loc: Loc, atLineStart: boolean, hasSpace: boolean): Token {
    const text = this.text;
    const start = this.pos;
    const isString = quote === 34;
    this.byteLength = 0;
    let i = start + 1;
    let terminated = false;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === quote) {
        terminated = true;
        i++;
        break;
      }
      if (c === 10) break;
      if (c === 92) {
        i = this.readEscape(i);
      } else if (c < 0x80) {
        this.pushByte(c);
        i++;
      } else {
        i = this.pushUtf8(i);
      }
    }
    this.pos = i;
    const spelling = text.slice(start, i);
    if (!terminated) {
      this.problem(loc, `missing terminating ${isString ? '"' : "'"} character`);
    }
    if (isString) {
      if (this.byteLength > this.limits.maxStringBytes) {
        this.problem(
          loc,
          `string literal too long (${this.byteLength} bytes; limit ${this.limits.maxStringBytes})`,
        );
      }
      const bytes = scratch.slice(0, this.byteLength);
      return makeToken("str", spelling, loc, atLineStart, hasSpace, undefined, bytes);
    }
    return makeToken("char", spelling, loc, atLineStart, hasSpace, this.charValue(loc, terminated));
  }

  /** Reading a wide character constant (its value is a code unit, not multi-character). */
  private wideQuote = false;
  /** Reading a wide literal or character constant: the bytes of each code unit (2 or 4), 0 for
   *  a narrow one. */
  private wideUnit = 0;

  /**
   * The value of a wide character constant: its last code unit, as gcc takes it (the bytes
   * are little-endian units; escapes go up to the unit's width: `L'\xffffffff'` is -1 in
   * wchar_t, `U'\xffffffff'` 4294967295 in char32_t).
   */
  private wideCharValue(signed: boolean): number {
    const b = scratch;
    const at = this.byteLength - this.wideUnit;
    if (at < 0) return 0;
    if (this.wideUnit === 2) return b[at]! | (b[at + 1]! << 8);
    const unit = b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24);
    return signed ? unit : unit >>> 0;
  }

  /** The value of a character constant from the decoded bytes, as gcc computes it. */
  private charValue(loc: Loc, terminated: boolean): number {
    const n = this.byteLength;
    if (this.wideQuote) return 0; // wideCharValue decides
    if (n === 0) {
      if (terminated) this.problem(loc, "empty character constant");
      return 0;
    }
    if (n === 1) return (scratch[0] << 24) >> 24;
    if (terminated) this.problem(loc, "multi-character character constant", "warning");
    let value = 0;
    for (let k = 0; k < n; k++) value = (value << 8) | scratch[k];
    return value | 0;
  }

  /** Decodes the escape sequence at `i` (the backslash); returns the index after it. */
  private readEscape(i: number): number {
    const text = this.text;
    const c = text.charCodeAt(i + 1);
    switch (c) {
      case 110:
        this.pushByte(10);
        return i + 2;
      case 116:
        this.pushByte(9);
        return i + 2;
      case 114:
        this.pushByte(13);
        return i + 2;
      case 97:
        this.pushByte(7);
        return i + 2;
      case 98:
        this.pushByte(8);
        return i + 2;
      case 102:
        this.pushByte(12);
        return i + 2;
      case 118:
        this.pushByte(11);
        return i + 2;
      case 101: // \e, a GNU extension
        this.pushByte(27);
        return i + 2;
      case 92:
      case 39:
      case 34:
      case 63:
        this.pushByte(c);
        return i + 2;
      case 120: {
        let j = i + 2;
        let value = 0;
        let overflow = false;
        while (j < text.length && isHexDigit(text.charCodeAt(j))) {
          value = value * 16 + hexValue(text.charCodeAt(j));
          if (value > this.escapeMax()) overflow = true;
          if (value > 0xffffffff) value %= 0x100000000;
          j++;
        }
        if (j === i + 2) {
          this.problem(this.locAt(i), "\\x used with no following hex digits");
        } else if (overflow) {
          this.problem(this.locAt(i), "hex escape sequence out of range", "warning");
        }
        this.pushByte(value & this.escapeMax());
        return j;
      }
      case 117:
      case 85:
        return this.readUniversalChar(i, c === 117 ? 4 : 8);
      default: {
        if (c >= 48 && c <= 55) {
          let j = i + 1;
          let value = 0;
          while (j < i + 4 && j < text.length) {
            const d = text.charCodeAt(j);
            if (d < 48 || d > 55) break;
            value = value * 8 + (d - 48);
            j++;
          }
          if (value > this.escapeMax()) {
            this.problem(this.locAt(i), "octal escape sequence out of range", "warning");
          }
          this.pushByte(value & this.escapeMax());
          return j;
        }
        if (i + 1 >= text.length || c === 10) {
          // A backslash at the end of the line: the literal is unterminated anyway.
          return i + 1;
        }
        const ch = String.fromCodePoint(text.codePointAt(i + 1)!);
        this.problem(this.locAt(i), `unknown escape sequence: '\\${ch}'`, "warning");
        if (c >= 0x80) return this.pushUtf8(i + 1);
        this.pushByte(c);
        return i + 2;
      }
    }
  }

  private readUniversalChar(i: number, digits: number): number {
    const text = this.text;
    let value = 0;
    let j = i + 2;
    for (; j < i + 2 + digits; j++) {
      const d = text.charCodeAt(j);
      if (!isHexDigit(d)) break;
      value = value * 16 + hexValue(d);
    }
    if (j < i + 2 + digits || value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) {
      this.problem(this.locAt(i), "invalid universal character name");
      return j;
    }
    this.pushCodePoint(value);
    return j;
  }

  /** The largest value a numeric escape can give one unit of the literal being read. */
  private escapeMax(): number {
    return this.wideUnit === 2 ? 0xffff : this.wideUnit === 4 ? 0xffffffff : 0xff;
  }

  /** One unit of the literal: a byte, or in a wide literal a little-endian code unit. */
  private pushByte(b: number): void {
    if (this.wideUnit === 0) {
      this.writeByte(b);
      return;
    }
    this.writeByte(b & 0xff);
    this.writeByte((b >>> 8) & 0xff);
    if (this.wideUnit === 4) {
      this.writeByte((b >>> 16) & 0xff);
      this.writeByte((b >>> 24) & 0xff);
    }
  }

  private writeByte(b: number): void {
    if (this.byteLength === scratch.length) {
      const bigger = new Uint8Array(scratch.length * 2);
      bigger.set(scratch);
      scratch = bigger;
    }
    scratch[this.byteLength++] = b;
  }

  /** Encodes the source character at `i` (not ASCII) as UTF-8; returns the index after it. */
  private pushUtf8(i: number): number {
    const cp = this.text.codePointAt(i)!;
    this.pushCodePoint(cp);
    if (cp > 0xffff) {
      this.lineStart++;
      return i + 2;
    }
    return i + 1;
  }

  private pushCodePoint(cp: number): void {
    if (this.wideUnit === 4 || (this.wideUnit === 2 && cp < 0x10000)) {
      this.pushByte(cp);
    } else if (this.wideUnit === 2) {
      this.pushByte(0xd800 + ((cp - 0x10000) >> 10)); // UTF-16 surrogate pair
      this.pushByte(0xdc00 + ((cp - 0x10000) & 0x3ff));
    } else if (cp < 0x80) {
      this.pushByte(cp);
    } else if (cp < 0x800) {
      this.pushByte(0xc0 | (cp >> 6));
      this.pushByte(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      this.pushByte(0xe0 | (cp >> 12));
      this.pushByte(0x80 | ((cp >> 6) & 0x3f));
      this.pushByte(0x80 | (cp & 0x3f));
    } else {
      this.pushByte(0xf0 | (cp >> 18));
      this.pushByte(0x80 | ((cp >> 12) & 0x3f));
      this.pushByte(0x80 | ((cp >> 6) & 0x3f));
      this.pushByte(0x80 | (cp & 0x3f));
    }
  }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isHexDigit(c: number): boolean {
  return c < 128 && (charClass[c] & HEX) !== 0;
}

function hexValue(c: number): number {
  return c <= 57 ? c - 48 : (c | 32) - 87;
}

function isExponentChar(c: number): boolean {
  return c === 101 || c === 69 || c === 112 || c === 80;
}

/** A "punct" token that holds a character C does not allow. */
export function isInvalidCharToken(tok: Token): boolean {
  if (tok.kind !== "punct" || tok.text.length > 2) return false;
  const c = tok.text.charCodeAt(0);
  return c === 64 || c === 96 || c === 92 || c < 33 || c > 126;
}

export function invalidCharMessage(spelling: string): string {
  return `invalid character ${describeChar(spelling)} in program`;
}

function describeChar(ch: string): string {
  const cp = ch.codePointAt(0)!;
  const hex = `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`;
  if (cp < 0x20 || cp === 0x7f) return hex;
  return cp < 0x80 ? `'${ch}'` : `${hex} '${ch}'`;
}
