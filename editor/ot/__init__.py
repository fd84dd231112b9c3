"""The Delta algebra of Cowrite: quill-delta 5.1.0 semantics in pure Python.

Documents and ops are JSON-shaped lists of op dicts. Every length and index
counts UTF-16 code units, as JavaScript does. Nothing here imports Django.
"""

from editor.ot.algebra import (
    change_length,
    compose,
    invert,
    length,
    transform,
    transform_position,
)
from editor.ot.builder import normalize
from editor.ot.diff import diff
from editor.ot.document import apply
from editor.ot.errors import InvalidOp
from editor.ot.formats import FORMATS
from editor.ot.validation import validate, validate_against, validate_document

__all__ = [
    "FORMATS",
    "InvalidOp",
    "apply",
    "change_length",
    "compose",
    "diff",
    "invert",
    "length",
    "normalize",
    "transform",
    "transform_position",
    "validate",
    "validate_against",
    "validate_document",
]
