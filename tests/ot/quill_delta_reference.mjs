// Answer calls to quill-delta 5.1.0, the reference for editor/ot.
//
// stdin: a JSON list of calls, each [name, ...args] with Deltas as op lists:
//   ["apply", document, ops]           document.compose(ops), nulls dropped from inserts
//   ["compose", a, b]                  a.compose(b)
//   ["transform", a, b, priority]      a.transform(b, priority)
//   ["transformPosition", a, index, priority]
//   ["invert", ops, base]              ops.invert(base)
//   ["diff", a, b]                     a.diff(b)
// stdout: a JSON list with one result per call: {"ok": value} or {"error": message}.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const require = createRequire(new URL('../../frontend/package.json', import.meta.url));
const Delta = require('quill-delta');

function withoutNulls(attributes) {
  if (!attributes) return undefined;
  const kept = {};
  for (const [key, value] of Object.entries(attributes)) if (value !== null) kept[key] = value;
  return kept;
}

// A document in canonical form: apply() never leaves a null attribute in one.
function canonicalDocument(delta) {
  const out = new Delta();
  for (const op of delta.ops) {
    if (op.insert === undefined) return delta.ops; // not a document: report it as is
    out.insert(op.insert, withoutNulls(op.attributes));
  }
  return out.ops;
}

const calls = {
  apply: (document, ops) => canonicalDocument(new Delta(document).compose(new Delta(ops))),
  compose: (a, b) => new Delta(a).compose(new Delta(b)).ops,
  transform: (a, b, priority) => new Delta(a).transform(new Delta(b), priority).ops,
  transformPosition: (a, index, priority) => new Delta(a).transformPosition(index, priority),
  invert: (ops, base) => new Delta(ops).invert(new Delta(base)).ops,
  diff: (a, b) => new Delta(a).diff(new Delta(b)).ops,
};

const requests = JSON.parse(readFileSync(0, 'utf8'));
const results = requests.map(([name, ...args]) => {
  try {
    return { ok: calls[name](...args) };
  } catch (error) {
    return { error: String(error) };
  }
});
process.stdout.write(JSON.stringify(results));
