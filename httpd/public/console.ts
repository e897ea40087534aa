// The console pane: what plugins printed (stdout, stderr), faults with their C location and
// backtrace (a location in the editor's file is a link to its line), and the page's own notes.
// Keeps the last MAX_ROWS rows.

import type { FaultFrame, LogEntry } from "./api.ts";
import { h } from "./dom.ts";
import { type FaultReport, placeOf } from "./fault.ts";

const MAX_ROWS = 1000;

export interface ConsoleHooks {
  /** The editor's file name now (a location in it becomes a link). */
  file(): string;
  reveal(line: number, col: number): void;
}

function clock(t: number | string | undefined): string {
  const d = t === undefined ? new Date() : new Date(t);
  return Number.isNaN(d.getTime()) ? "" : d.toTimeString().slice(0, 8);
}

export class ConsolePane {
  constructor(
    private readonly list: HTMLElement,
    private readonly status: HTMLElement,
    private readonly hooks: ConsoleHooks,
  ) {}

  setStatus(text: string): void {
    this.status.textContent = text;
  }

  clear(): void {
    this.list.replaceChildren();
  }

  log(e: LogEntry): void {
    const text = e.text.endsWith("\n") ? e.text.slice(0, -1) : e.text;
    this.add(
      h(
        "li",
        { class: `row ${e.stream === "stderr" ? "stderr" : "stdout"}`, "data-seq": e.seq },
        h("time", {}, clock(e.time)),
        h(
          "span",
          { class: "src", title: e.request ? `request ${e.request}` : undefined },
          e.plugin,
        ),
        h("span", { class: "text" }, text),
      ),
    );
  }

  dropped(n: number): void {
    this.note(`… ${n} older line${n === 1 ? "" : "s"} dropped by the server's log buffer`);
  }

  note(text: string, kind: "info" | "error" = "info"): void {
    this.add(
      h(
        "li",
        { class: `row note ${kind}` },
        h("time", {}, clock(undefined)),
        h("span", { class: "text" }, text),
      ),
    );
  }

  fault(f: FaultReport, title: string): void {
    const frames = f.backtrace.length > 0 ? f.backtrace : [];
    this.add(
      h(
        "li",
        { class: "row fault-row", "data-kind": f.kind },
        h("time", {}, clock(undefined)),
        h("span", { class: "src" }, f.plugin ?? "plugin"),
        h(
          "div",
          { class: "text" },
          h("strong", {}, title),
          this.place(f),
          frames.length > 0
            ? h("ol", { class: "backtrace" }, ...frames.map((fr) => this.frame(fr)))
            : null,
          f.message ? h("div", { class: "detail" }, f.message) : null,
        ),
      ),
    );
  }

  private frame(fr: FaultFrame): HTMLElement {
    return h(
      "li",
      {},
      h("code", {}, `${fr.function}()`),
      fr.inlined ? h("span", { class: "inlined" }, "inlined") : null,
      fr.kernel ? h("span", { class: "inlined" }, "kernel") : null,
      this.place(fr),
    );
  }

  /** ` at file:line:col`, a link to the line when it is in the editor's file. */
  private place(p: { file?: string; line?: number; col?: number }): HTMLElement | null {
    const at = placeOf(p);
    if (!at) return null;
    const line = p.line!;
    if (p.file !== undefined && p.file !== this.hooks.file())
      return h("span", { class: "at" }, ` at ${at}`);
    return h(
      "span",
      { class: "at" },
      " at ",
      h(
        "button",
        {
          type: "button",
          class: "loc",
          "data-line": line,
          onclick: () => this.hooks.reveal(line, p.col ?? 1),
        },
        at,
      ),
    );
  }

  private add(row: HTMLElement): void {
    const list = this.list;
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 24;
    list.append(row);
    while (list.childElementCount > MAX_ROWS) list.firstElementChild?.remove();
    if (atBottom) list.scrollTop = list.scrollHeight;
  }
}
