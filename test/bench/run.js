// `npm run bench [suite...] [--quick]`: runs the benchmark suites (suites.js) and prints one table
// per suite with the machine facts. A benchmark, not a test: it reports, it never fails on speed.
import os from "node:os";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../data.js";
import { compare, compareAsync } from "./measure.js";
import { SUITES } from "./suites.js";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
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
    `core.wasm: ${wasm} bytes; ${quick ? "quick run (fewer rounds)" : "15 interleaved rounds of ~40 ms per candidate"}, median ns/op`,
  ];
}

const ns = (m) => (m ? (m.ns >= 100 ? Math.round(m.ns).toLocaleString("en-US") : m.ns.toFixed(1)) : "-");

function table(rows) {
  const head = ["format", "ours ns/op", "peer", "peer ns/op", "ratio", "core-only ns/op", "target"];
  const body = rows.map((r) => {
    const ratio = r.ours && r.peer ? r.peer.ns / r.ours.ns : null;
    // target: ours at least `target` times faster than the peer; within: ours at most `within`
    // times the peer's time (for a peer that is a floor or a minimal baseline).
    let target = "";
    if (r.target !== undefined) {
      target = ratio === null ? "n/a" : `>=${r.target}x ${ratio >= r.target ? "met" : "MISSED"}`;
    } else if (r.within !== undefined) {
      target = ratio === null ? "n/a" : `ours<=${r.within}x peer ${1 / ratio <= r.within ? "met" : "MISSED"}`;
    }
    return [
      r.label, r.error ? "n/a" : ns(r.ours), r.peerName ?? "-", ns(r.peer),
      ratio === null ? "-" : `${ratio.toFixed(2)}x`, ns(r.core), target,
    ];
  });
  const width = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 || i === 2 ? c.padEnd(width[i]) : c.padStart(width[i]))).join("  ");
  return [line(head), width.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n");
}

console.log("tsmkit benchmarks");
for (const m of machine()) console.log(`  ${m}`);
const opts = quick ? { rounds: 5, roundMs: 15, warmupMs: 50 } : {};
const ctx = {
  quick,
  compare: (candidates) => compare(candidates, opts),
  compareAsync: (candidates, o = {}) => compareAsync(candidates, { ...opts, ...o }),
};
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
  const errors = [...new Set(result.rows.filter((r) => r.error).map((r) => `${r.label}: not decoded by tsmkit (${r.error})`))];
  for (const n of [...errors, ...result.notes]) console.log(`  * ${n}`);
}
if (notRun.length) console.log(`\nnot run: ${notRun.join(", ")} (their engines are missing: \`bash test/setup.sh\` installs them)`);
if (failed) process.exit(1);
