"""The PostgreSQL commit path's own failure modes (its ordering contract is in test_ordering)."""

import asyncio
import uuid
from unittest import mock

import psycopg
import pytest
from channels.db import database_sync_to_async
from django.contrib.auth import get_user_model
from django.db import connection

from docs_app import async_commit, op_sql
from docs_app.async_commit import acommit_many, idle_connections
from docs_app.models import Document, Revision
from docs_app.op_store import DatabaseOpStore
from editor import errors, service
from editor.ordering import OrderingPolicy, Submission, commit_many
from tests.services import free_port, service_unavailable

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("release_db_thread_connections"),
]


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        service_unavailable("the async commit path needs DATABASE_URL to be PostgreSQL")


@pytest.fixture
def owner():
    return get_user_model().objects.create_user("owner", password="pw-for-tests-1")


def new_document(owner):
    return Document.objects.create(owner=owner).pk


def insert(text, cid, author_id=None, base_rev=0):
    return Submission(base_rev, [{"insert": text}], cid, author_id)


async def stored(document_id):
    def read():
        document = Document.objects.get(pk=document_id)
        cids = list(
            Revision.objects.filter(document_id=document_id)
            .order_by("rev")
            .values_list("cid", flat=True)
        )
        return document.rev, "".join(op["insert"] for op in document.content), cids

    return await database_sync_to_async(read)()


async def test_a_failed_write_commits_nothing_and_the_next_batch_succeeds(owner):
    document = await sync(new_document)(owner)
    broken = op_sql.WRITE_COMMITS.replace("INSERT INTO docs_app_snapshot", "INSERT INTO nowhere")
    with mock.patch.object(op_sql, "WRITE_COMMITS", broken):
        outcome = await acommit_many({document: [insert("lost", "c1")]}, OrderingPolicy())
    assert isinstance(outcome[document], errors.Unavailable)
    assert await stored(document) == (0, "\n", [])
    outcome = await acommit_many({document: [insert("kept", "c1")]}, OrderingPolicy())
    assert outcome[document][0].op.rev == 1
    assert await stored(document) == (1, "kept\n", ["c1"])


async def test_the_next_batch_of_a_document_reads_nothing(owner):
    document = await sync(new_document)(owner)
    await acommit_many({document: [insert("one", "c1")]}, OrderingPolicy())
    with mock.patch.object(async_commit, "read", wraps=async_commit.read) as read:
        outcome = await acommit_many(
            {document: [insert("two", "c2", base_rev=1)]}, OrderingPolicy()
        )
    assert not read.called
    assert outcome[document][0].op.rev == 2
    assert await stored(document) == (2, "twoone\n", ["c1", "c2"])


async def test_a_document_that_moved_since_it_was_cached_is_committed_under_a_lock(owner):
    document = await sync(new_document)(owner)
    await acommit_many({document: [insert("one", "c1")]}, OrderingPolicy())
    # Another process commits meanwhile: this process's cache still says revision 1.
    cached = async_commit.content_cache.latest(document)
    await sync(commit_elsewhere)(document, base_rev=1, text="rest ", cid="r1")
    async_commit.content_cache.entries[document] = cached
    with mock.patch.object(
        async_commit, "commit_locked", wraps=async_commit.commit_locked
    ) as commit_locked:
        outcome = await acommit_many(
            {document: [insert("ws ", "c2", base_rev=1)]}, OrderingPolicy()
        )
    assert commit_locked.called
    assert outcome[document][0].op.rev == 3
    assert outcome[document][0].op.ops == [{"retain": 5}, {"insert": "ws "}]
    assert await stored(document) == (3, "rest ws one\n", ["c1", "r1", "c2"])


