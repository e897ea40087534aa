// The Image tab: the gallery, the adaptation (a plugin chain or a client profile) and the
// original beside the result, fetched from the server with its timing.

import { type Failure, getImage, isFailure } from "./api.ts";
import { byId, formatBytes, h } from "./dom.ts";
import { debounce, networkFailure, state, viewFormat } from "./state.ts";
import { ImageView } from "./view.ts";

export interface AdaptHooks {
  /** The parameters to send (those of the plugins shown). */
  params(): URLSearchParams;
  /** The chain, profile or own plugins changed: the parameter groups may change. */
  stepsChanged(): void;
  /** A request that ran in the client's runtime finished (the live panel may refresh). */
  ranInRuntime(failure?: Failure): void;
}

export const original = new ImageView(byId("original"));
export const result = new ImageView(byId("result"));

let hooks: AdaptHooks;

export function initAdapt(h: AdaptHooks): void {
  hooks = h;
  for (const b of byId("mode").querySelectorAll<HTMLElement>("button"))
    b.addEventListener("click", () => setMode(b.dataset.mode as "chain" | "profile"));
  byId("chain-clear").addEventListener("click", () => {
    state.chain = [];
    renderChain();
    hooks.stepsChanged();
    void applyAdaptation();
  });
}

/** The plugins whose parameters apply now: the chain's, or the profile's steps. */
export function activeSteps(): string[] {
  if (state.mode === "profile") return state.profiles[state.profile]?.steps ?? [];
  return [...new Set(state.chain)];
}

/** A downscale factor that makes a thumbnail of roughly 120 px from a file's size. */
function thumbScale(img: { format: string; bytes: number }): number {
  const pixels = img.format === "ppm" ? img.bytes / 3 : img.bytes;
  const width = Math.sqrt(pixels * (4 / 3));
  return Math.max(1, Math.min(16, Math.floor(width / 120)));
}

export function renderGallery(): void {
  const images = state.catalog?.images ?? [];
  byId("gallery-hint").textContent = `${images.length} images`;
  byId("gallery").replaceChildren(
    ...images.map((img) => {
      const scale = thumbScale(img);
      const src = `/images/${encodeURIComponent(img.name)}?${scale > 1 ? `plugin=downscale&scale=${scale}&` : ""}format=png`;
      return h(
        "button",
        {
          type: "button",
          class: "thumb",
          "data-image": img.name,
          "aria-pressed": img.name === state.image ? "true" : "false",
          onclick: () => selectImage(img.name),
        },
        h("img", { src, alt: img.name, loading: "lazy", decoding: "async" }),
        h(
          "span",
          { class: "thumb-label" },
          h("span", { class: "thumb-name" }, img.name),
          h(
            "span",
            { class: "thumb-meta" },
            `${img.format.toUpperCase()} · ${formatBytes(img.bytes)}`,
          ),
        ),
      );
    }),
  );
}

export function selectImage(name: string): void {
  state.image = name;
  for (const el of byId("gallery").querySelectorAll<HTMLElement>(".thumb"))
    el.setAttribute("aria-pressed", el.dataset.image === name ? "true" : "false");
  void loadOriginal();
  void applyAdaptation();
}

async function loadOriginal(): Promise<void> {
  const name = state.image;
  if (!name) return;
  const ticket = original.begin("loading…");
  const query = new URLSearchParams();
  const format = viewFormat(name);
  if (format) query.set("format", format);
  try {
    const r = await getImage(name, query);
    if (isFailure(r)) original.fail(ticket, r);
    else
      await original.show(ticket, r, "Original", [format ? `as ${format} (large)` : "as stored"]);
  } catch (e) {
    original.fail(ticket, networkFailure(e));
  }
}

