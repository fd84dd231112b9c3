"""The ordering service's contract, run against every OpStore: in memory and the database."""

import dataclasses
import uuid
from unittest import mock

import pytest
from asgiref.sync import async_to_sync
from django.contrib.auth import get_user_model
from django.db import connection

from docs_app import op_sql
from docs_app.async_commit import acommit_many, idle_connections
from docs_app.models import Document, Revision, Snapshot
from docs_app.op_store import DatabaseOpStore, content_at, ops_between
from editor import errors, ot
from editor.memory_store import MemoryStore
from editor.ordering import OrderingPolicy, Submission, commit_many, restore_revision
from tests.services import service_unavailable


class MemoryBackend:
    def __init__(self):
        self.store = MemoryStore()
        self.author_ids = (1, 2)

    def new_document(self):
        document_id = uuid.uuid4()
        self.store.create(document_id)
        return document_id

    def log(self, document_id):
        return self.store.documents[document_id].log

    def content(self, document_id):
        return self.store.documents[document_id].content

    def snapshot_revs(self, document_id):
        return sorted(self.store.documents[document_id].snapshots)

    def commit_many(self, batches, policy):
        return commit_many(self.store, batches, policy)


class DatabaseBackend:
    def __init__(self):
        self.store = DatabaseOpStore()
        self.owner = get_user_model().objects.create_user("owner", password="pw-for-tests-1")
        other = get_user_model().objects.create_user("other", password="pw-for-tests-1")
        self.author_ids = (self.owner.pk, other.pk)

    def new_document(self):
        return Document.objects.create(owner=self.owner).pk

    def log(self, document_id):
        return ops_between(document_id, 0, Document.objects.get(pk=document_id).rev)

    def content(self, document_id):
        return Document.objects.get(pk=document_id).content

    def snapshot_revs(self, document_id):
        return list(
            Snapshot.objects.filter(document_id=document_id)
            .order_by("rev")
            .values_list("rev", flat=True)
        )

    def commit_many(self, batches, policy):
        return commit_many(self.store, batches, policy)


class AsyncPostgresBackend(DatabaseBackend):
    """The WebSocket path on PostgreSQL: the same algorithm, pipelined from the event loop."""

    def commit_many(self, batches, policy):
        return async_to_sync(self.commit_and_close)(batches, policy)

    async def commit_and_close(self, batches, policy):
        try:
            return await acommit_many(batches, policy)
        finally:
            await idle_connections.close_all()  # each call runs in a loop of its own


@pytest.fixture(
    params=[
        "memory",
        pytest.param("database", marks=pytest.mark.django_db),
        # Its own connection sees only what is committed: no test transaction around it.
        pytest.param("postgres-async", marks=pytest.mark.django_db(transaction=True)),
    ]
)
def backend(request):
    if request.param == "memory":
        return MemoryBackend()
    if request.param == "database":
        return DatabaseBackend()
    if connection.vendor != "postgresql":
        service_unavailable("the async commit path needs DATABASE_URL to be PostgreSQL")
    return AsyncPostgresBackend()


def commit(backend, document_id, base_rev, ops, cid, policy=None, author_id=None):
    """Commit one op through the backend's commit path; raise its error if it has one."""
    submission = Submission(base_rev, ops, cid, author_id, "s1")
    outcome = backend.commit_many({document_id: [submission]}, policy or OrderingPolicy())
    (result,) = raise_error(outcome[document_id])
    return raise_error(result)


def raise_error(outcome):
    if isinstance(outcome, errors.ProtocolError):
        raise outcome
    return outcome


def text(content):
    return "".join(op["insert"] for op in content)


def test_sequential_ops_get_consecutive_revisions(backend):
    document = backend.new_document()
    first = commit(backend, document, 0, [{"insert": "Hello"}], "c1")
    second = commit(backend, document, 1, [{"retain": 5}, {"insert": " world"}], "c2")
    assert (first.op.rev, second.op.rev) == (1, 2)
    assert text(backend.content(document)) == "Hello world\n"
    assert [op.cid for op in backend.log(document)] == ["c1", "c2"]


