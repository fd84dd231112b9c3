import assert from "node:assert/strict";
import { test } from "node:test";

import Delta from "quill-delta";

import { DummyServer, Network } from "../test_support/dummy_server.js";
import { FakeClock } from "../test_support/fake_clock.js";
import { clientOn, settleAll } from "../test_support/fake_editor.js";

const insert = (index, text) => new Delta().retain(index).insert(text);

async function twoWriters(content = "Hello\n") {
  const clock = new FakeClock();
  const server = new DummyServer([{ insert: content }]);
  const network = new Network(server);
  const alice = clientOn(network, clock, "alice");
  const bob = clientOn(network, clock, "bob");
  await settleAll(network);
  return { clock, server, network, alice, bob };
}

// Sockets of one client (the others reconnect too when the fake clock
// jumps past their heartbeat with nobody delivering the pong).
function socketsOf(network, clientId) {
  return network.sockets.filter((socket) => socket.url.endsWith(`/${clientId}`));
}

function sentOps(socket) {
  return socket.sent.filter((frame) => frame.type === "op");
}

test("two editors typing into one paragraph converge through real frames", async () => {
  const { server, network, alice, bob } = await twoWriters();
  assert.equal(alice.editor.text(), "Hello\n");
  for (const char of "abc") {
    alice.editor.type(insert(5, char.toUpperCase()));
    bob.editor.type(insert(5, char));
    network.step(() => 0.3);
  }
  await settleAll(network);
  assert.equal(alice.editor.text(), server.text());
  assert.equal(bob.editor.text(), server.text());
  assert.deepEqual(alice.client.status, {
    connection: "online",
    synchronized: true,
    retryInMs: null,
    final: null,
  });
});

test("edits made offline stay, then sync on reconnect: nothing lost or doubled", async () => {
  const { clock, server, network, alice, bob } = await twoWriters("ab\n");
  alice.editor.type(insert(2, "1"));
  await new Promise((resolve) => setImmediate(resolve)); // sent, not yet delivered
  const [inflight] = sentOps(network.sockets[0]);
  alice.client.networkChanged(false); // the op is lost with the connection
  assert.equal(alice.client.status.connection, "offline");
  assert.ok(alice.client.hasUnsavedEdits);
  alice.editor.type(insert(3, "2"));
  alice.editor.type(insert(0, "0"));
  bob.editor.type(insert(1, "B"));
  await settleAll(network);
  clock.advance(600_000); // offline: no reconnect attempts
  assert.equal(socketsOf(network, "alice").length, 1);
  alice.client.networkChanged(true);
  await settleAll(network);
  const resent = sentOps(socketsOf(network, "alice").at(-1));
  assert.equal(resent[0].cid, inflight.cid, "the in-flight op is resent with its cid");
  assert.equal(server.text(), "0aBb12\n");
  assert.equal(alice.editor.text(), server.text());
  assert.equal(bob.editor.text(), server.text());
  assert.equal(alice.client.hasUnsavedEdits, false);
});

test("an op committed just before the connection died is not applied twice", async () => {
  const { clock, server, network, alice, bob } = await twoWriters("x\n");
  alice.editor.type(insert(1, "yz"));
  await new Promise((resolve) => setImmediate(resolve));
  const socket = network.sockets[0];
  socket.deliverToServer(); // committed and acked, but the ack is lost:
  socket.drop();
  clock.advance(250);
  await settleAll(network);
  assert.equal(server.text(), "xyz\n");
  assert.equal(server.rev, 1);
  assert.equal(alice.editor.text(), "xyz\n");
  assert.equal(bob.editor.text(), "xyz\n");
  assert.equal(alice.client.hasUnsavedEdits, false);
});

test("an op the server could not store is resent later with the same cid", async () => {
  const { clock, server, network, alice } = await twoWriters("x\n");
  const receive = server.receive.bind(server);
  let refusals = 1;
  server.receive = (connection, frame) => {
    if (frame.type === "op" && refusals-- > 0) {
      connection.send({ type: "error", code: "unavailable", message: "busy", cid: frame.cid });
      return;
    }
    receive(connection, frame);
  };
  alice.editor.type(insert(0, "!"));
  await settleAll(network);
  assert.equal(server.text(), "x\n");
  clock.advance(60_000);
  await settleAll(network);
  const ops = sentOps(network.sockets[0]);
  assert.deepEqual(
    ops.map((op) => op.cid),
    ["alice-1", "alice-1"],
  );
  assert.equal(server.text(), "!x\n");
});

