// forEachChild is the one walker every analysis uses: it must reach every child of every node
// kind. The samples table is typed by the union of kinds, so a kind added to the AST without a
// sample here fails to type-check, and a sample whose child forEachChild skips fails below.

import assert from "node:assert/strict";
import { test } from "node:test";
import type { AstNode, Expr, Initializer, Stmt, Var } from "../../cc/ast.ts";
import { forEachChild } from "../../cc/ast.ts";
import { type FunctionType, intType, pointerTo } from "../../cc/types.ts";

const loc = { file: "t.c", line: 1, col: 1 };
const v: Var = {
  id: 1,
  name: "x",
  type: intType,
  kind: "local",
  linkage: "none",
  loc,
  defined: true,
  addressTaken: false,
  uses: 0,
};
const fnType: FunctionType = { kind: "function", ret: intType, params: [], variadic: false };

let serial = 0;
/** A distinct leaf expression each call, so every child is its own object. */
const leaf = (): Expr => ({ k: "int", value: BigInt(serial++), type: intType, loc });
const leafStmt = (): Stmt => ({ k: "expr", expr: leaf(), loc });
const init = (): Initializer => ({
  size: 12,
  items: [
    { offset: 0, type: intType, expr: leaf() },
    { offset: 4, bytes: new Uint8Array([1, 2, 3, 4]) },
    { offset: 8, type: intType, expr: leaf() },
  ],
});

const samples: { [K in AstNode["k"]]: () => Extract<AstNode, { k: K }> } = {
  int: () => ({ k: "int", value: 1n, type: intType, loc }),
  float: () => ({ k: "float", value: 1.5, type: intType, loc }),
  var: () => ({ k: "var", v, type: intType, loc }),
  deref: () => ({ k: "deref", ptr: leaf(), type: intType, loc }),
  member: () => ({
    k: "member",
    base: leaf(),
    member: { name: "m", type: intType, offset: 0 },
    type: intType,
    loc,
  }),
  addr: () => ({ k: "addr", lv: leaf(), type: pointerTo(intType), loc }),
  unary: () => ({ k: "unary", op: "-", arg: leaf(), type: intType, loc }),
  binary: () => ({ k: "binary", op: "+", l: leaf(), r: leaf(), type: intType, loc }),
  logical: () => ({ k: "logical", op: "&&", l: leaf(), r: leaf(), type: intType, loc }),
  cond: () => ({ k: "cond", c: leaf(), t: leaf(), f: leaf(), type: intType, loc }),
  comma: () => ({ k: "comma", l: leaf(), r: leaf(), type: intType, loc }),
  assign: () => ({ k: "assign", lv: leaf(), value: leaf(), type: intType, loc }),
  cast: () => ({ k: "cast", arg: leaf(), type: intType, loc }),
  call: () => ({ k: "call", callee: leaf(), fnType, args: [leaf(), leaf()], type: intType, loc }),
  compound: () => ({ k: "compound", v, init: init(), type: intType, loc }),
  stmtexpr: () => ({
    k: "stmtexpr",
    body: [leafStmt(), leafStmt()],
    value: leaf(),
    type: intType,
    loc,
  }),
  expr: () => ({ k: "expr", expr: leaf(), loc }),
  decl: () => ({ k: "decl", v, init: init(), loc }),
  block: () => ({ k: "block", body: [leafStmt(), leafStmt(), leafStmt()], loc }),
  if: () => {
    const then = leafStmt();
    return { k: "if", cond: leaf(), then, else: leafStmt(), loc };
  },
  while: () => ({ k: "while", cond: leaf(), body: leafStmt(), loc }),
  do: () => ({ k: "do", body: leafStmt(), cond: leaf(), loc }),
  for: () => ({ k: "for", init: leafStmt(), cond: leaf(), step: leaf(), body: leafStmt(), loc }),
  switch: () => ({
    k: "switch",
    cond: leaf(),
    body: leafStmt(),
    cases: [1n],
    hasDefault: false,
    loc,
  }),
  case: () => ({ k: "case", value: 1n, body: leafStmt(), loc }),
  return: () => ({ k: "return", value: leaf(), loc }),
  break: () => ({ k: "break", loc }),
  continue: () => ({ k: "continue", loc }),
  goto: () => ({ k: "goto", label: "l", loc }),
  label: () => ({ k: "label", name: "l", body: leafStmt(), loc }),
};

const isNode = (x: unknown): x is AstNode =>
  typeof x === "object" && x !== null && "k" in x && (x as { k: string }).k in samples;

/** The child nodes of `node` found by looking at every field, whatever the kind. */
function fieldChildren(node: AstNode): AstNode[] {
  const out: AstNode[] = [];
  for (const value of Object.values(node)) {
    if (isNode(value)) out.push(value);
    else if (Array.isArray(value)) out.push(...value.filter(isNode));
    else if (typeof value === "object" && value !== null && "items" in value) {
      for (const item of (value as Initializer).items) if ("expr" in item) out.push(item.expr);
    }
  }
  return out;
}

test("forEachChild visits every child of every node kind exactly once", () => {
  for (const [kind, make] of Object.entries(samples)) {
    const node = make();
    const visited: AstNode[] = [];
    forEachChild(node, (child) => {
      visited.push(child);
    });
    const expected = fieldChildren(node);
    assert.equal(visited.length, expected.length, `${kind}: number of children`);
    for (const child of expected) assert.ok(visited.includes(child), `${kind}: a child is missed`);
  }
});

test("forEachChild visits operands left to right and a loop's condition before its body", () => {
  const order = (node: AstNode) => {
    const visited: string[] = [];
    forEachChild(node, (child) => {
      const key = Object.entries(node).find(([, value]) => value === child)?.[0];
      visited.push(key ?? "?");
    });
    return visited;
  };
  assert.deepEqual(order(samples.cond()), ["c", "t", "f"]);
  assert.deepEqual(order(samples.assign()), ["lv", "value"]);
  assert.deepEqual(order(samples.for()), ["init", "cond", "step", "body"]);
  assert.deepEqual(order(samples.do()), ["cond", "body"]);
});

test("forEachChild stops at the first truthy result and returns it", () => {
  const node = samples.block();
  const seen: AstNode[] = [];
  const result = forEachChild(node, (child) => {
    seen.push(child);
    return seen.length === 2 ? "found" : undefined;
  });
  assert.equal(result, "found");
  assert.equal(seen.length, 2);
  assert.equal(
    forEachChild(node, () => undefined),
    undefined,
  );
});

test("an unknown node kind is an internal error, not a silent skip", () => {
  const bogus = { k: "bogus", loc } as unknown as AstNode;
  assert.throws(() => forEachChild(bogus, () => undefined), /unhandled AST node "bogus"/);
});
