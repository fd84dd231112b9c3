import assert from "node:assert/strict";
import { test } from "node:test";

import Delta from "quill-delta";

import {
  DELETED_BACKGROUND,
  INSERTED_BACKGROUND,
  REFORMATTED_BACKGROUND,
  diffSummary,
  diffView,
  groupRevisions,
} from "../src/revisions.js";

const revision = (rev, username, at) => ({
  rev,
  ops: [],
  cid: `c${rev}`,
  author: username ? { id: 1, username } : null,
  created_at: `2025-01-01T10:${String(at).padStart(2, "0")}:00Z`,
});

test("revisions group into runs by one author, newest first", () => {
  const groups = groupRevisions([
    revision(1, "ann", 0),
    revision(2, "ann", 1),
    revision(3, "bob", 1),
    revision(4, "ann", 2),
    revision(5, "ann", 9), // a pause of seven minutes starts a new run
    revision(6, null, 9),
  ]);
  assert.deepEqual(
    groups.map(({ rev, firstRev, author, count }) => [rev, firstRev, author, count]),
    [
      [6, 6, null, 1],
      [5, 5, "ann", 1],
      [4, 4, "ann", 1],
      [3, 3, "bob", 1],
      [2, 1, "ann", 2],
    ],
  );
});

test("the diff view shows inserted, deleted and reformatted text on the old document", () => {
  const base = new Delta().insert("Hello ").insert("old", { italic: true }).insert(" world\n");
  const diff = new Delta().retain(6).delete(3).insert("new").retain(1).retain(5, { bold: true });
  assert.deepEqual(diffView(base, diff).ops, [
    { insert: "Hello " },
    { insert: "old", attributes: { italic: true, strike: true, background: DELETED_BACKGROUND } },
    { insert: "new", attributes: { background: INSERTED_BACKGROUND } },
    { insert: " " },
    { insert: "world", attributes: { bold: true, background: REFORMATTED_BACKGROUND } },
    { insert: "\n" },
  ]);
  assert.deepEqual(diffSummary(diff), { inserted: 3, deleted: 3 });
});
