"""Diff two documents into the Delta that turns one into the other."""

from editor.ot import attributes, utf16
from editor.ot.attributes import json_equal
from editor.ot.builder import Builder
from editor.ot.errors import InvalidOp
from editor.ot.iterator import OpIterator
from editor.ot.ops import INSERT, Ops, attributes_of
from editor.ot.textdiff import DELETE, EQUAL, diff_text

_EMBED_PLACEHOLDER = "\0"  # as quill-delta: an embed diffs as one NUL character


def diff(a: Ops, b: Ops) -> Ops:
    """Return the Delta that turns document a into document b.

    apply(a, diff(a, b)) == b always holds. The text diff is fast-diff's with
    its semantic cleanup, as in quill-delta, so edits come as whole words and
    lines, and the Delta equals quill-delta's for text without astral
    characters (see editor/ot/textdiff.py for where they part).
    """
    if a is b:
        return []
    old, new = _text(a, "with"), _text(b, "on")
    this, other = OpIterator(a), OpIterator(b)
    result = Builder()
    for kind, text in diff_text(old, new):
        remaining = utf16.length(text)
        while remaining > 0:
            if kind == EQUAL:
                step = _keep(this, other, remaining, result)
            elif kind == DELETE:
                step = this.advance(remaining)
                result.delete(step)
            else:
                piece = other.next(remaining)
                step = utf16.length(piece[INSERT]) if isinstance(piece[INSERT], str) else 1
                result.push(piece)
            remaining -= step
    return result.chop()


def _keep(this: OpIterator, other: OpIterator, remaining: int, result: Builder) -> int:
    """Keep the text both documents share, diffing its attributes; return its length."""
    step = min(this.peek_length(), other.peek_length(), remaining)
    old, new = this.peek(), other.peek()
    if isinstance(old[INSERT], str) and isinstance(new[INSERT], str):
        # Text the text diff called equal is equal: skip it without cutting it out.
        this.advance(step)
        other.advance(step)
        result.retain(step, attributes.diff(attributes_of(old), attributes_of(new)))
        return step
    old_piece, new_piece = this.next(step), other.next(step)
    if json_equal(old_piece[INSERT], new_piece[INSERT]):
        result.retain(step, attributes.diff(attributes_of(old_piece), attributes_of(new_piece)))
    else:
        result.push(new_piece)
        result.delete(step)
    return step


def _text(document: Ops, preposition: str) -> str:
    parts = []
    for op in document:
        if INSERT not in op:
            raise InvalidOp(
                f"diff() called {preposition} a non-document (it holds a retain or delete)"
            )
        value = op[INSERT]
        parts.append(value if isinstance(value, str) else _EMBED_PLACEHOLDER)
    return "".join(parts)
