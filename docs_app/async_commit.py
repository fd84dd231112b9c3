"""Commit WebSocket batches on PostgreSQL from the event loop, in one statement.

In a database thread every round trip was paid twice: the wait for
PostgreSQL, then the wait for the GIL, held by the busy event loop (measured:
4 to 7 round trips per document, each 5 to 10 times slower under load). Here
psycopg's async connection is awaited in the loop, and a batch, whatever its
documents, usually costs one statement (its own transaction, one fsync):

- what each document is at comes from `content_cache`, which holds what this
  process last committed or read (a read, one statement, only on a miss);
- the ordering service runs unchanged on that (`PrefetchedStore`);
- one statement writes every document that is still at the revision the
  batch saw and holds none of its cids (op_sql.WRITE_COMMITS).

A document that moved meanwhile (another process, a REST edit) or already
holds a cid (a resent op) is committed again the safe way, in a transaction
that locks it first (`commit_locked`), as the synchronous `DatabaseOpStore`
does for REST; both use the same row, so they interleave safely.
"""

import asyncio
import logging
import uuid
from contextlib import contextmanager

import orjson
import psycopg
from django.db import connections
from django.utils import timezone

from docs_app import op_sql as sql
from docs_app.op_store import content_cache, dumps
from editor import errors
from editor.ordering import CommittedOp, OrderingPolicy, Submission, commit_many, within_reach

logger = logging.getLogger(__name__)

# Transforms (an op over a committed op) past which the ordering step leaves the event loop.
HEAVY_TRANSFORMS = 256
NO_BASE = 2**31 - 1  # no op of the batch has a usable base: read no history


class PrefetchedDocument:
    """A document as cached or read: the `LockedDocument` the ordering service sees.

    Not locked: the write commits it only if it is still at `rev`.
    """

    def __init__(self, document_id, rev: int, content: list, read_after: int, ops) -> None:
        self.document_id = document_id
        self.rev = rev
        self._content = content
        self.read_after = read_after  # every op after this revision is in `ops`
        self.ops: list[CommittedOp] = ops  # those, and any read because of its cid
        self.appended: tuple[list[CommittedOp], list, list] | None = None

    def content(self) -> list:
        return self._content

    def log_since(self, rev: int, cids: list[str]) -> tuple[list[CommittedOp], dict]:
        assert rev >= self.read_after, "the ordering service asked for history not read"
        wanted = set(cids)
        history = [op for op in self.ops if op.rev > rev]
        return history, {op.cid: op for op in self.ops if op.cid in wanted}

    def append(self, ops: list[CommittedOp], content: list, snapshots: list) -> None:
        self.appended = (ops, content, snapshots)


class PrefetchedStore:
    """An `OpStore` over documents already known; their writes are collected, not made."""

    def __init__(self, documents: dict) -> None:
        self.documents = documents

    @contextmanager
    def transaction(self):
        yield  # each document's writes are all or nothing in `write`

    @contextmanager
    def lock(self, document_id):
        document = self.documents.get(document_id)
        if document is None:
            raise errors.DocumentNotFound()
        yield document


class IdleConnections:
    """Connections for the committer's concurrent batches, opened on demand.

    A free list is all this needs: the committer bounds how many batches run
    at once. (psycopg_pool's pool runs worker tasks bound to one event loop.)
    """

    def __init__(self) -> None:
        self.idle: list[psycopg.AsyncConnection] = []

    async def take(self) -> psycopg.AsyncConnection:
        while self.idle:
            connection = self.idle.pop()
            if not connection.closed:
                return connection
        return await psycopg.AsyncConnection.connect(autocommit=True, **connection_params())

    def give_back(self, connection: psycopg.AsyncConnection) -> None:
        self.idle.append(connection)

    async def close_all(self) -> None:
        idle, self.idle = self.idle, []
        for connection in idle:
            await connection.close()


idle_connections = IdleConnections()


def connection_params() -> dict:
    """Return how Django connects to its database, for a psycopg connection of our own."""
    params = connections["default"].get_connection_params()
    for django_only in ("cursor_factory", "context", "prepare_threshold"):
        params.pop(django_only, None)
    return params


