// Lowers a function body through its control-flow graph: build the graph (cfg.ts), structure
// it (cfg-structure.ts), emit the structured instructions with the statement and expression
// lowering of the structured path. Used only for functions whose jumps the structured
// lowering cannot express (jumps.ts), so ordinary functions keep their code.
//
// Locals and the frame are the function's as usual: every variable has its home from the
// prologue on, so a jump over a declaration finds the object there, its value indeterminate
// (C11 6.2.4), and an initializer runs only where control passes through it.
//
// Line table (line-table.ts): statements mark themselves (fl.stmt); a condition, a switch's
// value and a return value are marked at their start; a loop's fuel charge at the first place
// its body has (where fuel runs out, as a structured loop's header).
//
// setjmp (the SjLj lowering of LLVM's WebAssembly backend, with wasm exceptions): each setjmp
// call is split out of its statement (cfg.ts) into a save, which writes this invocation's id
// (a runtime-wide i64 counter bumped in the prologue) and the site's number into the jmp_buf,
// and a re-entry point, where the statement runs on with the call's value from a local. The
// body runs in
//   loop $again (charges fuel) try <dispatch on state: start or re-entry k> ... catch $longjmp
//     (env, val): unless env's id is this invocation's and its site one of ours, rethrow;
//     state = site, result = val, __stack_pointer = the body's, fuel reloaded; br $again
// longjmp (kernel/libc.ts) throws the tag with val already made 1 for 0. An env saved by a
// frame that has returned names an id no live frame has, so it is rethrown to the upcall gate,
// a `longjmp` fault. No catch_all: the host's exceptions (fuel, faults, exit) pass untouched.

import type { Call, Expr, Stmt } from "./ast.ts";
import { buildCfg, type Cfg } from "./cfg.ts";
import { type Structured, structure } from "./cfg-structure.ts";
import type { Loc } from "./diagnostics.ts";
import { isSetjmp } from "./intrinsics.ts";
import { startOf } from "./line-table.ts";
import { directCallee } from "./lower-analysis.ts";
import { GlobalKind } from "./lower-context.ts";
import type { FunctionLowerer } from "./lower-function.ts";
import { checkLocal } from "./lower-null.ts";

/** Byte offsets in a jmp_buf (include/setjmp.h): the saving invocation's id, its site. */
const JMP_ID = 0;
const JMP_SITE = 8;

export function lowerThroughCfg(fl: FunctionLowerer, body: Stmt[]): void {
  const isSetjmpCall = (c: Call) => {
    const v = directCallee(c.callee);
    return v !== undefined && isSetjmp(v);
  };
  const cfg = buildCfg(body, isSetjmpCall);
  const code = structure(cfg);
  const slots: number[] = [];
  for (let i = 0; i < cfg.slots; i++) slots.push(fl.frame.newLocal("i32"));
  const saves = new Map<Stmt, number>();
  if (cfg.setjmps.length > 0) {
    fl.setjmp = {
      sites: new Map(cfg.setjmps.map((site, i) => [site.call, i + 1])),
      result: fl.frame.newLocal("i32"),
      id: fl.frame.newLocal("i64"),
      sp: fl.frame.newLocal("i32"),
    };
    for (const [i, site] of cfg.setjmps.entries()) saves.set(site.save, i + 1);
    fl.w.loop();
    fl.depth++;
    fl.chargeBackEdge();
    fl.w.try();
    fl.depth++;
  }
  const labelAt = new Map<number, number>();
  const depthOf = (label: number): number => {
    const at = labelAt.get(label);
    if (at === undefined) throw new Error(`branch to a label that is not open (${label})`);
    return fl.depth - at;
  };
  const condition = (cond: Expr, negate: boolean) => {
    fl.mark(startOf(cond));
    if (negate) fl.condNot(cond);
    else fl.cond(cond);
  };
  for (const [i, s] of code.entries()) {
    const w = fl.w;
    switch (s.op) {
      case "block":
        w.block();
        labelAt.set(s.label, ++fl.depth);
        break;
      case "loop":
        w.loop();
        labelAt.set(s.label, ++fl.depth);
        break;
      case "charge": {
        const at = nextPlace(code, i + 1);
        if (at) fl.mark(at);
        fl.chargeBackEdge();
        break;
      }
      case "if":
        condition(s.cond, false);
        w.if();
        fl.depth++;
        break;
      case "else":
        w.else();
        break;
      case "end":
        w.end();
        fl.depth--;
        break;
      case "br":
        w.br(depthOf(s.label));
        break;
      case "brIf":
        condition(s.cond, s.negate);
        w.brIf(depthOf(s.label));
        break;
      case "code":
        for (const st of s.block.stmts) {
          const site = saves.get(st);
          if (site !== undefined) saveSetjmp(fl, st, site);
          else fl.stmt(st);
        }
        if (s.block.setState)
          w.i32Const(s.block.setState.value).localSet(slots[s.block.setState.slot]!);
        break;
      case "switch":
        fl.mark(startOf(s.value));
        fl.switchDispatch(
          s.value,
          s.cases.map((c) => ({ value: c.value, depth: depthOf(c.label) })),
          depthOf(s.default),
        );
        break;
      case "dispatch": {
        const table = s.labels.map(depthOf);
        w.localGet(slots[s.slot]!).brTable(table.slice(0, -1), table[table.length - 1]!);
        break;
      }
      case "return":
        if (s.value) fl.mark(startOf(s.value));
        fl.returnStmt(s.value);
        break;
    }
  }
  if (cfg.setjmps.length > 0) catchLongjmp(fl, cfg, slots[cfg.setjmpSlot]!);
}

