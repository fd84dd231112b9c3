"""Writes on documents and their sharing, for the REST API and the admin.

Edits go through `editor.service` (the ordering service, then a broadcast), so
live editors see a REST or admin change at once; announcements about rows this
module writes wait for the transaction to commit.
"""

import uuid
from functools import partial

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from docs_app.models import Collaborator, Document
from docs_app.selectors import existing_rev
from editor import service
from editor.ordering import CommitResult


def new_cid() -> str:
    """Return a cid for an edit whose client sent none (it cannot be retried safely)."""
    return f"rest-{uuid.uuid4().hex}"


def document_create(*, owner: AbstractBaseUser, title: str | None = None) -> Document:
    fields = {} if title is None else {"title": title}
    return Document.objects.create(owner=owner, **fields)


def document_rename(*, document: Document, title: str) -> Document:
    document.title = title
    document.save(update_fields=["title", "updated_at"])
    transaction.on_commit(partial(service.announce_title, document.pk, title))
    return document


def document_delete(*, document: Document) -> None:
    document_id = document.pk
    document.delete()
    transaction.on_commit(partial(service.announce_deleted, document_id))


def document_submit_op(
    *, document_id, base_rev: int, ops: list, cid: str | None, author: AbstractBaseUser
) -> CommitResult:
    """Commit an op made against `base_rev`; a cid already committed returns the original."""
    return service.submit_op(
        document_id, base_rev=base_rev, ops=ops, cid=cid or new_cid(), author=author
    )


def document_restore(
    *, document_id, rev: int, author: AbstractBaseUser, cid: str | None = None
) -> CommitResult:
    """Commit a new revision whose content equals revision `rev`'s; raise RevisionNotFound."""
    existing_rev(document_id, rev)
    return service.restore(document_id, rev=rev, cid=cid or new_cid(), author=author)


def collaborator_set(
    *, document: Document, user: AbstractBaseUser, role: str
) -> tuple[Collaborator, bool]:
    """Share the document with `user` in `role`, or change their role; return (row, created)."""
    if user.pk == document.owner_id:
        message = "The owner already has every right; they cannot be a collaborator."
        raise ValidationError({"username": ValidationError(message, code="owner")})
    collaborator, created = Collaborator.objects.update_or_create(
        document=document, user=user, defaults={"role": role}
    )
    transaction.on_commit(partial(service.announce_access_changed, document.pk, user.pk))
    return collaborator, created


def collaborator_remove(*, document: Document, user_id: int) -> None:
    """Stop sharing the document with the user; their open editors close (4403)."""
    deleted, _ = Collaborator.objects.filter(document=document, user_id=user_id).delete()
    if not deleted:
        raise Collaborator.DoesNotExist(f"User {user_id} is not a collaborator on this document.")
    transaction.on_commit(partial(service.announce_access_changed, document.pk, user_id))
