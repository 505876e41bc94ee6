// The verifier caches parsed certificates/CRLs/collateral and signature checks by their exact
// bytes. A cache must never change a verdict: after a cached success, any changed byte (in the
// quote, its PCK chain, the collateral, a CRL, a VCEK) and any time outside a validity window
// must still fail, and the untouched evidence must still pass afterwards.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { data, expected } from "../data.js";
import { verify } from "../../hosts/js/verify/index.js";

const QUOTE = "tdx/dcap-qvl-tdx-quote-v4.dat";
const BUNDLE = "collateral/intel/dcap-qvl-tdx-collateral-bundle.json";
const NOW = "2025-07-19T10:00:34Z";
const copy = (rel) => Uint8Array.from(data(rel));
const failed = (v) => v.checks.filter((c) => !c.ok).map((c) => c.name);

/** A copy of the bundle text with one character of member `name`'s value replaced. */
function tamperBundle(name, at) {
  const o = JSON.parse(data(BUNDLE).toString("utf8"));
  const s = o[name];
  const i = Math.floor(s.length * at);
  o[name] = s.slice(0, i) + (s[i] === "0" ? "1" : "0") + s.slice(i + 1);
  return JSON.stringify(o);
}

async function tdx(quote = copy(QUOTE), collateral = copy(BUNDLE), now = NOW) {
  return verify(quote, { now, collateral, policy: { reportData: expected[QUOTE].report_data } });
}

test("TDX: a cached success does not carry over to a tampered quote, PCK chain or collateral", async () => {
  assert.ok((await tdx()).ok, "baseline");
  assert.ok((await tdx()).ok, "cached repeat");

  const body = copy(QUOTE);
  body[200] ^= 1; // inside the TD report body
  assert.ok(failed(await tdx(body)).includes("dcap.quoteSignature"));

  const pck = copy(QUOTE);
  const pem = Buffer.from(pck).indexOf("-----BEGIN CERTIFICATE-----") + 28 + 300; // base64 of the leaf's TBS
  pck[pem] = pck[pem] === 0x41 ? 0x42 : 0x41;
  const v = await tdx(pck);
  assert.not.ok(v.ok, "tampered PCK leaf");

  const tcb = await tdx(undefined, tamperBundle("tcb_info", 0.5));
  assert.not.ok(tcb.ok);
  assert.ok(failed(tcb).includes("dcap.tcbInfo.signature") || failed(tcb).includes("dcap.collateral"), failed(tcb).join());

  for (const [crl, check] of [["root_ca_crl", "dcap.rootCrl"], ["pck_crl", "dcap.pckCrl"]]) {
    const r = await tdx(undefined, tamperBundle(crl, 0.6));
    assert.not.ok(r.ok, `tampered ${crl}`);
    assert.ok(failed(r).includes(check) || failed(r).includes("dcap.collateral"), `${crl}: ${failed(r).join()}`);
  }
  assert.ok((await tdx()).ok, "the untouched evidence still verifies");
});

test("TDX: the same buffers changed in place after a cached success fail", async () => {
  const quote = copy(QUOTE), collateral = copy(BUNDLE);
  assert.ok((await tdx(quote, collateral)).ok);
  quote[300] ^= 0x80;
  assert.not.ok((await tdx(quote, collateral)).ok, "quote mutated in place");
  quote[300] ^= 0x80;
  const at = Buffer.from(collateral).indexOf('"tcb_info"') + 60;
  collateral[at] = collateral[at] === 0x30 ? 0x31 : 0x30;
  assert.not.ok((await tdx(quote, collateral)).ok, "collateral mutated in place");
});

