"""Count and cut text in UTF-16 code units, the unit of every op length and index.

The wire contract counts as JavaScript does: "😀" is two units, while Python's
str counts it as one code point. Every conversion between the two lives in this
module. Text without astral characters has equal counts, so each function checks
that first, in O(1): `str.isascii()`, then `_surely_bmp()`.
"""

import sys

from editor.ot.errors import InvalidOp

_CODEC = "utf-16-le"
# Lone surrogates count as one unit each, as they do in a JavaScript string.
_ERRORS = "surrogatepass"


def _ucs4_header() -> int | None:
    if sys.implementation.name != "cpython":
        return None
    return sys.getsizeof(chr(0x10000)) - 2 * 4


_UCS4_HEADER = _ucs4_header()


def _surely_bmp(text: str) -> bool:
    """Return True only if text holds no astral character, in O(1).

    CPython stores a str with 1, 2 or 4 bytes per character and picks 4 only
    when an astral character is present (PEP 393), so a size below the 4-byte
    minimum rules them out. A cached UTF-8 copy can only make the size larger,
    which sends a string to the exact (slower) path, never the other way.
    Without this, every edit of a document holding one curly quote would
    re-encode the whole document.
    """
    if _UCS4_HEADER is None:
        return False
    return sys.getsizeof(text) < _UCS4_HEADER + 4 * (len(text) + 1)


def length(text: str) -> int:
    """Return the length of text in UTF-16 code units."""
    if text.isascii() or _surely_bmp(text):
        return len(text)
    return len(text.encode(_CODEC, _ERRORS)) >> 1


def cut(text: str, start: int, end: int | None = None) -> str:
    """Return the part of text between two UTF-16 offsets.

    Raise InvalidOp if either offset falls inside a surrogate pair.
    """
    if text.isascii() or _surely_bmp(text):
        return text[start:end]
    units = text.encode(_CODEC, _ERRORS)
    if len(units) == 2 * len(text):
        return text[start:end]
    total = len(units) >> 1
    if end is None:
        end = total
    _check_boundary(units, start)
    _check_boundary(units, end)
    return units[2 * start : 2 * end].decode(_CODEC, _ERRORS)


def is_boundary(text: str, offset: int) -> bool:
    """Return whether text may be cut at a UTF-16 offset without splitting a pair."""
    if text.isascii() or _surely_bmp(text):
        return True
    return not _splits_pair(text.encode(_CODEC, _ERRORS), offset)


def unit_at(text: str, offset: int) -> int:
    """Return the UTF-16 code unit at an offset of text."""
    if text.isascii() or _surely_bmp(text):
        return ord(text[offset])
    units = text.encode(_CODEC, _ERRORS)
    return units[2 * offset] | units[2 * offset + 1] << 8


def _check_boundary(units: bytes, offset: int) -> None:
    if _splits_pair(units, offset):
        raise InvalidOp(
            f"cannot cut text at UTF-16 offset {offset}: it would split a surrogate pair "
            "(an astral character such as an emoji counts as 2 code units)"
        )


def _splits_pair(units: bytes, offset: int) -> bool:
    # Little-endian: the high byte of unit k is units[2k + 1].
    if offset <= 0 or 2 * offset >= len(units):
        return False
    return 0xD8 <= units[2 * offset - 1] <= 0xDB and 0xDC <= units[2 * offset + 1] <= 0xDF
