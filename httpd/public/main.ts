// The playground page: a workbench of the plugin's source (CodeMirror) beside its output (the
// image tab: gallery, chain or profile, original and result; the WAT tab: the module's text,
// linked to the source line by line) over a console of plugin logs and faults; below it the
// live panel of the client's runtime. Wiring and the editor's actions live here; the parts
// are in their own modules.

import { entryRequirement, entrySymbol, PLUGIN_NAME } from "../plugin-abi.ts";
import { parseParams } from "../plugin-params.ts";
import {
  activeSteps,
  applySoon,
  initAdapt,
  original,
  renderChain,
  renderChips,
  renderGallery,
  renderProfiles,
  result,
  selectImage,
} from "./adapt.ts";
import {
  compileSource,
  type Diagnostic,
  deleteClientPlugin,
  type Failure,
  getCatalog,
  getClientPlugin,
  getLibrary,
  getProfiles,
  getRuntime,
  isFailure,
  type Session,
  savePlugin,
  tryPlugin,
} from "./api.ts";
import { ConsolePane } from "./console.ts";
import { byId, formatBytes, formatMs, h } from "./dom.ts";
import { PluginEditor } from "./editor.ts";
import { faultOf } from "./fault.ts";
import { LogFollower } from "./logs.ts";
import { RuntimePanel } from "./panel.ts";
import { ParamsPanel } from "./params.ts";
import { newDemoSession, sessionBadge, storedSession, storeSession } from "./session.ts";
import { readFragment, shareFragment } from "./share.ts";
import { Splitter } from "./split.ts";
import { networkFailure, state, toast, viewFormat } from "./state.ts";
import { Tabs } from "./tabs.ts";
import { describeFailure } from "./view.ts";
import { WatView } from "./wat-view.ts";

const DRAFT_KEY = "kplug.draft";

