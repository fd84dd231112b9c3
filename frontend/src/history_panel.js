// The history panel: who changed the document and when, a read-only preview of
// any revision, its changes up to now, and restoring it (after a confirmation).

import Delta from "quill-delta";

import { api, documentPath } from "./api.js";
import { confirmDialog } from "./dialogs.js";
import { element } from "./dom.js";
import { createPreview } from "./quill_setup.js";
import { diffSummary, diffView, groupRevisions } from "./revisions.js";
import { timeAgo } from "./time_ago.js";

const PAGE = 200; // revisions fetched at a time (one keystroke can be one revision)

export class HistoryPanel {
  constructor(root, { documentId, canRestore, notify }) {
    this.root = root;
    this.documentId = documentId;
    this.canRestore = canRestore;
    this.notify = notify;
    this.list = root.querySelector(".revision-list");
    this.older = root.querySelector(".load-older");
    this.preview = root.querySelector(".revision-preview");
    this.caption = root.querySelector(".preview-caption");
    this.summary = root.querySelector(".preview-summary");
    this.showDiff = root.querySelector(".show-diff");
    this.restoreButton = root.querySelector(".restore");
    this.restoreButton.hidden = !canRestore;
    this.previewEditor = null;
    this.revisions = []; // oldest first
    this.selected = null;
    root.querySelector(".close-history").addEventListener("click", () => this.close());
    this.older.addEventListener("click", () => this._loadOlder());
    this.showDiff.addEventListener("change", () => this._renderPreview());
    this.restoreButton.addEventListener("click", () => this._restore());
  }

  get isOpen() {
    return !this.root.hidden;
  }

  async open() {
    this.root.hidden = false;
    document.body.classList.add("history-open");
    await this.refresh();
  }

  close() {
    this.root.hidden = true;
    document.body.classList.remove("history-open");
  }

  async refresh() {
    try {
      const { rev } = await api(documentPath(this.documentId));
      this.revisions = await this._page(Math.max(0, rev - PAGE), PAGE);
      this._renderList();
      if (this.selected === null && this.revisions.length) this.select(this.revisions.at(-1).rev);
    } catch (failure) {
      this.notify(`Could not load the history: ${failure.message}`);
    }
  }

  async select(rev) {
    this.selected = rev;
    for (const item of this.list.querySelectorAll("button[data-rev]")) {
      item.setAttribute("aria-pressed", String(Number(item.dataset.rev) === rev));
    }
    await this._renderPreview();
  }

  async _page(after, limit) {
    const page = await api(
      documentPath(this.documentId, `revisions/?after=${after}&limit=${limit}`),
    );
    return page.results;
  }

  async _loadOlder() {
    const first = this.revisions.length ? this.revisions[0].rev : 1;
    const after = Math.max(0, first - 1 - PAGE);
    const older = await this._page(after, first - 1 - after);
    this.revisions = [...older, ...this.revisions];
    this._renderList();
  }

  _renderList() {
    const groups = groupRevisions(this.revisions);
    this.list.replaceChildren(
      ...groups.map((group) => {
        const span =
          group.count > 1 ? `revisions ${group.firstRev}–${group.rev}` : `revision ${group.rev}`;
        const button = element(
          "button",
          {
            type: "button",
            dataset: { rev: String(group.rev) },
            "aria-pressed": String(group.rev === this.selected),
          },
          element("span", { className: "who" }, group.author ?? "API / restore"),
          element(
            "time",
            { dateTime: group.createdAt, title: new Date(group.createdAt).toLocaleString() },
            timeAgo(group.createdAt),
          ),
          element("small", {}, span),
        );
        button.addEventListener("click", () => this.select(group.rev));
        return element("li", {}, button);
      }),
    );
    if (!groups.length) this.list.append(element("li", { className: "empty" }, "No edits yet."));
    this.older.hidden = !this.revisions.length || this.revisions[0].rev <= 1;
  }

  async _renderPreview() {
    if (this.selected === null) return;
    const rev = this.selected;
    this.preview.hidden = false;
    if (this.previewEditor === null)
      this.previewEditor = createPreview(this.preview.querySelector(".preview-editor"));
    try {
      const { content } = await api(
        documentPath(this.documentId, `content/?rev=${rev}&format=delta`),
      );
      const { shown, summary } = this.showDiff.checked
        ? await this._changesSince(rev, new Delta(content))
        : { shown: new Delta(content), summary: "" };
      if (rev !== this.selected) return; // another revision was picked meanwhile
      this.caption.textContent = `Revision ${rev}`;
      this.summary.textContent = summary;
      this.previewEditor.setContents(shown, "silent");
    } catch (failure) {
      this.notify(`Could not show revision ${rev}: ${failure.message}`);
    }
  }

  // Return the document at `rev` marked up with what changed up to now. It is
  // diffed here rather than by /diff/: quill-delta's diff cleans up to whole
  // words, which reads far better than a character-by-character diff.
  async _changesSince(rev, old) {
    const current = await api(documentPath(this.documentId, "content/?format=delta"));
    const diff = old.diff(new Delta(current.content));
    const { inserted, deleted } = diffSummary(diff);
    const summary = `From revision ${rev} to the current revision ${current.rev}: +${inserted} / −${deleted} characters.`;
    return { shown: diffView(old, diff), summary };
  }

  async _restore() {
    const rev = this.selected;
    if (rev === null) return;
    const confirmed = await confirmDialog(
      `Restore revision ${rev}? The document will read as it did then; the current text stays in the history.`,
      { confirmLabel: "Restore" },
    );
    if (!confirmed) return;
    try {
      const cid = `restore-${rev}-${Math.random().toString(36).slice(2, 10)}`;
      const restored = await api(documentPath(this.documentId, "restore/"), {
        method: "POST",
        body: { rev, cid },
      });
      this.notify(`Restored revision ${rev} (now revision ${restored.rev}).`);
      this.selected = null;
      await this.refresh();
    } catch (failure) {
      this.notify(`Could not restore: ${failure.message}`);
    }
  }
}
