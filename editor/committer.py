"""Group the ops that arrive together into one commit.

Every WebSocket consumer of a process hands its ops to the process's one
`Committer`. While a batch is being committed, newer ops queue up and go in
the next one, for whichever documents they are: one transaction (one fsync)
then commits many ops. Under light load a batch is one op and costs nothing
extra. A document is never in two batches at once, so its ops keep their order.
"""

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from editor import errors
from editor.ordering import Outcome, Submission

Batches = dict[object, list[Submission]]
CommitMany = Callable[[Batches], Awaitable[dict[object, list[Outcome] | errors.ProtocolError]]]
Announce = Callable[[object, list[Submission], list[Outcome]], Awaitable[None]]


@dataclass
class Pending:
    submissions: list[Submission] = field(default_factory=list)
    futures: list[asyncio.Future] = field(default_factory=list)


class Committer:
    def __init__(
        self,
        commit_many: CommitMany,
        announce: Announce,
        *,
        max_batch: int = 256,
        max_concurrent: int = 1,
    ) -> None:
        self.commit_many = commit_many
        self.announce = announce
        self.max_batch = max_batch
        self.max_concurrent = max_concurrent
        self.pending: dict[object, Pending] = {}
        self.busy: set = set()  # documents in a batch being committed
        self.running: set[asyncio.Task] = set()  # strong references to the batches

    async def submit(self, document_id, submission: Submission) -> Outcome:
        """Commit the submission (batched with others); return its outcome.

        The outcome is announced to the document's group before this returns,
        so the sender's ack never overtakes the broadcast.
        """
        future = asyncio.get_running_loop().create_future()
        pending = self.pending.setdefault(document_id, Pending())
        pending.submissions.append(submission)
        pending.futures.append(future)
        self.start_batches()
        return await future

    def start_batches(self) -> None:
        while len(self.running) < self.max_concurrent and (batch := self.take()):
            task = asyncio.ensure_future(self.run(batch))
            self.running.add(task)
            task.add_done_callback(self.finished)

    def finished(self, task: asyncio.Task) -> None:
        self.running.discard(task)
        self.start_batches()

    def take(self) -> dict[object, Pending]:
        """Take up to `max_batch` pending ops of documents not already being committed."""
        batch: dict[object, Pending] = {}
        room = self.max_batch
        for document_id in [d for d in self.pending if d not in self.busy]:
            if room == 0:
                break
            pending = self.pending[document_id]
            taken = Pending(pending.submissions[:room], pending.futures[:room])
            del pending.submissions[:room], pending.futures[:room]
            if not pending.submissions:
                del self.pending[document_id]
            batch[document_id] = taken
            room -= len(taken.submissions)
        self.busy.update(batch)
        return batch

    async def run(self, batch: dict[object, Pending]) -> None:
        try:
            results = await self.commit_many(
                {document_id: pending.submissions for document_id, pending in batch.items()}
            )
            for document_id, pending in batch.items():
                await self.settle(document_id, pending, results[document_id])
        except Exception as error:
            for pending in batch.values():
                resolve(pending.futures, exception=error)
        finally:
            self.busy.difference_update(batch)

    async def settle(self, document_id, pending: Pending, result) -> None:
        if isinstance(result, errors.ProtocolError):
            resolve(pending.futures, outcomes=[result] * len(pending.futures))
            return
        await self.announce(document_id, pending.submissions, result)
        resolve(pending.futures, outcomes=result)


def resolve(futures: list[asyncio.Future], *, outcomes=None, exception=None) -> None:
    """Hand each waiter its outcome; a waiter that went away (cancelled) is skipped."""
    for index, future in enumerate(futures):
        if future.done():
            continue
        if exception is not None:
            future.set_exception(exception)
        else:
            future.set_result(outcomes[index])
