// Issue 9, "How it is checked": a table of bad certificate chains, one defect per row, each with
// the check that must reject it and the rule (path.js RULES) it breaks. Every end-to-end row is
// simulator evidence (a TDX quote or an SNP report made by the simulator's own providers under a
// forged PKI, test/verify/forge.js) verified through the public verify() at a pinned time; good
// chains are control rows that must verify, so the table cannot pass by everything failing.
// Unit rows call path.js validatePath()/checkCrl() directly.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { data, expected } from "../data.js";
import { verify } from "../../hosts/js/verify/index.js";
import { createPki, derivePki, NAMES, pem } from "../../hosts/sim/pki.js";
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { parseCertificates } from "../../hosts/js/verify/x509.js";
import {
  KEY_INFO_VLEK, KU, OID, crlOf, dcapOptions, genKeys, patchPemCertificate, reissue, shortenSignatureSequence,
  snpOptions, snpReport, tdxQuote, unknownCritical, utf8CommonName, vlekUnderAsk, withHolders,
} from "./forge.js";

const NOW = new Date("2026-01-01T00:00:00Z");
const DAY = 86400000;
const pki = await createPki({ now: NOW });
const I = pki.intel, A = pki.amd;
const checkOf = (v, name) => v.checks.find((c) => c.name === name);
const failures = (v) => JSON.stringify(v.checks.filter((c) => !c.ok));
const EC_P256 = { name: "ECDSA", namedCurve: "P-256" };
const RSA_PSS_2048 = { name: "RSA-PSS", modulusLength: 2048, publicExponent: Uint8Array.of(1, 0, 1), hash: "SHA-384" };

/** A DCAP row: simulator TDX quote under `view` (chain: the PCK chain it embeds), verified with `trust`'s anchors and collateral. */
async function tdx(view, { chain, trust = view, collateral } = {}) {
  return { bytes: await tdxQuote(view, { chain }), opts: dcapOptions(trust, collateral) };
}

/** An SNP row: simulator report under `view` with its certificate table, verified with `trust`'s ARK and CRL. */
async function snp(view, { trust = view, report } = {}) {
  const { outblob, auxblob } = await snpReport(view, report);
  return { bytes: outblob, opts: snpOptions(trust, { auxblob }) };
}

const reissuePlatformCa = (change) => reissue(pki, "intel.platformCa", change);
const withPlatformCa = async (change) => tdx(withHolders(pki, { "intel.platformCa": await reissuePlatformCa(change) }));
const withPck = async (change) => tdx(withHolders(pki, { "intel.pck": await reissue(pki, "intel.pck", change) }));
const withAsk = async (change) => snp(withHolders(pki, { "amd.ask": await reissue(pki, "amd.ask", change) }));

