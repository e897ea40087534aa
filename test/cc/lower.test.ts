// Unit tests of the back end on hand-built typed ASTs: every module must validate (wabt) and
// compute the right results when instantiated in V8 with a minimal runtime.

import assert from "node:assert/strict";
import { test } from "node:test";
import type {
  BinaryOp,
  Expr,
  FunctionDef,
  Initializer,
  Stmt,
  TranslationUnit,
  Var,
  VarKind,
} from "../../cc/ast.ts";
import { compile } from "../../cc/compile.ts";
import { DiagnosticSink } from "../../cc/diagnostics.ts";
import { defaultLimits } from "../../cc/limits.ts";
import { lower } from "../../cc/lower.ts";
import { type CompiledModule, moduleFromWasm, STACK_FLOOR } from "../../cc/module.ts";
import {
  arrayOf,
  charType,
  doubleType,
  type FunctionType,
  floatType,
  intType,
  layoutRecord,
  llongType,
  pointerTo,
  type RecordType,
  type Type,
  ucharType,
  uintType,
  voidType,
} from "../../cc/types.ts";
import { validateWasm } from "../helpers/validate.ts";

// ---- AST construction ---------------------------------------------------------------------

const loc = { file: "t.c", line: 1, col: 1 };
let ids = 1;

function mkVar(name: string, type: Type, kind: VarKind, extra: Partial<Var> = {}): Var {
  const isAggregate = type.kind === "array" || type.kind === "struct" || type.kind === "union";
  return {
    id: ids++,
    name,
    type,
    kind,
    linkage: kind === "local" || kind === "param" ? "none" : "external",
    loc,
    defined: kind !== "function",
    addressTaken: isAggregate,
    uses: 1,
    ...extra,
  };
}

const num = (v: number | bigint, t: Type = intType): Expr => ({
  k: "int",
  value: BigInt(v),
  type: t,
  loc,
});
const fnum = (v: number, t: Type = doubleType): Expr => ({ k: "float", value: v, type: t, loc });
const ref = (v: Var): Expr => ({ k: "var", v, type: v.type, loc });
const bin = (op: BinaryOp, l: Expr, r: Expr, type?: Type): Expr => {
  const cmp = ["==", "!=", "<", "<=", ">", ">="].includes(op);
  return { k: "binary", op, l, r, type: type ?? (cmp ? intType : l.type), loc };
};
const cast = (type: Type, arg: Expr): Expr => ({ k: "cast", type, arg, loc });
const set = (lv: Expr, value: Expr): Expr => ({ k: "assign", lv, value, type: lv.type, loc });
const addr = (lv: Expr): Expr => ({
  k: "addr",
  lv,
  type: pointerTo(lv.type.kind === "array" ? lv.type.of : lv.type),
  loc,
});
const deref = (ptr: Expr): Expr => ({
  k: "deref",
  ptr,
  type: (ptr.type as { to: Type }).to,
  loc,
});
/** `a[i]` on an array variable or a pointer. */
const index = (base: Expr, i: Expr): Expr => {
  const ptr = base.type.kind === "array" ? addr(base) : base;
  const elem = (ptr.type as { to: Type }).to;
  const size = elem.kind === "int" || elem.kind === "float" ? elem.size : 4;
  return deref(bin("+", ptr, bin("*", i, num(size)), ptr.type));
};
const member = (base: Expr, name: string): Expr => {
  const m = (base.type as RecordType).members.find((x) => x.name === name)!;
  return { k: "member", base, member: m, type: m.type, loc };
};
const call = (f: Var | Expr, args: Expr[]): Expr => {
  const callee = "k" in f ? f : ref(f);
  const fnType = (callee.type.kind === "pointer" ? callee.type.to : callee.type) as FunctionType;
  return { k: "call", callee, fnType, args, type: fnType.ret, loc };
};
const cond = (c: Expr, t: Expr, f: Expr): Expr => ({ k: "cond", c, t, f, type: t.type, loc });

const expr = (e: Expr): Stmt => ({ k: "expr", expr: e, loc });
const ret = (value?: Expr): Stmt => ({ k: "return", value, loc });
const decl = (v: Var, value?: Expr): Stmt => ({
  k: "decl",
  v,
  init: value ? { size: 4, items: [{ offset: 0, type: v.type, expr: value }] } : undefined,
  loc,
});
const block = (...body: Stmt[]): Stmt => ({ k: "block", body, loc });
const ifs = (c: Expr, then: Stmt, els?: Stmt): Stmt => ({ k: "if", cond: c, then, else: els, loc });
const whiles = (c: Expr, body: Stmt): Stmt => ({ k: "while", cond: c, body, loc });
const fors = (init: Stmt | undefined, c: Expr | undefined, step: Expr | undefined, body: Stmt) =>
  ({ k: "for", init, cond: c, step, body, loc }) as Stmt;
const brk: Stmt = { k: "break", loc };
const cont: Stmt = { k: "continue", loc };
const caseOf = (value: number | undefined, body: Stmt): Stmt => ({
  k: "case",
  value: value === undefined ? undefined : BigInt(value),
  body,
  loc,
});
const gotoS = (label: string): Stmt => ({ k: "goto", label, loc });
const label = (name: string, body: Stmt): Stmt => ({ k: "label", name, body, loc });
const empty: Stmt = { k: "block", body: [], loc };

function fnType(ret: Type, params: Type[], variadic = false): FunctionType {
  return {
    kind: "function",
    ret,
    params: params.map((type) => ({ name: undefined, type })),
    variadic,
  };
}

/** Declares an extern function (imported). */
function externFn(name: string, t: FunctionType): Var {
  return mkVar(name, t, "function", { defined: false });
}

interface FnSpec {
  name: string;
  ret: Type;
  params: [string, Type][];
  static?: boolean;
  variadic?: boolean;
}

