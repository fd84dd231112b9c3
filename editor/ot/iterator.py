"""Walk a Delta in pieces of chosen length, as quill-delta's OpIterator."""

import math

from editor.ot import utf16
from editor.ot.ops import DELETE, INSERT, RETAIN, Op, Ops, op_kind, op_length

INFINITY = math.inf


class OpIterator:
    """Yield the ops of a Delta, splitting them at the lengths asked for.

    Past the end it yields endless retains, so a shorter Delta behaves as if it
    kept everything that follows.
    """

    __slots__ = ("_index", "_length", "_offset", "_ops")

    def __init__(self, ops: Ops) -> None:
        self._ops = ops
        self._index = 0
        self._offset = 0
        self._length = -1  # length of the current op, computed once

    def has_next(self) -> bool:
        """Return whether any op is left."""
        return self._index < len(self._ops)

    def peek(self) -> Op | None:
        """Return the current op, whole, or None past the end."""
        return self._ops[self._index] if self._index < len(self._ops) else None

    def peek_length(self) -> float:
        """Return what is left of the current op, or infinity past the end."""
        if self._index >= len(self._ops):
            return INFINITY
        if self._length < 0:
            self._length = op_length(self._ops[self._index])
        return self._length - self._offset

    def peek_type(self) -> str:
        """Return the kind of the current op; "retain" past the end."""
        if self._index >= len(self._ops):
            return RETAIN
        return op_kind(self._ops[self._index])

    def advance(self, length: float = INFINITY) -> int:
        """Skip up to length units of the current op without building it; return the count."""
        left = self.peek_length()
        if left == INFINITY:
            return 0
        if length >= left:
            self._index += 1
            self._offset = 0
            self._length = -1
            return left
        self._offset += length
        return length

    def next(self, length: float = INFINITY) -> Op:
        """Return the next piece of at most length units and move past it."""
        if self._index >= len(self._ops):
            return {RETAIN: INFINITY}
        op = self._ops[self._index]
        start = self._offset
        whole = start == 0 and length >= self.peek_length()
        taken = self.advance(length)
        if whole:
            return op
        return _piece(op, start, taken)

    def rest(self) -> Ops:
        """Return the ops that are left, the current one cut at the offset."""
        if self._index >= len(self._ops):
            return []
        if self._offset == 0:
            return self._ops[self._index :]
        index, offset, length = self._index, self._offset, self._length
        first = self.next()
        self._index, self._offset, self._length = index, offset, length
        return [first, *self._ops[index + 1 :]]


def _piece(op: Op, start: int, length: int) -> Op:
    if DELETE in op:
        return {DELETE: length}
    if RETAIN in op:
        piece: Op = {RETAIN: length}
    else:
        # A string is cut; an embed has length 1, so it is never cut.
        value = op[INSERT]
        piece = {
            INSERT: utf16.cut(value, start, start + length) if isinstance(value, str) else value
        }
    attributes = op.get("attributes")
    if attributes:
        piece["attributes"] = attributes
    return piece
