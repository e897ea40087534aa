// The parser: preprocessed tokens to the typed AST of ast.ts, with all semantic analysis done
// on the way (one pass, recursive descent; model: chibicc's parse.c + type.c).
// This file holds the parser state (tokens, scopes, functions) and the statements; the
// expressions, declarations and initializers live in their own files and work on `Parser`.

import type { Block, Expr, FunctionDef, Stmt, TranslationUnit, Var, VarKind } from "./ast.ts";
import type { Attributes } from "./attributes.ts";
import { castTo, convertAssign } from "./conversions.ts";
import {
  type Declarator,
  type DeclSpec,
  declareFunction,
  declareGlobal,
  expectDeclarationEnd,
  knrParameters,
  parseDeclarator,
  parseDeclSpec,
} from "./declarations.ts";
import { CompileAbort, type DiagnosticSink, type Loc } from "./diagnostics.ts";
import { parseStaticAssert } from "./extensions.ts";
import { BASIC_TYPE_KEYWORDS, isKeyword } from "./keywords.ts";
import type { CompileLimits } from "./limits.ts";
import { isStackOverflow, NESTING_TOO_DEEP } from "./stack-guard.ts";
import { parseBlockItems } from "./statements.ts";
import type { Token } from "./token.ts";
import { TokenWindow } from "./token-window.ts";
import {
  arrayOf,
  charType,
  type EnumType,
  type FunctionType,
  intType,
  isRecord,
  pointerTo,
  type RecordType,
  sameType,
  sizeOf,
  type Type,
  typeToString,
} from "./types.ts";
import { type LiteralPiece, literalElement } from "./wide-strings.ts";

export type ScopeEntry =
  | { k: "var"; v: Var }
  | { k: "typedef"; type: Type; isConst: boolean }
  | { k: "enum"; value: bigint; loc: Loc };

export class Scope {
  readonly names = new Map<string, ScopeEntry>();
  readonly tags = new Map<string, RecordType | EnumType>();
  readonly depth: number;
  /** `inDeferred`: opened while a deferred header declaration is parsed (see `resolveDeferred`). */
  constructor(
    readonly parent: Scope | undefined,
    readonly inDeferred = false,
  ) {
    this.depth = parent ? parent.depth + 1 : 0;
  }
}

/** The visible meaning of a name, over the meanings it has in enclosing scopes. */
interface Binding {
  entry: ScopeEntry;
  scope: Scope;
  prev: Binding | undefined;
}

export interface SwitchState {
  condType: Type;
  cases: bigint[];
  seen: Set<bigint>;
  hasDefault: boolean;
}

/** What the parser tracks while inside a function body. */
export interface FunctionState {
  v: Var;
  type: FunctionType;
  name: string;
  /** Every local, temporaries and compound literals included. */
  locals: Var[];
  /** Locals the user declared, for unused-variable warnings. */
  declared: Var[];
  callees: Set<Var>;
  labels: Map<string, { loc: Loc }>;
  gotos: { label: string; loc: Loc }[];
  loops: number;
  breakables: number;
  switchState: SwitchState | undefined;
  /** Statement expressions `({ ... })` open around the current point. */
  stmtExprs: number;
  /** Undeclared identifiers already reported, with their stand-in variables. */
  undeclared: Map<string, Var>;
  /** A variadic function's hidden parameter: where its variadic arguments are. */
  vaArea?: Var;
}

/** Per-parameter facts a function definition needs beyond its FunctionType. */
export interface ParamInfo {
  loc: Loc;
  isConst: boolean;
}

/** A call to a function declared without a prototype, re-checked at the end of the unit. */
interface UnprototypedCall {
  call: Expr & { k: "call" };
  v: Var | undefined;
  loc: Loc;
}

const TEMP_PREFIX = ".t";