/** Defines a function; `body` receives the parameter and a local-variable factory. */
function defineFn(
  spec: FnSpec,
  body: (params: Var[], local: (name: string, t: Type, taken?: boolean) => Var) => Stmt[],
  callees: Var[] = [],
): FunctionDef {
  const type = fnType(
    spec.ret,
    spec.params.map((p) => p[1]),
    spec.variadic,
  );
  const v = mkVar(spec.name, type, "function", {
    linkage: spec.static ? "internal" : "external",
  });
  const params = spec.params.map(([n, t]) => mkVar(n, t, "param"));
  const locals: Var[] = [];
  const local = (name: string, t: Type, taken = false) => {
    const lv = mkVar(name, t, "local");
    if (taken) lv.addressTaken = true;
    locals.push(lv);
    return lv;
  };
  const stmts = body(params, local);
  const def: FunctionDef = {
    v,
    type,
    params,
    body: { k: "block", body: stmts, loc },
    locals,
    callees: new Set(callees),
    hasGoto: stmts.some(hasGoto),
    loc,
  };
  v.def = def;
  return def;
}

function hasGoto(s: Stmt): boolean {
  switch (s.k) {
    case "goto":
      return true;
    case "block":
      return s.body.some(hasGoto);
    case "if":
      return hasGoto(s.then) || (s.else !== undefined && hasGoto(s.else));
    case "while":
    case "do":
    case "switch":
    case "case":
    case "label":
    case "for":
      return hasGoto(s.body);
    default:
      return false;
  }
}

function unitOf(functions: FunctionDef[], globals: Var[] = []): TranslationUnit {
  return { functions, globals: [...globals, ...functions.map((f) => f.v)] };
}

// ---- compiling and running ----------------------------------------------------------------

interface Options {
  fuel?: boolean;
  inline?: boolean;
  nullChecks?: boolean;
}

function compileUnit(unit: TranslationUnit, opts: Options = {}): CompiledModule {
  const diags = new DiagnosticSink();
  const m = lower(unit, {
    file: "t.c",
    fuel: opts.fuel ?? false,
    nullChecks: opts.nullChecks ?? true,
    inline: opts.inline ?? true,
    diags,
    limits: defaultLimits,
  });
  assert.ok(m, `lowering failed: ${JSON.stringify(diags.list)}`);
  return m;
}

interface Runtime {
  exports: Record<string, (...args: never[]) => unknown>;
  memory: WebAssembly.Memory;
  fuel: WebAssembly.Global;
  sp: WebAssembly.Global;
  table: WebAssembly.Table;
}

const MEMORY_BASE = 65536;
const STACK_TOP = 60000;

/** Compiles C source with the whole pipeline and instantiates it like `run`. */
async function runC(
  source: string,
  opts: Options & { host?: Record<string, unknown>; fuelBudget?: number } = {},
): Promise<Runtime & { module: CompiledModule }> {
  const result = compile(source, { fuel: opts.fuel ?? false, inline: opts.inline ?? true });
  assert.ok(result.ok, JSON.stringify(result.diagnostics));
  return instantiate(result.module, opts);
}

async function run(
  unit: TranslationUnit,
  opts: Options & { host?: Record<string, unknown>; stackTop?: number; fuelBudget?: number } = {},
): Promise<Runtime & { module: CompiledModule }> {
  return instantiate(compileUnit(unit, opts), opts);
}

async function instantiate(
  m: CompiledModule,
  opts: { host?: Record<string, unknown>; stackTop?: number; fuelBudget?: number },
): Promise<Runtime & { module: CompiledModule }> {
  await validateWasm(m.wasm);
  const memory = new WebAssembly.Memory({ initial: 4 });
  const sp = new WebAssembly.Global({ value: "i32", mutable: true }, opts.stackTop ?? STACK_TOP);
  const fuel = new WebAssembly.Global({ value: "i32", mutable: true }, opts.fuelBudget ?? 1e9);
  const table = new WebAssembly.Table({ element: "anyfunc", initial: m.tableSize + 3 });
  const env: Record<string, unknown> = {
    memory,
    __stack_pointer: sp,
    __memory_base: new WebAssembly.Global({ value: "i32", mutable: false }, MEMORY_BASE),
    __table_base: new WebAssembly.Global({ value: "i32", mutable: false }, 3),
    __indirect_function_table: table,
    fuel,
    fuel_reserve: new WebAssembly.Global({ value: "f64", mutable: true }, 0),
    ...opts.host,
  };
  const instance = new WebAssembly.Instance(new WebAssembly.Module(m.wasm), { env } as never);
  return {
    module: m,
    exports: instance.exports as Runtime["exports"],
    memory,
    fuel,
    sp,
    table,
  };
}

// ---- tests --------------------------------------------------------------------------------

test("arithmetic, comparisons and 64-bit operations", async () => {
  const f = defineFn(
    {
      name: "f",
      ret: intType,
      params: [
        ["a", intType],
        ["b", intType],
      ],
    },
    ([a, b]) => [ret(bin("+", bin("*", ref(a!), num(3)), bin("/", ref(b!), num(2))))],
  );
  const ucmp = defineFn(
    {
      name: "ucmp",
      ret: intType,
      params: [
        ["a", uintType],
        ["b", uintType],
      ],
    },
    ([a, b]) => [ret(bin("<", ref(a!), ref(b!)))],
  );
  const ll = defineFn({ name: "ll", ret: llongType, params: [["a", intType]] }, ([a]) => [
    ret(bin("*", cast(llongType, ref(a!)), cast(llongType, ref(a!)))),
  ]);
  const shr = defineFn(
    {
      name: "shr",
      ret: intType,
      params: [
        ["a", intType],
        ["n", intType],
      ],
    },
    ([a, n]) => [ret(bin(">>", ref(a!), ref(n!)))],
  );
  const { exports, module } = await run(unitOf([f, ucmp, ll, shr]));
  assert.equal(exports.f!(...([5, 9] as never[])), 19);
  assert.equal(exports.ucmp!(...([-1, 1] as never[])), 0); // 0xffffffff < 1 is false unsigned
  assert.equal(exports.ll!(...([100000] as never[])), 10000000000n);
  assert.equal(exports.shr!(...([-16, 2] as never[])), -4);
  assert.deepEqual(
    module.exports.map((e) => e.name),
    ["f", "ucmp", "ll", "shr"],
  );
  assert.equal(module.uses.stackPointer, false);
  assert.equal(module.uses.fuel, false);
});

