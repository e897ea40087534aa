// Null checks. Wasm cannot protect page 0, so a load or store through a pointer into the NULL
// page [0, NULL_PAGE_SIZE) would succeed silently; instead the compiler checks the *base
// pointer* of each access (p in p[i], p->f, *p), not every derived address:
//   local.get p  i32.const 4096  i32.lt_u  if  <record p at NULL_FAULT_ADDR>  unreachable  end
// The kernel reports the trap as a `null-pointer` fault (see cc/module.ts).
//
// A check is skipped when its base is known to be outside the NULL page: the body's writer keeps
// the set of locals checked so far, with the structure of the code (a fact established inside a
// block, loop or if arm is dropped at its end; one established before holds inside), and
// forgets a local when it is written. Pointer arithmetic on a checked pointer keeps it checked
// (`p += 12`, `p++`: a stray offset is an out-of-bounds access, not a NULL). Loops keep what was
// checked before them except the locals they assign otherwise; lower-function.ts checks the
// pointers a loop's first iteration is sure to access once before the loop (null-hoist.ts).
//
// The check leaves the load cache (lower-loads.ts) alone: its `if` never falls through.

import { CodeWriter } from "../wasm/index.ts";
import { LoadCachingWriter } from "./lower-loads.ts";
import { NULL_FAULT_ADDR, NULL_PAGE_SIZE } from "./module.ts";

const baseIf = CodeWriter.prototype.if;
const baseEnd = CodeWriter.prototype.end;
const baseMem = CodeWriter.prototype.mem;

/** The body's writer: remembers loads (LoadCachingWriter) and which locals are null-checked. */
export class NullCheckingWriter extends LoadCachingWriter {
  private checked = new Set<number>();
  /** The checked set at the start of each open block, loop and if (restored at its end). */
  private readonly saved: Set<number>[] = [];
  /** Locals the next `loop` must forget; undefined: it forgets everything (e.g. a goto loop). */
  private loopKills: number[] | undefined;

  /** Whether `local` holds a pointer already checked on every path to here. */
  isChecked(local: number): boolean {
    return this.checked.has(local);
  }

  /** Records that `local` holds a pointer outside the NULL page (checked, or an address). */
  markChecked(local: number): void {
    this.checked.add(local);
  }

  /**
   * With `local`'s value on the stack, emits the rest of its check: the compare and the cold
   * trap. The value is consumed; `local` is then known checked.
   */
  checkTail(local: number): void {
    this.i32Const(NULL_PAGE_SIZE).op("i32_lt_u");
    this.trapIf(() => this.localGet(local));
    this.checked.add(local);
  }

  /**
   * With a condition on the stack, emits the cold path of a failed check: the faulting
   * address (pushed by `address`) is recorded at NULL_FAULT_ADDR and the code traps.
   */
  trapIf(address: () => void): void {
    baseIf.call(this, "void");
    this.i32Const(0);
    address();
    this.i32Const(NULL_PAGE_SIZE).op("i32_sub");
    baseMem.call(this, "i32_store", 2, NULL_FAULT_ADDR);
    this.op("unreachable");
    baseEnd.call(this);
  }

  /**
   * The next `loop` keeps the facts established before it except for `kills` (the locals it
   * assigns other than by pointer arithmetic on themselves): its back-edges carry those.
   */
  prepareLoop(kills: number[]): void {
    this.loopKills = kills;
  }

  /** What `prepareLoop` set for the next `loop` (to pass it on past a wrapping loop). */
  get preparedLoop(): number[] | undefined {
    return this.loopKills;
  }

  /**
   * Facts established since the innermost `levels` blocks opened also hold at their ends: every
   * path to those ends passed here (a switch's dispatch, right after its blocks open).
   */
  holdAcross(levels: number): void {
    for (let i = this.saved.length - levels; i < this.saved.length; i++) {
      if (i >= 0) this.saved[i] = new Set(this.checked);
    }
  }

  private push(): void {
    this.saved.push(new Set(this.checked));
  }

  private kill(local: number): void {
    if (!this.checked.has(local)) return;
    this.checked.delete(local);
    for (const s of this.saved) s.delete(local);
  }

  override block(t?: Parameters<CodeWriter["block"]>[0]): this {
    this.push();
    return super.block(t);
  }
  override loop(t?: Parameters<CodeWriter["loop"]>[0]): this {
    const kills = this.loopKills;
    this.loopKills = undefined;
    if (kills) for (const k of kills) this.kill(k);
    else this.checked = new Set();
    this.push();
    return super.loop(t);
  }
  override if(t?: Parameters<CodeWriter["if"]>[0]): this {
    this.push();
    return super.if(t);
  }
  override else(): this {
    this.checked = new Set(this.saved[this.saved.length - 1]);
    return super.else();
  }
  override try(t?: Parameters<CodeWriter["try"]>[0]): this {
    this.push();
    return super.try(t);
  }
  /** A catch is reached from any point of its try: only the facts at the try's start hold. */
  override catch(tagIndex: number): this {
    this.checked = new Set(this.saved[this.saved.length - 1]);
    return super.catch(tagIndex);
  }
  override end(): this {
    const outer = this.saved.pop();
    if (outer) this.checked = outer;
    return super.end();
  }
  override localSet(i: number): this {
    this.kill(i);
    return super.localSet(i);
  }
  override localTee(i: number): this {
    this.kill(i);
    return super.localTee(i);
  }
}