test("TDX: the quote's attestation key, QE report and PCK chain changed in place after a cached success fail", async () => {
  const { locate } = await import("../../hosts/js/decode.js");
  const quote = copy(QUOTE);
  const loc = locate(quote);
  assert.ok((await tdx(quote)).ok);
  const spots = [
    ["signatureData.attestationKey", "dcap.quoteSignature"],
    ["signatureData.certificationData.qeReportCertificationData.qeReport", "dcap.qeReportSignature"],
    ["signatureData.certificationData.qeReportCertificationData.qeAuthData.data", "dcap.qeReportData"],
    ["signatureData.certificationData.qeReportCertificationData.certificationData.pckCertChain.0", null],
  ];
  for (const [path, check] of spots) {
    const [off, len] = loc.get(path);
    const i = off + (len >> 1);
    const was = quote[i];
    quote[i] = was === 0x41 ? 0x42 : was ^ 0x01; // stays base64 inside a PEM
    const v = await tdx(quote);
    assert.not.ok(v.ok, `${path} mutated in place`);
    if (check) assert.ok(failed(v).includes(check), `${path}: ${failed(v).join()}`);
    quote[i] = was;
    assert.ok((await tdx(quote)).ok, `${path} restored`);
  }
});

test("TDX: times outside the validity windows fail after a cached success", async () => {
  assert.ok((await tdx()).ok);
  const late = await tdx(undefined, undefined, "2061-01-01T00:00:00Z");
  assert.not.ok(late.ok);
  assert.is(late.checks.find((c) => c.name === "dcap.pckChain").rule, "expired");
  assert.ok(failed(late).includes("dcap.tcbInfo.window"));
  const early = await tdx(undefined, undefined, "2017-01-01T00:00:00Z");
  assert.not.ok(early.ok);
  assert.is(early.checks.find((c) => c.name === "dcap.pckChain").rule, "not-yet-valid");
  assert.ok((await tdx()).ok, "and the right time still verifies");
});

// trustee's Milan report with its VCEK and the go-sev-guest ASK/ARK chain (as test/verify/snp.test.js).
// AMD's real Milan CRL is current at that time.
const SNP = { report: "snp/trustee-report-v2-milan.bin", vcek: "snp/trustee-vcek-milan.der", chain: "collateral/amd/go-sev-guest-ask-ark-milan-vcek.pem", crl: "collateral/amd/openpcc-milan-vcek-crl-2505.der", now: "2025-09-12T00:00:00Z" };
const snp = (vcek = copy(SNP.vcek), now = SNP.now, report = copy(SNP.report)) =>
  verify(report, { now, certs: [vcek, data(SNP.chain)], crl: data(SNP.crl), policy: { reportData: expected[SNP.report].report_data } });

test("SNP: a cached success does not carry over to a tampered VCEK or report, or an expired time", async () => {
  assert.ok((await snp()).ok, "baseline");
  assert.ok((await snp()).ok, "cached repeat");
  const vcek = copy(SNP.vcek);
  vcek[42] += 1;
  assert.not.ok((await snp(vcek)).ok, "tampered VCEK");
  const report = copy(SNP.report);
  report[0x50] ^= 1; // REPORT_DATA
  assert.ok(failed(await snp(undefined, undefined, report)).includes("snp.signature"));
  const late = await snp(undefined, "2080-01-01T00:00:00Z");
  assert.not.ok(late.ok);
  assert.is(late.checks.find((c) => c.name === "snp.chain").rule, "expired");
  assert.ok((await snp()).ok, "the untouched evidence still verifies");
});

test("SNP: a VCEK passed as a Node Buffer of PEM and changed in place after a cached success fails, at every byte", async () => {
  // Buffer#slice is a view, not a copy: a private copy taken with it changes with the caller's
  // buffer, and a change at a byte the bucket hash does not sample then hits the old entry.
  const b64 = Buffer.from(data(SNP.vcek)).toString("base64").match(/.{1,64}/g).join("\n");
  const pem = Buffer.from(`-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`);
  assert.ok((await snp(pem)).ok, "baseline");
  const end = pem.indexOf("-----END");
  for (let i = end - 80; i < end - 20; i++) { // base64 of the signature value
    if (pem[i] === 0x0a) continue;
    const was = pem[i];
    pem[i] = was === 0x41 ? 0x42 : 0x41;
    assert.not.ok((await snp(pem)).ok, `PEM byte ${i} changed in place`);
    pem[i] = was;
  }
  assert.ok((await snp(pem)).ok, "restored");
});

test.run();
