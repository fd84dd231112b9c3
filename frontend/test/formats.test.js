import assert from "node:assert/strict";
import { test } from "node:test";

import Delta from "quill-delta";

import { FORMATS, TOOLBAR, attributeAllowed, formatRepairs, sanitizeLink } from "../src/formats.js";

const SERVER_FORMATS = [
  "bold",
  "italic",
  "underline",
  "strike",
  "code",
  "link",
  "color",
  "background",
  "header",
  "list",
  "blockquote",
  "code-block",
  "align",
  "indent",
];

test("the editor allows exactly the server's formats, each with a toolbar control", () => {
  assert.deepEqual([...FORMATS].sort(), [...SERVER_FORMATS].sort());
  const controls = TOOLBAR.flat().map((control) =>
    typeof control === "string" ? control : Object.keys(control)[0],
  );
  const formatControls = controls.filter((name) => !["clean", "undo", "redo"].includes(name));
  assert.deepEqual([...new Set(formatControls)].sort(), [...SERVER_FORMATS].sort());
  const header = TOOLBAR.flat().find((control) => control.header);
  assert.deepEqual(header.header, [1, 2, 3, false]);
});

test("values follow editor/ot/formats.py", () => {
  const allowed = [
    ["bold", true],
    ["bold", null],
    ["header", 3],
    ["list", "unchecked"],
    ["code-block", true],
    ["code-block", "python"],
    ["indent", 8],
    ["color", "#abc"],
    ["link", "mailto:a@b.c"],
    ["align", "justify"],
  ];
  const refused = [
    ["bold", false],
    ["header", 4],
    ["list", "check"],
    ["indent", 9],
    ["color", "red"],
    ["link", "javascript:alert(1)"],
    ["link", "https://a b"],
    ["align", "left"],
    ["font", "serif"],
    ["size", "large"],
    ["image", "x.png"],
  ];
  for (const [name, value] of allowed) assert.ok(attributeAllowed(name, value), `${name}=${value}`);
  for (const [name, value] of refused)
    assert.ok(!attributeAllowed(name, value), `${name}=${value}`);
});

test("a typed link becomes an allowed one, or none", () => {
  assert.equal(sanitizeLink("example.com/a b"), "https://example.com/a%20b");
  assert.equal(sanitizeLink("localhost:8000/x"), "https://localhost:8000/x");
  assert.equal(sanitizeLink("HTTP://Example.com"), "HTTP://Example.com");
  assert.equal(sanitizeLink("mailto:me@example.com"), "mailto:me@example.com");
  assert.equal(sanitizeLink("javascript:alert(1)"), null);
  assert.equal(sanitizeLink("  "), null);
});

test("an edit with refused formats is repaired where it landed", () => {
  const change = new Delta()
    .retain(2)
    .delete(1)
    .insert("Title", { bold: true })
    .insert("\n", { header: 5 })
    .retain(3, { link: "example.com", color: "rgb(255, 0, 16)", font: "serif" })
    .insert({ image: "x.png" });
  assert.deepEqual(formatRepairs(change).ops, [
    { retain: 7 },
    { retain: 1, attributes: { header: 3 } },
    { retain: 3, attributes: { link: "https://example.com", color: "#ff0010", font: null } },
    { delete: 1 },
  ]);
  assert.deepEqual(formatRepairs(new Delta().insert("ok", { bold: true })).ops, []);
});
