"""Commit batches on PostgreSQL from the event loop: psycopg's async connection, pipelined.

This is the WebSocket path. In a database thread every round trip was paid
twice: the wait for PostgreSQL, then the wait for the GIL, held by the busy
event loop (measured: 4 to 7 round trips per document, each 5 to 10 times slower under
load). Here a batch costs two round trips, awaited in the loop, however many
documents it holds:

1. lock every document (in the same order as `ordering.commit_many`) and read
   the part of its log its ops need;
2. write the new revisions and contents, and COMMIT.

Between the two, the ordering service runs unchanged on what step 1 read
(`PrefetchedStore`). REST and admin commits keep the synchronous
`DatabaseOpStore`; both take the same row lock, so they interleave safely.
"""

import asyncio
import logging
from contextlib import contextmanager

import orjson
import psycopg
from django.db import connections
from django.utils import timezone

from docs_app import op_sql as sql
from docs_app.op_store import content_cache, dumps, op_from_row
from editor import errors
from editor.ordering import CommittedOp, OrderingPolicy, Submission, commit_many

logger = logging.getLogger(__name__)

# Ops to transform over, past which the ordering step leaves the event loop.
HEAVY_BATCH_OPS = 256
NO_BASE = 2**31 - 1  # no op of the batch has a usable base: read no history


class PrefetchedDocument:
    """A locked document as step 1 read it: the `LockedDocument` the ordering service sees."""

    def __init__(self, document_id, rev: int, content: list, read_after: int, ops) -> None:
        self.document_id = document_id
        self.rev = rev
        self._content = content
        self.read_after = read_after  # every op after this revision was read
        self.ops: list[CommittedOp] = ops  # those, and any op with a cid of the batch
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
    """An `OpStore` over documents already locked and read; writes are collected, not made."""

    def __init__(self, documents: dict) -> None:
        self.documents = documents

    @contextmanager
    def transaction(self):
        yield  # the one transaction is the connection's, around both steps

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
        return await psycopg.AsyncConnection.connect(**connection_params())

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
    """Commit batches for several documents in one transaction; return each one's outcomes.

    A document whose write fails the transaction (all of it is rolled back)
    makes the others commit again, each alone, so it fails alone.
    """
    try:
        return await commit_together(batches, policy)
    except psycopg.OperationalError:
        # Idle connections die together (a database restart, an idle timeout):
        # drop them all and try once more on a new one. Resending is safe: a
        # cid that did commit is answered with its revision.
        await idle_connections.close_all()
        try:
            return await commit_together(batches, policy)
        except psycopg.OperationalError:
            logger.warning("PostgreSQL is unavailable; nothing of the batch was committed")
    except psycopg.Error:
        logger.exception("A batch of %d documents failed to commit", len(batches))
        if len(batches) > 1:
            return {
                document_id: (await acommit_many({document_id: submissions}, policy))[document_id]
                for document_id, submissions in batches.items()
            }
    return {document_id: errors.Unavailable() for document_id in batches}


async def commit_together(batches: dict, policy: OrderingPolicy) -> dict:
    connection = await idle_connections.take()
    try:
        async with connection.pipeline():
            documents = await lock_and_read(connection, batches, policy)
            outcomes = await order(PrefetchedStore(documents), batches, policy)
            await write(connection, documents.values())
            await connection.commit()
    except BaseException:
        # Whatever state it was left in (an error, a cancelled task), start afresh.
        await connection.close()
        raise
    idle_connections.give_back(connection)
    for document in documents.values():
        if document.appended is not None:
            ops, content, _ = document.appended
            content_cache.put(document.document_id, ops[-1].rev, content)
    return outcomes


async def lock_and_read(connection, batches: dict, policy: OrderingPolicy) -> dict:
    """Step 1, one round trip: lock each document and read its rev, content and log."""
    reads = []
    for document_id in sorted(batches, key=str):
        cached = content_cache.latest(document_id)
        submissions = batches[document_id]
        since = min((s.base_rev for s in submissions if s.base_rev >= 0), default=NO_BASE)
        lock, log = connection.cursor(), connection.cursor()
        await lock.execute(sql.LOCK_FOR_COMMIT, [cached[0] if cached else -1, document_id])
        cids = [s.cid for s in submissions]
        await log.execute(
            sql.LOG_FOR_COMMIT, [document_id, since, document_id, policy.max_transform, cids]
        )
        reads.append((document_id, cached, since, lock, log))
    documents = {}
    for document_id, cached, since, lock, log in reads:
        row = await lock.fetchone()
        rows = await log.fetchall()
        if row is None:
            continue  # deleted: the ordering service answers DocumentNotFound
        rev, content_text = row
        content = cached[1] if content_text is None else orjson.loads(content_text)
        read_after = min(rev, max(since, rev - policy.max_transform))  # none exist after rev
        ops = [op_from_row(row) for row in rows]
        documents[document_id] = PrefetchedDocument(document_id, rev, content, read_after, ops)
    return documents


async def order(store: PrefetchedStore, batches: dict, policy: OrderingPolicy) -> dict:
    """Run the ordering service on what was read; a long transform leaves the event loop."""
    if sum(len(document.ops) for document in store.documents.values()) > HEAVY_BATCH_OPS:
        return await asyncio.to_thread(commit_many, store, batches, policy)
    return commit_many(store, batches, policy)


async def write(connection, documents) -> None:
    """Step 2 (with the COMMIT that follows, one round trip): queue every document's writes."""
    statements, now = sql.statements_for("postgresql"), timezone.now()
    cursor = connection.cursor()
    for document in documents:
        if document.appended is None:
            continue
        ops, content, snapshots = document.appended
        key = document.document_id
        await cursor.executemany(
            statements.insert_revision,
            [[key, op.rev, dumps(op.ops), op.cid, op.session, op.author_id, now] for op in ops],
        )
        await cursor.execute(statements.update_document, [ops[-1].rev, dumps(content), now, key])
        if snapshots:
            await cursor.executemany(
                statements.insert_snapshot,
                [[key, rev, dumps(snapshot), now] for rev, snapshot in snapshots],
            )
