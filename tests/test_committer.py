"""Ops that arrive together are committed together, each keeping its outcome and its order."""

import asyncio

import pytest

from editor import errors
from editor.committer import Committer
from editor.ordering import CommitResult, CommittedOp, Submission


class FakeStorage:
    """Commits batches in memory, slowly, recording each batch and each announcement."""

    def __init__(self):
        self.batches, self.events, self.revs = [], [], {}
        self.failing_cids, self.missing_documents = set(), set()
        self.in_flight: set = set()

    async def commit_many(self, batches):
        self.batches.append({doc: [s.cid for s in subs] for doc, subs in batches.items()})
        assert not self.in_flight & set(batches), "a document is in two batches at once"
        self.in_flight |= set(batches)
        await asyncio.sleep(0.01)
        self.in_flight -= set(batches)
        if self.failing_cids & {s.cid for subs in batches.values() for s in subs}:
            raise errors.Unavailable()
        return {doc: self.commit_document(doc, subs) for doc, subs in batches.items()}

    def commit_document(self, document_id, submissions):
        if document_id in self.missing_documents:
            return errors.DocumentNotFound()
        outcomes = []
        for submission in submissions:
            if submission.ops == "bad":
                outcomes.append(errors.InvalidOp(cid=submission.cid))
                continue
            rev = self.revs[document_id] = self.revs.get(document_id, 0) + 1
            outcomes.append(CommitResult(CommittedOp(rev, [], submission.cid), False))
        return outcomes

    async def announce(self, document_id, submissions, outcomes):
        revs = [getattr(outcome, "op", None) and outcome.op.rev for outcome in outcomes]
        self.events.append(("announce", document_id, revs))


def submission(cid, ops=None):
    return Submission(0, ops if ops is not None else [], cid)


def committer_for(storage, **options):
    return Committer(storage.commit_many, storage.announce, **options)


async def test_ops_arriving_during_a_commit_go_into_the_next_batch():
    storage = FakeStorage()
    committer = committer_for(storage)
    first = asyncio.ensure_future(committer.submit("doc", submission("a")))
    await asyncio.sleep(0)
    rest = [asyncio.ensure_future(committer.submit("doc", submission(c))) for c in "bcd"]
    outcomes = await asyncio.gather(first, *rest)
    assert storage.batches == [{"doc": ["a"]}, {"doc": ["b", "c", "d"]}]
    assert [outcome.op.cid for outcome in outcomes] == ["a", "b", "c", "d"]
    assert [outcome.op.rev for outcome in outcomes] == [1, 2, 3, 4]


async def test_ops_for_several_documents_share_a_batch():
    storage = FakeStorage()
    committer = committer_for(storage)
    first = asyncio.ensure_future(committer.submit("one", submission("a")))
    await asyncio.sleep(0)
    await asyncio.gather(
        first,
        committer.submit("one", submission("b")),
        committer.submit("two", submission("c")),
        committer.submit("three", submission("d")),
    )
    assert storage.batches == [{"one": ["a"]}, {"one": ["b"], "two": ["c"], "three": ["d"]}]


async def test_concurrent_batches_never_share_a_document():
    storage = FakeStorage()
    committer = committer_for(storage, max_concurrent=2)
    tasks = [
        asyncio.ensure_future(committer.submit(f"doc{n % 3}", submission(f"c{n}")))
        for n in range(30)
    ]
    outcomes = await asyncio.gather(*tasks)
    for document in ("doc0", "doc1", "doc2"):
        revs = [o.op.rev for n, o in enumerate(outcomes) if f"doc{n % 3}" == document]
        assert revs == list(range(1, 11)), "each document's ops keep their order"


async def test_a_bad_op_fails_alone():
    storage = FakeStorage()
    committer = committer_for(storage)
    first = asyncio.ensure_future(committer.submit("doc", submission("a")))
    await asyncio.sleep(0)
    bad = asyncio.ensure_future(committer.submit("doc", submission("bad", "bad")))
    good = asyncio.ensure_future(committer.submit("doc", submission("good")))
    await first
    assert isinstance(await bad, errors.InvalidOp)
    assert (await good).op.rev == 2


async def test_a_missing_document_fails_alone():
    storage = FakeStorage()
    storage.missing_documents = {"gone"}
    committer = committer_for(storage)
    gone, kept = await asyncio.gather(
        committer.submit("gone", submission("a")), committer.submit("kept", submission("b"))
    )
    assert isinstance(gone, errors.DocumentNotFound)
    assert kept.op.rev == 1


async def test_the_batch_is_announced_before_any_waiter_hears_its_outcome():
    storage = FakeStorage()
    committer = committer_for(storage)

    async def submit_and_record():
        outcome = await committer.submit("doc", submission("a"))
        storage.events.append(("outcome", outcome.op.rev))

    await submit_and_record()
    assert storage.events == [("announce", "doc", [1]), ("outcome", 1)]


async def test_a_storage_failure_reaches_every_waiter_of_the_batch_and_not_the_next():
    storage = FakeStorage()
    committer = committer_for(storage)
    first = asyncio.ensure_future(committer.submit("doc", submission("a")))
    await asyncio.sleep(0)
    storage.failing_cids = {"b"}
    waiting = [asyncio.ensure_future(committer.submit("doc", submission(c))) for c in "bc"]
    assert (await first).op.rev == 1
    for task in waiting:
        with pytest.raises(errors.Unavailable):
            await task
    assert (await committer.submit("doc", submission("d"))).op.rev == 2


async def test_a_waiter_that_went_away_does_not_break_the_batch():
    storage = FakeStorage()
    committer = committer_for(storage)
    first = asyncio.ensure_future(committer.submit("doc", submission("a")))
    await asyncio.sleep(0)
    gone = asyncio.ensure_future(committer.submit("doc", submission("gone")))
    stays = asyncio.ensure_future(committer.submit("doc", submission("stays")))
    await asyncio.sleep(0)
    gone.cancel()
    await first
    assert (await stays).op.rev == 3  # the cancelled one was still committed: it is durable


async def test_batches_are_capped():
    storage = FakeStorage()
    committer = committer_for(storage, max_batch=2)
    first = asyncio.ensure_future(committer.submit("doc", submission("a")))
    await asyncio.sleep(0)
    await asyncio.gather(first, *(committer.submit("doc", submission(c)) for c in "bcde"))
    assert storage.batches == [{"doc": ["a"]}, {"doc": ["b", "c"]}, {"doc": ["d", "e"]}]
