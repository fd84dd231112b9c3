"""diff: the cases of quill-delta's test/delta/diff, on editor.ot, and readability.

The text diff is fast-diff's with its semantic cleanup, as quill-delta runs it,
so the expected Deltas here are quill-delta's own answers: edits come as whole
words and lines, not letters interleaved with the text they replace.
"""

import copy

import pytest

from editor import ot
from editor.ot import textdiff
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
    # The "d" both share is too short to keep between the edits around it.
    assert ot.diff(a, b) == [
        {"insert": "Good", "attributes": {"bold": True}},
        {"insert": "dog", "attributes": {"italic": True}},
        {"delete": 6},
    ]


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


def _document(text: str) -> list[dict[str, str]]:
    return [{"insert": text}]


def _texts(parts: list[tuple[int, str]]) -> tuple[str, str]:
    old = "".join(text for kind, text in parts if kind != INSERT)
    new = "".join(text for kind, text in parts if kind != DELETE)
    return old, new


def test_a_replaced_word_is_deleted_and_inserted_whole():
    ops = ot.diff(_document("First draft\n"), _document("Rewritten draft\n"))
    assert ops == [{"insert": "Rewritten"}, {"delete": 5}]
    assert diff_text("First draft", "Rewritten draft") == [
        (DELETE, "First"),
        (INSERT, "Rewritten"),
        (EQUAL, " draft"),
    ]


def test_a_rewritten_sentence_is_replaced_not_interleaved():
    # Myers alone keeps the letters the two share: "Fi", "r", "s", "t" ...
    assert ot.diff(_document("First draft\n"), _document("Rewritten\n")) == [
        {"insert": "Rewritten"},
        {"delete": 11},
    ]


def test_words_replaced_within_a_paragraph():
    before = "Meeting notes\nWe agreed to ship on Friday.\n"
    after = "Meeting notes\nWe agreed to ship on Monday after review.\n"
    assert ot.diff(_document(before), _document(after)) == [
        {"retain": 35},
        {"insert": "Monday after review"},
        {"delete": 6},
    ]


def test_an_edit_slides_to_a_word_boundary():
    # Myers finds "The c<at c>ame."; the edit reads better as one word.
    assert diff_text("The came.", "The cat came.") == [
        (EQUAL, "The "),
        (INSERT, "cat "),
        (EQUAL, "came."),
    ]


def test_an_inserted_paragraph_ends_at_a_blank_line():
    assert diff_text("Line one\n\nLine two\n", "Line one\n\nLine 1.5\n\nLine two\n") == [
        (EQUAL, "Line one\n\n"),
        (INSERT, "Line 1.5\n\n"),
        (EQUAL, "Line two\n"),
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("abcxxx", "xxxdef", [(DELETE, "abc"), (EQUAL, "xxx"), (INSERT, "def")]),
        ("xxxabc", "defxxx", [(INSERT, "def"), (EQUAL, "xxx"), (DELETE, "abc")]),
    ],
)
def test_text_shared_by_the_end_of_one_edit_and_the_start_of_the_next_is_kept(old, new, expected):
    assert diff_text(old, new) == expected


def test_the_cleanup_measures_in_utf16_code_units():
    # "😀😀" is 2 code points but 4 UTF-16 units, longer than the 3-unit edits
    # on each side of it, so fast-diff keeps it, and so must this.
    assert diff_text("abc😀😀def", "xyz😀😀uvw") == [
        (DELETE, "abc"),
        (INSERT, "xyz"),
        (EQUAL, "😀😀"),
        (DELETE, "def"),
        (INSERT, "uvw"),
    ]
    assert diff_text("abc😀def", "xyz😀uvw") == [(DELETE, "abc😀def"), (INSERT, "xyz😀uvw")]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("kitten sitting", "sitting kitten"),
        ("abcabba", "cbabac"),
        ("the quick brown fox", "a quick brown dog jumps"),
        ("😀a😁b", "a😀b😁"),
        ("", "abc"),
        ("abc", ""),
        ("a\r\n\r\nb c", "a\r\nb\r\n\r\nc"),
        ("x" + "ab" * 300 + "y", "z" + "ab" * 301 + "w"),
    ],
)
def test_text_diff_turns_one_text_into_the_other(old, new):
    parts = diff_text(old, new)
    assert _texts(parts) == (old, new)
    assert all(text for _, text in parts)


def test_text_diff_gives_up_cleanly_when_over_budget():
    old, new = "ab" * 500, "ba" * 500 + "c"
    assert diff_text(old, new, budget=10) == [(DELETE, old), (INSERT, new)]
    assert len(diff_text(old, new)) == 4


def test_an_edit_stops_sliding_when_the_cleanup_budget_is_spent():
    # An insert of " " at the start of a run of spaces may slide to its end,
    # one step a character; a spent budget leaves it where it is.
    run = " " * 1000
    assert textdiff._best_boundary("a", " ", run + "b", textdiff._Budget(2_000_000)) == (
        "a" + run,
        " ",
        "b",
    )
    assert textdiff._best_boundary("a", " ", run + "b", textdiff._Budget(10)) == (
        "a" + " " * 10,
        " ",
        " " * 990 + "b",
    )


def test_an_overlap_search_stops_when_the_cleanup_budget_is_spent():
    deleted, inserted = "x" + "a" * 500, "a" * 500 + "y"
    assert textdiff._overlap(deleted, inserted, textdiff._Budget(2_000_000)) == 500
    assert textdiff._overlap(deleted, inserted, textdiff._Budget(10)) == 10