test("conversions: narrowing, _Bool, saturating float to int, sign and zero extension", async () => {
  const boolT = { kind: "int", name: "_Bool", size: 1, signed: false } as const;
  const toChar = defineFn({ name: "toChar", ret: intType, params: [["x", intType]] }, ([x]) => [
    ret(cast(intType, cast(charType, ref(x!)))),
  ]);
  const toUchar = defineFn({ name: "toUchar", ret: intType, params: [["x", intType]] }, ([x]) => [
    ret(cast(intType, cast(ucharType, ref(x!)))),
  ]);
  const toBool = defineFn({ name: "toBool", ret: intType, params: [["x", doubleType]] }, ([x]) => [
    ret(cast(intType, cast(boolT, ref(x!)))),
  ]);
  const trunc = defineFn({ name: "trunc", ret: intType, params: [["x", doubleType]] }, ([x]) => [
    ret(cast(intType, ref(x!))),
  ]);
  const widen = defineFn({ name: "widen", ret: llongType, params: [["x", uintType]] }, ([x]) => [
    ret(cast(llongType, ref(x!))),
  ]);
  const toF = defineFn({ name: "toF", ret: doubleType, params: [["x", uintType]] }, ([x]) => [
    ret(cast(doubleType, cast(floatType, ref(x!)))),
  ]);
  const { exports: e } = await run(unitOf([toChar, toUchar, toBool, trunc, widen, toF]));
  const call1 = (name: string, v: unknown) => e[name]!(...([v] as never[]));
  assert.equal(call1("toChar", 200), -56);
  assert.equal(call1("toUchar", -1), 255);
  assert.equal(call1("toBool", 0.25), 1);
  assert.equal(call1("toBool", 0), 0);
  assert.equal(call1("trunc", 1e20), 2147483647);
  assert.equal(call1("trunc", Number.NaN), 0);
  assert.equal(call1("trunc", -2.9), -2);
  assert.equal(call1("widen", -1), 4294967295n);
  assert.equal(call1("toF", -1), 4294967296);
});

test("loops with break and continue, and a for loop whose continue runs the step", async () => {
  // sum of i in [0, n) skipping multiples of 3, stopping at 50
  const f = defineFn({ name: "f", ret: intType, params: [["n", intType]] }, ([n], local) => {
    const s = local("s", intType);
    const i = local("i", intType);
    return [
      decl(s, num(0)),
      fors(
        decl(i, num(0)),
        bin("<", ref(i), ref(n!)),
        set(ref(i), bin("+", ref(i), num(1))),
        block(
          ifs(bin("==", bin("%", ref(i), num(3)), num(0)), cont),
          ifs(bin(">", ref(i), num(50)), brk),
          expr(set(ref(s), bin("+", ref(s), ref(i)))),
        ),
      ),
      ret(ref(s)),
    ];
  });
  const g = defineFn({ name: "g", ret: intType, params: [["n", intType]] }, ([n], local) => {
    const c = local("c", intType);
    return [
      decl(c, num(0)),
      whiles(
        num(1),
        block(
          ifs(bin("<=", ref(n!), num(1)), brk),
          expr(
            set(
              ref(n!),
              cond(
                bin("==", bin("&", ref(n!), num(1)), num(0)),
                bin("/", ref(n!), num(2)),
                bin("+", bin("*", ref(n!), num(3)), num(1)),
              ),
            ),
          ),
          expr(set(ref(c), bin("+", ref(c), num(1)))),
        ),
      ),
      ret(ref(c)),
    ];
  });
  const { exports } = await run(unitOf([f, g]));
  let expected = 0;
  for (let i = 0; i < 100; i++) {
    if (i % 3 === 0) continue;
    if (i > 50) break;
    expected += i;
  }
  assert.equal(exports.f!(...([100] as never[])), expected);
  assert.equal(exports.g!(...([27] as never[])), 111); // Collatz steps of 27
});

function switchFn(values: number[], name: string): FunctionDef {
  // switch (x) { case v0: r += 1; case v1: r += 10; break; ...; default: r = -1; }
  return defineFn({ name, ret: intType, params: [["x", intType]] }, ([x], local) => {
    const r = local("r", intType);
    const body: Stmt[] = [];
    values.forEach((v, i) => {
      body.push(caseOf(v, expr(set(ref(r), bin("+", ref(r), num(i + 1))))));
      if (i % 2 === 1) body.push(brk);
    });
    body.push(caseOf(undefined, expr(set(ref(r), num(-1)))));
    return [
      decl(r, num(0)),
      {
        k: "switch",
        cond: ref(x!),
        body: block(...body),
        cases: values.map(BigInt),
        hasDefault: true,
        loc,
      },
      ret(ref(r)),
    ];
  });
}

