// `tsmkit verify` as a user runs it: a real process. Exit 0 verified, 1 verification failed (the
// output names the deciding check), 2 bad input (nothing verified; one line on stderr, no stack).
// Evidence comes from the simulator (written to a temp dir with its roots and collateral) and from
// the corpus (a production quote with its collateral bundle).
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

const CLI = join(ROOT, "hosts", "node", "cli.js");
const hex = (b) => Buffer.from(b).toString("hex");
const NONCE = Uint8Array.from({ length: 64 }, (_, i) => 255 - i);

const dir = await mkdtemp(join(tmpdir(), "tsmkit-cli-verify-"));
const at = (name) => join(dir, name);
const tsmkit = (...args) => spawnSync(process.execPath, [CLI, "verify", ...args], { encoding: "utf8", cwd: dir });

const pki = await createPki();
await writeRoots(at("roots"), { pki });
await writeFile(at("q.bin"), (await createProvider("tdx_guest", { pki }).reportNew({ inblob: NONCE })).outblob);
const snp = await createProvider("sev_guest", { pki }).reportNew({ inblob: NONCE });
await writeFile(at("s.bin"), snp.outblob);
await writeFile(at("a.bin"), snp.auxblob);
const TDX_TRUST = ["--roots", at("roots/sgx-root-ca.pem"), "--collateral", at("roots"), "--offline"];
const SNP_TRUST = ["--aux", "a.bin", "--roots", at("roots/amd-ark-milan.pem"), "--offline"];

/** A bad-input run: status 2, nothing on stdout, one stderr line matching `re`. */
function badInput(r, re) {
  assert.is(r.status, 2, r.stdout + r.stderr);
  assert.is(r.stdout, "");
  assert.is(r.stderr.trim().split("\n").length, 1, r.stderr);
  assert.match(r.stderr, /^tsmkit verify: /);
  assert.match(r.stderr, re);
  assert.not.match(r.stderr, /\n\s+at /, "no stack");
}

test("exit 0: simulator TDX and SNP evidence against the simulator's roots, every check listed as ok", () => {
  const tdx = tsmkit("q.bin", ...TDX_TRUST);
  assert.is(tdx.status, 0, tdx.stdout + tdx.stderr);
  assert.match(tdx.stdout, /^verified: UpToDate\n/);
  assert.match(tdx.stdout, /\n {2}ok {4}dcap\.quoteSignature +attestation key signs/);
  assert.not.match(tdx.stdout, /FAIL/);
  const s = tsmkit("s.bin", ...SNP_TRUST);
  assert.is(s.status, 0, s.stdout + s.stderr);
  assert.match(s.stdout, /^verified: Verified\n/);
  assert.match(s.stdout, /\n {2}ok {4}snp\.signature /);
});

test("exit 0: a production TDX quote with its collateral bundle at its capture time", () => {
  const r = tsmkit(join(DATA, "tdx/dcap-qvl-tdx-quote-v4.dat"), "--collateral", join(DATA, "collateral/intel/dcap-qvl-tdx-collateral-bundle.json"),
    "--now", "2025-07-19T10:00:34Z", "--offline");
  assert.is(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^verified: UpToDate\n/);
});

test("exit 1: the output names the deciding check (wrong root, expiry by --now, policy)", async () => {
  const prod = tsmkit("q.bin", "--collateral", at("roots"), "--offline");
  assert.is(prod.status, 1);
  assert.match(prod.stdout, /^NOT verified \(Failed\): check dcap\.pckCa failed\n/);
  assert.match(prod.stdout, /\n {2}FAIL {2}dcap\.pckCa +Intel SGX PCK Platform CA is not issued by a trusted root/);

  const late = tsmkit("s.bin", ...SNP_TRUST, "--now", "2050-06-01T00:00:00Z");
  assert.is(late.status, 1);
  assert.match(late.stdout, /^NOT verified \(Failed\): check snp\.ark failed\n/);
  assert.match(late.stdout, /ARK-Milan expired after 2049-12-31T23:59:59Z/);

  await writeFile(at("other-nonce.json"), JSON.stringify({ reportData: hex(NONCE.map((b) => b ^ 1)) }));
  const pol = tsmkit("s.bin", ...SNP_TRUST, "--policy", "other-nonce.json");
  assert.is(pol.status, 1);
  assert.match(pol.stdout, /^NOT verified \(Failed\): check policy\.reportData failed\n/);
  await writeFile(at("nonce.json"), JSON.stringify({ reportData: hex(NONCE) }));
  assert.is(tsmkit("s.bin", ...SNP_TRUST, "--policy", "nonce.json").status, 0, "the right nonce passes the same policy check");
});

