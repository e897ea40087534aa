// The playground page: gallery, adaptation (plugin chain or client profile) with the original
// and the result side by side, the plugin editor (compile, try, save), and the live panel of
// the signed-in client's runtime. Plain DOM; all state lives in this module.

import { entryRequirement, entrySymbol, PLUGIN_NAME } from "../plugin-abi.ts";
import {
  type Catalog,
  compileSource,
  type Diagnostic,
  deleteClientPlugin,
  type Failure,
  getCatalog,
  getClientPlugin,
  getImage,
  getLibrary,
  getProfiles,
  getRuntime,
  isFailure,
  type LibraryPlugin,
  type Profile,
  type Session,
  savePlugin,
  tryPlugin,
} from "./api.ts";
import { byId, formatBytes, formatMs, h } from "./dom.ts";
import { PluginEditor } from "./editor.ts";
import { RuntimePanel } from "./panel.ts";
import { describeFailure, ImageView } from "./view.ts";

const PARAMS: ReadonlyArray<[name: string, fallback: number, hint: string]> = [
  ["scale", 2, "downscale factor"],
  ["threshold", 128, "threshold 0..255"],
  ["brightness", 0, "added to samples"],
  ["contrast", 100, "percent"],
  ["radius", 1, "blur radius"],
  ["amount", 100, "sharpen %"],
  ["turns", 1, "rotate ¼ turns"],
  ["levels", 2, "dither levels"],
  ["x", 0, "crop x"],
  ["y", 0, "crop y"],
  ["w", 0, "crop width"],
  ["h", 0, "crop height"],
  ["a0", 0, "free arg 0"],
  ["a1", 0, "free arg 1"],
];

const SESSION_KEY = "kplug.session";
const DRAFT_KEY = "kplug.draft";

const BLANK = (
  name: string,
) => `/* ${name}: posterize. Every sample snaps to one of p->levels levels (try ?levels=4). */
#include "kplug/image.h"

int ${name}_transform(const image *in, image *out, const params *p) {
  int levels = p->levels < 2 ? 2 : p->levels > 256 ? 256 : p->levels;
  int row = in->width * in->channels;
  for (int y = 0; y < in->height; y++) {
    uint8_t *s = in->pixels + y * in->stride;
    for (int i = 0; i < row; i++) {
      int q = (s[i] * (levels - 1) + 127) / 255;
      s[i] = (uint8_t)clamp255(q * 255 / (levels - 1));
    }
  }
  *out = *in; /* transformed in place */
  return IMAGE_OK;
}
`;

const state = {
  catalog: undefined as Catalog | undefined,
  library: [] as LibraryPlugin[],
  profiles: {} as Record<string, Profile>,
  image: undefined as string | undefined,
  mode: "chain" as "chain" | "profile",
  chain: ["grayscale"] as string[],
  profile: "pda",
  params: new Map<string, number>(),
  session: undefined as Session | undefined,
  own: [] as string[],
  pluginName: "my_filter",
};

const original = new ImageView(byId("original"));
const result = new ImageView(byId("result"));

// ---- small helpers ------------------------------------------------------------------------

let toastTimer: ReturnType<typeof setTimeout> | undefined;
function toast(message: string, kind: "ok" | "error" = "ok"): void {
  const el = byId("toast");
  el.textContent = message;
  el.className = `toast show ${kind}`;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    el.className = "toast";
  }, 3500);
}

function debounce(fn: () => void, ms: number): () => void {
  let t: ReturnType<typeof setTimeout> | undefined;
  return () => {
    clearTimeout(t);
    t = setTimeout(fn, ms);
  };
}

function paramQuery(): URLSearchParams {
  const q = new URLSearchParams();
  for (const [name, value] of state.params) q.set(name, String(value));
  return q;
}

// ---- gallery ------------------------------------------------------------------------------

/** A downscale factor that makes a thumbnail of roughly 160 px from a file's size. */
function thumbScale(img: { format: string; bytes: number }): number {
  const pixels =
    img.format === "ppm" ? img.bytes / 3 : img.format === "pgm" ? img.bytes : img.bytes;
  const width = Math.sqrt(pixels * (4 / 3));
  return Math.max(1, Math.min(16, Math.floor(width / 160)));
}