export class Parser {
  pos = 0;
  depth = 0;
  scope: Scope;
  readonly fileScope: Scope;
  readonly globals: Var[] = [];
  readonly functions: FunctionDef[] = [];
  fn: FunctionState | undefined;
  /** > 0 while parsing an integer constant expression (division by zero is an error). */
  iceDepth = 0;
  // Plain Sets and Maps rather than weak ones: they live only as long as the parse, and are
  // cheaper to create.
  /** Variables declared const (assignment to them is an error). */
  readonly constVars = new Set<Var>();
  /** Pointer types whose pointee is const-qualified (`const char *`). */
  readonly constPointee = new Set<Type>();
  /** Function types written without a prototype: `int f()`. */
  readonly noPrototype = new Set<FunctionType>();
  readonly paramInfo = new Map<FunctionType, ParamInfo[]>();
  /** Where `...` was written in a prototype. */
  readonly ellipsisLoc = new Map<FunctionType, Loc>();
  /** Parameter names of K&R definitions `int f(a, b)`, whose types follow the declarator. */
  readonly knrNames = new Map<FunctionType, { name: string; loc: Loc }[]>();
  /** Start of the declaration being parsed (gcc's position for VLA errors). */
  declarationStart: Loc = { file: "", line: 1, col: 1 };
  /** Postfix ++/-- expressions and their cheaper prefix form, for discarded values. */
  readonly postfixAlt = new Map<Expr, Expr>();
  /** One map for all scopes, so a lookup is one hash probe whatever the nesting. */
  readonly bindings = new Map<string, Binding>();
  /**
   * Simple declarations from built-in headers, parsed when their name is first looked up
   * (name -> the declaration's tokens, then "eof"). A plugin uses few of the hundred-odd
   * prototypes and typedefs its headers declare; parsing them all cost more than the plugin.
   */
  readonly deferred = new Map<string, Token[]>();
  /** > 0 while a deferred declaration is parsed: lookups then see file scope only. */
  resolving = 0;
  readonly unprototypedCalls: UnprototypedCall[] = [];
  readonly strings = new Map<string, Var>();
  nextId = 1;
  identifiers = 0;
  staticBytes = 0;

  constructor(
    /** The tokens (swapped for a deferred declaration's own while it is parsed). */
    public toks: TokenWindow,
    readonly diags: DiagnosticSink,
    readonly limits: CompileLimits,
  ) {
    this.fileScope = new Scope(undefined);
    this.scope = this.fileScope;
  }

  // ---- tokens ----

  get tok(): Token {
    return this.toks.at(this.pos);
  }

  peekAt(n: number): Token {
    return this.toks.at(this.pos + n);
  }

  next(): Token {
    const t = this.toks.at(this.pos);
    if (t.kind !== "eof") this.pos++;
    return t;
  }

  /** The current token is the punctuator or keyword `text`. */
  at(text: string): boolean {
    const t = this.toks.at(this.pos);
    return t.text === text && (t.kind === "punct" || t.kind === "ident");
  }

  eat(text: string): boolean {
    if (!this.at(text)) return false;
    this.pos++;
    return true;
  }

  expect(text: string): Token {
    if (this.at(text)) return this.toks.at(this.pos++);
    this.fatal(this.missingTokenLoc(text), `expected '${text}' ${this.describeHere()}`);
  }

  /** Like gcc, a missing `;`, `)` or `]` is reported just after the token it should follow. */
  missingTokenLoc(text: string): Loc {
    const prev = this.pos > 0 ? this.toks.at(this.pos - 1) : undefined;
    if (!prev || (text !== ";" && text !== ")" && text !== "]")) return this.tok.loc;
    return { file: prev.loc.file, line: prev.loc.line, col: prev.loc.col + prev.text.length };
  }

  /** "before 'x'" / "at end of input", for "expected ..." messages. */
  describeHere(): string {
    const t = this.tok;
    return t.kind === "eof" ? "at end of input" : `before '${t.text}'`;
  }

  expectIdent(): Token {
    const t = this.tok;
    if (t.kind !== "ident") this.fatal(t.loc, `expected identifier ${this.describeHere()}`);
    this.pos++;
    return t;
  }

  /** Data runs expanded in place so far (see `expandRun`). */
  private runsExpanded = 0;

  /**
   * Replaces the data run at `pos` by its tokens `from`.. (initializers.ts reads runs in place
   * and gives up on what it does not handle; `sync` steps through tokens). Each costs a copy
   * of the tokens ahead, so after a few every run left is expanded at once.
   */
  expandRun(from: number): void {
    const run = this.tok.run!;
    const all = from !== run.count - 1 && ++this.runsExpanded > 8;
    this.toks.expandRun(this.pos, from, all);
  }

