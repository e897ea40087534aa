// The C preprocessor (model: chibicc's preprocess.c): directives, macro expansion with hide
// sets (Prosser's algorithm), #include from caller-supplied and built-in headers, and #if
// constant expressions. Output: a flat token list without directives, adjacent string
// literals joined, ending in "eof".
//
// Here: the input frames, the main loop and macro expansion. Directives are in directives.ts,
// `#if` arithmetic in preprocess-if.ts, macros and hide sets in macro.ts, the process-wide
// caches in include-cache.ts.
//
// Tokens are never mutated once lexed (but for the `recolored` cache): built-in headers are
// tokenized once per process and their (frozen) tokens are shared by every compilation.

import { runFrameTokens } from "./data-run.ts";
import { CompileAbort, type DiagnosticSink, type Loc } from "./diagnostics.ts";
import { directive, finishRecording } from "./directives.ts";
import { invalidCharMessage, isInvalidCharToken, type LexedFile, lex, makeToken } from "./lexer.ts";
import type { CompileLimits } from "./limits.ts";
import {
  counterMacro,
  type DynamicState,
  dateMacro,
  fileMacro,
  HidesetTable,
  lineMacro,
  MAX_HIDESET,
  type Macro,
  PLACEMARKER,
  timeMacro,
} from "./macro.ts";
import type { PackedBody } from "./packed-body.ts";
import { type LineMap, mapLoc, mapToken, pragmaOperator } from "./pragma.ts";
import { IfError, IfEvaluator } from "./preprocess-if.ts";
import type { Token } from "./token.ts";
import { TokenList } from "./token-list.ts";
import { LiteralRun } from "./wide-strings.ts";

export interface PreprocessContext {
  file: string;
  /** Sources for `#include "name"` (and `<name>` when no built-in header has that name). */
  includes: Record<string, string>;
  /** Predefined object-like macros, name to replacement text ("NAME(x)" keys define functions). */
  defines: Record<string, string>;
  limits: CompileLimits;
  diags: DiagnosticSink;
}

export function preprocess(source: string, ctx: PreprocessContext): Token[] {
  return new Preprocessor(ctx).run(source);
}

export const streamSettings = {
  /** Output tokens per `pull`: enough to amortise the call, few enough to stay young (tests
   *  set 1, so every string join and header recording spans pulls). */
  batch: 1024,
};

/**
 * The preprocessor run on demand, for the parser (a TokenWindow's source): each `pull` runs it
 * until about `streamSettings.batch` more tokens are out, so most tokens die young instead of all being
 * kept until parsing starts. Whatever the preprocessor throws ends the stream and is kept in
 * `failure`; once it reports an error the rest of the input is preprocessed for its
 * diagnostics but not handed out (the parse would only add noise, and is discarded).
 */
export class PreprocessStream {
  private readonly pp: Preprocessor;
  private ended = false;
  /** What the preprocessor threw, other than a CompileAbort (which just ends its output). */
  failure: unknown = undefined;

  constructor(source: string, ctx: PreprocessContext) {
    this.pp = new Preprocessor(ctx);
    try {
      this.pp.start(source);
    } catch (e) {
      this.fail(e);
    }
  }

  /** The next tokens (the last batch ends in "eof"), or null after it. */
  pull(): Token[] | null {
    if (this.ended) return null;
    const pp = this.pp;
    let more = false;
    try {
      more = pp.pump(pp.out.length + streamSettings.batch);
    } catch (e) {
      this.fail(e);
    }
    if (more && pp.diags.hasErrors) return [this.finish()];
    this.ended = !more;
    return pp.out.take(!more);
  }

  /** Runs the preprocessor to the end of its input, dropping the tokens not taken; its "eof". */
  finish(): Token {
    const pp = this.pp;
    for (;;) {
      try {
        this.ended = this.ended || !pp.pump(pp.out.length + streamSettings.batch * 16);
      } catch (e) {
        this.fail(e);
      }
      const got = pp.out.take(this.ended);
      if (this.ended) return got[got.length - 1] ?? pp.eofToken();
    }
  }

  private fail(e: unknown): void {
    this.failure = e;
    this.pp.end();
    this.ended = true;
  }
}

// ---------------------------------------------------------------------------------------------
// Input frames: the token source is a stack of frames. A file frame and an argument frame end
// with an "eof" token that reading never consumes (it is a barrier); a macro frame holds the
// result of one expansion and is popped once read.

const FILE = 0;
const MACRO = 1;
const ARGUMENT = 2;

interface Conditional {
  directive: string;
  loc: Loc;
  /** Some group of this conditional has been (or is being) processed. */
  taken: boolean;
  sawElse: boolean;
}

/** What a file frame has beyond any frame's (kept apart, so a macro frame stays small). */
export interface FileState {
  name: string;
  lexed: LexedFile;
  conds: Conditional[];
  /** Index of the next deferred lexer problem, and the token index it belongs to. */
  problem: number;
  problemAt: number;
  includeDepth: number;
  /** The file is a built-in header (its #define directives may be cached). */
  builtin: boolean;
  /** Set by #line: the name and numbering its tokens report from then on. */
  lineMap: LineMap | null;
}

/** One source of input tokens: a file, a macro's expansion, or an argument being expanded. */
export interface Frame {
  kind: typeof FILE | typeof MACRO | typeof ARGUMENT;
  toks: Token[];
  pos: number;
  /** For file frames (null for the others, which allocate one per expansion). */
  file: FileState | null;
  /**
   * A macro frame read lazily (see `pushLazyExpansion`): `toks` is the macro's body, each
   * token is copied as it is read, and `first` is the first one, which has the invocation's
   * spacing.
   */
  lazy: { loc: Loc; hs: ReadonlySet<string>; first: Token; packed: PackedBody | null } | null;
  /**
   * For argument frames: the "eof" returned (and not consumed) once `toks` is read, so an
   * argument is expanded on its own without copying its tokens to append one.
   */
  end: Token | null;
}

