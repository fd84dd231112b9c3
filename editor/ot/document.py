"""Apply an op to a document: the server's hot path."""

from editor.ot.algebra import compose, length
from editor.ot.builder import normalize
from editor.ot.errors import InvalidOp
from editor.ot.ops import INSERT, Ops
from editor.ot.splice import apply_single_edit
from editor.ot.validation import check_reach, check_shape


def apply(document: Ops, ops: Ops) -> Ops:
    """Return the document that results from applying ops to document.

    document must be a normalised Delta of inserts; so is the result. Raise
    InvalidOp when ops is malformed, reaches past the end of the document, or
    cuts through a surrogate pair. Formats and the final newline are policy:
    check them with validate / validate_against.
    """
    edited = apply_single_edit(document, ops)
    if edited is not None:
        return edited
    check_shape(ops)
    if not all(INSERT in run for run in document):
        raise InvalidOp("apply() needs a document: a Delta of inserts only")
    check_reach(ops, length(document))
    result = compose(document, ops)
    if any(None in (op.get("attributes") or {}).values() for op in ops if INSERT in op):
        result = normalize(result)  # a null in an insert means "no format"
    return result
