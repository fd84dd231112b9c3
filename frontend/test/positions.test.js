import assert from "node:assert/strict";
import { test } from "node:test";

import Delta from "quill-delta";

import { mapRange, unmapPosition, unmapRange } from "../src/positions.js";
import { PresenceBook } from "../src/presence.js";

test("a range moves with inserts and deletes before it and grows with inserts inside", () => {
  const edit = new Delta().insert("12").retain(3).insert("x").retain(2).delete(1);
  assert.deepEqual(mapRange({ index: 1, length: 5 }, edit), { index: 3, length: 5 });
  assert.deepEqual(mapRange({ index: 5, length: 0 }, new Delta().retain(5).insert("typed")), {
    index: 10,
    length: 0,
  });
});

test("at a tie, the writer's caret moves past the insert; anyone else's stays", () => {
  const book = new PresenceBook();
  const place = (_rev, range) => range;
  book.update(
    { session: "writer", user: { id: 1 }, rev: 0, range: { index: 4, length: 0 } },
    place,
  );
  book.update({ session: "other", user: { id: 2 }, rev: 0, range: { index: 4, length: 0 } }, place);
  book.transform(new Delta().retain(4).insert("abc"), "writer");
  assert.deepEqual(
    book.list().map((peer) => peer.local.index),
    [7, 4],
  );
  book.transform(new Delta().retain(4).insert("Z"), null); // our own edit
  assert.deepEqual(
    book.list().map((peer) => peer.local.index),
    [8, 4],
  );
});

test("unmapping undoes mapping outside the inserted text", () => {
  const edit = new Delta().retain(2).insert("abc").retain(4).delete(3).insert("Z");
  for (const index of [0, 1, 2, 9, 10, 11]) {
    const back = unmapPosition(edit, edit.transformPosition(index));
    assert.ok(back === index || (index > 6 && index < 9), `${index} -> ${back}`);
  }
  assert.equal(unmapPosition(edit, 3), 2, "inside an insert: where it was inserted");
  assert.deepEqual(unmapRange({ index: 2, length: 6 }, edit), { index: 2, length: 3 });
});

test("the presence book places, carries, waits for and drops peers", () => {
  const book = new PresenceBook();
  const ann = { id: 1, name: "ann", color: "#e6194b" };
  const place = (rev, range) => (rev > 3 ? undefined : range);
  book.update({ session: "s1", user: ann, rev: 2, range: { index: 4, length: 2 } }, place);
  book.update({ session: "s2", user: ann, rev: 5, range: { index: 0, length: 0 } }, place);
  book.transform(new Delta().insert("ab"));
  assert.deepEqual(
    book.list().map((peer) => peer.local),
    [{ index: 6, length: 2 }, null],
  );
  assert.deepEqual(book.users(), [ann], "one entry per user");
  const placed = book.placePending(() => ({ index: 1, length: 0 }));
  assert.deepEqual(
    placed.map((peer) => peer.session),
    ["s2"],
  );
  assert.ok(book.remove("s1"));
  assert.deepEqual(
    book.list().map((peer) => peer.session),
    ["s2"],
  );
});