async def test_a_broadcast_of_another_process_commit_keeps_the_cache_current(owner):
    document = await sync(new_document)(owner)
    await acommit_many({document: [insert("one", "c1")]}, OrderingPolicy())
    cached = async_commit.content_cache.latest(document)
    elsewhere = await sync(commit_elsewhere)(document, base_rev=1, text="rest ", cid="r1")
    async_commit.content_cache.entries[document] = cached
    # Its broadcast reaches this process's consumers:
    service.follow_committed(document, service.committed_message([(elsewhere.op, None)])["ops"])
    with (
        mock.patch.object(
            async_commit, "commit_locked", wraps=async_commit.commit_locked
        ) as locked,
        mock.patch.object(async_commit, "read", wraps=async_commit.read) as read,
    ):
        outcome = await acommit_many(
            {document: [insert("ws ", "c2", base_rev=1)]}, OrderingPolicy()
        )
    assert not locked.called and not read.called
    assert outcome[document][0].op.ops == [{"retain": 5}, {"insert": "ws "}]
    assert await stored(document) == (3, "rest ws one\n", ["c1", "r1", "c2"])


async def test_a_failure_of_a_document_that_moved_leaves_the_others_committed(owner):
    fresh, moved = await sync(new_document)(owner), await sync(new_document)(owner)
    await acommit_many({moved: [insert("one", "m1")]}, OrderingPolicy())
    cached = async_commit.content_cache.latest(moved)
    await sync(commit_elsewhere)(moved, base_rev=1, text="rest ", cid="r1")
    async_commit.content_cache.entries[moved] = cached  # as another process leaves it
    failing = mock.AsyncMock(side_effect=psycopg.errors.DeadlockDetected("as if"))
    with mock.patch.object(async_commit, "commit_locked", failing):
        outcomes = await acommit_many(
            {fresh: [insert("a", "a1")], moved: [insert("b", "b1", base_rev=1)]}, OrderingPolicy()
        )
    assert not outcomes[fresh][0].duplicate  # final: announced, not retried as a duplicate
    assert isinstance(outcomes[moved], errors.Unavailable)
    assert await stored(fresh) == (1, "a\n", ["a1"])
    assert await stored(moved) == (2, "rest one\n", ["m1", "r1"])


async def test_a_size_judged_on_a_cached_document_is_checked_under_the_lock(owner):
    document = await sync(new_document)(owner)
    policy = OrderingPolicy(max_length=12)
    await acommit_many({document: [insert("0123456789", "c1")]}, policy)
    cached = async_commit.content_cache.latest(document)
    await sync(commit_elsewhere)(document, base_rev=1, text=None, cid="cut")
    async_commit.content_cache.entries[document] = cached
    outcome = await acommit_many({document: [insert("xyz", "c2", base_rev=1)]}, policy)
    assert outcome[document][0].op.rev == 3  # fits: the document shrank meanwhile


async def test_a_resent_op_the_cache_no_longer_remembers_is_answered_not_applied(owner):
    document = await sync(new_document)(owner)
    with mock.patch.object(async_commit.content_cache, "keep_ops", 1):
        first = await acommit_many({document: [insert("one", "c1")]}, OrderingPolicy())
        await acommit_many({document: [insert("two", "c2", base_rev=1)]}, OrderingPolicy())
        # Made on revision 1, as a client might after catching up without seeing its ack.
        again = await acommit_many({document: [insert("one", "c1", base_rev=1)]}, OrderingPolicy())
    assert again[document][0].duplicate
    assert again[document][0].op == first[document][0].op
    assert await stored(document) == (2, "twoone\n", ["c1", "c2"])


async def test_a_document_being_written_elsewhere_does_not_hold_up_the_others(owner):
    fresh, busy = await sync(new_document)(owner), await sync(new_document)(owner)
    params = async_commit.connection_params()
    async with await psycopg.AsyncConnection.connect(**params) as elsewhere:
        # Another process's write of `busy` is waiting for its fsync.
        await elsewhere.execute("SELECT 1 FROM docs_app_document WHERE id = %s FOR UPDATE", [busy])
        batch = asyncio.ensure_future(
            acommit_many({fresh: [insert("a", "a1")], busy: [insert("b", "b1")]}, OrderingPolicy())
        )
        for _ in range(100):
            if (await stored(fresh))[0] == 1:
                break
            await asyncio.sleep(0.05)
        assert await stored(fresh) == (1, "a\n", ["a1"])
        assert not batch.done()  # `busy` waits for the lock, alone
        await elsewhere.rollback()
    outcomes = await batch
    assert [outcomes[fresh][0].op.rev, outcomes[busy][0].op.rev] == [1, 1]
    assert await stored(busy) == (1, "b\n", ["b1"])


