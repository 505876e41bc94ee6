// The WASI command's `eventlog show` prints exactly what `tsmkit eventlog show` prints, on
// wasmtime and node:wasi, for the corpus CCELs (with and without the COS-113 ACPI table, JSON and
// text) and for logs cut short or corrupted: the same typed error, never a trap.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DATA, ROOT, data } from "../data.js";
import { prng } from "../prng.js";
import { wasmtime, nodeWasi } from "./wasi-engines.js";

const CLI = join(ROOT, "hosts", "node", "cli.js");
const CCELS = ["attestation-rs-ccel-live.dat", "attestation-rs-ccel-live2.dat", "go-tdx-guest-cos113-ccel-data.dat", "trustee-ccel-data.bin"];
const TABLE = "go-tdx-guest-cos113-ccel-table.dat";

/** `tsmkit ARGS` as a process (stdout not a terminal, as for the WASI runs). */
function nodeCli(args) {
  const r = spawnSync(process.execPath, [CLI, ...args], { maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Runs `eventlog show ...flags FILE` with files of `host` seen as /d by the guests; the Node CLI
 * and both engines must agree byte for byte. Returns the Node CLI's run.
 */
async function same(flags, file, host, table) {
  const guest = (f) => `/d/${f}`, local = (f) => join(host, f);
  const args = (at) => ["eventlog", "show", ...flags, ...(table ? ["--table", at(table)] : []), at(file)];
  const want = nodeCli(args(local));
  const dirs = [{ host, guest: "/d" }];
  for (const [engine, got] of [["wasmtime", wasmtime(args(guest), { dirs })], ["node:wasi", await nodeWasi(args(guest), { dirs })]]) {
    const what = `${engine}: eventlog show ${flags.join(" ")} ${file}${table ? " --table" : ""}`;
    assert.is(got.status, want.status, `${what}: exit status`);
    assert.ok(got.stdout.equals(want.stdout), `${what}: stdout differs`);
    assert.ok(got.stderr.equals(want.stderr), `${what}: stderr differs\n${got.stderr}\nvs\n${want.stderr}`);
  }
  return want;
}

for (const flags of [["--json"], []]) {
  test(`eventlog show ${flags.join(" ") || "(text)"}: every corpus CCEL prints the Node CLI's bytes on wasmtime and node:wasi`, async () => {
    const tdx = join(DATA, "tdx");
    for (const file of CCELS) assert.is((await same(flags, file, tdx)).status, 0, file);
    const withTable = await same(flags, "go-tdx-guest-cos113-ccel-data.dat", tdx, TABLE);
    assert.is(withTable.status, 0);
    if (flags.length) {
      const log = JSON.parse(withTable.stdout);
      assert.ok(log.table, "the table was read and checked");
      assert.equal(Object.keys(log.replay), ["rtmr0", "rtmr1", "rtmr2", "rtmr3"]);
    }
  });
}

test("a CCEL cut short or corrupted (seeded) is the Node CLI's typed error on both engines, never a trap", async () => {
  const tmp = mkdtempSync(join(tmpdir(), "tsmkit-wasi-eventlog-"));
  try {
    const full = data("tdx/go-tdx-guest-cos113-ccel-data.dat");
    const rand = prng(0xcce1);
    const variants = [full.subarray(0, 100)]; // inside the Spec ID event's digest: TRUNCATED
    for (let i = 0; i < 5; i++) variants.push(full.subarray(0, 1 + Math.floor(rand() * 2000)));
    for (let i = 0; i < 5; i++) {
      const b = Uint8Array.from(full);
      b[Math.floor(rand() * 2000)] ^= 1 + Math.floor(rand() * 255);
      variants.push(b);
    }
    const statuses = [];
    for (const [i, bytes] of variants.entries()) {
      writeFileSync(join(tmp, `v${i}`), bytes);
      for (const flags of [["--json"], []]) statuses.push((await same(flags, `v${i}`, tmp)).status);
    }
    // A cut on a record boundary or a changed digest byte still decodes; the parity holds either way.
    assert.equal(statuses.slice(0, 2), [2, 2]);
    assert.ok(statuses.every((x) => x === 0 || x === 2), statuses.join(" "));
    assert.ok(statuses.filter((x) => x === 2).length >= 4, statuses.join(" "));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test("eventlog show reads standard input for -", () => {
  const file = join(DATA, "tdx", "trustee-ccel-data.bin");
  const want = nodeCli(["eventlog", "show", "--json", file]);
  const got = wasmtime(["eventlog", "show", "--json", "-"], { input: data("tdx/trustee-ccel-data.bin") });
  assert.is(got.status, 0);
  assert.ok(got.stdout.equals(want.stdout));
});

test("bad eventlog arguments exit 2 on both engines", async () => {
  const dirs = [{ host: join(DATA, "tdx"), guest: "/d" }];
  for (const args of [["eventlog"], ["eventlog", "show"], ["eventlog", "list", "/d/trustee-ccel-data.bin"], ["eventlog", "show", "--bogus", "/d/trustee-ccel-data.bin"],
    ["eventlog", "show", "/d/nope"], ["eventlog", "show", "--table", "/d/nope", "/d/trustee-ccel-data.bin"]]) {
    assert.is(wasmtime(args, { dirs }).status, 2, args.join(" "));
    assert.is((await nodeWasi(args, { dirs })).status, 2, args.join(" "));
  }
});

test.run();
