// One side of the comparison: an image drawn into a canvas from the bytes the server sent
// (PPM/PGM decoded here, PNG/JPEG/WebP by the browser), its size and the server-side time; or,
// when the request failed, what went wrong in plain words.

import type { Failure, ImageResponse } from "./api.ts";
import { formatBytes, formatCount, formatMs, h } from "./dom.ts";
import { faultOf, placeOf } from "./fault.ts";
import { decodePnm, isPnm } from "./pnm.ts";

const FAULTS: Record<string, [string, string]> = {
  "fuel-exhausted": [
    "Fuel exhausted",
    "The plugin ran past its fuel budget (an endless loop?). kplug stopped it at the budget; the server went on serving everyone else.",
  ],
  "out-of-bounds": [
    "Memory access out of bounds",
    "The plugin read or wrote outside its runtime's memory. The access trapped; nothing outside the plugin was touched.",
  ],
  "null-pointer": [
    "Null pointer",
    "The plugin read or wrote through a NULL pointer (an address in the first 4 KiB), or handed one to a C library function. The access trapped.",
  ],
  "divide-by-zero": ["Division by zero", "An integer division by zero trapped inside the plugin."],
  "stack-exhausted": ["Stack exhausted", "The plugin recursed too deeply and ran out of stack."],
  "bad-indirect-call": [
    "Bad indirect call",
    "A call through a function pointer hit no function of the right type.",
  ],
  abort: ["Plugin aborted", "The plugin called abort() or failed an assertion."],
  "out-of-memory": ["Out of memory", "The plugin asked for more memory than its runtime allows."],
  unreachable: ["Unreachable code", "The plugin reached code that must never run."],
  longjmp: [
    "Stray longjmp",
    "The plugin called longjmp with a jmp_buf no running setjmp saved (its function had returned).",
  ],
};

const FORMAT_NAMES: Record<string, string> = {
  "image/x-portable-pixmap": "PPM",
  "image/x-portable-graymap": "PGM",
  "image/png": "PNG",
  "image/jpeg": "JPEG",
  "image/webp": "WebP",
};

/** A failure as a title and an explanation a person can act on. */
export function describeFailure(f: Failure): {
  title: string;
  text: string;
  kind: string;
  /** The server's own words, shown small under the explanation. */
  detail?: string;
} {
  const fault = faultOf(f);
  if (fault) {
    const [title, text] = FAULTS[fault.kind] ?? [fault.kind, ""];
    const where = fault.function ? ` in ${fault.function}()` : "";
    const at = placeOf(fault);
    return {
      title: `${title}${where}${at ? ` at ${at}` : ""}`,
      text,
      kind: fault.kind,
      detail: fault.message,
    };
  }
  if (f.error === "plugin-quarantined")
    return {
      title: "Plugin quarantined",
      text: `It faulted too often and is switched off until it is saved again. ${f.message}`,
      kind: f.error,
    };
  if (f.error === "compile-error" || f.error === "link-error" || f.error === "abi-error") {
    const n = f.diagnostics?.filter((d) => d.severity === "error").length ?? 0;
    return {
      title: f.error === "link-error" ? "Does not link" : "Does not compile",
      text: `${n} error${n === 1 ? "" : "s"}: see the editor. ${f.diagnostics?.[0]?.message ?? f.message}`,
      kind: f.error,
    };
  }
  if (f.status === 401)
    return {
      title: "Not signed in",
      text: "Sign in as a client to run your own plugins.",
      kind: f.error,
    };
  return { title: `${f.status} ${f.error}`, text: f.message, kind: f.error };
}

export class ImageView {
  private readonly canvas: HTMLCanvasElement;
  private readonly overlay: HTMLElement;
  private readonly caption: HTMLElement;
  private readonly meta: HTMLElement;
  private readonly title: HTMLElement;
  private readonly defaultTitle: string;
  private generation = 0;

