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
  if (a.prefix !== undefined && b.prefix !== undefined && a.prefix !== b.prefix) {
    return "unsupported non-standard concatenation of string literals";
  }
  const prefix = a.prefix ?? b.prefix;
  const x = widen(a, prefix);
  const y = widen(b, prefix);
  const bytes = new Uint8Array(x.length + y.length);
  bytes.set(x, 0);
  bytes.set(y, x.length);
  return { bytes, prefix };
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
