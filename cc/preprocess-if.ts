// `#if` and `#elif` expressions: C integer arithmetic in intmax_t / uintmax_t (64 bits) over
// tokens the preprocessor has already macro-expanded (with `defined` resolved before that).

import type { Loc } from "./diagnostics.ts";
import type { Token } from "./token.ts";

/** What the evaluator needs from the preprocessor. */
export interface IfHost {
  /** `defined X` / `defined ( X )` at `toks[i]` (reached only when expansion produced it). */
  readDefined(toks: Token[], i: number, end: number): { tok: Token; next: number } | null;
  error(loc: Loc, message: string): void;
  readonly nestingLimit: number;
}

interface IfValue {
  v: bigint;
  unsigned: boolean;
}

export class IfError extends Error {}

const BINARY_PRECEDENCE: Record<string, number> = {
  "||": 1,
  "&&": 2,
  "|": 3,
  "^": 4,
  "&": 5,
  "==": 6,
  "!=": 6,
  "<": 7,
  ">": 7,
  "<=": 7,
  ">=": 7,
  "<<": 8,
  ">>": 8,
  "+": 9,
  "-": 9,
  "*": 10,
  "/": 10,
  "%": 10,
};

export class IfEvaluator {
  private pos = 0;
  private depth = 0;
  /** Inside the unevaluated operand of && || ?: (no division-by-zero errors there). */
  private unevaluated = 0;

  constructor(
    private readonly toks: Token[],
    private readonly pp: IfHost,
    private readonly directive: Token,
  ) {}

  evaluate(): IfValue {
    const v = this.comma();
    if (this.pos < this.toks.length) {
      this.fail(
        this.toks[this.pos].loc,
        `missing binary operator before token "${this.toks[this.pos].text}"`,
      );
    }
    return v;
  }

  private fail(loc: Loc, message: string): never {
    this.pp.error(loc, message);
    throw new IfError(message);
  }

  private peekText(): string | undefined {
    const t = this.toks[this.pos];
    return t && t.kind === "punct" ? t.text : undefined;
  }

  private comma(): IfValue {
    let v = this.conditional();
    while (this.peekText() === ",") {
      this.pos++;
      v = this.conditional();
    }
    return v;
  }

  private conditional(): IfValue {
    const c = this.binary(1);
    if (this.peekText() !== "?") return c;
    const at = this.toks[this.pos++];
    const taken = c.v !== 0n;
    if (!taken) this.unevaluated++;
    const a = this.comma();
    if (!taken) this.unevaluated--;
    if (this.peekText() !== ":") this.fail(at.loc, "'?' without following ':'");
    this.pos++;
    if (taken) this.unevaluated++;
    const b = this.conditional();
    if (taken) this.unevaluated--;
    const unsigned = a.unsigned || b.unsigned;
    return wrap((taken ? a : b).v, unsigned);
  }

  private binary(minPrec: number): IfValue {
    let lhs = this.unary();
    for (;;) {
      const op = this.peekText();
      const prec = op === undefined ? undefined : BINARY_PRECEDENCE[op];
      if (prec === undefined || prec < minPrec) return lhs;
      const at = this.toks[this.pos++];
      if (op === "&&" || op === "||") {
        const shortCircuit = op === "&&" ? lhs.v === 0n : lhs.v !== 0n;
        if (shortCircuit) this.unevaluated++;
        const rhs = this.binary(prec + 1);
        if (shortCircuit) this.unevaluated--;
        const r = op === "&&" ? lhs.v !== 0n && rhs.v !== 0n : lhs.v !== 0n || rhs.v !== 0n;
        lhs = { v: r ? 1n : 0n, unsigned: false };
        continue;
      }
      const rhs = this.binary(prec + 1);
      lhs = this.apply(op!, lhs, rhs, at);
    }
  }

  private apply(op: string, a: IfValue, b: IfValue, at: Token): IfValue {
    const unsigned = a.unsigned || b.unsigned;
    const x = unsigned ? BigInt.asUintN(64, a.v) : a.v;
    const y = unsigned ? BigInt.asUintN(64, b.v) : b.v;
    switch (op) {
      case "*":
        return wrap(x * y, unsigned);
      case "/":
      case "%":
        if (y === 0n) {
          if (this.unevaluated === 0) this.fail(at.loc, "division by zero in #if");
          return { v: 0n, unsigned };
        }
        return wrap(op === "/" ? x / y : x % y, unsigned);
      case "+":
        return wrap(x + y, unsigned);
      case "-":
        return wrap(x - y, unsigned);
      case "<<":
      case ">>": {
        // The result has the left operand's type; out-of-range counts shift everything out.
        const left = a.unsigned ? BigInt.asUintN(64, a.v) : a.v;
        let count = b.unsigned ? BigInt.asUintN(64, b.v) : b.v;
        let shiftLeft = op === "<<";
        if (count < 0n) {
          count = -count;
          shiftLeft = !shiftLeft;
        }
        if (count > 64n) count = 64n;
        return wrap(shiftLeft ? left << count : left >> count, a.unsigned);
      }
      case "<":
        return bool(x < y);
      case ">":
        return bool(x > y);
      case "<=":
        return bool(x <= y);
      case ">=":
        return bool(x >= y);
      case "==":
        return bool(x === y);
      case "!=":
        return bool(x !== y);
      case "&":
        return wrap(x & y, unsigned);
      case "^":
        return wrap(x ^ y, unsigned);
      default:
        return wrap(x | y, unsigned);
    }
  }

