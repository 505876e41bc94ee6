// A static server on 127.0.0.1 for build/browser/ (built afresh, so the suites never test a stale
// bundle) and the corpus under /data/ (read in place), and a headless Debian Chromium driven by
// playwright-core: the real browser the browser suites run in.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, normalize, extname } from "node:path";
import { chromium } from "playwright-core";
import { ROOT, DATA } from "../data.js";
import { buildBrowser } from "../../build/browser.js";

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm", ".css": "text/css" };

/** Starts the server and Chromium on the page; `viewport` ({ width, height }) sizes the window. */
export async function startBrowser({ viewport } = {}) {
  await buildBrowser();
  const base = join(ROOT, "build", "browser");
  const server = createServer(async (req, res) => {
    let rel = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname)).replace(/^(\.\.[/\\])+/, "");
    if (rel.endsWith("/")) rel += "index.html";
    try {
      const body = await readFile(rel.startsWith("/data/") ? join(DATA, rel.slice(6)) : join(base, rel));
      res.writeHead(200, { "content-type": TYPES[extname(rel)] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const profile = mkdtempSync(join(tmpdir(), "tsmkit-chromium-"));
  // A fresh profile per run (playwright takes it as launchPersistentContext's directory).
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    ...(viewport && { viewport }),
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"],
  });
  const page = browser.pages()[0] ?? await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  const url = `http://127.0.0.1:${server.address().port}/`;
  await page.goto(url);
  await page.waitForFunction(() => window.tsmkit !== undefined);
  return {
    page, url, errors,
    async close() {
      await browser.close();
      await new Promise((r) => server.close(r));
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