/** The save of setjmp site `site` (`save` is the call as an expression statement). */
function saveSetjmp(fl: FunctionLowerer, save: Stmt, site: number): void {
  const sj = fl.setjmp!;
  const call = (save as Stmt & { k: "expr" }).expr as Call;
  const w = fl.w;
  fl.mark(save.loc);
  const env = fl.frame.temp("i32");
  fl.expr(call.args[0]!);
  w.localSet(env);
  checkLocal(fl, env);
  w.localGet(env).localGet(sj.id).mem("i64_store", 2, JMP_ID);
  w.localGet(env).i32Const(site).mem("i32_store", 2, JMP_SITE);
  fl.frame.release("i32", env);
  w.i32Const(0).localSet(sj.result);
}

/** Ends the body's try with the catch of longjmp's exception, then the re-entry loop. */
function catchLongjmp(fl: FunctionLowerer, cfg: Cfg, state: number): void {
  const sj = fl.setjmp!;
  const w = fl.w;
  const env = fl.frame.newLocal("i32");
  const value = fl.frame.newLocal("i32");
  w.catch(0).localSet(value).localSet(env);
  // Ours: saved by this invocation, at one of its sites (jmp_buf is plugin memory: any value).
  w.localGet(env).mem("i64_load", 2, JMP_ID).localGet(sj.id).op("i64_ne");
  w.localGet(env).mem("i32_load", 2, JMP_SITE).i32Const(1).op("i32_sub");
  w.i32Const(cfg.setjmps.length).op("i32_ge_u").op("i32_or").if().rethrow(1).end();
  w.localGet(env).mem("i32_load", 2, JMP_SITE).localSet(state);
  w.localGet(value).localSet(sj.result);
  // The frames the exception skipped restored neither the shadow stack nor the fuel counter.
  w.localGet(sj.sp);
  fl.globalSet(GlobalKind.stackPointer);
  fl.reloadFuel();
  w.br(1);
  w.end();
  fl.depth--;
  w.end();
  fl.depth--;
}

/** The source place of the first structured item from `from` on that has one. */
function nextPlace(code: readonly Structured[], from: number): Loc | undefined {
  for (let i = from; i < code.length; i++) {
    const s = code[i]!;
    if (s.op === "code" && s.block.stmts.length > 0) return s.block.stmts[0]!.loc;
    if (s.op === "if" || s.op === "brIf") return startOf(s.cond);
    if (s.op === "switch") return startOf(s.value);
    if (s.op === "return" && s.value) return startOf(s.value);
  }
  return undefined;
}
