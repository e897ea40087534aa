// The typed AST: the contract between the parser (which does all semantic analysis) and the
// lowering to wasm (which is then mechanical).
//
// Invariants the parser guarantees, so that lowering never has to reason about C's rules:
// - Every expression has its final C `type`. Implicit conversions are explicit `cast` nodes:
//   integer promotions, usual arithmetic conversions, assignment/argument/return conversions,
//   default argument promotions for variadic arguments, conversions to _Bool.
// - Arrays and function designators used as values are wrapped in `addr` (decay), so an `addr`
//   node's type is a pointer. A `var` of array type only appears under `addr`, `member`,
//   `sizeof` (already folded) or as the target of an initializer.
// - `a[i]` is `deref(binary + (a, i*size))`; `p->f` is `member(deref(p), f)`.
// - Pointer arithmetic is explicit: `p + i` is `binary +` of pointer type whose right operand
//   is an `int` (i32) already multiplied by the element size; `p - q` is
//   `binary / (binary - (cast<int> p, cast<int> q), size)` of type `int`. Pointers are i32,
//   so casts between pointers and 32-bit integers are no-ops.
// - Binary arithmetic operands have the node's type. Comparison operands share a common type
//   (or are both pointers, compared unsigned); the node's type is `int`. Shift operands are
//   promoted independently; the node's type is the left operand's.
// - Compound assignment and ++/-- are desugared into `assign` (plus a temporary `local` for
//   the address when the lvalue is not a plain variable), so lowering has no read-modify-write.
// - `sizeof`, enum constants and constant sub-expressions are folded to `int`/`float` nodes.
// - String literals become internal global variables (`Var.kind === "global"`,
//   `Var.linkage === "internal"`) with an initializer; static locals become globals too.
// - Conditions of if/while/do/for/?:/&&/||/! are scalars of any type: lowering tests != 0.

import type { Loc } from "./diagnostics.ts";
import { alignOf, type BitField, type FunctionType, type Member, type Type } from "./types.ts";

export type VarKind = "local" | "param" | "global" | "function";

export interface Var {
  /** Unique within a translation unit. */
  id: number;
  /** Source name; for string literals and static locals, a unique internal name. */
  name: string;
  type: Type;
  kind: VarKind;
  /** internal = `static` at file scope (and string literals, static locals); none = block scope. */
  linkage: "external" | "internal" | "none";
  loc: Loc;
  /** Globals and functions: a definition exists in this translation unit. */
  defined: boolean;
  /**
   * The variable must live in memory: its address is taken (`&v`), or it is an array, struct
   * or union. Locals without it live in wasm locals.
   */
  addressTaken: boolean;
  /** Globals and static locals: the static initializer (absent means zero-filled). */
  init?: Initializer;
  /** Functions with a body in this translation unit. */
  def?: FunctionDef;
  /** Global data written only by its initializer (string literals, `const` globals). */
  readonly?: boolean;
  /** `_Alignas`: an alignment above its type's (see objectAlign). */
  align?: number;
  /** Times the variable was read (for unused-variable warnings and dead-store decisions). */
  uses: number;
  /** `__attribute__((noinline))` / `((always_inline))` on a function. */
  inlineHint?: "never" | "always";
  /**
   * An imported function declared with another type than its C library prototype (same wasm
   * signature): the library's signature, under which it is linked (cc/libc-prototypes.ts).
   */
  linkSignature?: string;
}

/** The alignment of a variable's storage: its type's, or more with `_Alignas`. */
export function objectAlign(v: Var): number {
  return Math.max(alignOf(v.type), v.align ?? 1);
}

/** One scalar (or raw byte run) at a byte offset inside the initialized object; a bit-field's
 * item (`bits`) is one the parser could not pack into a byte run (a non-constant value of an
 * automatic object), stored by a read-modify-write after the rest. */
export type InitItem =
  | { offset: number; type: Type; expr: Expr; bits?: BitField }
  | { offset: number; bytes: Uint8Array };

/**
 * An object's initializer: the listed items, everything else zero. For a scalar object there
 * is one item at offset 0 of the object's type. For globals every `expr` is a constant: an
 * `int`/`float` node, or an address constant: `addr` of a global/function/string literal,
 * optionally inside `cast` and `binary +`/`-` with an `int` byte offset.
 */
export interface Initializer {
  size: number;
  items: InitItem[];
}

export type BinaryOp =
  | "+"
  | "-"
  | "*"
  | "/"
  | "%"
  | "<<"
  | ">>"
  | "&"
  | "|"
  | "^"
  | "=="
  | "!="
  | "<"
  | "<="
  | ">"
  | ">=";

interface Node {
  type: Type;
  loc: Loc;
}

