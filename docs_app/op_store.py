"""The database `OpStore` of the ordering service, and the reads that go with it.

Commits to one document are serialised by a lock on its row: `SELECT ... FOR
UPDATE` on PostgreSQL; on SQLite every transaction is IMMEDIATE (settings), so
it holds the database's write lock from its first statement.
"""

import functools
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import orjson
from django.db import DatabaseError, connection, transaction

from docs_app import op_sql as sql
from docs_app.models import Document, Revision, Snapshot, empty_document
from editor import errors, ot
from editor.ordering import CommittedOp
from editor.protocol import op_payload

REVISION_FIELDS = ("rev", "ops", "cid", "session", "author_id")


def committed_op(row: dict) -> CommittedOp:
    return CommittedOp(row["rev"], row["ops"], row["cid"], row["session"], row["author_id"])


@dataclass(frozen=True)
class CachedDocument:
    """A document as last committed or read by this process."""

    rev: int
    content: list
    recent: tuple[CommittedOp, ...]  # the last ops, without a gap, the last one at `rev`

    @property
    def complete_after(self) -> int:
        """Return the revision after which every op is in `recent`."""
        return self.rev - len(self.recent)


class DocumentCache:
    """The latest content and last ops of recently edited documents.

    Content at a revision never changes, so an entry is exact for its
    revision; it saves reading and decoding the whole document (and, on
    PostgreSQL, reading anything at all) on every commit. Only what was
    committed is put here.
    """

    def __init__(self, size: int = 256, keep_ops: int = 100) -> None:
        self.size = size
        self.keep_ops = keep_ops
        self.entries: OrderedDict = OrderedDict()
        # The event loop (WebSocket commits) and request threads (REST) share it.
        self.mutex = threading.Lock()

    def get(self, document_id, rev: int) -> list | None:
        entry = self.latest(document_id)
        return None if entry is None or entry.rev != rev else entry.content

    def latest(self, document_id) -> CachedDocument | None:
        with self.mutex:
            entry = self.entries.get(document_id)
            if entry is not None:
                self.entries.move_to_end(document_id)
            return entry

    def put(self, document_id, rev: int, content: list, ops=()) -> None:
        """Hold the document at `rev`; `ops` are the last ops up to `rev`, without a gap."""
        with self.mutex:
            old = self.entries.get(document_id)
            if old is not None and (
                old.rev > rev or (old.rev == rev and len(ops) <= len(old.recent))
            ):
                return  # a slower writer of an older revision, or nothing new
            if old is not None and ops and ops[0].rev == old.rev + 1:
                ops = (*old.recent, *ops)
            self.entries[document_id] = CachedDocument(rev, content, tuple(ops[-self.keep_ops :]))
            self.entries.move_to_end(document_id)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def follow(self, document_id, ops: list[CommittedOp]) -> None:
        """Bring an entry up to date with ops committed elsewhere (another process).

        Ops the entry holds already are skipped; the rest must continue it
        without a gap, or the entry is dropped (the next commit reads the
        document): an entry left behind for good would be useless to commits
        and make every later broadcast be decoded again.
        """
        entry = self.peek(document_id)
        if entry is None:
            return
        ops = [op for op in ops if op.rev > entry.rev]
        if not ops:
            return
        if [op.rev for op in ops] != list(range(entry.rev + 1, entry.rev + 1 + len(ops))):
            self.discard(document_id)
            return
        content = entry.content
        for op in ops:
            content = ot.apply(content, op.ops)
        self.put(document_id, ops[-1].rev, content, ops)

    def discard(self, document_id) -> None:
        with self.mutex:
            self.entries.pop(document_id, None)

    def peek(self, document_id) -> CachedDocument | None:
        """Return the entry without counting it as used: following is not editing."""
        with self.mutex:
            return self.entries.get(document_id)


content_cache = DocumentCache()


