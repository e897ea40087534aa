// The C library built-ins: every function the compiler's built-in headers declare
// (cc/headers.ts), exported by the kernel in the group "libc" with the headers' own signatures.
//
// They run in the host, so every pointer a plugin hands over is bounds-checked against its
// runtime's memory: a bad pointer or a huge length faults the plugin (out-of-bounds), it never
// touches host state. Results follow glibc where a program can observe them (printf, rand, the
// ctype masks, atoi's clamping, qsort's stability).

import type { FunctionSymbol } from "../cc/index.ts";
import { libcFunctions } from "../cc/index.ts";
import { ExitSignal, HostTrap, inNullPage, nullPointerTrap } from "./faults.ts";
import { bulkCost, HOST_COSTS, loopCost } from "./fuel.ts";
import type { Kernel } from "./kernel.ts";
import { makeMathFunctions } from "./libc-math.ts";
import { loadLibcSignatures } from "./libc-signatures.ts";
import { makeStdioFunctions } from "./libc-stdio.ts";
import { makeStrEnd, makeStringFunctions } from "./libc-string.ts";
import { makeStringExtras } from "./libc-string-extra.ts";
import { makeNumberParsers } from "./libc-strtonum.ts";
import { makeTimeFunctions } from "./libc-time.ts";
import { longjmpException } from "./longjmp.ts";
import type { Plugin } from "./plugin.ts";
import { sortElements } from "./qsort.ts";
import type { Runtime } from "./runtime.ts";
import type { AnyFunction } from "./upcall.ts";

/** The export group of the C library built-ins: `allow: [LIBC_GROUP]` grants them all. */
export const LIBC_GROUP = "libc";

let signatures: Map<string, FunctionSymbol> | undefined;

/**
 * The C signature of every function the built-in C library headers declare, by name: read once
 * from the table the build writes into dist/, else parsed from the headers
 * (kernel/libc-signatures.ts). The kernel links plugins' libc imports against these.
 */
export function libcSignatures(): Map<string, FunctionSymbol> {
  signatures ??= loadLibcSignatures();
  return signatures;
}

export function installLibc(kernel: Kernel): void {
  const sigs = libcSignatures();
  const probe = makeLibc(undefined);
  for (const name of libcFunctions) {
    const symbol = sigs.get(name);
    if (!symbol) throw new Error(`libc: no declaration of '${name}' in the built-in headers`);
    if (!probe[name]) throw new Error(`libc: '${name}' is declared but not implemented`);
    kernel.exportFactory(name, symbol, (rt) => libcOf(rt)[name]!, { group: LIBC_GROUP });
  }
  const assertFail = sigs.get("__assert_fail");
  if (assertFail) {
    kernel.exportFactory("__assert_fail", assertFail, (rt) => libcOf(rt).__assert_fail!, {
      group: LIBC_GROUP,
    });
  }
}

const LIBC_STATE = "libc";

/** sizeof(jmp_buf) (include/setjmp.h). */
const JMP_BUF_BYTES = 16;

/** The built-ins bound to one runtime (made once per runtime, when first linked). */
function libcOf(rt: Runtime): Record<string, AnyFunction> {
  let fns = rt.hostState.get(LIBC_STATE) as Record<string, AnyFunction> | undefined;
  if (!fns) {
    fns = makeLibc(rt);
    rt.hostState.set(LIBC_STATE, fns);
  }
  return fns;
}

/** Program name used in messages such as assertion failures (set by the program runner). */
export const PROGRAM_NAME = "programName";

// glibc's <ctype.h> masks (little-endian layout), so `printf("%d", isdigit('5'))` agrees.
const IS_UPPER = 256;
const IS_LOWER = 512;
const IS_ALPHA = 1024;
const IS_DIGIT = 2048;
const IS_XDIGIT = 4096;
const IS_SPACE = 8192;
const IS_PRINT = 16384;
const IS_GRAPH = 32768;
const IS_BLANK = 1;
const IS_CNTRL = 2;
const IS_PUNCT = 4;
const IS_ALNUM = 8;

/** atexit's bound: C requires room for 32; more fails (returns nonzero) as glibc's would on ENOMEM. */
export const ATEXIT_MAX = 32;
const ATEXIT_STATE = "atexit";

/**
 * Runs the functions atexit registered in `rt`, last first, each once (exit() and a return from
 * main both run them; one calling exit() ends the program with the rest not run, as in glibc).
 * `outside`: the program's plugin, when no upcall is running (after main returned).
 */
