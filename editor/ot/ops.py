"""Name the parts of an op, as quill-delta's Op module does.

An op is a JSON-shaped dict: `{"insert": str | embed, "attributes"?: {...}}`,
`{"retain": int, "attributes"?: {...}}` or `{"delete": int}`. A Delta is a list
of ops. Ops are treated as immutable values: functions here never mutate their
arguments, and results may share op and attribute dicts with their inputs.
"""

from typing import Any

from editor.ot import utf16

Op = dict[str, Any]
Ops = list[Op]
Attributes = dict[str, Any]

INSERT = "insert"
RETAIN = "retain"
DELETE = "delete"


def op_length(op: Op) -> int:
    """Return the length of an op in UTF-16 code units (an embed counts 1)."""
    if DELETE in op:
        return op[DELETE]
    if RETAIN in op:
        count = op[RETAIN]
        return 1 if isinstance(count, dict) else count
    value = op[INSERT]
    return utf16.length(value) if isinstance(value, str) else 1


def op_kind(op: Op) -> str:
    """Return "insert", "retain" or "delete" for an op."""
    if DELETE in op:
        return DELETE
    if RETAIN in op:
        return RETAIN
    return INSERT


def attributes_of(op: Op) -> Attributes | None:
    """Return the op's attributes, or None when it has none (an empty dict counts as none)."""
    return op.get("attributes") or None


def with_attributes(op: Op, attributes: Attributes | None) -> Op:
    """Return op with attributes set when there are any."""
    if attributes:
        op["attributes"] = attributes
    return op
