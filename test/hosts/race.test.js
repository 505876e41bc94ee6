// Concurrency over one real mount: 8 processes x 200 requests. Four take reports with getReport
// (a fresh item each, retried on a conflict), two share one item through the raw kernel recipe
// with their own generation check, and two write random generation-advancing attributes into
// whatever items exist. Every report handed back must carry its caller's inblob, every
// interference must show up as a detected conflict (retried or a typed error), and no item may
// be left behind.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startMount, isMounted } from "../../hosts/sim/mount-process.js";

const REQUESTS = 200;
const PROVIDER = "sev_guest"; // shows inblob and privlevel: two attributes that advance generation
const url = (rel) => JSON.stringify(new URL(rel, import.meta.url).href);

// One worker process; argv: role, report dir, id. Prints one JSON line of counts when done.
const WORKER = `
import { readdirSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
const { getReport } = await import(${url("../../hosts/node/report.js")});
const { configfsBackend } = await import(${url("../../hosts/node/configfs.js")});
const { decode } = await import(${url("../../hosts/js/decode.js")});
const [role, root, id] = process.argv.slice(1);
const N = ${REQUESTS};
const hex = (b) => Buffer.from(b).toString("hex");
const dataOf = (outblob) => decode(outblob, { provider: "${PROVIDER}" }).reportData;
const errno = (p) => p.then(() => "ok", (e) => e.code);
// Attribute I/O as a configfs client must do it: one write per open, reads to EOF (st_size lies).
const io = configfsBackend(root);
const text = async (path) => new TextDecoder().decode(await io.read(path));
const c = { role, ok: 0, wrong: 0, retried: 0, conflicts: 0, surfaced: {}, undetected: 0, writes: {} };

if (role === "fresh") {
  for (let i = 0; i < N; i++) {
    const inblob = crypto.getRandomValues(new Uint8Array(64));
    try {
      const r = await getReport({ inblob }, { backend: "configfs", root, retries: 8 });
      c.ok++;
      c.retried += r.attempts - 1;
      if (dataOf(r.outblob) !== hex(inblob)) c.wrong++;
    } catch (e) {
      const key = e.name + ":" + e.code + ":" + e.attribute;
      c.surfaced[key] = (c.surfaced[key] ?? 0) + 1;
      c.retried += Math.max(0, e.attempts - 1);
    }
  }
} else if (role === "shared") {
  // The documented contract: generation after reading = generation before + own writes.
  for (let i = 0; i < N; i++) {
    const inblob = crypto.getRandomValues(new Uint8Array(64));
    let done = false;
    for (let attempt = 0; attempt < 8 && !done; attempt++) {
      const g0 = BigInt(await text("shared/generation"));
      await io.write("shared/inblob", inblob);
      const out = await io.read("shared/outblob");
      const g1 = BigInt(await text("shared/generation"));
      const mine = dataOf(out) === hex(inblob);
      if (g1 !== g0 + 1n) { c.conflicts++; continue; }
      if (!mine) c.undetected++;
      else c.ok++;
      done = true;
    }
    if (!done) c.surfaced.conflict = (c.surfaced.conflict ?? 0) + 1;
  }
} else {
  // Interference: generation-advancing writes into whatever items exist at that moment.
  for (let i = 0; i < N; i++) {
    const items = readdirSync(root);
    if (!items.length) { await sleep(1); i--; continue; }
    const item = items[Math.floor(Math.random() * items.length)];
    const r = await (Math.random() < 0.5
      ? errno(io.write(item + "/inblob", crypto.getRandomValues(new Uint8Array(64))))
      : errno(io.write(item + "/privlevel", new TextEncoder().encode("0"))));
    c.writes[r] = (c.writes[r] ?? 0) + 1;
    await sleep(Math.random() * 4);
  }
}
process.stdout.write(JSON.stringify(c) + "\\n");
`;

function worker(role, root, id) {
  const child = spawn(process.execPath, ["--input-type=module", "-e", WORKER, role, root, String(id)], {
    stdio: ["ignore", "pipe", "pipe"], timeout: 120_000,
  });
  let out = "", err = "";
  child.stdout.setEncoding("utf8").on("data", (s) => { out += s; });
  child.stderr.setEncoding("utf8").on("data", (s) => { err += s; });
  return new Promise((res) => child.on("close", (code, signal) => res({ role, code, signal, out, err })));
}

test(`8 processes x ${REQUESTS} requests on one mount: right report data, every conflict detected, nothing left`, async () => {
  const tmp = mkdtempSync(join(tmpdir(), "tsmkit-race-"));
  const mount = await startMount(join(tmp, "tsm"), { provider: PROVIDER });
  try {
    const root = join(mount.dir, "report");
    mkdirSync(join(root, "shared"));
    const roles = ["fresh", "fresh", "fresh", "fresh", "shared", "shared", "interfere", "interfere"];
    const results = await Promise.all(roles.map((role, i) => worker(role, root, i)));
    for (const r of results) assert.is(r.code, 0, `${r.role} worker exited ${r.signal ?? r.code}: ${r.err}`);
    const counts = results.map((r) => JSON.parse(r.out));
    const sum = (role, key) => counts.filter((c) => c.role === role).reduce((n, c) => n + c[key], 0);
    const surfaced = counts.flatMap((c) => Object.entries(c.surfaced));

    // No report handed back with someone else's data, on fresh items or on the shared one.
    assert.is(sum("fresh", "wrong"), 0);
    assert.is(sum("shared", "undetected"), 0);
    // Every request ended in a report or in a typed conflict error (nothing else went wrong).
    for (const [key] of surfaced) assert.ok(key === "conflict" || key === "TsmError:EAGAIN:generation", key);
    const failed = surfaced.reduce((n, [, v]) => n + v, 0);
    assert.is(sum("fresh", "ok") + sum("shared", "ok") + failed, 6 * REQUESTS);
    // Interference happened and was seen: counted, not assumed.
    const writes = counts.filter((c) => c.role === "interfere").map((c) => c.writes);
    assert.ok(writes.reduce((n, w) => n + (w.ok ?? 0), 0) > 0, JSON.stringify(writes));
    for (const w of writes) for (const k of Object.keys(w)) assert.ok(["ok", "ENOENT"].includes(k), `interference write: ${k}`);
    const detected = sum("fresh", "retried") + sum("shared", "conflicts");
    assert.ok(detected > 0, "no conflict was detected although interference writes landed");
    console.log(`  conflicts detected: ${sum("fresh", "retried")} retried by getReport, ${sum("shared", "conflicts")} on the shared item, ${failed} surfaced as typed errors`);

    rmdirSync(join(root, "shared"));
    assert.equal(readdirSync(root), []);
  } finally {
    await mount.stop();
    assert.not.ok(await isMounted(mount.dir));
    rmSync(tmp, { recursive: true, force: true });
  }
});

test.run();
