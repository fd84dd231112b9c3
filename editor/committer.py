"""Group the ops that arrive together for one document into one commit.

Every WebSocket consumer of a process hands its ops to the one `Committer`;
while a batch for a document is being committed, newer ops for it queue up and
go in the next batch. Under light load a batch is one op and costs nothing
extra; under contention one transaction (one lock, one fsync) commits many.
"""

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from editor.ordering import Outcome, Submission

CommitBatch = Callable[[object, list[Submission]], Awaitable[list[Outcome]]]
Announce = Callable[[object, list[Submission], list[Outcome]], Awaitable[None]]


@dataclass
class Pending:
    submissions: list[Submission] = field(default_factory=list)
    futures: list[asyncio.Future] = field(default_factory=list)


class Committer:
    def __init__(self, commit_batch: CommitBatch, announce: Announce, max_batch: int = 64):
        self.commit_batch = commit_batch
        self.announce = announce
        self.max_batch = max_batch
        self.pending: dict[object, Pending] = {}
        self.running: dict[object, asyncio.Task] = {}  # strong references to the drains

    async def submit(self, document_id, submission: Submission) -> Outcome:
        """Commit the submission (batched with others for the same document); return its outcome.

        The outcome is announced to the document's group before this returns,
        so the sender's ack never overtakes the broadcast.
        """
        future = asyncio.get_running_loop().create_future()
        pending = self.pending.setdefault(document_id, Pending())
        pending.submissions.append(submission)
        pending.futures.append(future)
        if document_id not in self.running:
            self.running[document_id] = asyncio.ensure_future(self.drain(document_id))
        return await future

    async def drain(self, document_id) -> None:
        try:
            while pending := self.take(document_id):
                try:
                    outcomes = await self.commit_batch(document_id, pending.submissions)
                    await self.announce(document_id, pending.submissions, outcomes)
                except Exception as error:
                    for future in pending.futures:
                        if not future.done():  # a waiter that disconnected is cancelled
                            future.set_exception(error)
                    continue
                for future, outcome in zip(pending.futures, outcomes, strict=True):
                    if not future.done():
                        future.set_result(outcome)
        finally:
            self.running.pop(document_id, None)

    def take(self, document_id) -> Pending | None:
        pending = self.pending.get(document_id)
        if pending is None:
            return None
        if len(pending.submissions) <= self.max_batch:
            del self.pending[document_id]
            return pending
        taken = Pending(pending.submissions[: self.max_batch], pending.futures[: self.max_batch])
        del pending.submissions[: self.max_batch], pending.futures[: self.max_batch]
        return taken