async def test_a_document_failing_at_commit_fails_alone(owner):
    first, second = await sync(new_document)(owner), await sync(new_document)(owner)
    no_such_user = 10**9  # the foreign key is checked at COMMIT: the whole transaction fails
    outcomes = await acommit_many(
        {
            first: [insert("a", "a1", owner.pk), insert("b", "a2", owner.pk)],
            second: [insert("x", "x1", no_such_user)],
        },
        OrderingPolicy(),
    )
    assert [outcome.op.rev for outcome in outcomes[first]] == [1, 2]
    assert isinstance(outcomes[second], errors.Unavailable)
    assert await stored(first) == (2, "ab\n", ["a1", "a2"])
    assert await stored(second) == (0, "\n", [])


async def test_connections_killed_while_idle_are_replaced(owner):
    document = await sync(new_document)(owner)
    await acommit_many({document: [insert("one", "c1")]}, OrderingPolicy())
    (idle,) = idle_connections.idle
    await sync(terminate_backend)(idle.info.backend_pid)  # as a database restart would

    outcome = await acommit_many({document: [insert("two", "c2", base_rev=1)]}, OrderingPolicy())

    assert outcome[document][0].op.rev == 2
    assert await stored(document) == (2, "twoone\n", ["c1", "c2"])
    assert idle.closed and idle not in idle_connections.idle


async def test_an_unreachable_database_is_unavailable(owner):
    document = await sync(new_document)(owner)
    await idle_connections.close_all()
    unreachable = {**async_commit.connection_params(), "port": free_port(), "connect_timeout": 2}
    with mock.patch.object(async_commit, "connection_params", return_value=unreachable):
        outcome = await acommit_many({document: [insert("lost", "c1")]}, OrderingPolicy())
    assert isinstance(outcome[document], errors.Unavailable)
    assert await stored(document) == (0, "\n", [])


async def test_a_deleted_document_is_not_found_and_others_commit(owner):
    kept = await sync(new_document)(owner)
    outcomes = await acommit_many(
        {uuid.uuid4(): [insert("x", "x1")], kept: [insert("k", "k1")]}, OrderingPolicy()
    )
    missing = next(key for key in outcomes if key != kept)
    assert isinstance(outcomes[missing], errors.DocumentNotFound)
    assert outcomes[kept][0].op.rev == 1


async def test_a_long_transform_runs_off_the_event_loop(owner):
    document = await sync(new_document)(owner)
    count = async_commit.HEAVY_TRANSFORMS + 1
    for rev in range(count):
        await acommit_many({document: [insert("x", f"c{rev}", base_rev=rev)]}, OrderingPolicy())
    with mock.patch("asyncio.to_thread", wraps=async_commit.asyncio.to_thread) as to_thread:
        outcome = await acommit_many({document: [insert("late", "stale")]}, OrderingPolicy())
    assert to_thread.called
    assert outcome[document][0].op.rev == count + 1
    assert outcome[document][0].op.ops == [{"retain": count}, {"insert": "late"}]


def sync(function):
    return database_sync_to_async(function)


def commit_elsewhere(document_id, *, base_rev: int, text: str | None, cid: str):
    """Commit as REST does (its own transaction and lock); no text deletes 5 characters."""
    ops = [{"delete": 5}] if text is None else [{"insert": text}]
    submission = Submission(base_rev, ops, cid)
    return commit_many(DatabaseOpStore(), {document_id: [submission]}, OrderingPolicy())[
        document_id
    ][0]


def terminate_backend(pid: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
