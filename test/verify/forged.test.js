// Issue 9's forged-collateral attack, replayed: someone who extracted one PCK private key (what
// the published SGX/TDX key-extraction attacks recover) issues a certificate named "Intel SGX TCB
// Signing" with it — an end-entity issuing a certificate — re-signs TCB info and QE identity with
// every level UpToDate, and so turns an OutOfDate platform into UpToDate. The same forged signer
// for the QE identity chain alone, and a PCK CRL signed by the PCK leaf (to un-revoke itself),
// must each be rejected by the check that owns that chain. Each attack has a control: the same
// edited collateral re-signed by the genuine signer verifies, so the signer is the only defect.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../data.js";
import { verify } from "../../hosts/js/verify/index.js";
import { createPki, derivePki, pem } from "../../hosts/sim/pki.js";
import { NONCE, crlOf, dcapOptions, everyLevelUpToDate, genKeys, jsonBody, reissue, resignJson, tdxQuote } from "./forge.js";

const NOW = new Date("2026-01-01T00:00:00Z");
const checkOf = (v, name) => v.checks.find((c) => c.name === name);
const failures = (v) => JSON.stringify(v.checks.filter((c) => !c.ok));

const base = await createPki({ now: NOW });

// The platform behind: TCB info whose UpToDate level needs PCESVN one higher than the PCK's, so
// the platform matches the OutOfDate level (genuinely signed by the simulator's TCB Signing key).
const tcbLevels = jsonBody(base.intel.tcbInfo).tcbLevels;
tcbLevels[0].tcb.pcesvn += 1;
const platformBehind = await derivePki(base, { tcbInfo: { tcbLevels } });
// The QE behind: QE identity whose UpToDate level needs ISVSVN one higher than the QE's.
const qeLevels = jsonBody(base.intel.qeIdentity).tcbLevels;
qeLevels[0].tcb.isvsvn += 1;
const qeBehind = await derivePki(base, { qeIdentity: { tcbLevels: qeLevels } });
// A PCK revoked by its CA.
const pckRevoked = await derivePki(base, { revoked: ["pck"] });

const I = base.intel; // certificates and keys are the same in every derived PKI
const quote = await tdxQuote(base);

// The forgery: "Intel SGX TCB Signing", the attacker's own key, issued by the PCK leaf's key.
const forgedSigner = await reissue(base, "intel.tcbSigning", { keys: await genKeys(), signer: I.pck });
const forgedChain = pem(forgedSigner.cert) + pem(I.pck.cert) + pem(I.platformCa.cert) + pem(I.root.cert);
const genuineSigner = I.tcbSigning;

const run = (pki, collateral) => verify(quote, { ...dcapOptions(pki, collateral), now: NOW });

function rejectedAt(v, check, rules) {
  assert.is(v.ok, false);
  assert.is(v.decidedBy, check, failures(v));
  assert.is.not(v.status, "UpToDate");
  const c = checkOf(v, check);
  assert.ok(rules.includes(c.rule), `rule ${c.rule} (detail: ${c.detail})`);
  assert.ok(c.detail.startsWith(`${c.rule}: `), c.detail);
  assert.not.ok(checkOf(v, "dcap.tcbStatus")?.ok, "no TCB status is vouched for");
  for (const other of v.checks.filter((x) => x.rule)) assert.ok(other.detail.startsWith(`${other.rule}: `), `${other.name}: detail starts with its rule: ${other.detail}`);
}

test("sanity: the forged signer is an end entity's child (PCK leaf: cA=false, no keyCertSign) named Intel SGX TCB Signing", () => {
  assert.is(forgedSigner.cert.issuer, I.pck.cert.subject);
  assert.match(forgedSigner.cert.subject, /^CN=Intel SGX TCB Signing,/);
  const bc = I.pck.cert.getExtension("2.5.29.19");
  assert.is(bc.ca, false);
  assert.not.ok(I.pck.cert.getExtension("2.5.29.15").usages & 4 /* keyCertSign */);
});

test("control: genuine collateral for the platform behind -> OutOfDate, not ok under the default policy", async () => {
  const v = await run(platformBehind);
  assert.is(v.ok, false);
  assert.is(v.status, "OutOfDate");
  assert.is(v.decidedBy, "policy.tcbStatus", failures(v));
  for (const name of ["dcap.pckChain", "dcap.tcbSigningChain", "dcap.rootCrl", "dcap.pckCrl", "dcap.tcbInfo.signature"]) assert.ok(checkOf(v, name)?.ok, `${name} passed`);
});

test("control: the every-level-UpToDate TCB info and QE identity re-signed by the GENUINE TCB signer -> UpToDate (so only the signer differs below)", async () => {
  const v = await run(platformBehind, {
    tcbInfo: await resignJson(platformBehind.intel.tcbInfo, genuineSigner, everyLevelUpToDate),
    qeIdentity: await resignJson(platformBehind.intel.qeIdentity, genuineSigner, everyLevelUpToDate),
  });
  assert.ok(v.ok, failures(v));
  assert.is(v.status, "UpToDate");
});

test("attack: TCB info and QE identity re-signed by the PCK-issued 'TCB Signing' -> rejected at dcap.tcbSigningChain (issuer-not-ca or shape), never UpToDate", async () => {
  const v = await run(platformBehind, {
    tcbInfo: await resignJson(platformBehind.intel.tcbInfo, forgedSigner, everyLevelUpToDate),
    qeIdentity: await resignJson(platformBehind.intel.qeIdentity, forgedSigner, everyLevelUpToDate),
    tcbSigningChain: forgedChain,
  });
  rejectedAt(v, "dcap.tcbSigningChain", ["issuer-not-ca", "shape"]);
});

