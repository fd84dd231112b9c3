// Reconnect delays: exponential backoff with "full jitter" (a uniform pick in
// [0, min(cap, base * 2^attempt)]), so that a server restart is not followed by
// every client reconnecting in the same instant.

export const BACKOFF_BASE_MS = 500;
export const BACKOFF_CAP_MS = 30_000;

export function backoffCeiling(attempt, base = BACKOFF_BASE_MS, cap = BACKOFF_CAP_MS) {
  if (!Number.isInteger(attempt) || attempt < 0) {
    throw new RangeError(`attempt must be a non-negative integer, got ${attempt}`);
  }
  return Math.min(cap, base * 2 ** Math.min(attempt, 30));
}

export function reconnectDelay(attempt, random = Math.random, base, cap) {
  return Math.floor(random() * backoffCeiling(attempt, base, cap));
}
