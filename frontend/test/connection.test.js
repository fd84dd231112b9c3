import assert from "node:assert/strict";
import { test } from "node:test";

import { DocumentSocket, PING_INTERVAL_MS, PONG_TIMEOUT_MS } from "../src/connection.js";
import { DummyServer, Network } from "../test_support/dummy_server.js";
import { FakeClock } from "../test_support/fake_clock.js";

function socketOn(network, clock, random = () => 0.5) {
  const events = [];
  const handlers = {
    open: () => events.push("open"),
    message: (frame) => events.push(frame.type),
    down: ({ code, final, opened }) =>
      events.push(`down ${code}${final ? " final" : ""}${opened ? "" : " unopened"}`),
    retry: (delay) => events.push(`retry ${delay}`),
  };
  const socket = new DocumentSocket("ws://test/doc", handlers, {
    createSocket: network.createSocket,
    timers: clock,
    random,
  });
  socket.start();
  return { socket, events };
}

function setup() {
  const clock = new FakeClock();
  const network = new Network(new DummyServer());
  return { clock, network };
}

test("a dropped connection comes back after a full-jitter backoff that grows", () => {
  const { clock, network } = setup();
  const { events } = socketOn(network, clock);
  network.settle();
  network.sockets[0].drop();
  assert.deepEqual(events, ["open", "down 1006", "retry 250"]); // half of 500 ms
  clock.advance(249);
  assert.equal(network.sockets.length, 1);
  clock.advance(1);
  assert.equal(network.sockets.length, 2);
  network.sockets[1].drop(); // refused before it opened
  assert.deepEqual(events.slice(3), ["down 1006 unopened", "retry 500"]);
  clock.advance(500);
  network.sockets[2].drop();
  assert.equal(events.at(-1), "retry 1000");
});

test("the backoff starts over once the server has welcomed us", () => {
  const { clock, network } = setup();
  const { socket, events } = socketOn(network, clock);
  for (let i = 0; i < 3; i += 1) {
    network.settle();
    network.live()[0].drop();
    clock.advance(60_000);
  }
  assert.equal(events.filter((e) => e.startsWith("retry")).at(-1), "retry 1000");
  network.settle();
  socket.healthy();
  network.live()[0].drop();
  assert.equal(events.at(-1), "retry 250");
});

test("close codes 4403, 4404 and 4429 are final; 4408 and 1011 reconnect", () => {
  for (const [code, final] of [
    [4403, true],
    [4404, true],
    [4429, true],
    [4408, false],
    [1011, false],
    [1001, false],
  ]) {
    const { clock, network } = setup();
    const { events } = socketOn(network, clock);
    network.settle();
    network.sockets[0].closeFromServer(code);
    clock.advance(60_000);
    assert.equal(network.sockets.length, final ? 1 : 2, `close code ${code}`);
    assert.equal(events[1], `down ${code}${final ? " final" : ""}`);
  }
});

test("the heartbeat pings; a pong keeps the connection, silence drops it", () => {
  const { clock, network } = setup();
  const { socket, events } = socketOn(network, clock);
  network.settle();
  clock.advance(PING_INTERVAL_MS);
  assert.deepEqual(network.sockets[0].toServer, ['{"type":"ping"}']);
  network.settle(); // the pong comes back
  assert.deepEqual(events, ["open", "pong"]);
  clock.advance(PING_INTERVAL_MS); // the next ping goes unanswered
  clock.advance(PONG_TIMEOUT_MS);
  assert.deepEqual(events.slice(2), ["down 4000", "retry 250"]);
  assert.equal(network.sockets[0].readyState, 3, "the silent socket is closed");
  clock.advance(250);
  network.settle();
  assert.ok(socket.send({ type: "ping" }), "a new connection is open");
});

test("offline, it waits for the network instead of retrying", () => {
  const { clock, network } = setup();
  const { socket, events } = socketOn(network, clock);
  network.settle();
  socket.goOffline();
  assert.deepEqual(events, ["open", "down 1001"]);
  clock.advance(600_000);
  assert.equal(network.sockets.length, 1);
  socket.reconnectNow();
  network.settle();
  assert.equal(events.at(-1), "open");
  socket.reconnectNow(); // still connected: only a ping, no second connection
  assert.equal(network.live().length, 1);
  assert.deepEqual(network.live()[0].toServer, ['{"type":"ping"}']);
});

test("a frame that is not JSON is ignored; nothing is sent on a closed socket", () => {
  const { clock, network } = setup();
  const { socket, events } = socketOn(network, clock);
  assert.equal(socket.send({ type: "ping" }), false);
  network.settle();
  network.sockets[0].onmessage({ data: "not json" });
  assert.deepEqual(events, ["open"]);
  socket.stop();
  assert.equal(socket.send({ type: "ping" }), false);
  clock.advance(600_000);
  assert.equal(network.sockets.length, 1);
});
