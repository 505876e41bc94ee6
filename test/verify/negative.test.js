// Negative families: evidence with exactly one defect, built with the simulator so that everything
// else is correctly signed, must be refused — and refused by the check that names that defect.
// Every case first has a control: the same evidence without the defect verifies.
//
// Bit flips cover every byte of every signed evidence structure: the quote's header + TD body
// (632 bytes, signed by the attestation key), the QE report (384 bytes, signed by the PCK key)
// and the SNP report's bytes 0x000..0x29F (signed by the VCEK); byte i has bit (i mod 8) flipped.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createProvider } from "../../hosts/sim/providers/index.js";
import { createPki, derivePki, verifierOptions } from "../../hosts/sim/pki.js";
import { fieldOf } from "../../hosts/sim/encode.js";
import { verify } from "../../hosts/js/verify/index.js";
import { locate } from "../../hosts/js/decode.js";

const hex = (b) => Buffer.from(b).toString("hex");
const failed = (v) => v.checks.filter((c) => !c.ok).map((c) => c.name);
const checkOf = (v, name) => v.checks.find((c) => c.name === name);

const NOW = new Date("2026-01-01T00:00:00Z");
const DAY = 86400000;
const NONCE = Uint8Array.from({ length: 64 }, (_, i) => i * 3);
const pki = await createPki({ now: NOW });

const tdxQuote = async (p = pki, opts = {}) => (await createProvider("tdx_guest", { pki: p, ...opts }).reportNew({ inblob: NONCE })).outblob;
const snpReport = (p = pki, opts = {}) => createProvider("sev_guest", { pki: p, ...opts }).reportNew({ inblob: NONCE });
// The relying party expects NONCE (the evidence's inblob) unless `extra.policy` says otherwise.
const check = (bytes, p = pki, extra = {}) => verify(bytes, { ...verifierOptions(p), now: NOW, ...extra, policy: { reportData: hex(NONCE), ...extra.policy } });
const checkSnp = ({ outblob, auxblob }, p = pki, extra = {}) => check(outblob, p, { auxblob, ...extra });

/** The control passes with no failed check; returns its verdict. */
async function control(promise) {
  const v = await promise;
  assert.equal(failed(v), [], "control verifies");
  return v;
}

/** Refused, decided by `name`, and (unless `alsoFail` lists more) by nothing else. */
function refusedBy(v, name, { alsoFail = [], detail } = {}) {
  assert.is(v.ok, false, "accepted");
  assert.is(v.decidedBy, name);
  assert.equal(failed(v), [name, ...alsoFail]);
  if (detail) assert.match(checkOf(v, name).detail, detail);
}

const TDX_BASE = await tdxQuote();
const SNP_BASE = await snpReport();

/**
 * Flips bit (i mod 8) of each byte i in [from, to) and verifies each copy. `expect(i)` lists the
 * checks that may decide: the signature check, or a check that reads the field first. Every copy
 * must be refused by one of them, and the signature check, whenever it runs, must fail.
 */
async function flipEach(bytes, from, to, signatureCheck, expect, extra) {
  let accepted = 0;
  const deciders = new Set();
  for (let i = from; i < to; i++) {
    const b = Uint8Array.from(bytes);
    b[i] ^= 1 << (i % 8);
    const v = await check(b, pki, extra);
    if (v.ok) accepted++;
    const allowed = expect(i);
    assert.ok(allowed.includes(v.decidedBy), `byte 0x${i.toString(16)}: decided by ${v.decidedBy}, expected ${allowed.join(" or ")}`);
    assert.not.ok(checkOf(v, signatureCheck)?.ok, `byte 0x${i.toString(16)}: ${signatureCheck} did not fail`);
    deciders.add(v.decidedBy);
  }
  assert.is(accepted, 0);
  return deciders;
}

/** The field of `loc` (a locate() map) containing byte i, among `fields`. */
const fieldAt = (loc, fields, i) => fields.find((f) => { const [at, n] = loc.get(f); return i >= at && i < at + n; });

