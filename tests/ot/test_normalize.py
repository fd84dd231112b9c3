"""normalize, length and change_length."""

from editor import ot

BOLD = {"bold": True}


def test_merges_neighbours_with_equal_attributes():
    ops = [
        {"insert": "a", "attributes": BOLD},
        {"insert": "b", "attributes": {"bold": True}},
        {"insert": "c"},
        {"retain": 2},
        {"retain": 3},
        {"delete": 1},
        {"delete": 2},
        {"retain": 1, "attributes": BOLD},
    ]
    assert ot.normalize(ops) == [
        {"insert": "ab", "attributes": BOLD},
        {"insert": "c"},
        {"retain": 5},
        {"delete": 3},
        {"retain": 1, "attributes": BOLD},
    ]


def test_drops_empty_ops_and_empty_attributes():
    ops = [
        {"insert": ""},
        {"insert": "a", "attributes": {}},
        {"retain": 0},
        {"delete": 0},
        {"insert": "b"},
    ]
    assert ot.normalize(ops) == [{"insert": "ab"}]


def test_puts_inserts_before_deletes():
    ops = [{"retain": 1}, {"delete": 2}, {"insert": "x"}]
    assert ot.normalize(ops) == [{"retain": 1}, {"insert": "x"}, {"delete": 2}]


def test_drops_a_trailing_plain_retain_but_keeps_a_formatting_one():
    assert ot.normalize([{"delete": 1}, {"retain": 4}]) == [{"delete": 1}]
    formatting = [{"retain": 4, "attributes": {"bold": None}}]
    assert ot.normalize(formatting) == formatting


def test_drops_nulls_from_inserts_only():
    ops = [
        {"insert": "a", "attributes": {"bold": None, "italic": True}},
        {"insert": "b", "attributes": {"bold": None}},
        {"retain": 1, "attributes": {"bold": None}},
    ]
    assert ot.normalize(ops) == [
        {"insert": "a", "attributes": {"italic": True}},
        {"insert": "b"},
        {"retain": 1, "attributes": {"bold": None}},
    ]


def test_true_and_one_are_different_values():
    ops = [{"insert": "a", "attributes": {"x": True}}, {"insert": "b", "attributes": {"x": 1}}]
    assert ot.normalize(ops) == ops


def test_is_idempotent_and_does_not_mutate():
    ops = [
        {"insert": "a"},
        {"insert": "b", "attributes": BOLD},
        {"insert": "c", "attributes": BOLD},
    ]
    once = ot.normalize(ops)
    assert ot.normalize(once) == once
    assert ops[1] == {"insert": "b", "attributes": BOLD}


def test_length_counts_utf16_code_units():
    assert ot.length([{"insert": "a😀"}, {"retain": 3}, {"delete": 2}]) == 8
    assert ot.length([{"insert": {"image": "x"}}]) == 1
    assert ot.length([{"insert": "中é"}]) == 2


def test_change_length():
    assert ot.change_length([{"insert": "😀"}, {"retain": 3}, {"delete": 5}]) == -3
