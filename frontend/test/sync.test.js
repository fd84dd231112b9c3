import assert from "node:assert/strict";
import { describe, test } from "node:test";

import Delta from "quill-delta";

import { CollabState, NotSynced, ProtocolViolation } from "../src/sync.js";
import { DummyServer } from "../test_support/dummy_server.js";
import { seededRandom } from "../test_support/fake_clock.js";
import { StatePeer, settle } from "../test_support/state_peer.js";

const insert = (index, text, attributes) => new Delta().retain(index).insert(text, attributes);
const remove = (index, length) => new Delta().retain(index).delete(length);

function joined(server, ...ids) {
  const peers = ids.map((id) => new StatePeer(server, id));
  for (const peer of peers) peer.connect();
  settle(peers);
  return peers;
}

function assertConverged(server, peers) {
  for (const peer of peers) {
    assert.ok(peer.state.isSynchronized, `${peer.state.clientId} still has unconfirmed edits`);
    assert.equal(peer.state.rev, server.rev);
    assert.deepEqual(peer.doc.ops, server.doc.ops, `${peer.state.clientId} diverged`);
  }
}

describe("the in-flight op and the buffer", () => {
  test("a local edit before the first welcome is refused", () => {
    assert.throws(() => new CollabState("a").localEdit(insert(0, "x")), NotSynced);
  });

  test("one op is in flight; edits typed meanwhile are composed into the buffer", () => {
    const server = new DummyServer();
    const [alice] = joined(server, "alice");
    alice.type(insert(0, "H"));
    alice.type(insert(1, "e"));
    alice.type(insert(2, "y"));
    assert.equal(alice.toServer.length, 1, "only the first edit is sent");
    assert.deepEqual(alice.toServer[0].ops, [{ insert: "H" }]);
    assert.deepEqual(alice.state.buffer.ops, [{ retain: 1 }, { insert: "ey" }]);
    alice.sendAll();
    alice.receiveAll(); // the ack sends the buffer as the next op
    assert.deepEqual(alice.toServer[0], {
      type: "op",
      rev: 1,
      cid: "alice-2",
      ops: [{ retain: 1 }, { insert: "ey" }],
    });
    settle([alice]);
    assert.equal(server.text(), "Hey\n");
    assertConverged(server, [alice]);
  });

  test("an edit undone before it was sent leaves nothing to send", () => {
    const server = new DummyServer();
    const [alice] = joined(server, "alice");
    alice.type(insert(0, "x"));
    alice.type(insert(1, "y"));
    alice.type(remove(1, 1));
    settle([alice]);
    assert.equal(server.text(), "x\n");
    assert.equal(server.rev, 1);
  });

  test("a remote op is transformed past the in-flight op and the buffer", () => {
    const server = new DummyServer([{ insert: "abc\n" }]);
    const [alice, bob] = joined(server, "alice", "bob");
    alice.type(insert(1, "1")); // in flight
    alice.sendAll();
    alice.type(insert(4, "2")); // buffered: "a1bc2"
    bob.type(insert(0, ">"));
    bob.sendAll(); // committed after alice's op, so it comes back transformed
    settle([alice, bob]);
    assert.equal(server.text(), ">a1bc2\n");
    assertConverged(server, [alice, bob]);
  });

  test("the server's op wins a tie at the same index", () => {
    const server = new DummyServer([{ insert: "ab\n" }]);
    const [alice, bob] = joined(server, "alice", "bob");
    alice.type(insert(1, "A"));
    bob.type(insert(1, "B"));
    bob.sendAll(); // bob's op is committed first
    alice.sendAll();
    settle([alice, bob]);
    assert.equal(server.text(), "aBAb\n");
    assertConverged(server, [alice, bob]);
  });

  test("two writers typing into the same paragraph converge", () => {
    const server = new DummyServer([{ insert: "Hello world\n" }]);
    const [alice, bob] = joined(server, "alice", "bob");
    for (const [i, char] of [..."ALICE"].entries()) {
      alice.type(insert(5 + i, char));
      bob.type(insert(bob.doc.length() - 1, char.toLowerCase())); // at the end, where bob's caret is
      if (i % 2) alice.sendAll();
      bob.receiveAll();
      bob.sendAll();
    }
    settle([alice, bob]);
    assert.equal(server.text(), "HelloALICE worldalice\n");
    assertConverged(server, [alice, bob]);
  });
});