// rule: the one the contract names for the defect; a list where the contract names two that both
// describe it (the row says why).
const ROWS = [
  // ---- controls
  { name: "control: the simulator's own TDX chain and collateral", ok: "UpToDate", make: () => tdx(pki) },
  { name: "control: the simulator's own SNP chain and CRL", ok: "Verified", make: () => snp(pki) },

  // ---- PCK chain: Root CA -> PCK Platform CA -> PCK Certificate
  { name: "PCK CA with basicConstraints cA=false", check: "dcap.pckChain", rule: "issuer-not-ca", make: () => withPlatformCa({ basicConstraints: { ca: false } }) },
  { name: "PCK CA without basicConstraints", check: "dcap.pckChain", rule: "issuer-not-ca", make: () => withPlatformCa({ basicConstraints: null }) },
  { name: "PCK CA whose keyUsage lacks keyCertSign", check: "dcap.pckChain", rule: "no-keyCertSign", make: () => withPlatformCa({ keyUsage: KU.cRLSign }) },
  {
    name: "Root CA with pathLenConstraint 0 above the PCK CA", check: "dcap.pckChain", rule: "path-length",
    make: async () => tdx(withHolders(pki, { "intel.root": await reissue(pki, "intel.root", { basicConstraints: { ca: true, pathLen: 0 } }) })),
  },
  {
    // pathLen constraints generous enough that only the pinned shape is broken.
    name: "an extra hop: Root -> Platform CA -> Processor CA -> PCK leaf", check: "dcap.pckChain", rule: "shape",
    make: async () => {
      const root = await reissue(pki, "intel.root", { basicConstraints: { ca: true, pathLen: 3 } });
      const platformCa = await reissuePlatformCa({ basicConstraints: { ca: true, pathLen: 2 }, signer: root });
      const mid = await reissuePlatformCa({ subject: NAMES.pckPlatformCa.replace("Platform", "Processor"), keys: await genKeys(EC_P256), signer: platformCa, basicConstraints: { ca: true, pathLen: 0 } });
      const pck = await reissue(pki, "intel.pck", { signer: mid });
      const view = withHolders(pki, { "intel.root": root, "intel.platformCa": platformCa, "intel.pck": pck });
      return tdx(view, { chain: [pck.cert, mid.cert, platformCa.cert, root.cert] });
    },
  },
  {
    // Any of three rules names this truthfully: the path ends at a self-signed non-anchor
    // (untrusted-root), or, tried against the anchor of that name, the key identifiers (aki-ski)
    // or the signature disagree. The contract does not say which; all reject at the chain check.
    name: "root substitution: a root of the same name with another key", check: "dcap.pckChain", rule: ["untrusted-root", "aki-ski", "signature"],
    make: async () => {
      const root = await reissue(pki, "intel.root", { keys: await genKeys(EC_P256) });
      const platformCa = await reissuePlatformCa({ signer: root });
      const pck = await reissue(pki, "intel.pck", { signer: platformCa });
      return tdx(withHolders(pki, { "intel.root": root, "intel.platformCa": platformCa, "intel.pck": pck }), { trust: pki });
    },
  },
  {
    // The leaf names the genuine CA; the CA in the chain has the same CN and key but another O.
    // issuer-name or no-issuer: a DER-name path builder finds no issuer, a link check sees the mismatch.
    name: "same CN, other O: the PCK CA's DER name is not the leaf's issuer", check: "dcap.pckChain", rule: ["issuer-name", "no-issuer"],
    make: async () => {
      const ca = await reissuePlatformCa({ subject: NAMES.pckPlatformCa.replace("O=tsmkit TEST (not Intel)", "O=tsmkit TEST (other)") });
      return tdx(pki, { chain: [I.pck.cert, ca.cert, I.root.cert] });
    },
  },
  {
    name: "same attributes in another order: the PCK CA's DER name is not the leaf's issuer", check: "dcap.pckChain", rule: ["issuer-name", "no-issuer"],
    make: async () => {
      const [cn, ...rest] = NAMES.pckPlatformCa.split(", ");
      const ca = await reissuePlatformCa({ subject: [...rest, cn].join(", ") });
      return tdx(pki, { chain: [I.pck.cert, ca.cert, I.root.cert] });
    },
  },
  {
    name: "same name text, CN as UTF8String instead of PrintableString (only the DER differs)", check: "dcap.pckChain", rule: ["issuer-name", "no-issuer"],
    make: async () => {
      const ca = await reissuePlatformCa({ subject: utf8CommonName(I.platformCa.cert.subjectName) });
      assert.is(ca.cert.subject, I.platformCa.cert.subject, "rendered names are equal");
      return tdx(pki, { chain: [I.pck.cert, ca.cert, I.root.cert] });
    },
  },
  { name: "PCK CA with an unknown critical extension", check: "dcap.pckChain", rule: "unknown-critical-extension", make: () => withPlatformCa({ extra: [unknownCritical()] }) },
  { name: "PCK leaf with an unknown critical extension", check: "dcap.pckChain", rule: "unknown-critical-extension", make: () => withPck({ extra: [unknownCritical()] }) },
  {
    name: "PCK CA with its subject key identifier twice", check: "dcap.pckChain", rule: "duplicate-extension",
    make: async () => withPlatformCa({ extra: [await x509.SubjectKeyIdentifierExtension.create(I.platformCa.keys.publicKey)] }),
  },
  {
    name: "PCK leaf whose authority key identifier is not the CA's", check: "dcap.pckChain", rule: "aki-ski",
    make: () => withPck({ drop: [OID.aki], extra: [new x509.AuthorityKeyIdentifierExtension("0102030405060708090a0b0c0d0e0f1011121314", false)] }),
  },
  { name: "PCK leaf whose keyUsage lacks digitalSignature", check: "dcap.pckChain", rule: "no-digitalSignature", make: () => withPck({ keyUsage: KU.nonRepudiation }) },
  { name: "PCK CA expired", check: "dcap.pckChain", rule: "expired", make: () => withPlatformCa({ notAfter: new Date(NOW.getTime() - DAY) }) },
  { name: "PCK CA not yet valid", check: "dcap.pckChain", rule: "not-yet-valid", make: () => withPlatformCa({ notBefore: new Date(NOW.getTime() + DAY) }) },
  { name: "PCK CA signed with ECDSA/SHA-1", check: "dcap.pckChain", rule: "algorithm", make: () => withPlatformCa({ alg: { name: "ECDSA", hash: "SHA-1" } }) },
  { name: "PCK CA signed with ECDSA P-256/SHA-512 (not on the allow-list)", check: "dcap.pckChain", rule: "algorithm", make: () => withPlatformCa({ alg: { name: "ECDSA", hash: "SHA-512" } }) },
  { name: "self-signed PCK leaf", check: "dcap.pckChain", rule: "self-signed-leaf", make: () => withPck({ signer: "self" }) },
  {
    name: "PCK CA whose ECDSA signature SEQUENCE length is 8 short (r, s read past it)", check: "dcap.pckChain", rule: "malformed-der",
    make: () => tdx(pki, { chain: [I.pck.cert, shortenSignatureSequence(new Uint8Array(I.platformCa.cert.rawData)), I.root.cert] }),
  },

  // ---- CRL issuers
  { name: "PCK CA (PCK CRL issuer) whose keyUsage lacks cRLSign", check: "dcap.pckCrl", rule: "no-cRLSign", make: () => withPlatformCa({ keyUsage: KU.keyCertSign }) },
  {
    name: "Root CA (Root CA CRL issuer) whose keyUsage lacks cRLSign", check: "dcap.rootCrl", rule: "no-cRLSign",
    make: async () => tdx(withHolders(pki, { "intel.root": await reissue(pki, "intel.root", { keyUsage: KU.keyCertSign }) })),
  },
  { name: "PCK leaf listed in its CA's CRL", check: "dcap.pckCrl", rule: "revoked", make: async () => tdx(await derivePki(pki, { revoked: ["pck"] })) },
  { name: "PCK CA listed in the Root CA CRL", check: "dcap.rootCrl", rule: "revoked", make: async () => tdx(await derivePki(pki, { revoked: ["pckPlatformCa"] })) },
  { name: "TCB Signing listed in the Root CA CRL", check: "dcap.rootCrl", rule: "revoked", make: async () => tdx(await derivePki(pki, { revoked: ["tcbSigning"] })) },
  {
    name: "PCK CRL past its nextUpdate", check: "dcap.pckCrl", rule: "crl-expired",
    make: async () => tdx(pki, { collateral: { pckCrl: await crlOf(I.platformCa, I.platformCa, new Date(NOW.getTime() - 40 * DAY)) } }),
  },

  // ---- TCB signing chain: Root CA -> TCB Signing, directly
  {
    name: "TCB Signing issued by the PCK CA instead of directly by the root", check: "dcap.tcbSigningChain", rule: "shape",
    make: async () => {
      const tcb = await reissue(pki, "intel.tcbSigning", { signer: I.platformCa });
      return tdx(pki, { collateral: { tcbSigningChain: pem(tcb.cert) + pem(I.platformCa.cert) + pem(I.root.cert) } });
    },
  },

  // ---- AMD: ARK -> ASK (VCEK) | ASVK (VLEK) -> leaf; CRL by the ARK
  { name: "ASK with basicConstraints cA=false", check: "snp.chain", rule: "issuer-not-ca", make: () => withAsk({ basicConstraints: { ca: false } }) },
  { name: "ASK whose keyUsage lacks keyCertSign", check: "snp.chain", rule: "no-keyCertSign", make: () => withAsk({ keyUsage: KU.digitalSignature }) },
  { name: "ASK with an unknown critical extension", check: "snp.chain", rule: "unknown-critical-extension", make: () => withAsk({ extra: [unknownCritical()] }) },
  { name: "ASK not yet valid", check: "snp.chain", rule: "not-yet-valid", make: () => withAsk({ notBefore: new Date(NOW.getTime() + DAY) }) },
  { name: "ASK signed with RSASSA-PSS salt 32 (not AMD's parameters)", check: "snp.chain", rule: "algorithm", make: () => withAsk({ alg: { name: "RSA-PSS", saltLength: 32 } }) },
  {
    name: "VCEK expired", check: "snp.chain", rule: "expired",
    make: async () => snp(withHolders(pki, { "amd.vcek": await reissue(pki, "amd.vcek", { notAfter: new Date(NOW.getTime() - DAY) }) })),
  },
  {
    name: "a VLEK under an ASK (instead of an ASVK)", check: "snp.chain", rule: "shape",
    make: async () => {
      const vlek = await vlekUnderAsk(pki);
      const { outblob } = await snpReport(withHolders(pki, { "amd.vcek": vlek }), { keyInfo: KEY_INFO_VLEK });
      return { bytes: outblob, opts: snpOptions(pki, { certs: [new Uint8Array(vlek.cert.rawData), new Uint8Array(A.ask.cert.rawData)] }) };
    },
  },
  {
    name: "ARK substitution: an ARK of the same name with another key", check: "snp.chain", rule: ["untrusted-root", "aki-ski", "signature"], // as for the Intel root
    make: async () => {
      const ark = await reissue(pki, "amd.ark", { keys: await genKeys(RSA_PSS_2048) });
      const ask = await reissue(pki, "amd.ask", { signer: ark });
      const vcek = await reissue(pki, "amd.vcek", { signer: ask });
      return snp(withHolders(pki, { "amd.ark": ark, "amd.ask": ask, "amd.vcek": vcek }), { trust: pki });
    },
  },
  {
    name: "ARK (CRL issuer) whose keyUsage lacks cRLSign", check: "snp.crl", rule: "no-cRLSign",
    make: async () => snp(withHolders(pki, { "amd.ark": await reissue(pki, "amd.ark", { keyUsage: KU.keyCertSign }) })),
  },
];

