"""Commit an op and announce it: the one path for WebSocket and REST edits alike."""

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings

from docs_app.op_store import DatabaseOpStore
from editor import protocol
from editor.ordering import CommitResult, OrderingPolicy, commit_op, restore_revision


def group_name(document_id) -> str:
    return f"document.{document_id.hex if hasattr(document_id, 'hex') else document_id}"


def ordering_policy() -> OrderingPolicy:
    return OrderingPolicy(
        snapshot_every=settings.COWRITE_SNAPSHOT_EVERY,
        max_transform=settings.COWRITE_MAX_TRANSFORM,
        max_length=settings.COWRITE_MAX_DOCUMENT_LENGTH,
    )


def commit(document_id, *, base_rev: int, ops: list, cid: str, author, session: str):
    """Commit through the ordering service on the database; return the CommitResult."""
    return commit_op(
        DatabaseOpStore(),
        document_id=document_id,
        base_rev=base_rev,
        ops=ops,
        cid=cid,
        author_id=None if author is None else author.pk,
        session=session,
        policy=ordering_policy(),
    )


def broadcast(document_id, message: dict) -> None:
    """Send a group message to the document's live editors, from synchronous code."""
    async_to_sync(get_channel_layer().group_send)(group_name(document_id), message)


def committed_message(result: CommitResult, author) -> dict:
    """Return the group message announcing a committed op; the frame is encoded once here."""
    op = result.op
    author_info = None if author is None else {"id": author.pk, "name": author.get_username()}
    payload = protocol.op_payload(
        rev=op.rev, ops=op.ops, cid=op.cid, session=op.session or None, author=author_info
    )
    return {"type": "op.committed", "rev": op.rev, "frame": protocol.encode(payload)}


def submit_op(document_id, *, base_rev: int, ops: list, cid: str, author, session: str = ""):
    """Commit an op from a synchronous caller (REST, admin) and broadcast it to live editors."""
    result = commit(
        document_id, base_rev=base_rev, ops=ops, cid=cid, author=author, session=session
    )
    if not result.duplicate:
        broadcast(document_id, committed_message(result, author))
    return result


def restore(document_id, *, rev: int, cid: str, author, session: str = "") -> CommitResult:
    """Commit a revision that brings the document back to revision `rev`; broadcast it."""
    result = restore_revision(
        DatabaseOpStore(),
        document_id=document_id,
        rev=rev,
        cid=cid,
        author_id=None if author is None else author.pk,
        session=session,
        policy=ordering_policy(),
    )
    if not result.duplicate:
        broadcast(document_id, committed_message(result, author))
    return result


def announce_title(document_id, title: str) -> None:
    broadcast(document_id, {"type": "document.meta", "title": title})


def announce_deleted(document_id) -> None:
    """Close the document's sockets (4404); call after the deletion is committed."""
    broadcast(document_id, {"type": "document.deleted"})


def announce_access_changed(document_id, user_id: int) -> None:
    """Make the user's open sockets re-read their role; a removed user's close with 4403."""
    broadcast(document_id, {"type": "access.changed", "user_id": user_id})
