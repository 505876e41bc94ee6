// Simulator evidence end to end: what getReport (backend "sim") returns verifies against the
// simulator's own trust anchors and collateral, and never against the production roots — first
// through the API, then as a user runs it (`tsmkit sim roots`, `report`, `verify` as processes
// sharing one TSMKIT_SIM_PKI).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../data.js";
import { getReport } from "../../hosts/node/report.js";
import { KernelModel } from "../../hosts/kernel/model.js";
import { createProvider } from "../../hosts/sim/providers/index.js";
import { createPki, verifierOptions } from "../../hosts/sim/pki.js";
import { verify } from "../../hosts/js/verify/index.js";

const hex = (b) => Buffer.from(b).toString("hex");
const failed = (v) => v.checks.filter((c) => !c.ok).map((c) => c.name);
const checkOf = (v, name) => v.checks.find((c) => c.name === name);
const nonce = () => globalThis.crypto.getRandomValues(new Uint8Array(64));

const NOW = new Date("2026-01-01T00:00:00Z");
const pki = await createPki({ now: NOW });
const trust = verifierOptions(pki);

/** One report through the core's client machine and the simulated kernel, as an application gets it. */
async function simReport(provider, inblob) {
  const sim = new KernelModel({ provider: createProvider(provider, { pki }) });
  return getReport({ inblob }, { backend: "sim", sim });
}

test("tdx_guest from getReport verifies against the simulator's root and collateral: UpToDate, report data bound", async () => {
  const inblob = nonce();
  const { outblob } = await simReport("tdx_guest", inblob);
  const v = await verify(outblob, { ...trust, now: NOW, policy: { reportData: hex(inblob) } });
  assert.equal(failed(v), []);
  assert.ok(v.ok);
  assert.is(v.status, "UpToDate");
  assert.is(v.decidedBy, null);
  for (const name of ["dcap.quoteSignature", "dcap.qeReportSignature", "dcap.pckChain", "dcap.tcbSigningChain", "dcap.rootCrl", "dcap.pckCrl", "dcap.tcbStatus", "policy.reportData"]) {
    assert.ok(checkOf(v, name)?.ok, `${name} ran and passed`);
  }
});

test("tdx_guest from getReport fails against the production Intel root at the PCK CA, with no TCB status", async () => {
  const { outblob } = await simReport("tdx_guest", nonce());
  const v = await verify(outblob, { collateral: trust.collateral, now: NOW });
  assert.not.ok(v.ok);
  assert.is(v.status, "Failed");
  assert.is(v.decidedBy, "dcap.pckChain");
  assert.is(checkOf(v, "dcap.pckChain").rule, "untrusted-root");
  assert.not.ok(checkOf(v, "dcap.tcbSigningChain").ok, "the simulator's collateral is not trusted either");
  assert.ok(checkOf(v, "dcap.quoteSignature").ok, "the quote itself is intact");
});

test("sev_guest from getReport verifies against the simulator's ARK with its auxblob and CRL", async () => {
  const inblob = nonce();
  const { outblob, auxblob } = await simReport("sev_guest", inblob);
  assert.ok(auxblob?.length > 0);
  const v = await verify(outblob, { ...trust, auxblob, now: NOW, policy: { reportData: hex(inblob) } });
  assert.equal(failed(v), []);
  assert.ok(v.ok);
  assert.is(v.status, "Verified");
  for (const name of ["snp.chain", "snp.crl", "snp.signature", "snp.tcb", "snp.hwId", "policy.reportData"]) {
    assert.ok(checkOf(v, name)?.ok, `${name} ran and passed`);
  }
});

test("sev_guest from getReport fails against the production ARK at the ASK", async () => {
  const inblob = nonce();
  const { outblob, auxblob } = await simReport("sev_guest", inblob);
  const v = await verify(outblob, { auxblob, now: NOW, policy: { reportData: hex(inblob) } });
  assert.not.ok(v.ok);
  assert.is(v.decidedBy, "snp.chain");
  assert.match(checkOf(v, "snp.chain").detail, "no-issuer: no certificate named as SEV-Milan's issuer, among the chain and the trust anchors");
  assert.ok(checkOf(v, "snp.signature").ok, "the report itself is intact");
});

// ---- the same as processes -------------------------------------------------------------------

const CLI = join(ROOT, "hosts", "node", "cli.js");

test("CLI: sim roots -> report -> verify, sharing TSMKIT_SIM_PKI: verified against the sim roots, NOT verified against production", async () => {
  const dir = await mkdtemp(join(tmpdir(), "tsmkit-simverify-"));
  const env = { ...process.env, TSMKIT_SIM_PKI: join(dir, "pki.json") };
  const tsmkit = (...args) => spawnSync(process.execPath, [CLI, ...args], { env, encoding: "utf8", cwd: dir });
  const ok = (r) => assert.is(r.status, 0, r.stderr);
  try {
    const roots = join(dir, "roots");
    const r = tsmkit("sim", "roots", roots);
    ok(r);
    assert.ok(r.stdout.includes(join(roots, "sgx-root-ca.pem")));

    // The relying party's nonce goes in as the inblob and comes back as --report-data.
    const n = hex(nonce());
    ok(tsmkit("report", "--backend", "sim", "--inblob", n, "--out", "q.bin"));
    const tdx = tsmkit("verify", "q.bin", "--roots", join(roots, "sgx-root-ca.pem"), "--collateral", roots, "--offline", "--report-data", n);
    ok(tdx);
    assert.match(tdx.stdout, /^verified: UpToDate\n/);
    assert.match(tdx.stdout, new RegExp(`\\n  ok +policy\\.reportData +reportData matches ${n.slice(0, 16)}`));
    const tdxProd = tsmkit("verify", "q.bin", "--collateral", roots, "--offline", "--report-data", n);
    assert.is(tdxProd.status, 1);
    assert.match(tdxProd.stdout, /^NOT verified \(Failed\): check dcap\.pckChain failed\n/);

    ok(tsmkit("report", "--backend", "sim", "--provider", "sev_guest", "--inblob", n, "--out", "s.bin", "--aux", "a.bin"));
    const snp = tsmkit("verify", "s.bin", "--aux", "a.bin", "--roots", join(roots, "amd-ark-milan.pem"), "--crl", join(roots, "amd-crl-milan.der"), "--offline", "--report-data", n);
    ok(snp);
    assert.match(snp.stdout, /^verified: Verified\n/);
    const snpProd = tsmkit("verify", "s.bin", "--aux", "a.bin", "--crl", join(roots, "amd-crl-milan.der"), "--offline", "--report-data", n);
    assert.is(snpProd.status, 1);
    assert.match(snpProd.stdout, /^NOT verified \(Failed\): check snp\.chain failed\n/);
  } finally {
    await rm(dir, { recursive: true });
  }
});

test.run();
