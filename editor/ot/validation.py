"""Check ops and documents at the boundary: shape, allowed content, and fit.

`check_shape` is what every op must satisfy for the algebra to make sense of
it; `validate` adds Cowrite's content policy (allowed formats, no embeds) and
checks the op against the length of the document it targets.
"""

import re
from itertools import accumulate
from typing import Any

from editor.ot import utf16
from editor.ot.algebra import covered_length, length
from editor.ot.errors import InvalidOp, describe
from editor.ot.formats import format_error
from editor.ot.ops import DELETE, INSERT, RETAIN, Op, Ops, op_length

_KEYS = frozenset((INSERT, RETAIN, DELETE, "attributes"))
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_NEWLINE = 0x0A
_NO_NEWLINE = "the document must end with a newline"


def check_shape(ops: Any) -> None:
    """Raise InvalidOp unless ops is a list of well-formed ops."""
    if not isinstance(ops, list):
        raise InvalidOp(f"ops must be a list, got {type(ops).__name__}")
    for index, op in enumerate(ops):
        _check_op_shape(op, index)


def validate(ops: Any, base_length: int) -> None:
    """Raise InvalidOp unless ops is allowed and applies to a document of base_length.

    Knowing only the length, this cannot see a cut through a surrogate pair,
    nor every op that would leave the document without its final newline; use
    validate_against for those.
    """
    _validate(ops, base_length)


def validate_against(document: Ops, ops: Any) -> None:
    """Raise InvalidOp unless ops is allowed and applies cleanly to document."""
    decisive = _validate(ops, length(document))
    _check_cuts(document, ops)
    if decisive is not None and _unit_at(document, decisive) != _NEWLINE:
        raise InvalidOp(f"{_NO_NEWLINE}; this op would delete its last newline")


def validate_document(document: Any) -> None:
    """Raise InvalidOp unless document is an allowed document ending in a newline."""
    if not isinstance(document, list) or not document:
        raise InvalidOp("a document must be a non-empty list of inserts")
    for index, op in enumerate(document):
        _check_op_shape(op, index)
        if INSERT not in op:
            raise InvalidOp(f"op {index}: a document holds only inserts")
        _check_op_content(op, index)
        if None in (op.get("attributes") or {}).values():
            raise InvalidOp(f"op {index}: a document cannot hold null attributes")
    last = document[-1][INSERT]
    if not (isinstance(last, str) and last.endswith("\n")):
        raise InvalidOp(_NO_NEWLINE)


def check_reach(ops: Ops, base_length: int) -> None:
    """Raise InvalidOp if ops retains or deletes past the end of its document."""
    covered = covered_length(ops)
    if covered > base_length:
        raise InvalidOp(
            f"op reaches past the end of the document: it retains or deletes {covered} "
            f"code units but the document has {base_length}"
        )


def _validate(ops: Any, base_length: int) -> int | None:
    check_shape(ops)
    for index, op in enumerate(ops):
        _check_op_content(op, index)
    check_reach(ops, base_length)
    return _check_final_newline(ops, base_length)


def _check_op_shape(op: Any, index: int) -> None:
    if not isinstance(op, dict):
        raise InvalidOp(f"op {index} must be an object, got {type(op).__name__}")
    unknown = op.keys() - _KEYS
    if unknown:
        raise InvalidOp(f"op {index} has unknown key {sorted(map(str, unknown))[0]!r}")
    kinds = [kind for kind in (INSERT, RETAIN, DELETE) if kind in op]
    if len(kinds) != 1:
        raise InvalidOp(f"op {index} must have exactly one of insert, retain, delete")
    if kinds[0] == INSERT:
        _check_insert_shape(op[INSERT], index)
    else:
        _check_count(op[kinds[0]], kinds[0], index)
    if "attributes" in op:
        _check_attributes_shape(op["attributes"], kinds[0], index)


def _check_count(value: Any, kind: str, index: int) -> None:
    if kind == RETAIN and isinstance(value, dict):
        raise InvalidOp(f"op {index}: embeds are not supported (a retain of an embed)")
    # bool is a subclass of int, but true is not a count.
    if type(value) is not int or value <= 0:
        raise InvalidOp(f"op {index}: {kind} must be a positive integer, got {describe(value)}")


def _check_insert_shape(value: Any, index: int) -> None:
    if isinstance(value, str):
        if not value:
            raise InvalidOp(f"op {index}: insert must not be an empty string")
    elif not (isinstance(value, dict) and len(value) == 1):
        raise InvalidOp(f"op {index}: insert must be a string, got {describe(value)}")


def _check_attributes_shape(marks: Any, kind: str, index: int) -> None:
    if kind == DELETE:
        raise InvalidOp(f"op {index}: a delete cannot carry attributes")
    if not isinstance(marks, dict) or not marks:
        raise InvalidOp(f"op {index}: attributes must be a non-empty object")


def _check_op_content(op: Op, index: int) -> None:
    value = op.get(INSERT)
    if isinstance(value, dict):
        raise InvalidOp(f"op {index}: embeds are not supported (only text may be inserted)")
    if isinstance(value, str) and not value.isascii():
        lone = _LONE_SURROGATE.search(value)
        if lone:
            raise InvalidOp(f"op {index}: text contains a lone surrogate U+{ord(lone.group()):04X}")
    for name, setting in (op.get("attributes") or {}).items():
        problem = format_error(name, setting)
        if problem:
            raise InvalidOp(f"op {index}: {problem}")


def _check_final_newline(ops: Ops, base_length: int) -> int | None:
    """Raise if ops surely ends the document without a newline.

    Return the base position whose unit decides it when only the document can
    tell (a retain followed by deletes up to the end), else None.
    """
    if covered_length(ops) < base_length:
        return None  # the end of the document is untouched
    position, last, last_end = 0, None, 0
    for op in ops:
        if INSERT in op:
            last = op
            continue
        position += op_length(op)
        if RETAIN in op:
            last, last_end = op, position
    if last is None:
        raise InvalidOp(f"{_NO_NEWLINE}; this op would leave it empty")
    if INSERT in last:
        text = last[INSERT]
        if not (isinstance(text, str) and text.endswith("\n")):
            raise InvalidOp(f"{_NO_NEWLINE}; this op would end it with other text")
        return None
    return None if last_end == base_length else last_end - 1


def _check_cuts(document: Ops, ops: Ops) -> None:
    cuts = list(accumulate(op_length(op) for op in ops if INSERT not in op))
    next_cut, start = 0, 0
    for run in document:
        end = start + op_length(run)
        text = run[INSERT]
        while next_cut < len(cuts) and cuts[next_cut] < end:
            offset = cuts[next_cut] - start
            if offset > 0 and isinstance(text, str) and not utf16.is_boundary(text, offset):
                raise InvalidOp(
                    f"op cuts the document at UTF-16 position {cuts[next_cut]}, inside a "
                    "surrogate pair (an astral character such as an emoji is 2 code units)"
                )
            next_cut += 1
        start = end


def _unit_at(document: Ops, position: int) -> int:
    start = 0
    for run in document:
        end = start + op_length(run)
        if position < end:
            text = run[INSERT]
            return utf16.unit_at(text, position - start) if isinstance(text, str) else -1
        start = end
    return -1
