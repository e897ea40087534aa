// Tabs over panels (WAI-ARIA tabs pattern): click, or arrow keys between the tabs.

export class Tabs {
  private readonly tabs: HTMLElement[];
  onChange: (id: string) => void = () => {};

  constructor(list: HTMLElement) {
    this.tabs = [...list.querySelectorAll<HTMLElement>('[role="tab"]')];
    for (const tab of this.tabs) {
      tab.addEventListener("click", () => this.select(tab.id));
      tab.addEventListener("keydown", (e) => {
        const i = this.tabs.indexOf(tab);
        const delta = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
        if (delta === 0) return;
        e.preventDefault();
        const next = this.tabs[(i + delta + this.tabs.length) % this.tabs.length];
        this.select(next.id);
        next.focus();
      });
    }
  }

  get selected(): string {
    return this.tabs.find((t) => t.getAttribute("aria-selected") === "true")?.id ?? "";
  }

  select(id: string): void {
    for (const tab of this.tabs) {
      const on = tab.id === id;
      tab.setAttribute("aria-selected", String(on));
      tab.tabIndex = on ? 0 : -1;
      const panel = document.getElementById(tab.getAttribute("aria-controls") ?? "");
      if (panel) panel.hidden = !on;
    }
    this.onChange(id);
  }
}
