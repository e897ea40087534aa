// The live panel of the signed-in client's runtime: its plugins with calls, fuel and faults by
// kind (counted by the kernel) and average times (measured by the server), polled as JSON.

import { getRuntime, isFailure, type RuntimeReport, type Session } from "./api.ts";
import { formatBytes, formatCount, formatMs, h } from "./dom.ts";

export interface PanelHooks {
  edit(name: string): void;
  remove(name: string): void;
  signedOut(): void;
}

const POLL_MS = 2000;

function faultChips(faults: Record<string, number>) {
  const entries = Object.entries(faults).filter(([, n]) => n > 0);
  if (entries.length === 0) return h("span", { class: "muted" }, "none");
  return h(
    "span",
    { class: "fault-chips" },
    ...entries.map(([kind, n]) =>
      h("span", { class: "fault-chip", "data-kind": kind }, `${kind} ×${n}`),
    ),
  );
}

function tile(label: string, value: string, extra?: string) {
  return h(
    "div",
    { class: "tile" },
    h("div", { class: "tile-value" }, value),
    h("div", { class: "tile-label" }, label),
    extra ? h("div", { class: "tile-extra" }, extra) : null,
  );
}

export class RuntimePanel {
  private timer: ReturnType<typeof setInterval> | undefined;
  private session: Session | undefined;
  last: RuntimeReport | undefined;
  onReport: (r: RuntimeReport) => void = () => {};

  constructor(
    private readonly root: HTMLElement,
    private readonly hint: HTMLElement,
    private readonly hooks: PanelHooks,
  ) {
    document.addEventListener("visibilitychange", () => {
      if (!document.hidden) void this.refresh();
    });
  }

  start(session: Session | undefined): void {
    this.session = session;
    clearInterval(this.timer);
    this.last = undefined;
    if (!session) {
      this.hint.textContent = "";
      this.root.replaceChildren(
        h(
          "div",
          { class: "empty-state" },
          h(
            "p",
            {},
            "Sign in as a client to try and save your own plugins and watch your runtime live: calls, fuel, faults and times.",
          ),
        ),
      );
      return;
    }
    void this.refresh();
    this.timer = setInterval(() => {
      if (!document.hidden) void this.refresh();
    }, POLL_MS);
  }

  async refresh(): Promise<void> {
    const session = this.session;
    if (!session) return;
    let r: Awaited<ReturnType<typeof getRuntime>>;
    try {
      r = await getRuntime(session);
    } catch {
      this.hint.textContent = "server unreachable — retrying";
      return;
    }
    if (session !== this.session) return;
    if (isFailure(r)) {
      if (r.status === 401) this.hooks.signedOut();
      else this.hint.textContent = r.message;
      return;
    }
    this.last = r;
    this.render(r);
    this.onReport(r);
  }

  private render(r: RuntimeReport): void {
    this.hint.textContent = `${r.runtime} · live`;
    const faults = Object.values(r.totals.faults).reduce((a, b) => a + b, 0);
    const tiles = h(
      "div",
      { class: "tiles" },
      tile("plugin calls", formatCount(r.totals.calls)),
      tile(
        "fuel used",
        formatCount(r.totals.fuelUsed),
        `budget ${formatCount(r.settings.fuel)} per call`,
      ),
      tile("faults", String(faults)),
      tile("avg transcode", formatMs(r.totals.avgMs), `${r.totals.requests} requests`),
      tile("memory", formatBytes(r.memoryBytes), `limit ${formatBytes(r.settings.memory)}`),
    );
    const rows = r.plugins.map((p) =>
      h(
        "tr",
        { "data-plugin": p.name, class: p.disabled ? "disabled" : "" },
        h(
          "td",
          {},
          h("span", { class: `origin ${p.origin}` }, p.origin === "client" ? "mine" : "lib"),
          " ",
          h("strong", {}, p.name),
          p.disabled ? h("span", { class: "badge danger" }, "quarantined") : null,
        ),
        h("td", { class: "num" }, formatCount(p.calls)),
        h("td", { class: "num" }, formatCount(p.fuelUsed)),
        h(
          "td",
          { class: "num" },
          p.fuelPerCall === undefined ? "–" : formatCount(Math.round(p.fuelPerCall)),
        ),
        h("td", { class: "num" }, formatMs(p.avgMs)),
        h("td", {}, faultChips(p.faults)),
        h(
          "td",
          { class: "actions" },
          p.origin === "client"
            ? [
                h(
                  "button",
                  { type: "button", class: "ghost small", onclick: () => this.hooks.edit(p.name) },
                  "edit",
                ),
                h(
                  "button",
                  {
                    type: "button",
                    class: "ghost small danger",
                    onclick: () => this.hooks.remove(p.name),
                  },
                  "delete",
                ),
              ]
            : null,
        ),
      ),
    );
    const table =
      rows.length === 0
        ? h("p", { class: "muted" }, "No plugins yet: write one, try it, then save it here.")
        : h(
            "table",
            { class: "stats" },
            h(
              "thead",
              {},
              h(
                "tr",
                {},
                ...["plugin", "calls", "fuel used", "fuel/call", "avg time", "faults", ""].map(
                  (t) => h("th", {}, t),
                ),
              ),
            ),
            h("tbody", {}, ...rows),
          );
    const tries = r.tries
      ? h(
          "p",
          { class: "tries" },
          h("strong", {}, "Playground tries: "),
          `${r.tries.runs} run${r.tries.runs === 1 ? "" : "s"} · avg ${formatMs(r.tries.avgMs)} · fuel ${formatCount(r.tries.fuelUsed)} · faults `,
          faultChips(r.tries.faults),
        )
      : null;
    this.root.replaceChildren(tiles, table);
    if (tries) this.root.append(tries);
  }
}
