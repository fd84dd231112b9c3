// One document's WebSocket, kept open: JSON frames in and out, reconnecting
// with capped exponential backoff and full jitter, and an application
// heartbeat that notices a connection which died without a close. It knows
// nothing of the frames' meaning (client.js does).

import { reconnectDelay } from "./backoff.js";

export const FINAL_CLOSE_CODES = new Set([4403, 4404, 4429]);
export const PING_INTERVAL_MS = 20_000;
export const PONG_TIMEOUT_MS = 10_000;
export const CLOSE_NO_PONG = 4000; // our own code: the heartbeat went unanswered
const OPEN = 1;

export class DocumentSocket {
  // handlers: open(), message(frame), down({code, final, opened}), retry(delayMs).
  constructor(url, handlers, options = {}) {
    this.url = url;
    this.handlers = handlers;
    this.createSocket = options.createSocket ?? ((address) => new WebSocket(address));
    this.timers = options.timers ?? globalThis;
    this.random = options.random ?? Math.random;
    this.pingIntervalMs = options.pingIntervalMs ?? PING_INTERVAL_MS;
    this.pongTimeoutMs = options.pongTimeoutMs ?? PONG_TIMEOUT_MS;
    this.ws = null;
    this.opened = false;
    this.attempt = 0;
    this.stopped = false;
    this.offline = false;
    this.retryTimer = this.pingTimer = this.pongTimer = null;
  }

  start() {
    this._connect();
  }

  // Send one frame; return false when there is no open connection to send it on.
  send(frame) {
    if (this.ws === null || this.ws.readyState !== OPEN) return false;
    this.ws.send(JSON.stringify(frame));
    return true;
  }

  // The server welcomed us: the next drop starts the backoff from scratch.
  healthy() {
    this.attempt = 0;
  }

  // Drop the connection and reconnect after a backoff delay (e.g. to resync).
  restart() {
    if (this.ws !== null) this._lost(1000);
  }

  // Reconnect at once (the network is back, or the user asked); a connection
  // that is still up is only checked with a ping.
  reconnectNow() {
    if (this.stopped) return;
    this.offline = false;
    this.attempt = 0;
    if (this.ws !== null) {
      if (this.opened) this._ping();
      return;
    }
    this._cancelRetry();
    this._connect();
  }

  // The browser says the network is gone: drop the connection and wait for reconnectNow.
  goOffline() {
    if (this.stopped) return;
    this.offline = true;
    this._cancelRetry();
    if (this.ws !== null) this._lost(1001);
  }

  // Check the connection now (e.g. the tab became visible after a long sleep).
  probe() {
    this._ping();
  }

  stop() {
    this.stopped = true;
    this._cancelRetry();
    if (this.ws !== null) this._teardown();
  }

  _connect() {
    if (this.stopped) return;
    const ws = this.createSocket(this.url);
    this.ws = ws;
    this.opened = false;
    ws.onopen = () => {
      this.opened = true;
      this.pingTimer = this.timers.setInterval(() => this._ping(), this.pingIntervalMs);
      this.handlers.open();
    };
    ws.onmessage = (event) => this._receive(event.data);
    ws.onclose = (event) => this._lost(event.code);
    ws.onerror = () => {}; // a close event follows
  }

  _receive(data) {
    let frame;
    try {
      frame = JSON.parse(data);
    } catch {
      return; // not a frame of ours; the server never sends one (PROTOCOL.md)
    }
    if (frame && frame.type === "pong") this._clearPongTimer();
    this.handlers.message(frame);
  }

  _ping() {
    if (this.pongTimer !== null || !this.send({ type: "ping" })) return;
    this.pongTimer = this.timers.setTimeout(() => this._lost(CLOSE_NO_PONG), this.pongTimeoutMs);
  }

  _lost(code) {
    const opened = this.opened;
    this._teardown();
    const final = FINAL_CLOSE_CODES.has(code);
    if (final) this.stopped = true;
    this.handlers.down({ code, final, opened });
    if (!this.stopped && !this.offline) this._scheduleRetry();
  }

  _scheduleRetry() {
    const delay = reconnectDelay(this.attempt, this.random);
    this.attempt += 1;
    this.retryTimer = this.timers.setTimeout(() => {
      this.retryTimer = null;
      this._connect();
    }, delay);
    this.handlers.retry?.(delay);
  }

  _teardown() {
    const ws = this.ws;
    this.ws = null;
    this.opened = false;
    ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
    this.timers.clearInterval(this.pingTimer);
    this.pingTimer = null;
    this._clearPongTimer();
    // A connection that died silently may never finish a close handshake:
    // we stop listening to it at once rather than wait for its close event.
    if (ws.readyState <= OPEN) {
      try {
        ws.close(1000);
      } catch {
        // already closing
      }
    }
  }

  _clearPongTimer() {
    this.timers.clearTimeout(this.pongTimer);
    this.pongTimer = null;
  }

  _cancelRetry() {
    this.timers.clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }
}
