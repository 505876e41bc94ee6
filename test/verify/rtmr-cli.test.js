// `tsmkit eventlog show` and `tsmkit verify --ccel` as a user runs them (a real process), on the
// corpus's COS-113 log and on the simulator's whole loop: a quote, its CCEL, a runtime extend.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DATA, ROOT } from "../data.js";
import { createPki } from "../../hosts/sim/pki.js";
import { createProvider } from "../../hosts/sim/providers/index.js";
import { writeRoots } from "../../hosts/sim/roots.js";
import { writeCcel } from "../../hosts/sim/ccel.js";
import { formatRuntimeHeader, formatRuntimeRecord } from "../../hosts/js/runtime-log.js";

const CLI = join(ROOT, "hosts", "node", "cli.js");
const dir = await mkdtemp(join(tmpdir(), "tsmkit-rtmr-cli-"));
const at = (name) => join(dir, name);
const tsmkit = (...args) => spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", cwd: dir });
const COS_LOG = join(DATA, "tdx/go-tdx-guest-cos113-ccel-data.dat");
const COS_TABLE = join(DATA, "tdx/go-tdx-guest-cos113-ccel-table.dat");

test("eventlog show: text names the events and the replay; --json carries replay.rtmr0..3", () => {
  const text = tsmkit("eventlog", "show", COS_LOG, "--table", COS_TABLE);
  assert.is(text.status, 0, text.stderr);
  assert.match(text.stdout, /text +kernel_cmdline: \/syslinux\/vmlinuz\.A/);
  assert.match(text.stdout, /replay\n +rtmr0 +3fa2f61f395b7f5f/);
  const json = tsmkit("eventlog", "show", "--json", COS_LOG);
  assert.is(json.status, 0, json.stderr);
  const out = JSON.parse(json.stdout);
  assert.equal(Object.keys(out.replay), ["rtmr0", "rtmr1", "rtmr2", "rtmr3"]);
  assert.is(out.events.length, 43);
});

test("eventlog show: a bad log (here a CCEL table given as the log) is exit 2 with the decoder's line; --json an error object", () => {
  const bad = tsmkit("eventlog", "show", COS_TABLE);
  assert.is(bad.status, 2);
  assert.match(bad.stderr, /^tsmkit: eventlog: UNSUPPORTED_TYPE in specIdEvent\.eventType at byte 4: .*EV_NO_ACTION/);
  const json = tsmkit("eventlog", "show", "--json", COS_TABLE);
  assert.is(JSON.parse(json.stdout).error.code, "UNSUPPORTED_TYPE");
  assert.is(tsmkit("eventlog", "list", COS_LOG).status, 2, "unknown subcommand");
});

test("verify --ccel on the simulator's loop: its CCEL replays to the quote, a runtime extend needs --runtime-log", async () => {
  const pki = await createPki();
  await writeRoots(at("roots"), { pki });
  const [table, log] = await writeCcel(at("ccel"));
  const provider = createProvider("tdx_guest", { pki });
  // The nonce (inblob) the quotes carry is pinned, as a relying party must.
  await writeFile(at("policy.json"), JSON.stringify({ reportData: "00".repeat(64) }));
  const trust = ["--roots", at("roots/sgx-root-ca.pem"), "--collateral", at("roots"), "--policy", at("policy.json"), "--offline"];
  await writeFile(at("q1.bin"), (await provider.reportNew({ inblob: new Uint8Array(64) })).outblob);
  const ok = tsmkit("verify", "q1.bin", ...trust, "--ccel", log, "--ccel-table", table);
  assert.is(ok.status, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /ok +rtmr\.replay +rtmr0 matches/);

  // extend RTMR3 as an agent would, and log the event
  const digest = "5a".repeat(48);
  provider.measurements.write("rtmr3:sha384", Buffer.from(digest, "hex"), 0);
  await writeFile(at("q2.bin"), (await provider.reportNew({ inblob: new Uint8Array(64) })).outblob);
  const missing = tsmkit("verify", "q2.bin", ...trust, "--ccel", log, "--ccel-table", table);
  assert.is(missing.status, 1);
  assert.match(missing.stdout, /FAIL +rtmr\.replay .*rtmr3 differs/s);
  assert.match(missing.stdout, /supply --runtime-log FILE/);
  await writeFile(at("runtime.jsonl"), formatRuntimeHeader() + formatRuntimeRecord({ recnum: 1, register: "rtmr3", digest, event: "app" }));
  const replayed = tsmkit("verify", "q2.bin", ...trust, "--ccel", log, "--ccel-table", table, "--runtime-log", "runtime.jsonl");
  assert.is(replayed.status, 0, replayed.stdout);
  assert.match(replayed.stdout, /rtmr3 matches \(1 extend, last runtime event 1\)/);
});

test("verify: --ccel-table without --ccel and --ccel for SNP evidence are usage errors", () => {
  const r = tsmkit("verify", join(DATA, "tdx/go-tdx-guest-cos113-quote-v4.dat"), "--ccel-table", COS_TABLE, "--offline");
  assert.is(r.status, 2);
  assert.match(r.stderr, /--ccel-table needs --ccel/);
  const s = tsmkit("verify", join(DATA, "snp/attestation-rs-report-v5-genoa.bin"), "--ccel", COS_LOG, "--offline");
  assert.is(s.status, 2);
});

test.after(() => rm(dir, { recursive: true }));

test.run();
