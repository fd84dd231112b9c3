"""Commit an op and announce it: the one path for WebSocket and REST edits alike."""

import functools
import logging
from concurrent.futures import ThreadPoolExecutor

import orjson
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import connection

from docs_app.op_store import DatabaseOpStore, content_cache
from editor import protocol
from editor.committer import Committer
from editor.ordering import (
    CommitResult,
    CommittedOp,
    OrderingPolicy,
    Outcome,
    Submission,
    commit_many,
    commit_op,
    restore_revision,
)

logger = logging.getLogger(__name__)


def group_name(document_id) -> str:
    return f"document.{document_id.hex if hasattr(document_id, 'hex') else document_id}"


def ordering_policy() -> OrderingPolicy:
    return OrderingPolicy(
        snapshot_every=settings.COWRITE_SNAPSHOT_EVERY,
        max_transform=settings.COWRITE_MAX_TRANSFORM,
        max_length=settings.COWRITE_MAX_DOCUMENT_LENGTH,
    )


def commit_batches(batches: dict[object, list[Submission]]) -> dict:
    """Commit ops for several documents in one transaction (the WebSocket path)."""
    return commit_many(DatabaseOpStore(), batches, ordering_policy())


def commit(document_id, *, base_rev: int, ops: list, cid: str, author, session: str):
    """Commit one op through the ordering service on the database; return the CommitResult."""
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


def committed_message(announced: list[tuple[CommittedOp, str | None]]) -> dict:
    """Return the one group message announcing newly committed ops, each frame encoded once."""
    frames = []
    for op, author_name in announced:
        author = None if op.author_id is None else {"id": op.author_id, "name": author_name}
        payload = protocol.op_payload(
            rev=op.rev, ops=op.ops, cid=op.cid, session=op.session or None, author=author
        )
        frames.append([op.rev, protocol.encode(payload)])
    return {"type": "ops.committed", "ops": frames}


async def announce_batch(document_id, submissions: list[Submission], outcomes: list[Outcome]):
    """Broadcast a batch's new revisions, in revision order, as one group message."""
    announced = [
        (outcome.op, submission.author_name)
        for submission, outcome in zip(submissions, outcomes, strict=True)
        if isinstance(outcome, CommitResult) and not outcome.duplicate
    ]
    if announced:
        await get_channel_layer().group_send(group_name(document_id), committed_message(announced))


def follow_committed(document_id, frames: list) -> None:
    """Bring this process's cached copy of the document up to the broadcast revisions.

    Scaled out, a commit by another process left the cache here behind, and
    the next commit here paid for it with the locked path (five round trips,
    measured: two processes did less than one). Each process decodes a
    broadcast at most once: the first of its consumers to see it catches up.
    """
    cached = content_cache.peek(document_id)
    if cached is None:
        return
    newer = [frame for rev, frame in frames if rev > cached.rev]
    if not newer:
        return
    try:
        content_cache.follow(document_id, [committed_from_frame(frame) for frame in newer])
    except Exception:
        # The cache is an optimisation: whatever went wrong, forget the document
        # (the next commit reads it) and let the consumer deliver the frames.
        logger.exception("Could not follow a broadcast of document %s", document_id)
        content_cache.discard(document_id)


def committed_from_frame(frame: str) -> CommittedOp:
    payload = orjson.loads(frame)
    author = payload["author"]
    return CommittedOp(
        payload["rev"],
        payload["ops"],
        payload["cid"],
        payload["session"] or "",
        None if author is None else author["id"],
    )


@functools.cache
def committer() -> Committer:
    """Return the process's committer: it batches every op the process's sockets send.

    On PostgreSQL its batches run in the event loop (docs_app.async_commit),
    up to COWRITE_COMMIT_CONCURRENCY at once: batches never share a document.
    SQLite has one writer and no async driver: one batch at a time, on a thread.
    """
    if connection.vendor == "postgresql":
        from docs_app.async_commit import acommit_many

        async def commit_on_postgres(batches):
            return await acommit_many(batches, ordering_policy())

        concurrency = settings.COWRITE_COMMIT_CONCURRENCY
        return Committer(commit_on_postgres, announce_batch, max_concurrent=concurrency)
    run = database_sync_to_async(commit_batches, thread_sensitive=False, executor=commit_executor())
    return Committer(run, announce_batch)


@functools.cache
def commit_executor() -> ThreadPoolExecutor:
    """Return the thread SQLite's batches are committed on (off the event loop)."""
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="cowrite-commit")


def submit_op(document_id, *, base_rev: int, ops: list, cid: str, author, session: str = ""):
    """Commit an op from a synchronous caller (REST, admin) and broadcast it to live editors."""
    result = commit(
        document_id, base_rev=base_rev, ops=ops, cid=cid, author=author, session=session
    )
    if not result.duplicate:
        broadcast(document_id, committed_message([(result.op, username(author))]))
    return result


def username(user) -> str | None:
    return None if user is None else user.get_username()


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
        broadcast(document_id, committed_message([(result.op, username(author))]))
    return result


def announce_title(document_id, title: str) -> None:
    broadcast(document_id, {"type": "document.meta", "title": title})


def announce_deleted(document_id) -> None:
    """Close the document's sockets (4404); call after the deletion is committed."""
    broadcast(document_id, {"type": "document.deleted"})


def announce_access_changed(document_id, user_id: int) -> None:
    """Make the user's open sockets re-read their role; a removed user's close with 4403."""
    broadcast(document_id, {"type": "access.changed", "user_id": user_id})