/** The `count` arguments gathered in `scratch`, the k-th ending at `ends[k]`, each its own array
 *  (a literal for the common counts: an exact-size list, not one grown by pushes). */
function argumentList(scratch: Token[], ends: number[], count: number): Token[][] {
  const a = scratch.slice(0, ends[0]);
  if (count === 1) return [a];
  const b = scratch.slice(ends[0], ends[1]);
  if (count === 2) return [a, b];
  const list = [a, b];
  for (let k = 2; k < count; k++) list.push(scratch.slice(ends[k - 1], ends[k]));
  return list;
}

function macroFrame(toks: Token[]): Frame {
  return {
    kind: MACRO,
    toks,
    pos: 0,
    file: null,
    lazy: null,
    end: null,
  };
}

// ---------------------------------------------------------------------------------------------
// Predefined macros (the other process-wide caches are in include-cache.ts).

/** Predefined macros, built on first use. */
let predefined: Map<string, Macro> | null = null;

const PREDEFINED_SOURCE = `
#define __STDC__ 1
#define __STDC_VERSION__ 199901L
#define __STDC_HOSTED__ 1
#define __KPLUG__ 1
#define __wasm32__ 1
#define __wasm__ 1
#define __wasm_simd128__ 1
#define __ILP32__ 1
#define __SIZEOF_POINTER__ 4
#define __SIZEOF_INT__ 4
#define __SIZEOF_LONG__ 4
#define __SIZEOF_LONG_LONG__ 8
#define __SIZEOF_SHORT__ 2
#define __SIZEOF_FLOAT__ 4
#define __SIZEOF_DOUBLE__ 8
#define __CHAR_BIT__ 8
`;

const EMPTY: Token[] = [];

/** Object-like macros longer than this are read lazily (see pushLazyExpansion). */
const LAZY_BODY = 64;

/** Hide sets per macro whose copies of its tokens are kept for reuse (see bodyCopies). */
const MEMO_HIDESETS = 4;

// ---------------------------------------------------------------------------------------------

export class Preprocessor {
  readonly diags: DiagnosticSink;
  readonly limits: CompileLimits;
  macros!: Map<string, Macro>;
  /** `macros` is a shared table (predefined, or a HeaderReplay's): copy before changing it. */
  macrosShared = false;
  frames: Frame[] = [];
  top!: Frame;
  readonly out = new TokenList();
  /** Files lexed in this run, by name (an include used twice is lexed once). */
  readonly lexedFiles = new Map<string, LexedFile>();
  readonly pragmaOnce = new Set<string>();
  /** The string token `joinStrings` made last, and the run it views (see joinStrings). */
  lastJoined: Token | null = null;
  lastRun: LiteralRun | null = null;
  /** Definitions saved by #pragma push_macro, by name (undefined: the name was not defined). */
  readonly pushedMacros = new Map<string, (Macro | undefined)[]>();
  /**
   * Tokens the output may hold: `maxTokens` plus every token of the user's own files (lexed
   * once each), so a big table compiles while what macros make out of a small source stays
   * bounded; memory stays linear in the source (see CompileLimits.maxTokens).
   */
  tokenLimit: number;
  readonly hidesets = new HidesetTable();
  /** Where `collectArgs` gathers an invocation's tokens, and the `)` that ended it. */
  readonly argScratch: Token[] = [];
  readonly argEnds: number[] = [];
  rparen: Token | null = null;
  /** The "eof" that ended the latest argument expanded on its own (see `expandList`). */
  argumentEnd: Token | null = null;
  /** Per macro, its tokens as its latest expansion made them (see `bodyCopies`). */
  readonly latestCopies = new Map<Macro, BodyCopies[]>();
  /** Copies `recolor` has memoised (see there). */
  recolorMemos = 0;
  expansions = 0;
  expandedTokens = 0;
  includedTokens = 0;
  argumentDepth = 0;
  limitHit = false;
  /** Tokens of the data runs in `out` beyond the one token that stands for each. */
  runExtra = 0;
  /** Whether the token last returned by `next()` came straight from a file. */
  fromFile = false;
  /** Built-in headers included so far while no other macro was defined (see HeaderReplay). */
  pristine: string | null = null;
  /** A top-level built-in header being processed for `headerReplays`. */
  recording: {
    key: string;
    frame: Frame;
    outStart: number;
    expansions: number;
    expandedTokens: number;
    includedTokens: number;
    diagnostics: number;
    pragmaOnce: number;
  } | null = null;

  /** What __DATE__, __TIME__ and __COUNTER__ read. */
  readonly dynamicState: DynamicState = { started: new Date(), counter: 0 };

  constructor(readonly ctx: PreprocessContext) {
    this.diags = ctx.diags;
    this.limits = ctx.limits;
    this.tokenLimit = ctx.limits.maxTokens;
  }

  /** The whole output at once (the parser takes it in batches instead: PreprocessStream). */
  run(source: string): Token[] {
    this.start(source);
    const parts: Token[][] = [];
    for (let more = true; more; ) {
      more = this.pump(this.out.length + 4096);
      parts.push(this.out.take(!more));
    }
    return parts.length === 1 ? parts[0] : ([] as Token[]).concat(...parts);
  }