for (const row of ROWS) {
  const expect = row.ok ? `verifies: ${row.ok}` : `${row.check} fails, rule ${[row.rule].flat().join(" or ")}`;
  test(`${row.name} -> ${expect}`, async () => {
    const { bytes, opts } = await row.make();
    const v = await verify(bytes, { ...opts, now: NOW });
    if (row.ok) {
      assert.ok(v.ok, failures(v));
      assert.is(v.status, row.ok);
      return;
    }
    assert.is(v.ok, false);
    assert.is.not(v.status, "UpToDate");
    assert.is(v.decidedBy, row.check, failures(v));
    const c = checkOf(v, row.check);
    assert.ok([row.rule].flat().includes(c.rule), `rule ${c.rule} (detail: ${c.detail})`);
    for (const x of v.checks.filter((y) => y.rule)) assert.ok(x.detail.startsWith(`${x.rule}: `), `${x.name}: detail starts with its rule: ${x.detail}`);
  });
}

// ---- real evidence: the issue's own malformed-DER case ------------------------------------------

const REAL = { quote: "tdx/dcap-qvl-tdx-quote-v4.dat", now: "2025-07-19T10:00:34Z", collateral: data("collateral/intel/dcap-qvl-tdx-collateral-bundle.json") };

test("control: the real dcap-qvl TDX quote with its real collateral verifies UpToDate", async () => {
  const v = await verify(data(REAL.quote), { now: REAL.now, collateral: REAL.collateral, policy: { reportData: expected[REAL.quote].report_data } });
  assert.ok(v.ok, failures(v));
  assert.is(v.status, "UpToDate");
});