test("bit flips: every byte of the quote's header + TD body is refused, by the quote signature or the header parse", async () => {
  await control(check(TDX_BASE));
  const loc = locate(TDX_BASE);
  const [sigData] = loc.get("signatureData");
  const signedEnd = sigData - 4; // the signature data's length field follows header + body
  assert.is(signedEnd, 48 + 584);
  // Read before any signature is checked: the decoder refuses other versions and TEE types, the
  // structure check other key types and QE vendors.
  const parsed = { "header.version": ["decode"], "header.attestationKeyType": ["decode", "dcap.structure"], "header.teeType": ["decode"], "header.qeVendorId": ["dcap.structure"] };
  const deciders = await flipEach(TDX_BASE, 0, signedEnd, "dcap.quoteSignature", (i) => parsed[fieldAt(loc, Object.keys(parsed), i)] ?? ["dcap.quoteSignature"]);
  assert.ok(deciders.has("dcap.quoteSignature"));
});

test("bit flips: every byte of the QE report is refused by the QE report signature", async () => {
  const [at, n] = locate(TDX_BASE).get("signatureData.certificationData.qeReportCertificationData.qeReport");
  assert.is(n, 384);
  const deciders = await flipEach(TDX_BASE, at, at + n, "dcap.qeReportSignature", () => ["dcap.qeReportSignature"]);
  assert.equal([...deciders], ["dcap.qeReportSignature"]);
});

test("bit flips: every byte of the SNP report's signed bytes 0x000..0x29F is refused, by the signature or the field's parse", async () => {
  await control(checkSnp(SNP_BASE));
  const [sigAt] = fieldOf("snpReport", "signature");
  assert.is(sigAt, 0x2a0);
  const loc = locate(SNP_BASE.outblob);
  // Read before the signature: version / VMPL / algorithm by the decoder, the signing key by the
  // key check (and which certificate is needed), CPUID by the product check.
  const parsed = {
    version: ["decode"], vmpl: ["decode"], signatureAlgo: ["decode", "snp.signatureAlgo"],
    keyInfo: ["decode", "snp.signingKey", "snp.certificates"], cpuidFamId: ["snp.product"], cpuidModId: ["snp.product"], cpuidStep: ["snp.product"],
  };
  const expect = (i) => [...(parsed[fieldAt(loc, Object.keys(parsed), i)] ?? []), "snp.signature"];
  const deciders = await flipEach(SNP_BASE.outblob, 0, sigAt, "snp.signature", expect, { auxblob: SNP_BASE.auxblob });
  assert.ok(deciders.has("snp.signature"));
});

test("wrong root: the production roots, and another TEST PKI's same-named roots, refuse at the first link", async () => {
  const other = await createPki({ now: NOW });
  assert.is(other.intel.root.cert.subject, pki.intel.root.cert.subject, "same name, different key");
  let accepted = 0;
  const cases = [
    [TDX_BASE, {}, "dcap.pckChain", "untrusted-root: Intel SGX Root CA is self-issued but not a configured trust anchor"],
    [TDX_BASE, { roots: verifierOptions(other).roots }, "dcap.pckChain", "untrusted-root"],
    [SNP_BASE.outblob, { auxblob: SNP_BASE.auxblob }, "snp.chain", "no-issuer: no certificate named as SEV-Milan's issuer"],
    [SNP_BASE.outblob, { auxblob: SNP_BASE.auxblob, roots: verifierOptions(other).roots }, "snp.chain", "aki-ski: SEV-Milan's authority key identifier is not ARK-Milan's subject key identifier"],
  ];
  for (const [bytes, opts, name, detail] of cases) {
    const { roots, ...rest } = opts; // no roots: the embedded production anchors
    const v = await verify(bytes, { ...verifierOptions(pki), roots, now: NOW, ...rest });
    if (v.ok) accepted++;
    assert.is(v.decidedBy, name);
    assert.match(checkOf(v, name).detail, detail);
    assert.is(v.status, "Failed");
  }
  assert.is(accepted, 0);
});

test("expired certificates: a PCK leaf and a VCEK that expired before now", async () => {
  const expired = await derivePki(pki, { validity: { pck: { notAfter: new Date(NOW - 30 * DAY) }, vcek: { notAfter: new Date(NOW - 30 * DAY) } } });
  refusedBy(await check(await tdxQuote(expired), expired), "dcap.pckChain", { detail: "expired: Intel SGX PCK Certificate expired" });
  refusedBy(await checkSnp(await snpReport(expired), expired), "snp.chain", { detail: "expired: SEV-VCEK expired" });
  // Not yet valid is the same check.
  const early = await derivePki(pki, { validity: { pck: { notBefore: new Date(NOW.getTime() + DAY) } } });
  refusedBy(await check(await tdxQuote(early), early), "dcap.pckChain", { detail: "not-yet-valid: Intel SGX PCK Certificate is not valid before" });
});

