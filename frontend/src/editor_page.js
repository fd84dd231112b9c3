// The editor page: wires Quill, the collaboration client and the page's parts
// (title, presence bar, save indicator, counts, history, share).

import { ApiError, api, documentPath } from "./api.js";
import { CollabClient } from "./client.js";
import { countLabel, countText } from "./counts.js";
import { element } from "./dom.js";
import { formatRepairs } from "./formats.js";
import { HistoryPanel } from "./history_panel.js";
import { PresenceView } from "./presence_view.js";
import { SHORTCUTS, createEditor } from "./quill_setup.js";
import { openShareDialog } from "./share_dialog.js";
import { statusLabel } from "./status.js";

const NOTICE_MS = 8000;

function randomId() {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

// The editor adapter CollabClient drives (see client.js).
function quillAdapter(quill) {
  return {
    // Typing Quill has not noticed yet must become a local edit before a remote
    // op is transformed, or the op would land at a stale position.
    flush: () => quill.update("user"),
    apply: (delta) => quill.updateContents(delta, "api"),
    reset: (delta) => {
      quill.setContents(delta, "api");
      quill.history.clear();
    },
    busy: () => quill.composition.isComposing,
  };
}

export function startEditorPage(root) {
  const { documentId, wsPath } = root.dataset;
  const quill = createEditor(root.querySelector("#editor"));
  const parts = {
    title: root.querySelector("#doc-title"),
    status: root.querySelector("#save-status"),
    counts: root.querySelector("#word-count"),
  };
  const notify = noticeShower(root.querySelector("#notice"));
  const presence = new PresenceView(root.querySelector("#presence-bar"), quill);
  const scheme = window.location.protocol === "https:" ? "wss" : "ws";
  const client = new CollabClient({
    clientId: randomId(),
    editor: quillAdapter(quill),
    url: `${scheme}://${window.location.host}${wsPath}`,
    probeAccess: () => probeAccess(documentId),
    listeners: {
      status: () => renderStatus(),
      presence: (book) => presence.render(book),
      title: (title) => showTitle(parts.title, title),
      role: (role) => applyRole(root, quill, role),
      notice: notify,
      error: (error) => console.warn("cowrite: resynchronising after", error),
    },
  });
  const countdown = ticker(() => renderStatus());
  const counts = countsShower(parts.counts, quill);

  function renderStatus() {
    const status = client.status;
    const { text, tone } = statusLabel(status);
    parts.status.textContent = text;
    parts.status.dataset.tone = tone;
    root.dataset.connection = status.connection;
    root.dataset.synchronized = String(status.synchronized);
    if (status.final !== null) applyRole(root, quill, "closed");
    countdown.update(status.retryInMs !== null);
  }

  wireQuill(quill, client, () => {
    presence.renderCursors(client.presence);
    counts.schedule();
  });
  wireWindow(quill, client);
  wireTitle(parts.title, documentId, notify);
  wireButtons(root, documentId, notify);
  window.cowrite = { quill, client }; // for the browser tests and the curious
  client.start();
  renderStatus();
  counts.schedule();
}

// Local edits go to the client (repaired when they carry what the server
// refuses), selection moves become presence, and `changed` runs after every
// change of the document.
function wireQuill(quill, client, changed) {
  quill.on("text-change", (delta, _old, source) => {
    if (source === "user") {
      client.localEdit(delta);
      const repairs = formatRepairs(delta);
      if (repairs.ops.length) quill.updateContents(repairs, "user");
    }
    changed();
  });
  // editor-change also reports the selection moves Quill keeps silent while typing.
  quill.on("editor-change", (event, range) => {
    if (event === "selection-change" && range) client.setSelection(range);
  });
  quill.on("composition-end", () => queueMicrotask(() => client.drain()));
}

function wireWindow(quill, client) {
  window.addEventListener("online", () => client.networkChanged(true));
  window.addEventListener("offline", () => client.networkChanged(false));
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") client.checkConnection();
  });
  window.addEventListener("beforeunload", (event) => {
    quill.update("user");
    if (!client.hasUnsavedEdits) return;
    event.preventDefault();
    event.returnValue = ""; // older browsers need it to show the prompt
  });
}

