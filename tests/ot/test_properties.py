"""Property-based tests: the laws the algebra must obey, on random documents and ops.

Text mixes ASCII, BMP and astral characters; ops carry attributes (including
null removals) and never cut a surrogate pair.
"""

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from editor import ot
from editor.ot import utf16
from tests.ot.random_deltas import boundaries, random_document, random_op, text_of

MARKER = "§"  # never produced by the generators
laws = settings(max_examples=250, deadline=None)
randoms = st.randoms(use_true_random=False)


@laws
@given(randoms)
def test_concurrent_ops_converge(rng: random.Random):
    document = random_document(rng)
    a, b = random_op(rng, document), random_op(rng, document)
    left = ot.apply(ot.apply(document, a), ot.transform(a, b, True))
    right = ot.apply(ot.apply(document, b), ot.transform(b, a, False))
    assert left == right


@laws
@given(randoms)
def test_compose_applies_like_both_ops_in_turn(rng: random.Random):
    documents, (a, b) = _history(rng, 2)
    assert ot.apply(documents[0], ot.compose(a, b)) == documents[2]


@laws
@given(randoms)
def test_compose_is_associative(rng: random.Random):
    _, (a, b, c) = _history(rng, 3)
    assert ot.compose(ot.compose(a, b), c) == ot.compose(a, ot.compose(b, c))


@laws
@given(randoms)
def test_invert_undoes(rng: random.Random):
    document = random_document(rng)
    a = random_op(rng, document)
    assert ot.apply(ot.apply(document, a), ot.invert(a, document)) == document


@laws
@given(randoms)
def test_diff_turns_one_document_into_another(rng: random.Random):
    a = random_document(rng)
    b = random_document(rng) if rng.random() < 0.5 else ot.apply(a, random_op(rng, a))
    assert ot.apply(a, ot.diff(a, b)) == b


@laws
@given(randoms, st.booleans())
def test_transform_position_follows_a_marker(rng: random.Random, priority: bool):
    document = random_document(rng)
    a = random_op(rng, document)
    index = rng.choice(boundaries(document))
    marker = ot.normalize([{"retain": index}, {"insert": MARKER}])
    # A position with priority stays before an insert at the same index, as
    # a marker does when the other op is the one that went first.
    moved = ot.apply(ot.apply(document, a), ot.transform(a, marker, not priority))
    before_marker = text_of(moved).split(MARKER)[0]
    assert ot.transform_position(a, index, priority) == utf16.length(before_marker)


@laws
@given(randoms)
def test_results_are_normalised(rng: random.Random):
    (document, after_a, _), (a, c) = _history(rng, 2)
    b = random_op(rng, document)
    results = (
        after_a,
        ot.compose(a, c),
        ot.transform(a, b, True),
        ot.transform(a, b, False),
        ot.invert(a, document),
        ot.diff(document, after_a),
    )
    for result in results:
        assert ot.normalize(result) == result


@laws
@given(randoms)
def test_transformed_ops_fit_their_documents(rng: random.Random):
    document = random_document(rng)
    a, b = random_op(rng, document), random_op(rng, document)
    after_a = ot.apply(document, a)
    assert ot.length(after_a) == ot.length(document) + ot.change_length(a)
    b_after_a = ot.transform(a, b, rng.random() < 0.5)
    # Raises if b_after_a reached past the end or cut a surrogate pair.
    ot.apply(after_a, b_after_a)


def _history(rng: random.Random, count: int) -> tuple[list, list]:
    """Return documents d0..dn and ops o1..on, each op made on the document before it."""
    documents, ops = [random_document(rng)], []
    for _ in range(count):
        ops.append(random_op(rng, documents[-1]))
        documents.append(ot.apply(documents[-1], ops[-1]))
    return documents, ops
