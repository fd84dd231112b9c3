"""Ops that arrive together for one document are committed together, each keeping its outcome."""

import asyncio

import pytest

from editor import errors
from editor.committer import Committer
from editor.ordering import CommitResult, CommittedOp, Submission


class FakeStorage:
    """Commits batches in memory, slowly, recording each batch and each announcement."""

    def __init__(self):
        self.batches, self.events, self.rev = [], [], 0
        self.failing_cids = set()

    async def commit_batch(self, document_id, submissions):
        self.batches.append([submission.cid for submission in submissions])
        await asyncio.sleep(0.01)
        if self.failing_cids & {submission.cid for submission in submissions}:
            raise errors.Unavailable()
        outcomes = []
        for submission in submissions:
            if submission.ops == "bad":
                outcomes.append(errors.InvalidOp(cid=submission.cid))
                continue
            self.rev += 1
            outcomes.append(CommitResult(CommittedOp(self.rev, [], submission.cid), False))
        return outcomes

    async def announce(self, document_id, submissions, outcomes):
        self.events.append(("announce", [getattr(o, "op", None) and o.op.rev for o in outcomes]))


def submission(cid, ops=None):
    return Submission(0, ops if ops is not None else [], cid)


async def test_ops_arriving_during_a_commit_go_into_the_next_batch():
    storage = FakeStorage()
    committer = Committer(storage.commit_batch, storage.announce)
    first = asyncio.ensure_future(committer.submit("doc", submission("a")))
    await asyncio.sleep(0)
    rest = [asyncio.ensure_future(committer.submit("doc", submission(c))) for c in "bcd"]
    outcomes = await asyncio.gather(first, *rest)
    assert storage.batches == [["a"], ["b", "c", "d"]]
    assert [outcome.op.cid for outcome in outcomes] == ["a", "b", "c", "d"]
    assert [outcome.op.rev for outcome in outcomes] == [1, 2, 3, 4]


async def test_documents_are_committed_independently():
    storage = FakeStorage()
    committer = Committer(storage.commit_batch, storage.announce)
    await asyncio.gather(
        committer.submit("one", submission("a")), committer.submit("two", submission("b"))
    )
    assert sorted(storage.batches) == [["a"], ["b"]]


async def test_a_bad_op_fails_alone():
    storage = FakeStorage()
    committer = Committer(storage.commit_batch, storage.announce)
    first = asyncio.ensure_future(committer.submit("doc", submission("a")))
    await asyncio.sleep(0)
    bad = asyncio.ensure_future(committer.submit("doc", submission("bad", "bad")))
    good = asyncio.ensure_future(committer.submit("doc", submission("good")))
    await first
    assert isinstance(await bad, errors.InvalidOp)
    assert (await good).op.rev == 2


async def test_the_batch_is_announced_before_any_waiter_hears_its_outcome():
    storage = FakeStorage()
    committer = Committer(storage.commit_batch, storage.announce)

    async def submit_and_record():
        outcome = await committer.submit("doc", submission("a"))
        storage.events.append(("outcome", outcome.op.rev))

    await submit_and_record()
    assert storage.events == [("announce", [1]), ("outcome", 1)]


async def test_a_storage_failure_reaches_every_waiter_of_the_batch_and_not_the_next():
    storage = FakeStorage()
    committer = Committer(storage.commit_batch, storage.announce)
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
    committer = Committer(storage.commit_batch, storage.announce)
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
    committer = Committer(storage.commit_batch, storage.announce, max_batch=2)
    first = asyncio.ensure_future(committer.submit("doc", submission("a")))
    await asyncio.sleep(0)
    await asyncio.gather(first, *(committer.submit("doc", submission(c)) for c in "bcde"))
    assert storage.batches == [["a"], ["b", "c"], ["d", "e"]]