def test_a_concurrent_op_is_transformed_and_committed_ops_win_ties(backend):
    document = backend.new_document()
    commit(backend, document, 0, [{"insert": "abc"}], "first")
    late = commit(backend, document, 0, [{"insert": "X"}], "second")
    assert late.op.rev == 2
    assert late.op.ops == [{"retain": 3}, {"insert": "X"}]
    assert text(backend.content(document)) == "abcX\n"


def test_a_concurrent_delete_is_transformed(backend):
    document = backend.new_document()
    commit(backend, document, 0, [{"insert": "0123456789"}], "fill")
    commit(backend, document, 1, [{"delete": 5}], "cut-front")
    late = commit(backend, document, 1, [{"retain": 7}, {"insert": "😀"}], "emoji")
    assert late.op.ops == [{"retain": 2}, {"insert": "😀"}]
    assert text(backend.content(document)) == "56😀789\n"


def test_a_resent_cid_returns_the_original_result_and_writes_nothing(backend):
    document = backend.new_document()
    original = commit(backend, document, 0, [{"insert": "once"}], "same")
    commit(backend, document, 1, [{"insert": "later "}], "other")
    again = commit(backend, document, 0, [{"insert": "once"}], "same")
    assert again.duplicate
    assert again.op == original.op
    assert text(backend.content(document)) == "later once\n"
    assert len(backend.log(document)) == 2


def test_a_base_revision_ahead_of_the_document_is_bad_rev(backend):
    document = backend.new_document()
    with pytest.raises(errors.BadRev, match="ahead"):
        commit(backend, document, 1, [{"insert": "x"}], "c1")
    assert backend.log(document) == []


def test_a_base_revision_too_old_is_bad_rev(backend):
    document = backend.new_document()
    policy = OrderingPolicy(max_transform=2)
    for rev in range(3):
        commit(backend, document, rev, [{"insert": "x"}], f"c{rev}", policy)
    with pytest.raises(errors.BadRev, match="too old"):
        commit(backend, document, 0, [{"insert": "y"}], "stale", policy)
    commit(backend, document, 1, [{"insert": "y"}], "recent-enough", policy)


@pytest.mark.parametrize(
    "ops",
    [
        [{"retain": 2}, {"insert": "x"}],  # past the end at the base revision
        [{"delete": 2}],  # would delete the final newline and more
        [{"insert": 5}],
        [{"insert": "x", "attributes": {"script": "alert(1)"}}],
        [{"retain": -1}],
    ],
)
def test_an_op_that_does_not_apply_is_invalid_and_changes_nothing(backend, ops):
    document = backend.new_document()
    with pytest.raises(errors.InvalidOp) as failure:
        commit(backend, document, 0, ops, "bad")
    assert failure.value.cid == "bad"
    assert backend.log(document) == []
    assert backend.content(document) == [{"insert": "\n"}]


def test_an_op_is_validated_against_its_base_revision_not_the_current_one(backend):
    document = backend.new_document()
    commit(backend, document, 0, [{"insert": "abc"}], "grow")
    # Retaining 3 is valid now (length 4) but not at revision 0 (length 1).
    with pytest.raises(errors.InvalidOp):
        commit(backend, document, 0, [{"retain": 3}, {"insert": "x"}], "stale-view")


def test_snapshots_are_written_every_n_revisions(backend):
    document = backend.new_document()
    policy = OrderingPolicy(snapshot_every=3)
    for rev in range(7):
        commit(backend, document, rev, [{"insert": str(rev)}], f"c{rev}", policy)
    assert backend.snapshot_revs(document) == [3, 6]


def test_a_document_that_does_not_exist_is_not_found(backend):
    with pytest.raises(errors.DocumentNotFound):
        commit(backend, uuid.uuid4(), 0, [{"insert": "x"}], "c1")


def test_a_document_may_not_grow_past_the_limit(backend):
    document = backend.new_document()
    policy = OrderingPolicy(max_length=10)
    with pytest.raises(errors.TooLarge):
        commit(backend, document, 0, [{"insert": "x" * 10}], "big", policy)
    assert backend.log(document) == []