  /** Backtracking points open (see `hold`): while any is, no token may be released. */
  private holds = 0;

  /** The parser may come back to the current position (until `unhold`). */
  hold(): number {
    this.holds++;
    return this.pos;
  }

  unhold(): void {
    this.holds--;
  }

  /** Between statements and declarations: tokens well behind `pos` will not be read again. */
  releaseTokens(): void {
    if (this.holds === 0) this.toks.release(this.pos);
  }

  // ---- diagnostics ----

  error(loc: Loc, message: string): void {
    this.diags.error(loc, message);
  }

  warn(loc: Loc, message: string): void {
    this.diags.warning(loc, message);
  }

  fatal(loc: Loc, message: string): never {
    this.diags.fatal(loc, message);
  }

  /** Guards recursion: every nesting construct enters and leaves. */
  enter(): void {
    if (++this.depth > this.limits.maxNestingDepth) {
      this.depth = 0; // the abort unwinds past every `leave`; callers reset on resync
      this.fatal(this.tok.loc, "nesting too deep");
    }
  }

  leave(): void {
    this.depth--;
  }

  // ---- scopes ----

  lookup(name: string): ScopeEntry | undefined {
    const b = this.bindings.get(name);
    if (this.resolving === 0) {
      if (b !== undefined) return b.entry;
    } else {
      // As if at the header's place in the file: the caller's block scopes are not visible.
      for (let c = b; c; c = c.prev) {
        if (c.scope === this.fileScope || c.scope.inDeferred) return c.entry;
      }
    }
    if (this.deferred.size === 0 || !this.deferred.has(name)) return undefined;
    this.resolveDeferred(name);
    return this.lookup(name);
  }

  /** Parses the deferred header declaration of `name`, if there is one, at file scope. */
  resolveDeferred(name: string): void {
    if (this.deferred.size === 0) return;
    const declaration = this.deferred.get(name);
    if (declaration === undefined) return;
    this.deferred.delete(name);
    const { toks, pos, scope, fn, depth, iceDepth, declarationStart } = this;
    this.toks = TokenWindow.of(declaration);
    this.pos = 0;
    this.scope = this.fileScope;
    this.fn = undefined;
    this.iceDepth = 0;
    this.resolving++;
    try {
      this.parseExternalDeclaration();
    } finally {
      this.resolving--;
      this.toks = toks;
      this.pos = pos;
      this.scope = scope;
      this.fn = fn;
      this.depth = depth;
      this.iceDepth = iceDepth;
      this.declarationStart = declarationStart;
    }
  }

  /**
   * At file scope, on a built-in header's `[extern] T *name(params);` or `typedef T name;`
   * (T made of keywords, and for prototypes typedef names): records it for `resolveDeferred`
   * and moves past it. Header tokens are frozen; the rest of the declaration must come straight
   * from the same file (no hide set: no macro expansion, and so nothing the user defined).
   */
  deferDeclaration(): boolean {
    const toks = this.toks;
    const start = this.pos;
    const first = toks.at(start);
    if (first.kind !== "ident" || first.hideset !== undefined || !Object.isFrozen(first)) {
      return false;
    }
    const file = first.loc.file;
    const isTypedef = first.text === "typedef";
    let i = isTypedef ? start + 1 : start;
    let name: Token | undefined;
    for (; name === undefined; i++) {
      const t = toks.at(i);
      if (t.hideset !== undefined || t.loc.file !== file) return false;
      if (t.kind === "punct") {
        if (t.text !== "*") return false;
        continue;
      }
      if (t.kind !== "ident") return false;
      if (isKeyword(t.text)) {
        if (!deferrableKeywords.has(t.text)) return false;
        continue;
      }
      const after = toks.at(i + 1);
      if (after.kind === "punct" && after.text === (isTypedef ? ";" : "(")) name = t;
      else if (isTypedef || after.kind !== "ident") return false;
    }
    if (!isTypedef) {
      // The parameter list, then `;`.
      for (let parens = 0; ; i++) {
        const t = toks.at(i);
        if (t.kind === "eof" || t.hideset !== undefined || t.loc.file !== file) return false;
        if (t.kind !== "punct") continue;
        if (t.text === "(") parens++;
        else if (t.text === ")" && --parens === 0) break;
        else if (t.text === ";" || t.text === "{" || t.text === "=") return false;
      }
      i++;
    }
    const end = toks.at(i);
    if (end.kind !== "punct" || end.text !== ";") return false;
    if (this.bindings.has(name.text) || this.deferred.has(name.text)) return false;
    const declaration: Token[] = [];
    for (let k = start; k <= i; k++) declaration.push(toks.at(k));
    declaration.push(eofAfter(end));
    this.deferred.set(name.text, declaration);
    this.pos = i + 1;
    return true;
  }

