// The KP-C editor: CodeMirror 6 with C highlighting, and the compiler's diagnostics shown
// inline (underlined range, gutter marker, message on hover) at their line and column.

import { cpp } from "@codemirror/lang-cpp";
import { lintGutter, type Diagnostic as Marker, setDiagnostics } from "@codemirror/lint";
import { type Extension, Prec } from "@codemirror/state";
import { EditorView, keymap } from "@codemirror/view";
import { basicSetup } from "codemirror";
import type { Diagnostic } from "./api.ts";
import { type LineMarks, lineMarks, setLineMarks } from "./editor-lines.ts";

export interface EditorHooks {
  /** Called (debounced) after the text changes. */
  changed(): void;
  /** Ctrl/Cmd-Enter. */
  run(): void;
  /** Ctrl/Cmd-S. */
  save(): void;
  /** The pointer is over source line `line` (1-based; 0: left the editor), or clicked it. */
  hover?(line: number, click: boolean): void;
}

const theme: Extension = EditorView.theme({
  "&": { height: "100%", fontSize: "13px" },
  ".cm-scroller": { fontFamily: "var(--mono)", lineHeight: "1.55" },
  ".cm-gutters": { background: "var(--editor-gutter)", border: "none", color: "var(--muted)" },
  ".cm-activeLineGutter, .cm-activeLine": { background: "var(--editor-active)" },
  "&.cm-focused": { outline: "none" },
});

export class PluginEditor {
  readonly view: EditorView;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(parent: HTMLElement, text: string, hooks: EditorHooks) {
    const keys = Prec.highest(
      keymap.of([
        {
          key: "Mod-Enter",
          run: () => {
            hooks.run();
            return true;
          },
        },
        {
          key: "Mod-s",
          preventDefault: true,
          run: () => {
            hooks.save();
            return true;
          },
        },
      ]),
    );
    this.view = new EditorView({
      parent,
      doc: text,
      extensions: [
        basicSetup,
        cpp(),
        lintGutter(),
        keys,
        theme,
        // No soft wrap: long lines scroll sideways, as in any code editor.
        lineMarks((line, click) => hooks.hover?.(line, click)),
        EditorView.updateListener.of((u) => {
          if (!u.docChanged) return;
          clearTimeout(this.timer);
          this.timer = setTimeout(() => hooks.changed(), 700);
        }),
      ],
    });
  }

  get text(): string {
    return this.view.state.doc.toString();
  }

  set text(value: string) {
    this.view.dispatch({ changes: { from: 0, to: this.view.state.doc.length, insert: value } });
  }

  /** Shows diagnostics of `file` inline; ones from other files (the header) at line 1. */
  show(diagnostics: Diagnostic[], file: string): void {
    const doc = this.view.state.doc;
    const markers: Marker[] = diagnostics.map((d) => {
      const own = d.file === file;
      const line = doc.line(own ? Math.min(Math.max(d.line, 1), doc.lines) : 1);
      let from = own ? Math.min(line.from + Math.max(d.col, 1) - 1, line.to) : line.from;
      // Underline the token at the column (a word, else one character).
      const rest = doc.sliceString(from, line.to);
      const word = /^[A-Za-z_0-9]+/.exec(rest)?.[0].length ?? (rest.length > 0 ? 1 : 0);
      let to = from + word;
      if (to === from && from > line.from) from--;
      if (to < from) to = from;
      return {
        from,
        to,
        severity: d.severity === "warning" ? "warning" : "error",
        message: own ? d.message : `${d.file}:${d.line}:${d.col}: ${d.message}`,
        source: "kplug cc",
      };
    });
    this.view.dispatch(setDiagnostics(this.view.state, markers));
  }

  /** Marks the lines linked to the WAT view and, when `fault` is given, the fault line. */
  mark(marks: LineMarks): void {
    this.view.dispatch({ effects: setLineMarks.of(marks) });
  }

  /** Puts the cursor at `line`:`col` (1-based) and scrolls it into view. */
  reveal(line: number, col = 1, focus = true): void {
    const doc = this.view.state.doc;
    const l = doc.line(Math.min(Math.max(line, 1), doc.lines));
    const pos = Math.min(l.from + Math.max(col, 1) - 1, l.to);
    this.view.dispatch({
      selection: { anchor: pos },
      effects: EditorView.scrollIntoView(pos, { y: "center" }),
    });
    if (focus) this.view.focus();
  }

  /** Replaces whole-word occurrences of `from` with `to` (renaming the entry point). */
  renameSymbol(from: string, to: string): void {
    if (from === to) return;
    const text = this.text;
    const re = new RegExp(`\\b${from}\\b`, "g");
    const changes: { from: number; to: number; insert: string }[] = [];
    for (let m = re.exec(text); m; m = re.exec(text)) {
      changes.push({ from: m.index, to: m.index + from.length, insert: to });
    }
    if (changes.length > 0) this.view.dispatch({ changes });
  }
}