async def acommit_many(
    batches: dict[object, list[Submission]], policy: OrderingPolicy
) -> dict[object, list | errors.ProtocolError]:
    """Commit batches for several documents; return each one's outcomes.

    Each document's ops commit all or none. Documents are keyed by UUID or its text.
    """
    keys = {uuid.UUID(str(document_id)): document_id for document_id in batches}
    results = await commit_batches({key: batches[given] for key, given in keys.items()}, policy)
    return {keys[key]: result for key, result in results.items()}


async def commit_batches(batches: dict, policy: OrderingPolicy) -> dict:
    """Commit batches keyed by UUID.

    A statement that fails for one document (all of it is rolled back) makes
    the others commit again, each alone, so it fails alone.
    """
    try:
        return await commit_with_connection(batches, policy)
    except psycopg.OperationalError:
        # Idle connections die together (a database restart, an idle timeout):
        # drop them all and try once more on a new one. Resending is safe: a
        # cid that did commit is answered with its revision.
        await idle_connections.close_all()
        try:
            return await commit_with_connection(batches, policy)
        except psycopg.OperationalError:
            logger.warning("PostgreSQL is unavailable; nothing of the batch was committed")
    except psycopg.Error:
        logger.exception("A batch of %d documents failed to commit", len(batches))
        if len(batches) > 1:
            return {
                document_id: (await commit_batches({document_id: submissions}, policy))[document_id]
                for document_id, submissions in batches.items()
            }
    return {document_id: errors.Unavailable() for document_id in batches}


async def commit_with_connection(batches: dict, policy: OrderingPolicy) -> dict:
    connection = await idle_connections.take()
    try:
        outcomes, moved = await commit_unlocked(connection, batches, policy)
        if moved:
            outcomes.update(await commit_moved(connection, moved, policy))
    except BaseException:
        # Whatever state it was left in (an error, a cancelled task), start afresh.
        await connection.close()
        raise
    if not connection.closed:
        idle_connections.give_back(connection)
    return outcomes


async def commit_moved(connection, moved: dict, policy: OrderingPolicy) -> dict:
    """Commit the documents that moved under a lock; their failure is theirs alone.

    What the unlocked write committed is final by now: retrying the whole
    batch would answer those ops as duplicates, never announced.
    """
    try:
        return await commit_locked(connection, moved, policy)
    except psycopg.Error:
        logger.warning("%d documents that moved failed to commit", len(moved), exc_info=True)
        await connection.close()
        return {document_id: errors.Unavailable() for document_id in moved}


async def commit_unlocked(connection, batches: dict, policy: OrderingPolicy):
    """Commit on what the cache (or a read) says; return the outcomes and the batches of
    documents that moved meanwhile, which are left to `commit_locked`."""
    documents = {
        document_id: cached_document(document_id, submissions, policy)
        for document_id, submissions in batches.items()
    }
    cached = {document_id for document_id, document in documents.items() if document}
    unknown = {
        document_id: batches[document_id] for document_id in batches if document_id not in cached
    }
    if unknown:
        documents.update(await read(connection, unknown, policy))
    documents = {
        document_id: document for document_id, document in documents.items() if document is not None
    }
    outcomes = await order(PrefetchedStore(documents), batches, policy)
    written = [document for document in documents.values() if document.appended is not None]
    committed = await write(connection, written)
    moved = {document.document_id for document in written} - committed
    # Sizes are judged on the content: a cached one may be out of date.
    moved |= {
        document_id
        for document_id in cached
        if documents[document_id].appended is None
        and any(isinstance(outcome, errors.TooLarge) for outcome in outcomes[document_id])
    }
    remember(document for document in written if document.document_id in committed)
    return (
        {
            document_id: outcome
            for document_id, outcome in outcomes.items()
            if document_id not in moved
        },
        {document_id: batches[document_id] for document_id in moved},
    )


async def commit_locked(connection, batches: dict, policy: OrderingPolicy) -> dict:
    """Commit in a transaction that first locks the documents: nothing can move under it."""
    async with connection.transaction():
        await connection.execute(sql.LOCK_DOCUMENTS, [list(batches)])
        documents = await read(connection, batches, policy)
        outcomes = await order(PrefetchedStore(documents), batches, policy)
        written = [document for document in documents.values() if document.appended is not None]
        committed = await write(connection, written)
        if len(committed) != len(written):
            raise psycopg.DataError("a locked document did not take its commit")
    remember(written)
    return outcomes


