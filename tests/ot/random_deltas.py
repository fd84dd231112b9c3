"""Random documents and ops for the property-based and differential tests.

Every generator takes a random.Random; hypothesis passes its own (st.randoms),
so failures still shrink. Ops are cut only on UTF-16 boundaries, never through
a surrogate pair, and text mixes ASCII, BMP and astral characters.
"""

import random
from itertools import pairwise
from typing import Any

from editor import ot

Ops = list[dict[str, Any]]

PIECES = [
    "a",
    "b",
    "xyz",
    " ",
    "\n",
    "é",
    "\u2019",  # right single quotation mark: BMP, 2 bytes in UCS-2
    "中",
    "e\u0301",  # e + combining acute: two code points, one glyph
    "😀",  # astral: two UTF-16 units
    "𠀀",  # CJK extension B, astral
    "👍🏽",  # two astral code points
]
ASCII_PIECES = ["a", "b", "xyz", " ", "\n"]
INSERT_ATTRIBUTES: list[dict[str, Any] | None] = [
    None,
    None,
    {"bold": True},
    {"italic": True},
    {"bold": True, "italic": True},
    {"link": "https://example.com/"},
    {"header": 1},
    {"color": "#f00"},
]
FORMAT_ATTRIBUTES: list[dict[str, Any]] = [
    {"bold": True},
    {"bold": None},
    {"italic": True, "bold": None},
    {"link": None},
    {"header": 2},
    {"color": "#00ff00"},
    {"header": None, "italic": True},
]


def random_text(rng: random.Random, most: int = 4, pieces: list[str] = PIECES) -> str:
    """Return a short non-empty text."""
    return "".join(rng.choice(pieces) for _ in range(rng.randint(1, most)))


def random_document(rng: random.Random, most_runs: int = 4, pieces: list[str] = PIECES) -> Ops:
    """Return a normalised document ending in a newline."""
    runs: Ops = []
    for _ in range(rng.randint(0, most_runs)):
        runs.append(_with(random_text(rng, pieces=pieces), rng.choice(INSERT_ATTRIBUTES)))
    runs.append(_with("\n", rng.choice([None, None, {"header": 1}, {"list": "bullet"}])))
    return ot.normalize(runs)


def boundaries(document: Ops) -> list[int]:
    """Return every UTF-16 position at which document may be cut."""
    positions, position = [0], 0
    for run in document:
        for character in run["insert"]:
            position += 2 if ord(character) > 0xFFFF else 1
            positions.append(position)
    return positions


def random_op(
    rng: random.Random, document: Ops, most_cuts: int = 4, pieces: list[str] = PIECES
) -> Ops:
    """Return a normalised op that applies to document."""
    bounds = boundaries(document)
    picked = rng.sample(bounds, min(len(bounds), rng.randint(0, most_cuts)))
    cuts = sorted({0, bounds[-1], *picked})
    ops: Ops = []
    for start, end in pairwise(cuts):
        if rng.random() < 0.35:
            ops.append(_with(random_text(rng, 3, pieces), rng.choice(INSERT_ATTRIBUTES)))
        action = rng.choice(["retain", "retain", "delete", "format"])
        if action == "delete":
            ops.append({"delete": end - start})
        elif action == "format":
            ops.append({"retain": end - start, "attributes": dict(rng.choice(FORMAT_ATTRIBUTES))})
        else:
            ops.append({"retain": end - start})
    if rng.random() < 0.25:
        ops.append(_with(random_text(rng, 3, pieces), rng.choice(INSERT_ATTRIBUTES)))
    return ot.normalize(ops)


def random_single_edit(rng: random.Random, document: Ops) -> Ops:
    """Return an op of the form retain, insert and/or delete, at one place."""
    bounds = boundaries(document)
    start = rng.choice(bounds)
    end = rng.choice([b for b in bounds if b >= start][:4])
    ops: Ops = [{"retain": start}] if start else []
    text = random_text(rng, 2) if rng.random() < 0.7 or end == start else ""
    if text:
        ops.append(_with(text, rng.choice(INSERT_ATTRIBUTES)))
    if end > start:
        ops.append({"delete": end - start})
    return ops


def text_of(document: Ops) -> str:
    """Return the plain text of a document."""
    return "".join(run["insert"] for run in document)


def _with(text: str, attributes: dict[str, Any] | None) -> dict[str, Any]:
    op: dict[str, Any] = {"insert": text}
    if attributes:
        op["attributes"] = dict(attributes)
    return op
