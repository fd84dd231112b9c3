// The editor adapter CollabClient drives, holding the document as a Delta.

import Delta from "quill-delta";

import { CollabClient } from "../src/client.js";
import { documentText } from "./dummy_server.js";

export class FakeEditor {
  constructor() {
    this.doc = new Delta();
    this.composing = false;
    this.client = null;
    this.resets = 0;
  }

  flush() {}

  apply(delta) {
    this.doc = this.doc.compose(delta);
  }

  reset(delta) {
    this.doc = new Delta(delta);
    this.resets += 1;
  }

  busy() {
    return this.composing;
  }

  type(delta) {
    const edit = new Delta(delta);
    this.doc = this.doc.compose(edit);
    this.client.localEdit(edit);
  }

  text() {
    return documentText(this.doc);
  }
}

// A started CollabClient on `network`, its timers on `clock`, jitter fixed at half.
export function clientOn(network, clock, clientId, options = {}) {
  const editor = new FakeEditor();
  const events = { notices: [], titles: [], roles: [], errors: [] };
  const client = new CollabClient({
    clientId,
    editor,
    url: `ws://test/${clientId}`,
    timers: clock,
    now: clock.now,
    socketOptions: { createSocket: network.createSocket, random: () => 0.5 },
    listeners: {
      notice: (message) => events.notices.push(message),
      title: (title) => events.titles.push(title),
      role: (role) => events.roles.push(role),
      error: (error) => events.errors.push(error),
    },
    ...options,
  });
  editor.client = client;
  client.start();
  return { client, editor, events };
}

// Let queued microtasks run and the network deliver, until nothing moves.
export async function settleAll(network) {
  for (let round = 0; round < 1000; round += 1) {
    await new Promise((resolve) => setImmediate(resolve));
    if (network.settle() === 0) return;
  }
  throw new Error("the clients and the network did not settle");
}
