// The client side of PROTOCOL.md as a pure state machine (ot.js / prosemirror-collab
// style): the server's order is the truth, at most one op is in flight, and local
// edits made meanwhile are composed into a buffer. Every remote op is transformed
// past the in-flight op and the buffer before it touches the local document.
//
// It depends on quill-delta only: no DOM, no socket, no timers. The caller
// applies the Deltas it returns to the editor and sends what nextOpToSend gives.

import Delta from "quill-delta";

import { mapRange, unmapRange } from "./positions.js";

// Committed ops kept to place presence frames sent at an older revision.
const LOG_LIMIT = 500;
const OURS = null; // the session of our own ops in the log
export const MAX_CLIENT_ID_LENGTH = 40; // "-<counter>" must still fit in a 64-character cid

export class ProtocolViolation extends Error {
  code = "protocol_violation";
}

export class NotSynced extends Error {
  code = "not_synced";
}

export class CollabState {
  // Local document = revision `rev` + `inflight.ops` + `buffer`.
  constructor(clientId) {
    if (!clientId || clientId.length > MAX_CLIENT_ID_LENGTH) {
      throw new RangeError(`clientId must be 1 to ${MAX_CLIENT_ID_LENGTH} characters`);
    }
    this.clientId = clientId;
    this.rev = null;
    this.inflight = null; // {cid, ops: Delta} sent (or about to be) against `rev`
    this.buffer = null; // Delta against rev + inflight, not sent yet
    this.editsDiscarded = 0;
    this.log = []; // [{rev, ops: Delta, session}] the latest committed ops, oldest first
    this._editCount = 0;
    this._inflightSent = false;
  }

  get isSynchronized() {
    return this.inflight === null && this.buffer === null;
  }

  // Queue a local edit (already applied to the editor) for the server.
  localEdit(ops) {
    if (this.rev === null) throw new NotSynced("no welcome yet");
    const edit = new Delta(ops);
    if (edit.ops.length === 0) return;
    const buffer = this.buffer ? this.buffer.compose(edit) : edit;
    this.buffer = buffer.ops.length ? buffer : null;
  }

  // Return {rev, cid, ops} to send now, or null while an op awaits its ack.
  nextOpToSend() {
    if (this.inflight === null && this.buffer !== null) {
      this._editCount += 1;
      this.inflight = { cid: `${this.clientId}-${this._editCount}`, ops: this.buffer };
      this.buffer = null;
      this._inflightSent = false;
    }
    if (this.inflight === null || this._inflightSent) return null;
    this._inflightSent = true;
    return { rev: this.rev, cid: this.inflight.cid, ops: this.inflight.ops.ops };
  }

  // The connection dropped: whatever was in flight must go out again (same cid).
  connectionLost() {
    this._inflightSent = false;
  }

  // Mark the in-flight op unsent after a retryable error; return whether cid was it.
  retryInflight(cid) {
    if (this.inflight === null || this.inflight.cid !== cid) return false;
    this._inflightSent = false;
    return true;
  }

  // Take an ack; return whether it confirmed our in-flight op. An ack for
  // another cid is stale (a catch-up already confirmed that op) and is ignored.
  receiveAck(cid, rev) {
    if (this.inflight === null || this.inflight.cid !== cid) return false;
    this._expectNext(rev, "ack");
    this._record(rev, this.inflight.ops, OURS);
    this.inflight = null;
    this.rev = rev;
    return true;
  }

  // Take a committed op made on top of rev - 1 (by `session`, null for a REST
  // client). Return {acked, change}: our own op coming back is its ack (never
  // applied twice), otherwise `change` is the op transformed for the local document.
  receiveOp(rev, ops, cid = null, session = null) {
    if (this.inflight !== null && cid === this.inflight.cid) {
      return { acked: this.receiveAck(cid, rev), change: new Delta() };
    }
    this._expectNext(rev, "op");
    let change = new Delta(ops);
    this._record(rev, change, session ?? "");
    if (this.inflight !== null) {
      // The server committed `change` first, so it wins ties at the same index.
      const inflightOps = change.transform(this.inflight.ops, true);
      change = this.inflight.ops.transform(change, false);
      this.inflight = { cid: this.inflight.cid, ops: inflightOps };
    }
    if (this.buffer !== null) {
      const buffer = change.transform(this.buffer, true);
      change = this.buffer.transform(change, false);
      this.buffer = buffer;
    }
    this.rev = rev;
    return { acked: false, change };
  }

  // Start a session from a welcome. With `content` (a snapshot) return {reset};
  // with `ops` (the catch-up after our rev) return {change, ackedCid}: the
  // composed change to apply, and our in-flight cid when the catch-up shows it
  // committed. Otherwise the in-flight op goes out again with the same cid.
  receiveWelcome({ rev, content, ops }) {
    this._inflightSent = false;
    if (content !== undefined && content !== null) return this._adoptSnapshot(rev, content);
    if (this.rev === null) {
      throw new ProtocolViolation("a catch-up welcome answered a sync without a revision");
    }
    const inflightCid = this.inflight ? this.inflight.cid : null;
    let change = new Delta();
    for (const entry of ops || []) {
      const { change: applied } = this.receiveOp(entry.rev, entry.ops, entry.cid, entry.session);
      change = change.compose(applied);
    }
    if (this.rev !== rev) {
      throw new ProtocolViolation(`the catch-up ends at ${this.rev}, the welcome says ${rev}`);
    }
    const ackedCid = inflightCid !== null && this.inflight === null ? inflightCid : null;
    return { change, ackedCid };
  }

  // Return a range that `session` sent at server revision `rev` in local
  // coordinates, or undefined while we have not reached `rev` yet.
  toLocalRange(rev, range, session = undefined) {
    if (range === null || range === undefined) return null;
    if (this.rev === null || rev > this.rev) return undefined;
    let local = range;
    // A range older than the log is placed as well as the log allows.
    for (const entry of this.log) {
      if (entry.rev > rev) local = mapRange(local, entry.ops, entry.session !== session);
    }
    if (this.inflight !== null) local = mapRange(local, this.inflight.ops, true);
    if (this.buffer !== null) local = mapRange(local, this.buffer, true);
    return local;
  }

  // Return {rev, range}: a local range as a range at the current server revision.
  toServerRange(range) {
    if (this.rev === null) return null;
    if (range === null || range === undefined) return { rev: this.rev, range: null };
    let server = range;
    if (this.buffer !== null) server = unmapRange(server, this.buffer);
    if (this.inflight !== null) server = unmapRange(server, this.inflight.ops);
    return { rev: this.rev, range: server };
  }

  _adoptSnapshot(rev, content) {
    // A snapshot cannot tell whether it holds our in-flight op, and edits on
    // top of it cannot be rebased without the ops in between: they are
    // dropped (and counted) rather than guessed at. Only a refused sync leads here.
    if (!this.isSynchronized) this.editsDiscarded += 1;
    this.rev = rev;
    this.inflight = this.buffer = null;
    this.log = [];
    return { reset: new Delta(content) };
  }

  _record(rev, ops, session) {
    this.log.push({ rev, ops, session });
    if (this.log.length > LOG_LIMIT) this.log.shift();
  }

  _expectNext(rev, what) {
    if (this.rev === null || rev !== this.rev + 1) {
      throw new ProtocolViolation(`${what} at revision ${rev} after revision ${this.rev}`);
    }
  }
}
