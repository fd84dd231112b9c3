"""apply: the server's hot path, with its single-edit fast path and the compose path."""

import random

import pytest

from editor import ot
from editor.ot.algebra import compose
from tests.ot.random_deltas import random_document, random_single_edit

BOLD = {"bold": True}
DOC = [{"insert": "Hello "}, {"insert": "world", "attributes": BOLD}, {"insert": "\n"}]


WORLD = {"insert": "world", "attributes": BOLD}
NEWLINE = {"insert": "\n"}


@pytest.mark.parametrize(
    ("ops", "expected"),
    [
        ([{"retain": 2}, {"insert": "y"}], [{"insert": "Heyllo "}, WORLD, NEWLINE]),
        ([{"retain": 6}, {"insert": "big "}], [{"insert": "Hello big "}, WORLD, NEWLINE]),
        (
            [{"retain": 6}, {"insert": "big ", "attributes": BOLD}],
            [{"insert": "Hello "}, {"insert": "big world", "attributes": BOLD}, NEWLINE],
        ),
        ([{"retain": 5}, {"delete": 1}], [{"insert": "Hello"}, WORLD, NEWLINE]),
        ([{"retain": 6}, {"delete": 5}], [{"insert": "Hello \n"}]),
        (
            [{"retain": 4}, {"delete": 4}, {"insert": "p"}],
            [{"insert": "Hellp"}, {**WORLD, "insert": "rld"}, NEWLINE],
        ),
        ([{"retain": 12}, {"insert": "x"}], [{"insert": "Hello "}, WORLD, {"insert": "\nx"}]),
        (
            [{"insert": "x", "attributes": BOLD}],
            [{**WORLD, "insert": "x"}, {"insert": "Hello "}, WORLD, NEWLINE],
        ),
        ([{"delete": 12}], []),
    ],
)
def test_single_edits(ops, expected):
    assert ot.apply(DOC, ops) == expected
    assert ot.apply(DOC, ops) == ot.normalize(compose(DOC, ops))


def test_typing_merges_into_the_run_it_extends():
    assert ot.apply(DOC, [{"retain": 11}, {"insert": "!", "attributes": BOLD}]) == [
        {"insert": "Hello "},
        {"insert": "world!", "attributes": BOLD},
        {"insert": "\n"},
    ]


def test_deleting_a_run_merges_its_neighbours():
    doc = [{"insert": "ab"}, {"insert": "X", "attributes": BOLD}, {"insert": "cd\n"}]
    assert ot.apply(doc, [{"retain": 2}, {"delete": 1}]) == [{"insert": "abcd\n"}]


def test_replacing_formatted_text_with_plain_text_merges_all_three():
    doc = [{"insert": "ab"}, {"insert": "X", "attributes": BOLD}, {"insert": "cd\n"}]
    assert ot.apply(doc, [{"retain": 2}, {"insert": "y"}, {"delete": 1}]) == [{"insert": "abycd\n"}]


def test_formatting_takes_the_compose_path():
    ops = [{"retain": 1, "attributes": BOLD}, {"retain": 2, "attributes": {"italic": True}}]
    assert ot.apply([{"insert": "ab\n"}], ops) == [
        {"insert": "a", "attributes": BOLD},
        {"insert": "b\n", "attributes": {"italic": True}},
    ]


def test_null_attributes_in_inserts_never_reach_the_document():
    ops = [{"insert": "x", "attributes": {"bold": None}}]
    assert ot.apply([{"insert": "\n"}], ops) == [{"insert": "x\n"}]
    assert ot.apply([{"insert": "\n"}], [*ops, {"retain": 1, "attributes": BOLD}]) == [
        {"insert": "x"},
        {"insert": "\n", "attributes": BOLD},
    ]


def test_does_not_mutate_the_document():
    doc = [{"insert": "ab\n"}]
    ot.apply(doc, [{"retain": 1}, {"insert": "x"}])
    ot.apply(doc, [{"retain": 1, "attributes": BOLD}])
    assert doc == [{"insert": "ab\n"}]


@pytest.mark.parametrize(
    "ops",
    [
        [{"retain": 13}, {"insert": "x"}],
        [{"retain": 10}, {"delete": 3}],
        [{"retain": 13, "attributes": BOLD}],
        [{"delete": 13}],
    ],
)
def test_reaching_past_the_end_is_refused(ops):
    with pytest.raises(ot.InvalidOp, match="past the end"):
        ot.apply(DOC, ops)


@pytest.mark.parametrize(
    "ops",
    [
        [{"retain": 2}, {"insert": "x"}],
        [{"retain": 1}, {"delete": 1}],
        [{"retain": 2}, {"delete": 1}],
        [{"retain": 2, "attributes": BOLD}],
        [{"retain": 3}, {"delete": 2}],
        [{"retain": 5}, {"insert": "x", "attributes": BOLD}],
    ],
)
def test_cutting_a_surrogate_pair_is_refused(ops):
    with pytest.raises(ot.InvalidOp, match="surrogate pair"):
        ot.apply([{"insert": "a😀b😁\n"}], ops)


def test_astral_text_is_counted_in_utf16_units():
    doc = [{"insert": "a😀b\n"}]
    assert ot.apply(doc, [{"retain": 3}, {"insert": "𠀀"}]) == [{"insert": "a😀𠀀b\n"}]
    assert ot.apply(doc, [{"retain": 1}, {"delete": 2}]) == [{"insert": "ab\n"}]


@pytest.mark.parametrize(
    "ops",
    [
        [{"retain": -1}, {"insert": "x"}],
        [{"retain": True}, {"insert": "x"}],
        [{"insert": 5}],
        [{"bogus": 1}],
        "not a list",
    ],
)
def test_malformed_ops_are_refused(ops):
    with pytest.raises(ot.InvalidOp):
        ot.apply(DOC, ops)


def test_a_non_document_is_refused():
    with pytest.raises(ot.InvalidOp, match="document"):
        ot.apply([{"retain": 3}], [{"retain": 1, "attributes": BOLD}])


def test_single_edit_fast_path_equals_compose_on_random_documents():
    rng = random.Random(7)
    for _ in range(3000):
        doc = random_document(rng, most_runs=6)
        ops = random_single_edit(rng, doc)
        assert ot.apply(doc, ops) == ot.normalize(compose(doc, ops)), (doc, ops)