test("exit 2: an undecodable file is refused at decode, naming the error and byte", async () => {
  await writeFile(at("junk.bin"), Uint8Array.from({ length: 700 }, (_, i) => (i * 37 + 11) & 0xff));
  const r = tsmkit("junk.bin", "--offline");
  assert.is(r.status, 2);
  assert.match(r.stdout, /^NOT verified \(Failed\): check decode failed\n {2}FAIL {2}decode +UNKNOWN_FORMAT: .*\(byte 0\)\n$/);
  // An SNP report cut short: the decoder's typed error says so.
  await writeFile(at("short.bin"), snp.outblob.subarray(0, 0x100));
  const short = tsmkit("short.bin", "--offline");
  assert.is(short.status, 2);
  assert.match(short.stdout, /FAIL {2}decode +TRUNCATED/);
});

test("exit 2: bad --policy (not JSON, unknown key, wrong type), bad --now, missing files", async () => {
  await writeFile(at("not-json.json"), "{reportData:");
  await writeFile(at("typo.json"), JSON.stringify({ allowDebugg: true }));
  await writeFile(at("type.json"), JSON.stringify({ allowedVmpls: [7] }));
  badInput(tsmkit("s.bin", ...SNP_TRUST, "--policy", "not-json.json"), /--policy not-json\.json: policy: not JSON/);
  badInput(tsmkit("s.bin", ...SNP_TRUST, "--policy", "typo.json"), /policy\.allowDebugg: unknown policy key/);
  badInput(tsmkit("s.bin", ...SNP_TRUST, "--policy", "type.json"), /policy\.allowedVmpls: expected a list of 0-3/);
  badInput(tsmkit("s.bin", ...SNP_TRUST, "--now", "yesterday"), /--now: not a time: "yesterday"/);
  badInput(tsmkit("missing.bin", "--offline"), /cannot read missing\.bin: ENOENT/);
  badInput(tsmkit("s.bin", "--aux", "missing-aux.bin", "--offline"), /cannot read missing-aux\.bin: ENOENT/);
  badInput(tsmkit("s.bin", ...SNP_TRUST, "--policy", "missing.json"), /cannot read missing\.json: ENOENT/);
});

test("--json: the verdict object, for a pass and for a failure", () => {
  const shape = (v) => {
    assert.equal(Object.keys(v).sort(), ["advisoryIds", "checks", "decidedBy", "evidence", "ok", "status"]);
    assert.ok(Array.isArray(v.advisoryIds));
    assert.ok(v.checks.length > 5);
    for (const c of v.checks) {
      assert.equal(Object.keys(c), ["name", "ok", "detail"]);
      assert.type(c.name, "string");
      assert.type(c.ok, "boolean");
      assert.type(c.detail, "string");
    }
    assert.is(v.ok, v.checks.every((c) => c.ok));
    assert.is(v.decidedBy, v.checks.find((c) => !c.ok)?.name ?? null);
  };
  const pass = tsmkit("--json", "q.bin", ...TDX_TRUST);
  assert.is(pass.status, 0);
  assert.ok(pass.stdout.endsWith("}\n"));
  const v = JSON.parse(pass.stdout);
  shape(v);
  assert.is(v.ok, true);
  assert.is(v.status, "UpToDate");
  assert.is(v.evidence.format, "tdx-quote");
  assert.is(v.evidence.body.reportData, hex(NONCE));

  const fail = tsmkit("--json", "s.bin", "--aux", "a.bin", "--offline");
  assert.is(fail.status, 1);
  const f = JSON.parse(fail.stdout);
  shape(f);
  assert.is(f.ok, false);
  assert.is(f.status, "Failed");
  assert.is(f.decidedBy, "snp.ask");
  assert.is(f.evidence.format, "snp-report");
});

test.after(() => rm(dir, { recursive: true }));

test.run();