function renderGallery(): void {
  const gallery = byId("gallery");
  const images = state.catalog?.images ?? [];
  byId("gallery-hint").textContent = `${images.length} images served by kplug`;
  gallery.replaceChildren(
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

function selectImage(name: string): void {
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
  try {
    const r = await getImage(name, new URLSearchParams());
    if (isFailure(r)) original.fail(ticket, r);
    else await original.show(ticket, r, "Original", ["as stored"]);
  } catch (e) {
    original.fail(ticket, networkFailure(e));
  }
}

function networkFailure(e: unknown): Failure {
  return { failed: true, status: 0, error: "network", message: (e as Error).message };
}

// ---- adaptation ---------------------------------------------------------------------------

function adaptationQuery(): { query: URLSearchParams; label: string; client: boolean } | undefined {
  const query = paramQuery();
  if (state.mode === "profile") {
    query.set("profile", state.profile);
    return { query, label: `Profile: ${state.profile}`, client: false };
  }
  if (state.chain.length === 0) return undefined;
  query.set("plugin", state.chain.join(","));
  // A chain naming one of the client's own plugins runs in the client's runtime.
  const client = state.session !== undefined && state.chain.some((s) => state.own.includes(s));
  if (client) query.set("client", state.session!.id);
  return { query, label: state.chain.join(" → "), client };
}

async function applyAdaptation(): Promise<void> {
  const name = state.image;
  if (!name) return;
  const a = adaptationQuery();
  if (!a) {
    result.clear("Add plugins to the chain, or pick a client profile.");
    return;
  }
  const ticket = result.begin("running…");
  try {
    const r = await getImage(name, a.query, a.client ? state.session : undefined);
    if (isFailure(r)) result.fail(ticket, r, a.label);
    else
      await result.show(
        ticket,
        r,
        a.label,
        a.client ? [`in runtime client:${state.session!.id}`] : [],
      );
  } catch (e) {
    result.fail(ticket, networkFailure(e), a.label);
  }
  if (a.client) void panel.refresh();
}

const applySoon = debounce(() => void applyAdaptation(), 350);

function renderChain(): void {
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

function renderChips(): void {
  const names = [...(state.catalog?.plugins ?? [])];
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
          applySoon();
        },
      },
      own ? h("span", { class: "dot" }) : "+ ",
      name,
    );
  byId("plugin-chips").replaceChildren(
    ...names.map((n) => chip(n, false)),
    ...state.own.map((n) => chip(n, true)),
  );
}

function renderProfiles(): void {
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

function renderParams(): void {
  const grid = byId("params");
  const summary = byId("params-box").querySelector("summary")!;
  const update = () => {
    summary.textContent = state.params.size
      ? `Parameters (${state.params.size} set)`
      : "Parameters";
  };
  grid.replaceChildren(
    ...PARAMS.map(([name, fallback, hint]) =>
      h(
        "label",
        { class: "param", title: hint },
        h("span", {}, name),
        h("input", {
          type: "number",
          name,
          value: fallback,
          step: 1,
          oninput: (e: Event) => {
            const input = e.target as HTMLInputElement;
            const v = Number(input.value);
            if (input.value === "" || v === fallback || !Number.isInteger(v))
              state.params.delete(name);
            else state.params.set(name, v);
            input.classList.toggle("changed", state.params.has(name));
            update();
            applySoon();
          },
        }),
      ),
    ),
  );
  update();
}

function setMode(mode: "chain" | "profile"): void {
  state.mode = mode;
  for (const b of byId("mode").querySelectorAll<HTMLElement>("button"))
    b.classList.toggle("active", b.dataset.mode === mode);
  byId("chain-panel").hidden = mode !== "chain";
  byId("profile-panel").hidden = mode !== "profile";
  void applyAdaptation();
}

// ---- session ------------------------------------------------------------------------------

function loadSession(): Session | undefined {
  try {
    const s = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? "null");
    return s && typeof s.id === "string" && typeof s.token === "string" ? s : undefined;
  } catch {
    return undefined;
  }
}