  lookupTag(name: string): RecordType | EnumType | undefined {
    for (let s: Scope | undefined = this.scope; s; s = s.parent) {
      const e = s.tags.get(name);
      if (e) return e;
    }
    return undefined;
  }

  /** Is `name` a typedef name here (not shadowed by a variable or enumerator)? */
  isTypedefName(name: string): boolean {
    return this.lookup(name)?.k === "typedef";
  }

  countIdentifier(loc: Loc): void {
    if (++this.identifiers > this.limits.maxIdentifiers) {
      // Past this limit the input is hostile: stop at once instead of resynchronizing.
      this.pos = this.toks.end();
      this.stopped = true;
      this.fatal(loc, `too many identifiers (limit ${this.limits.maxIdentifiers})`);
    }
  }

  /** Parsing was abandoned (a hard limit was hit); no more diagnostics. */
  stopped = false;

  declareName(name: string, entry: ScopeEntry, loc: Loc, scope = this.scope): void {
    this.countIdentifier(loc);
    scope.names.set(name, entry);
    // Find where `scope` sits in the name's chain of bindings (innermost first).
    let above: Binding | undefined;
    let b = this.bindings.get(name);
    while (b && b.scope.depth > scope.depth) {
      above = b;
      b = b.prev;
    }
    if (b && b.scope === scope) {
      b.entry = entry;
      return;
    }
    const nb: Binding = { entry, scope, prev: b };
    if (above) above.prev = nb;
    else this.bindings.set(name, nb);
  }

  pushScope(): void {
    this.scope = new Scope(this.scope, this.resolving > 0);
  }

  /** Leaves the innermost scope: its names stop hiding outer ones. */
  popScope(): void {
    const s = this.scope;
    for (const name of s.names.keys()) {
      // Innermost unless `s` was opened by a deferred declaration inside a block.
      let above: Binding | undefined;
      let b = this.bindings.get(name);
      while (b && b.scope !== s) {
        above = b;
        b = b.prev;
      }
      if (!b) continue;
      if (above) above.prev = b.prev;
      else if (b.prev) this.bindings.set(name, b.prev);
      else this.bindings.delete(name);
    }
    this.scope = s.parent!;
  }

  // ---- variables ----

  newVar(name: string, type: Type, kind: VarKind, linkage: Var["linkage"], loc: Loc): Var {
    return {
      id: this.nextId++,
      name,
      type,
      kind,
      linkage,
      loc,
      defined: false,
      addressTaken: type.kind === "array" || isRecord(type),
      uses: 0,
    };
  }

  /** A block-scope automatic variable of the current function. */
  newLocal(name: string, type: Type, loc: Loc): Var {
    const fn = this.fn;
    if (!fn) this.fatal(loc, "initializer element is not constant");
    const v = this.newVar(name, type, "local", "none", loc);
    fn.locals.push(v);
    return v;
  }

  /** A hidden local the desugarings need (e.g. the address of a compound-assigned lvalue). */
  newTemp(type: Type, loc: Loc): Var {
    return this.newLocal(`${TEMP_PREFIX}${this.nextId}`, type, loc);
  }

  /** A global with internal linkage and a unique name (static locals, literals). */
  newInternalGlobal(name: string, type: Type, loc: Loc): Var {
    const v = this.newVar(`${name}.${this.nextId}`, type, "global", "internal", loc);
    v.defined = true;
    this.addGlobal(v);
    return v;
  }

  addGlobal(v: Var): void {
    this.globals.push(v);
  }

  /** Accounts for the static data of a defined global, against the limit. */
  chargeStatic(v: Var): void {
    this.staticBytes += sizeOf(v.type);
    if (this.staticBytes > this.limits.maxObjectBytes) {
      this.fatal(v.loc, "static data is too large");
    }
  }