  constructor(private readonly figure: HTMLElement) {
    this.canvas = figure.querySelector("canvas")!;
    this.overlay = figure.querySelector(".overlay")!;
    this.caption = figure.querySelector("figcaption")!;
    this.meta = figure.querySelector(".view-meta")!;
    this.title = figure.querySelector(".view-title")!;
    this.defaultTitle = this.title.textContent ?? "";
  }

  /** Starts a request; a later call makes the results of earlier ones stale. */
  begin(label: string): number {
    this.figure.dataset.state = "loading";
    this.meta.textContent = label;
    return ++this.generation;
  }

  isCurrent(ticket: number): boolean {
    return ticket === this.generation;
  }

  async show(
    ticket: number,
    r: ImageResponse,
    label: string | undefined,
    notes: string[] = [],
  ): Promise<void> {
    let width: number;
    let height: number;
    const ctx = this.canvas.getContext("2d", { willReadFrequently: true })!;
    if (isPnm(r.body)) {
      const px = decodePnm(r.body);
      if (!this.isCurrent(ticket)) return;
      ({ width, height } = px);
      this.canvas.width = width;
      this.canvas.height = height;
      ctx.putImageData(new ImageData(px.rgba, width, height), 0, 0);
    } else {
      const bitmap = await createImageBitmap(
        new Blob([r.body as Uint8Array<ArrayBuffer>], { type: r.contentType }),
      );
      if (!this.isCurrent(ticket)) return bitmap.close();
      ({ width, height } = bitmap);
      this.canvas.width = width;
      this.canvas.height = height;
      ctx.drawImage(bitmap, 0, 0);
      bitmap.close();
    }
    this.canvas.classList.toggle("pixelated", width < 200);
    this.overlay.hidden = true;
    this.overlay.replaceChildren();
    this.title.textContent = label ?? this.defaultTitle;
    const format = FORMAT_NAMES[r.contentType.split(";")[0]] ?? r.contentType;
    this.meta.textContent = `${format} · ${width}×${height}`;
    const timing: string[] = [];
    if (r.serverMs !== undefined) timing.push(`server ${formatMs(r.serverMs)}`);
    for (const [phase, ms] of Object.entries(r.phases)) timing.push(`${phase} ${formatMs(ms)}`);
    if (r.cache) timing.push(`cache ${r.cache}`);
    if (r.fuel !== undefined) timing.push(`fuel ${formatCount(r.fuel)}`);
    this.caption.replaceChildren(
      h("strong", { class: "bytes" }, formatBytes(r.body.length)),
      h("span", { class: "timing" }, timing.join(" · ")),
      ...notes.map((n) => h("span", { class: "note" }, n)),
    );
    delete this.figure.dataset.fault;
    this.figure.dataset.state = "ready";
    this.figure.dataset.bytes = String(r.body.length);
  }

  fail(ticket: number, f: Failure, label?: string): void {
    if (!this.isCurrent(ticket)) return;
    const d = describeFailure(f);
    this.title.textContent = label ?? this.defaultTitle;
    this.meta.textContent = `${f.status}`;
    this.overlay.replaceChildren(
      h(
        "div",
        { class: "fault", "data-kind": d.kind },
        h("div", { class: "fault-title" }, d.title),
        h("p", {}, d.text),
        d.detail ? h("p", { class: "detail" }, d.detail) : null,
      ),
    );
    this.overlay.hidden = false;
    this.caption.replaceChildren(
      h("span", { class: "timing" }, "the page and the server keep working"),
    );
    this.figure.dataset.state = "error";
    this.figure.dataset.fault = d.kind;
  }

  clear(message: string): void {
    this.generation++;
    this.title.textContent = this.defaultTitle;
    this.meta.textContent = "";
    this.canvas.width = 0;
    this.canvas.height = 0;
    this.overlay.replaceChildren(h("div", { class: "empty" }, message));
    this.overlay.hidden = false;
    this.caption.replaceChildren();
    this.figure.dataset.state = "empty";
  }
}