test("switch: dense (br_table) and sparse (compares), fallthrough and default", async () => {
  const dense = [3, 4, 5, 6, 7, 8];
  const sparse = [1, 1000, -7, 123456];
  const { exports } = await run(unitOf([switchFn(dense, "dense"), switchFn(sparse, "sparse")]));
  const model = (values: number[], x: number) => {
    const i = values.indexOf(x);
    if (i < 0) return -1;
    // falls through from an even index into the next case, breaks after an odd one
    return i % 2 === 0 ? i + 1 + (i + 2) : i + 1;
  };
  for (const x of [-7, 0, 1, 3, 4, 5, 6, 7, 8, 9, 1000, 123456]) {
    assert.equal(exports.dense!(...([x] as never[])), model(dense, x), `dense(${x})`);
    assert.equal(exports.sparse!(...([x] as never[])), model(sparse, x), `sparse(${x})`);
  }
});

test("goto: forward out of nested loops, and a backward loop written with goto", async () => {
  // find first i*j == n with i,j < 10, else -1
  const find = defineFn({ name: "find", ret: intType, params: [["n", intType]] }, ([n], local) => {
    const i = local("i", intType);
    const j = local("j", intType);
    const r = local("r", intType);
    return [
      decl(r, num(-1)),
      fors(
        decl(i, num(1)),
        bin("<", ref(i), num(10)),
        set(ref(i), bin("+", ref(i), num(1))),
        fors(
          decl(j, num(1)),
          bin("<", ref(j), num(10)),
          set(ref(j), bin("+", ref(j), num(1))),
          ifs(
            bin("==", bin("*", ref(i), ref(j)), ref(n!)),
            block(expr(set(ref(r), bin("+", bin("*", ref(i), num(100)), ref(j)))), gotoS("done")),
          ),
        ),
      ),
      expr(set(ref(r), num(-2))),
      label("done", ret(ref(r))),
    ];
  });
  // factorial with a backward goto
  const fact = defineFn({ name: "fact", ret: intType, params: [["n", intType]] }, ([n], local) => {
    const acc = local("acc", intType);
    return [
      decl(acc, num(1)),
      label(
        "again",
        ifs(
          bin(">", ref(n!), num(1)),
          block(
            expr(set(ref(acc), bin("*", ref(acc), ref(n!)))),
            expr(set(ref(n!), bin("-", ref(n!), num(1)))),
            gotoS("again"),
          ),
        ),
      ),
      ret(ref(acc)),
    ];
  });
  const { exports } = await run(unitOf([find, fact]), { fuel: true });
  assert.equal(exports.find!(...([12] as never[])), 206);
  assert.equal(exports.find!(...([97] as never[])), -2);
  assert.equal(exports.fact!(...([6] as never[])), 720);
});

test("frames: address-taken locals and parameters live on the shadow stack, restored on return", async () => {
  const inc = defineFn(
    { name: "inc", ret: voidType, params: [["p", pointerTo(intType)]] },
    ([p]) => [expr(set(deref(ref(p!)), bin("+", deref(ref(p!)), num(1))))],
  );
  const f = defineFn(
    { name: "f", ret: intType, params: [["x", intType]] },
    ([x], local) => {
      x!.addressTaken = true;
      const arr = local("arr", arrayOf(intType, 4));
      return [
        expr(call(inc.v, [addr(ref(x!))])),
        expr(set(index(ref(arr), num(3)), ref(x!))),
        expr(call(inc.v, [addr(index(ref(arr), num(3)))])),
        ret(index(ref(arr), num(3))),
      ];
    },
    [inc.v],
  );
  const { exports, sp, module } = await run(unitOf([inc, f]), { inline: false });
  assert.equal(exports.f!(...([40] as never[])), 42);
  assert.equal(sp.value, STACK_TOP);
  assert.equal(module.uses.stackPointer, true);
});

test("stack overflow below STACK_FLOOR traps with fuel untouched", async () => {
  const f = defineFn({ name: "f", ret: intType, params: [] }, (_p, local) => {
    const big = local("big", arrayOf(intType, 100));
    return [expr(set(index(ref(big), num(0)), num(7))), ret(index(ref(big), num(0)))];
  });
  const ok = await run(unitOf([f]), { fuel: true });
  assert.equal(ok.exports.f!(), 7);
  const tight = await run(unitOf([f]), { fuel: true, stackTop: STACK_FLOOR + 200, fuelBudget: 55 });
  assert.throws(() => tight.exports.f!(), WebAssembly.RuntimeError);
  assert.equal(tight.fuel.value, 55);
});

test("struct return via sret and struct parameters by copy", async () => {
  const pt: RecordType = {
    kind: "struct",
    tag: "pt",
    members: [],
    size: 0,
    align: 0,
    complete: false,
  };
  layoutRecord(pt, [
    { name: "x", type: intType },
    { name: "y", type: doubleType },
  ]);
  const make = defineFn({ name: "make", ret: pt, params: [["a", intType]] }, ([a], local) => {
    const r = local("r", pt);
    return [
      expr(set(member(ref(r), "x"), ref(a!))),
      expr(set(member(ref(r), "y"), cast(doubleType, bin("*", ref(a!), num(2))))),
      ret(ref(r)),
    ];
  });
  // sum(struct pt p) modifies its copy
  const sum = defineFn({ name: "sum", ret: doubleType, params: [["p", pt]] }, ([p]) => [
    expr(set(member(ref(p!), "x"), num(1000))),
    ret(bin("+", cast(doubleType, member(ref(p!), "x")), member(ref(p!), "y"))),
  ]);
  const f = defineFn(
    { name: "f", ret: doubleType, params: [["a", intType]] },
    ([a], local) => {
      const s = local("s", pt);
      return [
        expr(set(ref(s), call(make.v, [ref(a!)]))),
        decl(local("t", doubleType), undefined),
        ret(bin("+", call(sum.v, [ref(s)]), cast(doubleType, member(ref(s), "x")))),
      ];
    },
    [make.v, sum.v],
  );
  const { exports, sp } = await run(unitOf([make, sum, f]), { inline: false });
  assert.equal(exports.f!(...([21] as never[])), 1000 + 42 + 21);
  assert.equal(sp.value, STACK_TOP);
});

