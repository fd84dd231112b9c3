"""Apply a single-site edit to a document without the general compose loop.

Nearly every op a server commits is "retain k, then insert and/or delete".
Composing it onto a document would walk and copy every run; instead, find the
run holding position k by cumulative lengths, rebuild only the runs the edit
touches (merging neighbours whose attributes match, as push() would), and
reuse every other run object as it is.
"""

from editor.ot import attributes as attribute_maths
from editor.ot import utf16
from editor.ot.errors import InvalidOp
from editor.ot.ops import DELETE, INSERT, RETAIN, Attributes, Op, Ops

# (text, attributes, the whole run it came from, or None for a new or cut piece)
_Piece = tuple[str, Attributes | None, Op | None]
_Edit = tuple[int, int, str, Attributes | None]


class _NotPlainText(Exception):
    """The document holds something other than text runs: leave it to compose."""


def apply_single_edit(document: Ops, ops: Ops) -> Ops | None:
    """Return document with ops applied, or None if ops is not a single-site edit."""
    edit = _single_edit(ops)
    if edit is None:
        return None
    try:
        return _splice(document, *edit)
    except _NotPlainText:
        return None


def _single_edit(ops: Ops) -> _Edit | None:
    """Return (position, deleted, text, attributes) if ops is one edit at one place."""
    if not 0 < len(ops) <= 3:
        return None
    first = ops[0]
    position = first.get(RETAIN, 0) if len(first) == 1 else 0
    if type(position) is not int or position < 0:
        return None
    text, marks, deleted = "", None, 0
    for op in ops[1:] if position else ops:
        if INSERT in op and not text:
            text, marks = op[INSERT], op.get("attributes")
            if type(text) is not str or not text or len(op) != 1 + (marks is not None):
                return None
            if marks is not None and not (type(marks) is dict and marks and _no_nulls(marks)):
                return None
        elif DELETE in op and not deleted:
            deleted = op[DELETE]
            if type(deleted) is not int or deleted <= 0 or len(op) != 1:
                return None
        else:
            return None
    return (position, deleted, text, marks) if text or deleted else None


def _no_nulls(marks: Attributes) -> bool:
    return None not in marks.values()


def _splice(runs: Ops, position: int, deleted: int, text: str, marks: Attributes | None) -> Ops:
    index, offset, run_length = _locate(runs, 0, position)
    end = offset + deleted
    if index < len(runs) and end <= run_length:
        run = runs[index]
        if text and attribute_maths.same(marks, run.get("attributes")):
            return [*runs[:index], _edited(run, offset, end, text), *runs[index + 1 :]]
        if not text and (offset or end < run_length):
            return [*runs[:index], _edited(run, offset, end, ""), *runs[index + 1 :]]
    return _splice_across(runs, index, offset, run_length, deleted, text, marks)


def _edited(run: Op, start: int, end: int, text: str) -> Op:
    """Return run with its text from start to end replaced by text (same attributes).

    Neither neighbour can merge with it: they differed from run before the edit.
    """
    old = run[INSERT]
    # Build in one fresh local so CPython can grow it in place instead of copying.
    if old.isascii():
        new = old[:start]
        new += text
        new += old[end:]
    else:
        new = utf16.cut(old, 0, start)
        new += text
        new += utf16.cut(old, end)
    edited: Op = {INSERT: new}
    marks = run.get("attributes")
    if marks:
        edited["attributes"] = marks
    return edited


def _splice_across(
    runs: Ops,
    first: int,
    offset: int,
    first_length: int,
    deleted: int,
    text: str,
    marks: Attributes | None,
) -> Ops:
    """Splice an edit that spans runs, ends a run, or meets differently formatted text."""
    last, end, last_length = first, offset, first_length
    if deleted:
        if first == len(runs):
            raise InvalidOp(_past_end(deleted))
        last, end, last_length = _locate(runs, first, offset + deleted, inclusive=True)
    head, tail = first, min(last + 1, len(runs))
    pieces: list[_Piece] = []
    if offset:
        pieces.append(_cut(runs[first], 0, offset))
    elif head:
        head -= 1
        pieces.append(_whole(runs[head]))
    if text:
        pieces.append((text, marks, None))
    if last < len(runs) and end < last_length:
        pieces.append(_cut(runs[last], end, None) if end else _whole(runs[last]))
    elif tail < len(runs):
        pieces.append(_whole(runs[tail]))
        tail += 1
    return [*runs[:head], *_merge(pieces), *runs[tail:]]


def _locate(runs: Ops, start: int, position: int, inclusive: bool = False) -> tuple[int, int, int]:
    """Return (run index, offset in it, run length) of a position counted from run start.

    A position at a run boundary belongs to the next run, or with inclusive to
    the run it ends. Past the last run, return (len(runs), 0, 0).
    """
    for index in range(start, len(runs)):
        run_length = _length(runs[index])
        if position < run_length or (inclusive and position == run_length):
            return index, position, run_length
        position -= run_length
    if position == 0 and not inclusive:
        return len(runs), 0, 0
    raise InvalidOp(_past_end(position))


def _length(run: Op) -> int:
    text = run.get(INSERT)
    if text.__class__ is not str:
        raise _NotPlainText
    return len(text) if text.isascii() else utf16.length(text)


def _whole(run: Op) -> _Piece:
    return run[INSERT], run.get("attributes") or None, run


def _cut(run: Op, start: int, end: int | None) -> _Piece:
    return utf16.cut(run[INSERT], start, end), run.get("attributes") or None, None


def _merge(pieces: list[_Piece]) -> Ops:
    """Return the pieces as runs, joining neighbours whose attributes are equal."""
    merged: Ops = []
    group: list[_Piece] = []
    for piece in pieces:
        if group and not attribute_maths.same(group[0][1], piece[1]):
            merged.append(_run(group))
            group = []
        group.append(piece)
    if group:
        merged.append(_run(group))
    return merged


def _run(group: list[_Piece]) -> Op:
    if len(group) == 1 and group[0][2] is not None:
        return group[0][2]
    run: Op = {INSERT: "".join(piece[0] for piece in group)}
    if group[0][1]:
        run["attributes"] = group[0][1]
    return run


def _past_end(position: int) -> str:
    return f"op reaches past the end of the document (by {position} code units)"
