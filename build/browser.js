// Bundles the browser entry and the static page into build/browser/ (ESM, no bare imports left),
// so a plain static server — or a file:// page — can load tsmkit with no bundler of its own.
import { build } from "esbuild";
import { copyFile, mkdir } from "node:fs/promises";

export async function buildBrowser() {
  await mkdir("build/browser", { recursive: true });
  const common = { bundle: true, minify: true, format: "esm", platform: "browser", target: "es2022", logLevel: "warning" };
  await build({ ...common, entryPoints: ["hosts/browser/index.js"], outfile: "build/browser/tsmkit.js" });
  await build({ ...common, entryPoints: ["hosts/browser/page.js"], outfile: "build/browser/page.js" });
  await copyFile("hosts/browser/index.html", "build/browser/index.html");
}
