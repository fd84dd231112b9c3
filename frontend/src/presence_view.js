// Who else is here, drawn: the presence bar (one avatar per person, in the
// colour the server gave them) and their carets and selections in the editor
// (quill-cursors), each name flag shown for a while after the caret moves.

import { element } from "./dom.js";

const FLAG_MS = 5000;

export class PresenceView {
  constructor(bar, quill) {
    this.bar = bar;
    this.quill = quill;
    this.cursors = quill.getModule("cursors");
    this.lastShown = new Map(); // session -> the raw position its flag was shown for
    this.flagTimers = new Map();
  }

  // The presence book changed: redraw the bar and the cursors.
  render(book) {
    this.bar.replaceChildren(...book.users().map(avatar));
    this.renderCursors(book);
    for (const peer of book.list()) this._flagIfMoved(peer);
  }

  // The document changed (the book's ranges moved with it): move the cursors.
  renderCursors(book) {
    const shown = new Set();
    const end = this.quill.getLength() - 1;
    for (const peer of book.list()) {
      if (!peer.local || !peer.user) continue;
      shown.add(peer.session);
      this.cursors.createCursor(peer.session, peer.user.name, peer.user.color);
      const index = Math.min(peer.local.index, end);
      const length = Math.min(peer.local.length, end - index);
      this.cursors.moveCursor(peer.session, { index, length });
    }
    for (const cursor of this.cursors.cursors()) {
      if (!shown.has(cursor.id)) this.cursors.removeCursor(cursor.id);
    }
  }

  _flagIfMoved(peer) {
    const where = `${peer.rev}:${JSON.stringify(peer.range)}`;
    if (!peer.local || this.lastShown.get(peer.session) === where) return;
    this.lastShown.set(peer.session, where);
    this.cursors.toggleFlag(peer.session, true);
    clearTimeout(this.flagTimers.get(peer.session));
    const hide = () => this.cursors.toggleFlag(peer.session, false);
    this.flagTimers.set(peer.session, setTimeout(hide, FLAG_MS));
  }
}

function avatar(user) {
  return element(
    "li",
    {
      className: "peer",
      title: user.name,
      style: `--peer-color: ${user.color}`,
      dataset: { user: user.name },
    },
    element(
      "span",
      { className: "avatar", "aria-hidden": "true" },
      user.name.slice(0, 2).toUpperCase(),
    ),
    element("span", { className: "peer-name" }, user.name),
  );
}