class LockedRow:
    """A document row held for one commit. Plain SQL: this runs for every committed op."""

    def __init__(self, cursor, document_id, key, rev: int) -> None:
        self.cursor = cursor
        self.document_id = document_id
        self.key = key  # the primary key as the database stores it
        self.rev = rev
        self.sql = sql.statements()

    def content(self) -> list:
        content = content_cache.get(self.document_id, self.rev)
        if content is None:
            self.cursor.execute(self.sql.select_content, [self.key])
            content = orjson.loads(self.cursor.fetchone()[0])
        return content

    def log_since(self, rev: int, cids: list[str]) -> tuple[list[CommittedOp], dict]:
        self.cursor.execute(self.sql.log_since(len(cids)), [self.key, rev, self.rev, *cids])
        history, previous, wanted = [], {}, set(cids)
        for row in self.cursor.fetchall():
            op = op_from_row(row)
            if op.rev > rev:
                history.append(op)
            if op.cid in wanted:
                previous[op.cid] = op
        return history, previous

    def content_at(self, rev: int) -> list:
        return content_at(self.document_id, rev)

    def append(self, ops: list[CommittedOp], content: list, snapshots: list) -> None:
        now = sql.adapt_now()
        self.cursor.executemany(
            self.sql.insert_revision,
            [
                [self.key, op.rev, dumps(op.ops), op.cid, op.session, op.author_id, now]
                for op in ops
            ],
        )
        self.cursor.execute(self.sql.update_document, [ops[-1].rev, dumps(content), now, self.key])
        if snapshots:
            self.cursor.executemany(
                self.sql.insert_snapshot,
                [[self.key, rev, dumps(snapshot), now] for rev, snapshot in snapshots],
            )
        # Cached only once the outermost transaction commits: content of a
        # rolled-back revision must never be taken for that revision later.
        transaction.on_commit(
            functools.partial(content_cache.put, self.document_id, ops[-1].rev, content, ops)
        )


def op_from_row(row) -> CommittedOp:
    rev, ops, cid, session, author_id = row
    return CommittedOp(rev, orjson.loads(ops), cid, session, author_id)


def dumps(value) -> str:
    return orjson.dumps(value).decode()


class DatabaseOpStore:
    @contextmanager
    def transaction(self) -> Iterator[None]:
        try:
            with transaction.atomic():
                yield
        except DatabaseError as error:
            raise errors.Unavailable() from error

    @contextmanager
    def lock(self, document_id) -> Iterator[LockedRow]:
        # Inside `transaction()` this is a savepoint, so one document's failure
        # leaves the others of a batch committed.
        with self.transaction(), connection.cursor() as cursor:
            key = sql.primary_key(document_id)
            cursor.execute(sql.statements().lock_document, [key])
            row = cursor.fetchone()
            if row is None:
                raise errors.DocumentNotFound()
            yield LockedRow(cursor, document_id, key, row[0])


def ops_between(document_id, after: int, upto: int) -> list[CommittedOp]:
    """Return the committed ops with `after < rev <= upto`, in revision order."""
    rows = (
        Revision.objects.filter(document_id=document_id, rev__gt=after, rev__lte=upto)
        .order_by("rev")
        .values(*REVISION_FIELDS)
    )
    return [committed_op(row) for row in rows]


def content_at(document_id, rev: int) -> list:
    """Return the document at `rev`: the nearest snapshot at or below it plus the ops after."""
    snapshot = (
        Snapshot.objects.filter(document_id=document_id, rev__lte=rev)
        .order_by("-rev")
        .values("rev", "content")
        .first()
    ) or {"rev": 0, "content": empty_document()}
    content = snapshot["content"]
    for op in ops_between(document_id, snapshot["rev"], rev):
        content = ot.apply(content, op.ops)
    return content


def op_payloads_between(document_id, after: int, upto: int) -> list[dict]:
    """Return the committed ops `after < rev <= upto` as op frames, with their authors."""
    rows = (
        Revision.objects.filter(document_id=document_id, rev__gt=after, rev__lte=upto)
        .order_by("rev")
        .values(*REVISION_FIELDS, "author__username")
    )
    return [
        op_payload(
            rev=row["rev"],
            ops=row["ops"],
            cid=row["cid"],
            session=row["session"] or None,
            author=author_of(row["author_id"], row["author__username"]),
        )
        for row in rows
    ]


def author_of(user_id: int | None, username: str | None) -> dict | None:
    return None if user_id is None else {"id": user_id, "name": username}


def sync_state(document_id, since: int | None) -> dict:
    """Return what a `welcome` needs: rev, title, and the content or the ops after `since`.

    Raise BadRev when `since` is ahead of the document, DocumentNotFound when it is gone.
    """
    row = Document.objects.filter(pk=document_id).values("rev", "title", "content").first()
    if row is None:
        raise errors.DocumentNotFound()
    if since is None:
        return {"rev": row["rev"], "title": row["title"], "content": row["content"]}
    if since > row["rev"]:
        raise errors.BadRev(f"Revision {since} is ahead of the document (at {row['rev']}).")
    ops = op_payloads_between(document_id, since, row["rev"])
    return {"rev": row["rev"], "title": row["title"], "ops": ops}


def head_rev(document_id) -> int:
    """Return the document's latest revision; raise DocumentNotFound when it is gone."""
    rev = Document.objects.filter(pk=document_id).values_list("rev", flat=True).first()
    if rev is None:
        raise errors.DocumentNotFound()
    return rev
