// Whether a function's jumps fit the structured lowering (lower-function.ts): every goto
// targets a label that is a statement of a block enclosing it (a switch's case segment counts
// as such a block), and every case label heads a statement of its switch's body, after the
// first of which nothing carries a label. Any other function is lowered through a control-flow
// graph (cfg.ts, cfg-structure.ts), which handles every jump C allows. So is every function
// that calls setjmp (lower-analysis.ts decides): its call sites are re-entry points.

import { type AstNode, forEachChild, isExpr, type Stmt } from "./ast.ts";

export function needsCfg(body: Stmt[]): boolean {
  const scopes: Set<string>[] = [];
  let found = false;

  const list = (items: Stmt[]): void => {
    const labels = new Set<string>();
    for (const s of items) for (let x = s; x.k === "label"; x = x.body) labels.add(x.name);
    scopes.push(labels);
    for (const s of items) if (!found) stmt(s);
    scopes.pop();
  };

  const stmt = (s: Stmt): void => {
    switch (s.k) {
      case "block":
        list(s.body);
        return;
      case "goto":
        if (!scopes.some((sc) => sc.has(s.label))) found = true;
        return;
      case "case":
        found = true; // not at the head of a statement of its switch's body
        return;
      case "switch": {
        const items = s.body.k === "block" ? s.body.body : [s.body];
        const segments: Stmt[][] = [];
        for (const st of items) {
          if (st.k === "case") {
            let x: Stmt = st;
            while (x.k === "case") x = x.body;
            segments.push([x]);
          } else if (segments.length > 0) {
            segments[segments.length - 1]!.push(st);
          } else if (containsLabel(st)) {
            found = true;
          }
        }
        for (const seg of segments) list(seg);
        return;
      }
      default:
        forEachChild(s, (c) => {
          if (!isExpr(c)) stmt(c as Stmt);
          return found || undefined;
        });
    }
  };

  list(body);
  return found;
}

/** Whether a statement contains a label or case label (so it cannot be dropped as dead). */
export function containsLabel(n: AstNode): boolean {
  if (n.k === "label" || n.k === "case") return true;
  return !isExpr(n) && (forEachChild(n, containsLabel) ?? false); // no labels inside expressions
}
