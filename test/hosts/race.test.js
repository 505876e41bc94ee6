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
import { fileURLToPath } from "node:url";
import { startMount, isMounted } from "../../hosts/sim/mount-process.js";

const REQUESTS = 200;
const PROVIDER = "sev_guest"; // shows inblob and privlevel: two attributes that advance generation

const WORKER = fileURLToPath(new URL("./race-worker.js", import.meta.url));

function worker(role, root) {
  const child = spawn(process.execPath, [WORKER, role, root, String(REQUESTS), PROVIDER], {
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
    const results = await Promise.all(roles.map((role) => worker(role, root)));
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