test("the real quote's PCK CA with its signature SEQUENCE 8 bytes short (0x44 -> 0x3c style) -> dcap.pckChain, malformed-der", async () => {
  const bad = patchPemCertificate(data(REAL.quote), 1, (der) => shortenSignatureSequence(der));
  assert.is(bad.length, data(REAL.quote).length);
  const v = await verify(bad, { now: REAL.now, collateral: REAL.collateral });
  assert.is(v.ok, false);
  assert.is(v.decidedBy, "dcap.pckChain", failures(v));
  assert.is(checkOf(v, "dcap.pckChain").rule, "malformed-der");
});

test("the real quote's PCK CA with a non-minimal DER length (81 bb -> 81 7b, which lenient readers accept) -> dcap.pckChain, malformed-der; verify() does not throw", async () => {
  // Found by the mutation suite (one bit flipped in the quote's base64): the CA still parses
  // leniently, so every later check that reads it must cope with a certificate strict DER refused.
  const bad = patchPemCertificate(data(REAL.quote), 1, (der) => {
    assert.equal([der[392], der[393]], [0x81, 0xbb]);
    der[393] = 0x7b;
    return der;
  });
  const v = await verify(bad, { now: REAL.now, collateral: REAL.collateral });
  assert.is(v.ok, false);
  assert.is(v.decidedBy, "dcap.pckChain", failures(v));
  assert.is(checkOf(v, "dcap.pckChain").rule, "malformed-der");
});

