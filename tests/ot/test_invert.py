"""invert: the cases of quill-delta's test/delta/invert, on editor.ot."""

import pytest

from editor import ot

BASE = [{"insert": "123456"}]


def test_insert():
    ops = [{"retain": 2}, {"insert": "A"}]
    assert ot.invert(ops, BASE) == [{"retain": 2}, {"delete": 1}]
    assert ot.apply(ot.apply(BASE, ops), ot.invert(ops, BASE)) == BASE


def test_delete():
    ops = [{"retain": 2}, {"delete": 3}]
    assert ot.invert(ops, BASE) == [{"retain": 2}, {"insert": "345"}]


def test_retain_with_attributes():
    ops = [{"retain": 2}, {"retain": 3, "attributes": {"bold": True}}]
    assert ot.invert(ops, BASE) == [{"retain": 2}, {"retain": 3, "attributes": {"bold": None}}]


def test_retain_over_text_with_other_attributes():
    base = [{"insert": "123"}, {"insert": "4", "attributes": {"bold": True}}]
    ops = [{"retain": 4, "attributes": {"italic": True}}]
    assert ot.invert(ops, base) == [{"retain": 4, "attributes": {"italic": None}}]


def test_combined():
    base = [
        {"insert": "123", "attributes": {"bold": True}},
        {"insert": "456", "attributes": {"italic": True}},
        {"insert": "789", "attributes": {"color": "#f00", "background": "#00f"}},
    ]
    ops = [
        {"retain": 2},
        {"delete": 2},
        {"insert": "AB", "attributes": {"italic": True}},
        {"retain": 2, "attributes": {"italic": None, "bold": True}},
        {"retain": 2, "attributes": {"color": "#f00"}},
        {"delete": 1},
    ]
    assert ot.invert(ops, base) == [
        {"retain": 2},
        {"insert": "3", "attributes": {"bold": True}},
        {"insert": "4", "attributes": {"italic": True}},
        {"delete": 2},
        {"retain": 2, "attributes": {"italic": True, "bold": None}},
        {"retain": 2},
        {"insert": "9", "attributes": {"color": "#f00", "background": "#00f"}},
    ]
    assert ot.apply(ot.apply(base, ops), ot.invert(ops, base)) == base


def test_astral_text_comes_back_whole():
    base = [{"insert": "a😀b\n"}]
    ops = [{"retain": 1}, {"delete": 2}]
    assert ot.invert(ops, base) == [{"retain": 1}, {"insert": "😀"}]


def test_an_op_longer_than_its_base_is_rejected():
    with pytest.raises(ot.InvalidOp, match="past the end"):
        ot.invert([{"retain": 3}, {"delete": 9}], BASE)
