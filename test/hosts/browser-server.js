// A static server on 127.0.0.1 for build/browser/ (built afresh, so the suites never test a stale
// bundle) and the corpus under /data/ (read in place), and a headless Debian Chromium driven by
// playwright-core: the real browser the browser suites run in.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { ROOT, DATA } from "../data.js";
import { buildBrowser } from "../../build/browser.js";
import { serveStatic } from "../../hosts/browser/serve.js";

/** Starts the server and Chromium on the page; `viewport` ({ width, height }) sizes the window. */
export async function startBrowser({ viewport } = {}) {
  await buildBrowser();
  const { server, url } = await serveStatic({ "/": join(ROOT, "build", "browser"), "/data/": DATA });
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