  /** The internal global holding a string literal (identical literals share one). */
  stringLiteral(piece: LiteralPiece, loc: Loc): Var {
    const { bytes, prefix } = piece;
    let key = prefix === undefined ? "" : String.fromCharCode(prefix);
    for (let i = 0; i < bytes.length; i++) key += String.fromCharCode(bytes[i]!);
    key = (prefix === undefined ? '"' : "") + key;
    const known = this.strings.get(key);
    if (known) return known;
    const unit = literalElement(prefix);
    const type = arrayOf(unit, bytes.length / unit.size + 1);
    const v = this.newVar(`.str.${this.nextId}`, type, "global", "internal", loc);
    v.defined = true;
    v.readonly = true;
    v.init = { size: bytes.length + unit.size, items: bytes.length ? [{ offset: 0, bytes }] : [] };
    this.strings.set(key, v);
    this.addGlobal(v);
    return v;
  }

  /** Skips to a point where parsing can resume after an error: past `;` or before `}`. */
  sync(): void {
    let braces = 0;
    for (;;) {
      const t = this.tok;
      if (t.kind === "eof") return;
      if (t.kind === "run") {
        this.expandRun(0);
        continue;
      }
      if (t.kind === "punct") {
        if (t.text === ";" && braces === 0) {
          this.pos++;
          return;
        }
        if (t.text === "{") braces++;
        else if (t.text === "}") {
          if (braces === 0) return;
          if (--braces === 0) {
            this.pos++;
            if (!this.at(";")) return;
            continue;
          }
        }
      }
      this.pos++;
    }
  }

  // ---- statements ----

  // ---- functions and the translation unit ----

  parseFunctionDefinition(ds: DeclSpec, d: Declarator): void {
    let type = d.type as FunctionType;
    const nameLoc = d.loc;
    const name = d.name!;
    let knr: ReturnType<typeof knrParameters> | undefined;
    if (this.knrNames.has(type)) {
      knr = knrParameters(this, type);
      type = knr.type;
    } else if (this.noPrototype.has(type)) {
      // `int f() { ... }` defines a function taking no arguments.
      type = { kind: "function", ret: type.ret, params: [], variadic: false };
    }
    const v = declareFunction(this, name, type, ds, nameLoc, true);
    const redefined = v.def !== undefined;
    if (redefined) this.error(nameLoc, `redefinition of '${name}'`);
    const info = this.paramInfo.get(d.type as FunctionType);
    this.pushScope();
    const fn: FunctionState = {
      v,
      type,
      name,
      locals: [],
      declared: [],
      callees: new Set(),
      labels: new Map(),
      gotos: [],
      loops: 0,
      breakables: 0,
      switchState: undefined,
      stmtExprs: 0,
      undeclared: new Map(),
    };
    this.fn = fn;
    const entry: Stmt[] = [];
    try {
      const params: Var[] = [];
      for (let i = 0; i < type.params.length; i++) {
        const p = type.params[i]!;
        const loc = info?.[i]?.loc ?? nameLoc;
        if (p.type.kind === "struct" || p.type.kind === "union") {
          if (!p.type.complete) {
            this.error(loc, `parameter ${i + 1} has incomplete type '${typeToString(p.type)}'`);
          }
        }
        if (p.name === undefined) {
          this.error(loc, "parameter name omitted");
          continue;
        }
        const declared = knr?.declared[i];
        if (declared && !sameType(declared, p.type)) {
          // A K&R `char c` or `float x`: passed promoted, converted to a local on entry.
          const loc = knr!.locs[i]!;
          const pv = this.newVar(`.${p.name}`, p.type, "param", "none", loc);
          pv.uses++;
          const local = this.newLocal(p.name, declared, loc);
          this.declareName(p.name, { k: "var", v: local }, loc);
          const arg: Expr = { k: "var", v: pv, type: p.type, loc };
          const lv: Expr = { k: "var", v: local, type: declared, loc };
          const assign: Expr = {
            k: "assign",
            lv,
            value: castTo(arg, declared),
            type: declared,
            loc,
          };
          entry.push({ k: "expr", expr: assign, loc });
          params.push(pv);
          continue;
        }
        const pv = this.newVar(p.name, p.type, "param", "none", loc);
        if (info?.[i]?.isConst) this.constVars.add(pv);
        if (this.scope.names.has(p.name)) this.error(loc, `redefinition of parameter '${p.name}'`);
        this.declareName(p.name, { k: "var", v: pv }, loc);
        params.push(pv);
      }
      if (type.variadic) {
        // The hidden last parameter: the address of the variadic arguments (cc/stdarg.ts).
        fn.vaArea = this.newVar(".va", pointerTo(charType), "param", "none", nameLoc);
        params.push(fn.vaArea);
      }
      if (type.ret.kind === "struct" || type.ret.kind === "union") {
        if (!type.ret.complete) this.error(nameLoc, "return type is an incomplete type");
      }
      const bodyLoc = this.expect("{").loc;
      const body: Block = { k: "block", loc: bodyLoc, body: parseBlockItems(this) };
      if (entry.length > 0) body.body.unshift(...entry);
      if (name === "main" && type.ret.kind === "int" && !endsWithReturn(body)) {
        // C99 5.1.2.2.3: reaching the } that terminates main returns 0.
        body.body.push({
          k: "return",
          loc: bodyLoc,
          value: { k: "int", value: 0n, type: intType, loc: bodyLoc },
        });
      }
      this.checkGotos(fn);
      this.warnUnused(fn);
      if (!redefined) {
        const def: FunctionDef = {
          v,
          type,
          params,
          body,
          locals: fn.locals,
          callees: fn.callees,
          hasGoto: fn.gotos.length > 0,
          loc: nameLoc,
        };
        v.def = def;
        v.defined = true;
        this.functions.push(def);
      }
    } finally {
      this.fn = undefined;
      this.popScope();
    }
  }

