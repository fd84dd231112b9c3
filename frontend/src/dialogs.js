// Small modal dialogs on <dialog>: a confirmation that resolves to true or false.

import { element } from "./dom.js";

export function confirmDialog(message, { confirmLabel = "OK", danger = false } = {}) {
  const confirm = element(
    "button",
    { type: "submit", value: "yes", className: danger ? "danger" : "" },
    confirmLabel,
  );
  const dialog = element(
    "dialog",
    { className: "dialog confirm-dialog" },
    element(
      "form",
      { method: "dialog" },
      element("p", {}, message),
      element(
        "div",
        { className: "dialog-actions" },
        element("button", { type: "submit", value: "no", className: "secondary" }, "Cancel"),
        confirm,
      ),
    ),
  );
  document.body.append(dialog);
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => {
      dialog.remove();
      resolve(dialog.returnValue === "yes");
    });
    dialog.showModal();
    confirm.focus();
  });
}
