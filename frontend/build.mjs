// Bundle the browser code into dist/cowrite/, which Django collects as static files.
import { build } from "esbuild";

await build({
  entryPoints: ["src/app.js", "src/app.css"],
  outdir: "dist/cowrite",
  bundle: true,
  format: "esm",
  minify: true,
  sourcemap: true,
  target: ["es2020"],
  logLevel: "info",
});
