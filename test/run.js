// The test command: every uvu suite under test/ (files named *.test.js), each in its own
// process, then one closing line "N passed, N failed" computed from uvu's own totals.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { ROOT } from "./data.js";

function suites(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === "bench" ? [] : suites(p);
    return name.endsWith(".test.js") ? [p] : [];
  }).sort();
}

const only = process.argv.slice(2);
const files = suites(join(ROOT, "test")).filter((f) => !only.length || only.some((o) => f.includes(o)));
let passed = 0, failed = 0, skipped = 0, broken = [];
for (const file of files) {
  const rel = relative(ROOT, file);
  console.log(`\n# ${rel}`);
  const r = spawnSync(process.execPath, ["--disable-warning=ExperimentalWarning", file], {
    cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 64 << 20,
  });
  process.stdout.write(r.stdout);
  const m = /Total:\s+(\d+)[\s\S]*?Passed:\s+(\d+)[\s\S]*?Skipped:\s+(\d+)/.exec(r.stdout.replace(/\x1b\[[0-9;]*m/g, ""));
  if (!m) { failed++; broken.push(`${rel} (${r.signal ? `killed by ${r.signal}` : `exit ${r.status}`}, no uvu summary)`); continue; }
  const [total, ok, skip] = [+m[1], +m[2], +m[3]];
  passed += ok; skipped += skip; failed += total - ok - skip;
  if (r.status !== 0 && total === ok + skip) { failed++; broken.push(`${rel} (exit ${r.status})`); }
}
if (broken.length) console.log(`\nbroken suites:\n  ${broken.join("\n  ")}`);
if (!files.length) { console.log("no test suites found"); failed++; }
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed ? 1 : 0);