  checkGotos(fn: FunctionState): void {
    for (const g of fn.gotos) {
      if (!fn.labels.has(g.label)) this.error(g.loc, `use of undeclared label '${g.label}'`);
    }
  }

  warnUnused(fn: FunctionState): void {
    for (const v of fn.declared) {
      if (v.uses === 0 && !this.explicitlyAddressed.has(v)) {
        this.warn(v.loc, `unused variable '${sourceName(v)}'`);
      }
    }
  }

  /** The `__attribute__`s read since the current declaration's specifiers began. */
  attributes: Attributes = {};

  /** Variables whose address the program takes with `&` (not just array/record storage). */
  readonly explicitlyAddressed = new WeakSet<Var>();

  parseExternalDeclaration(): void {
    if (this.tok.kind === "ident" && this.tok.text === "_Static_assert") {
      parseStaticAssert(this);
      return;
    }
    const ds = parseDeclSpec(this, true);
    if (this.eat(";")) return;
    let first = true;
    for (;;) {
      const d = parseDeclarator(this, ds.type, ds.isConst, "named");
      if (
        first &&
        d.type.kind === "function" &&
        (this.at("{") || (this.knrNames.has(d.type) && !this.at(";") && !this.at(",")))
      ) {
        if (ds.storage === "typedef") this.fatal(d.loc, "function definition declared 'typedef'");
        this.parseFunctionDefinition(ds, d);
        return;
      }
      first = false;
      declareGlobal(this, ds, d);
      if (!this.eat(",")) break;
    }
    expectDeclarationEnd(this);
  }

  parseUnit(): TranslationUnit {
    while (this.tok.kind !== "eof") {
      this.releaseTokens();
      const start = this.pos;
      try {
        if (this.at("}") || this.at(")")) {
          this.fatal(this.tok.loc, `expected identifier or '(' before '${this.tok.text}'`);
        }
        if (!this.deferDeclaration()) this.parseExternalDeclaration();
      } catch (e) {
        // Out of stack in a recursive rule: an error where the parse got to, and no more
        // (resuming inside the expression would only add noise).
        if (isStackOverflow(e)) {
          this.error(this.tok.loc, NESTING_TOO_DEEP);
          return new ParsedUnit(this);
        }
        if (!(e instanceof CompileAbort)) throw e;
        this.depth = 0;
        this.fn = undefined;
        while (this.scope !== this.fileScope) this.popScope();
        this.sync();
        if (this.pos === start || this.at("}")) this.pos++;
      }
    }
    this.finishUnit();
    return new ParsedUnit(this);
  }