export type Expr =
  | IntConst
  | FloatConst
  | VarRef
  | Deref
  | MemberAccess
  | AddrOf
  | Unary
  | Binary
  | Logical
  | Conditional
  | Comma
  | Assign
  | Cast
  | Call
  | CompoundLiteral
  | StmtExpr;

/** Integer constant (also the null pointer constant when `type` is a pointer). */
export interface IntConst extends Node {
  k: "int";
  value: bigint;
}

export interface FloatConst extends Node {
  k: "float";
  value: number;
}

/** A variable or function designator; an lvalue unless it is a function. */
export interface VarRef extends Node {
  k: "var";
  v: Var;
}

/** `*ptr`: an lvalue of the pointee type. */
export interface Deref extends Node {
  k: "deref";
  ptr: Expr;
}

/** `base.member`; `base` is a record-typed lvalue or rvalue (e.g. a call's result). */
export interface MemberAccess extends Node {
  k: "member";
  base: Expr;
  member: Member;
}

/** `&lv`, array decay, or function designator to pointer (a table index). */
export interface AddrOf extends Node {
  k: "addr";
  lv: Expr;
}

export interface Unary extends Node {
  k: "unary";
  /** `-` and `~` on an operand of the node's type; `!` yields int. */
  op: "-" | "~" | "!";
  arg: Expr;
}

export interface Binary extends Node {
  k: "binary";
  op: BinaryOp;
  l: Expr;
  r: Expr;
}

/** Short-circuit `&&` / `||`; operands are scalars; type int. */
export interface Logical extends Node {
  k: "logical";
  op: "&&" | "||";
  l: Expr;
  r: Expr;
}

/** `c ? t : f`; `t` and `f` are converted to the node's type (possibly void or a record). */
export interface Conditional extends Node {
  k: "cond";
  c: Expr;
  t: Expr;
  f: Expr;
}

export interface Comma extends Node {
  k: "comma";
  l: Expr;
  r: Expr;
}

/**
 * `lv = value`; `value` already has lv's type. For records this is a struct copy. The node's
 * value is the stored value (an rvalue).
 */
export interface Assign extends Node {
  k: "assign";
  lv: Expr;
  value: Expr;
}

/** Conversion of a scalar `arg` to the node's scalar type, or to void (discard). */
export interface Cast extends Node {
  k: "cast";
  arg: Expr;
}

/**
 * A call. `callee` is a `var` of a function (a direct call) or an expression of
 * pointer-to-function type (an indirect call through the table). `args` are converted to the
 * parameter types; arguments beyond the fixed parameters of a variadic function have had the
 * default argument promotions applied. `fnType` is the callee's function type.
 */
export interface Call extends Node {
  k: "call";
  callee: Expr;
  fnType: FunctionType;
  args: Expr[];
}

/** `(T){...}` at block scope: initializes the hidden local `v` and yields it as an lvalue. */
export interface CompoundLiteral extends Node {
  k: "compound";
  v: Var;
  init: Initializer;
}

/**
 * GNU `({ body; value; })`: runs `body`, then yields `value` (absent: the node is void). The
 * parser guarantees no label, `case`, `goto` or `break`/`continue` crosses its boundary, so
 * lowering can emit `body` with the structured statement lowering in the middle of an
 * expression.
 */
export interface StmtExpr extends Node {
  k: "stmtexpr";
  body: Stmt[];
  value?: Expr;
}

export type Stmt =
  | ExprStmt
  | DeclStmt
  | Block
  | If
  | While
  | DoWhile
  | For
  | Switch
  | CaseLabel
  | Return
  | Break
  | Continue
  | Goto
  | Label;

interface StmtNode {
  loc: Loc;
}

export interface ExprStmt extends StmtNode {
  k: "expr";
  expr: Expr;
}

/** A block-scope automatic variable comes into scope here and is initialized if `init`. */
export interface DeclStmt extends StmtNode {
  k: "decl";
  v: Var;
  init?: Initializer;
}

export interface Block extends StmtNode {
  k: "block";
  body: Stmt[];
}

export interface If extends StmtNode {
  k: "if";
  cond: Expr;
  then: Stmt;
  else?: Stmt;
}

export interface While extends StmtNode {
  k: "while";
  cond: Expr;
  body: Stmt;
}

export interface DoWhile extends StmtNode {
  k: "do";
  body: Stmt;
  cond: Expr;
}

export interface For extends StmtNode {
  k: "for";
  init?: Stmt;
  cond?: Expr;
  step?: Expr;
  body: Stmt;
}

