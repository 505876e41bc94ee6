// `npm run page`: the inspector on http://127.0.0.1 (build/browser/, rebuilt first with --build).
// Loopback only: the page needs no server at all (index.html opens from file:// too); this one is
// for a stable URL, and for the browser suites, which add the corpus as another root.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { join, normalize, extname, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".wasm": "application/wasm", ".css": "text/css" };

/**
 * A static server on 127.0.0.1: `mounts` maps URL prefixes ("/data/") to directories, "/" last
 * resort. Resolves to { server, url } once listening on `port` (0: any free port).
 */
export async function serveStatic(mounts, port = 0) {
  const server = createServer(async (req, res) => {
    // normalize() resolves "..", and the leading "/" keeps the path under its mount.
    let rel = normalize(decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname));
    if (rel.endsWith("/")) rel += "index.html";
    const prefix = Object.keys(mounts).filter((p) => rel.startsWith(p)).sort((a, b) => b.length - a.length)[0];
    try {
      if (prefix === undefined) throw new Error("no mount");
      const body = await readFile(join(mounts[prefix], rel.slice(prefix.length)));
      res.writeHead(200, { "content-type": TYPES[extname(rel)] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((r) => server.listen(port, "127.0.0.1", () => r(undefined)));
  const address = /** @type {import("node:net").AddressInfo} */ (server.address());
  return { server, url: `http://127.0.0.1:${address.port}/` };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.chdir(ROOT);
  if (process.argv.includes("--build")) await (await import("../../build/browser.js")).buildBrowser();
  const { url } = await serveStatic({ "/": join(ROOT, "build", "browser") }, Number(process.env.PORT ?? 8080));
  console.log(`tsmkit inspector on ${url} (Ctrl-C stops it)`);
}