  /** Opens the main file (and the command line's definitions); `pump` makes the output. */
  start(source: string): void {
    this.macros = getPredefined(this.limits);
    this.macrosShared = true;
    try {
      const main = this.lexUserFile(this.ctx.file, source);
      this.pushFile(this.ctx.file, main, 0, false);
      const defines = Object.entries(this.ctx.defines);
      this.pristine = defines.length === 0 ? "" : null;
      if (defines.length > 0) {
        const text = defines
          .map(([name, value]) => `#define ${name} ${value.replace(/[\r\n]/g, " ")}\n`)
          .join("");
        this.pushFile("<command-line>", lex(text, "<command-line>", this.limits), 0, false);
      }
    } catch (e) {
      if (!(e instanceof CompileAbort)) throw e;
      this.end();
    }
  }

  /** The output has ended (with its "eof"). */
  ended = false;

  /**
   * Preprocesses until the output holds `target` tokens (true) or the input has ended (false;
   * the output then ends in "eof"). A CompileAbort ends the input where it was thrown.
   */
  pump(target: number): boolean {
    if (this.ended) return false;
    try {
      if (this.mainLoop(target)) return true;
    } catch (e) {
      if (!(e instanceof CompileAbort)) throw e;
    }
    this.end();
    return false;
  }

  /** Ends the output: an "eof" just after the last token. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.out.push(this.eofToken());
  }

  /** An "eof" at the last token's place. */
  eofToken(): Token {
    const last = this.out.last();
    const loc = last ? last.loc : { file: this.ctx.file, line: 1, col: 1 };
    return makeToken("eof", "", loc, true, false);
  }

  /** Used once to build the predefined macro table. */
  definePredefined(): Map<string, Macro> {
    this.macros = new Map();
    const dynamic = {
      __FILE__: fileMacro,
      __LINE__: lineMacro,
      __DATE__: dateMacro,
      __TIME__: timeMacro,
      __COUNTER__: counterMacro,
    };
    for (const [name, expand] of Object.entries(dynamic)) {
      this.macros.set(name, {
        name,
        params: null,
        variadic: false,
        body: EMPTY,
        paramAt: [],
        hasOperators: false,
        dynamic: expand,
        self: new Set([name]),
      });
    }
    this.pushFile("<built-in>", lex(PREDEFINED_SOURCE, "<built-in>", this.limits), 0, false);
    this.mainLoop(Number.POSITIVE_INFINITY);
    return this.macros;
  }

  // --- the main loop -------------------------------------------------------------------------

  /** Processes input until the output holds `target` tokens (true) or the input ends. */
  mainLoop(target: number): boolean {
    const out = this.out;
    for (;;) {
      if (out.length >= target) return true;
      const tok = this.next(true);
      if (tok.kind === "eof") {
        if (!this.endOfFile()) return false;
        continue;
      }
      if (this.fromFile && tok.atLineStart && tok.kind === "punct" && tok.text === "#") {
        directive(this, tok);
        continue;
      }
      if (tok.kind === "ident") {
        if (this.expand(tok)) continue;
        if (tok.text === "_Pragma") {
          pragmaOperator(this, tok);
          continue;
        }
      }
      this.emit(tok);
    }
  }

  /**
   * Returns the next token; at the end of a file or argument, its "eof" (not consumed). A data
   * run is returned as one token only to the main loop (`passRuns`), which copies it to the
   * output; any other reader gets its tokens one by one.
   */
  next(passRuns = false): Token {
    for (;;) {
      const f = this.top;
      if (f.pos < f.toks.length) {
        const tok = f.toks[f.pos];
        if (f.kind === FILE) {
          const file = f.file!;
          if (f.pos >= file.problemAt) this.reportProblems(f, f.pos + 1, true);
          if (tok.kind === "run" && (!passRuns || file.lineMap !== null)) {
            f.pos++;
            this.pushFrame(macroFrame(runFrameTokens(tok, file.lineMap, mapToken)));
            continue;
          }
          if (tok.kind === "packed") {
            // A #define's body read as anything but a directive (gathered into an argument).
            f.pos++;
            this.pushFrame(macroFrame(packedFrameTokens(tok, file.lineMap)));
            continue;
          }
          this.fromFile = true;
          if (file.lineMap !== null && tok.kind !== "eof") {
            f.pos++;
            return mapToken(file.lineMap, tok);
          }
        } else {
          this.fromFile = false;
          if (f.lazy !== null) return lazyToken(f, f.pos++);
        }
        if (tok.kind !== "eof") f.pos++;
        return tok;
      }
      if (f.end !== null) return f.end;
      this.popFrame();
    }
  }

  /** The next token without consuming it, or undefined at a file's or argument's end. */
  peek(): Token | undefined {
    for (let k = this.frames.length - 1; k >= 0; k--) {
      const f = this.frames[k];
      if (f.pos < f.toks.length) {
        if (f.lazy !== null) return lazyToken(f, f.pos);
        const tok = f.toks[f.pos];
        if (tok.kind === "packed") return packedFrameTokens(tok, f.file!.lineMap)[0];
        return tok.kind === "eof" ? undefined : tok;
      }
      if (f.end !== null) return undefined;
    }
    return undefined;
  }

  /**
   * Whether the next token is `(`, read without consuming or copying it (a lazy frame's copy is
   * made only when the token is read).
   */
  nextIsParen(): boolean {
    for (let k = this.frames.length - 1; k >= 0; k--) {
      const f = this.frames[k];
      if (f.pos < f.toks.length) {
        const packed = f.lazy !== null ? f.lazy.packed : null;
        if (packed !== null) return packed.isOpenParen(f.pos);
        const t = f.toks[f.pos];
        if (t.kind === "packed") return t.packed!.isOpenParen(0);
        return t.kind === "punct" && t.text === "(";
      }
      if (f.end !== null) return false;
    }
    return false;
  }