test("control: genuine QE identity for the QE behind -> not UpToDate, not ok", async () => {
  const v = await run(qeBehind);
  assert.is(v.ok, false);
  assert.is(v.status, "OutOfDate");
  assert.is(v.decidedBy, "policy.tcbStatus", failures(v));
});

test("control: the every-level-UpToDate QE identity re-signed by the GENUINE signer (given as its own issuer chain) -> UpToDate", async () => {
  const v = await run(qeBehind, {
    qeIdentity: await resignJson(qeBehind.intel.qeIdentity, genuineSigner, everyLevelUpToDate),
    qeIdentityIssuerChain: pem(genuineSigner.cert) + pem(I.root.cert),
  });
  assert.ok(v.ok, failures(v));
  assert.is(v.status, "UpToDate");
});

test("attack: only the QE identity re-signed by the forged signer, with it as the QE identity issuer chain -> rejected at dcap.qeIdentityChain", async () => {
  const v = await run(qeBehind, {
    qeIdentity: await resignJson(qeBehind.intel.qeIdentity, forgedSigner, everyLevelUpToDate),
    qeIdentityIssuerChain: forgedChain,
  });
  rejectedAt(v, "dcap.qeIdentityChain", ["issuer-not-ca", "shape"]);
  assert.ok(checkOf(v, "dcap.tcbSigningChain").ok, "the TCB info's own chain is genuine");
});

test("control: the revoked PCK with its CA's genuine CRL -> dcap.pckCrl, revoked", async () => {
  const v = await run(pckRevoked);
  rejectedAt(v, "dcap.pckCrl", ["revoked"]);
});

test("control: an empty PCK CRL signed by the genuine PCK CA verifies (only the CRL signer differs below)", async () => {
  const v = await run(pckRevoked, { pckCrl: await crlOf(I.platformCa, I.platformCa, NOW) });
  assert.ok(v.ok, failures(v));
});

test("attack: an empty PCK CRL issued and signed by the PCK leaf itself -> rejected at dcap.pckCrl", async () => {
  const v = await run(pckRevoked, { pckCrl: await crlOf(I.pck, I.pck, NOW) });
  rejectedAt(v, "dcap.pckCrl", ["crl-issuer", "shape", "issuer-not-ca", "no-cRLSign"]);
});

test("attack: an empty PCK CRL naming the PCK CA but signed with the PCK leaf's key -> rejected at dcap.pckCrl, crl-signature", async () => {
  const v = await run(pckRevoked, { pckCrl: await crlOf(I.platformCa, I.pck, NOW) });
  rejectedAt(v, "dcap.pckCrl", ["crl-signature"]);
});

// ---- the same through `tsmkit verify` -------------------------------------------------------------

const CLI = join(ROOT, "hosts", "node", "cli.js");

/** Runs `tsmkit verify` on the quote with `pki`'s root and a collateral directory of `pieces`. */
async function cliVerify(pki, pieces = {}) {
  const dir = await mkdtemp(join(tmpdir(), "tsmkit-forged-"));
  try {
    const c = { ...dcapOptions(pki).collateral, ...pieces };
    const col = join(dir, "collateral");
    await mkdir(col);
    await Promise.all([
      writeFile(join(dir, "quote.bin"), quote),
      writeFile(join(dir, "root.pem"), pem(pki.intel.root.cert)),
      writeFile(join(col, "tcbinfo.json"), c.tcbInfo),
      writeFile(join(col, "qeidentity.json"), c.qeIdentity),
      writeFile(join(col, "tcb-signing-chain.pem"), c.tcbSigningChain),
      writeFile(join(col, "root-ca-crl.der"), c.rootCaCrl),
      writeFile(join(col, "pck-crl.der"), c.pckCrl),
    ]);
    return spawnSync(process.execPath, [CLI, "verify", join(dir, "quote.bin"), "--roots", join(dir, "root.pem"), "--collateral", col, "--offline", "--now", NOW.toISOString(), "--report-data", Buffer.from(NONCE).toString("hex")], { encoding: "utf8" });
  } finally {
    await rm(dir, { recursive: true });
  }
}

test("CLI control: the genuine collateral verifies (exit 0, UpToDate); the platform behind is NOT verified at policy.tcbStatus (exit 1)", async () => {
  const good = await cliVerify(base);
  assert.is(good.status, 0, good.stdout + good.stderr);
  assert.match(good.stdout, /^verified: UpToDate\n/);
  const behind = await cliVerify(platformBehind);
  assert.is(behind.status, 1, behind.stdout + behind.stderr);
  assert.match(behind.stdout, /^NOT verified \(OutOfDate\): check policy\.tcbStatus failed\n/);
});

test("CLI attack: tsmkit verify with the forged TCB signing chain exits 1 naming dcap.tcbSigningChain and its rule", async () => {
  const r = await cliVerify(platformBehind, {
    tcbInfo: await resignJson(platformBehind.intel.tcbInfo, forgedSigner, everyLevelUpToDate),
    qeIdentity: await resignJson(platformBehind.intel.qeIdentity, forgedSigner, everyLevelUpToDate),
    tcbSigningChain: forgedChain,
  });
  assert.is(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /^NOT verified \(Failed\): check dcap\.tcbSigningChain failed\n/);
  assert.match(r.stdout, /FAIL\s+dcap\.tcbSigningChain\s+(issuer-not-ca|shape): /);
  assert.not.match(r.stdout.split("\n")[0], /UpToDate/);
});

test.run();