  private unary(): IfValue {
    const t = this.toks[this.pos];
    if (t === undefined) {
      const last = this.toks[this.toks.length - 1];
      this.fail(last.loc, `#${this.directive.text} expression ends unexpectedly`);
    }
    if (++this.depth > this.pp.nestingLimit) this.fail(t.loc, "#if expression nested too deeply");
    try {
      return this.unaryInner(t);
    } finally {
      this.depth--;
    }
  }

  private unaryInner(t: Token): IfValue {
    this.pos++;
    switch (t.kind) {
      case "num":
        return parseIfNumber(t, this);
      case "char":
        return { v: BigInt(t.value!), unsigned: false };
      case "ident":
        // `defined` produced by a macro expansion still works, as in gcc.
        if (t.text === "defined") {
          const r = this.pp.readDefined(this.toks, this.pos - 1, this.toks.length);
          if (r === null) throw new IfError("defined");
          this.pos = r.next;
          return { v: r.tok.text === "1" ? 1n : 0n, unsigned: false };
        }
        return { v: 0n, unsigned: false };
      case "punct":
        switch (t.text) {
          case "(": {
            const v = this.comma();
            if (this.peekText() !== ")") this.fail(t.loc, "missing ')' in expression");
            this.pos++;
            return v;
          }
          case "+":
            return this.unary();
          case "-": {
            const v = this.unary();
            return wrap(-v.v, v.unsigned);
          }
          case "~": {
            const v = this.unary();
            return wrap(~v.v, v.unsigned);
          }
          case "!":
            return bool(this.unary().v === 0n);
        }
    }
    return this.fail(t.loc, `token "${t.text}" is not valid in preprocessor expressions`);
  }

  failAt(loc: Loc, message: string): never {
    return this.fail(loc, message);
  }
}

function wrap(v: bigint, unsigned: boolean): IfValue {
  return { v: unsigned ? BigInt.asUintN(64, v) : BigInt.asIntN(64, v), unsigned };
}

function bool(b: boolean): IfValue {
  return { v: b ? 1n : 0n, unsigned: false };
}

/** An integer constant in #if: decimal, octal, hex or binary, with u/l/ll suffixes. */
function parseIfNumber(t: Token, ev: IfEvaluator): IfValue {
  const text = t.text;
  let end = text.length;
  while (end > 0 && /[uUlL]/.test(text[end - 1])) end--;
  const suffix = text.slice(end).toLowerCase();
  const digits = text.slice(0, end);
  let radix = 10;
  let body = digits;
  if (/^0[xX]/.test(digits)) {
    radix = 16;
    body = digits.slice(2);
  } else if (/^0[bB]/.test(digits)) {
    radix = 2;
    body = digits.slice(2);
  } else if (digits.length > 1 && digits[0] === "0") {
    radix = 8;
    body = digits.slice(1);
  }
  const valid =
    radix === 16
      ? /^[0-9a-fA-F]+$/
      : radix === 8
        ? /^[0-7]+$/
        : radix === 2
          ? /^[01]+$/
          : /^[0-9]+$/;
  if (body === "" || !valid.test(body)) {
    if (radix !== 2 && /[.eEpP]/.test(digits)) {
      ev.failAt(t.loc, "floating constant in preprocessor expression");
    }
    ev.failAt(t.loc, `invalid integer constant "${text}" in preprocessor expression`);
  }
  if (
    !["", "u", "l", "ul", "lu", "ll", "ull", "llu"].includes(suffix) ||
    /lL|Ll/.test(text.slice(end))
  ) {
    ev.failAt(t.loc, `invalid suffix "${text.slice(end)}" on integer constant`);
  }
  let v = 0n;
  const big = BigInt(radix);
  for (const ch of body) v = v * big + BigInt(Number.parseInt(ch, radix));
  if (v > 0xffffffffffffffffn) {
    ev.failAt(t.loc, "integer constant is too large for its type");
  }
  const unsigned = suffix.includes("u") || v > 0x7fffffffffffffffn;
  return wrap(v, unsigned);
}