  /** Consumes the next token, which `nextIsParen` has seen (so it is no data run). */
  skip(): void {
    const f = this.top;
    if (f.pos < f.toks.length && f.kind !== FILE) f.pos++;
    else this.next();
  }

  pushFrame(f: Frame): void {
    // Drop finished macro frames first, so chains of expansions do not pile up frames.
    while (this.top && this.top.kind === MACRO && this.top.pos >= this.top.toks.length) {
      this.popFrame();
    }
    this.frames.push(f);
    this.top = f;
  }

  /** The innermost file being read (not a macro's or argument's frame). */
  currentFile(): FileState {
    for (let k = this.frames.length - 1; k > 0; k--) {
      if (this.frames[k].kind === FILE) return this.frames[k].file!;
    }
    return this.frames[0].file!;
  }

  popFrame(): void {
    this.frames.pop();
    this.top = this.frames[this.frames.length - 1];
  }

  emit(tok: Token): void {
    const out = this.out;
    if (tok.kind === "str") {
      const prev = out.last();
      if (prev?.kind === "str") {
        out.setLast(this.joinStrings(prev, tok));
        return;
      }
    }
    if (tok.kind === "punct" && isInvalidCharToken(tok)) {
      this.diags.error(tok.loc, invalidCharMessage(tok.text));
    }
    if (out.length + this.runExtra >= this.tokenLimit) {
      this.diags.fatal(tok.loc, `too many tokens after preprocessing (${this.tokenLimitText()})`);
    }
    if (tok.kind === "run") {
      const extra = tok.run!.count - 1;
      if (out.length + this.runExtra + extra >= this.tokenLimit) {
        // Token by token, so the limit is reported at the token that crosses it.
        this.pushFrame(macroFrame(runFrameTokens(tok, null, mapToken)));
        return;
      }
      this.runExtra += extra;
    }
    out.push(tok);
  }

  /**
   * Joins adjacent string literals. The joined token views its run's buffer, so when the next
   * literal follows it, it is appended in amortized constant time (a run of n is linear).
   */
  joinStrings(a: Token, b: Token): Token {
    let run = a === this.lastJoined ? this.lastRun : null;
    if (run === null) run = new LiteralRun({ bytes: a.bytes!, prefix: a.value, spelling: a.text });
    const before = run.byteLength;
    const problem = run.append({ bytes: b.bytes!, prefix: b.value, spelling: b.text });
    if (problem !== undefined) {
      this.diags.error(b.loc, problem);
      return a;
    }
    const length = run.byteLength;
    if (length > this.limits.maxStringBytes && before <= this.limits.maxStringBytes) {
      this.diags.error(
        a.loc,
        `string literal too long (${length} bytes; limit ${this.limits.maxStringBytes})`,
      );
    }
    const joined = run.piece();
    const tok = makeToken("str", `${a.text} ${b.text}`, a.loc, a.atLineStart, a.hasSpace);
    tok.bytes = joined.bytes;
    tok.value = joined.prefix;
    this.lastJoined = tok;
    this.lastRun = run;
    return tok;
  }

  // --- files ---------------------------------------------------------------------------------

  /** The token limit in words: its total, and what the source contributes when it does. */
  tokenLimitText(): string {
    const own = this.tokenLimit - this.limits.maxTokens;
    if (own === 0) return `limit ${this.tokenLimit}`;
    return `limit ${this.tokenLimit}: the source's ${own} and ${this.limits.maxTokens} more`;
  }

  lexUserFile(name: string, text: string): LexedFile {
    const lexed = lex(text, name, this.limits);
    this.tokenLimit += lexed.tokenCount; // its "eof" is not output
    // Problems that do not depend on #if are reported at once.
    for (const p of lexed.problems) {
      if (!p.deferrable) this.report(p.loc, p.severity, p.message);
    }
    return lexed;
  }

  pushFile(name: string, lexed: LexedFile, includeDepth: number, builtin: boolean): void {
    let problem = 0;
    while (problem < lexed.problems.length && !lexed.problems[problem].deferrable) problem++;
    this.pushFrame({
      kind: FILE,
      toks: lexed.tokens,
      pos: 0,
      file: {
        name,
        lexed,
        conds: [],
        problem,
        problemAt: problemIndex(lexed, problem),
        includeDepth,
        builtin,
        lineMap: null,
      },
      lazy: null,
      end: null,
    });
  }

  /** Reports (or, for skipped tokens, drops) the deferred problems of tokens before `end`. */
  reportProblems(frame: Frame, end: number, report: boolean): void {
    const f = frame.file!;
    const problems = f.lexed.problems;
    while (f.problem < problems.length && problems[f.problem].index < end) {
      const p = problems[f.problem++];
      if (report && p.deferrable && !p.invalidChar) {
        this.report(f.lineMap ? mapLoc(f.lineMap, p.loc) : p.loc, p.severity, p.message);
      }
    }
    while (f.problem < problems.length && !problems[f.problem].deferrable) f.problem++;
    f.problemAt = problemIndex(f.lexed, f.problem);
  }

  report(loc: Loc, severity: "error" | "warning", message: string): void {
    if (severity === "error") this.diags.error(loc, message);
    else this.diags.warning(loc, message);
  }

  /** Handles the end of the current file; returns false when the main file has ended. */
  endOfFile(): boolean {
    const f = this.top;
    const conds = f.file!.conds;
    for (let k = conds.length - 1; k >= 0; k--) {
      this.diags.error(conds[k].loc, `unterminated #${conds[k].directive}`);
    }
    this.popFrame();
    if (this.recording?.frame === f) finishRecording(this);
    return this.frames.length > 0;
  }

