"""The operation-ordering service: one function that turns a client's op into a revision.

Pure: it speaks to storage through the small `OpStore` interface, so the same
algorithm runs on the in-memory store in tests and on the database in
production (`docs_app.op_store`), and the same contract tests cover both.
"""

from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Protocol

from editor import errors, ot


@dataclass(frozen=True)
class CommittedOp:
    """A revision as stored: `ops` turned revision `rev - 1` into `rev`."""

    rev: int
    ops: list
    cid: str
    session: str = ""
    author_id: int | None = None


@dataclass(frozen=True)
class CommitResult:
    op: CommittedOp
    duplicate: bool  # the cid was committed before; nothing new was written


class LockedDocument(Protocol):
    """A document held exclusively for one commit (a row lock or a write transaction)."""

    rev: int

    def content(self) -> list: ...

    def find_cid(self, cid: str) -> CommittedOp | None: ...

    def ops_after(self, rev: int) -> list[CommittedOp]: ...

    def content_at(self, rev: int) -> list: ...

    def append(self, op: CommittedOp, content: list, *, snapshot: bool) -> None: ...


class OpStore(Protocol):
    def lock(self, document_id) -> AbstractContextManager[LockedDocument]:
        """Hold the document for one commit; raise DocumentNotFound or Unavailable."""
        ...


@dataclass(frozen=True)
class OrderingPolicy:
    snapshot_every: int = 100  # revisions between snapshots
    max_transform: int = 10_000  # how far behind a base revision may be
    max_length: int = 5_000_000  # UTF-16 units a document may grow to


DEFAULT_POLICY = OrderingPolicy()


def commit_op(
    store: OpStore,
    *,
    document_id,
    base_rev: int,
    ops: list,
    cid: str,
    author_id: int | None,
    session: str,
    policy: OrderingPolicy = DEFAULT_POLICY,
) -> CommitResult:
    """Commit `ops`, made against `base_rev`, as the document's next revision.

    Idempotent on `cid`: a resubmitted op returns its original revision.
    """
    with store.lock(document_id) as document:
        previous = document.find_cid(cid)
        if previous is not None:
            return CommitResult(previous, duplicate=True)
        op = commit_locked(document, base_rev, ops, cid, author_id, session, policy)
        return CommitResult(op, duplicate=False)


def restore_revision(
    store: OpStore,
    *,
    document_id,
    rev: int,
    cid: str,
    author_id: int | None,
    session: str,
    policy: OrderingPolicy = DEFAULT_POLICY,
) -> CommitResult:
    """Commit a new revision whose content equals revision `rev`'s; history is kept.

    The op is computed under the same lock that commits it, so no concurrent
    edit can slip between the diff and the commit.
    """
    with store.lock(document_id) as document:
        previous = document.find_cid(cid)
        if previous is not None:
            return CommitResult(previous, duplicate=True)
        if not 0 <= rev <= document.rev:
            raise errors.BadRev(
                f"Revision {rev} does not exist (the document is at {document.rev})."
            )
        ops = ot.diff(document.content(), document.content_at(rev))
        op = commit_locked(document, document.rev, ops, cid, author_id, session, policy)
        return CommitResult(op, duplicate=False)


def commit_locked(document, base_rev, ops, cid, author_id, session, policy) -> CommittedOp:
    """Transform, apply and append one op to a document already held by `store.lock`."""
    check_base_rev(base_rev, document.rev, policy)
    concurrent = document.ops_after(base_rev)
    content = document.content()
    ot_validate(ops, base_length(content, concurrent), cid)
    transformed = transform_over(ops, concurrent)
    new_content = ot_apply(content, transformed, cid)
    if ot.length(new_content) > policy.max_length:
        raise errors.TooLarge(f"The document would exceed {policy.max_length} characters.", cid=cid)
    op = CommittedOp(document.rev + 1, transformed, cid, session, author_id)
    document.append(op, new_content, snapshot=op.rev % policy.snapshot_every == 0)
    return op


def check_base_rev(base_rev: int, current_rev: int, policy: OrderingPolicy) -> None:
    if base_rev > current_rev:
        raise errors.BadRev(f"Revision {base_rev} is ahead of the document (at {current_rev}).")
    if base_rev < 0 or current_rev - base_rev > policy.max_transform:
        raise errors.BadRev(
            f"Revision {base_rev} is too old: the server transforms over at most "
            f"{policy.max_transform} revisions (the document is at {current_rev}). Resync."
        )


def base_length(content: list, concurrent: list[CommittedOp]) -> int:
    """Return the document's length at the op's base revision, from the current one."""
    return ot.length(content) - sum(ot.change_length(op.ops) for op in concurrent)


def transform_over(ops: list, concurrent: list[CommittedOp]) -> list:
    # Committed ops happened first: they win ties (priority=True).
    for committed in concurrent:
        ops = ot.transform(committed.ops, ops, True)
    return ops


def ot_validate(ops: list, length: int, cid: str) -> None:
    try:
        ot.validate(ops, length)
    except ot.InvalidOp as error:
        raise errors.InvalidOp(error.message, cid=cid) from None


def ot_apply(content: list, ops: list, cid: str) -> list:
    try:
        return ot.apply(content, ops)
    except ot.InvalidOp as error:
        raise errors.InvalidOp(error.message, cid=cid) from None
