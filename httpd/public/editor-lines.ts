// Whole-line marks in the editor: the line a fault happened at, and the source lines linked to
// the WAT lines under the pointer. Set by effects; they follow edits (mapped through changes).

import {
  type Extension,
  RangeSetBuilder,
  StateEffect,
  StateField,
  type Text,
} from "@codemirror/state";
import { Decoration, type DecorationSet, EditorView } from "@codemirror/view";

export interface LineMarks {
  /** 1-based line of the fault (undefined: none). Absent: the fault mark stays as it is. */
  fault?: number | undefined;
  /** 1-based lines linked to what the pointer is over in the WAT view. */
  linked: number[];
}

/**
 * Sets the linked lines and, when `fault` is a key, the fault line. The two are independent:
 * hovering the WAT view or switching tabs must not wipe the fault line a try just marked.
 */
export const setLineMarks = StateEffect.define<LineMarks>();

const faultLine = Decoration.line({ class: "cm-fault-line" });
const linkedLine = Decoration.line({ class: "cm-linked-line" });

/** One whole-line decoration on each of `numbers` (1-based; out-of-range ones skipped). */
function lineSet(doc: Text, numbers: number[], deco: Decoration): DecorationSet {
  const b = new RangeSetBuilder<Decoration>();
  const sorted = [...new Set(numbers)]
    .filter((n) => n >= 1 && n <= doc.lines)
    .sort((a, c) => a - c);
  for (const n of sorted) b.add(doc.line(n).from, doc.line(n).from, deco);
  return b.finish();
}

/** A field of line decorations that follows edits and is replaced by what `pick` takes. */
function marksField(pick: (m: LineMarks) => number[] | null, deco: Decoration) {
  return StateField.define<DecorationSet>({
    create: () => Decoration.none,
    update(set, tr) {
      let next = set.map(tr.changes);
      for (const e of tr.effects) {
        if (!e.is(setLineMarks)) continue;
        const lines = pick(e.value);
        if (lines !== null) next = lineSet(tr.state.doc, lines, deco);
      }
      return next;
    },
    provide: (f) => EditorView.decorations.from(f),
  });
}

const faultMarks = marksField(
  (m) => ("fault" in m ? (m.fault === undefined ? [] : [m.fault]) : null),
  faultLine,
);
const linkedMarks = marksField((m) => m.linked, linkedLine);

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
    faultMarks,
    linkedMarks,
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
