"""compose: the cases of quill-delta's test/delta/compose, on editor.ot."""

import copy

from editor import ot

BOLD = {"bold": True}


def test_insert_then_insert():
    assert ot.compose([{"insert": "A"}], [{"insert": "B"}]) == [{"insert": "BA"}]


def test_insert_then_retain_with_attributes_drops_nulls():
    a = [{"insert": "A"}]
    b = [{"retain": 1, "attributes": {"bold": True, "color": "#f00", "italic": None}}]
    assert ot.compose(a, b) == [{"insert": "A", "attributes": {"bold": True, "color": "#f00"}}]


def test_insert_then_delete_cancel_out():
    assert ot.compose([{"insert": "A"}], [{"delete": 1}]) == []


def test_delete_then_insert_puts_the_insert_first():
    assert ot.compose([{"delete": 1}], [{"insert": "B"}]) == [{"insert": "B"}, {"delete": 1}]


def test_delete_then_retain():
    b = [{"retain": 1, "attributes": {"bold": True, "color": "#f00"}}]
    assert ot.compose([{"delete": 1}], b) == [{"delete": 1}, *b]


def test_delete_then_delete_merge():
    assert ot.compose([{"delete": 1}], [{"delete": 1}]) == [{"delete": 2}]


def test_retain_then_insert():
    a = [{"retain": 1, "attributes": {"color": "#00f"}}]
    assert ot.compose(a, [{"insert": "B"}]) == [{"insert": "B"}, *a]


def test_retain_then_retain_keeps_nulls():
    a = [{"retain": 1, "attributes": {"color": "#00f"}}]
    b = [{"retain": 1, "attributes": {"bold": True, "color": "#f00", "italic": None}}]
    assert ot.compose(a, b) == b


def test_retain_then_delete():
    a = [{"retain": 1, "attributes": {"color": "#00f"}}]
    assert ot.compose(a, [{"delete": 1}]) == [{"delete": 1}]


def test_insert_in_middle_of_text():
    b = [{"retain": 3}, {"insert": "X"}]
    assert ot.compose([{"insert": "Hello"}], b) == [{"insert": "HelXlo"}]


def test_insert_and_delete_in_either_order():
    a = [{"insert": "Hello"}]
    insert_first = [{"retain": 3}, {"insert": "X"}, {"delete": 1}]
    delete_first = [{"retain": 3}, {"delete": 1}, {"insert": "X"}]
    assert ot.compose(a, insert_first) == [{"insert": "HelXo"}]
    assert ot.compose(a, delete_first) == [{"insert": "HelXo"}]


def test_embed_insert_then_retain_with_attributes():
    a = [{"insert": {"image": "a.png"}, "attributes": {"alt": "x"}}]
    b = [{"retain": 1, "attributes": {"alt": "y", "width": "2"}}]
    assert ot.compose(a, b) == [
        {"insert": {"image": "a.png"}, "attributes": {"alt": "y", "width": "2"}}
    ]


def test_delete_entire_text():
    a = [{"retain": 4}, {"insert": "Hello"}]
    assert ot.compose(a, [{"delete": 9}]) == [{"delete": 4}]


def test_retain_more_than_length_of_text():
    assert ot.compose([{"insert": "Hello"}], [{"retain": 10}]) == [{"insert": "Hello"}]


def test_remove_all_attributes():
    a = [{"insert": "A", "attributes": BOLD}]
    assert ot.compose(a, [{"retain": 1, "attributes": {"bold": None}}]) == [{"insert": "A"}]


def test_does_not_mutate_its_arguments():
    a = [{"insert": "Test", "attributes": BOLD}]
    b = [{"retain": 1, "attributes": {"color": "#f00"}}, {"delete": 2}]
    a_copy, b_copy = copy.deepcopy(a), copy.deepcopy(b)
    assert ot.compose(a, b) == [
        {"insert": "T", "attributes": {"bold": True, "color": "#f00"}},
        {"insert": "t", "attributes": BOLD},
    ]
    assert (a, b) == (a_copy, b_copy)


def test_retain_start_optimization():
    a = [
        {"insert": "A", "attributes": BOLD},
        {"insert": "B"},
        {"insert": "C", "attributes": BOLD},
        {"delete": 1},
    ]
    b = [{"retain": 3}, {"insert": "D"}]
    assert ot.compose(a, b) == [
        {"insert": "A", "attributes": BOLD},
        {"insert": "B"},
        {"insert": "C", "attributes": BOLD},
        {"insert": "D"},
        {"delete": 1},
    ]


def test_retain_start_optimization_split():
    a = [
        {"insert": "A", "attributes": BOLD},
        {"insert": "B"},
        {"insert": "C", "attributes": BOLD},
        {"retain": 5},
        {"delete": 1},
    ]
    b = [{"retain": 4}, {"insert": "D"}]
    assert ot.compose(a, b) == [
        {"insert": "A", "attributes": BOLD},
        {"insert": "B"},
        {"insert": "C", "attributes": BOLD},
        {"retain": 1},
        {"insert": "D"},
        {"retain": 4},
        {"delete": 1},
    ]


def test_retain_end_optimization():
    a = [{"insert": "A", "attributes": BOLD}, {"insert": "B"}, {"insert": "C", "attributes": BOLD}]
    assert ot.compose(a, [{"delete": 1}]) == [
        {"insert": "B"},
        {"insert": "C", "attributes": BOLD},
    ]


def test_retain_end_optimization_join():
    a = [
        {"insert": "A", "attributes": BOLD},
        {"insert": "B"},
        {"insert": "C", "attributes": BOLD},
        {"insert": "D"},
        {"insert": "E", "attributes": BOLD},
        {"insert": "F"},
    ]
    b = [{"retain": 1}, {"delete": 1}]
    assert ot.compose(a, b) == [
        {"insert": "AC", "attributes": BOLD},
        {"insert": "D"},
        {"insert": "E", "attributes": BOLD},
        {"insert": "F"},
    ]


def test_lengths_count_utf16_code_units():
    a = [{"insert": "a😀b"}]
    assert ot.compose(a, [{"retain": 3}, {"insert": "X"}]) == [{"insert": "a😀Xb"}]
    assert ot.compose(a, [{"retain": 1}, {"delete": 2}]) == [{"insert": "ab"}]