export function runAtExit(rt: Runtime, outside?: Plugin): void {
  const handlers = rt.hostState.get(ATEXIT_STATE) as number[] | undefined;
  while (handlers && handlers.length > 0) {
    const index = handlers.pop()!;
    rt.meter.charge(HOST_COSTS.callback);
    // Outside any upcall (after main returned) a handler's trap needs the gate of its own.
    if (outside) rt.callFromHost(index, outside);
    else rt.tableFunction(index)?.();
  }
}

function ctypeClass(c: number): number {
  if (c < -128 || c > 255) return 0;
  const b = c & 0xff;
  const visible = IS_PRINT | IS_GRAPH;
  if (b >= 0x30 && b <= 0x39) return IS_DIGIT | IS_XDIGIT | IS_ALNUM | visible;
  if (b >= 0x41 && b <= 0x5a)
    return IS_UPPER | IS_ALPHA | IS_ALNUM | visible | (b <= 0x46 ? IS_XDIGIT : 0);
  if (b >= 0x61 && b <= 0x7a)
    return IS_LOWER | IS_ALPHA | IS_ALNUM | visible | (b <= 0x66 ? IS_XDIGIT : 0);
  if (b === 0x20) return IS_SPACE | IS_PRINT | IS_BLANK;
  if (b === 0x09) return IS_SPACE | IS_BLANK | IS_CNTRL;
  if (b >= 0x0a && b <= 0x0d) return IS_SPACE | IS_CNTRL;
  if (b < 0x20 || b === 0x7f) return IS_CNTRL;
  if (b < 0x7f) return IS_PUNCT | visible;
  return 0; // the C locale: bytes above 127 are in no class
}

/** glibc's random_r TYPE_3 generator (additive feedback, degree 31), so rand() sequences agree. */
class GlibcRandom {
  private state: number[] = [];
  private f = 3;
  private b = 0;

  constructor(seed = 1) {
    this.seed(seed);
  }

  seed(seed: number): void {
    let s = seed >>> 0;
    if (s === 0) s = 1;
    const r: number[] = new Array(31);
    r[0] = s | 0;
    for (let i = 1; i < 31; i++) {
      // r[i] = (16807 * r[i-1]) % 2147483647, computed without overflow as glibc does.
      const prev = r[i - 1]!;
      const hi = Math.trunc(prev / 127773);
      const lo = prev % 127773;
      let word = 16807 * lo - 2836 * hi;
      if (word < 0) word += 2147483647;
      r[i] = word;
    }
    this.state = r;
    this.f = 3;
    this.b = 0;
    for (let i = 0; i < 310; i++) this.next();
  }

  next(): number {
    const st = this.state;
    const v = (st[this.f]! + st[this.b]!) | 0;
    st[this.f] = v;
    this.f = (this.f + 1) % 31;
    this.b = (this.b + 1) % 31;
    return (v >>> 1) & 0x7fffffff;
  }
}

/** The built-ins of one runtime (`undefined` only to list which functions exist). */
function makeLibc(runtime: Runtime | undefined): Record<string, AnyFunction> {
  return {
    ...makeStringFunctions(runtime),
    ...makeStringExtras(runtime),
    ...makeStdioFunctions(runtime),
    ...makeNumberParsers(runtime),
    ...otherFunctions(runtime),
    ...makeMathFunctions(runtime),
    ...makeTimeFunctions(runtime),
  };
}

