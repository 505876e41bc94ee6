// Suite "payload": what a browser downloads, min + gzip, as a user's bundler produces it from the
// package's exports (esbuild, browser platform, minified) — `import { decode }`, `import { decode,
// verify }` — beside the shipped bundle (build/browser/tsmkit.js) and the inspector page
// (build/browser/index.html, everything inlined). Sizes, not times: the rows are notes.
import { build } from "esbuild";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { ROOT } from "../data.js";

export const name = "payload";
export const title = "browser payload, bytes raw and gzip (issue 14 targets: decode <= 35 KB, decode + verify <= 100 KB gzip)";

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const sizes = (bytes) => ({ raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length });

// The file the package's "." export names, as a bundler resolves `import ... from "tsmkit"`.
const ENTRY = join(ROOT, JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).exports["."].default);

/** min + gzip of a program importing `names` from the package, bundled as a user's bundler would. */
async function bundled(names) {
  const { outputFiles } = await build({
    stdin: { contents: `import { ${names.join(", ")} } from "tsmkit";\nglobalThis.tsmkit = { ${names.join(", ")} };\n`, resolveDir: ROOT },
    alias: { tsmkit: ENTRY }, bundle: true, minify: true, format: "esm", platform: "browser", target: "es2022", write: false, logLevel: "silent",
  });
  return sizes(outputFiles[0].contents);
}

export async function run() {
  const rows = [
    ["import { decode } from \"tsmkit\"", await bundled(["decode"]), 35],
    ["import { decode, verify } from \"tsmkit\"", await bundled(["decode", "verify"]), 100],
    ["build/browser/tsmkit.js (shipped bundle)", sizes(readFileSync(join(ROOT, "build", "browser", "tsmkit.js"))), null],
    ["build/browser/index.html (inspector page, inlined)", sizes(readFileSync(join(ROOT, "build", "browser", "index.html"))), null],
  ];
  const lines = rows.map(([what, s, target]) => [`${what}: ${kb(s.raw)} raw, ${kb(s.gzip)} gzip${target ? ` (target <= ${target} KB gzip: ${s.gzip <= target * 1024 ? "met" : "MISSED"})` : ""}`, target]);
  return { rows: [], notes: lines.map(([l]) => l), targets: lines.filter(([, t]) => t).map(([l]) => l) };
}
