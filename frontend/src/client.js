// The socket side of collaboration: decode a frame, call the pure state
// (sync.js, presence.js), hand the resulting change to the editor, encode what
// goes back. The editor is an adapter, so this runs the same under node's
// test runner as in the page:
//   flush()       deliver edits the user made but the editor has not reported yet
//   apply(delta)  apply a remote change (never reported back as a local edit)
//   reset(delta)  replace the whole document (a snapshot)
//   busy()        true while applying a change would disturb the user (IME composition)

import { reconnectDelay } from "./backoff.js";
import { DocumentSocket } from "./connection.js";
import { PresenceBook } from "./presence.js";
import { CollabState, ProtocolViolation } from "./sync.js";

// An op error with one of these codes left nothing committed: resend the same cid later.
const RETRYABLE_OP_ERRORS = new Set(["unavailable", "rate_limited"]);
const PRESENCE_INTERVAL_MS = 80;

export class CollabClient {
  // options: clientId, editor, url, listeners {status, presence, title, role, notice},
  // probeAccess() -> Promise<final reason | null>, socketOptions, timers, now.
  constructor(options) {
    this.editor = options.editor;
    this.listeners = options.listeners ?? {};
    this.probeAccess = options.probeAccess ?? null;
    this.timers = options.timers ?? globalThis;
    this.now = options.now ?? Date.now;
    this.state = new CollabState(options.clientId);
    this.presence = new PresenceBook();
    this.connection = "connecting";
    this.welcomed = false;
    this.snapshotNext = true; // the next sync asks for a fresh snapshot
    this.retryAt = null;
    this.final = null;
    this.role = null;
    this.session = null;
    this.selection = null;
    this.inbox = [];
    this.opRetries = 0;
    // Remote ops that met unconfirmed local edits (transformed), and resyncs: for tests.
    this.stats = { concurrentOps: 0, resyncs: 0 };
    this.flushQueued = false;
    this.presenceTimer = null;
    this.presenceDirty = false;
    const handlers = {
      open: () => this._opened(),
      message: (frame) => this._received(frame),
      down: (info) => this._down(info),
      retry: (delayMs) => this._retrying(delayMs),
    };
    this.socket = options.socket
      ? options.socket(handlers)
      : new DocumentSocket(options.url, handlers, {
          timers: this.timers,
          ...options.socketOptions,
        });
  }

  start() {
    this.socket.start();
  }

  stop() {
    this.socket.stop();
  }

  get hasUnsavedEdits() {
    return !this.state.isSynchronized;
  }

  get status() {
    const retryInMs = this.retryAt === null ? null : Math.max(0, this.retryAt - this.now());
    return {
      connection: this.connection,
      synchronized: this.state.isSynchronized,
      retryInMs,
      final: this.final,
    };
  }

  // A local edit, already applied in the editor.
  localEdit(delta) {
    this.state.localEdit(delta);
    this.presence.transform(delta, null);
    this._queueFlush();
    this._emit("status", this.status);
  }

  // The local selection moved (null: none).
  setSelection(range) {
    this.selection = range ? { index: range.index, length: range.length } : null;
    this.presenceDirty = true;
    if (this.presenceTimer === null) {
      this.presenceTimer = this.timers.setTimeout(() => this._presenceDue(), PRESENCE_INTERVAL_MS);
    }
  }

  // The browser lost or regained the network.
  networkChanged(online) {
    if (online) {
      this.socket.reconnectNow();
      return;
    }
    this.socket.goOffline();
    this.connection = "offline";
    this.retryAt = null;
    this._emit("status", this.status);
  }

  // Check that the connection is alive (e.g. the tab was asleep for a while).
  checkConnection() {
    this.socket.probe();
  }

  // Handle the frames that waited while the editor was busy.
  drain() {
    while (this.inbox.length && !this.editor.busy()) {
      const frame = this.inbox.shift();
      try {
        this._handle(frame);
      } catch (error) {
        this._resync(error);
        return;
      }
    }
    this._sendNextOp();
    this._emit("status", this.status);
  }

  // Socket events

  _opened() {
    this.connection = "connecting";
    this.retryAt = null;
    this.socket.send({ type: "sync", rev: this.snapshotNext ? null : this.state.rev });
    this._emit("status", this.status);
  }

  _received(frame) {
    this.inbox.push(frame);
    this.drain();
  }

  _down({ code, final, opened }) {
    this.welcomed = false;
    this.inbox = [];
    this.state.connectionLost();
    this.presence.clear();
    this.connection = "offline";
    if (final) this.final = code;
    this._emit("presence", this.presence);
    this._emit("status", this.status);
    if (!opened && !final && this.probeAccess) this._probe();
  }

  _retrying(delayMs) {
    this.retryAt = this.now() + delayMs;
    this._emit("status", this.status);
  }

  async _probe() {
    // A refused handshake looks like any failed connection in a browser; ask
    // the REST API whether we still may open this document.
    const reason = await this.probeAccess().catch(() => null);
    if (reason !== null && reason !== undefined && !this.welcomed) {
      this.final = reason;
      this.socket.stop();
      this.retryAt = null;
      this._emit("status", this.status);
    }
  }

