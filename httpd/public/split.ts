// A drag handle between two panes (role="separator", WAI-ARIA window splitter pattern): drag it
// with a pointer, or focus it and use the arrow keys (Shift: bigger steps), Home/End for the
// bounds and Enter to restore the default. The position is a percentage of the container,
// kept in localStorage, and applied by the caller (a CSS custom property, usually).

export interface SplitOptions {
  /** The element whose size the percentage is of. */
  container: HTMLElement;
  /** "x": the handle moves left/right (panes side by side); "y": up/down. */
  axis: "x" | "y";
  min: number;
  max: number;
  initial: number;
  /** localStorage key. */
  key: string;
  apply(percent: number): void;
}

const STEP = 2;
const BIG_STEP = 10;

export class Splitter {
  private value: number;

  constructor(
    private readonly handle: HTMLElement,
    private readonly o: SplitOptions,
  ) {
    const stored = Number(localStorage.getItem(o.key));
    this.value = Number.isFinite(stored) && stored > 0 ? stored : o.initial;
    handle.setAttribute("aria-valuemin", String(o.min));
    handle.setAttribute("aria-valuemax", String(o.max));
    this.set(this.value, false);
    handle.addEventListener("pointerdown", (e) => this.drag(e));
    handle.addEventListener("keydown", (e) => this.key(e));
    handle.addEventListener("dblclick", () => this.set(o.initial));
  }

  set(percent: number, persist = true): void {
    const v = Math.round(Math.min(this.o.max, Math.max(this.o.min, percent)) * 10) / 10;
    this.value = v;
    this.handle.setAttribute("aria-valuenow", String(Math.round(v)));
    this.o.apply(v);
    if (persist) localStorage.setItem(this.o.key, String(v));
  }

  private drag(e: PointerEvent): void {
    if (e.button !== 0) return;
    e.preventDefault();
    this.handle.setPointerCapture(e.pointerId);
    this.handle.classList.add("dragging");
    const move = (ev: PointerEvent) => {
      const r = this.o.container.getBoundingClientRect();
      const percent =
        this.o.axis === "x"
          ? ((ev.clientX - r.left) / r.width) * 100
          : ((ev.clientY - r.top) / r.height) * 100;
      this.set(percent);
    };
    const up = () => {
      this.handle.classList.remove("dragging");
      this.handle.removeEventListener("pointermove", move);
      this.handle.removeEventListener("pointerup", up);
      this.handle.removeEventListener("pointercancel", up);
    };
    this.handle.addEventListener("pointermove", move);
    this.handle.addEventListener("pointerup", up);
    this.handle.addEventListener("pointercancel", up);
  }

  private key(e: KeyboardEvent): void {
    const step = e.shiftKey ? BIG_STEP : STEP;
    const back = this.o.axis === "x" ? "ArrowLeft" : "ArrowUp";
    const forward = this.o.axis === "x" ? "ArrowRight" : "ArrowDown";
    let next: number | undefined;
    if (e.key === back) next = this.value - step;
    else if (e.key === forward) next = this.value + step;
    else if (e.key === "Home") next = this.o.min;
    else if (e.key === "End") next = this.o.max;
    else if (e.key === "Enter") next = this.o.initial;
    if (next === undefined) return;
    e.preventDefault();
    this.set(next);
  }
}