  // --- directives ----------------------------------------------------------------------------

  /** Expands `tok` if it names a macro; the expansion is pushed as input. */
  expand(tok: Token): boolean {
    const macro = this.macros.get(tok.text);
    if (macro === undefined || tok.hideset?.has(macro.name) || this.limitHit) return false;
    if (macro.params === null) {
      if (macro.dynamic) {
        if (!this.countExpansion(tok, 1)) return false;
        this.pushFrame(macroFrame([macro.dynamic(tok, this.dynamicState)]));
        return true;
      }
      const hs = tok.hideset ? this.hidesets.add(tok.hideset, macro.name) : macro.self;
      if (hs.size > MAX_HIDESET) return this.tooDeep(tok);
      if (macro.packed !== undefined) {
        if (!this.countExpansion(tok, macro.packed.count)) return false;
        this.pushPackedExpansion(macro.packed, tok, hs);
        return true;
      }
      if (!macro.hasOperators && macro.body.length > LAZY_BODY) {
        if (!this.countExpansion(tok, macro.body.length)) return false;
        this.pushLazyExpansion(macro.body, tok, hs);
        return true;
      }
      const own = this.bodyCopies(macro, tok.loc, hs);
      const body = macro.hasOperators ? this.substitute(macro, [], tok, own) : allCopies(own);
      if (!this.countExpansion(tok, body.length)) return false;
      this.pushExpansion(body, tok, hs);
      return true;
    }
    if (!this.nextIsParen()) return false;
    this.skip();
    const args = this.collectArgs(macro, tok);
    if (args === null) return true;
    const rparen = this.rparen!;
    let hs = this.hidesets.intersect(tok.hideset, rparen.hideset);
    hs = hs ? this.hidesets.add(hs, macro.name) : macro.self;
    if (hs.size > MAX_HIDESET) return this.tooDeep(tok);
    const body = this.substitute(macro, args, tok, this.bodyCopies(macro, tok.loc, hs));
    // Counted after substitution: the arguments' tokens are part of what the expansion makes.
    if (!this.countExpansion(tok, body.length)) return true;
    this.pushExpansion(body, tok, hs);
    return true;
  }

  /**
   * Charges one expansion that produced `produced` tokens against the work budget (expansions
   * plus tokens produced), which bounds time and memory (no more tokens can be alive than were
   * produced), not a count of expansions: every expansion consumes a token of the source or of
   * an earlier expansion, so expansions cannot outrun the tokens they are charged for.
   */
  countExpansion(at: Token, produced: number): boolean {
    if (this.limitHit) return false; // reported once, by the expansion that crossed it
    this.expandedTokens += produced;
    this.expansions++;
    if (this.expansions + this.expandedTokens > this.limits.maxMacroWork) {
      this.limitHit = true;
      this.diags.error(
        at.loc,
        `macro expansion needs too much work (limit ${this.limits.maxMacroWork} expansions and tokens produced)`,
      );
      return false;
    }
    return true;
  }

  tooDeep(at: Token): boolean {
    this.limitHit = true;
    this.diags.error(at.loc, "macro expansion nested too deeply");
    return true;
  }

  /**
   * The macro's own tokens as an expansion at `loc` with hide set `hs` makes them, memoised for
   * the latest location of each macro (for up to MEMO_HIDESETS hide sets): the tokens of a
   * macro used inside another macro all take the outer invocation's location, so a macro
   * expanded many times within one outer expansion (an X-macro table, a helper used in a big
   * macro, at one or two nesting depths) shares one copy of its body. Tokens are never
   * mutated, so sharing them is safe.
   */
  bodyCopies(macro: Macro, loc: Loc, hs: ReadonlySet<string>): BodyCopies {
    let memo = this.latestCopies.get(macro);
    if (memo !== undefined && memo[0].loc === loc) {
      for (let k = 0; k < memo.length; k++) if (memo[k].hs === hs) return memo[k];
    } else {
      memo = [];
      this.latestCopies.set(macro, memo);
    }
    const copies: BodyCopies = { body: macro.body, loc, hs, toks: new Array(macro.body.length) };
    if (memo.length >= MEMO_HIDESETS) memo.shift();
    memo.push(copies);
    return copies;
  }

  /**
   * Pushes the expansion of a macro invoked at `at` (`body`: the macro's own tokens, already
   * located at `at` with hide set `hs`, see `bodyCopies`, and the arguments substituted).
   * Arguments keep their location, so diagnostics point into the caller's source, and get
   * `hs` added to their hide set; the first token takes the invocation's leading space.
   *
   * Only identifiers and `)` ever have their hide set read (to stop an expansion, and for the
   * hide set of a function-like invocation); other tokens from an expansion keep the hide set
   * they have (it marks them as made by expansion, see Parser.deferDeclaration). A token whose
   * hide set and spacing do not change is passed on as it is: arguments travel through nested
   * macros without a copy per level, and an unchanged body is pushed without any copy.
   */
  pushExpansion(body: Token[], at: Token, hs: ReadonlySet<string>): void {
    const n = body.length;
    if (n === 0) {
      if (at.hasSpace) this.passSpace();
      return;
    }
    let toks: Token[] | null = null;
    // Runs of tokens share a hide set: remember the last join.
    let lastIn: ReadonlySet<string> | undefined;
    let lastOut = hs;
    for (let k = 0; k < n; k++) {
      const t = body[k];
      let ths = t.hideset;
      if (ths === undefined) ths = hs;
      else if (ths !== hs && (t.kind === "ident" || (t.kind === "punct" && t.text === ")"))) {
        if (ths !== lastIn) {
          lastIn = ths;
          lastOut = this.hidesets.union(ths, hs);
        }
        ths = lastOut;
      }
      const hasSpace = k === 0 ? at.hasSpace : t.hasSpace;
      if (ths === t.hideset && hasSpace === t.hasSpace) continue;
      toks ??= body.slice();
      toks[k] = this.recolor(t, hasSpace, ths);
    }
    this.pushFrame(macroFrame(toks ?? body));
  }