test("variadic calls write promoted arguments to an aligned buffer", async () => {
  const printfT = fnType(intType, [pointerTo(charType)], true);
  const printf = externFn("printf", printfT);
  const seen: unknown[] = [];
  let memory: WebAssembly.Memory | undefined;
  const host = {
    printf: (fmt: number, args: number) => {
      const view = new DataView(memory!.buffer);
      seen.push(fmt > 0, view.getInt32(args, true), view.getFloat64(args + 8, true));
      seen.push(view.getBigInt64(args + 16, true), view.getInt32(args + 24, true));
      return 5;
    },
  };
  const f = defineFn({ name: "f", ret: intType, params: [] }, () => [
    ret(
      call(printf, [
        cast(pointerTo(charType), num(64)),
        num(7),
        fnum(2.5),
        num(-3n, llongType),
        num(9),
      ]),
    ),
  ]);
  const rt = await run(unitOf([f]), { host });
  memory = rt.memory;
  assert.equal(rt.exports.f!(), 5);
  assert.deepEqual(seen, [true, 7, 2.5, -3n, 9]);
  assert.deepEqual(
    rt.module.imports.map(({ loc: _, ...symbol }) => symbol),
    [{ name: "printf", signature: "int (char *, ...)", params: ["i32", "i32"], results: ["i32"] }],
  );
});

test("inlining expands small helpers and drops static functions that are always inlined", async () => {
  const luma = defineFn(
    {
      name: "luma",
      ret: intType,
      params: [
        ["r", intType],
        ["g", intType],
        ["b", intType],
      ],
      static: true,
    },
    ([r, g, b]) => [
      ret(
        bin(
          ">>",
          bin(
            "+",
            bin("+", bin("*", ref(r!), num(77)), bin("*", ref(g!), num(150))),
            bin("*", ref(b!), num(29)),
          ),
          num(8),
        ),
      ),
    ],
  );
  const clampFn = defineFn(
    { name: "clamp", ret: intType, params: [["v", intType]], static: true },
    ([v]) => [
      ifs(bin("<", ref(v!), num(0)), ret(num(0))),
      ifs(bin(">", ref(v!), num(255)), ret(num(255))),
      ret(ref(v!)),
    ],
  );
  const f = defineFn(
    {
      name: "f",
      ret: intType,
      params: [
        ["r", intType],
        ["g", intType],
        ["b", intType],
      ],
    },
    ([r, g, b]) => [
      ret(call(clampFn.v, [bin("+", call(luma.v, [ref(r!), ref(g!), ref(b!)]), num(-10))])),
    ],
    [luma.v, clampFn.v],
  );
  const inlined = await run(unitOf([luma, clampFn, f]), { inline: true, fuel: true });
  const plain = await run(unitOf([luma, clampFn, f]), { inline: false, fuel: true });
  for (const [r, g, b] of [
    [0, 0, 0],
    [255, 255, 255],
    [10, 200, 30],
  ] as const) {
    const expected = Math.min(255, Math.max(0, ((r * 77 + g * 150 + b * 29) >> 8) - 10));
    assert.equal(inlined.exports.f!(...([r, g, b] as never[])), expected);
    assert.equal(plain.exports.f!(...([r, g, b] as never[])), expected);
  }
  const funcs = (m: CompiledModule) => new WebAssembly.Module(m.wasm);
  assert.equal(WebAssembly.Module.exports(funcs(inlined.module)).length, 1);
  assert.ok(inlined.module.wasm.length < plain.module.wasm.length);
  assert.equal(inlined.module.uses.fuel, false, "no calls or loops remain after inlining");
  assert.equal(plain.module.uses.fuel, true);
});

test("recursive functions are not inlined", async () => {
  const fib = defineFn({ name: "fib", ret: intType, params: [["n", intType]] }, () => []);
  const self = fib.v;
  fib.body.body = [
    ret(
      cond(
        bin("<", ref(fib.params[0]!), num(2)),
        ref(fib.params[0]!),
        bin(
          "+",
          call(self, [bin("-", ref(fib.params[0]!), num(1))]),
          call(self, [bin("-", ref(fib.params[0]!), num(2))]),
        ),
      ),
    ),
  ];
  fib.callees = new Set([self]);
  const { exports } = await run(unitOf([fib]), { inline: true });
  assert.equal(exports.fib!(...([20] as never[])), 6765);
});

test("fuel: loops charge at back-edges and trap when exhausted, leaving a negative counter", async () => {
  const spin = defineFn({ name: "spin", ret: intType, params: [["n", intType]] }, ([n], local) => {
    const i = local("i", intType);
    return [
      fors(
        decl(i, num(0)),
        bin("<", ref(i), ref(n!)),
        set(ref(i), bin("+", ref(i), num(1))),
        empty,
      ),
      ret(ref(i)),
    ];
  });
  const rt = await run(unitOf([spin]), { fuel: true, fuelBudget: 1000 });
  assert.equal(rt.exports.spin!(...([500] as never[])), 500);
  assert.equal(rt.fuel.value, 500, "one unit per iteration, written back on return");
  assert.throws(() => rt.exports.spin!(...([10000] as never[])), WebAssembly.RuntimeError);
  assert.ok((rt.fuel.value as number) < 0);
  const unmetered = await run(unitOf([spin]), { fuel: false });
  assert.equal(unmetered.module.uses.fuel, false);
  assert.equal(unmetered.module.metered, false);
});

