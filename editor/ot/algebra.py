"""The Delta algebra: compose, transform, invert, as loops over two op iterators.

Each function mirrors the method of the same name in quill-delta 5.1.0
(`Delta.compose`, `Delta.transform`, `Delta.transformPosition`, `Delta.invert`),
counting lengths in UTF-16 code units.
"""

from editor.ot import attributes
from editor.ot.builder import Builder
from editor.ot.errors import InvalidOp
from editor.ot.iterator import INFINITY, OpIterator
from editor.ot.ops import DELETE, INSERT, RETAIN, Op, Ops, attributes_of, op_length

_EMBED_RETAIN = "embeds are not supported: cannot retain an embed with changes"


def compose(a: Ops, b: Ops) -> Ops:
    """Return one Delta with the effect of applying a and then b.

    Raise InvalidOp if b cuts through a surrogate pair that a inserts.
    """
    this, other = OpIterator(a), OpIterator(b)
    result = Builder(_leading_inserts(this, other))
    while this.has_next() or other.has_next():
        if other.peek_type() == INSERT:
            result.push(other.next())
        elif this.peek_type() == DELETE:
            result.push(this.next())
        elif _compose_piece(this, other, result) and not other.has_next():
            # The rest of b is one endless retain: keep the rest of a as it is.
            result.extend(this.rest())
            break
    return result.chop()


def _leading_inserts(this: OpIterator, other: OpIterator) -> Ops:
    """Take a's inserts that b's plain leading retain keeps whole (a shortcut)."""
    ops: Ops = []
    first = other.peek()
    if first is None or not isinstance(first.get(RETAIN), int) or first.get("attributes"):
        return ops
    left = first[RETAIN]
    while this.peek_type() == INSERT and this.peek_length() <= left:
        left -= this.peek_length()
        ops.append(this.next())
    if first[RETAIN] - left > 0:
        other.next(first[RETAIN] - left)
    return ops


def _compose_piece(this: OpIterator, other: OpIterator, result: Builder) -> bool:
    """Compose the next common piece of a and b; return whether a new op was appended."""
    length = min(this.peek_length(), other.peek_length())
    this_op, other_op = this.next(length), other.next(length)
    if other_op.get(RETAIN):
        if isinstance(other_op[RETAIN], dict) or isinstance(this_op.get(RETAIN), dict):
            raise InvalidOp(_EMBED_RETAIN)
        kept_retain = RETAIN in this_op
        op: Op = {RETAIN: length} if kept_retain else {INSERT: this_op[INSERT]}
        merged = attributes.compose(
            attributes_of(this_op), attributes_of(other_op), keep_null=kept_retain
        )
        if merged:
            op["attributes"] = merged
        result.push(op)
        return result.ops[-1] is op
    if DELETE in other_op and RETAIN in this_op:
        result.push(other_op)
    # Otherwise b deletes what a inserted: the two cancel out.
    return False


def transform(a: Ops, b: Ops, priority: bool = False) -> Ops:
    """Return b transformed against a, both made on the same document.

    With priority, a is taken to have happened first: at the same index, a's
    insert goes before b's. The result applies after a.
    """
    this, other = OpIterator(a), OpIterator(b)
    result = Builder()
    while this.has_next() or other.has_next():
        if this.peek_type() == INSERT and (priority or other.peek_type() != INSERT):
            result.retain(this.advance())
        elif other.peek_type() == INSERT:
            result.push(other.next())
        else:
            _transform_piece(this, other, result, priority)
    return result.chop()


def _transform_piece(this: OpIterator, other: OpIterator, result: Builder, priority: bool) -> None:
    length = min(this.peek_length(), other.peek_length())
    this_op, other_op = this.next(length), other.next(length)
    if this_op.get(DELETE):
        return  # a deleted it: b's delete is redundant, b's retain has nothing left
    if other_op.get(DELETE):
        result.push(other_op)
        return
    if isinstance(this_op.get(RETAIN), dict) or isinstance(other_op.get(RETAIN), dict):
        raise InvalidOp(_EMBED_RETAIN)
    merged = attributes.transform(attributes_of(this_op), attributes_of(other_op), priority)
    result.retain(length, merged)


def transform_position(ops: Ops, index: int, priority: bool = False) -> int:
    """Return where index moves to once ops is applied.

    With priority, an insert exactly at index goes after the position (the
    position's owner is taken to have acted first).
    """
    offset = 0
    for op in ops:
        if offset > index:
            break
        length = op_length(op)
        if DELETE in op:
            index -= min(length, index - offset)
            continue
        if INSERT in op and (offset < index or not priority):
            index += length
        offset += length
    return index


def invert(ops: Ops, base: Ops) -> Ops:
    """Return the Delta that undoes ops, given the document base it applied to.

    Raise InvalidOp if ops reaches past the end of base or cuts a surrogate pair in it.
    """
    if covered_length(ops) > length(base):
        raise InvalidOp("cannot invert: the op reaches past the end of its base document")
    result = Builder()
    base_index = 0
    for op in ops:
        if op.get(INSERT):
            result.delete(op_length(op))
        elif RETAIN in op and not isinstance(op[RETAIN], dict) and not attributes_of(op):
            result.retain(op[RETAIN])
            base_index += op[RETAIN]
        elif op.get(DELETE) or (RETAIN in op and not isinstance(op[RETAIN], dict)):
            count = op.get(DELETE) or op[RETAIN]
            _invert_range(op, slice_ops(base, base_index, base_index + count), result)
            base_index += count
        elif RETAIN in op:
            raise InvalidOp(_EMBED_RETAIN)
    return result.chop()


def _invert_range(op: Op, base_ops: Ops, result: Builder) -> None:
    for base_op in base_ops:
        if op.get(DELETE):
            result.push(base_op)
        else:
            undone = attributes.invert(attributes_of(op), attributes_of(base_op))
            result.retain(op_length(base_op), undone)


def slice_ops(ops: Ops, start: int = 0, end: float = INFINITY) -> Ops:
    """Return the ops covering UTF-16 positions start to end."""
    pieces: Ops = []
    it = OpIterator(ops)
    index = 0
    while index < end and it.has_next():
        if index < start:
            index += it.advance(start - index)
        else:
            piece = it.next(end - index)
            pieces.append(piece)
            index += op_length(piece)
    return pieces


def length(ops: Ops) -> int:
    """Return the total length of a Delta's ops in UTF-16 code units."""
    return sum(op_length(op) for op in ops)


def covered_length(ops: Ops) -> int:
    """Return how much of its base document a Delta spans (its retains and deletes)."""
    return sum(op_length(op) for op in ops if INSERT not in op)


def change_length(ops: Ops) -> int:
    """Return how much a Delta grows its document by (negative when it shrinks it)."""
    total = 0
    for op in ops:
        if INSERT in op:
            total += op_length(op)
        elif DELETE in op:
            total -= op[DELETE]
    return total