  /**
   * `t` with another spacing or hide set, memoised per token: a token passed through the same
   * macros the same way (an X-macro's `)` and `(` on every row) gets one copy, not one per use,
   * so far fewer tokens survive into the parser.
   *
   * A memo keeps its copy alive as long as the token, and the copy's own memo the next copy: an
   * argument of source tokens passed down a chain of D macros keeps D copies of each alive until
   * the file is done, where copies made one level at a time died young (30k tokens through 100
   * levels: 9 MB of heap became 295 MB). So memos are bounded by the output's own budget, the
   * token limit; past it, copies are made as before (an X-macro compile makes a sixth as many).
   */
  recolor(t: Token, hasSpace: boolean, hideset: ReadonlySet<string> | undefined): Token {
    const memo = t.recolored;
    if (memo !== undefined && memo.hasSpace === hasSpace && memo.hideset === hideset) return memo;
    const copy = copyToken(t, t.loc, hasSpace, hideset);
    if (this.recolorMemos < this.tokenLimit && !Object.isFrozen(t)) {
      t.recolored = copy;
      this.recolorMemos++;
    }
    return copy;
  }

  /**
   * An expansion to nothing leaves its leading space to the token after it, as gcc does
   * (`#x` of `a ID()b` is "a b"): that token is read and pushed back with a space.
   */
  passSpace(): void {
    const after = this.peek();
    if (after === undefined || after.hasSpace || after.atLineStart) return;
    const t = this.next();
    this.pushFrame(macroFrame([copyToken(t, t.loc, true, t.hideset)]));
  }

  /**
   * Pushes the expansion of a long object-like macro without # or ##: its tokens are copied as
   * they are read, not all at once, so the copies of a big table die young (most are consumed
   * by the macros it invokes) instead of being held, and promoted, for the whole expansion.
   */
  pushLazyExpansion(body: Token[], at: Token, hs: ReadonlySet<string>): void {
    const frame = macroFrame(body);
    frame.lazy = {
      loc: at.loc,
      hs,
      first: copyToken(body[0], at.loc, at.hasSpace, hs),
      packed: null,
    };
    this.pushFrame(frame);
  }

  /** As `pushLazyExpansion`, for a packed body: each token is made from the arrays when read. */
  pushPackedExpansion(body: PackedBody, at: Token, hs: ReadonlySet<string>): void {
    const frame = macroFrame(body.slots());
    frame.lazy = { loc: at.loc, hs, first: body.token(0, at.loc, hs, at.hasSpace), packed: body };
    this.pushFrame(frame);
  }

  /**
   * The arguments of an invocation whose `(` has been read, each as its own array (exactly
   * sized: they are gathered in `argScratch` first, as collecting is never re-entered; what it
   * still holds dies with the compilation); the closing `)` is left in `rparen`. Null after an
   * error.
   */
  collectArgs(macro: Macro, name: Token): Token[][] | null {
    const params = macro.params!;
    const scratch = this.argScratch;
    // Where each argument ends in `scratch` (the list is made at the `)`, at its exact size).
    const ends = this.argEnds;
    let args = 0;
    let n = 0;
    let depth = 0;
    for (;;) {
      // A comma between arguments in a packed body (an X-macro table's rows) is skipped
      // without making its token.
      const f = this.top;
      const packed = f.lazy !== null ? f.lazy.packed : null;
      if (packed !== null && depth === 0 && f.pos > 0 && f.pos < f.toks.length) {
        if (packed.isComma(f.pos) && !(macro.variadic && args === params.length - 1)) {
          f.pos++;
          ends[args++] = n;
          continue;
        }
      }
      const t = this.next();
      if (t.kind === "eof") {
        this.diags.error(name.loc, `unterminated argument list invoking macro "${macro.name}"`);
        return null;
      }
      if (t.kind === "punct") {
        if (t.text === "(") depth++;
        else if (t.text === ")") {
          if (depth === 0) {
            ends[args++] = n;
            const list = argumentList(scratch, ends, args);
            this.rparen = t;
            return this.checkArgCount(macro, list, t) ? list : null;
          }
          depth--;
        } else if (t.text === "," && depth === 0) {
          if (!(macro.variadic && args === params.length - 1)) {
            ends[args++] = n;
            continue;
          }
        }
      }
      scratch[n++] = t;
    }
  }

  checkArgCount(macro: Macro, list: Token[][], rparen: Token): boolean {
    const want = macro.params!.length;
    // `F()` passes one empty argument, which is right for a one-parameter macro.
    if (want === 0 && list.length === 1 && list[0].length === 0) list.length = 0;
    // A variadic macro may be called without its variable part (a GNU extension).
    if (macro.variadic && list.length === want - 1) list.push([]);
    if (list.length === want) return true;
    const plural = want === 1 ? "" : "s";
    this.diags.error(
      rparen.loc,
      list.length < want
        ? `macro "${macro.name}" requires ${want} argument${plural}, but only ${list.length} given`
        : `macro "${macro.name}" passed ${list.length} arguments, but takes just ${want}`,
    );
    return false;
  }

