// The share dialog: who else may open a document, as editor or viewer (owner only).

import { api, apiList, documentPath } from "./api.js";
import { element } from "./dom.js";

const ROLES = [
  ["editor", "Can edit"],
  ["viewer", "Can view"],
];

function roleSelect(selected, label) {
  return element(
    "select",
    { name: "role", "aria-label": label },
    ROLES.map(([value, text]) => element("option", { value, selected: value === selected }, text)),
  );
}

export function openShareDialog({ id, title }) {
  const list = element("ul", { className: "collaborators", "aria-label": "People with access" });
  const error = element("p", { className: "error", role: "alert" });
  const username = element("input", {
    name: "username",
    placeholder: "Username",
    required: true,
    autocomplete: "off",
    "aria-label": "Username to share with",
  });
  const addForm = element(
    "form",
    { className: "add-collaborator" },
    username,
    roleSelect("editor", "Role for the new collaborator"),
    element("button", { type: "submit" }, "Share"),
  );
  const dialog = element(
    "dialog",
    { className: "dialog share-dialog", "aria-label": `Share ${title}` },
    element(
      "form",
      { method: "dialog", className: "dialog-header" },
      element("h2", {}, "Share “", title, "”"),
      element(
        "button",
        { type: "submit", className: "icon-button secondary", "aria-label": "Close" },
        "×",
      ),
    ),
    addForm,
    error,
    list,
  );

  const show = (message) => {
    error.textContent = message;
  };
  const guarded = (action) => async (event) => {
    event?.preventDefault();
    show("");
    try {
      await action(event);
    } catch (failure) {
      show(failure.message);
    }
  };
  const setRole = (name, role) =>
    api(documentPath(id, "collaborators/"), { method: "POST", body: { username: name, role } });

  async function refresh() {
    const collaborators = await apiList(documentPath(id, "collaborators/"));
    list.replaceChildren(
      ...collaborators.map(({ user, role }) => {
        const select = roleSelect(role, `Role of ${user.username}`);
        select.addEventListener(
          "change",
          guarded(() => setRole(user.username, select.value)),
        );
        const remove = element("button", { type: "button", className: "secondary" }, "Remove");
        remove.addEventListener(
          "click",
          guarded(async () => {
            await api(documentPath(id, `collaborators/${user.id}/`), { method: "DELETE" });
            await refresh();
          }),
        );
        return element(
          "li",
          { dataset: { username: user.username } },
          element("span", { className: "who" }, user.username),
          select,
          remove,
        );
      }),
    );
    if (!collaborators.length)
      list.append(element("li", { className: "empty" }, "Only you have access."));
  }

  addForm.addEventListener(
    "submit",
    guarded(async () => {
      await setRole(username.value.trim(), addForm.elements.role.value);
      username.value = "";
      await refresh();
    }),
  );
  dialog.addEventListener("close", () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  username.focus();
  guarded(refresh)();
  return dialog;
}
