// Selections across edits: carry a range forward through a Delta (the document
// after it) or back (the document before it). Pure; quill-delta only.

import Delta from "quill-delta";

// Return where `range` ({index, length}) lies once `delta` is applied. A caret
// at an insertion point moves past the inserted text when it belongs to the
// writer of the delta; anyone else's stays before it (`stay`), as Quill keeps
// a local caret when a remote change lands on it.
export function mapRange(range, delta, stay = false) {
  const start = delta.transformPosition(range.index, stay);
  const end = range.length ? delta.transformPosition(range.index + range.length, stay) : start;
  return { index: start, length: Math.max(0, end - start) };
}

// Return the position in the document before `delta` of `index` in the
// document after it. A position inside text the delta inserted goes to
// where that text was inserted.
export function unmapPosition(delta, index) {
  let before = 0;
  let after = 0;
  for (const op of new Delta(delta).ops) {
    if (op.delete) {
      before += op.delete;
      continue;
    }
    const length = typeof op.retain === "number" ? op.retain : Delta.Op.length(op);
    if (index < after + length) return op.insert === undefined ? before + index - after : before;
    after += length;
    if (op.insert === undefined) before += length;
  }
  return before + index - after;
}

export function unmapRange(range, delta) {
  const start = unmapPosition(delta, range.index);
  const end = range.length ? unmapPosition(delta, range.index + range.length) : start;
  return { index: start, length: Math.max(0, end - start) };
}
