"""The reference `OpStore`: documents in a dict, for tests and as the contract's model."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from editor import errors, ot
from editor.ordering import CommittedOp


@dataclass
class MemoryDocument:
    rev: int = 0
    content: list = field(default_factory=lambda: [{"insert": "\n"}])
    log: list[CommittedOp] = field(default_factory=list)
    snapshots: dict[int, list] = field(default_factory=dict)


class MemoryLockedDocument:
    def __init__(self, document: MemoryDocument) -> None:
        self._document = document
        self.rev = document.rev
        self.staged: tuple[list[CommittedOp], list, list] | None = None

    def content(self) -> list:
        return self._document.content

    def log_since(self, rev: int, cids: list[str]) -> tuple[list[CommittedOp], dict]:
        wanted = set(cids)
        previous = {op.cid: op for op in self._document.log if op.cid in wanted}
        return self._document.log[rev:], previous

    def content_at(self, rev: int) -> list:
        base = max((r for r in self._document.snapshots if r <= rev), default=0)
        content = self._document.snapshots.get(base, [{"insert": "\n"}])
        for op in self._document.log[base:rev]:
            content = ot.apply(content, op.ops)
        return content

    def append(self, ops: list[CommittedOp], content: list, snapshots: list) -> None:
        self.staged = (ops, content, snapshots)


class MemoryStore:
    def __init__(self) -> None:
        self.documents: dict = {}
        self._mutex = threading.Lock()

    def create(self, document_id) -> None:
        self.documents[document_id] = MemoryDocument()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        # Each document's commit is already all-or-nothing (see lock).
        yield

    @contextmanager
    def lock(self, document_id) -> Iterator[MemoryLockedDocument]:
        with self._mutex:
            document = self.documents.get(document_id)
            if document is None:
                raise errors.DocumentNotFound()
            locked = MemoryLockedDocument(document)
            yield locked
            # Reached only when the commit raised nothing: all or nothing, like a transaction.
            if locked.staged is not None:
                ops, content, snapshots = locked.staged
                document.log.extend(ops)
                document.rev, document.content = ops[-1].rev, content
                document.snapshots.update(snapshots)
