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

import type { Expr, Stmt } from "./ast.ts";
import { buildCfg } from "./cfg.ts";
import { type Structured, structure } from "./cfg-structure.ts";
import type { Loc } from "./diagnostics.ts";
import { startOf } from "./line-table.ts";
import type { FunctionLowerer } from "./lower-function.ts";

export function lowerThroughCfg(fl: FunctionLowerer, body: Stmt[]): void {
  const cfg = buildCfg(body);
  const code = structure(cfg);
  const slots: number[] = [];
  for (let i = 0; i < cfg.slots; i++) slots.push(fl.frame.newLocal("i32"));
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
        for (const st of s.block.stmts) fl.stmt(st);
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
