"""Differential tests: editor.ot against quill-delta 5.1.0 run in node.

Thousands of random cases are answered by node in one batch, then compared
call by call. diff must equal quill-delta's whenever neither document holds
an astral character. Where one does, fast-diff diffs UTF-16 code units and
ours code points (see editor/ot/textdiff.py), so the two may pick different
(correct) diffs, and diff is compared only through apply(a, diff(a, b)) == b.
And quill-delta's own diff can cut a surrogate pair in two when two astral
characters share their high surrogate (fast-diff runs without its
fix_unicode option there), so a reference diff holding a lone surrogate is
not held against it; ours must never do that.
"""

import json
import random
import re
from typing import Any

import pytest

from editor import ot
from tests.ot.random_deltas import ASCII_PIECES, random_document, random_op

CASES = 3000
SEED = 20250601

_PYTHON = {
    "apply": ot.apply,
    "compose": ot.compose,
    "transform": ot.transform,
    "transformPosition": ot.transform_position,
    "invert": ot.invert,
}


def _calls_for(rng: random.Random) -> list[list[Any]]:
    document = random_document(rng)
    a, b = random_op(rng, document), random_op(rng, document)
    after_a = ot.apply(document, a)
    c = random_op(rng, after_a)
    index = rng.randint(0, ot.length(document))
    return [
        ["apply", document, a],
        ["apply", after_a, c],
        ["compose", a, c],
        ["transform", a, b, True],
        ["transform", a, b, False],
        ["transform", b, a, True],
        ["transformPosition", a, index, False],
        ["transformPosition", a, index, True],
        ["invert", a, document],
        ["diff", document, after_a],
        *_unrelated_calls(rng),
    ]


def _unrelated_calls(rng: random.Random) -> list[list[Any]]:
    """Return calls on ops made for documents of different lengths (ASCII, so cuts are safe)."""
    x = random_op(rng, random_document(rng, pieces=ASCII_PIECES), pieces=ASCII_PIECES)
    y = random_op(rng, random_document(rng, pieces=ASCII_PIECES), pieces=ASCII_PIECES)
    return [["compose", x, y], ["transform", x, y, True], ["transform", x, y, False]]


def _fail(call: list[Any], expected: Any, actual: Any) -> None:
    case = json.dumps(call, ensure_ascii=False)
    pytest.fail(
        f"editor.ot differs from quill-delta\n  call:     {case}\n"
        f"  expected: {json.dumps(expected, ensure_ascii=False)}\n"
        f"  actual:   {json.dumps(actual, ensure_ascii=False)}"
    )


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _splits_a_pair(document: list[dict[str, Any]], ops: list[dict[str, Any]]) -> bool:
    if any(_LONE_SURROGATE.search(op.get("insert", "")) for op in ops):
        return True
    try:
        ot.apply(document, ops)
    except ot.InvalidOp as error:
        return "surrogate pair" in error.message
    return False


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _has_astral(document: list[dict[str, Any]]) -> bool:
    return any(isinstance(op["insert"], str) and _ASTRAL.search(op["insert"]) for op in document)


def _check_diff(call: list[Any], reference: list[dict[str, Any]]) -> None:
    _, before, after = call
    ours = ot.diff(before, after)
    if _splits_a_pair(before, ours) or ot.apply(before, ours) != after:
        _fail(call, after, {"diff": ours})
    if not _has_astral(before) and not _has_astral(after):
        if ours != reference:
            _fail(call, reference, ours)
        return
    if _splits_a_pair(before, reference):
        return
    if ot.apply(before, reference) != after:
        _fail(call, after, {"reference diff": reference, "applied": ot.apply(before, reference)})


def test_agrees_with_quill_delta_on_random_cases(quill_delta):
    rng = random.Random(SEED)
    calls = [call for _ in range(CASES) for call in _calls_for(rng)]
    answers = quill_delta(calls)
    assert len(answers) == len(calls)
    for call, answer in zip(calls, answers, strict=True):
        if "error" in answer:
            _fail(call, answer, "no error expected from the reference")
        if call[0] == "diff":
            _check_diff(call, answer["ok"])
            continue
        actual = _PYTHON[call[0]](*call[1:])
        if actual != answer["ok"]:
            _fail(call, answer["ok"], actual)


def test_agrees_with_quill_delta_on_null_attributes_in_inserts(quill_delta):
    # A null in an insert's attributes means "no format"; compose and transform
    # carry it exactly as quill-delta does, and apply drops it from documents.
    nulls = [{"insert": "x", "attributes": {"bold": None}}]
    bold = [{"insert": "ab\n", "attributes": {"bold": True}}]
    calls = [
        ["compose", nulls, [{"retain": 1, "attributes": {"italic": True}}]],
        ["compose", [{"retain": 1, "attributes": {"bold": None}}], nulls],
        ["transform", [{"insert": "y"}], nulls, True],
        ["apply", bold, [{"retain": 1}, *nulls]],
        ["invert", [{"retain": 1}, *nulls], bold],
    ]
    for call, answer in zip(calls, quill_delta(calls), strict=True):
        actual = _PYTHON[call[0]](*call[1:])
        if actual != answer["ok"]:
            _fail(call, answer["ok"], actual)


_WORDS = [
    *["the", "a", "draft", "we", "agreed", "to", "ship", "on", "Friday", "after", "review"],
    *["café", "naïve", "中文", "\u2019s", "—", "“quoted”"],
]
_SEPARATORS = [" ", " ", " ", ", ", ". ", "\n", "\n\n", "\t", "\r\n"]


def _prose(rng: random.Random, words: int) -> str:
    return "".join(rng.choice(_WORDS) + rng.choice(_SEPARATORS) for _ in range(words))


def _edited(rng: random.Random, text: str) -> str:
    """Return text after a few edits of a writer: words typed, cut or replaced."""
    for _ in range(rng.randint(1, 6)):
        at = rng.randint(0, len(text))
        end = min(len(text), at + rng.randint(1, 12))
        action = rng.random()
        if action < 0.35:
            text = text[:at] + _prose(rng, rng.randint(1, 3)) + text[at:]
        elif action < 0.6:
            text = text[:at] + text[end:]
        else:
            text = text[:at] + _prose(rng, rng.randint(1, 2)) + text[end:]
    return text


def _made_bold(rng: random.Random, document: list[dict[str, Any]]) -> list[dict[str, Any]]:
    start = rng.randint(0, ot.length(document) - 1)
    size = min(3, ot.length(document) - start)
    skipped = [{"retain": start}] if start else []
    return ot.apply(document, [*skipped, {"retain": size, "attributes": {"bold": True}}])


def test_diff_equals_quill_delta_on_edited_prose(quill_delta):
    # Word-level edits of plain and formatted text, where the semantic cleanup
    # decides what a reader sees: equal Deltas, op for op.
    rng = random.Random(SEED)
    calls = []
    for _ in range(600):
        text = _prose(rng, rng.randint(1, 40))
        before = [{"insert": text + "\n"}]
        after = [{"insert": _edited(rng, text) + "\n"}]
        if rng.random() < 0.3:
            before = _made_bold(rng, before)
        if rng.random() < 0.3:
            after = _made_bold(rng, after)
        calls.append(["diff", before, after])
    for call, answer in zip(calls, quill_delta(calls), strict=True):
        ours = ot.diff(call[1], call[2])
        if ours != answer["ok"]:
            _fail(call, answer["ok"], ours)
