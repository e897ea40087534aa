// Wide string literals (L"", u"", U""): a "str" token's `value` is its prefix's character code
// and its bytes are the little-endian code units (cc/lexer.ts). On i386 Linux wchar_t is a
// 4-byte signed int, char16_t an unsigned short, char32_t an unsigned int.

import { charType, type IntType, intType, uintType, ushortType } from "./types.ts";

/** The prefix of a literal: undefined for a narrow one ("" and u8""). */
export type WidePrefix = number | undefined;

/** A string literal's decoded contents, without the terminating NUL. */
export interface LiteralPiece {
  bytes: Uint8Array;
  prefix: WidePrefix;
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

  constructor(first: LiteralPiece) {
    this.prefix = first.prefix;
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
    if (this.prefix === undefined && b.prefix !== undefined) {
      const wide = widen({ bytes: this.buf.subarray(0, this.length), prefix: undefined }, b.prefix);
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

/** The piece's bytes as units of `prefix` (a narrow piece's UTF-8 decoded, per code point). */
function widen(piece: LiteralPiece, prefix: WidePrefix): Uint8Array {
  if (piece.prefix === prefix) return piece.bytes;
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