def cached_document(document_id, submissions, policy: OrderingPolicy):
    """Return the document as the cache holds it, if that covers every op's base."""
    cached = content_cache.latest(document_id)
    if cached is None:
        return None
    for submission in submissions:
        if submission.base_rev > cached.rev:
            return None  # made on a revision this process has not seen yet
        usable = within_reach(submission.base_rev, cached.rev, policy)
        if usable and submission.base_rev < cached.complete_after:
            return None
    return PrefetchedDocument(
        document_id, cached.rev, cached.content, cached.complete_after, list(cached.recent)
    )


async def read(connection, batches: dict, policy: OrderingPolicy) -> dict:
    """Read each document's rev, content and the log its ops need, in one statement."""
    cached = {document_id: content_cache.latest(document_id) for document_id in batches}
    cid_pairs = [(document_id, s.cid) for document_id, subs in batches.items() for s in subs]
    cursor = await connection.execute(
        sql.READ_FOR_COMMIT,
        {
            "ids": list(batches),
            "since": [oldest_base(submissions) for submissions in batches.values()],
            "cached_revs": [-1 if entry is None else entry.rev for entry in cached.values()],
            "cid_ids": [document_id for document_id, _ in cid_pairs],
            "cids": [cid for _, cid in cid_pairs],
            "max_transform": policy.max_transform,
        },
    )
    documents = {}
    for (
        is_document,
        document_id,
        rev,
        text,
        read_after,
        cid,
        session,
        author_id,
    ) in await cursor.fetchall():
        if is_document:
            # No content means the cache holds this very revision (the statement checked).
            content = cached[document_id].content if text is None else orjson.loads(text)
            documents[document_id] = PrefetchedDocument(document_id, rev, content, read_after, [])
        else:
            op = CommittedOp(rev, orjson.loads(text), cid, session, author_id)
            documents[document_id].ops.append(op)
    for document in documents.values():
        contiguous = [op for op in document.ops if op.rev > document.read_after]
        content_cache.put(document.document_id, document.rev, document.content(), contiguous)
    return documents


def oldest_base(submissions: list[Submission]) -> int:
    return min((s.base_rev for s in submissions if s.base_rev >= 0), default=NO_BASE)


async def order(store: PrefetchedStore, batches: dict, policy: OrderingPolicy) -> dict:
    """Run the ordering service on what was read; a long transform leaves the event loop."""
    if transform_work(store.documents, batches) > HEAVY_TRANSFORMS:
        return await asyncio.to_thread(commit_many, store, batches, policy)
    return commit_many(store, batches, policy)


def transform_work(documents: dict, batches: dict) -> int:
    """Return how many (op, committed op) pairs the batch transforms, at most."""
    return sum(
        len(batches[document_id])
        * (document.rev - min(oldest_base(batches[document_id]), document.rev))
        for document_id, document in documents.items()
    )


async def write(connection, documents: list[PrefetchedDocument]) -> set:
    """Write every document's new revisions in one statement; return the ids written.

    A document that is no longer at the revision read, or that already holds
    one of the new cids, is left untouched (and not returned).
    """
    if not documents:
        return set()
    rows = {"documents": [], "ops": [], "snapshots": []}
    for document in documents:
        ops, content, snapshots = document.appended
        key = document.document_id
        rows["documents"].append(
            {"id": key, "expected_rev": document.rev, "new_rev": ops[-1].rev, "content": content}
        )
        rows["ops"].extend(
            {"id": key, "rev": op.rev, "ops": op.ops, "cid": op.cid, "session": op.session,
             "author_id": op.author_id}
            for op in ops
        )  # fmt: skip
        rows["snapshots"].extend(
            {"id": key, "rev": rev, "content": snapshot} for rev, snapshot in snapshots
        )
    arguments = {name: dumps(value) for name, value in rows.items()}
    ids = [document.document_id for document in documents]
    cursor = await connection.execute(
        sql.WRITE_COMMITS, {**arguments, "ids": ids, "now": timezone.now()}
    )
    return {row[0] for row in await cursor.fetchall()}


def remember(documents) -> None:
    """Cache what was committed: the next batch of these documents need read nothing."""
    for document in documents:
        ops, content, _ = document.appended
        content_cache.put(document.document_id, ops[-1].rev, content, ops)