function setSession(session: Session | undefined): void {
  state.session = session;
  if (session) sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  else sessionStorage.removeItem(SESSION_KEY);
  if (!session) state.own = [];
  renderSession();
  renderChips();
  panel.start(session);
}

function renderSession(): void {
  const el = byId("session");
  if (state.session) {
    el.replaceChildren(
      h(
        "span",
        { class: "who" },
        h("span", { class: "live-dot" }),
        "client ",
        h("strong", {}, state.session.id),
      ),
      h(
        "button",
        { type: "button", class: "ghost small", onclick: () => setSession(undefined) },
        "Sign out",
      ),
    );
  } else {
    el.replaceChildren(
      h(
        "button",
        { type: "button", class: "primary small", id: "signin-open", onclick: () => openSignIn() },
        "Sign in as a client",
      ),
    );
  }
}

let afterSignIn: (() => void) | undefined;
function openSignIn(then?: () => void): void {
  afterSignIn = then;
  byId("signin-error").textContent = "";
  byId<HTMLDialogElement>("signin").showModal();
  byId<HTMLInputElement>("signin-id").focus();
}

async function submitSignIn(e: Event): Promise<void> {
  e.preventDefault();
  const id = byId<HTMLInputElement>("signin-id").value.trim();
  const token = byId<HTMLInputElement>("signin-token").value.trim();
  const r = await getRuntime({ id, token });
  if (isFailure(r)) {
    byId("signin-error").textContent =
      r.status === 401 ? "That client id and token do not match." : r.message;
    return;
  }
  byId<HTMLDialogElement>("signin").close();
  byId<HTMLInputElement>("signin-token").value = "";
  setSession({ id, token });
  toast(`Signed in as ${id}`);
  afterSignIn?.();
  afterSignIn = undefined;
}

/** Runs `action` now if signed in, else after signing in. */
function withSession(action: (s: Session) => void): void {
  if (state.session) action(state.session);
  else openSignIn(() => state.session && action(state.session));
}

// ---- editor -------------------------------------------------------------------------------

const file = () => `${state.pluginName}.c`;

function showDiagnostics(diagnostics: Diagnostic[]): void {
  editor.show(diagnostics, file());
  const list = byId("diagnostics");
  list.replaceChildren(
    ...diagnostics.map((d) =>
      h(
        "li",
        { class: d.severity, "data-line": d.line },
        h(
          "button",
          {
            type: "button",
            class: "loc",
            onclick: () => {
              if (d.file !== file()) return;
              const line = editor.view.state.doc.line(
                Math.min(d.line, editor.view.state.doc.lines),
              );
              const pos = Math.min(line.from + d.col - 1, line.to);
              editor.view.dispatch({ selection: { anchor: pos }, scrollIntoView: true });
              editor.view.focus();
            },
          },
          d.file === file() ? `${d.line}:${d.col}` : `${d.file}:${d.line}:${d.col}`,
        ),
        h("span", { class: "sev" }, d.severity),
        h("span", { class: "msg" }, d.message),
      ),
    ),
  );
}

function setStatus(text: string, kind: "ok" | "error" | "busy" | "" = ""): void {
  const el = byId("compile-status");
  el.textContent = text;
  el.dataset.kind = kind;
}

function validName(): boolean {
  if (PLUGIN_NAME.test(state.pluginName)) return true;
  setStatus("Plugin names are a lowercase letter, then up to 31 of a-z, 0-9, _.", "error");
  return false;
}