/**
 * `switch (cond) body`. `cond` is promoted. The parser guarantees every `case`/`default`
 * label of this switch is a statement of `body` (a Block) at its top level, possibly as a chain
 * `case 1: case 2: stmt`; other placements are rejected with a diagnostic. `cases` lists the
 * label values (already converted to cond's type) in source order.
 */
export interface Switch extends StmtNode {
  k: "switch";
  cond: Expr;
  body: Stmt;
  cases: bigint[];
  hasDefault: boolean;
}

/** `case value: body` or `default: body` (value undefined). */
export interface CaseLabel extends StmtNode {
  k: "case";
  value: bigint | undefined;
  body: Stmt;
}

export interface Return extends StmtNode {
  k: "return";
  /** Converted to the function's return type. */
  value?: Expr;
}

export interface Break extends StmtNode {
  k: "break";
}

export interface Continue extends StmtNode {
  k: "continue";
}

/**
 * `goto name`. The parser checks the label exists in the function; it may be anywhere in it
 * (into or out of any block: jumps.ts decides how the function is lowered).
 */
export interface Goto extends StmtNode {
  k: "goto";
  label: string;
}

export interface Label extends StmtNode {
  k: "label";
  name: string;
  body: Stmt;
}

export interface FunctionDef {
  v: Var;
  type: FunctionType;
  params: Var[];
  body: Block;
  /** Every local (params excluded), including compound literals and parser temporaries. */
  locals: Var[];
  /** Functions called directly (for inlining and recursion checks). */
  callees: Set<Var>;
  hasGoto: boolean;
  loc: Loc;
}

export interface TranslationUnit {
  /** File-scope variables, functions (declared or defined), string literals, static locals. */
  globals: Var[];
  functions: FunctionDef[];
}

/** Any node of a function body: the child type of `forEachChild`. */
export type AstNode = Expr | Stmt;

/** Expressions carry their C type; statements do not. */
export function isExpr(n: AstNode): n is Expr {
  return "type" in n;
}

/**
 * Calls `visit` on each direct child expression and statement of `node` (initializer items of
 * `decl` and `compound` included): operands left to right, a statement's condition (and a
 * `for`'s step) before its body. The order fixes e.g. table slots (first address taken first). A truthy result stops the walk and is
 * returned. Every analysis walks the AST through this, so a new node kind is added here once
 * and no analysis can silently skip it.
 */
export function forEachChild<T>(
  node: AstNode,
  visit: (child: AstNode) => T | undefined,
): T | undefined {
  switch (node.k) {
    case "int":
    case "float":
    case "var":
    case "break":
    case "continue":
    case "goto":
      return undefined;
    case "deref":
      return visit(node.ptr);
    case "member":
      return visit(node.base);
    case "addr":
      return visit(node.lv);
    case "unary":
    case "cast":
      return visit(node.arg);
    case "binary":
    case "logical":
    case "comma":
      return visit(node.l) || visit(node.r);
    case "cond":
      return visit(node.c) || visit(node.t) || visit(node.f);
    case "assign":
      return visit(node.lv) || visit(node.value);
    case "call":
      return visit(node.callee) || visitAll(node.args, visit);
    case "compound":
      return forEachInitExpr(node.init, visit);
    case "stmtexpr":
      return visitAll(node.body, visit) || (node.value && visit(node.value));
    case "expr":
      return visit(node.expr);
    case "decl":
      return node.init && forEachInitExpr(node.init, visit);
    case "block":
      return visitAll(node.body, visit);
    case "if":
      return visit(node.cond) || visit(node.then) || (node.else && visit(node.else));
    case "while":
    case "do":
    case "switch":
      return visit(node.cond) || visit(node.body);
    case "for":
      return (
        (node.init && visit(node.init)) ||
        (node.cond && visit(node.cond)) ||
        (node.step && visit(node.step)) ||
        visit(node.body)
      );
    case "case":
    case "label":
      return visit(node.body);
    case "return":
      return node.value && visit(node.value);
    default:
      return assertNever(node);
  }
}

function visitAll<N, T>(list: N[], visit: (child: N) => T | undefined): T | undefined {
  for (const n of list) {
    const r = visit(n);
    if (r) return r;
  }
  return undefined;
}

/** Calls `visit` on each expression of an initializer (raw byte runs have none). */
export function forEachInitExpr<T>(
  init: Initializer,
  visit: (child: Expr) => T | undefined,
): T | undefined {
  for (const item of init.items) {
    if ("expr" in item) {
      const r = visit(item.expr);
      if (r) return r;
    }
  }
  return undefined;
}

/** The default of a switch that must handle every kind: a new kind fails to type-check. */
export function assertNever(x: never): never {
  throw new Error(`unhandled AST node ${JSON.stringify((x as { k?: unknown }).k ?? x)}`);
}
