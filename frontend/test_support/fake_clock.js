// A manual clock with the timer functions DocumentSocket and CollabClient take,
// so heartbeat and backoff stories run without waiting.

export class FakeClock {
  constructor() {
    this.time = 0;
    this.timers = new Map(); // id -> {at, callback, every}
    this.nextId = 1;
  }

  now = () => this.time;

  setTimeout = (callback, delay = 0) => this._add(callback, delay, null);

  setInterval = (callback, every) => this._add(callback, every, every);

  clearTimeout = (id) => {
    this.timers.delete(id);
  };

  clearInterval = (id) => {
    this.timers.delete(id);
  };

  // Move time forward, running every timer that falls due, in order.
  advance(ms) {
    const end = this.time + ms;
    for (let due = this._nextDue(end); due; due = this._nextDue(end)) {
      const [id, timer] = due;
      this.time = timer.at;
      if (timer.every === null) this.timers.delete(id);
      else timer.at += timer.every;
      timer.callback();
    }
    this.time = end;
  }

  pending() {
    return this.timers.size;
  }

  _add(callback, delay, every) {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + Math.max(0, delay), callback, every });
    return id;
  }

  _nextDue(end) {
    let next = null;
    for (const entry of this.timers) {
      if (entry[1].at <= end && (next === null || entry[1].at < next[1].at)) next = entry;
    }
    return next;
  }
}

// A seeded pseudo-random generator (mulberry32), so a failing story can be replayed.
export function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
