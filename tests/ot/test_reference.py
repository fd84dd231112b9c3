"""Differential tests: editor.ot against quill-delta 5.1.0 run in node.

Thousands of random cases are answered by node in one batch, then compared
call by call. diff is compared only through apply(a, diff(a, b)) == b: its
text diff differs from fast-diff by design (see editor/ot/textdiff.py). And
quill-delta's own diff can cut a surrogate pair in two when two astral
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


def _check_diff(call: list[Any], reference: list[dict[str, Any]]) -> None:
    _, before, after = call
    ours = ot.diff(before, after)
    if _splits_a_pair(before, ours) or ot.apply(before, ours) != after:
        _fail(call, after, {"diff": ours})
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