test("static data: initialized globals, strings, and relocated pointers", async () => {
  const str = mkVar(".str.0", arrayOf(charType, 6), "global", {
    linkage: "internal",
    readonly: true,
    init: { size: 6, items: [{ offset: 0, bytes: new TextEncoder().encode("hello\0") }] },
  });
  const counter = mkVar("counter", intType, "global", {
    init: { size: 4, items: [{ offset: 0, type: intType, expr: num(41) }] },
  });
  const zeros = mkVar("zeros", arrayOf(intType, 1000), "global");
  const helper = defineFn(
    { name: "helper", ret: intType, params: [["x", intType]], static: true },
    ([x]) => [ret(bin("+", ref(x!), num(1)))],
  );
  const fpT = pointerTo(helper.type);
  // const char *msg = &".str.0"[1]; int (*fp)(int) = helper;
  const msg = mkVar("msg", pointerTo(charType), "global", {
    init: {
      size: 4,
      items: [
        {
          offset: 0,
          type: pointerTo(charType),
          expr: bin("+", addr(ref(str)), num(1), pointerTo(charType)),
        },
      ],
    },
  });
  const fp = mkVar("fp", fpT, "global", {
    init: {
      size: 4,
      items: [{ offset: 0, type: fpT, expr: { k: "addr", lv: ref(helper.v), type: fpT, loc } }],
    },
  });
  const f = defineFn({ name: "f", ret: intType, params: [] }, () => [
    expr(set(ref(counter), bin("+", ref(counter), num(1)))),
    expr(set(index(ref(zeros), num(999)), num(5))),
    ret(
      bin(
        "+",
        bin("+", call(ref(fp), [ref(counter)]), cast(intType, deref(ref(msg)))),
        index(ref(zeros), num(999)),
      ),
    ),
  ]);
  const unit = unitOf([helper, f], [str, counter, zeros, msg, fp]);
  const rt = await run(unit);
  // counter 42 -> helper 43, 'e' = 101, zeros[999] = 5
  assert.equal(rt.exports.f!(), 43 + 101 + 5);
  assert.equal(rt.module.tableSize, 1);
  assert.ok(rt.module.dataSize >= 6 + 4 + 4000 + 8);
  assert.equal(rt.module.uses.table, true);
  assert.equal(rt.table.get(3) !== null, true, "element segment at __table_base");
  const meta = moduleFromWasm(rt.module.wasm);
  assert.equal(meta.dataSize, rt.module.dataSize);
  // the zero-filled array must not be in the binary
  assert.ok(rt.module.wasm.length < 1000);
});

test("intrinsics: memcpy/memset/sqrt compile to instructions, not imports", async () => {
  const sizeT = uintType;
  const memcpy = externFn(
    "memcpy",
    fnType(pointerTo(voidType), [pointerTo(voidType), pointerTo(voidType), sizeT]),
  );
  const memset = externFn(
    "memset",
    fnType(pointerTo(voidType), [pointerTo(voidType), intType, sizeT]),
  );
  const sqrt = externFn("sqrt", fnType(doubleType, [doubleType]));
  const f = defineFn({ name: "f", ret: intType, params: [] }, (_p, local) => {
    const a = local("a", arrayOf(charType, 16));
    const b = local("b", arrayOf(charType, 16));
    const vp = pointerTo(voidType);
    return [
      expr(call(memset, [cast(vp, addr(ref(a))), num(7), num(16, sizeT)])),
      expr(call(memcpy, [cast(vp, addr(ref(b))), cast(vp, addr(ref(a))), num(16, sizeT)])),
      ret(bin("+", cast(intType, index(ref(b), num(15))), cast(intType, call(sqrt, [fnum(81)])))),
    ];
  });
  const rt = await run(unitOf([f]));
  assert.equal(rt.exports.f!(), 16);
  assert.deepEqual(rt.module.imports, []);
});

test("memarg offsets: constant pointer offsets fold into loads", async () => {
  const f = defineFn({ name: "f", ret: intType, params: [["p", pointerTo(intType)]] }, ([p]) => [
    ret(deref(bin("+", ref(p!), num(12), pointerTo(intType)))),
  ]);
  const m = compileUnit(unitOf([f]));
  const wabt = await (await import("wabt")).default();
  const text = wabt.readWasm(m.wasm, { readDebugNames: false }).toText({});
  assert.match(text, /i32\.load offset=12/);
  assert.doesNotMatch(text, /i32\.add/);
});

test("indirect calls through the table", async () => {
  const dbl = defineFn({ name: "dbl", ret: intType, params: [["x", intType]] }, ([x]) => [
    ret(bin("*", ref(x!), num(2))),
  ]);
  const neg = defineFn({ name: "neg", ret: intType, params: [["x", intType]] }, ([x]) => [
    ret(bin("-", num(0), ref(x!))),
  ]);
  const fpT = pointerTo(dbl.type);
  const taken = (fn: FunctionDef): Expr => ({ k: "addr", lv: ref(fn.v), type: fpT, loc });
  const apply = defineFn(
    {
      name: "apply",
      ret: intType,
      params: [
        ["which", intType],
        ["x", intType],
      ],
    },
    ([w, x], local) => {
      const fp = local("fp", fpT);
      return [decl(fp, cond(ref(w!), taken(dbl), taken(neg))), ret(call(ref(fp), [ref(x!)]))];
    },
  );
  const rt = await run(unitOf([dbl, neg, apply]));
  assert.equal(rt.exports.apply!(...([1, 21] as never[])), 42);
  assert.equal(rt.exports.apply!(...([0, 21] as never[])), -21);
  assert.equal(rt.module.tableSize, 2);
});

test("local aggregate initializers: partial initialization zero-fills the rest", async () => {
  const f = defineFn({ name: "f", ret: intType, params: [["i", intType]] }, ([i], local) => {
    const a = local("a", arrayOf(intType, 10));
    const init: Initializer = {
      size: 40,
      items: [
        { offset: 0, type: intType, expr: num(5) },
        { offset: 8, type: intType, expr: ref(i!) },
      ],
    };
    return [
      { k: "decl", v: a, init, loc },
      ret(
        bin(
          "+",
          bin("+", index(ref(a), num(0)), index(ref(a), num(2))),
          bin("+", index(ref(a), num(1)), index(ref(a), num(9))),
        ),
      ),
    ];
  });
  const rt = await run(unitOf([f]));
  assert.equal(rt.exports.f!(...([37] as never[])), 42);
});

