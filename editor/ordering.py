"""The operation-ordering service: one function that turns clients' ops into revisions.

Pure: it speaks to storage through the small `OpStore` interface, so the same
algorithm runs on the in-memory store in tests and on the database in
production (`docs_app.op_store`), and the same contract tests cover both.

Ops that arrive together for one document are committed as a batch in one
transaction (one lock, one fsync); each keeps its own outcome, so one bad op
never affects the others.
"""

from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
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
class Submission:
    """An op a client made against `base_rev`."""

    base_rev: int
    ops: list
    cid: str
    author_id: int | None = None
    session: str = ""
    author_name: str | None = None  # for announcing it; not stored


@dataclass(frozen=True)
class CommitResult:
    op: CommittedOp
    duplicate: bool  # the cid was committed before; nothing new was written


Outcome = CommitResult | errors.ProtocolError


class LockedDocument(Protocol):
    """A document held exclusively for one commit (a row lock or a write transaction)."""

    rev: int

    def content(self) -> list: ...

    def log_since(self, rev: int, cids: list[str]) -> tuple[list[CommittedOp], dict]:
        """Return the ops after `rev` in order, and the committed ops with any of `cids`.

        One call, so a database store can answer with one query.
        """
        ...

    def content_at(self, rev: int) -> list: ...

    def append(self, ops: list[CommittedOp], content: list, snapshots: list) -> None:
        """Store the new revisions, the new content, and (rev, content) snapshots."""
        ...


class OpStore(Protocol):
    def lock(self, document_id) -> AbstractContextManager[LockedDocument]:
        """Hold the document for one commit; raise DocumentNotFound or Unavailable."""
        ...

    def transaction(self) -> AbstractContextManager[None]:
        """Group several documents' commits into one (raise Unavailable if it fails)."""
        ...


@dataclass(frozen=True)
class OrderingPolicy:
    snapshot_every: int = 100  # revisions between snapshots
    max_transform: int = 10_000  # how far behind a base revision may be
    max_length: int = 5_000_000  # UTF-16 units a document may grow to


DEFAULT_POLICY = OrderingPolicy()


def commit_ops(
    store: OpStore, document_id, submissions: list[Submission], policy: OrderingPolicy
) -> list[Outcome]:
    """Commit each submission, in order, as the document's next revision; one transaction.

    Idempotent on `cid`: a resubmitted op returns its original revision.
    """
    with store.lock(document_id) as document:
        batch = Batch(document, policy, submissions)
        outcomes = [batch.commit(submission) for submission in submissions]
        if batch.appended:
            document.append(batch.appended, batch.content, batch.snapshots)
        return outcomes


def commit_many(
    store: OpStore, batches: dict, policy: OrderingPolicy
) -> dict[object, list[Outcome] | errors.ProtocolError]:
    """Commit batches for several documents in one transaction; return each one's outcomes.

    Documents are locked in a fixed order, so two processes committing
    overlapping sets cannot deadlock. A document that fails (it was deleted,
    say) fails alone, with one error for the whole of its batch.
    """
    if len(batches) == 1:  # no need for a transaction around the one document's own
        return {doc: commit_or_error(store, doc, subs, policy) for doc, subs in batches.items()}
    with store.transaction():
        return {
            document_id: commit_or_error(store, document_id, batches[document_id], policy)
            for document_id in sorted(batches, key=str)
        }


def commit_or_error(
    store, document_id, submissions, policy
) -> list[Outcome] | errors.ProtocolError:
    try:
        return commit_ops(store, document_id, submissions, policy)
    except errors.ProtocolError as error:
        return error


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
    """Commit one op; raise its error instead of returning it."""
    submission = Submission(base_rev, ops, cid, author_id, session)
    (outcome,) = commit_ops(store, document_id, [submission], policy)
    if isinstance(outcome, errors.ProtocolError):
        raise outcome
    return outcome


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
        restore = Submission(document.rev, [], cid, author_id, session)
        batch = Batch(document, policy, [restore])
        if cid in batch.previous:
            return CommitResult(batch.previous[cid], duplicate=True)
        if not 0 <= rev <= document.rev:
            raise errors.BadRev(
                f"Revision {rev} does not exist (the document is at {document.rev})."
            )
        ops = ot.diff(document.content(), document.content_at(rev))
        outcome = batch.commit(replace(restore, ops=ops))
        if isinstance(outcome, errors.ProtocolError):
            raise outcome
        if batch.appended:
            document.append(batch.appended, batch.content, batch.snapshots)
        return outcome


@dataclass
class Batch:
    """The ops of one transaction: what is committed so far, and the content it leads to."""

    document: LockedDocument
    policy: OrderingPolicy
    submissions: list[Submission]
    appended: list[CommittedOp] = field(default_factory=list)
    snapshots: list[tuple[int, list]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rev = self.document.rev
        self.content = self.document.content()
        # Bases out of reach are refused (check_base_rev): no reading their history.
        bases = [
            s.base_rev for s in self.submissions if within_reach(s.base_rev, self.rev, self.policy)
        ]
        self.history_start = min(bases, default=self.rev)
        cids = [s.cid for s in self.submissions]
        self.history, self.previous = self.document.log_since(self.history_start, cids)

    def commit(self, submission: Submission) -> Outcome:
        previous = self.previous.get(submission.cid)
        if previous is not None:
            if previous.author_id != submission.author_id:
                # Otherwise anyone who guessed another editor's next cid could make
                # that editor's op be acked without ever being applied.
                return errors.BadMessage(
                    "This cid was already used by someone else; use a fresh one.",
                    cid=submission.cid,
                )
            return CommitResult(previous, duplicate=True)
        try:
            op = self.apply(submission)
        except errors.ProtocolError as error:
            return error
        self.previous[op.cid] = op
        return CommitResult(op, duplicate=False)

    def apply(self, submission: Submission) -> CommittedOp:
        check_base_rev(submission.base_rev, self.rev, self.policy)
        concurrent = self.history[submission.base_rev - self.history_start :]
        cid = submission.cid
        ot_validate(submission.ops, base_length(self.content, concurrent), cid)
        transformed = transform_over(submission.ops, concurrent)
        content = ot_apply(self.content, transformed, cid)
        if ot.length(content) > self.policy.max_length:
            raise errors.TooLarge(
                f"The document would exceed {self.policy.max_length} characters.", cid=cid
            )
        op = CommittedOp(self.rev + 1, transformed, cid, submission.session, submission.author_id)
        self.rev, self.content = op.rev, content
        self.history.append(op)
        self.appended.append(op)
        if op.rev % self.policy.snapshot_every == 0:
            self.snapshots.append((op.rev, content))
        return op


def within_reach(base_rev: int, current_rev: int, policy: OrderingPolicy) -> bool:
    """Return whether an op made at `base_rev` can be transformed to `current_rev`."""
    return 0 <= base_rev <= current_rev and current_rev - base_rev <= policy.max_transform


def check_base_rev(base_rev: int, current_rev: int, policy: OrderingPolicy) -> None:
    if base_rev > current_rev:
        raise errors.BadRev(f"Revision {base_rev} is ahead of the document (at {current_rev}).")
    if not within_reach(base_rev, current_rev, policy):
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
