// The history panel's model: revisions grouped into editing sessions, and a
// document at an old revision marked up with what changed since. Pure.

import Delta from "quill-delta";

export const INSERTED_BACKGROUND = "#ccf2d4";
export const DELETED_BACKGROUND = "#ffd6d6";
export const REFORMATTED_BACKGROUND = "#fff2b3";
const SESSION_GAP_MS = 2 * 60 * 1000;

// Return revisions (oldest first, as the API lists them) grouped into runs by
// one author with no pause over two minutes, newest first. Each group is
// {rev (its latest), firstRev, author, createdAt (latest), count}.
export function groupRevisions(revisions, gapMs = SESSION_GAP_MS) {
  const groups = [];
  for (const revision of revisions) {
    const last = groups[groups.length - 1];
    const author = revision.author ? revision.author.username : null;
    const at = Date.parse(revision.created_at);
    if (last && last.author === author && at - Date.parse(last.createdAt) <= gapMs) {
      Object.assign(last, { rev: revision.rev, createdAt: revision.created_at });
      last.count += 1;
    } else {
      groups.push({
        rev: revision.rev,
        firstRev: revision.rev,
        author,
        createdAt: revision.created_at,
        count: 1,
      });
    }
  }
  return groups.reverse();
}

// Return `base` (a document) with `diff` shown on it: inserted text
// highlighted, deleted text struck through, reformatted text marked.
export function diffView(base, diff) {
  const view = new Delta();
  const rest = new Delta.OpIterator(new Delta(base).ops);
  for (const op of deletionsFirst(new Delta(diff).ops)) {
    if (op.insert !== undefined) {
      view.insert(op.insert, { ...op.attributes, background: INSERTED_BACKGROUND });
      continue;
    }
    let length = op.delete ?? op.retain;
    while (length > 0 && rest.hasNext()) {
      const piece = rest.next(length);
      length -= Delta.Op.length(piece);
      view.insert(piece.insert, markedAttributes(piece.attributes, op));
    }
  }
  while (rest.hasNext()) view.push(rest.next());
  return view;
}

// quill-delta puts an insert before a delete at the same place; a reader
// expects the old text struck through first, then the new.
function deletionsFirst(ops) {
  const ordered = [...ops];
  for (let i = 0; i + 1 < ordered.length; i += 1) {
    if (ordered[i].insert !== undefined && ordered[i + 1].delete) {
      [ordered[i], ordered[i + 1]] = [ordered[i + 1], ordered[i]];
      i += 1;
    }
  }
  return ordered;
}

function markedAttributes(attributes, op) {
  if (op.delete) return { ...attributes, strike: true, background: DELETED_BACKGROUND };
  if (!op.attributes) return attributes;
  const changed = Delta.AttributeMap.compose(attributes, op.attributes);
  return { ...changed, background: REFORMATTED_BACKGROUND };
}

// Return {inserted, deleted}: how many characters a diff adds and removes.
export function diffSummary(diff) {
  let inserted = 0;
  let deleted = 0;
  for (const op of new Delta(diff).ops) {
    if (op.insert !== undefined) inserted += Delta.Op.length(op);
    if (op.delete) deleted += op.delete;
  }
  return { inserted, deleted };
}
