// Entry point of the browser bundle: each page loads only the code it needs.

document.documentElement.dataset.cowrite = "ready";

const editorPage = document.getElementById("editor-page");
if (editorPage) {
  import("./editor_page.js").then(({ startEditorPage }) => startEditorPage(editorPage));
}

const documentsPage = document.getElementById("documents-page");
if (documentsPage) {
  import("./list_page.js").then(({ startListPage }) => startListPage(documentsPage));
}