let compileSeq = 0;
async function compileNow(): Promise<boolean> {
  if (!validName()) return false;
  if (state.session === undefined) {
    setStatus("Sign in as a client to compile: compiling is a client's work.", "error");
    return false;
  }
  const seq = ++compileSeq;
  setStatus("compiling…", "busy");
  const r = await compileSource(state.session, file(), editor.text).catch(networkFailure);
  if (seq !== compileSeq) return false;
  if (isFailure(r)) {
    setStatus(r.message, "error");
    return false;
  }
  const diagnostics = [...r.diagnostics];
  const entry = entrySymbol(state.pluginName);
  if (r.ok && !r.exports.some((e) => e.name === entry)) {
    diagnostics.push({
      severity: "error",
      file: file(),
      line: 1,
      col: 1,
      message: entryRequirement(state.pluginName),
    });
  }
  showDiagnostics(diagnostics);
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;
  if (errors > 0) {
    setStatus(
      `${errors} error${errors > 1 ? "s" : ""}${warnings ? `, ${warnings} warning${warnings > 1 ? "s" : ""}` : ""}`,
      "error",
    );
    return false;
  }
  setStatus(
    `compiled in ${formatMs(r.compileMs)} · ${formatBytes(r.wasmBytes)} of wasm${warnings ? ` · ${warnings} warning${warnings > 1 ? "s" : ""}` : ""}`,
    "ok",
  );
  return true;
}

async function tryNow(session: Session): Promise<void> {
  if (!validName()) return;
  const image = state.image;
  if (!image) return toast("Pick an image first", "error");
  const label = `Try: ${state.pluginName} (unsaved)`;
  const ticket = result.begin("compiling and running…");
  setStatus("running on the server…", "busy");
  const r = await tryPlugin(session, image, state.pluginName, editor.text, paramQuery()).catch(
    networkFailure,
  );
  if (isFailure(r)) {
    if (r.diagnostics) showDiagnostics(r.diagnostics);
    const d = describeFailure(r);
    setStatus(d.title, "error");
    result.fail(ticket, r, label);
    if (r.status === 401) setSession(undefined);
  } else {
    showDiagnostics([]);
    setStatus(
      `ran in ${formatMs(r.phases.transcode)} · compile ${formatMs(r.phases.compile)} · link ${formatMs(r.phases.link)}`,
      "ok",
    );
    await result.show(ticket, r, label, ["playground runtime"]);
  }
  void panel.refresh();
}

async function saveNow(session: Session): Promise<void> {
  if (!validName()) return;
  setStatus("saving…", "busy");
  const name = state.pluginName;
  const r = await savePlugin(session, name, editor.text).catch(networkFailure);
  if (isFailure(r)) {
    if (r.diagnostics) showDiagnostics(r.diagnostics);
    setStatus(r.diagnostics ? describeFailure({ ...r, error: r.error }).title : r.message, "error");
    if (r.status === 401) setSession(undefined);
    return;
  }
  showDiagnostics([]);
  setStatus(
    `saved ${name} (${r.replaced ? "hot-swapped" : "linked"}) · compile ${formatMs(r.compileMs)} · link ${formatMs(r.linkMs)}`,
    "ok",
  );
  toast(`${name} is live in your runtime: use it in a chain`);
  if (!state.own.includes(name)) state.own.push(name);
  renderChips();
  await panel.refresh();
}

function renderTemplates(): void {
  const select = byId<HTMLSelectElement>("template");
  select.replaceChildren(
    h("option", { value: "" }, "posterize (example)"),
    ...state.library.map((p) => h("option", { value: p.name }, `${p.name}  (plugins/${p.file})`)),
  );
}

function loadTemplate(name: string): void {
  const lib = state.library.find((p) => p.name === name);
  if (!lib) {
    editor.text = BLANK(state.pluginName);
  } else {
    editor.text = lib.source;
    editor.renameSymbol(`${lib.name}_transform`, `${state.pluginName}_transform`);
  }
  showDiagnostics([]);
  setStatus(
    lib
      ? `started from library plugin ${lib.name}: renamed its entry to ${state.pluginName}_transform`
      : "",
  );
}

function renamePlugin(next: string): void {
  const prev = state.pluginName;
  state.pluginName = next;
  if (PLUGIN_NAME.test(prev) && PLUGIN_NAME.test(next))
    editor.renameSymbol(`${prev}_transform`, `${next}_transform`);
  validName() && setStatus("");
  saveDraft();
}

function saveDraft(): void {
  sessionStorage.setItem(DRAFT_KEY, JSON.stringify({ name: state.pluginName, text: editor.text }));
}

function loadDraft(): { name: string; text: string } | undefined {
  try {
    const d = JSON.parse(sessionStorage.getItem(DRAFT_KEY) ?? "null");
    return d && typeof d.name === "string" && typeof d.text === "string" ? d : undefined;
  } catch {
    return undefined;
  }
}

