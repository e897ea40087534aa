// Whole-line marks in the editor: the line a fault happened at, and the source lines linked to
// the WAT lines under the pointer. Set by effects; they follow edits (mapped through changes).

import { type Extension, RangeSetBuilder, StateEffect, StateField } from "@codemirror/state";
import { Decoration, type DecorationSet, EditorView } from "@codemirror/view";

export interface LineMarks {
  /** 1-based line of the fault, if any. */
  fault?: number;
  /** 1-based lines linked to what the pointer is over in the WAT view. */
  linked: number[];
}

export const setLineMarks = StateEffect.define<LineMarks>();

const faultLine = Decoration.line({ class: "cm-fault-line" });
const linkedLine = Decoration.line({ class: "cm-linked-line" });

const marks = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(set, tr) {
    let next = set.map(tr.changes);
    for (const e of tr.effects) {
      if (!e.is(setLineMarks)) continue;
      const doc = tr.state.doc;
      const lines = new Map<number, Decoration[]>();
      const add = (n: number, d: Decoration) => {
        if (n < 1 || n > doc.lines) return;
        lines.set(n, [...(lines.get(n) ?? []), d]);
      };
      if (e.value.fault !== undefined) add(e.value.fault, faultLine);
      for (const n of e.value.linked) add(n, linkedLine);
      const b = new RangeSetBuilder<Decoration>();
      for (const n of [...lines.keys()].sort((a, c) => a - c))
        for (const d of lines.get(n)!) b.add(doc.line(n).from, doc.line(n).from, d);
      next = b.finish();
    }
    return next;
  },
  provide: (f) => EditorView.decorations.from(f),
});

const theme = EditorView.baseTheme({
  ".cm-fault-line": { backgroundColor: "rgba(217, 63, 63, 0.14)" },
  ".cm-fault-line.cm-activeLine": { backgroundColor: "rgba(217, 63, 63, 0.2)" },
  ".cm-linked-line": { backgroundColor: "rgba(79, 70, 229, 0.13)" },
});

/** The marks, and `hover(line)` called with the 1-based line under the pointer (0: none). */
export function lineMarks(hover: (line: number, click: boolean) => void): Extension {
  let last = -1;
  const lineAt = (view: EditorView, e: MouseEvent) => {
    const pos = view.posAtCoords({ x: e.clientX, y: e.clientY }, false);
    return view.state.doc.lineAt(pos).number;
  };
  return [
    marks,
    theme,
    EditorView.domEventHandlers({
      mousemove(e, view) {
        const n = lineAt(view, e);
        if (n === last) return;
        last = n;
        hover(n, false);
      },
      mouseleave() {
        last = 0;
        hover(0, false);
      },
      mousedown(e, view) {
        hover(lineAt(view, e), true);
      },
    }),
  ];
}
