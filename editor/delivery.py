"""Deliver a document's committed ops to one connection in revision order, each once.

PROTOCOL.md promises each client every committed op exactly once, in revision
order, with no gaps, and the `ack` of its own op at revision k after every op
below k and before any op above k. Group broadcasts are only a hint (the
channel layer is at-most-once and processes race), so a connection holds what
arrives early, drops what it already delivered, and reports the revisions it is
missing so the consumer can read them from storage. This module is that
bookkeeping and nothing else: no Django, no Channels, no I/O.
"""

from dataclasses import dataclass
from typing import Generic, TypeVar

Frame = TypeVar("Frame")

DEFAULT_MAX_HELD = 1000


class SequencerOverflow(Exception):
    """Too many frames are held waiting for a gap to fill; the connection must re-sync.

    Internal: the consumer answers it by re-synchronising the client (a fresh
    welcome, then `reset`), never by holding more.
    """

    code = "resync_needed"

    def __init__(self, held: int, next_rev: int) -> None:
        super().__init__(f"{held} frames are held while revision {next_rev} is missing.")
        self.held = held
        self.next_rev = next_rev


@dataclass(frozen=True)
class _Held(Generic[Frame]):
    frame: Frame
    is_ack: bool


class OpSequencer(Generic[Frame]):
    """Order one connection's outgoing op and ack frames by revision.

    `frame` is opaque (the consumer passes the encoded JSON text it will send).
    Every `offer_*` method returns the frames that are now deliverable, in the
    order they must be sent, and may return an empty list.
    """

    def __init__(self, next_rev: int, *, max_held: int = DEFAULT_MAX_HELD) -> None:
        self._next_rev = next_rev
        self._max_held = max_held
        self._held: dict[int, _Held[Frame]] = {}
        self._known_head = next_rev - 1

    @property
    def next_rev(self) -> int:
        """Return the revision whose frame goes out next."""
        return self._next_rev

    @property
    def delivered_rev(self) -> int:
        """Return the last revision delivered (the client's revision once it has read it all)."""
        return self._next_rev - 1

    @property
    def held_count(self) -> int:
        """Return how many frames wait for a missing revision."""
        return len(self._held)

    def offer_op(self, rev: int, frame: Frame) -> list[Frame]:
        """Take a committed op (a broadcast or a storage read) and return what is deliverable.

        A revision already delivered or already held is a duplicate and is dropped;
        in particular this connection's own op, once acked, never goes out as an op.
        """
        if rev < self._next_rev or rev in self._held:
            return []
        return self._hold(rev, _Held(frame, is_ack=False))

    def offer_ack(self, rev: int, frame: Frame) -> list[Frame]:
        """Take the ack of this connection's own op, committed as `rev`; return what is deliverable.

        The ack takes the place of the op at `rev`, replacing its broadcast if
        that is already held. An ack below `next_rev` is for an op the client
        already has (a resent cid committed before a re-sync, PROTOCOL.md: acked
        with its original rev): it goes out at once, since only the ack tells
        the client its op is in.
        """
        if rev < self._next_rev:
            return [frame]
        return self._hold(rev, _Held(frame, is_ack=True))

    def note_committed(self, rev: int) -> None:
        """Record that revisions up to `rev` are committed, so `gap()` covers them.

        Without it a lost broadcast of the newest op stays unnoticed until a
        later frame arrives; the consumer calls this when it learns the head
        revision (its own commit, a storage read, a periodic check).
        """
        self._known_head = max(self._known_head, rev)

    def gap(self) -> tuple[int, int] | None:
        """Return the inclusive range of missing revisions to read from storage, or None.

        The range runs from `next_rev` to the last revision that is neither
        held nor delivered below the highest revision known to exist; offering
        a revision of the range that is already held again is harmless.
        """
        highest = max(self._known_head, max(self._held, default=self._next_rev - 1))
        last_missing = highest
        while last_missing in self._held:
            last_missing -= 1
        if last_missing < self._next_rev:
            return None
        return (self._next_rev, last_missing)

    def reset(self, next_rev: int) -> list[Frame]:
        """Restart at `next_rev` after a re-sync (a fresh welcome); return what is deliverable.

        Held ops below `next_rev` are in the client's new snapshot and are
        dropped; held acks below it still go out, because the client's pending
        op is in that snapshot and only the ack tells it so.
        """
        late_acks = [
            held.frame for rev, held in sorted(self._held.items()) if rev < next_rev and held.is_ack
        ]
        self._held = {rev: held for rev, held in self._held.items() if rev >= next_rev}
        self._next_rev = next_rev
        self._known_head = max(self._known_head, next_rev - 1)
        return late_acks + self._drain()

    def _hold(self, rev: int, held: _Held[Frame]) -> list[Frame]:
        if rev != self._next_rev and len(self._held) >= self._max_held:
            raise SequencerOverflow(len(self._held), self._next_rev)
        self._held[rev] = held
        return self._drain()

    def _drain(self) -> list[Frame]:
        deliverable = []
        while self._next_rev in self._held:
            deliverable.append(self._held.pop(self._next_rev).frame)
            self._next_rev += 1
        return deliverable