  resolveAllDeferred(): void {
    if (this.deferred.size === 0) return;
    for (const name of [...this.deferred.keys()]) this.resolveDeferred(name);
  }

  finishUnit(): void {
    for (const c of this.unprototypedCalls) recheckUnprototypedCall(this, c);
    for (const v of this.globals) {
      if (v.kind === "global" && v.type.kind === "array" && v.type.length === undefined) {
        if (v.defined) {
          // gcc: "array 'a' assumed to have one element".
          this.warn(v.loc, `array '${v.name}' assumed to have one element`);
          v.type = arrayOf(v.type.of, 1);
        }
      }
      if (v.kind === "global" && v.defined && v.linkage !== "none") {
        if (isRecord(v.type) && !v.type.complete && !v.init) {
          this.error(v.loc, `storage size of '${v.name}' isn't known`);
        }
      }
    }
  }
}

/**
 * The parse result. `globals` is completed on first read: deferred header declarations join it
 * then. (Lowering never reads it; a caller listing what the headers declare, like the kernel's
 * signature parser, does.)
 */
class ParsedUnit implements TranslationUnit {
  readonly functions: FunctionDef[];
  constructor(private readonly parser: Parser) {
    this.functions = parser.functions;
  }

  get globals(): Var[] {
    this.parser.resolveAllDeferred();
    return this.parser.globals;
  }
}

/** Converts the arguments of a call made before the callee's prototype was known. */
function recheckUnprototypedCall(p: Parser, c: UnprototypedCall): void {
  const t = c.v?.type;
  if (!c.v || t?.kind !== "function" || p.noPrototype.has(t)) {
    if (c.call.args.length > 0) {
      p.error(c.loc, "call with arguments to a function without a prototype is not supported");
    }
    return;
  }
  const name = c.v.name;
  if (c.call.args.length < t.params.length && !t.variadic) {
    p.error(c.loc, `too few arguments to function '${name}'`);
    return;
  }
  if (c.call.args.length < t.params.length) {
    p.error(c.loc, `too few arguments to function '${name}'`);
    return;
  }
  if (c.call.args.length > t.params.length && !t.variadic) {
    p.error(c.loc, `too many arguments to function '${name}'`);
    return;
  }
  c.call.fnType = t;
  c.call.type = t.ret;
  c.call.args = c.call.args.map((a, i) =>
    i < t.params.length ? convertAssign(p, a, t.params[i]!.type, "passing") : a,
  );
}

function endsWithReturn(b: Block): boolean {
  const last = b.body[b.body.length - 1];
  return last !== undefined && last.k === "return";
}

/** The user-visible name of a variable (static locals carry a unique suffix). */
export function sourceName(v: Var): string {
  const dot = v.name.indexOf(".", 1);
  return dot > 0 ? v.name.slice(0, dot) : v.name;
}

/** Keywords a deferred header declaration may contain (no tags, no storage but extern). */
const deferrableKeywords = new Set<string>([...BASIC_TYPE_KEYWORDS, "const", "volatile", "extern"]);

/**
 * Parses a whole translation unit: `tokens` (a preprocessor's whole output, which may lack its
 * "eof") or a window on them.
 * Problems go to `ctx.diags`; only the sink's own errors (TooManyErrors, or a CompileAbort
 * outside any recoverable construct) can escape.
 */
export function parse(
  tokens: Token[] | TokenWindow,
  ctx: { diags: DiagnosticSink; limits: CompileLimits },
): TranslationUnit {
  let window: TokenWindow;
  if (tokens instanceof TokenWindow) window = tokens;
  else {
    const last = tokens[tokens.length - 1];
    const toks = last?.kind === "eof" ? tokens : [...tokens, eofAfter(last)];
    window = TokenWindow.of(toks);
  }
  const p = new Parser(window, ctx.diags, ctx.limits);
  return p.parseUnit();
}

function eofAfter(t: Token | undefined): Token {
  const loc = t ? { ...t.loc, col: t.loc.col + t.text.length } : { file: "", line: 1, col: 1 };
  return { kind: "eof", text: "", loc, atLineStart: false, hasSpace: false };
}