// ---- unit rows: path.js validatePath() and checkCrl() ----------------------------------------------
// Imported when used, so a missing module fails these rows rather than hiding the table above.
const pathJs = () => import("../../hosts/js/verify/path.js");

/** A shape of `n` roles that any CN fills: the generic RFC 5280 rules alone decide. */
const anyShape = (n) => ({ name: `any ${n}-certificate path`, roles: Array.from({ length: n }, (_, i) => ({ name: `role ${i}`, cn: /^/ })) });

/** The verifier's own certificate object for a forged @peculiar/x509 one (path.js takes only those). */
const own = (cert) => parseCertificates(cert)[0];

async function pathCase(leaf, intermediates, anchors, n = intermediates.length + 1 + (anchors.length ? 1 : 0)) {
  const { validatePath } = await pathJs();
  return validatePath(own(leaf), { intermediates: intermediates.map(own), anchors: anchors.map(own), now: NOW, shape: anyShape(n) });
}

test("validatePath: the simulator's PCK chain is valid (control)", async () => {
  const r = await pathCase(I.pck.cert, [I.platformCa.cert], [I.root.cert], 3);
  assert.ok(r.ok, r.detail);
  assert.is(r.path.length, 3);
});

const PATH_ROWS = [
  {
    name: "an intermediate's pathLenConstraint 0 with a CA below it", rule: "path-length",
    make: async () => {
      const sub = await reissue(pki, "intel.platformCa", { subject: "CN=tsmkit TEST Sub CA, O=tsmkit TEST", keys: await genKeys(EC_P256), signer: I.platformCa, basicConstraints: { ca: true, pathLen: 0 } });
      const leaf = await reissue(pki, "intel.pck", { signer: sub });
      return [leaf.cert, [sub.cert, I.platformCa.cert], [I.root.cert], 4];
    },
  },
  { name: "no issuer available for the leaf", rule: "no-issuer", make: () => [I.pck.cert, [], [I.root.cert], 3] },
  { name: "an anchor that is not self-signed (the PCK CA as the anchor)", rule: "root-not-self-signed", make: () => [I.pck.cert, [], [I.platformCa.cert], 2] },
  {
    name: "a self-signed root that is not the anchor", rule: "untrusted-root",
    make: async () => [I.pck.cert, [I.platformCa.cert, I.root.cert], [(await reissue(pki, "intel.root", { keys: await genKeys(EC_P256) })).cert], 3],
  },
  { name: "a self-signed leaf", rule: "self-signed-leaf", make: async () => [(await reissue(pki, "intel.pck", { signer: "self" })).cert, [I.platformCa.cert], [I.root.cert], 3] },
  { name: "an issuer with cA=false", rule: "issuer-not-ca", make: async () => [I.pck.cert, [(await reissuePlatformCa({ basicConstraints: { ca: false } })).cert], [I.root.cert], 3] },
  { name: "an issuer without keyCertSign", rule: "no-keyCertSign", make: async () => [I.pck.cert, [(await reissuePlatformCa({ keyUsage: KU.cRLSign })).cert], [I.root.cert], 3] },
  { name: "an expired intermediate", rule: "expired", make: async () => [I.pck.cert, [(await reissuePlatformCa({ notAfter: new Date(NOW.getTime() - DAY) })).cert], [I.root.cert], 3] },
  { name: "an intermediate signed with ECDSA/SHA-1", rule: "algorithm", make: async () => [I.pck.cert, [(await reissuePlatformCa({ alg: { name: "ECDSA", hash: "SHA-1" } })).cert], [I.root.cert], 3] },
  {
    name: "an intermediate whose signature SEQUENCE is 8 bytes short", rule: "malformed-der",
    make: () => [I.pck.cert, [new x509.X509Certificate(shortenSignatureSequence(new Uint8Array(I.platformCa.cert.rawData)))], [I.root.cert], 3],
  },
  {
    name: "an intermediate's DER name differing only in string type", rule: ["issuer-name", "no-issuer"],
    make: async () => [I.pck.cert, [(await reissuePlatformCa({ subject: utf8CommonName(I.platformCa.cert.subjectName) })).cert], [I.root.cert], 3],
  },
  {
    name: "a path one longer than the shape allows", rule: "shape",
    make: () => [I.pck.cert, [I.platformCa.cert], [I.root.cert], 2],
  },
];