function applyRole(root, quill, role) {
  const canEdit = role === "owner" || role === "editor";
  root.dataset.role = role === "closed" ? root.dataset.role : role;
  root.classList.toggle("read-only", !canEdit);
  quill.enable(canEdit);
  const badge = root.querySelector("#role-badge");
  if (badge) badge.hidden = canEdit;
  if (badge && role === "viewer") badge.textContent = "View only";
  if (badge && role === "closed") badge.textContent = "Disconnected";
}

function showTitle(node, title) {
  if (typeof title !== "string") return;
  document.title = `${title} · Cowrite`;
  if (node.tagName === "INPUT") {
    if (document.activeElement !== node) node.value = title;
    node.dataset.saved = title;
  } else {
    node.textContent = title;
  }
}

function wireTitle(node, documentId, notify) {
  if (node.tagName !== "INPUT") return;
  node.dataset.saved = node.value;
  const save = async () => {
    const title = node.value.trim();
    if (!title || title === node.dataset.saved) {
      node.value = node.dataset.saved;
      return;
    }
    try {
      await api(documentPath(documentId), { method: "PATCH", body: { title } });
      showTitle(node, title);
    } catch (failure) {
      notify(`Could not rename: ${failure.message}`);
      node.value = node.dataset.saved;
    }
  };
  node.addEventListener("change", save);
  node.addEventListener("keydown", (event) => {
    if (event.key === "Enter") node.blur();
    if (event.key === "Escape") {
      node.value = node.dataset.saved;
      node.blur();
    }
  });
}

function wireButtons(root, documentId, notify) {
  const panelRoot = root.querySelector("#history-panel");
  const canRestore = ["owner", "editor"].includes(root.dataset.role);
  const history = new HistoryPanel(panelRoot, { documentId, canRestore, notify });
  root.querySelector("#history-button").addEventListener("click", () => {
    if (history.isOpen) history.close();
    else history.open();
  });
  root.querySelector("#share-button")?.addEventListener("click", () => {
    const titleNode = root.querySelector("#doc-title");
    openShareDialog({ id: documentId, title: titleNode.value ?? titleNode.textContent });
  });
  root.querySelector("#shortcuts-button").addEventListener("click", showShortcuts);
}

function showShortcuts() {
  const dialog = element(
    "dialog",
    { className: "dialog shortcuts-dialog", "aria-label": "Keyboard shortcuts" },
    element(
      "form",
      { method: "dialog", className: "dialog-header" },
      element("h2", {}, "Keyboard shortcuts"),
      element(
        "button",
        { type: "submit", className: "icon-button secondary", "aria-label": "Close" },
        "×",
      ),
    ),
    element(
      "dl",
      { className: "shortcuts" },
      SHORTCUTS.map(([label, keys]) => [
        element("dt", {}, label),
        element("dd", {}, element("kbd", {}, keys)),
      ]),
    ),
  );
  dialog.addEventListener("close", () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
}

// Ask the REST API why the socket was refused: a final reason, or null to keep trying.
async function probeAccess(documentId) {
  try {
    await api(documentPath(documentId));
    return null;
  } catch (failure) {
    if (!(failure instanceof ApiError)) return null;
    if (failure.status === 401 || failure.status === 403) return "signed_out";
    if (failure.status === 404) return "not_found";
    return null;
  }
}

function noticeShower(node) {
  let timer = null;
  return (message) => {
    node.textContent = message;
    clearTimeout(timer);
    timer = setTimeout(() => {
      node.textContent = "";
    }, NOTICE_MS);
  };
}

// Show the word and character count, at most once per frame.
function countsShower(node, quill) {
  let queued = false;
  return {
    schedule() {
      if (queued) return;
      queued = true;
      requestAnimationFrame(() => {
        queued = false;
        node.textContent = countLabel(countText(quill.getText()));
      });
    },
  };
}

// Call `render` every second while `update(true)` says a countdown is showing.
function ticker(render) {
  let timer = null;
  return {
    update(active) {
      if (active && timer === null) timer = setInterval(render, 1000);
      if (!active && timer !== null) {
        clearInterval(timer);
        timer = null;
      }
    },
  };
}
