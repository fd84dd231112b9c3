// Quill configured for Cowrite: only the server's formats, a toolbar with a
// control (and a tooltip) for each, undo/redo of one's own edits only, format
// shortcuts, and remote cursors.

import Quill from "quill";
import QuillCursors from "quill-cursors";

import { FORMATS, TOOLBAR } from "./formats.js";

Quill.register("modules/cursors", QuillCursors);

const icons = Quill.import("ui/icons");
icons.undo = `<svg viewBox="0 0 18 18"><polygon class="ql-fill ql-stroke" points="6 10 4 12 2 10 6 10"></polygon><path class="ql-stroke" d="M8.09,13.91A4.6,4.6,0,0,0,9,14,5,5,0,1,0,4,9"></path></svg>`;
icons.redo = `<svg viewBox="0 0 18 18"><polygon class="ql-fill ql-stroke" points="12 10 14 12 16 10 12 10"></polygon><path class="ql-stroke" d="M9.91,13.91A4.6,4.6,0,0,1,9,14a5,5,0,1,1,5-5"></path></svg>`;

const MAC = typeof navigator !== "undefined" && /Mac|iPhone|iPad/i.test(navigator.platform);
export const MOD = MAC ? "⌘" : "Ctrl";
const ALT = MAC ? "⌥" : "Alt";

function toggle(name, value = true) {
  return function handler(_range, context) {
    this.quill.format(name, context.format[name] === value ? false : value, "user");
  };
}

function toggleChecklist(_range, context) {
  const checklist = ["checked", "unchecked"].includes(context.format.list);
  this.quill.format("list", checklist ? false : "unchecked", "user");
}

function setHeader(level) {
  return function handler() {
    this.quill.format("header", level, "user");
  };
}

// [label, keys shown, binding]; key codes (not characters) so that Shift and
// Alt, which change the character, do not change the match.
export const SHORTCUTS = [
  ["Bold", `${MOD}+B`, null],
  ["Italic", `${MOD}+I`, null],
  ["Underline", `${MOD}+U`, null],
  [
    "Strikethrough",
    `${MOD}+Shift+X`,
    { key: 88, shortKey: true, shiftKey: true, handler: toggle("strike") },
  ],
  ["Inline code", `${MOD}+E`, { key: 69, shortKey: true, handler: toggle("code") }],
  ["Link", `${MOD}+K`, null],
  [
    "Heading 1",
    `${MOD}+${ALT}+1`,
    { key: 49, shortKey: true, altKey: true, handler: setHeader(1) },
  ],
  [
    "Heading 2",
    `${MOD}+${ALT}+2`,
    { key: 50, shortKey: true, altKey: true, handler: setHeader(2) },
  ],
  [
    "Heading 3",
    `${MOD}+${ALT}+3`,
    { key: 51, shortKey: true, altKey: true, handler: setHeader(3) },
  ],
  [
    "Normal text",
    `${MOD}+${ALT}+0`,
    { key: 48, shortKey: true, altKey: true, handler: setHeader(false) },
  ],
  [
    "Numbered list",
    `${MOD}+Shift+7`,
    { key: 55, shortKey: true, shiftKey: true, handler: toggle("list", "ordered") },
  ],
  [
    "Bulleted list",
    `${MOD}+Shift+8`,
    { key: 56, shortKey: true, shiftKey: true, handler: toggle("list", "bullet") },
  ],
  [
    "Checklist",
    `${MOD}+Shift+9`,
    { key: 57, shortKey: true, shiftKey: true, handler: toggleChecklist },
  ],
  [
    "Quote",
    `${MOD}+Shift+.`,
    { key: 190, shortKey: true, shiftKey: true, handler: toggle("blockquote") },
  ],
  [
    "Code block",
    `${MOD}+${ALT}+C`,
    { key: 67, shortKey: true, altKey: true, handler: toggle("code-block") },
  ],
  [
    "Align centre",
    `${MOD}+Shift+E`,
    { key: 69, shortKey: true, shiftKey: true, handler: toggle("align", "center") },
  ],
  [
    "Align left",
    `${MOD}+Shift+L`,
    { key: 76, shortKey: true, shiftKey: true, handler: setAlignLeft },
  ],
  ["Indent / outdent list item", "Tab / Shift+Tab", null],
  ["Undo your last edit", `${MOD}+Z`, null],
  ["Redo", `${MOD}+Shift+Z`, null],
];

function setAlignLeft() {
  this.quill.format("align", false, "user");
}

const KEY_BINDINGS = Object.fromEntries(
  SHORTCUTS.filter(([, , binding]) => binding).map(([label, , binding]) => [label, binding]),
);

const CONTROL_LABELS = {
  header: "Text style",
  bold: `Bold (${MOD}+B)`,
  italic: `Italic (${MOD}+I)`,
  underline: `Underline (${MOD}+U)`,
  strike: `Strikethrough (${MOD}+Shift+X)`,
  code: `Inline code (${MOD}+E)`,
  color: "Text colour",
  background: "Highlight colour",
  link: `Link (${MOD}+K)`,
  "list:ordered": `Numbered list (${MOD}+Shift+7)`,
  "list:bullet": `Bulleted list (${MOD}+Shift+8)`,
  "list:check": `Checklist (${MOD}+Shift+9)`,
  blockquote: `Quote (${MOD}+Shift+.)`,
  "code-block": `Code block (${MOD}+${ALT}+C)`,
  align: "Alignment",
  "indent:-1": "Decrease indent",
  "indent:+1": "Increase indent",
  clean: "Clear formatting",
  undo: `Undo (${MOD}+Z)`,
  redo: `Redo (${MOD}+Shift+Z)`,
};

function labelToolbar(toolbar) {
  for (const control of toolbar.querySelectorAll("button, .ql-picker")) {
    const name = [...control.classList].find((c) => c.startsWith("ql-") && c !== "ql-picker");
    if (!name) continue;
    const format = name.slice(3);
    const label = CONTROL_LABELS[control.value ? `${format}:${control.value}` : format];
    if (!label) continue;
    const target = control.classList.contains("ql-picker")
      ? control.querySelector(".ql-picker-label")
      : control;
    target.title = label;
    target.setAttribute("aria-label", label);
  }
}

export function createEditor(container) {
  const quill = new Quill(container, {
    theme: "snow",
    readOnly: true, // until the server has said who we are
    formats: FORMATS,
    placeholder: "Start writing…",
    modules: {
      toolbar: {
        container: TOOLBAR,
        handlers: {
          undo() {
            this.quill.history.undo();
          },
          redo() {
            this.quill.history.redo();
          },
        },
      },
      // Only our own edits are undone; remote ones transform the stack instead.
      history: { userOnly: true, delay: 700, maxStack: 500 },
      cursors: { hideDelayMs: 4000, hideSpeedMs: 300 },
      keyboard: { bindings: KEY_BINDINGS },
    },
  });
  labelToolbar(quill.getModule("toolbar").container);
  return quill;
}

// A read-only Quill for previews (history): same formats, no toolbar.
export function createPreview(container) {
  return new Quill(container, {
    theme: "snow",
    readOnly: true,
    formats: [...FORMATS],
    modules: { toolbar: false },
  });
}
