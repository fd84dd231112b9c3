"""Build a normalised Delta one op at a time, as quill-delta's push().

Every algebra function emits ops through a Builder, so each can stay a simple
loop while its result comes out canonical: neighbours with equal attributes are
merged, deletes are merged, and an insert is placed before an adjacent delete
(inserting before or after deleting at the same index is the same edit).
"""

from typing import Any

from editor.ot import attributes as attribute_maths
from editor.ot.errors import InvalidOp
from editor.ot.ops import DELETE, INSERT, RETAIN, Attributes, Op, Ops, with_attributes


class Builder:
    """Accumulate ops into a normalised list, `ops`."""

    __slots__ = ("ops",)

    def __init__(self, ops: Ops | None = None) -> None:
        self.ops: Ops = [] if ops is None else ops

    def insert(self, value: Any, attributes: Attributes | None = None) -> None:
        """Append an insert; an empty string is nothing."""
        if isinstance(value, str) and not value:
            return
        self.push(with_attributes({INSERT: value}, attributes))

    def retain(self, length: int, attributes: Attributes | None = None) -> None:
        """Append a retain; a non-positive length is nothing."""
        if length <= 0:
            return
        self.push(with_attributes({RETAIN: length}, attributes))

    def delete(self, length: int) -> None:
        """Append a delete; a non-positive length is nothing."""
        if length > 0:
            self.push({DELETE: length})

    def push(self, op: Op) -> None:
        """Append op, merging it into its neighbour when they combine."""
        ops = self.ops
        index = len(ops)
        if index == 0:
            ops.append(op)
            return
        last = ops[-1]
        if DELETE in op and DELETE in last:
            ops[-1] = {DELETE: last[DELETE] + op[DELETE]}
            return
        if DELETE in last and INSERT in op:
            index -= 1
            if index == 0:
                ops.insert(0, op)
                return
            last = ops[index - 1]
        merged = _merge(last, op)
        if merged is not None:
            ops[index - 1] = merged
        else:
            ops.insert(index, op)

    def extend(self, ops: Ops) -> None:
        """Append ops that are already normalised among themselves."""
        if ops:
            self.push(ops[0])
            self.ops.extend(ops[1:])

    def chop(self) -> Ops:
        """Drop a trailing retain that changes nothing and return the ops."""
        ops = self.ops
        if ops and RETAIN in ops[-1] and not ops[-1].get("attributes"):
            ops.pop()
        return ops


def _merge(last: Op, op: Op) -> Op | None:
    """Return last and op as one op, or None when they stay apart."""
    attributes = op.get("attributes")
    if not attribute_maths.same(attributes, last.get("attributes")):
        return None
    if INSERT in op and INSERT in last:
        value, previous = op[INSERT], last[INSERT]
        if isinstance(value, str) and isinstance(previous, str):
            return with_attributes({INSERT: previous + value}, attributes)
    elif RETAIN in op and RETAIN in last:
        count, previous = op[RETAIN], last[RETAIN]
        if not isinstance(count, dict) and not isinstance(previous, dict):
            return with_attributes({RETAIN: previous + count}, attributes)
    return None


def normalize(ops: Ops) -> Ops:
    """Return ops in canonical form.

    Neighbours with equal attributes are merged, empty ops dropped, inserts come
    before deletes at the same index, a trailing plain retain is dropped, and
    null attributes are dropped from inserts (where they mean "no format" and
    must never reach a document).
    """
    result = Builder()
    for index, op in enumerate(ops):
        marks = op.get("attributes") or None
        if INSERT in op:
            result.insert(op[INSERT], _without_nulls(marks))
        elif RETAIN in op:
            _push_retain(result, op[RETAIN], marks)
        elif DELETE in op:
            result.delete(op[DELETE])
        else:
            raise InvalidOp(f"op {index} has none of insert, retain, delete")
    return result.chop()


def _push_retain(result: Builder, count: Any, marks: Attributes | None) -> None:
    if isinstance(count, dict):
        result.push(with_attributes({RETAIN: count}, marks))
    else:
        result.retain(count, marks)


def _without_nulls(marks: Attributes | None) -> Attributes | None:
    if not marks or None not in marks.values():
        return marks
    return {key: value for key, value in marks.items() if value is not None} or None
