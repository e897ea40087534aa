// Null checks in expression lowering (the scheme is in null-checks.ts): the check of a base
// pointer, skipped when the pointer is known outside the NULL page, and inlined memset/memcpy
// checked when they touch any byte.

import type { Expr, Var } from "./ast.ts";
import type { ExprLowerer } from "./lower-expr.ts";
import { loadKey } from "./lower-loads.ts";
import { NULL_PAGE_SIZE } from "./module.ts";
import { isObjectAddress, isSelfDerived, pointerRoot, stripNoOpCasts } from "./null-hoist.ts";
import { isPointer } from "./types.ts";

/** Emits the null check of the pointer in `local` unless it is known checked. */
export function checkLocal(lo: ExprLowerer, local: number): void {
  if (!lo.mod.nullChecks || lo.w !== lo.bodyWriter) return;
  if (lo.bodyWriter.isChecked(local)) return;
  lo.getLocal(local);
  lo.bodyWriter.checkTail(local);
}

/** Pushes the value of pointer `p`, null-checked (once per local while it holds). */
export function checkedBase(lo: ExprLowerer, p: Expr): void {
  const e = stripNoOpCasts(p);
  const root = pointerRoot(e);
  const rootVar =
    root.k === "assign" && root.lv.k === "var" && isSelfDerived(root.lv.v, root.value)
      ? root.lv // `*p++`, `*++p`: check p before it moves; the arithmetic keeps it checked
      : root !== e && root.k === "var" && root.v.kind !== "function"
        ? root // `*(p - 1)`: p is the base
        : undefined;
  if (rootVar) {
    const st = lo.storageOf(rootVar.v, rootVar.loc);
    if (st.k === "local") {
      checkLocal(lo, st.index);
      lo.expr(p);
      return;
    }
  }
  if (e.k === "var" && e.v.kind !== "function") {
    const st = lo.storageOf(e.v, e.loc);
    if (st.k === "local") {
      checkLocal(lo, st.index);
      lo.getLocal(st.index);
      return;
    }
    const cached = loadIntoLocal(lo, e);
    if (cached !== undefined) {
      checkLocal(lo, cached);
      lo.w.localGet(cached);
      return;
    }
  }
  if (e.k === "member" || e.k === "deref") {
    const cached = loadIntoLocal(lo, e);
    if (cached !== undefined) {
      checkLocal(lo, cached);
      lo.w.localGet(cached);
      return;
    }
  }
  if (knownChecked(lo, e)) {
    lo.expr(p);
    return;
  }
  lo.expr(p);
  const t = lo.frame.temp("i32");
  lo.w.localTee(t);
  lo.bodyWriter.checkTail(t);
  lo.w.localGet(t);
  lo.frame.release("i32", t);
}

/**
 * Whether pointer `e` is known outside the NULL page before it is evaluated: an object's
 * address, arithmetic on a checked local, or an assignment of such a value.
 */
function knownChecked(lo: ExprLowerer, e: Expr): boolean {
  e = stripNoOpCasts(e);
  if (isObjectAddress(e)) return true;
  if (e.k === "assign") return knownChecked(lo, e.value);
  if (e.k === "binary" && (e.op === "+" || e.op === "-") && isPointer(e.type)) {
    return knownChecked(lo, e.l);
  }
  if (e.k === "addr") {
    // `&p[i]`, `&p->f`: an element of the object p points to.
    let lv = e.lv;
    while (lv.k === "member") lv = lv.base;
    return lv.k === "deref" && knownChecked(lo, lv.ptr);
  }
  if (e.k === "var") {
    const st = lo.frame.storage.get(e.v);
    return st?.k === "local" && lo.bodyWriter.isChecked(st.index);
  }
  return false;
}

/**
 * The local holding the value of scalar lvalue `e` through the load cache (loaded now unless
 * it is already there), for lvalues lower-loads.ts can name; nothing is pushed.
 */
function loadIntoLocal(lo: ExprLowerer, e: Expr): number | undefined {
  const deps: number[] = [];
  const key = loadKey(e, lo.keyStorage, deps);
  if (key === undefined) return undefined;
  const known = lo.bodyWriter.lookup(key);
  if (known !== undefined) return known;
  lo.load(e.type, lo.address(e));
  const t = lo.frame.temp("i32");
  lo.setLocal(t);
  lo.bodyWriter.remember(key, t, "i32", deps);
  return t;
}

/**
 * Whether `v` (in `local`) is outside the NULL page once assigned `value` (asked before
 * `value` is evaluated): an object's address, or arithmetic on a checked pointer.
 */
export function keepsCheck(lo: ExprLowerer, v: Var, local: number, value: Expr): boolean {
  if (!isPointer(v.type) || lo.w !== lo.bodyWriter) return false;
  if (isSelfDerived(v, value)) return lo.bodyWriter.isChecked(local);
  return knownChecked(lo, value);
}

/**
 * An inlined memcpy/memmove (`copy`) or memset whose pointers are null-checked when it
 * touches any byte (glibc's do not fault for a length of 0): `dst` or, for a copy, `src`.
 */
export function checkedBulk(
  lo: ExprLowerer,
  copy: boolean,
  a0: Expr,
  a1: Expr,
  a2: Expr,
  want: boolean,
): void {
  const w = lo.w;
  const d = lo.frame.temp("i32");
  const s = lo.frame.temp("i32");
  const n = lo.frame.temp("i32");
  lo.expr(a0);
  w.localSet(d);
  lo.expr(a1);
  w.localSet(s);
  lo.expr(a2);
  lo.chargeBulk();
  w.localSet(n);
  w.localGet(d).i32Const(NULL_PAGE_SIZE).op("i32_lt_u");
  if (copy) w.localGet(s).i32Const(NULL_PAGE_SIZE).op("i32_lt_u").op("i32_or");
  w.localGet(n).i32Const(0).op("i32_ne").op("i32_and");
  lo.bodyWriter.trapIf(() => {
    w.localGet(d);
    if (copy) w.localGet(s).localGet(d).i32Const(NULL_PAGE_SIZE).op("i32_lt_u").op("select");
  });
  w.localGet(d).localGet(s).localGet(n);
  if (copy) w.memoryCopy();
  else w.memoryFill();
  if (want) w.localGet(d);
  lo.frame.release("i32", d);
  lo.frame.release("i32", s);
  lo.frame.release("i32", n);
}
