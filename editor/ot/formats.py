"""The formats a Cowrite document may carry, and what each may be set to.

Quill accepts any attribute; the server accepts only these. None ("null") is
always allowed in an op: in a retain it removes the format.
"""

import re
from collections.abc import Callable
from typing import Any

from editor.ot.errors import describe

_LINK = re.compile(r"(?:https?://|mailto:)[^\s\x00-\x1f\x7f<>\"]+", re.IGNORECASE)
_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_LANGUAGE = re.compile(r"[a-z0-9+-]{1,32}")


def _true(value: Any) -> bool:
    return value is True


def _one_of(*choices: str) -> Callable[[Any], bool]:
    return lambda value: isinstance(value, str) and value in choices


def _integer(low: int, high: int) -> Callable[[Any], bool]:
    return lambda value: type(value) is int and low <= value <= high


def _matches(pattern: re.Pattern[str]) -> Callable[[Any], bool]:
    return lambda value: isinstance(value, str) and pattern.fullmatch(value) is not None


_language = _matches(_LANGUAGE)


def _code_block(value: Any) -> bool:
    return value is True or _language(value)


# name -> (accepts a value, what it expects, for the error message)
FORMATS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "bold": (_true, "true"),
    "italic": (_true, "true"),
    "underline": (_true, "true"),
    "strike": (_true, "true"),
    "code": (_true, "true"),
    "link": (_matches(_LINK), "an http, https or mailto URL"),
    "color": (_matches(_COLOUR), "a hex colour such as #rgb or #rrggbb"),
    "background": (_matches(_COLOUR), "a hex colour such as #rgb or #rrggbb"),
    "header": (_integer(1, 3), "1, 2 or 3"),
    "list": (
        _one_of("ordered", "bullet", "checked", "unchecked"),
        '"ordered", "bullet", "checked" or "unchecked"',
    ),
    "blockquote": (_true, "true"),
    "code-block": (_code_block, "true or a language name made of [a-z0-9+-]"),
    "align": (_one_of("center", "right", "justify"), '"center", "right" or "justify"'),
    "indent": (_integer(1, 8), "an integer from 1 to 8"),
}


def format_error(name: str, value: Any) -> str | None:
    """Return why a format may not take a value, or None when it may."""
    rule = FORMATS.get(name)
    if rule is None:
        return f"format {name!r} is not allowed"
    accepts, expected = rule
    if value is None or accepts(value):
        return None
    return f"format {name!r} must be {expected} (or null), got {describe(value)}"