test("an edit refused for good is dropped: the editor starts over from a snapshot", async () => {
  const { clock, server, network, alice } = await twoWriters("x\n");
  const receive = server.receive.bind(server);
  server.receive = (connection, frame) => {
    if (frame.type === "op" && frame.ops.some((op) => op.insert === "bad")) {
      connection.send({ type: "error", code: "invalid_op", message: "nope", cid: frame.cid });
      return;
    }
    receive(connection, frame);
  };
  alice.editor.type(insert(0, "bad"));
  await settleAll(network);
  clock.advance(60_000);
  await settleAll(network);
  assert.equal(alice.editor.text(), "x\n");
  assert.equal(alice.editor.resets, 2);
  assert.match(alice.events.notices.join(), /could not be saved: nope/);
  const [resync] = socketsOf(network, "alice").at(-1).sent;
  assert.deepEqual(resync, { type: "sync", rev: null }, "the resync asks for a snapshot");
});

test("frames wait while the editor is busy composing, then apply in order", async () => {
  const { server, network, alice, bob } = await twoWriters("ab\n");
  alice.editor.composing = true;
  bob.editor.type(insert(1, "1"));
  await settleAll(network);
  bob.editor.type(insert(2, "2"));
  await settleAll(network);
  assert.equal(alice.editor.text(), "ab\n");
  alice.editor.composing = false;
  alice.client.drain();
  assert.equal(alice.editor.text(), server.text());
});

test("presence: the other's selection follows edits; a leave drops it", async () => {
  const clock = new FakeClock();
  const server = new DummyServer([{ insert: "hello world\n" }]);
  const network = new Network(server);
  const alice = clientOn(network, clock, "alice");
  const bob = clientOn(network, clock, "bob");
  await settleAll(network);
  bob.client.setSelection({ index: 6, length: 5 }); // "world"
  clock.advance(100);
  alice.editor.type(insert(0, ">> ")); // crosses bob's presence on the wire
  await settleAll(network);
  const [peer] = alice.client.presence.list();
  assert.deepEqual(peer.local, { index: 9, length: 5 });
  bob.editor.type(insert(0, "oh "));
  await settleAll(network);
  assert.deepEqual(alice.client.presence.list()[0].local, { index: 12, length: 5 });
  assert.equal(alice.editor.text().slice(12, 17), "world");
  bob.client.stop();
  await settleAll(network);
  assert.equal(alice.client.presence.list().length, 0);
});

test("the status tells saved, saving, offline with edits, and the countdown", async () => {
  const { clock, network, alice } = await twoWriters();
  assert.equal(alice.client.status.connection, "online");
  alice.editor.type(insert(0, "x"));
  assert.equal(alice.client.status.synchronized, false);
  await settleAll(network);
  assert.equal(alice.client.status.synchronized, true);
  network.sockets[0].drop();
  assert.deepEqual(alice.client.status, {
    connection: "offline",
    synchronized: true,
    retryInMs: 250,
    final: null,
  });
  clock.advance(100);
  assert.equal(alice.client.status.retryInMs, 150);
});

test("a final close stops the client; a refused handshake asks whether access is gone", async () => {
  const { clock, network, alice } = await twoWriters();
  network.sockets[0].closeFromServer(4403);
  clock.advance(600_000);
  assert.equal(alice.client.status.final, 4403);
  assert.equal(socketsOf(network, "alice").length, 1);

  const probes = [];
  const carol = clientOn(network, clock, "carol", {
    probeAccess: async () => {
      probes.push("probe");
      return "signed_out";
    },
  });
  network.sockets.at(-1).drop(); // refused before it opened
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(probes, ["probe"]);
  assert.equal(carol.client.status.final, "signed_out");
  clock.advance(600_000);
  assert.equal(socketsOf(network, "carol").length, 1);
});
