"""diff: the cases of quill-delta's test/delta/diff, on editor.ot.

The text diff is Myers' algorithm without fast-diff's semantic cleanup, so
where quill-delta's answer depends on that cleanup these tests check the
defining property, apply(a, diff(a, b)) == b, and that the diff is minimal.
"""

import copy

import pytest

from editor import ot
from editor.ot.textdiff import DELETE, EQUAL, INSERT, diff_text


def test_insert():
    assert ot.diff([{"insert": "A"}], [{"insert": "AB"}]) == [{"retain": 1}, {"insert": "B"}]


def test_delete():
    assert ot.diff([{"insert": "AB"}], [{"insert": "A"}]) == [{"retain": 1}, {"delete": 1}]


def test_retain():
    assert ot.diff([{"insert": "A"}], [{"insert": "A"}]) == []


def test_format():
    b = [{"insert": "A", "attributes": {"bold": True}}]
    assert ot.diff([{"insert": "A"}], b) == [{"retain": 1, "attributes": {"bold": True}}]


def test_nested_attribute_values_compare_by_value():
    a = [{"insert": "A", "attributes": {"font": {"family": "Helvetica", "size": "15px"}}}]
    assert ot.diff(a, copy.deepcopy(a)) == []


def test_embeds_compare_by_value():
    a = [{"insert": {"image": "https://a.example/x.png"}}]
    b = [{"insert": {"image": "https://b.example/x.png"}}]
    assert ot.diff(a, copy.deepcopy(a)) == []
    assert ot.diff(a, b) == [*b, {"delete": 1}]


def test_non_documents_are_rejected():
    with pytest.raises(ot.InvalidOp, match="non-document"):
        ot.diff([{"insert": "A"}], [{"retain": 1}, {"insert": "B"}])
    with pytest.raises(ot.InvalidOp, match="non-document"):
        ot.diff([{"retain": 1}], [{"insert": "A"}])


def test_inconvenient_indexes():
    a = [
        {"insert": "12", "attributes": {"bold": True}},
        {"insert": "34", "attributes": {"italic": True}},
    ]
    b = [{"insert": "123", "attributes": {"color": "#f00"}}]
    assert ot.diff(a, b) == [
        {"retain": 2, "attributes": {"bold": None, "color": "#f00"}},
        {"retain": 1, "attributes": {"italic": None, "color": "#f00"}},
        {"delete": 1},
    ]


def test_combination():
    a = [
        {"insert": "Bad", "attributes": {"color": "#f00"}},
        {"insert": "cat", "attributes": {"color": "#00f"}},
    ]
    b = [
        {"insert": "Good", "attributes": {"bold": True}},
        {"insert": "dog", "attributes": {"italic": True}},
    ]
    # quill-delta's semantic cleanup replaces everything; Myers keeps the shared "d".
    assert ot.diff(a, b) == [
        {"insert": "Good", "attributes": {"bold": True}},
        {"delete": 2},
        {"retain": 1, "attributes": {"color": None, "italic": True}},
        {"insert": "og", "attributes": {"italic": True}},
        {"delete": 3},
    ]
    assert ot.apply(a, ot.diff(a, b)) == b


def test_same_document():
    a = [{"insert": "A\n", "attributes": {"bold": True}}]
    assert ot.diff(a, a) == []
    assert ot.diff(a, copy.deepcopy(a)) == []


def test_does_not_mutate_its_arguments():
    a = [{"insert": "A", "attributes": {"color": "#f00"}}, {"insert": "B"}]
    b = [{"insert": "A", "attributes": {"color": "#00f"}}, {"insert": "C"}]
    a_copy, b_copy = copy.deepcopy(a), copy.deepcopy(b)
    ot.diff(a, b)
    assert (a, b) == (a_copy, b_copy)


def test_astral_characters_sharing_a_high_surrogate_stay_whole():
    # U+1F600 and U+1F601 share the high surrogate D83D; a UTF-16 diff could
    # keep it and replace only the low half.
    assert ot.diff([{"insert": "a😀b"}], [{"insert": "a😁b"}]) == [
        {"retain": 1},
        {"insert": "😁"},
        {"delete": 2},
    ]


def _longest_common_subsequence(a: str, b: str) -> int:
    row = [0] * (len(b) + 1)
    for x in a:
        previous_diagonal = 0
        for j, y in enumerate(b, 1):
            previous_diagonal, row[j] = (
                row[j],
                previous_diagonal + 1 if x == y else max(row[j], row[j - 1]),
            )
    return row[-1]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("kitten sitting", "sitting kitten"),
        ("abcabba", "cbabac"),
        ("the quick brown fox", "a quick brown dog jumps"),
        ("😀a😁b", "a😀b😁"),
        ("", "abc"),
        ("abc", ""),
    ],
)
def test_text_diff_is_minimal(old, new):
    parts = diff_text(old, new)
    assert "".join(text for kind, text in parts if kind != INSERT) == old
    assert "".join(text for kind, text in parts if kind != DELETE) == new
    kept = sum(len(text) for kind, text in parts if kind == EQUAL)
    assert kept == _longest_common_subsequence(old, new)


def test_text_diff_gives_up_cleanly_when_over_budget():
    old, new = "ab" * 500, "ba" * 500 + "c"
    parts = diff_text(old, new, budget=10)
    assert "".join(text for kind, text in parts if kind != INSERT) == old
    assert "".join(text for kind, text in parts if kind != DELETE) == new