test("fuel: a counted loop is charged its trip count once; one with an early exit per iteration", async () => {
  // for (i = 0; i < n; i++) s += i;   and the same loop with `if (i == stop) break;`
  const counted = defineFn(
    { name: "counted", ret: intType, params: [["n", intType]] },
    ([n], local) => {
      const s = local("s", intType);
      const i = local("i", intType);
      return [
        decl(s, num(0)),
        fors(
          decl(i, num(0)),
          bin("<", ref(i), ref(n!)),
          set(ref(i), bin("+", ref(i), num(1))),
          expr(set(ref(s), bin("+", ref(s), ref(i)))),
        ),
        ret(ref(s)),
      ];
    },
  );
  const early = defineFn(
    {
      name: "early",
      ret: intType,
      params: [
        ["n", intType],
        ["stop", intType],
      ],
    },
    ([n, stop], local) => {
      const i = local("i", intType);
      return [
        fors(
          decl(i, num(0)),
          bin("<", ref(i), ref(n!)),
          set(ref(i), bin("+", ref(i), num(1))),
          ifs(bin("==", ref(i), ref(stop!)), brk),
        ),
        ret(ref(i)),
      ];
    },
  );
  const rt = await run(unitOf([counted, early]), { fuel: true, fuelBudget: 1000 });
  assert.equal(rt.exports.counted!(...([100] as never[])), 4950);
  assert.equal(rt.fuel.value, 900);
  // A bound far beyond the budget is fine when the loop leaves after 10 iterations.
  assert.equal(rt.exports.early!(...([2_000_000_000, 10] as never[])), 10);
  assert.ok((rt.fuel.value as number) >= 880 && (rt.fuel.value as number) < 900);
  // The counted loop that cannot be paid for traps on entry.
  assert.throws(() => rt.exports.counted!(...([100_000] as never[])), WebAssembly.RuntimeError);
  assert.ok((rt.fuel.value as number) < 0);
  const wabt = await (await import("wabt")).default();
  const text = wabt.readWasm(rt.module.wasm, { readDebugNames: false }).toText({});
  const countedBody = text.slice(0, text.indexOf("(func (;1;)"));
  const loopBody = countedBody.slice(countedBody.indexOf("loop"));
  assert.doesNotMatch(
    loopBody,
    /i32\.lt_s\s+if/,
    "no per-iteration fuel check in the counted loop",
  );
});

test("narrowing casts in front of byte and halfword stores are dropped", async () => {
  const f = defineFn(
    {
      name: "f",
      ret: voidType,
      params: [
        ["p", pointerTo(ucharType)],
        ["v", intType],
      ],
    },
    ([p, v]) => [expr(set(deref(ref(p!)), cast(ucharType, bin("+", ref(v!), num(1)))))],
  );
  const rt = await run(unitOf([f]));
  rt.exports.f!(...([8192, 511] as never[]));
  assert.equal(new Uint8Array(rt.memory.buffer)[8192], 0);
  rt.exports.f!(...([8192, 65] as never[]));
  assert.equal(new Uint8Array(rt.memory.buffer)[8192], 66);
  const wabt = await (await import("wabt")).default();
  const text = wabt.readWasm(rt.module.wasm, { readDebugNames: false }).toText({});
  assert.doesNotMatch(text, /i32\.const 255/);
  assert.match(text, /i32\.store8/);
});

// ---- end to end through compile() ---------------------------------------------------------

test("C: the grayscale helper is inlined and the loop computes BT.601 luma", async () => {
  const rt = await runC(
    `#include <stdint.h>
     static uint8_t luma(uint32_t r, uint32_t g, uint32_t b) {
       return (uint8_t)((77 * r + 150 * g + 29 * b + 128) >> 8);
     }
     int gray(const uint8_t *src, uint8_t *dst, int n) {
       for (int i = 0; i < n; i++) dst[i] = luma(src[3 * i], src[3 * i + 1], src[3 * i + 2]);
       return 0;
     }`,
    { fuel: false }, // a metered module adds an F$entry wrapper, which calls F
  );
  const mem = new Uint8Array(rt.memory.buffer);
  const px = [
    [255, 255, 255],
    [0, 0, 0],
    [10, 200, 30],
  ];
  px.flat().forEach((v, i) => {
    mem[4096 + i] = v;
  });
  assert.equal(rt.exports.gray!(...([4096, 8192, 3] as never[])), 0);
  for (const [i, [r, g, b]] of px.entries()) {
    assert.equal(mem[8192 + i], (77 * r! + 150 * g! + 29 * b! + 128) >> 8);
  }
  const wabt = await (await import("wabt")).default();
  const text = wabt.readWasm(rt.module.wasm, { readDebugNames: false }).toText({});
  assert.doesNotMatch(text, /\bcall\b/);
  assert.deepEqual(
    rt.module.exports.map((e) => e.name),
    ["gray"],
  );
});

test("C: tables of strings and function pointers in static data are relocated", async () => {
  const rt = await runC(`
    static int add(int a, int b) { return a + b; }
    static int sub(int a, int b) { return a - b; }
    struct op { const char *name; int (*fn)(int, int); };
    static struct op ops[] = { { "add", add }, { "sub", sub } };
    int apply(int i, int a, int b) { return ops[i].fn(a, b) * 256 + ops[i].name[0]; }
  `);
  assert.equal(rt.exports.apply!(...([0, 5, 3] as never[])), 8 * 256 + 97);
  assert.equal(rt.exports.apply!(...([1, 5, 3] as never[])), 2 * 256 + 115);
  assert.equal(rt.module.tableSize, 2);
  assert.equal(rt.module.uses.tableBase, true);
});

