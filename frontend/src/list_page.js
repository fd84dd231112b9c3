// The document list: mine and shared with me, search, create, rename, delete, share.

import { api, apiList, documentPath } from "./api.js";
import { confirmDialog } from "./dialogs.js";
import { element } from "./dom.js";
import { openShareDialog } from "./share_dialog.js";
import { timeAgo } from "./time_ago.js";

const editorUrl = (id) => `/documents/${id}/`;

export function startListPage(root) {
  const lists = {
    owned: root.querySelector("#my-documents"),
    shared: root.querySelector("#shared-documents"),
  };
  const error = root.querySelector("#list-error");
  const search = root.querySelector("#document-search");
  const show = (message) => {
    error.textContent = message;
  };

  async function load() {
    const query = search.value.trim() ? `&search=${encodeURIComponent(search.value.trim())}` : "";
    try {
      const [owned, shared] = await Promise.all([
        apiList(`documents/?owned=1${query}`),
        apiList(`documents/?shared=1${query}`),
      ]);
      render(lists.owned, owned, "No documents yet — create one above.");
      render(lists.shared, shared, "Nothing is shared with you yet.");
      show("");
      root.dataset.loaded = "true";
    } catch (failure) {
      show(`Could not load the documents: ${failure.message}`);
    }
  }

  function render(list, documents, emptyText) {
    list.replaceChildren(
      ...documents.map((document) => documentRow(document, { reload: load, show })),
    );
    if (!documents.length)
      list.append(element("li", { className: "empty" }, search.value ? "No match." : emptyText));
  }

  root.querySelector("#new-document").addEventListener("submit", async (event) => {
    event.preventDefault();
    const title = event.target.elements.title.value.trim();
    try {
      const created = await api("documents/", { method: "POST", body: title ? { title } : {} });
      window.location.assign(editorUrl(created.id));
    } catch (failure) {
      show(`Could not create the document: ${failure.message}`);
    }
  });
  root.querySelector("#new-document button").disabled = false;
  let searchTimer = null;
  search.addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(load, 200);
  });
  load();
}

function documentRow(document, { reload, show }) {
  const link = element("a", { className: "title", href: editorUrl(document.id) }, document.title);
  const owner = document.role === "owner" ? "" : `${document.owner.username} · ${document.role} · `;
  const actions = element("span", { className: "row-actions" });
  const row = element(
    "li",
    { dataset: { id: document.id, role: document.role } },
    element(
      "div",
      { className: "row-main" },
      link,
      element("small", {}, `${owner}edited ${timeAgo(document.updated_at)}`),
    ),
    actions,
  );
  if (document.role !== "owner") return row;

  const button = (label, onClick, className = "secondary") => {
    const node = element("button", { type: "button", className }, label);
    node.addEventListener("click", onClick);
    return node;
  };
  actions.append(
    button("Rename", () => startRename(row, link, document, { reload, show })),
    button("Share", () => openShareDialog(document)),
    button(
      "Delete",
      async () => {
        const confirmed = await confirmDialog(
          `Delete “${document.title}”? This cannot be undone.`,
          {
            confirmLabel: "Delete",
            danger: true,
          },
        );
        if (!confirmed) return;
        try {
          await api(documentPath(document.id), { method: "DELETE" });
          await reload();
        } catch (failure) {
          show(`Could not delete: ${failure.message}`);
        }
      },
      "secondary danger",
    ),
  );
  return row;
}

function startRename(row, link, document, { reload, show }) {
  const input = element("input", {
    className: "rename-input",
    value: document.title,
    maxLength: 200,
    "aria-label": "New title",
  });
  link.replaceWith(input);
  input.focus();
  input.select();
  let done = false;
  const finish = async (save) => {
    if (done) return;
    done = true;
    const title = input.value.trim();
    if (save && title && title !== document.title) {
      try {
        await api(documentPath(document.id), { method: "PATCH", body: { title } });
      } catch (failure) {
        show(`Could not rename: ${failure.message}`);
      }
    }
    await reload();
  };
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") finish(true);
    if (event.key === "Escape") finish(false);
  });
  input.addEventListener("blur", () => finish(true));
  return row;
}
