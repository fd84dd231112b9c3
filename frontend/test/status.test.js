import assert from "node:assert/strict";
import { test } from "node:test";

import { countLabel, countText } from "../src/counts.js";
import { statusLabel } from "../src/status.js";

test("the indicator says Saved, Saving…, Offline with edits kept, or the countdown", () => {
  const label = (state) => statusLabel({ retryInMs: null, final: null, ...state }).text;
  assert.equal(label({ connection: "online", synchronized: true }), "Saved");
  assert.equal(label({ connection: "online", synchronized: false }), "Saving…");
  assert.equal(
    label({ connection: "offline", synchronized: false }),
    "Offline — edits kept and will sync",
  );
  assert.equal(
    label({ connection: "offline", synchronized: false, retryInMs: 2100 }),
    "Offline — edits kept and will sync · Reconnecting in 3s",
  );
  assert.equal(
    label({ connection: "offline", synchronized: true, retryInMs: 10 }),
    "Reconnecting in 1s",
  );
  assert.equal(label({ connection: "connecting", synchronized: true }), "Connecting…");
  assert.match(label({ connection: "offline", synchronized: true, final: 4404 }), /deleted/);
  assert.equal(statusLabel({ connection: "online", synchronized: false }).tone, "busy");
});

test("words and characters are counted without the final newline", () => {
  assert.deepEqual(countText("\n"), { words: 0, characters: 0 });
  assert.deepEqual(countText("Hello  world\nagain 😀\n"), { words: 4, characters: 19 });
  assert.equal(countLabel({ words: 1, characters: 1200 }), "1 word · 1,200 characters");
});
