// Entry point of the browser bundle; the editor page arrives with its own issue.
document.documentElement.dataset.cowrite = "ready";