for (const row of PATH_ROWS) {
  test(`validatePath: ${row.name} -> ${[row.rule].flat().join(" or ")}`, async () => {
    const [leaf, intermediates, anchors, n] = await row.make();
    const r = await pathCase(leaf, intermediates, anchors, n);
    assert.is(r.ok, false);
    assert.ok([row.rule].flat().includes(r.rule), `rule ${r.rule}: ${r.detail}`);
    assert.ok(r.detail.startsWith(`${r.rule}: `), r.detail);
  });
}

async function crlCase(crlBytes, opts) {
  const { checkCrl } = await pathJs();
  const { parseCrl } = await import("../../hosts/js/verify/x509.js");
  return checkCrl(parseCrl(crlBytes), { now: NOW, ...opts, issuer: own(opts.issuer), certs: opts.certs?.map(own) });
}

const crlAt = (offsetDays, revoked = [], signer = I.platformCa, named = I.platformCa) => crlOf(named, signer, new Date(NOW.getTime() + offsetDays * DAY), revoked);

test("checkCrl: the PCK CA's current CRL, nothing revoked (control)", async () => {
  const r = await crlCase(await crlAt(-1), { issuer: I.platformCa.cert, certs: [I.pck.cert] });
  assert.ok(r.ok, r.detail);
  assert.not.ok(r.waived);
});

test("checkCrl: 40 days old (nextUpdate 10 days past) passes with a 15-day grace, marked waived; fails with 5 days", async () => {
  const bytes = await crlAt(-40);
  const grace = await crlCase(bytes, { issuer: I.platformCa.cert, certs: [I.pck.cert], graceSeconds: 15 * 86400 });
  assert.ok(grace.ok, grace.detail);
  assert.is(grace.waived, true);
  const short = await crlCase(bytes, { issuer: I.platformCa.cert, certs: [I.pck.cert], graceSeconds: 5 * 86400 });
  assert.is(short.rule, "crl-expired");
});

const CRL_ROWS = [
  { name: "checked against another issuer (the root)", rule: "crl-issuer", make: async () => [await crlAt(-1), { issuer: I.root.cert }] },
  { name: "naming the PCK CA but signed by the PCK leaf", rule: "crl-signature", make: async () => [await crlAt(-1, [], I.pck), { issuer: I.platformCa.cert }] },
  { name: "past its nextUpdate", rule: "crl-expired", make: async () => [await crlAt(-40), { issuer: I.platformCa.cert }] },
  { name: "not yet valid", rule: "crl-not-yet-valid", make: async () => [await crlAt(1), { issuer: I.platformCa.cert }] },
  { name: "listing the PCK leaf", rule: "revoked", make: async () => [await crlAt(-1, [I.pck.cert]), { issuer: I.platformCa.cert, certs: [I.pck.cert] }] },
  { name: "issued by a CA whose keyUsage lacks cRLSign", rule: "no-cRLSign", make: async () => [await crlAt(-1), { issuer: (await reissuePlatformCa({ keyUsage: KU.keyCertSign })).cert }] },
  { name: "with its signature SEQUENCE 8 bytes short", rule: "malformed-der", make: async () => [shortenSignatureSequence(await crlAt(-1)), { issuer: I.platformCa.cert }] },
];

for (const row of CRL_ROWS) {
  test(`checkCrl: a CRL ${row.name} -> ${row.rule}`, async () => {
    const [bytes, opts] = await row.make();
    const r = await crlCase(bytes, opts);
    assert.is(r.ok, false);
    assert.is(r.rule, row.rule, r.detail);
    assert.ok(r.detail.startsWith(`${r.rule}: `), r.detail);
  });
}

test.run();
