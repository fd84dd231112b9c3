"""CollabState: convergence stories against an in-memory dummy server.

The dummy server is the central authority of PROTOCOL.md in a few lines: a log
of committed ops, each new op transformed over the ops since its revision,
idempotent on cid. The network between them is a FIFO queue per direction per
client, which the stories (and hypothesis) drain in any interleaving.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from editor import ot
from tests.reference_client import CollabState, NotSynced, ProtocolViolation, plain_text

NEW_DOCUMENT = [{"insert": "\n"}]


class DummyServer:
    def __init__(self):
        self.document = NEW_DOCUMENT
        self.log = []  # committed op frames: {"rev", "ops", "cid"}
        self.rev_of_cid = {}

    @property
    def rev(self):
        return len(self.log)

    def receive(self, rev, cid, ops):
        """Commit an op made against `rev`; return (committed entry, whether it is new)."""
        if cid in self.rev_of_cid:
            return self.log[self.rev_of_cid[cid] - 1], False
        for entry in self.log[rev:]:
            ops = ot.transform(entry["ops"], ops, True)  # the committed op came first
        self.document = ot.apply(self.document, ops)
        entry = {"rev": self.rev + 1, "ops": ops, "cid": cid}
        self.log.append(entry)
        self.rev_of_cid[cid] = entry["rev"]
        return entry, True

    def ops_after(self, rev):
        return self.log[rev:]


class Network:
    """Clients of one dummy server, with what is on the wire in each direction."""

    def __init__(self, server, *names):
        self.server = server
        self.clients = {name: CollabState(name) for name in names}
        self.to_server = {name: [] for name in names}
        self.to_client = {name: [] for name in names}
        self.connected = set()
        for name, client in self.clients.items():
            client.on_welcome(server.rev, content=server.document)
            self.connected.add(name)

    def type(self, name, ops):
        self.clients[name].local_edit(ops)
        self.send(name)

    def send(self, name):
        outgoing = self.clients[name].next_op_to_send() if name in self.connected else None
        if outgoing is not None:
            self.to_server[name].append(outgoing)

    def deliver_to_server(self, name):
        entry, is_new = self.server.receive(*self.to_server[name].pop(0))
        self.to_client[name].append({"type": "ack", "cid": entry["cid"], "rev": entry["rev"]})
        if is_new:
            for other in self.connected - {name}:
                self.to_client[other].append({"type": "op", **entry})

    def deliver_to_client(self, name):
        frame = self.to_client[name].pop(0)
        client = self.clients[name]
        if frame["type"] == "ack":
            client.on_ack(frame["cid"], frame["rev"])
        else:
            client.on_remote_op(frame["rev"], frame["ops"], frame["cid"])
        self.send(name)

    def drop(self, name):
        """Lose the connection and everything on the wire to and from this client."""
        self.connected.discard(name)
        self.to_server[name].clear()
        self.to_client[name].clear()

    def reconnect(self, name):
        """Welcome the client back with the ops it missed; return the cid that acked."""
        client = self.clients[name]
        acked_cid = client.on_welcome(self.server.rev, ops=self.server.ops_after(client.rev))
        self.connected.add(name)
        self.send(name)
        return acked_cid

    def settle(self):
        for name in self.clients:
            if name not in self.connected:
                self.reconnect(name)
        while any(self.to_server.values()) or any(self.to_client.values()):
            for name in self.clients:
                while self.to_server[name]:
                    self.deliver_to_server(name)
                if self.to_client[name]:
                    self.deliver_to_client(name)

    def assert_converged(self):
        for client in self.clients.values():
            assert client.is_synchronized
            assert client.rev == self.server.rev
            assert client.document == self.server.document


def insert(index, text, attributes=None):
    op = {"insert": text, "attributes": attributes} if attributes else {"insert": text}
    return [{"retain": index}, op] if index else [op]


def test_two_clients_typing_at_the_same_place_converge_in_server_order():
    network = Network(DummyServer(), "a", "b")
    network.type("a", insert(0, "A"))
    network.type("b", insert(0, "B"))
    network.deliver_to_server("a")
    network.deliver_to_server("b")
    network.settle()
    network.assert_converged()
    assert plain_text(network.server.document) == "AB\n"


def test_remote_op_moves_past_in_flight_and_buffered_edits():
    network = Network(DummyServer(), "a", "b")
    network.type("a", insert(0, "hello"))
    network.settle()
    network.type("a", insert(5, "!"))  # in flight
    network.type("a", insert(0, ">"))  # buffered
    network.type("b", [{"retain": 5}, {"insert": " world"}])
    network.deliver_to_server("b")
    network.deliver_to_client("a")  # b's op arrives while a has both kinds of pending edits
    assert plain_text(network.clients["a"].document) == ">hello world!\n"
    network.settle()
    network.assert_converged()


def test_edits_made_while_an_op_is_in_flight_are_sent_as_one_op_after_its_ack():
    network = Network(DummyServer(), "a")
    network.type("a", insert(0, "a"))
    network.type("a", insert(1, "b"))
    network.type("a", [{"retain": 1, "attributes": {"bold": True}}, {"retain": 1}, {"insert": "c"}])
    client = network.clients["a"]
    assert client.inflight.ops == insert(0, "a")
    assert client.buffer == [{"retain": 1, "attributes": {"bold": True}}, {"insert": "bc"}]
    assert network.to_server["a"] == [(0, "a-1", insert(0, "a"))]  # one op in flight at most
    network.deliver_to_server("a")
    network.deliver_to_client("a")
    assert network.to_server["a"] == [(1, "a-2", client.inflight.ops)]
    network.settle()
    network.assert_converged()
    assert len(network.server.log) == 2


def test_reconnect_after_the_in_flight_op_was_committed_takes_the_catch_up_as_its_ack():
    network = Network(DummyServer(), "a", "b")
    network.type("a", insert(0, "x"))
    network.deliver_to_server("a")  # committed as revision 1 ...
    network.drop("a")  # ... but the ack is lost
    network.type("a", insert(1, "z"))  # typed offline, buffered
    network.type("b", insert(0, "y"))
    network.deliver_to_server("b")
    assert network.reconnect("a") == "a-1"
    assert network.to_server["a"] == [(2, "a-2", insert(2, "z"))]
    network.settle()
    network.assert_converged()
    assert [entry["cid"] for entry in network.server.log] == ["a-1", "b-1", "a-2"]


def test_reconnect_before_the_in_flight_op_arrived_resends_it_with_the_same_cid():
    network = Network(DummyServer(), "a", "b")
    network.type("a", insert(0, "x"))
    network.drop("a")  # the op never reached the server
    network.type("b", insert(0, "y"))
    network.deliver_to_server("b")
    network.reconnect("a")
    assert network.to_server["a"] == [(1, "a-1", [{"retain": 1}, {"insert": "x"}])]
    network.settle()
    network.assert_converged()
    assert plain_text(network.server.document) == "yx\n"


def test_a_resent_cid_already_committed_is_acked_once_and_not_applied_twice():
    network = Network(DummyServer(), "a", "b")
    network.type("a", insert(0, "x"))
    resent = network.to_server["a"][0]
    network.deliver_to_server("a")
    network.to_server["a"].append(resent)  # the same cid arrives again
    network.deliver_to_server("a")
    assert network.to_client["a"] == [{"type": "ack", "cid": "a-1", "rev": 1}] * 2
    network.deliver_to_client("a")
    assert network.clients["a"].is_synchronized
    assert network.clients["a"].on_ack("a-1", 1) is False  # the second ack is stale
    network.settle()
    network.assert_converged()
    assert plain_text(network.server.document) == "x\n"
    assert len(network.server.log) == 1


def test_our_own_op_announced_as_an_op_is_its_ack():
    client = CollabState("a")
    client.on_welcome(0, content=NEW_DOCUMENT)
    client.local_edit(insert(0, "x"))
    _rev, cid, ops = client.next_op_to_send()
    assert client.on_remote_op(1, ops, cid) is True
    assert client.is_synchronized
    assert client.document == [{"insert": "x\n"}]


def test_a_gap_or_a_duplicate_from_the_server_is_a_violation_that_changes_nothing():
    client = CollabState("a")
    client.on_welcome(3, content=NEW_DOCUMENT)
    with pytest.raises(ProtocolViolation):
        client.on_remote_op(5, insert(0, "x"))
    with pytest.raises(ProtocolViolation):
        client.on_remote_op(3, insert(0, "x"))
    with pytest.raises(ProtocolViolation):
        client.on_welcome(5, ops=[])
    assert client.rev == 3
    assert client.document == NEW_DOCUMENT


def test_an_op_that_does_not_apply_changes_nothing():
    client = CollabState("a")
    client.on_welcome(0, content=NEW_DOCUMENT)
    client.local_edit(insert(0, "x"))
    with pytest.raises(ot.InvalidOp):
        client.on_remote_op(1, [{"retain": 9}, {"insert": "y"}])
    assert (client.rev, client.document) == (0, [{"insert": "x\n"}])
    assert client.inflight is None
    assert client.buffer == insert(0, "x")


def test_editing_before_the_first_welcome_is_refused():
    with pytest.raises(NotSynced):
        CollabState("a").local_edit(insert(0, "x"))


def test_a_snapshot_welcome_drops_pending_edits_and_counts_them():
    client = CollabState("a")
    client.on_welcome(0, content=NEW_DOCUMENT)
    client.local_edit(insert(0, "x"))
    client.on_welcome(4, content=[{"insert": "abcd\n"}])
    assert client.is_synchronized
    assert client.edits_discarded == 1
    assert (client.rev, plain_text(client.document)) == (4, "abcd\n")


def test_an_edit_that_cancels_out_leaves_nothing_to_send():
    client = CollabState("a")
    client.on_welcome(0, content=NEW_DOCUMENT)
    client.local_edit(insert(0, "x"))
    client.local_edit([{"delete": 1}])
    assert client.is_synchronized
    assert client.next_op_to_send() is None


FORMATS = [{"bold": True}, {"italic": True}, {"bold": None}, {"link": "https://a.example/"}]


@st.composite
def random_edits(draw, document):
    """An insert, delete or format that keeps the final newline of `document`."""
    text_length = ot.length(document) - 1
    kind = draw(st.sampled_from(["insert", "delete", "format"] if text_length else ["insert"]))
    start = draw(st.integers(0, text_length if kind == "insert" else text_length - 1))
    prefix = [{"retain": start}] if start else []
    if kind == "insert":
        text = draw(st.text("abé ", min_size=1, max_size=3))
        attributes = draw(st.sampled_from([None, *FORMATS[:2]]))
        return insert(start, text, attributes)
    count = draw(st.integers(1, text_length - start))
    if kind == "delete":
        return [*prefix, {"delete": count}]
    return [*prefix, {"retain": count, "attributes": draw(st.sampled_from(FORMATS))}]


STEPS = ["type", "type", "to_server", "to_client", "to_client", "drop", "reconnect"]


@settings(max_examples=150, deadline=None)
@given(
    names=st.sampled_from([("a", "b"), ("a", "b", "c")]),
    steps=st.lists(st.tuples(st.sampled_from(STEPS), st.integers(0, 2)), max_size=50),
    data=st.data(),
)
def test_random_interleavings_converge_to_the_server_document(names, steps, data):
    network = Network(DummyServer(), *names)
    for step, pick in steps:
        name = names[pick % len(names)]
        if step == "type":
            network.type(name, data.draw(random_edits(network.clients[name].document)))
        elif step == "to_server" and network.to_server[name]:
            network.deliver_to_server(name)
        elif step == "to_client" and network.to_client[name]:
            network.deliver_to_client(name)
        elif step == "drop":
            network.drop(name)
        elif step == "reconnect" and name not in network.connected:
            network.reconnect(name)
    network.settle()
    network.assert_converged()
    assert sorted(network.server.rev_of_cid.values()) == list(range(1, network.server.rev + 1))
