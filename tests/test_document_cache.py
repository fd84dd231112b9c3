"""The process's document cache: what it takes, and what it refuses to take."""

from docs_app.op_store import DocumentCache
from editor.ordering import CommittedOp


def op(rev, text, cid=None):
    return CommittedOp(rev, [{"insert": text}], cid or f"c{rev}")


def cached(cache, document_id="doc"):
    entry = cache.latest(document_id)
    return None if entry is None else (entry.rev, entry.content, [o.rev for o in entry.recent])


def test_following_ops_that_continue_the_entry_applies_them():
    cache = DocumentCache()
    cache.put("doc", 1, [{"insert": "a\n"}], [op(1, "a")])
    cache.follow("doc", [op(2, "b"), op(3, "c")])
    assert cached(cache) == (3, [{"insert": "cba\n"}], [1, 2, 3])


def test_ops_the_entry_already_holds_are_skipped():
    cache = DocumentCache()
    cache.put("doc", 2, [{"insert": "ba\n"}], [op(1, "a"), op(2, "b")])
    cache.follow("doc", [op(2, "b"), op(3, "c")])
    assert cached(cache) == (3, [{"insert": "cba\n"}], [1, 2, 3])
    cache.follow("doc", [op(2, "b"), op(3, "c")])  # the same broadcast, seen by a second consumer
    assert cached(cache) == (3, [{"insert": "cba\n"}], [1, 2, 3])


def test_ops_after_a_gap_leave_the_entry_as_it_is():
    cache = DocumentCache()
    cache.put("doc", 1, [{"insert": "a\n"}], [op(1, "a")])
    cache.follow("doc", [op(3, "c")])
    assert cached(cache) == (1, [{"insert": "a\n"}], [1])


def test_a_document_not_cached_is_not_started_from_a_broadcast():
    cache = DocumentCache()
    cache.follow("doc", [op(1, "a")])
    assert cached(cache) is None


def test_behind_and_discard():
    cache = DocumentCache()
    assert not cache.behind("doc", 5)  # nothing cached: nothing to catch up
    cache.put("doc", 1, [{"insert": "a\n"}], [op(1, "a")])
    assert cache.behind("doc", 2) and not cache.behind("doc", 1)
    cache.discard("doc")
    assert cached(cache) is None