test("C: switch, goto and do-while(0) control flow", async () => {
  const rt = await runC(`
    int f(int x) {
      int n = 0;
      switch (x) {
        case 1: again: n++; if (n < 5) goto again; break;
        case 2: n = 20; /* fall through */
        case 3: n += 3; break;
        default: do { if (x < 0) continue; n = 7; } while (0);
      }
      return n;
    }`);
  const f = (x: number) => rt.exports.f!(...([x] as never[]));
  assert.deepEqual([f(1), f(2), f(3), f(9), f(-1)], [5, 23, 3, 7, 0]);
});

test("C: printf's variadic buffer holds promoted arguments at natural alignment", async () => {
  let mem: WebAssembly.Memory | undefined;
  const seen: unknown[] = [];
  const rt = await runC(
    `int printf(const char *fmt, ...);
     int f(char c, float x, long long y) { return printf("%d %f %lld", c, x, y); }`,
    {
      host: {
        printf: (_fmt: number, args: number) => {
          const view = new DataView(mem!.buffer);
          seen.push(view.getInt32(args, true), view.getFloat64(args + 8, true));
          seen.push(view.getBigInt64(args + 16, true));
          return 1;
        },
      },
    },
  );
  mem = rt.memory;
  rt.exports.f!(...([-5, 1.5, 1n << 40n] as never[]));
  assert.deepEqual(seen, [-5, 1.5, 1n << 40n]);
  assert.equal(rt.sp.value, STACK_TOP, "the frame is released");
});

test("fuel: counted loops whose index could wrap around are still stopped", async () => {
  const rt = await runC(
    `int up2(int n) { int c = 0; for (int i = 0; i < n; i += 2) c++; return c; }
     int upk(int n, int k) { int c = 0; for (int i = 0; i < n; i += k) c++; return c; }
     int down(unsigned s) { int c = 0; for (unsigned i = s; i >= 1; i -= 3) c++; return c; }
     int incl(int lo, int hi) { int c = 0; for (int i = lo; i <= hi; i++) c++; return c; }
     int sieve(int n) { int c = 0; for (int i = 2; i < n; i++) for (int j = i * i; j < n; j += i) c++; return c; }`,
    { fuel: true, fuelBudget: 1_000_000 },
  );
  const call = (f: string, ...args: number[]) => rt.exports[f]!(...(args as never[]));
  assert.equal(call("up2", 11), 6);
  assert.equal(call("upk", 10, 3), 4);
  rt.fuel.value = 1000;
  assert.equal(call("incl", -5, 4), 10);
  assert.equal(rt.fuel.value, 990, "an inclusive loop is charged its exact trip count");
  assert.equal(
    call("sieve", 100),
    0 +
      [...Array(100).keys()]
        .slice(2)
        .reduce((a, i) => a + Math.max(0, Math.ceil((100 - i * i) / i)), 0),
  );
  // These never end (the index wraps past the bound): they must run out of fuel, not hang.
  for (const [f, args] of [
    ["up2", [0x7fffffff]],
    ["upk", [0x7fffffff, 16]],
    ["upk", [10, 0]],
    ["upk", [10, -1]],
    ["down", [10]],
    ["incl", [0x7ffffff0, 0x7fffffff]],
  ] as const) {
    rt.fuel.value = 1_000_000;
    assert.throws(() => call(f, ...args), WebAssembly.RuntimeError, `${f}(${args})`);
    assert.ok((rt.fuel.value as number) < 0);
  }
});

test("loop-invariant globals are held in locals, unless the loop writes them or calls out", async () => {
  const rt = await runC(`
    static unsigned char *buf;
    static int step = 1;
    void setbuf(unsigned char *p) { buf = p; }
    static void advance(void) { step++; }
    int fill(int n) { for (int i = 0; i < n; i++) buf[i] = (unsigned char)(i * 3); return buf[n - 1]; }
    int bump(int n) { int s = 0; for (int i = 0; i < n; i++) { s += step; if (i == 2) advance(); } return s; }
    int reseat(int n) { int s = 0; for (int i = 0; i < n; i++) { s += buf[0]; buf = buf + 1; } return s; }
  `);
  const call = (f: string, ...args: number[]) => rt.exports[f]!(...(args as never[]));
  call("setbuf", 4096);
  assert.equal(call("fill", 10), 27);
  assert.equal(call("bump", 5), 1 + 1 + 1 + 2 + 2, "the inlined callee's write is seen");
  assert.equal(call("reseat", 4), 0 + 3 + 6 + 9);
  const wabt = await (await import("wabt")).default();
  const text = wabt.readWasm(rt.module.wasm, { readDebugNames: false }).toText({});
  const fill = text.slice(text.indexOf("(func (;1;)"), text.indexOf("(func (;2;)"));
  const fillLoop = fill.slice(fill.indexOf("loop"), fill.indexOf("br_if 0 (;@3;)"));
  assert.doesNotMatch(fillLoop, /global\.get/, "buf is loaded once, before the loop");
});

test("C: inlining a call whose arguments inline the same function", async () => {
  const rt = await runC(`
    static int sub3(int a, int b, int c) { return a - b - c; }
    static int keep(int v) { int t = v; int *p = &t; *p += 1; return t; }
    int f(int x) { return sub3(x, sub3(10, x, 1), sub3(x, 1, sub3(3, 2, 1))); }
    int g(int x) { return keep(keep(x) * 10); }
  `);
  const f = (x: number) => rt.exports.f!(...([x] as never[]));
  const sub3 = (a: number, b: number, c: number) => a - b - c;
  assert.equal(f(7), sub3(7, sub3(10, 7, 1), sub3(7, 1, sub3(3, 2, 1))));
  assert.equal(rt.exports.g!(...([4] as never[])), 51);
});
