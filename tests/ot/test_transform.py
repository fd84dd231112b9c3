"""transform: the cases of quill-delta's test/delta/transform, on editor.ot.

ot.transform(a, b, priority) is quill-delta's a.transform(b, priority): b
rewritten to apply after a; with priority, a is taken to have happened first.
"""

import copy

from editor import ot


def test_insert_against_insert():
    a, b = [{"insert": "A"}], [{"insert": "B"}]
    assert ot.transform(a, b, True) == [{"retain": 1}, {"insert": "B"}]
    assert ot.transform(a, b, False) == [{"insert": "B"}]


def test_insert_against_retain():
    a = [{"insert": "A"}]
    b = [{"retain": 1, "attributes": {"bold": True, "color": "#f00"}}]
    assert ot.transform(a, b, True) == [{"retain": 1}, *b]


def test_insert_against_delete():
    assert ot.transform([{"insert": "A"}], [{"delete": 1}], True) == [
        {"retain": 1},
        {"delete": 1},
    ]


def test_delete_against_insert():
    assert ot.transform([{"delete": 1}], [{"insert": "B"}], True) == [{"insert": "B"}]


def test_delete_against_retain():
    b = [{"retain": 1, "attributes": {"bold": True}}]
    assert ot.transform([{"delete": 1}], b, True) == []


def test_delete_against_delete():
    assert ot.transform([{"delete": 1}], [{"delete": 1}], True) == []


def test_retain_against_insert():
    a = [{"retain": 1, "attributes": {"color": "#00f"}}]
    assert ot.transform(a, [{"insert": "B"}], True) == [{"insert": "B"}]


def test_retain_against_retain_with_priority():
    a = [{"retain": 1, "attributes": {"color": "#00f"}}]
    b = [{"retain": 1, "attributes": {"bold": True, "color": "#f00"}}]
    assert ot.transform(a, b, True) == [{"retain": 1, "attributes": {"bold": True}}]
    assert ot.transform(b, a, True) == []


def test_retain_against_retain_without_priority():
    a = [{"retain": 1, "attributes": {"color": "#00f"}}]
    b = [{"retain": 1, "attributes": {"bold": True, "color": "#f00"}}]
    assert ot.transform(a, b, False) == b
    assert ot.transform(b, a, False) == a


def test_retain_against_delete():
    a = [{"retain": 1, "attributes": {"color": "#00f"}}]
    assert ot.transform(a, [{"delete": 1}], True) == [{"delete": 1}]


def test_null_removal_survives_against_an_unrelated_format():
    a = [{"retain": 1, "attributes": {"color": "#00f"}}]
    b = [{"retain": 1, "attributes": {"bold": None}}]
    assert ot.transform(a, b, True) == b


def test_alternating_edits():
    a = [{"retain": 2}, {"insert": "si"}, {"delete": 5}]
    b = [{"retain": 1}, {"insert": "e"}, {"delete": 5}, {"insert": "ow"}]
    assert ot.transform(a, b, False) == [
        {"retain": 1},
        {"insert": "e"},
        {"delete": 1},
        {"retain": 2},
        {"insert": "ow"},
    ]
    assert ot.transform(b, a, False) == [
        {"retain": 2},
        {"insert": "si"},
        {"retain": 2},
        {"delete": 1},
    ]


def test_conflicting_appends():
    a = [{"retain": 3}, {"insert": "aa"}]
    b = [{"retain": 3}, {"insert": "bb"}]
    assert ot.transform(a, b, True) == [{"retain": 5}, {"insert": "bb"}]
    assert ot.transform(b, a, False) == [{"retain": 3}, {"insert": "aa"}]


def test_prepend_and_append():
    a = [{"insert": "aa"}]
    b = [{"retain": 3}, {"insert": "bb"}]
    assert ot.transform(a, b, False) == [{"retain": 5}, {"insert": "bb"}]
    assert ot.transform(b, a, False) == [{"insert": "aa"}]


def test_trailing_deletes_with_differing_lengths():
    a = [{"retain": 2}, {"delete": 1}]
    b = [{"delete": 3}]
    assert ot.transform(a, b, False) == [{"delete": 2}]
    assert ot.transform(b, a, False) == []


def test_does_not_mutate_its_arguments():
    a = [{"insert": "A"}]
    b = [{"insert": "B", "attributes": {"bold": True}}]
    a_copy, b_copy = copy.deepcopy(a), copy.deepcopy(b)
    ot.transform(a, b, True)
    assert (a, b) == (a_copy, b_copy)


def test_astral_inserts_shift_by_two_units():
    a = [{"insert": "😀"}]
    b = [{"retain": 1}, {"insert": "x"}]
    assert ot.transform(a, b, True) == [{"retain": 3}, {"insert": "x"}]
