// Bundle the browser code into dist/cowrite/, which Django collects as static files.
// Code splitting keeps Quill out of the document list page; chunks are loaded
// relative to app.js, so they need no entry in Django's manifest.
import { rm } from "node:fs/promises";

import { build } from "esbuild";

const outdir = "dist/cowrite";
await rm(outdir, { recursive: true, force: true }); // no stale chunks from older builds

await build({
  entryPoints: ["src/app.js", "src/app.css"],
  outdir,
  bundle: true,
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  format: "esm",
  minify: true,
  sourcemap: true,
  target: ["es2020"],
  logLevel: "info",
});