  // Frames (PROTOCOL.md, server to client)

  _handle(frame) {
    const handler = FRAME_HANDLERS[frame?.type];
    if (handler) handler.call(this, frame); // the server may add message types
  }

  _welcome(frame) {
    this.editor.flush();
    const discarded = this.state.editsDiscarded;
    let result;
    try {
      result = this.state.receiveWelcome(frame);
    } catch (error) {
      // A broken catch-up may have moved the state past the editor: start over.
      throw Object.assign(error, { needsSnapshot: true });
    }
    if (result.reset) {
      this.editor.reset(result.reset);
      if (this.state.editsDiscarded > discarded) {
        this._emit("notice", "Some recent edits could not be saved and were undone.");
      }
    } else if (result.change.ops.length) {
      this.editor.apply(result.change);
    }
    this.welcomed = true;
    this.snapshotNext = false;
    this.connection = "online";
    this.session = frame.session;
    this._setRole(frame.role);
    this._emit("title", frame.title);
    this.presence.clear();
    for (const peer of frame.peers || []) this.presence.update(peer, this._place);
    this._emit("presence", this.presence);
    this.socket.healthy();
    this.presenceDirty = true;
    this._presenceDue();
  }

  _op(frame) {
    this.editor.flush();
    const pending = !this.state.isSynchronized;
    const { acked, change } = this.state.receiveOp(frame.rev, frame.ops, frame.cid, frame.session);
    if (acked) this.opRetries = 0;
    else if (pending) this.stats.concurrentOps += 1;
    if (change.ops.length) {
      this.presence.transform(change, frame.session); // first: applying it redraws the cursors
      this.editor.apply(change);
    }
    this._placePending();
  }

  _ack(frame) {
    if (this.state.receiveAck(frame.cid, frame.rev)) this.opRetries = 0;
    this._placePending();
  }

  _presenceFrame(frame) {
    if (frame.session === this.session) return;
    this.presence.update(frame, this._place);
    this._emit("presence", this.presence);
  }

  _leave(frame) {
    if (this.presence.remove(frame.session)) this._emit("presence", this.presence);
  }

  _meta(frame) {
    this._emit("title", frame.title);
  }

  _error(frame) {
    if (!this.welcomed) {
      // Our sync was refused (e.g. bad_rev after a server restore): start over.
      this._resync(new Error(frame.message), true);
      return;
    }
    const inflight = this.state.inflight;
    if (!frame.cid || inflight === null || inflight.cid !== frame.cid) {
      this._emit("notice", frame.message);
      return;
    }
    if (RETRYABLE_OP_ERRORS.has(frame.code)) {
      this.opRetries += 1;
      const delay = reconnectDelay(Math.min(this.opRetries, 6));
      this.timers.setTimeout(() => {
        if (this.state.retryInflight(frame.cid)) this._sendNextOp();
      }, delay);
      return;
    }
    if (frame.code === "forbidden") this._setRole("viewer");
    // The server refused the edit for good, so this document has diverged:
    // start over from a fresh snapshot (the edit is dropped, and said so).
    this._emit("notice", `An edit could not be saved: ${frame.message}`);
    this._resync(new Error(frame.message), true);
  }

  // Helpers

  _place = (rev, range, session) => this.state.toLocalRange(rev, range, session);

  _placePending() {
    if (this.presence.placePending(this._place).length) this._emit("presence", this.presence);
  }

  _setRole(role) {
    if (role && role !== this.role) {
      this.role = role;
      this._emit("role", role);
    }
  }

  _resync(error, snapshot = false) {
    const needsSnapshot = snapshot || !(error instanceof ProtocolViolation) || error.needsSnapshot;
    this.snapshotNext = this.snapshotNext || Boolean(needsSnapshot);
    this.stats.resyncs += 1;
    this._emit("error", error);
    this.socket.restart();
  }

  _queueFlush() {
    if (this.flushQueued) return;
    this.flushQueued = true;
    // Edits of one event loop turn (a paste, a repair) go out as one op.
    queueMicrotask(() => {
      this.flushQueued = false;
      this._sendNextOp();
    });
  }

  _sendNextOp() {
    if (!this.welcomed) return;
    const outgoing = this.state.nextOpToSend();
    if (outgoing === null) return;
    if (!this.socket.send({ type: "op", ...outgoing })) this.state.connectionLost();
    this._emit("status", this.status);
  }

  _presenceDue() {
    this.presenceTimer = null;
    if (!this.presenceDirty || !this.welcomed) return;
    this.presenceDirty = false;
    const position = this.state.toServerRange(this.selection);
    this.socket.send({ type: "presence", rev: position.rev, range: position.range });
  }

  _emit(name, value) {
    this.listeners[name]?.(value);
  }
}

const FRAME_HANDLERS = {
  welcome: CollabClient.prototype._welcome,
  op: CollabClient.prototype._op,
  ack: CollabClient.prototype._ack,
  presence: CollabClient.prototype._presenceFrame,
  leave: CollabClient.prototype._leave,
  meta: CollabClient.prototype._meta,
  error: CollabClient.prototype._error,
};
