// `npm run bench [suite...] [--quick] [--markdown]`: runs the benchmark suites (suites.js) and
// prints one table per suite with the machine facts; --markdown also prints every issue target of
// the run as one Markdown table (what the README shows). A benchmark, not a test: it reports, it
// never fails on speed.
import os from "node:os";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../data.js";
import { compare, compareAsync, ROUNDS } from "./measure.js";
import { SUITES } from "./suites.js";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const markdown = args.includes("--markdown");
const only = args.filter((a) => !a.startsWith("--"));
const unknown = only.filter((n) => !SUITES.some((s) => s.name === n));
if (unknown.length) {
  console.error(`unknown suite(s): ${unknown.join(", ")} (known: ${SUITES.map((s) => s.name).join(", ")})`);
  process.exit(2);
}

function machine() {
  const cpus = os.cpus();
  const wasm = readFileSync(join(ROOT, "build", "core.wasm")).length;
  return [
    `node ${process.version} (V8 ${process.versions.v8}), ${process.platform}/${process.arch}`,
    `cpu: ${cpus[0]?.model ?? "unknown"} x${cpus.length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM`,
    `core.wasm: ${wasm} bytes; ${quick ? "quick run (fewer, shorter rounds)" : `interleaved rounds per candidate: ${ROUNDS.sync.rounds} of ~${ROUNDS.sync.roundMs} ms (synchronous), ${ROUNDS.async.rounds} of ~${ROUNDS.async.roundMs} ms (asynchronous)`}, median ns/op`,
  ];
}

const targetText = (r, ratio) => {
  if (r.target !== undefined) return ratio === null ? "n/a" : `>=${r.target}x ${ratio >= r.target ? "met" : "MISSED"}`;
  if (r.within !== undefined) return ratio === null ? "n/a" : `ours<=${r.within}x peer ${1 / ratio <= r.within ? "met" : "MISSED"}`;
  return "";
};

const ns = (m) => (m ? (m.ns >= 100 ? Math.round(m.ns).toLocaleString("en-US") : m.ns.toFixed(1)) : "-");

/** A time for people: ns, µs, ms or s with three significant digits. */
function human(m) {
  if (!m) return "-";
  const [v, unit] = m.ns >= 1e9 ? [m.ns / 1e9, "s"] : m.ns >= 1e6 ? [m.ns / 1e6, "ms"] : m.ns >= 1e3 ? [m.ns / 1e3, "µs"] : [m.ns, "ns"];
  return `${v.toPrecision(3)} ${unit}`;
}

function table(rows) {
  const head = ["format", "ours ns/op", "peer", "peer ns/op", "ratio", "core-only ns/op", "target"];
  const body = rows.map((r) => {
    const ratio = r.ours && r.peer ? r.peer.ns / r.ours.ns : null;
    return [
      r.label, r.error ? "n/a" : ns(r.ours), r.peerName ?? "-", ns(r.peer),
      ratio === null ? "-" : `${ratio.toFixed(2)}x`, ns(r.core), targetText(r, ratio),
    ];
  });
  const width = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 || i === 2 ? c.padEnd(width[i]) : c.padStart(width[i]))).join("  ");
  return [line(head), width.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n");
}

console.log("tsmkit benchmarks");
const facts = machine();
for (const m of facts) console.log(`  ${m}`);
const summary = []; // rows with a target, and suites' `targets` notes, for --markdown
const opts = quick ? { sync: { rounds: 3, roundMs: 100, warmupMs: 50 }, async: { rounds: 5, roundMs: 15, warmupMs: 50 } } : { sync: {}, async: {} };
const ctx = {
  quick,
  compare: (candidates) => compare(candidates, opts.sync),
  compareAsync: (candidates, o = {}) => compareAsync(candidates, { ...opts.async, ...o }),
};
// A median is only as good as its rounds agree: rows whose median's standard error (measure.js
// summary) exceeds this fraction of it are named.
const UNSTEADY = 0.05;
// A suite whose engine is not installed (after `npm install` alone) says so and how to get it;
// the others still run. A suite that fails is reported, the others still run, and the exit
// status says so.
const notRun = [];
let failed = 0;
for (const s of SUITES.filter((x) => !only.length || only.includes(x.name))) {
  const suite = await s.load();
  console.log(`\n## ${suite.name}: ${suite.title}\n`);
  const missing = suite.missing?.();
  if (missing) {
    console.log(`  not run: ${missing}`);
    notRun.push(suite.name);
    continue;
  }
  let result;
  try {
    result = await suite.run(ctx);
  } catch (err) {
    console.log(`  FAILED: ${err?.stack ?? err}`);
    failed++;
    continue;
  }
  if (result.rows.length) console.log(table(result.rows));
  for (const r of result.rows) if (r.target !== undefined || r.within !== undefined) summary.push({ suite: suite.name, ...r });
  for (const t of result.targets ?? []) summary.push({ suite: suite.name, text: t });
  const errors = [...new Set(result.rows.filter((r) => r.error).map((r) => `${r.label}: not decoded by tsmkit (${r.error})`))];
  const unsteady = [...new Set(result.rows.flatMap((r) => [["ours", r.ours], [r.peerName, r.peer]]
    .filter(([, m]) => m?.error > UNSTEADY).map(([who, m]) => `${r.label}, ${who}: ±${Math.round(100 * m.error)}%`)))];
  if (unsteady.length) errors.push(`unsteady (the median's standard error, from the rounds' spread, is over ${100 * UNSTEADY}%): ${unsteady.join("; ")}`);
  for (const n of [...errors, ...result.notes]) console.log(`  * ${n}`);
}
if (markdown) {
  const cell = (x) => String(x).replace(/\|/g, "\\|");
  console.log(`\n## Markdown: every target of this run\n\n${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC, ${facts.slice(0, 2).join("; ")}, load average ${os.loadavg().map((x) => x.toFixed(2)).join(" ")} at the end\n`);
  console.log("| suite | what | tsmkit | peer | ratio | target |\n|---|---|---|---|---|---|");
  for (const r of summary) {
    if (r.text) { console.log(`| ${r.suite} | ${cell(r.text)} | | | | |`); continue; }
    const ratio = r.ours && r.peer ? r.peer.ns / r.ours.ns : null;
    console.log(`| ${r.suite} | ${cell(r.label)} | ${human(r.ours)} | ${cell(r.peerName)} ${human(r.peer)} | ${ratio === null ? "-" : `${ratio.toFixed(2)}×`} | ${targetText(r, ratio)} |`);
  }
}
if (notRun.length) console.log(`\nnot run: ${notRun.join(", ")} (their engines are missing: \`bash test/setup.sh\` installs them)`);
if (failed) process.exit(1);
