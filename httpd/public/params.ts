// The parameter inputs: one labelled group per plugin of the chain (and the editor's plugin),
// showing only the parameters that plugin declares (`@param` comments, plugin-params.ts). Two
// plugins reading the same field share its value, as they do on the server.

import { type ParamDecl, serverDefault } from "../plugin-params.ts";
import { h } from "./dom.ts";

export interface ParamGroup {
  plugin: string;
  params: ParamDecl[];
  /** Shown after the plugin's name, e.g. "editor". */
  note?: string;
}

export class ParamsPanel {
  /** Values the user set (names a shown plugin declares), sent with every request. */
  private readonly values = new Map<string, number>();
  private shown: ParamGroup[] = [];

  constructor(
    private readonly root: HTMLElement,
    private readonly onChange: () => void,
  ) {}

  /** The query for `plugins` (of those shown): set values, and declared defaults the server lacks. */
  query(plugins: string[]): URLSearchParams {
    const q = new URLSearchParams();
    for (const g of this.shown.filter((s) => plugins.includes(s.plugin)))
      for (const p of g.params) {
        const v = this.values.get(p.name) ?? p.default;
        if (v !== serverDefault(p.name)) q.set(p.name, String(v));
      }
    return q;
  }

  render(groups: ParamGroup[]): void {
    this.shown = groups.filter((g) => g.params.length > 0);
    if (this.shown.length === 0) {
      this.root.replaceChildren(
        h(
          "p",
          { class: "muted small" },
          groups.length === 0
            ? "Add plugins to the chain to set their parameters."
            : `${groups.map((g) => g.plugin).join(", ")}: no parameters.`,
        ),
      );
      return;
    }
    this.root.replaceChildren(...this.shown.map((g) => this.group(g)));
  }

  private group(g: ParamGroup): HTMLElement {
    return h(
      "fieldset",
      { class: "param-group", "data-plugin": g.plugin },
      h("legend", {}, g.plugin, g.note ? h("span", { class: "muted" }, ` (${g.note})`) : null),
      h("div", { class: "params-grid" }, ...g.params.map((p) => this.input(p))),
    );
  }

  private input(p: ParamDecl): HTMLElement {
    const range = p.min !== undefined && p.max !== undefined ? ` · ${p.min}..${p.max}` : "";
    return h(
      "label",
      { class: "param" },
      h("span", { class: "param-label" }, p.description || p.name),
      h("input", {
        type: "number",
        name: p.name,
        class: this.values.has(p.name) ? "changed" : undefined,
        value: this.values.get(p.name) ?? p.default,
        min: p.min,
        max: p.max,
        step: 1,
        "data-default": p.default,
        oninput: (e: Event) => this.changed(e.target as HTMLInputElement, p),
      }),
      h("code", {}, `${p.name}${range}`),
    );
  }

  private changed(input: HTMLInputElement, p: ParamDecl): void {
    const v = Number(input.value);
    const valid =
      input.value !== "" &&
      Number.isInteger(v) &&
      (p.min === undefined || v >= p.min) &&
      (p.max === undefined || v <= p.max);
    input.setCustomValidity(
      valid ? "" : `an integer${p.min === undefined ? "" : ` in ${p.min}..${p.max}`}`,
    );
    if (!valid) return;
    if (v === p.default) this.values.delete(p.name);
    else this.values.set(p.name, v);
    // Other plugins reading the same field show the same value.
    for (const other of this.root.querySelectorAll<HTMLInputElement>(`input[name="${p.name}"]`)) {
      if (other !== input) other.value = String(v);
      other.classList.toggle("changed", this.values.has(p.name));
    }
    this.onChange();
  }
}
