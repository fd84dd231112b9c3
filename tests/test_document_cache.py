"""The process's document cache: what it takes, and what it refuses to take."""

from docs_app.op_store import DocumentCache
from editor import service
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


def test_ops_after_a_gap_drop_the_entry():
    cache = DocumentCache()
    cache.put("doc", 1, [{"insert": "a\n"}], [op(1, "a")])
    cache.follow("doc", [op(3, "c")])  # revision 2 was lost or is late: the entry is useless
    assert cached(cache) is None


def test_ops_with_a_gap_between_them_drop_the_entry():
    cache = DocumentCache()
    cache.put("doc", 1, [{"insert": "a\n"}], [op(1, "a")])
    cache.follow("doc", [op(2, "b"), op(4, "d")])
    assert cached(cache) is None


def test_a_document_not_cached_is_not_started_from_a_broadcast():
    cache = DocumentCache()
    cache.follow("doc", [op(1, "a")])
    assert cached(cache) is None


def test_peeking_does_not_count_as_use():
    cache = DocumentCache(size=2)
    cache.put("older", 1, [{"insert": "a\n"}], [op(1, "a")])
    cache.put("newer", 1, [{"insert": "a\n"}], [op(1, "a")])
    assert cache.peek("older") is not None  # as every broadcast of it does
    cache.put("new", 1, [{"insert": "a\n"}], [op(1, "a")])
    assert cache.peek("older") is None
    assert cache.peek("newer") is not None


def test_a_broadcast_that_cannot_be_followed_drops_the_entry_and_raises_nothing(monkeypatch):
    cache = DocumentCache()
    monkeypatch.setattr(service, "content_cache", cache)
    cache.put("doc", 1, [{"insert": "a\n"}], [op(1, "a")])
    service.follow_committed("doc", [[2, "not json"]])
    assert cached(cache) is None
    cache.put("doc", 1, [{"insert": "a\n"}], [op(1, "a")])
    frame = service.committed_message(
        [(CommittedOp(2, [{"retain": 99}, {"insert": "x"}], "c2"), None)]
    )
    service.follow_committed("doc", frame["ops"])  # reaches past the end of the document
    assert cached(cache) is None


def test_frames_the_cache_holds_are_not_decoded(monkeypatch):
    cache = DocumentCache()
    monkeypatch.setattr(service, "content_cache", cache)
    cache.put("doc", 2, [{"insert": "ba\n"}], [op(1, "a"), op(2, "b")])
    service.follow_committed("doc", [[1, "not json"], [2, "not json"]])
    assert cached(cache) == (2, [{"insert": "ba\n"}], [1, 2])
