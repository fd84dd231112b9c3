"""Attribute maths, as quill-delta's AttributeMap.

A key that is absent plays JavaScript's `undefined`; a key whose value is None
plays `null`, which in a retain means "remove this format".
"""

from typing import Any

from editor.ot.ops import Attributes


def json_equal(a: Any, b: Any) -> bool:
    """Return whether two JSON values are equal as lodash.isEqual sees them.

    Python's == would equate True with 1; JSON (and quill-delta) does not.
    """
    if a is b:
        return True
    if isinstance(a, dict):
        return (
            isinstance(b, dict)
            and a.keys() == b.keys()
            and all(json_equal(value, b[key]) for key, value in a.items())
        )
    if isinstance(a, list):
        return (
            isinstance(b, list)
            and len(a) == len(b)
            and all(json_equal(x, y) for x, y in zip(a, b, strict=True))
        )
    return a == b and isinstance(a, bool) == isinstance(b, bool)


def same(a: Attributes | None, b: Attributes | None) -> bool:
    """Return whether two attribute maps are equal, treating None and {} alike."""
    if not a or not b:
        return not a and not b
    return a is b or json_equal(a, b)


def compose(
    a: Attributes | None, b: Attributes | None, keep_null: bool = False
) -> Attributes | None:
    """Return the attributes of b applied on top of a, or None when empty."""
    a = a or {}
    b = b or {}
    # A retain's null must survive to remove the format; over an insert it is moot.
    result = dict(b) if keep_null else {key: value for key, value in b.items() if value is not None}
    for key, value in a.items():
        if key not in b:
            result[key] = value
    return result or None


def diff(a: Attributes | None, b: Attributes | None) -> Attributes | None:
    """Return the attributes that turn a into b (None removes), or None when equal."""
    a = a or {}
    b = b or {}
    result = {}
    for key in (*a, *b):
        if key in a and key in b and json_equal(a[key], b[key]):
            continue
        result[key] = b.get(key)
    return result or None


def invert(attributes: Attributes | None, base: Attributes | None) -> Attributes:
    """Return the attributes that undo applying attributes to text formatted with base."""
    attributes = attributes or {}
    base = base or {}
    result = {
        key: value
        for key, value in base.items()
        if key in attributes and not json_equal(value, attributes[key])
    }
    for key in attributes:
        if key not in base:
            result[key] = None
    return result


def transform(
    a: Attributes | None, b: Attributes | None, priority: bool = False
) -> Attributes | None:
    """Return b's attributes transformed against a's concurrent ones."""
    if a is None:
        return b
    if b is None:
        return None
    if not priority:
        return b
    result = {key: value for key, value in b.items() if key not in a}
    return result or None
