// The WAT view: the compiled module as WebAssembly text, one element per line, linked to the
// source both ways by the [WAT line, source line] pairs the server sends. Pointing at a WAT
// line marks its source lines in the editor (clicking moves the cursor there); pointing at a
// source line marks its WAT lines here (clicking scrolls to the first).

import { h } from "./dom.ts";

export interface WatHooks {
  /** Source lines linked to the WAT line under the pointer ([] when none). */
  hover(sourceLines: number[]): void;
  reveal(sourceLine: number): void;
}

/** WAT tokens worth a colour: comments, $names, strings, numbers, keywords and instructions. */
const TOKEN =
  /(;;.*$|\(;.*?;\)|\$[\w.$]+|"(?:[^"\\]|\\.)*"|-?\b(?:0x[\da-f]+|\d[\d.e_]*)\b|\b[a-z][\w.=]*)/gi;

function tokenClass(t: string): string | undefined {
  if (t.startsWith(";;") || t.startsWith("(;")) return "c";
  if (t.startsWith("$")) return "n";
  if (t.startsWith('"')) return "s";
  if (/^-?\d|^0x/.test(t)) return "d";
  if (
    /^(module|func|param|result|local|type|import|export|memory|table|global|elem|data|mut|block|loop|if|else|end|then)$/.test(
      t,
    )
  )
    return "k";
  return undefined;
}

function lineElement(text: string, n: number): HTMLElement {
  const el = h("div", { class: "wl", "data-n": n });
  let at = 0;
  for (const m of text.matchAll(TOKEN)) {
    if (m.index > at) el.append(text.slice(at, m.index));
    const cls = tokenClass(m[0]);
    el.append(cls ? h("span", { class: `t${cls}` }, m[0]) : m[0]);
    at = m.index + m[0].length;
  }
  if (at < text.length) el.append(text.slice(at));
  return el;
}

export class WatView {
  private toSource = new Map<number, number[]>();
  private toWat = new Map<number, number[]>();
  private rows: HTMLElement[] = [];
  private marked: HTMLElement[] = [];

  constructor(
    private readonly root: HTMLElement,
    private readonly status: HTMLElement,
    private readonly hooks: WatHooks,
  ) {
    root.addEventListener("mouseover", (e) => {
      const row = (e.target as HTMLElement).closest<HTMLElement>(".wl");
      this.hooks.hover(row ? (this.toSource.get(Number(row.dataset.n)) ?? []) : []);
    });
    root.addEventListener("mouseleave", () => this.hooks.hover([]));
    root.addEventListener("click", (e) => {
      const row = (e.target as HTMLElement).closest<HTMLElement>(".wl");
      const src = row && this.toSource.get(Number(row.dataset.n));
      if (src?.length) this.hooks.reveal(src[0]);
    });
  }

  get linked(): boolean {
    return this.toWat.size > 0;
  }

  message(text: string): void {
    this.status.textContent = text;
  }

  show(wat: string, lines: [number, number][], summary: string): void {
    this.toSource.clear();
    this.toWat.clear();
    for (const [w, s] of lines) {
      this.toSource.set(w, [...(this.toSource.get(w) ?? []), s]);
      this.toWat.set(s, [...(this.toWat.get(s) ?? []), w]);
    }
    const text = wat.endsWith("\n") ? wat.slice(0, -1) : wat;
    this.rows = text.split("\n").map((t, i) => lineElement(t, i + 1));
    for (const [w] of lines) this.rows[w - 1]?.classList.add("mapped");
    this.marked = [];
    this.root.replaceChildren(...this.rows);
    this.status.textContent = summary;
  }

  /** Marks the WAT lines of source line `line` (0: none); `scroll` brings the first into view. */
  markSource(line: number, scroll: boolean): void {
    for (const el of this.marked) el.classList.remove("linked");
    this.marked = (this.toWat.get(line) ?? []).map((w) => this.rows[w - 1]).filter(Boolean);
    for (const el of this.marked) el.classList.add("linked");
    if (scroll && this.marked[0]) this.marked[0].scrollIntoView({ block: "center" });
  }
}