test("revoked certificates: the PCK leaf in the PCK CRL, the TCB signing certificate in the root CA CRL, the ASK in AMD's CRL", async () => {
  const revoked = await derivePki(pki, { revoked: ["pck", "tcbSigning", "ask"] });
  const quote = await tdxQuote(revoked);
  const v = await check(quote, revoked);
  assert.not.ok(v.ok);
  assert.is(v.decidedBy, "dcap.rootCrl");
  assert.match(checkOf(v, "dcap.rootCrl").detail, "Intel SGX TCB Signing");
  assert.match(checkOf(v, "dcap.pckCrl").detail, "Intel SGX PCK Certificate");
  assert.equal(failed(v), ["dcap.rootCrl", "dcap.pckCrl"]);
  // Each alone, so that each CRL is shown to decide by itself.
  const pckOnly = await derivePki(pki, { revoked: ["pck"] });
  refusedBy(await check(await tdxQuote(pckOnly), pckOnly), "dcap.pckCrl", { detail: /revoked by Intel SGX PCK Platform CA/ });
  refusedBy(await checkSnp(await snpReport(revoked), revoked), "snp.crl", { detail: /SEV-Milan .* revoked by ARK-Milan/ });
  // The same evidence with the unrevoked CRLs verifies: only the CRL entries differ.
  await control(check(quote, pki));
  // An ARK-signed CRL revokes what the ARK issued (ASKs); a VCEK cannot be listed in it.
  const refused = await derivePki(pki, { revoked: ["vcek"] }).catch((e) => e);
  assert.instance(refused, TypeError);
  assert.match(refused.message, 'cannot revoke "vcek"');
});

test("collateral outside its window: TCB info past nextUpdate, QE identity before issueDate, CRLs expired", async () => {
  const stale = await derivePki(pki, { tcbInfo: { issueDate: new Date(NOW - 40 * DAY), nextUpdate: new Date(NOW - 10 * DAY) } });
  refusedBy(await check(TDX_BASE, stale), "dcap.tcbInfo.window", { detail: "expired at nextUpdate" });
  const future = await derivePki(pki, { qeIdentity: { issueDate: new Date(NOW.getTime() + DAY) } });
  refusedBy(await check(TDX_BASE, future), "dcap.qeIdentity.window", { detail: "not valid before" });
  // 31 days on, every piece of collateral (issued for 30) is out of date; the root CA CRL decides.
  const late = await check(TDX_BASE, pki, { now: new Date(NOW.getTime() + 31 * DAY) });
  refusedBy(late, "dcap.rootCrl", { alsoFail: ["dcap.pckCrl", "dcap.tcbInfo.window", "dcap.qeIdentity.window"], detail: "expired" });
});

test("TCB info for another FMSPC is refused by dcap.tcbInfo.platform", async () => {
  const elsewhere = await derivePki(pki, { tcbInfo: { fmspc: "00906ed50000" } });
  refusedBy(await check(TDX_BASE, elsewhere), "dcap.tcbInfo.platform", { detail: "FMSPC 00906ed50000, the PCK for 50806f000000" });
});

test("debug bit: a debug TD (TD attributes DEBUG) and an SNP guest whose policy allows debugging", async () => {
  const debugTd = await tdxQuote(pki, { body: { tdAttributes: "0100001000000000" } });
  refusedBy(await check(debugTd), "policy.debug", { detail: "debug TD rejected" });
  await control(check(debugTd, pki, { policy: { allowDebug: true } }));
  const debugGuest = await snpReport(pki, { report: { policy: 0x30000n | (1n << 19n) } });
  refusedBy(await checkSnp(debugGuest), "policy.debug", { detail: "guest policy allows debugging" });
  await control(checkSnp(debugGuest, pki, { policy: { allowDebug: true } }));
});

test("report data other than the policy's expected value is refused by policy.reportData", async () => {
  const other = hex(NONCE.map((b) => b ^ 0xff));
  refusedBy(await check(TDX_BASE, pki, { policy: { reportData: other } }), "policy.reportData");
  refusedBy(await checkSnp(SNP_BASE, pki, { policy: { reportData: other } }), "policy.reportData");
  await control(check(TDX_BASE, pki, { policy: { reportData: hex(NONCE) } }));
  await control(checkSnp(SNP_BASE, pki, { policy: { reportData: hex(NONCE) } }));
});

test.run();
