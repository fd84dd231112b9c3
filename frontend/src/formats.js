// The formats a Cowrite document may carry (the mirror of editor/ot/formats.py)
// and the repairs that keep an edit within them. Quill accepts more than the
// server does (a pasted <h5>, a link typed without a scheme, a named colour);
// an edit the server refuses would make this editor diverge, so it is repaired
// before it is sent. Pure; quill-delta only.

import Delta from "quill-delta";

const LINK = /^(?:https?:\/\/|mailto:)[^\s\x00-\x1f\x7f<>"]+$/i;
const COLOUR = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;
const LANGUAGE = /^[a-z0-9+-]{1,32}$/;

const isTrue = (value) => value === true;
const oneOf =
  (...choices) =>
  (value) =>
    choices.includes(value);
const integer = (low, high) => (value) => Number.isInteger(value) && low <= value && value <= high;
const matches = (pattern) => (value) => typeof value === "string" && pattern.test(value);

export const FORMAT_RULES = {
  bold: isTrue,
  italic: isTrue,
  underline: isTrue,
  strike: isTrue,
  code: isTrue,
  link: matches(LINK),
  color: matches(COLOUR),
  background: matches(COLOUR),
  header: integer(1, 3),
  list: oneOf("ordered", "bullet", "checked", "unchecked"),
  blockquote: isTrue,
  "code-block": (value) => value === true || matches(LANGUAGE)(value),
  align: oneOf("center", "right", "justify"),
  indent: integer(1, 8),
};

// Quill's `formats` option: nothing else can enter the editor, not even by paste.
export const FORMATS = Object.keys(FORMAT_RULES);

// Every allowed format has a control; nothing else does ("clean" only removes).
export const TOOLBAR = [
  [{ header: [1, 2, 3, false] }],
  ["bold", "italic", "underline", "strike", "code"],
  [{ color: [] }, { background: [] }],
  ["link"],
  [{ list: "ordered" }, { list: "bullet" }, { list: "check" }],
  ["blockquote", "code-block"],
  [{ align: [] }],
  [{ indent: "-1" }, { indent: "+1" }],
  ["clean"],
  ["undo", "redo"],
];

export function attributeAllowed(name, value) {
  const rule = FORMAT_RULES[name];
  return rule !== undefined && (value === null || rule(value));
}

// Return an allowed link for what a user typed, or null when there is none.
export function sanitizeLink(url) {
  let value = String(url ?? "").trim();
  if (!value) return null;
  if (!/^(?:https?:|mailto:)/i.test(value)) {
    // Another scheme (javascript:, data:, tel:...) is not a link we keep; a
    // bare host ("example.com", "localhost:8000/x") becomes an https link.
    if (/^[a-z][a-z0-9+.-]*:(?!\d)/i.test(value)) return null;
    value = `https://${value.replace(/^\/+/, "")}`;
  }
  value = value.replace(/[\s\x00-\x1f\x7f<>"]/g, (char) => encodeURIComponent(char));
  return LINK.test(value) ? value : null;
}

function rgbToHex(value) {
  const rgb = /^rgba?\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})/i.exec(String(value));
  if (!rgb) return null;
  const hex = rgb.slice(1, 4).map((part) => Math.min(255, Number(part)).toString(16));
  return `#${hex.map((part) => part.padStart(2, "0")).join("")}`;
}

const REPAIRS = {
  link: sanitizeLink,
  color: rgbToHex,
  background: rgbToHex,
  header: (value) => (Number.isInteger(value) && value > 3 ? 3 : null),
  indent: (value) => (Number.isInteger(value) && value > 8 ? 8 : null),
};

// Return the allowed replacement for a value the server would refuse (null removes it).
export function repairAttribute(name, value) {
  const repair = REPAIRS[name];
  const repaired = repair ? repair(value) : null;
  return repaired !== null && attributeAllowed(name, repaired) ? repaired : null;
}

// Return only the repaired entries of `attributes`, or null when all are allowed.
function repairAttributes(attributes) {
  let repaired = null;
  for (const [name, value] of Object.entries(attributes || {})) {
    if (attributeAllowed(name, value)) continue;
    repaired = repaired || {};
    repaired[name] = repairAttribute(name, value);
  }
  return repaired;
}

// Return the Delta that, applied after `change`, leaves only allowed content
// where `change` put something else (empty when `change` is fine as it is).
export function formatRepairs(change) {
  const repairs = new Delta();
  let index = 0; // in the document after `change`
  let covered = 0; // how much of that document `repairs` has walked over
  for (const op of new Delta(change).ops) {
    if (op.delete) continue;
    const length = Delta.Op.length(op);
    if (op.insert !== undefined && typeof op.insert !== "string") {
      repairs.retain(index - covered).delete(length); // embeds are not allowed
      covered = index + length;
    } else {
      const attributes = repairAttributes(op.attributes);
      if (attributes) {
        repairs.retain(index - covered).retain(length, attributes);
        covered = index + length;
      }
    }
    index += length;
  }
  return repairs.chop();
}
