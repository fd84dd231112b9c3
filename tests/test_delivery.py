"""OpSequencer: every committed op once, in revision order, the own ack in its place.

Frames are tuples here, ("op", rev) or ("ack", rev), so a story can say what went out.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from editor.delivery import OpSequencer, SequencerOverflow


def op(rev):
    return ("op", rev)


def ack(rev):
    return ("ack", rev)


def offer_ops(sequencer, *revs):
    delivered = []
    for rev in revs:
        delivered += sequencer.offer_op(rev, op(rev))
    return delivered


def fill_from_storage(sequencer, storage):
    """Do what the consumer does: read each reported gap from storage and offer it."""
    delivered = []
    while (gap := sequencer.gap()) is not None:
        first, last = gap
        for rev in range(first, last + 1):
            delivered += sequencer.offer_op(rev, storage[rev])
    return delivered


def test_in_order_ops_go_out_at_once():
    sequencer = OpSequencer(1)
    assert sequencer.offer_op(1, op(1)) == [op(1)]
    assert sequencer.offer_op(2, op(2)) == [op(2)]
    assert sequencer.next_rev == 3
    assert sequencer.delivered_rev == 2
    assert sequencer.gap() is None


def test_out_of_order_ops_wait_for_the_missing_one():
    sequencer = OpSequencer(1)
    assert offer_ops(sequencer, 3, 2) == []
    assert sequencer.gap() == (1, 1)
    assert sequencer.offer_op(1, op(1)) == [op(1), op(2), op(3)]
    assert sequencer.gap() is None


def test_duplicates_go_out_once():
    sequencer = OpSequencer(1)
    assert offer_ops(sequencer, 1, 1, 3, 3) == [op(1)]
    assert sequencer.held_count == 1
    assert offer_ops(sequencer, 2, 2, 3, 1) == [op(2), op(3)]


def test_a_lost_broadcast_is_filled_from_storage():
    storage = {rev: op(rev) for rev in range(1, 6)}
    sequencer = OpSequencer(1)
    assert offer_ops(sequencer, 1, 4, 5) == [op(1)]  # 2 and 3 never come
    assert sequencer.gap() == (2, 3)
    assert fill_from_storage(sequencer, storage) == [op(2), op(3), op(4), op(5)]


def test_gap_covers_holes_between_held_frames_and_skips_held_tail():
    sequencer = OpSequencer(3)
    offer_ops(sequencer, 5, 8, 9)
    assert sequencer.gap() == (3, 7)


def test_gap_reports_committed_revisions_no_frame_announced():
    sequencer = OpSequencer(1)
    sequencer.offer_op(1, op(1))
    sequencer.note_committed(3)  # the broadcasts of 2 and 3 were lost: nothing later came
    assert sequencer.gap() == (2, 3)
    sequencer.note_committed(2)
    assert sequencer.gap() == (2, 3)


def test_own_ack_waits_for_earlier_ops_then_goes_out_in_their_order():
    sequencer = OpSequencer(1)
    assert sequencer.offer_ack(3, ack(3)) == []
    assert sequencer.gap() == (1, 2)
    assert sequencer.offer_op(2, op(2)) == []
    assert sequencer.offer_op(4, op(4)) == []
    assert sequencer.offer_op(1, op(1)) == [op(1), op(2), ack(3), op(4)]


def test_own_op_echoed_after_its_ack_is_dropped():
    sequencer = OpSequencer(1)
    assert sequencer.offer_ack(1, ack(1)) == [ack(1)]
    assert sequencer.offer_op(1, op(1)) == []
    assert sequencer.delivered_rev == 1


def test_own_op_echo_held_before_its_ack_is_replaced_by_the_ack():
    sequencer = OpSequencer(1)
    assert offer_ops(sequencer, 2) == []  # our own op, broadcast before the consumer offers the ack
    assert sequencer.offer_ack(2, ack(2)) == []
    assert offer_ops(sequencer, 2) == []  # a later duplicate echo does not displace the ack
    assert sequencer.offer_op(1, op(1)) == [op(1), ack(2)]


def test_ack_for_a_revision_already_delivered_goes_out_at_once():
    # A resent cid committed before a re-sync is acked with its original rev.
    sequencer = OpSequencer(6)
    assert sequencer.offer_ack(4, ack(4)) == [ack(4)]
    assert sequencer.next_rev == 6


def test_reset_drops_held_ops_below_it_keeps_acks_and_later_frames():
    sequencer = OpSequencer(1)
    offer_ops(sequencer, 2, 6)
    sequencer.offer_ack(3, ack(3))
    assert sequencer.reset(5) == [ack(3)]
    assert sequencer.next_rev == 5
    assert sequencer.gap() == (5, 5)
    assert sequencer.offer_op(5, op(5)) == [op(5), op(6)]


def test_reset_delivers_what_became_next():
    sequencer = OpSequencer(1)
    offer_ops(sequencer, 4, 5)
    assert sequencer.reset(4) == [op(4), op(5)]
    assert sequencer.gap() is None


def test_holding_too_many_frames_asks_for_a_resync():
    sequencer = OpSequencer(1, max_held=3)
    offer_ops(sequencer, 2, 3, 4)
    with pytest.raises(SequencerOverflow) as raised:
        sequencer.offer_op(5, op(5))
    assert raised.value.code == "resync_needed"
    assert sequencer.held_count == 3
    # The next revision is never refused: it shrinks what is held.
    assert sequencer.offer_op(1, op(1)) == [op(1), op(2), op(3), op(4)]


class LossyDocument:
    """A document being committed to while its broadcasts are shuffled, duplicated or lost."""

    def __init__(self, count, own):
        self.count, self.own = count, own
        self.storage = {rev: op(rev) for rev in range(1, count + 1)}
        self.sequencer = OpSequencer(1)
        self.committed = 0
        self.in_flight = []  # broadcasts on their way through the channel layer
        self.delivered = []

    def commit(self, _pick):
        if self.committed == self.count:
            return
        self.committed += 1
        if self.committed in self.own:  # the consumer offers the ack as its commit returns
            self.delivered += self.sequencer.offer_ack(self.committed, ack(self.committed))
        self.in_flight.append(self.committed)

    def arrive(self, pick, *, leave_duplicate=False):
        if self.in_flight:
            index = pick % len(self.in_flight)
            rev = self.in_flight[index] if leave_duplicate else self.in_flight.pop(index)
            self.delivered += self.sequencer.offer_op(rev, op(rev))

    def lose(self, pick):
        if self.in_flight:
            self.in_flight.pop(pick % len(self.in_flight))

    def fill(self, _pick):
        self.delivered += fill_from_storage(self.sequencer, self.storage)

    def finish(self):
        """Commit the rest (their broadcasts lost), then catch up as a head check would."""
        while self.committed < self.count:
            self.commit(0)
            self.in_flight.pop()
        self.sequencer.note_committed(self.count)
        self.fill(0)


STEPS = {
    "commit": LossyDocument.commit,
    "arrive": LossyDocument.arrive,
    "arrive_twice": lambda document, pick: document.arrive(pick, leave_duplicate=True),
    "lose": LossyDocument.lose,
    "fill": LossyDocument.fill,
}


@settings(max_examples=300, deadline=None)
@given(
    count=st.integers(1, 25),
    data=st.data(),
    steps=st.lists(st.tuples(st.sampled_from(sorted(STEPS)), st.integers(0, 100)), max_size=120),
)
def test_any_interleaving_delivers_each_revision_once_in_order_with_acks_in_place(
    count, data, steps
):
    own = data.draw(st.sets(st.integers(1, count)))
    document = LossyDocument(count, own)
    for name, pick in steps:
        STEPS[name](document, pick)
    document.finish()
    assert document.delivered == [
        ack(rev) if rev in own else op(rev) for rev in range(1, count + 1)
    ]
    assert document.sequencer.held_count == 0