describe("reconnecting", () => {
  test("an op lost on the way is resent with the same cid after the catch-up", () => {
    const server = new DummyServer([{ insert: "abc\n" }]);
    const [alice, bob] = joined(server, "alice", "bob");
    alice.type(insert(3, "!"));
    const cid = alice.toServer[0].cid;
    alice.disconnect(); // the op never reached the server
    alice.type(insert(0, "¡")); // typed while offline: buffered
    bob.type(insert(0, "x"));
    settle([bob]);
    alice.connect();
    assert.deepEqual(alice.toServer, [{ type: "sync", rev: 0 }]);
    alice.sendAll();
    alice.receiveOne(); // the welcome catches up with bob's op, then resends
    assert.equal(alice.toServer[0].cid, cid);
    assert.equal(alice.toServer[0].rev, 1);
    settle([alice, bob]);
    assert.equal(server.text(), "x¡abc!\n"); // bob's op was committed first: it wins the tie
    assertConverged(server, [alice, bob]);
  });

  test("an op committed whose ack was lost is acknowledged by the catch-up", () => {
    const server = new DummyServer();
    const [alice, bob] = joined(server, "alice", "bob");
    alice.type(insert(0, "once"));
    alice.sendAll(); // committed; the ack is on the wire
    alice.disconnect(); // ... and lost
    settle([bob]);
    alice.connect();
    settle([alice, bob]);
    assert.equal(server.text(), "once\n");
    assert.equal(server.rev, 1);
    assertConverged(server, [alice, bob]);
  });

  test("an op that commits after the welcome is acknowledged by its op frame, once", () => {
    const server = new DummyServer();
    const [alice] = joined(server, "alice");
    alice.type(insert(0, "late"));
    const oldConnection = alice.connection;
    const lingering = alice.toServer.shift(); // still travelling on the old connection
    alice.disconnect();
    alice.connection = { send: (frame) => alice.toClient.push(structuredClone(frame)) };
    alice.connect();
    alice.sendOne(); // sync: the welcome has nothing to catch up
    server.connections.add(oldConnection);
    oldConnection.synced = true;
    server.receive(oldConnection, lingering); // commits now, broadcast to the new connection
    alice.receiveAll(); // welcome (resends the same cid), then the op frame of our cid
    assert.equal(alice.state.inflight, null);
    alice.sendAll(); // the resend is acked with the original revision ...
    alice.receiveAll(); // ... and that stale ack is ignored
    assert.equal(server.text(), "late\n");
    assertConverged(server, [alice]);
  });

  test("a gap in the revisions is a protocol violation that changes nothing", () => {
    const state = new CollabState("a");
    state.receiveWelcome({ rev: 3, content: [{ insert: "x\n" }] });
    assert.throws(() => state.receiveOp(5, [{ insert: "y" }]), ProtocolViolation);
    assert.equal(state.rev, 3);
    assert.throws(() => state.receiveWelcome({ rev: 4, ops: [] }), ProtocolViolation);
  });

  test("a snapshot welcome drops unconfirmed edits and counts them", () => {
    const state = new CollabState("a");
    state.receiveWelcome({ rev: 0, content: [{ insert: "\n" }] });
    state.localEdit(insert(0, "lost"));
    const { reset } = state.receiveWelcome({ rev: 7, content: [{ insert: "fresh\n" }] });
    assert.deepEqual(reset.ops, [{ insert: "fresh\n" }]);
    assert.equal(state.editsDiscarded, 1);
    assert.ok(state.isSynchronized);
    assert.equal(state.rev, 7);
  });
});

