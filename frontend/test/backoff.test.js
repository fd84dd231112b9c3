import assert from "node:assert/strict";
import { test } from "node:test";

import { BACKOFF_CAP_MS, backoffCeiling, reconnectDelay } from "../src/backoff.js";

test("the ceiling doubles per attempt and stops at the cap", () => {
  assert.deepEqual([0, 1, 2, 3].map((n) => backoffCeiling(n, 100, 1000)), [100, 200, 400, 800]);
  assert.equal(backoffCeiling(4, 100, 1000), 1000);
  assert.equal(backoffCeiling(500), BACKOFF_CAP_MS);
});

test("the delay is a full-jitter pick between 0 and the ceiling", () => {
  assert.equal(reconnectDelay(3, () => 0, 100, 1000), 0);
  assert.equal(reconnectDelay(3, () => 0.5, 100, 1000), 400);
  assert.ok(reconnectDelay(3, () => 0.999999, 100, 1000) < 800);
});

test("a bad attempt number is refused", () => {
  assert.throws(() => backoffCeiling(-1), RangeError);
  assert.throws(() => backoffCeiling(1.5), RangeError);
});
