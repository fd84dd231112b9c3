"""UTF-16 arithmetic, the one place where Python's code points meet JavaScript's units.

Every test runs twice: with the O(1) "surely BMP" check and with it disabled,
so the exact path is exercised on the same text.
"""

import pytest

from editor.ot import utf16
from editor.ot.errors import InvalidOp

SAMPLES = {
    "ascii": ("hello", 5),
    "latin-1": ("héllo", 5),
    "bmp": ("中文\u2019—", 4),
    "emoji": ("😀", 2),
    "cjk extension b": ("𠀀𠀁", 4),
    "combining mark": ("e\u0301", 2),
    "skin tone": ("👍🏽", 4),
    "zwj family": ("👨\u200d👩\u200d👧", 8),
    "mixed": ("a😀b中c𠀀", 8),
}


@pytest.fixture(params=["fast", "exact"], autouse=True)
def path(request, monkeypatch):
    if request.param == "exact":
        monkeypatch.setattr(utf16, "_UCS4_HEADER", None)
    return request.param


@pytest.mark.parametrize(("text", "units"), SAMPLES.values(), ids=SAMPLES.keys())
def test_length_counts_code_units(text, units):
    assert utf16.length(text) == units
    assert units == len(text.encode("utf-16-le")) // 2


def test_cut_counts_code_units():
    text = "a😀b中c𠀀"
    assert utf16.cut(text, 0, 1) == "a"
    assert utf16.cut(text, 1, 3) == "😀"
    assert utf16.cut(text, 3) == "b中c𠀀"
    assert utf16.cut(text, 6, 8) == "𠀀"
    assert utf16.cut(text, 8) == ""


def test_cut_through_a_surrogate_pair_is_refused():
    for offset in (2, 7):
        with pytest.raises(InvalidOp, match="surrogate pair"):
            utf16.cut("a😀b中c𠀀", offset)
    with pytest.raises(InvalidOp, match="surrogate pair"):
        utf16.cut("a😀b", 0, 2)


def test_combining_marks_may_be_cut():
    # Only surrogate pairs are indivisible; a combining mark is its own code unit.
    assert utf16.cut("e\u0301", 0, 1) == "e"


def test_is_boundary():
    text = "a😀b"
    assert [utf16.is_boundary(text, offset) for offset in range(5)] == [
        True,
        True,
        False,
        True,
        True,
    ]


def test_unit_at():
    text = "a😀\n"
    assert [utf16.unit_at(text, offset) for offset in range(4)] == [0x61, 0xD83D, 0xDE00, 0x0A]


def test_bmp_check_is_sound_for_every_storage_width(path):
    if path == "exact":
        return
    assert utf16._surely_bmp("é" * 100)
    assert utf16._surely_bmp("中" * 100)
    assert not utf16._surely_bmp("中" * 100 + "😀")
    assert not utf16._surely_bmp("😀")