  /** Replaces parameters in the body and applies # and ## (the C99 6.10.3 rules). */
  substitute(macro: Macro, args: Token[][], at: Token, own: BodyCopies): Token[] {
    const body = macro.body;
    const paramAt = macro.paramAt;
    if (!macro.hasOperators) {
      // Plain substitution of fully expanded arguments, into an array of the exact size.
      const expanded: (Token[] | undefined)[] = new Array(args.length);
      let size = 0;
      for (let k = 0; k < body.length; k++) {
        const p = paramAt[k];
        size += p < 0 ? 1 : this.expandedArg(expanded, args, p).length;
      }
      const out: Token[] = new Array(size);
      let n = 0;
      for (let k = 0; k < body.length; k++) {
        const p = paramAt[k];
        if (p < 0) {
          out[n++] = bodyCopy(own, k);
          continue;
        }
        const arg = expanded[p]!;
        if (arg.length === 0) continue;
        const first = arg[0];
        const space = body[k].hasSpace;
        out[n++] = first.hasSpace === space ? first : this.recolor(first, space, first.hideset);
        for (let j = 1; j < arg.length; j++) out[n++] = arg[j];
      }
      return out;
    }
    const expanded: (Token[] | undefined)[] = [];
    const out: Token[] = [];
    for (let k = 0; k < body.length; k++) {
      const t = body[k];
      const p = paramAt[k];
      if (t.kind === "punct" && t.text === "#" && macro.params) {
        out.push(this.stringize(args[paramAt[k + 1]], at));
        k++;
        continue;
      }
      if (t.kind === "punct" && t.text === "##") {
        let rhs: Token[];
        const q = paramAt[k + 1];
        if (body[k + 1].text === "#" && macro.params && body[k + 1].kind === "punct") {
          rhs = [this.stringize(args[paramAt[k + 2]], at)];
          k += 2;
        } else if (q >= 0) {
          rhs = args[q];
          k++;
          // GNU: `, ## __VA_ARGS__` drops the comma when the variable arguments are empty.
          const lhs = out[out.length - 1];
          if (macro.variadic && q === args.length - 1 && lhs?.text === ",") {
            if (rhs.length === 0) out.pop();
            else out.push(...rhs);
            continue;
          }
        } else {
          rhs = [bodyCopy(own, k + 1)];
          k++;
        }
        this.paste(out, rhs, at);
        continue;
      }
      if (p >= 0) {
        const next = body[k + 1];
        if (next?.kind === "punct" && next.text === "##") {
          // An operand of ## is not macro-expanded; an empty one becomes a placemarker.
          if (args[p].length === 0) out.push(PLACEMARKER);
          else this.pushArgument(out, args[p], t);
        } else {
          this.pushArgument(out, this.expandedArg(expanded, args, p), t);
        }
        continue;
      }
      out.push(bodyCopy(own, k));
    }
    let n = 0;
    for (let k = 0; k < out.length; k++) if (out[k] !== PLACEMARKER) out[n++] = out[k];
    out.length = n;
    return out;
  }

  /** Appends an argument's tokens; the first takes the parameter's leading space. */
  pushArgument(out: Token[], arg: Token[], param: Token): void {
    if (arg.length === 0) return;
    const first = arg[0];
    out.push(
      first.hasSpace === param.hasSpace
        ? first
        : this.recolor(first, param.hasSpace, first.hideset),
    );
    for (let k = 1; k < arg.length; k++) out.push(arg[k]);
  }

  /** `lhs ## rhs`: joins the last token of `out` with the first of `rhs`. */
  paste(out: Token[], rhs: Token[], at: Token): void {
    const lhs = out.pop()!;
    if (rhs.length === 0) {
      out.push(lhs);
      return;
    }
    const first = rhs[0];
    if (lhs === PLACEMARKER) {
      out.push(first);
    } else {
      const text = lhs.text + first.text;
      const lexed = lex(text, at.loc.file, this.limits);
      const tok = lexed.tokens[0];
      if (lexed.tokens.length !== 2 || lexed.problems.length > 0 || tok.text !== text) {
        this.diags.error(
          at.loc,
          `pasting "${lhs.text}" and "${first.text}" does not give a valid preprocessing token`,
        );
        out.push(lhs, first);
      } else {
        out.push({ ...tok, loc: at.loc, hasSpace: lhs.hasSpace, atLineStart: false });
      }
    }
    for (let k = 1; k < rhs.length; k++) out.push(rhs[k]);
  }