function adaptationQuery(): { query: URLSearchParams; label: string; client: boolean } | undefined {
  const query = hooks.params();
  if (state.mode === "profile") {
    query.set("profile", state.profile);
    return { query, label: `Profile: ${state.profile}`, client: false };
  }
  if (state.chain.length === 0) return undefined;
  query.set("plugin", state.chain.join(","));
  const format = viewFormat(state.image);
  if (format) query.set("format", format);
  // A chain naming one of the client's own plugins runs in the client's runtime.
  const client = state.session !== undefined && state.chain.some((s) => state.own.includes(s));
  if (client) query.set("client", state.session!.id);
  return { query, label: state.chain.join(" → "), client };
}

export async function applyAdaptation(): Promise<void> {
  const name = state.image;
  if (!name) return;
  const a = adaptationQuery();
  if (!a) {
    result.clear("Add plugins to the chain, or pick a client profile.");
    return;
  }
  const ticket = result.begin("running…");
  const session = state.session;
  try {
    const r = await getImage(name, a.query, a.client ? session : undefined);
    if (isFailure(r)) {
      result.fail(ticket, r, a.label);
      if (a.client) hooks.ranInRuntime(r);
    } else {
      await result.show(ticket, r, a.label, a.client ? [`in your runtime (${session!.id})`] : []);
      if (a.client) hooks.ranInRuntime();
    }
  } catch (e) {
    result.fail(ticket, networkFailure(e), a.label);
  }
}

export const applySoon = debounce(() => void applyAdaptation(), 350);

export function renderChain(): void {
  const chain = byId("chain");
  chain.replaceChildren(
    ...state.chain.map((step, i) =>
      h(
        "span",
        { class: `step${state.own.includes(step) ? " own" : ""}`, "data-step": step },
        i > 0 ? h("span", { class: "arrow", "aria-hidden": "true" }, "→") : null,
        h("span", { class: "step-name" }, step),
        h(
          "button",
          {
            type: "button",
            class: "remove",
            "aria-label": `remove ${step}`,
            onclick: () => {
              state.chain.splice(i, 1);
              renderChain();
              hooks.stepsChanged();
              applySoon();
            },
          },
          "×",
        ),
      ),
    ),
  );
  if (state.chain.length === 0)
    chain.append(h("span", { class: "muted" }, "empty: click a plugin below"));
}

export function renderChips(): void {
  const chip = (name: string, own: boolean) =>
    h(
      "button",
      {
        type: "button",
        class: `chip${own ? " own" : ""}`,
        "data-plugin": name,
        title: own ? "your plugin (runs in your runtime)" : "library plugin",
        onclick: () => {
          state.chain.push(name);
          renderChain();
          hooks.stepsChanged();
          applySoon();
        },
      },
      own ? h("span", { class: "dot" }) : "+ ",
      name,
    );
  byId("plugin-chips").replaceChildren(
    ...(state.catalog?.plugins ?? []).map((n) => chip(n, false)),
    ...state.own.map((n) => chip(n, true)),
  );
}

export function renderProfiles(): void {
  byId("profiles").replaceChildren(
    ...Object.entries(state.profiles).map(([name, p]) =>
      h(
        "button",
        {
          type: "button",
          class: `profile${name === state.profile ? " active" : ""}`,
          "data-profile": name,
          onclick: () => {
            state.profile = name;
            renderProfiles();
            hooks.stepsChanged();
            void applyAdaptation();
          },
        },
        h("strong", {}, name),
        h("span", {}, p.description),
        h("code", {}, p.steps.join(" → ")),
      ),
    ),
  );
}

function setMode(mode: "chain" | "profile"): void {
  state.mode = mode;
  for (const b of byId("mode").querySelectorAll<HTMLElement>("button"))
    b.classList.toggle("active", b.dataset.mode === mode);
  byId("chain-panel").hidden = mode !== "chain";
  byId("chain-row").hidden = mode !== "chain";
  byId("profile-panel").hidden = mode !== "profile";
  hooks.stepsChanged();
  void applyAdaptation();
}