// ---- wiring -------------------------------------------------------------------------------

const draft = loadDraft();
if (draft) state.pluginName = draft.name;
byId<HTMLInputElement>("plugin-name").value = state.pluginName;

const editor = new PluginEditor(byId("editor"), draft?.text ?? BLANK(state.pluginName), {
  changed: () => {
    saveDraft();
    void compileNow();
  },
  run: () => withSession((s) => void tryNow(s)),
  save: () => withSession((s) => void saveNow(s)),
});

const panel = new RuntimePanel(byId("runtime"), byId("runtime-hint"), {
  edit: async (name) => {
    if (!state.session) return;
    const r = await getClientPlugin(state.session, name);
    if (isFailure(r)) return toast(r.message, "error");
    state.pluginName = name;
    byId<HTMLInputElement>("plugin-name").value = name;
    editor.text = r.source;
    showDiagnostics([]);
    setStatus(`editing your saved plugin ${name}`);
    byId("editor").scrollIntoView({ behavior: "smooth", block: "center" });
  },
  remove: async (name) => {
    if (!state.session || !confirm(`Unlink ${name} from your runtime?`)) return;
    const r = await deleteClientPlugin(state.session, name);
    if (r) return toast(r.message, "error");
    state.own = state.own.filter((n) => n !== name);
    state.chain = state.chain.filter((n) => n !== name);
    renderChips();
    renderChain();
    toast(`${name} unlinked`);
    void panel.refresh();
  },
  signedOut: () => {
    toast("Your session is no longer valid: sign in again", "error");
    setSession(undefined);
  },
});
panel.onReport = (r) => {
  const own = r.plugins.filter((p) => p.origin === "client").map((p) => p.name);
  if (own.join() !== state.own.join()) {
    state.own = own;
    renderChips();
    renderChain();
  }
};

for (const b of byId("mode").querySelectorAll<HTMLElement>("button"))
  b.addEventListener("click", () => setMode(b.dataset.mode as "chain" | "profile"));
byId("chain-clear").addEventListener("click", () => {
  state.chain = [];
  renderChain();
  void applyAdaptation();
});
byId("compile").addEventListener("click", () => void compileNow());
byId("try").addEventListener("click", () => withSession((s) => void tryNow(s)));
byId("save").addEventListener("click", () => withSession((s) => void saveNow(s)));
byId<HTMLSelectElement>("template").addEventListener("change", (e) =>
  loadTemplate((e.target as HTMLSelectElement).value),
);
byId<HTMLInputElement>("plugin-name").addEventListener("input", (e) =>
  renamePlugin((e.target as HTMLInputElement).value.trim()),
);
byId("signin-form").addEventListener("submit", (e) => void submitSignIn(e));
byId("signin-cancel").addEventListener("click", () => byId<HTMLDialogElement>("signin").close());

async function start(): Promise<void> {
  renderParams();
  renderChain();
  setSession(loadSession());
  const [catalog, library, profiles] = await Promise.all([
    getCatalog(),
    getLibrary(),
    getProfiles(),
  ]);
  if (isFailure(catalog)) {
    byId("gallery").replaceChildren(
      h("p", { class: "error-text" }, `Cannot list images: ${catalog.message}`),
    );
    return;
  }
  state.catalog = catalog;
  if (!isFailure(library)) state.library = library;
  if (!isFailure(profiles)) state.profiles = profiles;
  if (!(state.profile in state.profiles)) state.profile = Object.keys(state.profiles)[0] ?? "";
  renderGallery();
  renderChips();
  renderProfiles();
  renderTemplates();
  document.body.dataset.ready = "true";
  // A paper-format image of a size that shows detail and transcodes in a blink.
  const first =
    catalog.images.find((i) => i.format === "ppm" && i.bytes > 50_000 && i.bytes < 1_000_000) ??
    catalog.images.find((i) => i.format === "ppm") ??
    catalog.images[0];
  if (first) selectImage(first.name);
  else original.clear("No images are served.");
}

void start();
