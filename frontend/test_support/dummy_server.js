// An in-memory stand-in for the Cowrite server (PROTOCOL.md, WebSocket part)
// and a network whose every delivery the test controls: convergence stories
// type here, delay there, drop a connection, and check that all agree.

import Delta from "quill-delta";

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 3;

export class DummyServer {
  constructor(content = [{ insert: "\n" }]) {
    this.doc = new Delta(content);
    this.log = []; // [{rev, ops: Delta, cid, session}]
    this.connections = new Set();
    this.sessionCount = 0;
  }

  get rev() {
    return this.log.length;
  }

  text() {
    return documentText(this.doc);
  }

  // A connection is anything with send(frame); returns the session id.
  join(connection) {
    this.sessionCount += 1;
    connection.session = `s${this.sessionCount}`;
    connection.synced = false;
    this.connections.add(connection);
    return connection.session;
  }

  leave(connection) {
    if (!this.connections.delete(connection)) return;
    this._broadcast(connection, { type: "leave", session: connection.session });
  }

  receive(connection, frame) {
    const handler = {
      sync: () => this._sync(connection, frame),
      op: () => this._op(connection, frame),
      presence: () => this._presence(connection, frame),
      ping: () => connection.send({ type: "pong" }),
    }[frame.type];
    if (handler === undefined) {
      connection.send({ type: "error", code: "bad_message", message: "unknown type" });
      return;
    }
    handler();
  }

  // Commit an op as a REST client would (no session), broadcasting it.
  submitExternal(rev, ops, cid = `rest-${this.rev + 1}`) {
    return this._commit(null, this._rebase(rev, new Delta(ops)), cid);
  }

  _sync(connection, { rev }) {
    if (rev !== null && rev > this.rev) {
      connection.send({ type: "error", code: "bad_rev", message: "ahead of the document" });
      return;
    }
    connection.synced = true;
    const welcome = {
      type: "welcome",
      session: connection.session,
      rev: this.rev,
      role: connection.role ?? "editor",
      title: "Dummy",
      peers: [...this.connections]
        .filter((other) => other !== connection && other.presence)
        .map((other) => other.presence),
    };
    if (rev === null) welcome.content = this.doc.ops;
    else welcome.ops = this.log.slice(rev).map(opFrame);
    connection.send(welcome);
  }

  _op(connection, { rev, cid, ops }) {
    const committed = this.log.find((entry) => entry.cid === cid);
    if (committed) {
      connection.send({ type: "ack", cid, rev: committed.rev });
      return;
    }
    if (rev > this.rev) {
      connection.send({ type: "error", code: "bad_rev", message: "ahead", cid });
      return;
    }
    const op = this._rebase(rev, new Delta(ops));
    if (reach(op) > this.doc.length()) {
      connection.send({ type: "error", code: "invalid_op", message: "too long", cid });
      return;
    }
    const entry = this._commit(connection, op, cid);
    connection.send({ type: "ack", cid, rev: entry.rev });
  }

  // Transform an op made against `rev` past every op committed since (theirs win ties).
  _rebase(rev, op) {
    return this.log.slice(rev).reduce((rebased, entry) => entry.ops.transform(rebased, true), op);
  }

  _commit(author, ops, cid) {
    this.doc = this.doc.compose(ops);
    const entry = { rev: this.rev + 1, ops, cid, session: author ? author.session : null };
    this.log.push(entry);
    this._broadcast(author, opFrame(entry));
    return entry;
  }

  _presence(connection, { rev, range }) {
    const user = connection.user ?? { id: connection.session, name: connection.session };
    connection.presence = { type: "presence", session: connection.session, user, rev, range };
    this._broadcast(connection, connection.presence);
  }

  _broadcast(except, frame) {
    for (const other of this.connections) {
      if (other !== except && other.synced) other.send(frame);
    }
  }
}

function opFrame(entry) {
  return {
    type: "op",
    rev: entry.rev,
    ops: entry.ops.ops,
    cid: entry.cid,
    session: entry.session,
    author: null,
  };
}

function reach(delta) {
  return delta.ops.reduce((sum, op) => sum + (op.retain ?? op.delete ?? 0), 0);
}

export function documentText(delta) {
  return delta.ops.map((op) => (typeof op.insert === "string" ? op.insert : "")).join("");
}

// A network of fake WebSockets to one DummyServer. Nothing moves until the
// test says so: open a connection, deliver a frame, drop a connection.
export class Network {
  constructor(server) {
    this.server = server;
    this.sockets = [];
  }

  // The factory DocumentSocket takes as `createSocket`.
  createSocket = (url) => {
    const socket = new FakeWebSocket(this, url);
    this.sockets.push(socket);
    return socket;
  };

  live() {
    return this.sockets.filter((socket) => socket.readyState !== CLOSED);
  }

  // Every pending event: opening a socket or delivering its next frame either way.
  pendingEvents() {
    const events = [];
    for (const socket of this.live()) {
      if (socket.readyState === CONNECTING) events.push(() => socket.accept());
      if (socket.toServer.length) events.push(() => socket.deliverToServer());
      if (socket.toClient.length) events.push(() => socket.deliverToClient());
    }
    return events;
  }

  // Deliver everything, in order per direction; return how many events ran.
  settle(limit = 100_000) {
    let count = 0;
    for (let events = this.pendingEvents(); events.length; events = this.pendingEvents()) {
      events[0]();
      if (++count > limit) throw new Error("the network did not settle");
    }
    return count;
  }

  // Run one pending event picked by `random`; return false when none was pending.
  step(random) {
    const events = this.pendingEvents();
    if (!events.length) return false;
    events[Math.floor(random() * events.length)]();
    return true;
  }
}

export class FakeWebSocket {
  constructor(network, url) {
    this.network = network;
    this.url = url;
    this.readyState = CONNECTING;
    this.toServer = [];
    this.toClient = [];
    this.sent = []; // every frame the client sent, for assertions
    this.onopen = this.onmessage = this.onclose = this.onerror = null;
    this.connection = {
      send: (frame) => this.toClient.push(JSON.stringify(frame)),
    };
  }

  send(text) {
    if (this.readyState !== OPEN) throw new Error("send on a socket that is not open");
    this.sent.push(JSON.parse(text));
    this.toServer.push(text);
  }

  close() {
    if (this.readyState === CLOSED) return;
    this._shut();
  }

  accept() {
    this.network.server.join(this.connection);
    this.readyState = OPEN;
    this.onopen?.({});
  }

  deliverToServer() {
    this.network.server.receive(this.connection, JSON.parse(this.toServer.shift()));
  }

  deliverToClient() {
    this.onmessage?.({ data: this.toClient.shift() });
  }

  // The connection breaks: frames on the wire either way are lost.
  drop(code = 1006) {
    if (this.readyState === CLOSED) return;
    this._shut();
    this.onclose?.({ code });
  }

  // The server closes with a code, after delivering what it had sent.
  closeFromServer(code) {
    while (this.toClient.length) this.deliverToClient();
    this.drop(code);
  }

  _shut() {
    this.readyState = CLOSED;
    this.toServer = [];
    this.toClient = [];
    this.network.server.leave(this.connection);
  }
}
