// Bundles the browser entry and the static page into build/browser/ (ESM, no bare imports left),
// so a plain static server can load tsmkit with no bundler of its own. The page's script is
// inlined into index.html: Chromium refuses module scripts from file:// pages, so one
// self-contained file is what opens by double-click as well as from a server.
import { build } from "esbuild";
import { mkdir, readFile, writeFile, rm } from "node:fs/promises";

export async function buildBrowser() {
  await mkdir("build/browser", { recursive: true });
  const common = { bundle: true, minify: true, format: "esm", platform: "browser", target: "es2022", logLevel: "warning" };
  await build({ ...common, entryPoints: ["hosts/browser/index.js"], outfile: "build/browser/tsmkit.js" });
  const { outputFiles } = await build({ ...common, entryPoints: ["hosts/browser/page.js"], write: false });
  const script = outputFiles[0].text;
  if (/<\/script/i.test(script)) throw new Error("the page bundle holds </script and cannot be inlined");
  const html = await readFile("hosts/browser/index.html", "utf8");
  const tag = '<script type="module" src="./page.js"></script>';
  if (!html.includes(tag)) throw new Error(`hosts/browser/index.html lacks ${tag}`);
  await writeFile("build/browser/index.html", html.replace(tag, () => `<script type="module">${script}</script>`));
  await rm("build/browser/page.js", { force: true }); // earlier builds wrote the page script beside it
}