const BLANK = (
  name: string,
) => `/* ${name}: posterize. Every sample snaps to one of p->levels levels. */
// @param levels: int 2..256 = 4 — levels per channel
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

const file = () => `${state.pluginName}.c`;

// ---- session ------------------------------------------------------------------------------

function setSession(session: Session | undefined): void {
  state.session = session;
  storeSession(session);
  if (!session) state.own = [];
  byId("session").replaceChildren(
    ...sessionBadge(session, {
      signIn: () => openSignIn(),
      signOut: () => void signOut(),
    }),
  );
  renderChips();
  panel.start(session);
  logs.start(session);
  if (session) void compileNow();
}

async function signOut(): Promise<void> {
  setSession(await newDemoSession());
  toast("Signed out");
}

/** The session was refused (expired, deleted): a demo gets a new demo; a client signs in. */
async function sessionLost(): Promise<void> {
  const was = state.session;
  const demo = await newDemoSession();
  setSession(demo);
  if (!was?.demo || !demo) toast("Your session is no longer valid: sign in again", "error");
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

/** Runs `action` now if there is a session (a demo one will do), else after signing in. */
function withSession(action: (s: Session) => void): void {
  if (state.session) action(state.session);
  else openSignIn(() => state.session && action(state.session));
}

// ---- parameters ---------------------------------------------------------------------------

function paramGroups() {
  const groups = activeSteps().map((step) => ({
    plugin: step,
    params: state.library.find((p) => p.name === step)?.params ?? [],
    note: state.own.includes(step) ? "yours" : undefined,
  }));
  // The editor's plugin (what Try runs) declares its parameters in its own source.
  if (!activeSteps().includes(state.pluginName))
    groups.push({
      plugin: state.pluginName,
      params: parseParams(editor.text).params,
      note: "editor",
    });
  return groups;
}

const renderParams = () => params.render(paramGroups());

// ---- editor actions -----------------------------------------------------------------------

function showDiagnostics(diagnostics: Diagnostic[]): void {
  editor.show(diagnostics, file());
  byId("diagnostics").replaceChildren(
    ...diagnostics.map((d) =>
      h(
        "li",
        { class: d.severity, "data-line": d.line },
        h(
          "button",
          {
            type: "button",
            class: "loc",
            onclick: () => d.file === file() && editor.reveal(d.line, d.col),
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

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** Whether the WAT on show is of the editor's text now. */
let watOf: string | undefined;
let compileSeq = 0;

async function compileNow(): Promise<boolean> {
  if (!validName()) return false;
  if (state.session === undefined) {
    setStatus("Sign in as a client to compile: compiling is a client's work.", "error");
    return false;
  }
  const seq = ++compileSeq;
  const text = editor.text;
  const wantWat = tabs.selected === "tab-wat";
  setStatus("compiling…", "busy");
  if (wantWat) wat.message("compiling…");
  const r = await compileSource(state.session, file(), text, wantWat).catch(networkFailure);
  if (seq !== compileSeq) return false;
  if (isFailure(r)) {
    setStatus(r.message, "error");
    if (r.status === 401) void sessionLost();
    return false;
  }
  if (r.wat !== undefined) {
    watOf = text;
    const links = r.lines ?? [];
    wat.show(
      r.wat,
      links,
      `${formatBytes(r.wasmBytes)} of wasm · ${plural(r.wat.split("\n").length - 1, "line")}${links.length ? ` · ${plural(links.length, "link")} to the source` : ""}`,
    );
  } else if (wantWat) {
    wat.message("The module does not compile: see the diagnostics.");
  }
  const diagnostics = [...r.diagnostics];
  const entry = entrySymbol(state.pluginName);
  // A server that checks the ABI itself says so (`rejected`); an older one is checked here.
  if (r.ok && r.rejected === undefined && !r.exports.some((e) => e.name === entry)) {
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
  const warned = warnings ? `, ${plural(warnings, "warning")}` : "";
  if (errors > 0) {
    setStatus(`${plural(errors, "error")}${warned}`, "error");
    return false;
  }
  setStatus(
    `compiled in ${formatMs(r.compileMs)} · ${formatBytes(r.wasmBytes)} of wasm${warned}`,
    "ok",
  );
  return true;
}

/** Shows a failure's fault in the console and marks its line when it is in the editor's file. */
function reportFault(f: Failure): void {
  const fault = faultOf(f);
  if (!fault) return;
  consolePane.fault(fault, describeFailure(f).title);
  const here = fault.line !== undefined && (fault.file === undefined || fault.file === file());
  editor.mark({ fault: here ? fault.line : undefined, linked: [] });
  if (here) editor.reveal(fault.line!, fault.col ?? 1, false);
}

async function tryNow(session: Session): Promise<void> {
  if (!validName()) return;
  const image = state.image;
  if (!image) return toast("Pick an image first", "error");
  const label = `Try: ${state.pluginName} (unsaved)`;
  const ticket = result.begin("compiling and running…");
  setStatus("running on the server…", "busy");
  editor.mark({ fault: undefined, linked: [] });
  const query = params.query([state.pluginName]);
  const format = viewFormat(image);
  if (format) query.set("format", format);
  const r = await tryPlugin(session, image, state.pluginName, editor.text, query).catch(
    networkFailure,
  );
  if (isFailure(r)) {
    if (r.diagnostics) showDiagnostics(r.diagnostics);
    setStatus(describeFailure(r).title, "error");
    result.fail(ticket, r, label);
    reportFault(r);
    if (r.status === 401) void sessionLost();
  } else {
    showDiagnostics([]);
    setStatus(
      `ran in ${formatMs(r.phases.transcode)} · compile ${formatMs(r.phases.compile)} · link ${formatMs(r.phases.link)}`,
      "ok",
    );
    await result.show(ticket, r, label, ["playground runtime"]);
  }
  tabs.select("tab-image");
  // Stacked panes (a phone): bring the result into view.
  if (matchMedia("(max-width: 760px)").matches)
    byId("result").scrollIntoView({ behavior: "smooth", block: "nearest" });
  void panel.refresh();
}

async function saveNow(session: Session): Promise<void> {
  if (!validName()) return;
  setStatus("saving…", "busy");
  const name = state.pluginName;
  const r = await savePlugin(session, name, editor.text).catch(networkFailure);
  if (isFailure(r)) {
    if (r.diagnostics) showDiagnostics(r.diagnostics);
    setStatus(r.diagnostics ? describeFailure(r).title : r.message, "error");
    if (r.status === 401) void sessionLost();
    return;
  }
  showDiagnostics([]);
  markClean();
  setStatus(
    `saved ${name} (${r.replaced ? "hot-swapped" : "linked"}) · compile ${formatMs(r.compileMs)} · link ${formatMs(r.linkMs)}`,
    "ok",
  );
  toast(`${name} is live in your runtime: use it in a chain`);
  if (!state.own.includes(name)) state.own.push(name);
  renderChips();
  await panel.refresh();
}

// ---- templates, drafts and share links ----------------------------------------------------

/** The text last loaded or saved: anything else in the editor is unsaved work. */
let cleanText = "";
const markClean = () => {
  cleanText = editor.text;
  saveDraft();
};
const dirty = () => editor.text !== cleanText;

function renderTemplates(): void {
  byId<HTMLSelectElement>("template").replaceChildren(
    h("option", { value: "" }, "posterize (example)"),
    ...state.library.map((p) => h("option", { value: p.name }, `${p.name}  (plugins/${p.file})`)),
  );
}

let templateShown = "";
function loadTemplate(name: string): void {
  const select = byId<HTMLSelectElement>("template");
  const lib = state.library.find((p) => p.name === name);
  const what = lib ? `the library plugin ${lib.name}` : "the example";
  if (dirty() && !confirm(`Replace your unsaved code with ${what}?`)) {
    select.value = templateShown; // keep showing what the editor holds
    return;
  }
  templateShown = name;
  if (!lib) {
    editor.text = BLANK(state.pluginName);
  } else {
    editor.text = lib.source;
    editor.renameSymbol(`${lib.name}_transform`, `${state.pluginName}_transform`);
  }
  markClean();
  showDiagnostics([]);
  editor.mark({ fault: undefined, linked: [] });
  setStatus(lib ? `started from ${lib.name}: its entry is now ${state.pluginName}_transform` : "");
}

function renamePlugin(next: string): void {
  const prev = state.pluginName;
  state.pluginName = next;
  if (PLUGIN_NAME.test(prev) && PLUGIN_NAME.test(next))
    editor.renameSymbol(`${prev}_transform`, `${next}_transform`);
  validName() && setStatus("");
  saveDraft();
  renderParams();
}

function saveDraft(): void {
  sessionStorage.setItem(
    DRAFT_KEY,
    JSON.stringify({ name: state.pluginName, text: editor.text, clean: cleanText === editor.text }),
  );
}

function loadDraft(): { name: string; text: string; clean: boolean } | undefined {
  try {
    const d = JSON.parse(sessionStorage.getItem(DRAFT_KEY) ?? "null");
    return d && typeof d.name === "string" && typeof d.text === "string" ? d : undefined;
  } catch {
    return undefined;
  }
}

async function share(): Promise<void> {
  const fragment = await shareFragment({ name: state.pluginName, source: editor.text });
  if (!fragment) return toast("This source is too long for a link: save it instead", "error");
  history.replaceState(null, "", fragment);
  const url = location.href;
  try {
    await navigator.clipboard.writeText(url);
    toast("Link copied: it carries this source");
  } catch {
    toast("Link in the address bar: it carries this source");
  }
}

/** Restores a shared source from the URL (it replaces the draft: the link is what was asked). */
async function restoreShared(): Promise<boolean> {
  if (!location.hash.includes("src=")) return false;
  const shared = await readFragment(location.hash);
  if (!shared) {
    toast("This link's source cannot be read", "error");
    return false;
  }
  if (PLUGIN_NAME.test(shared.name)) {
    state.pluginName = shared.name;
    byId<HTMLInputElement>("plugin-name").value = shared.name;
  }
  editor.text = shared.source;
  markClean();
  setStatus(`opened a shared ${state.pluginName}.c`);
  return true;
}

// ---- wiring -------------------------------------------------------------------------------

const draft = loadDraft();
if (draft) state.pluginName = draft.name;
byId<HTMLInputElement>("plugin-name").value = state.pluginName;

const params = new ParamsPanel(byId("params"), () => {
  applySoon();
});

const consolePane = new ConsolePane(byId("console"), byId("console-status"), {
  file,
  reveal: (line, col) => editor.reveal(line, col),
});
const logs = new LogFollower(consolePane);
logs.onUnauthorized = () => void sessionLost();

const tabs = new Tabs(byId("output-pane").querySelector<HTMLElement>('[role="tablist"]')!);

const wat = new WatView(byId("wat"), byId("wat-status"), {
  hover: (lines) => editor.mark({ linked: lines }),
  reveal: (line) => editor.reveal(line),
});

const editor = new PluginEditor(byId("editor"), draft?.text ?? BLANK(state.pluginName), {
  changed: () => {
    saveDraft();
    renderParams();
    void compileNow();
  },
  run: () => withSession((s) => void tryNow(s)),
  save: () => withSession((s) => void saveNow(s)),
  hover: (line, click) => {
    if (tabs.selected === "tab-wat") wat.markSource(line, click);
  },
});
cleanText = draft && !draft.clean ? "" : editor.text;

tabs.onChange = (id) => {
  if (id !== "tab-wat") return editor.mark({ linked: [] });
  if (watOf !== editor.text) void compileNow();
};

const panel = new RuntimePanel(byId("runtime"), byId("runtime-hint"), {
  edit: async (name) => {
    if (!state.session) return;
    const r = await getClientPlugin(state.session, name);
    if (isFailure(r)) return toast(r.message, "error");
    if (dirty() && !confirm(`Replace your unsaved code with your saved ${name}?`)) return;
    state.pluginName = name;
    byId<HTMLInputElement>("plugin-name").value = name;
    editor.text = r.source;
    markClean();
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
    renderParams();
    toast(`${name} unlinked`);
    void panel.refresh();
  },
  signedOut: () => void sessionLost(),
});
panel.onReport = (r) => {
  const own = r.plugins.filter((p) => p.origin === "client").map((p) => p.name);
  if (own.join() !== state.own.join()) {
    state.own = own;
    renderChips();
    renderChain();
    renderParams();
  }
};

initAdapt({
  params: () => params.query(activeSteps()),
  stepsChanged: renderParams,
  ranInRuntime: (failure) => {
    if (failure) reportFault(failure);
    void panel.refresh();
  },
});

const workbench = byId("workbench");
new Splitter(byId("split-main"), {
  container: workbench,
  axis: "x",
  min: 25,
  max: 80,
  initial: 55,
  key: "kplug.split.main",
  apply: (v) => workbench.style.setProperty("--split", `${v}%`),
});
const output = byId("output-pane");
new Splitter(byId("split-console"), {
  container: output,
  axis: "y",
  min: 25,
  max: 92,
  initial: 72,
  key: "kplug.split.console",
  apply: (v) => output.style.setProperty("--console", `${100 - v}%`),
});

byId("compile").addEventListener("click", () => void compileNow());
byId("try").addEventListener("click", () => withSession((s) => void tryNow(s)));
byId("save").addEventListener("click", () => withSession((s) => void saveNow(s)));
byId("share").addEventListener("click", () => void share());
byId("console-clear").addEventListener("click", () => consolePane.clear());
byId<HTMLSelectElement>("template").addEventListener("change", (e) =>
  loadTemplate((e.target as HTMLSelectElement).value),
);
byId<HTMLInputElement>("plugin-name").addEventListener("input", (e) =>
  renamePlugin((e.target as HTMLInputElement).value.trim()),
);
byId("signin-form").addEventListener("submit", (e) => void submitSignIn(e));
byId("signin-cancel").addEventListener("click", () => byId<HTMLDialogElement>("signin").close());
window.addEventListener("hashchange", () => void restoreShared());

async function start(): Promise<void> {
  renderChain();
  const shared = restoreShared();
  const [catalog, library, profiles, session] = await Promise.all([
    getCatalog(),
    getLibrary(),
    getProfiles(),
    Promise.resolve(storedSession() ?? newDemoSession()),
  ]);
  await shared;
  setSession(session);
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
  renderParams();
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
