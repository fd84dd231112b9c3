// A client made of CollabState alone, wired to a DummyServer by two queues the
// test drains: the convergence stories of the pure state machine.

import Delta from "quill-delta";

import { CollabState } from "../src/sync.js";
import { documentText } from "./dummy_server.js";

export class StatePeer {
  constructor(server, clientId) {
    this.server = server;
    this.state = new CollabState(clientId);
    this.doc = null;
    this.welcomed = false;
    this.connected = false;
    this.toServer = [];
    this.toClient = [];
    this.connection = { send: (frame) => this.toClient.push(structuredClone(frame)) };
  }

  text() {
    return documentText(this.doc);
  }

  connect() {
    this.server.join(this.connection);
    this.connected = true;
    this.toServer.push({ type: "sync", rev: this.state.rev });
  }

  // The connection breaks: whatever was on the wire is lost.
  disconnect() {
    this.server.leave(this.connection);
    this.connected = this.welcomed = false;
    this.toServer = [];
    this.toClient = [];
    this.state.connectionLost();
  }

  type(delta) {
    const edit = new Delta(delta);
    this.doc = this.doc.compose(edit);
    this.state.localEdit(edit);
    this.flush();
  }

  flush() {
    if (!this.welcomed) return;
    const outgoing = this.state.nextOpToSend();
    if (outgoing !== null) this.toServer.push({ type: "op", ...structuredClone(outgoing) });
  }

  sendOne() {
    this.server.receive(this.connection, this.toServer.shift());
  }

  receiveOne() {
    const frame = this.toClient.shift();
    if (frame.type === "welcome") {
      const result = this.state.receiveWelcome(frame);
      this.doc = result.reset ?? this.doc.compose(result.change);
      this.welcomed = true;
    } else if (frame.type === "op") {
      this.doc = this.doc.compose(this.state.receiveOp(frame.rev, frame.ops, frame.cid).change);
    } else if (frame.type === "ack") {
      this.state.receiveAck(frame.cid, frame.rev);
    }
    this.flush();
    return frame;
  }

  sendAll() {
    while (this.toServer.length) this.sendOne();
  }

  receiveAll() {
    while (this.toClient.length) this.receiveOne();
  }
}

// Deliver every queued frame of every peer until nothing moves.
export function settle(peers) {
  for (let moved = true; moved;) {
    moved = false;
    for (const peer of peers) {
      if (peer.toServer.length || peer.toClient.length) moved = true;
      peer.sendAll();
      peer.receiveAll();
    }
  }
}