describe("presence positions", () => {
  test("a local range is sent at the server revision, behind unconfirmed edits", () => {
    const state = new CollabState("a");
    state.receiveWelcome({ rev: 2, content: [{ insert: "hello\n" }] });
    state.localEdit(insert(0, ">> "));
    state.nextOpToSend();
    state.localEdit(insert(8, "!")); // ">> hello!"
    assert.deepEqual(state.toServerRange({ index: 9, length: 0 }), {
      rev: 2,
      range: { index: 5, length: 0 },
    });
    assert.deepEqual(state.toServerRange({ index: 3, length: 5 }).range, { index: 0, length: 5 });
  });

  test("a remote range is carried through later ops and our own unconfirmed edits", () => {
    const state = new CollabState("a");
    state.receiveWelcome({ rev: 0, content: [{ insert: "hello\n" }] });
    state.receiveOp(1, insert(0, "oh, "), "other-1");
    state.localEdit(insert(0, "well, "));
    assert.deepEqual(state.toLocalRange(0, { index: 1, length: 3 }), { index: 11, length: 3 });
    assert.deepEqual(state.toLocalRange(1, { index: 5, length: 0 }), { index: 11, length: 0 });
    assert.equal(state.toLocalRange(2, { index: 0, length: 0 }), undefined);
    // A caret sent before its owner's own insert moves past it; others' stay put.
    state.receiveOp(2, insert(0, ">"), "bob-1", "bob-session");
    assert.equal(state.toLocalRange(1, { index: 0, length: 0 }, "bob-session").index, 1);
    assert.equal(state.toLocalRange(1, { index: 0, length: 0 }, "carol-session").index, 0);
    assert.equal(state.toLocalRange(1, null), null);
  });
});

describe("convergence under random schedules", () => {
  function randomEdit(random, doc, tag) {
    const length = doc.length() - 1; // never touch the final newline
    const roll = random();
    if (roll < 0.6 || length === 0) return insert(Math.floor(random() * (length + 1)), tag);
    const start = Math.floor(random() * length);
    const span = Math.min(length - start, 1 + Math.floor(random() * 3));
    if (roll < 0.85) return remove(start, span);
    return new Delta().retain(start).retain(span, { bold: random() < 0.5 || null });
  }

  // Where an insert splits no earlier tag: the start, or just after a tag.
  function tagBoundaries(text) {
    return [0, ...[...text].flatMap((char, index) => (char === ">" ? [index + 1] : []))];
  }

  const pick = (random, choices) => choices[Math.floor(random() * choices.length)];

  function story(seed, { deletes }) {
    const random = seededRandom(seed);
    const server = new DummyServer([{ insert: "seed text\n" }]);
    const peers = joined(server, "p1", "p2", "p3");
    const typed = [];
    for (let step = 0; step < 150; step += 1) {
      const peer = peers[Math.floor(random() * peers.length)];
      const roll = random();
      if (roll < 0.35 && peer.welcomed) {
        const tag = `<${peer.state.clientId}.${step}>`;
        typed.push(tag);
        peer.type(
          deletes
            ? randomEdit(random, peer.doc, tag)
            : insert(pick(random, tagBoundaries(peer.text())), tag),
        );
      } else if (roll < 0.6 && peer.toServer.length) peer.sendOne();
      else if (roll < 0.9 && peer.toClient.length) peer.receiveOne();
      else if (roll < 0.95 && peer.connected) peer.disconnect();
      else if (!peer.connected) peer.connect();
    }
    for (const peer of peers) if (!peer.connected) peer.connect();
    settle(peers);
    assertConverged(server, peers);
    return { server, typed };
  }

  test("random edits, deliveries and disconnects always converge", () => {
    for (let seed = 1; seed <= 40; seed += 1) story(seed, { deletes: true });
  });

  test("without deletes, everything typed arrives exactly once", () => {
    for (let seed = 100; seed < 130; seed += 1) {
      const { server, typed } = story(seed, { deletes: false });
      for (const tag of typed) {
        assert.equal(server.text().split(tag).length - 1, 1, `seed ${seed}: ${tag}`);
      }
    }
  });
});