@pytest.mark.django_db
def test_a_storage_failure_is_unavailable_and_commits_nothing():
    backend = DatabaseBackend()
    document = backend.new_document()
    # A real database error after the revision row was written: the document
    # update goes to a table that does not exist.
    real = op_sql.statements()
    broken = dataclasses.replace(real, update_document="UPDATE no_such_table SET x = %s")
    with (
        mock.patch.object(op_sql, "statements", return_value=broken),
        pytest.raises(errors.Unavailable),
    ):
        commit(backend, document, 0, [{"insert": "lost"}], "c1")
    assert not Revision.objects.filter(document_id=document).exists()
    assert Document.objects.get(pk=document).rev == 0
    assert commit(backend, document, 0, [{"insert": "kept"}], "c1").op.rev == 1


@pytest.mark.django_db
def test_content_at_an_old_revision_uses_the_nearest_snapshot():
    backend = DatabaseBackend()
    document = backend.new_document()
    policy = OrderingPolicy(snapshot_every=4)
    for rev in range(10):
        retain = [{"retain": rev}] if rev else []
        commit(backend, document, rev, [*retain, {"insert": chr(97 + rev)}], f"c{rev}", policy)
    assert text(content_at(document, 0)) == "\n"
    assert text(content_at(document, 6)) == "abcdef\n"
    assert text(content_at(document, 10)) == "abcdefghij\n"
    # The snapshot is what is read: corrupt the ops before it and the answer still holds.
    Revision.objects.filter(document_id=document, rev__lte=4).update(ops=[])
    assert text(content_at(document, 6)) == "abcdef\n"


def test_the_stored_content_equals_the_composition_of_the_log(backend):
    document = backend.new_document()
    bases = [0, 0, 1, 1, 3, 2, 5, 0]
    for index, base in enumerate(bases):
        commit(
            backend,
            document,
            base,
            [{"insert": f"<{index}>", "attributes": {"bold": True}}],
            f"c{index}",
        )
    composed = [{"insert": "\n"}]
    for op in backend.log(document):
        composed = ot.apply(composed, op.ops)
    assert composed == backend.content(document)
    assert [op.rev for op in backend.log(document)] == list(range(1, len(bases) + 1))


def test_restore_commits_a_new_revision_with_the_old_content(backend):
    document = backend.new_document()
    commit(backend, document, 0, [{"insert": "first"}], "c1")
    commit(
        backend,
        document,
        1,
        [{"retain": 5}, {"insert": " second", "attributes": {"bold": True}}],
        "c2",
    )
    commit(backend, document, 2, [{"delete": 5}], "c3")
    restored = restore_revision(
        backend.store, document_id=document, rev=1, cid="r1", author_id=None, session=""
    )
    assert restored.op.rev == 4
    assert backend.content(document) == [{"insert": "first\n"}]
    assert [op.rev for op in backend.log(document)] == [1, 2, 3, 4]  # history is kept
    again = restore_revision(
        backend.store, document_id=document, rev=1, cid="r1", author_id=None, session=""
    )
    assert again.duplicate and again.op == restored.op
    with pytest.raises(errors.BadRev):
        restore_revision(
            backend.store, document_id=document, rev=9, cid="r2", author_id=None, session=""
        )


def test_a_cid_taken_by_another_author_is_refused_not_acked(backend):
    document = backend.new_document()
    victim, attacker = backend.author_ids
    commit(backend, document, 0, [{"insert": "mine"}], "victim-7", author_id=attacker)
    with pytest.raises(errors.BadMessage, match="already used"):
        commit(backend, document, 0, [{"insert": "yours"}], "victim-7", author_id=victim)
    assert len(backend.log(document)) == 1


def test_one_transaction_commits_several_documents_and_a_missing_one_fails_alone(backend):
    first, second = backend.new_document(), backend.new_document()
    missing = uuid.uuid4()
    results = backend.commit_many(
        {
            first: [Submission(0, [{"insert": "a"}], "a1"), Submission(0, [{"insert": "b"}], "a2")],
            missing: [Submission(0, [{"insert": "x"}], "x1")],
            second: [Submission(0, [{"insert": "c"}], "b1")],
        },
        OrderingPolicy(),
    )
    assert [outcome.op.rev for outcome in results[first]] == [1, 2]
    assert [outcome.op.rev for outcome in results[second]] == [1]
    assert isinstance(results[missing], errors.DocumentNotFound)
    assert text(backend.content(first)) == "ab\n"
    assert text(backend.content(second)) == "c\n"