function otherFunctions(runtime: Runtime | undefined): Record<string, AnyFunction> {
  const rt = runtime as Runtime;
  const views = runtime?.views as Runtime["views"];
  const heap = runtime?.heap as Runtime["heap"];
  const meter = runtime?.meter as Runtime["meter"];
  // Seeded on first use: its 310 warm-up steps cost ~2 ms of a cold `kplug run` (CPU profile),
  // paid twice per start (installLibc's probe too) by programs that never call rand().
  let generator: GlibcRandom | undefined;
  const random = () => {
    generator ??= new GlibcRandom();
    return generator;
  };
  /** Checks [p, p + n) lies in memory; returns p as an unsigned address. */
  const range = (p: number, n: number, what: string): number => {
    const at = p >>> 0;
    const len = n >>> 0;
    const access = { access: "read", size: len, address: at } as const;
    if (len > 0 && inNullPage(at)) throw nullPointerTrap(what, at, access);
    if (at + len > views.fresh().u8.length) {
      throw new HostTrap(
        "out-of-bounds",
        `${what}: [${at}, ${at + len}) is outside the memory`,
        access,
      );
    }
    return at;
  };
  const strEnd = runtime ? makeStrEnd(runtime) : () => 0;
  const fns: Record<string, AnyFunction> = {
    malloc: (n: number) => {
      meter.charge(HOST_COSTS.allocation);
      return heap.malloc(n >>> 0);
    },
    calloc: (count: number, size: number) => {
      const bytes = (count >>> 0) * (size >>> 0);
      // Zeroing is charged up front (what the memory limit allows: more fails without work).
      meter.charge(HOST_COSTS.allocation + bulkCost(Math.min(bytes, rt.limits.memory)));
      return heap.calloc(count >>> 0, size >>> 0);
    },
    realloc: (p: number, n: number) => {
      // Charged as if the contents moved (they may: the block's neighbours decide).
      const old = heap.blockSize(p >>> 0) ?? 0;
      meter.charge(HOST_COSTS.allocation + bulkCost(Math.min(old, n >>> 0)));
      return heap.realloc(p >>> 0, n >>> 0);
    },
    free: (p: number) => {
      meter.charge(HOST_COSTS.allocation);
      heap.free(p >>> 0);
    },
    abs: (x: number) => (x < 0 ? -x | 0 : x),
    labs: (x: number) => (x < 0 ? -x | 0 : x),
    llabs: (x: bigint) => BigInt.asIntN(64, x < 0n ? -x : x),
    exit: (code: number) => {
      runAtExit(rt);
      rt.flush();
      throw new ExitSignal(code & 255);
    },
    abort: () => {
      rt.flush();
      throw new HostTrap("abort", "abort() called");
    },
    atoi: (s: number) => {
      const end = strEnd(s);
      const u8 = views.u8;
      let i = s >>> 0;
      while (i < end && (u8[i] === 0x20 || (u8[i]! >= 0x09 && u8[i]! <= 0x0d))) i++;
      let negative = false;
      if (u8[i] === 0x2b || u8[i] === 0x2d) negative = u8[i++] === 0x2d;
      let v = 0;
      while (i < end && u8[i]! >= 0x30 && u8[i]! <= 0x39) {
        v = v * 10 + (u8[i++]! - 0x30);
        if (v > 2 ** 31) v = 2 ** 31; // strtol clamps to LONG_MIN/LONG_MAX (32-bit long)
      }
      meter.charge(loopCost(i - (s >>> 0))); // a JS loop over the digits: 1 unit a byte
      if (negative) return -v | 0;
      return v >= 2 ** 31 ? 0x7fffffff : v;
    },
    // Throws to the setjmp frame that saved `env` (cc/lower-cfg.ts); the jmp_buf is checked
    // here so every catch can read it (kernel/longjmp.ts).
    longjmp: (env: number, value: number) => {
      const at = range(env, JMP_BUF_BYTES, "longjmp");
      rt.meter.take(HOST_COSTS.longjmp); // before V8's costly exception is made
      throw longjmpException(rt.longjmpTag, at, value);
    },
    rand: () => random().next(),
    srand: (seed: number) => random().seed(seed),
    qsort: (base: number, count: number, size: number, compare: number) => {
      const n = count >>> 0;
      const sz = size >>> 0;
      if (n < 2 || sz === 0) return;
      const at = range(base, n * sz, "qsort");
      const cmp = rt.tableFunction(compare);
      if (!cmp)
        throw new HostTrap("bad-indirect-call", `qsort: comparator ${compare} is not a function`);
      sortElements(views, meter, rt.limits.memory, at, n, sz, cmp);
    },
    // A binary search calling the comparator at most ~log2(count) + 1 times (16 units each).
    bsearch: (key: number, base: number, count: number, size: number, compare: number) => {
      let lo = 0;
      let hi = count >>> 0;
      const sz = size >>> 0;
      if (hi === 0) return 0;
      const at = range(base, hi * sz, "bsearch");
      const cmp = rt.tableFunction(compare);
      if (!cmp)
        throw new HostTrap("bad-indirect-call", `bsearch: comparator ${compare} is not a function`);
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        meter.charge(HOST_COSTS.callback);
        const r = cmp(key, at + mid * sz) as number;
        if (r < 0) hi = mid;
        else if (r > 0) lo = mid + 1;
        else return at + mid * sz;
      }
      return 0;
    },
    atexit: (fn: number) => {
      let handlers = rt.hostState.get(ATEXIT_STATE) as number[] | undefined;
      if (!handlers) {
        handlers = [];
        rt.hostState.set(ATEXIT_STATE, handlers);
      }
      if (handlers.length >= ATEXIT_MAX || !rt.tableFunction(fn)) return -1;
      handlers.push(fn);
      return 0;
    },
    __assert_fail: (expr: number, file: number, line: number) => {
      rt.flush();
      const program = (rt.hostState.get(PROGRAM_NAME) as string | undefined) ?? rt.name;
      const text = `${program}: ${rt.readString(file)}:${line}: Assertion \`${rt.readString(expr)}' failed.\n`;
      rt.stderr(new TextEncoder().encode(text));
      throw new HostTrap("abort", `assertion failed: ${rt.readString(expr)}`);
    },

    isdigit: (c: number) => ctypeClass(c) & IS_DIGIT,
    isalpha: (c: number) => ctypeClass(c) & IS_ALPHA,
    isalnum: (c: number) => ctypeClass(c) & IS_ALNUM,
    isspace: (c: number) => ctypeClass(c) & IS_SPACE,
    isupper: (c: number) => ctypeClass(c) & IS_UPPER,
    islower: (c: number) => ctypeClass(c) & IS_LOWER,
    isxdigit: (c: number) => ctypeClass(c) & IS_XDIGIT,
    isprint: (c: number) => ctypeClass(c) & IS_PRINT,
    isgraph: (c: number) => ctypeClass(c) & IS_GRAPH,
    ispunct: (c: number) => ctypeClass(c) & IS_PUNCT,
    iscntrl: (c: number) => ctypeClass(c) & IS_CNTRL,
    isblank: (c: number) => ctypeClass(c) & IS_BLANK,
    toupper: (c: number) => (c >= 0x61 && c <= 0x7a ? c - 32 : c),
    tolower: (c: number) => (c >= 0x41 && c <= 0x5a ? c + 32 : c),

    sqrt: Math.sqrt,
    fabs: Math.abs,
    floor: Math.floor,
    ceil: Math.ceil,
    round: roundAway,
    trunc: Math.trunc,
    fmod: (x: number, y: number) => x % y,
    pow: Math.pow,
    exp: Math.exp,
    exp2: (x: number) => 2 ** x,
    log: Math.log,
    log2: Math.log2,
    log10: Math.log10,
    sin: Math.sin,
    cos: Math.cos,
    tan: Math.tan,
    asin: Math.asin,
    acos: Math.acos,
    atan: Math.atan,
    atan2: Math.atan2,
    sinh: Math.sinh,
    cosh: Math.cosh,
    tanh: Math.tanh,
    hypot: Math.hypot,
    fmin,
    fmax,
    cbrt: Math.cbrt,
    sqrtf: (x: number) => Math.fround(Math.sqrt(x)),
    fabsf: Math.abs,
    floorf: Math.floor,
    ceilf: Math.ceil,
    roundf: roundAway,
    truncf: Math.trunc,
    fminf: fmin,
    fmaxf: fmax,
    powf: (x: number, y: number) => Math.fround(x ** y),
    expf: (x: number) => Math.fround(Math.exp(x)),
    logf: (x: number) => Math.fround(Math.log(x)),
    sinf: (x: number) => Math.fround(Math.sin(x)),
    cosf: (x: number) => Math.fround(Math.cos(x)),
  };
  // Any other float variant a header declares (tanf, fmodf, atan2f, ...): the double function
  // rounded to float, which is what glibc's float functions return in all tested cases.
  for (const name of libcFunctions) {
    const double = fns[name.slice(0, -1)];
    if (fns[name] === undefined && name.endsWith("f") && double) {
      fns[name] = (x: number, y: number) => Math.fround(double(x, y));
    }
  }
  return fns;
}

/** C round(): halfway cases away from zero (Math.round rounds them up). */
function roundAway(x: number): number {
  const t = Math.trunc(x);
  if (Math.abs(x - t) >= 0.5) return t + Math.sign(x);
  return t === 0 ? x * 0 : t; // keeps the sign of zero: round(-0.2) is -0.0
}

/** C fmin/fmax: a NaN operand is ignored. */
function fmin(x: number, y: number): number {
  if (Number.isNaN(x)) return y;
  if (Number.isNaN(y)) return x;
  return Math.min(x, y);
}

function fmax(x: number, y: number): number {
  if (Number.isNaN(x)) return y;
  if (Number.isNaN(y)) return x;
  return Math.max(x, y);
}
