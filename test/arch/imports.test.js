// The architecture as data: every import in the tree (static, re-export, and dynamic with a
// literal specifier) is checked against the directions in rules.json, and the module graph has no
// cycle. A failure names the file, what it imports and the rule it breaks.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync, readdirSync, existsSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

const RULES = JSON.parse(readFileSync(new URL("./rules.json", import.meta.url), "utf8"));
const SKIP = new Set(["node_modules", ".git", "generated"]);

function sources(dir) {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const rel = join(dir, name);
    if (SKIP.has(name)) return [];
    if (statSync(join(ROOT, rel)).isDirectory()) return sources(rel);
    return /\.(js|ts|mjs)$/.test(name) && !name.endsWith(".d.ts") ? [rel] : [];
  });
}

// Comments go first (a JSDoc `import("./x.js").T` is a type, not an import); a comment starts at
// a line start or after white space, so "https://" and "build/*.wasm" in strings stay.
const stripComments = (s) => s.replace(/(^|\s)\/\*[\s\S]*?\*\//g, "$1").replace(/(^|\s)\/\/.*$/gm, "$1");
const IMPORT = [
  /^\s*(?:import|export)\s+(?:type\s+)?[\w*{}\s,$]*?\s*from\s*["']([^"']+)["']/gm, // import x from, export * from
  /^\s*import\s*["']([^"']+)["']/gm, // import "x" (side effects)
  /\bimport\(\s*["']([^"']+)["']\s*\)/g, // import("x")
];

/** Every import specifier of a file. */
export function importsOf(text) {
  const body = stripComments(text);
  return IMPORT.flatMap((re) => [...body.matchAll(re)].map((m) => m[1]));
}

function resolveImport(file, spec) {
  if (spec.startsWith("node:") || builtinModules.includes(spec.split("/")[0])) return { builtin: spec };
  if (!spec.startsWith(".")) return { pkg: spec };
  const base = resolve(ROOT, dirname(file), spec);
  for (const p of [base, `${base}.ts`, `${base}.js`, join(base, "index.ts"), join(base, "index.js")]) {
    if (existsSync(p) && statSync(p).isFile()) return { file: relative(ROOT, p) };
  }
  return { missing: relative(ROOT, base) };
}

/** The layer of a path: the one with the longest matching prefix. */
export function layerOf(path) {
  let best = null, len = -1;
  for (const [name, l] of Object.entries(RULES.layers)) {
    for (const p of l.paths) if ((path === p || path.startsWith(p)) && p.length > len) { best = name; len = p.length; }
  }
  return best;
}

const FILES = ["assembly", "hosts", "build", "test"].flatMap(sources);
const GRAPH = new Map(FILES.map((f) => [f, importsOf(readFileSync(join(ROOT, f), "utf8")).map((s) => ({ spec: s, ...resolveImport(f, s) }))]));

/** The broken rules of one import (empty when it is allowed). */
function violations(file, imp) {
  const from = layerOf(file), rule = RULES.layers[from];
  if (!rule) return [`${file} is in no layer of rules.json`];
  // build/generated/ is written by npm run build (git-ignored): its modules may not exist yet.
  if (imp.missing && !imp.missing.startsWith("build/generated/")) return [`${file} imports ${imp.spec}, which does not exist`];
  if (imp.builtin) return rule.node ? [] : [`${file} (${from}) imports ${imp.spec}: ${rule.why}`];
  if (imp.pkg) return [];
  const to = layerOf(imp.file ?? imp.missing);
  if (!rule.allow.includes(to)) return [`${file} (${from}) imports ${imp.file} (${to}): ${rule.why}`];
  const gate = RULES.gateways.find((g) => g.from === from && g.to === to);
  if (gate && !gate.only.includes(file)) return [`${file} (${from}) imports ${imp.file} (${to}): ${gate.why} (${gate.only.join(", ")})`];
  return [];
}

test("rules.json: every layer's allow list names layers; every source file is in a layer", () => {
  const names = Object.keys(RULES.layers);
  for (const [name, l] of Object.entries(RULES.layers)) for (const a of l.allow) assert.ok(names.includes(a), `${name} allows unknown layer ${a}`);
  assert.equal(FILES.filter((f) => !layerOf(f)), []);
  assert.ok(FILES.length > 150, `only ${FILES.length} source files found`);
});

test("every import follows the directions in rules.json", () => {
  const broken = [...GRAPH].flatMap(([file, imps]) => imps.flatMap((imp) => violations(file, imp)));
  assert.equal(broken, [], `\n  ${broken.join("\n  ")}`);
});

test("no import cycles", () => {
  // Tarjan's strongly connected components over file -> file edges.
  const index = new Map(), low = new Map(), stack = [], on = new Set(), cycles = [];
  let n = 0;
  const visit = (v) => {
    index.set(v, n); low.set(v, n); n++; stack.push(v); on.add(v);
    for (const { file: w } of GRAPH.get(v) ?? []) {
      if (!w || !GRAPH.has(w)) continue;
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v), low.get(w))); }
      else if (on.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) === index.get(v)) {
      const scc = [];
      let w;
      do { w = stack.pop(); on.delete(w); scc.push(w); } while (w !== v);
      if (scc.length > 1) cycles.push(scc.sort().join(" <-> "));
    }
  };
  for (const f of GRAPH.keys()) if (!index.has(f)) visit(f);
  assert.equal(cycles, [], `\n  ${cycles.join("\n  ")}`);
});

test("the checker sees each kind of import, and not those in comments", () => {
  // Built from parts, so this file's own scan does not see these samples as imports.
  const I = "imp" + "ort";
  const src = `${I} a from "./a.js";\n${I} {\n  b,\n  c as d,\n} from "./b.js";\nexport * from "./c";\n${I} "./d.js";\n` +
    `const e = await ${I}("./e.js");\n/** @param {${I}("./f.js").T} x */\n// ${I} g from "./g.js";\nconst u = "https://h/*";\n`;
  assert.equal(importsOf(src).sort(), ["./a.js", "./b.js", "./c", "./d.js", "./e.js"]);
  assert.is(layerOf("hosts/node/commands/sim.js"), "cli");
  assert.is(layerOf("hosts/node/report.js"), "node");
  assert.is(layerOf("hosts/browser/serve.js"), "browser-server");
});

test("a forbidden direction is reported with its reason", () => {
  const [msg] = violations("hosts/sim/x.js", { spec: "../node/ioctl.js", file: "hosts/node/ioctl.js" });
  assert.match(msg, /hosts\/sim\/x\.js \(sim\) imports hosts\/node\/ioctl\.js \(node\): the simulator depends on production code/);
  assert.match(violations("hosts/node/ioctl.js", { spec: "../sim/tsm.js", file: "hosts/sim/tsm.js" })[0], /one simulator-backend entry/);
  assert.match(violations("hosts/js/x.js", { spec: "node:fs", builtin: "node:fs" })[0], /no node: module/);
  assert.match(violations("assembly/x.ts", { spec: "../hosts/js/core.js", file: "hosts/js/core.js" })[0], /imports no host/);
});

test.run();
