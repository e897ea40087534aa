// Which characters beyond ASCII may appear in an identifier (C11 6.4.2.1 and Annex D, the
// ranges gcc >= 10 accepts), spelled in UTF-8 or as a universal character name (\u03C0,
// \U0001F600; C11 6.4.3). An identifier spelled both ways is one identifier: the lexer stores
// the characters, not the escapes.

/** C11 D.1: ranges of characters allowed in identifiers, inclusive, sorted. */
const ALLOWED: readonly (readonly [number, number])[] = [
  [0xa8, 0xa8],
  [0xaa, 0xaa],
  [0xad, 0xad],
  [0xaf, 0xaf],
  [0xb2, 0xb5],
  [0xb7, 0xba],
  [0xbc, 0xbe],
  [0xc0, 0xd6],
  [0xd8, 0xf6],
  [0xf8, 0xff],
  [0x100, 0x167f],
  [0x1681, 0x180d],
  [0x180f, 0x1fff],
  [0x200b, 0x200d],
  [0x202a, 0x202e],
  [0x203f, 0x2040],
  [0x2054, 0x2054],
  [0x2060, 0x206f],
  [0x2070, 0x218f],
  [0x2460, 0x24ff],
  [0x2776, 0x2793],
  [0x2c00, 0x2dff],
  [0x2e80, 0x2fff],
  [0x3004, 0x3007],
  [0x3021, 0x302f],
  [0x3031, 0x303f],
  [0x3040, 0xd7ff],
  [0xf900, 0xfd3d],
  [0xfd40, 0xfdcf],
  [0xfdf0, 0xfe44],
  [0xfe47, 0xfffd],
];

/** C11 D.2: within those ranges, but not allowed as an identifier's first character. */
const NOT_INITIAL: readonly (readonly [number, number])[] = [
  [0x300, 0x36f],
  [0x1dc0, 0x1dff],
  [0x20d0, 0x20ff],
  [0xfe20, 0xfe2f],
];

function inRanges(cp: number, ranges: readonly (readonly [number, number])[]): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [a, b] = ranges[mid]!;
    if (cp < a) hi = mid - 1;
    else if (cp > b) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Whether code point `cp` (at least 0x80) may appear in an identifier, first or not. */
export function isExtendedIdentChar(cp: number, first: boolean): boolean {
  // Each supplementary plane up to 14 except its last two code points (xFFFE, xFFFF).
  if (cp >= 0x10000) return cp <= 0xefffd && (cp & 0xffff) <= 0xfffd;
  if (first && inRanges(cp, NOT_INITIAL)) return false;
  return inRanges(cp, ALLOWED);
}

/**
 * The identifier character at `text[i]` beyond ASCII: a UTF-8 character (one UTF-16 unit, or
 * a surrogate pair) or a universal character name. Its code point and the UTF-16 units it
 * spans; undefined when there is none, or it is not allowed there.
 */
export function extendedIdentChar(
  text: string,
  i: number,
  first: boolean,
): { cp: number; length: number } | undefined {
  const c = text.charCodeAt(i);
  if (c === 92) {
    const n = text.charCodeAt(i + 1) === 117 ? 4 : text.charCodeAt(i + 1) === 85 ? 8 : 0;
    if (n === 0) return undefined;
    const hex = text.slice(i + 2, i + 2 + n);
    if (hex.length !== n || !/^[0-9A-Fa-f]+$/.test(hex)) return undefined;
    const cp = Number.parseInt(hex, 16);
    return isExtendedIdentChar(cp, first) ? { cp, length: 2 + n } : undefined;
  }
  if (c < 0x80 || Number.isNaN(c)) return undefined;
  const cp = text.codePointAt(i)!;
  if (cp >= 0xd800 && cp <= 0xdfff) return undefined; // a lone surrogate
  return isExtendedIdentChar(cp, first) ? { cp, length: cp > 0xffff ? 2 : 1 } : undefined;
}
