"""The database `OpStore` of the ordering service, and the reads that go with it.

Commits to one document are serialised by a lock on its row: `SELECT ... FOR
UPDATE` on PostgreSQL; on SQLite every transaction is IMMEDIATE (settings), so
it holds the database's write lock from its first statement.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DatabaseError, transaction
from django.utils import timezone

from docs_app.models import Document, Revision, Snapshot, empty_document
from editor import errors, ot
from editor.ordering import CommittedOp
from editor.protocol import op_payload

REVISION_FIELDS = ("rev", "ops", "cid", "session", "author_id")


def committed_op(row: dict) -> CommittedOp:
    return CommittedOp(row["rev"], row["ops"], row["cid"], row["session"], row["author_id"])


class LockedRow:
    def __init__(self, document_id, rev: int, content: list) -> None:
        self.document_id = document_id
        self.rev = rev
        self._content = content

    def content(self) -> list:
        return self._content

    def find_cid(self, cid: str) -> CommittedOp | None:
        row = (
            Revision.objects.filter(document_id=self.document_id, cid=cid)
            .values(*REVISION_FIELDS)
            .first()
        )
        return None if row is None else committed_op(row)

    def ops_after(self, rev: int) -> list[CommittedOp]:
        return ops_between(self.document_id, rev, self.rev)

    def content_at(self, rev: int) -> list:
        return content_at(self.document_id, rev)

    def append(self, op: CommittedOp, content: list, *, snapshot: bool) -> None:
        Revision.objects.create(
            document_id=self.document_id,
            rev=op.rev,
            ops=op.ops,
            cid=op.cid,
            session=op.session,
            author_id=op.author_id,
        )
        Document.objects.filter(pk=self.document_id).update(
            rev=op.rev, content=content, updated_at=timezone.now()
        )
        if snapshot:
            Snapshot.objects.create(document_id=self.document_id, rev=op.rev, content=content)


class DatabaseOpStore:
    @contextmanager
    def lock(self, document_id) -> Iterator[LockedRow]:
        try:
            with transaction.atomic():
                row = (
                    Document.objects.select_for_update()
                    .filter(pk=document_id)
                    .values("rev", "content")
                    .first()
                )
                if row is None:
                    raise errors.DocumentNotFound()
                yield LockedRow(document_id, row["rev"], row["content"])
        except DatabaseError as error:
            raise errors.Unavailable() from error


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
