// Wide string literals (L"", u"", U""): a "str" token's `value` is its prefix's character code
// and its bytes are the little-endian code units (cc/lexer.ts). On i386 Linux wchar_t is a
// 4-byte signed int, char16_t an unsigned short, char32_t an unsigned int.

import { lex } from "./lexer.ts";
import { defaultLimits } from "./limits.ts";
import { charType, type IntType, intType, uintType, ushortType } from "./types.ts";

/** The prefix of a literal: undefined for a narrow one ("" and u8""). */
export type WidePrefix = number | undefined;

/** A string literal's decoded contents, without the terminating NUL. */
export interface LiteralPiece {
  bytes: Uint8Array;
  prefix: WidePrefix;
  /** A narrow literal's source spelling (one or more adjacent literals), to widen it as gcc
   *  does: each escape its own code unit, other characters decoded from UTF-8. */
  spelling?: string;
}

/** The element type of a literal with this prefix. */
export function literalElement(prefix: WidePrefix): IntType {
  if (prefix === undefined) return charType;
  if (prefix === 0x75) return ushortType; // u
  if (prefix === 0x55) return uintType; // U
  return intType; // L
}

/**
 * Concatenates two adjacent literals (C11 6.4.5p5: if either is wide the result is, and each
 * narrow one's multibyte characters are converted); a string when the prefixes conflict.
 */
export function joinLiterals(a: LiteralPiece, b: LiteralPiece): LiteralPiece | string {
  const run = new LiteralRun(a);
  const problem = run.append(b);
  return problem ?? run.piece();
}

/**
 * A run of adjacent literals joined in amortized linear time: the units accumulate in a buffer
 * that grows by doubling, and `piece()` views its used part (a later `append` only writes past
 * that part, so an earlier view never changes). A narrow run that meets a wide piece is
 * widened once; from then on its prefix stays. 16k literals of 64 bytes: 5 s quadratic, ms here.
 */
export class LiteralRun {
  private buf: Uint8Array;
  private length: number;
  prefix: WidePrefix;
  /** While the run is narrow, its pieces' spellings (undefined once one had none). */
  private spellings: string[] | undefined;

  constructor(first: LiteralPiece) {
    this.prefix = first.prefix;
    this.spellings = first.spelling === undefined ? undefined : [first.spelling];
    this.buf = new Uint8Array(Math.max(64, first.bytes.length * 2));
    this.buf.set(first.bytes);
    this.length = first.bytes.length;
  }

  /** Bytes joined so far. */
  get byteLength(): number {
    return this.length;
  }

  /** Appends a piece; a message (and nothing appended) when the prefixes conflict. */
  append(b: LiteralPiece): string | undefined {
    if (this.prefix !== undefined && b.prefix !== undefined && this.prefix !== b.prefix) {
      return "unsupported non-standard concatenation of string literals";
    }
    if (this.prefix === undefined && b.prefix === undefined) {
      if (b.spelling === undefined) this.spellings = undefined;
      else this.spellings?.push(b.spelling);
    }
    if (this.prefix === undefined && b.prefix !== undefined) {
      const bytes = this.buf.subarray(0, this.length);
      const spelling = this.spellings?.join(" ");
      const wide = widen({ bytes, prefix: undefined, spelling }, b.prefix);
      this.spellings = undefined;
      this.buf = new Uint8Array(Math.max(64, wide.length * 2));
      this.buf.set(wide);
      this.length = wide.length;
      this.prefix = b.prefix;
    }
    const units = widen(b, this.prefix);
    const need = this.length + units.length;
    if (need > this.buf.length) {
      const grown = new Uint8Array(Math.max(need, this.buf.length * 2));
      grown.set(this.buf.subarray(0, this.length));
      this.buf = grown;
    }
    this.buf.set(units, this.length);
    this.length = need;
    return undefined;
  }

  /** The literal joined so far (a view; see the class comment). */
  piece(): LiteralPiece {
    return { bytes: this.buf.subarray(0, this.length), prefix: this.prefix };
  }
}

/**
 * The piece's bytes as units of `prefix`. A narrow piece with its spelling is read again as if
 * it had the prefix (gcc: `"\343" L""` is 0343, `"あ" L""` is U+3042); without one, its bytes
 * are decoded as UTF-8.
 */
function widen(piece: LiteralPiece, prefix: WidePrefix): Uint8Array {
  if (piece.prefix === prefix) return piece.bytes;
  if (piece.spelling !== undefined && prefix !== undefined) {
    const units = relex(piece.spelling, prefix);
    if (units) return units;
  }
  const size = literalElement(prefix).size;
  const units: number[] = [];
  for (const ch of new TextDecoder("utf-8").decode(piece.bytes)) {
    const cp = ch.codePointAt(0)!;
    if (size === 2 && cp > 0xffff)
      units.push(0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff));
    else units.push(cp);
  }
  const out = new Uint8Array(units.length * size);
  const view = new DataView(out.buffer);
  units.forEach((u, i) => {
    if (size === 2) view.setUint16(i * 2, u, true);
    else view.setUint32(i * 4, u, true);
  });
  return out;
}

/** The code units of narrow literals' spelling lexed again with a wide prefix; undefined when
 *  it does not lex cleanly as narrow literals (then the bytes are decoded instead). */
function relex(spelling: string, prefix: number): Uint8Array | undefined {
  const letter = String.fromCharCode(prefix);
  const { tokens, problems } = lex(spelling, "", defaultLimits);
  if (problems.length > 0) return undefined;
  const parts: Uint8Array[] = [];
  for (const t of tokens) {
    if (t.kind === "eof") break;
    if (t.kind !== "str" || t.value !== undefined) return undefined;
    const wide = lex(letter + t.text.replace(/^u8/, ""), "", defaultLimits);
    const w = wide.tokens[0]!;
    if (wide.problems.length > 0 || w.kind !== "str" || w.value !== prefix) return undefined;
    parts.push(w.bytes ?? new Uint8Array(0));
  }
  const out = new Uint8Array(parts.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of parts) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}
