// Who else is in the document and where their selection is, in local
// coordinates. Pure: the caller passes how to place a range sent at a server
// revision (CollabState.toLocalRange) and every change applied locally.

import { mapRange } from "./positions.js";

export class PresenceBook {
  constructor() {
    this.peers = new Map(); // session -> {session, user, rev, range, local, placed}
  }

  // Take a presence frame (or a welcome's peer). `place(rev, range, session)`
  // returns the local range, null for none, or undefined when `rev` is still ahead of us.
  update(frame, place) {
    const peer = {
      session: frame.session,
      user: frame.user,
      rev: frame.rev,
      range: frame.range ?? null,
      local: null,
      placed: false,
    };
    this.peers.set(peer.session, peer);
    this._place(peer, place);
    return peer;
  }

  remove(session) {
    return this.peers.delete(session);
  }

  clear() {
    this.peers.clear();
  }

  // A change by session `author` (null: ours) was applied to the local
  // document: carry every placed range with it.
  transform(delta, author = null) {
    for (const peer of this.peers.values()) {
      if (peer.placed && peer.local !== null) {
        peer.local = mapRange(peer.local, delta, peer.session !== author);
      }
    }
  }

  // The local revision moved on: place the ranges that were waiting for it.
  // Return the peers placed now.
  placePending(place) {
    return [...this.peers.values()].filter((peer) => !peer.placed && this._place(peer, place));
  }

  list() {
    return [...this.peers.values()];
  }

  // Return one entry per user (a user may have several tabs open), in arrival order.
  users() {
    const users = new Map();
    for (const peer of this.peers.values()) {
      if (peer.user && !users.has(peer.user.id)) users.set(peer.user.id, peer.user);
    }
    return [...users.values()];
  }

  _place(peer, place) {
    const local = place(peer.rev, peer.range, peer.session);
    if (local === undefined) return false;
    peer.local = local;
    peer.placed = true;
    return true;
  }
}