  /** `#param`: the argument's spelling as a string literal. */
  stringize(arg: Token[], at: Token): Token {
    let s = "";
    for (let k = 0; k < arg.length; k++) {
      const t = arg[k];
      if (k > 0 && t.hasSpace) s += " ";
      s += t.kind === "str" || t.kind === "char" ? t.text.replace(/[\\"]/g, "\\$&") : t.text;
    }
    const lexed = lex(`"${s}"`, at.loc.file, this.limits);
    return { ...lexed.tokens[0], loc: at.loc, hasSpace: at.hasSpace, atLineStart: false };
  }

  /** Argument `p`, macro-expanded once per invocation however often the body uses it. */
  expandedArg(cache: (Token[] | undefined)[], args: Token[][], p: number): Token[] {
    let arg = cache[p];
    if (arg === undefined) {
      arg = this.expandArg(args[p]);
      cache[p] = arg;
    }
    return arg;
  }

  /** Fully macro-expands an argument on its own (as if the rest of the file were absent). */
  expandArg(arg: Token[]): Token[] {
    if (arg.length === 0) return arg;
    let plain = true;
    for (const t of arg) {
      if (t.kind === "ident" && this.macros.has(t.text)) {
        plain = false;
        break;
      }
    }
    return plain ? arg : this.expandList(arg);
  }

  expandList(list: Token[]): Token[] {
    if (this.argumentDepth >= this.limits.maxNestingDepth) {
      this.diags.fatal(list[0]?.loc ?? this.eofLoc(), "macro arguments nested too deeply");
    }
    this.argumentDepth++;
    const loc = list.length > 0 ? list[list.length - 1].loc : this.eofLoc();
    // One "eof" per location: an X-macro table expands thousands of arguments at one place.
    let eof = this.argumentEnd;
    if (eof === null || eof.loc !== loc) {
      eof = makeToken("eof", "", loc, true, false);
      this.argumentEnd = eof;
    }
    const frame = macroFrame(list);
    frame.kind = ARGUMENT;
    frame.end = eof;
    this.pushFrame(frame);
    const out: Token[] = [];
    for (;;) {
      const t = this.next();
      if (t.kind === "eof") break;
      if (t.kind === "ident" && this.expand(t)) continue;
      out.push(t);
    }
    this.popFrame();
    this.argumentDepth--;
    return out;
  }

  eofLoc(): Loc {
    return { file: this.ctx.file, line: 1, col: 1 };
  }

  // --- #if -----------------------------------------------------------------------------------

  evalIf(toks: Token[], a: number, end: number, directive: Token): boolean {
    if (a >= end) {
      // gcc points just past the directive name, where the expression should start.
      const at = { ...directive.loc, col: directive.loc.col + directive.text.length };
      this.diags.error(at, `#${directive.text} with no expression`);
      return false;
    }
    // `defined` operands must not be expanded, so they are resolved before expansion.
    const line: Token[] = [];
    for (let i = a; i < end; i++) {
      const t = toks[i];
      if (t.kind === "ident" && t.text === "defined") {
        const r = this.readDefined(toks, i, end);
        if (r === null) return false;
        line.push(r.tok);
        i = r.next - 1;
      } else {
        line.push(t);
      }
    }
    const expanded = this.expandList(line);
    if (expanded.length === 0) {
      this.diags.error(directive.loc, `#${directive.text} with no expression`);
      return false;
    }
    try {
      const ev = new IfEvaluator(expanded, this, directive);
      const v = ev.evaluate();
      return v.v !== 0n;
    } catch (e) {
      if (e instanceof IfError) return false;
      throw e;
    }
  }

  /** `defined X` or `defined ( X )` at `toks[i]`: a 1 or 0 token and the index after it. */
  readDefined(toks: Token[], i: number, end: number): { tok: Token; next: number } | null {
    const at = toks[i];
    let k = i + 1;
    const paren = k < end && toks[k].text === "(";
    if (paren) k++;
    const id = k < end ? toks[k] : undefined;
    if (id?.kind !== "ident") {
      this.diags.error((id ?? at).loc, 'operator "defined" requires an identifier');
      return null;
    }
    k++;
    if (paren) {
      if (k >= end || toks[k].text !== ")") {
        this.diags.error(at.loc, "missing ')' after \"defined\"");
        return null;
      }
      k++;
    }
    const tok = makeToken("num", this.macros.has(id.text) ? "1" : "0", at.loc, false, at.hasSpace);
    return { tok, next: k };
  }

  error(loc: Loc, message: string): void {
    this.diags.error(loc, message);
  }

  get nestingLimit(): number {
    return this.limits.maxNestingDepth;
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** A macro's own tokens as expanded at `loc` with hide set `hs` (see Preprocessor.bodyCopies). */
interface BodyCopies {
  body: Token[];
  loc: Loc;
  hs: ReadonlySet<string>;
  toks: (Token | undefined)[];
}

function bodyCopy(c: BodyCopies, k: number): Token {
  let t = c.toks[k];
  if (t === undefined) {
    const b = c.body[k];
    t = copyToken(b, c.loc, b.hasSpace, c.hs);
    c.toks[k] = t;
  }
  return t;
}

/** Token `k` of a lazily read macro frame. */
function lazyToken(f: Frame, k: number): Token {
  const lazy = f.lazy!;
  if (k === 0) return lazy.first;
  if (lazy.packed !== null) return lazy.packed.token(k, lazy.loc, lazy.hs);
  const t = f.toks[k];
  return copyToken(t, lazy.loc, t.hasSpace, lazy.hs);
}

function allCopies(c: BodyCopies): Token[] {
  for (let k = 0; k < c.body.length; k++) bodyCopy(c, k);
  return c.toks as Token[];
}

function copyToken(
  t: Token,
  loc: Loc,
  hasSpace: boolean,
  hideset: ReadonlySet<string> | undefined,
): Token {
  return {
    kind: t.kind,
    text: t.text,
    loc,
    atLineStart: false,
    hasSpace,
    value: t.value,
    bytes: t.bytes,
    hideset,
    recolored: undefined,
  };
}

/** A packed #define body's tokens as a file frame would have read them. */
function packedFrameTokens(tok: Token, lineMap: LineMap | null): Token[] {
  const toks = tok.packed!.tokens();
  if (lineMap === null) return toks;
  return toks.map((t) => mapToken(lineMap, t));
}

function problemIndex(lexed: LexedFile, k: number): number {
  return k < lexed.problems.length ? lexed.problems[k].index : Number.POSITIVE_INFINITY;
}

function getPredefined(limits: CompileLimits): Map<string, Macro> {
  if (!predefined) {
    const p = new Preprocessor({
      file: "<built-in>",
      includes: {},
      defines: {},
      limits,
      diags: { error() {}, warning() {}, fatal() {} } as unknown as DiagnosticSink,
    });
    predefined = p.definePredefined();
  }
  return predefined;
}
