// The verifier's own certificate and CRL objects (certificate.js, crl.js on @peculiar/asn1-x509):
// on every certificate and CRL of the corpus they read what @peculiar/x509 reads (names, validity,
// serial, extensions, key, update times, revoked entries); objects of other X.509 libraries are
// taken by their DER (rawData); and the signature rules reject real vendor certificates and CRLs
// changed to break just one of them: an ECDSA signature value that is not a SEQUENCE of two
// INTEGERs or whose r is longer than the curve's field, a signature algorithm outside the
// allow-list (ECDSA/SHA-512, RSASSA-PKCS1-v1_5), RSASSA-PSS parameters other than AMD's.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { DATA, data } from "../data.js";
import { children, root } from "../../hosts/js/verify/der.js";
import { checkCrl, validatePath } from "../../hosts/js/verify/path.js";
import { CertError, parseCertificates, parseCrl, pemBlocks } from "../../hosts/js/verify/x509.js";

const I = "collateral/intel/", A = "collateral/amd/";
const files = (dir) => readdirSync(join(DATA, dir)).map((f) => dir + f);
const isCrl = (f) => /crl/.test(f) && !/chain/.test(f);
const certFiles = [...files(I), ...files(A), ...files("snp/")].filter((f) => /\.(pem|der)$/.test(f) && !isCrl(f));
const crlFiles = [...files(I), ...files(A)].filter(isCrl);
const der = (cert) => new Uint8Array(cert.rawData);

// ---- what the objects read, against @peculiar/x509 -------------------------------------------

test("every corpus certificate reads as @peculiar/x509 reads it: names, CNs, validity, serial, extensions, key", () => {
  let n = 0;
  for (const f of certFiles) {
    for (const c of parseCertificates(data(f))) {
      const p = new x509.X509Certificate(der(c));
      const at = `${f}: ${c.subject}`;
      assert.is(c.subject, p.subject, at);
      assert.is(c.issuer, p.issuer, at);
      assert.is(c.subjectCn, p.subjectName.getField("CN")[0], at);
      assert.is(c.issuerCn, p.issuerName.getField("CN")[0], at);
      assert.is(c.notBefore.getTime(), p.notBefore.getTime(), at);
      assert.is(c.notAfter.getTime(), p.notAfter.getTime(), at);
      assert.is(c.serialNumber, p.serialNumber, at);
      for (const e of p.extensions) assert.equal(c.extension(e.type), new Uint8Array(e.value), `${at} ${e.type}`);
      assert.is(c.extension("1.2.3.4"), undefined);
      assert.equal(new Uint8Array(c.publicKey.rawData), new Uint8Array(p.publicKey.rawData), at);
      const alg = p.publicKey.algorithm;
      if (alg.name === "ECDSA") assert.equal(c.key.curve, alg.namedCurve, at);
      else assert.is(c.key.type, "RSA", at);
      n++;
    }
  }
  assert.ok(n >= 60, `${n} certificates`);
});

test("every corpus CRL reads as @peculiar/x509 reads it: issuer, thisUpdate, nextUpdate, each revoked serial and its date", () => {
  let entries = 0;
  for (const f of crlFiles) {
    const c = parseCrl(data(f));
    const p = new x509.X509Crl(der(c));
    assert.is(c.issuer, p.issuer, f);
    assert.is(c.issuerCn, p.issuerName.getField("CN")[0], f);
    assert.is(c.thisUpdate.getTime(), p.thisUpdate.getTime(), f);
    assert.is(c.nextUpdate?.getTime(), p.nextUpdate?.getTime(), f);
    for (const e of p.entries) {
      // A certificate with this serial (its INTEGER contents: a sign byte before a high bit).
      const hex = e.serialNumber.length % 2 ? `0${e.serialNumber}` : e.serialNumber;
      const serial = Uint8Array.from(Buffer.from(/^[89a-f]/.test(hex) ? `00${hex}` : hex, "hex"));
      assert.equal(c.findRevoked({ serial })?.revocationDate.getTime(), e.revocationDate.getTime(), `${f} ${e.serialNumber}`);
      entries++;
    }
  }
  assert.ok(crlFiles.length >= 10 && entries > 0, `${crlFiles.length} CRLs, ${entries} entries`);
  const [cert] = parseCertificates(data(`${I}automata-dcap-pck-platform-ca.der`));
  assert.is(parseCrl(data(`${I}automata-dcap-pck-crl-platform-2506.der`)).findRevoked(cert), null, "a serial not listed");
});

// ---- input forms ---------------------------------------------------------------------------------

const CA_DER = Uint8Array.from(data(`${I}automata-dcap-pck-platform-ca.der`));

test("objects carrying DER as rawData (@peculiar/x509's, or any) are parsed from those bytes, once", () => {
  const own = parseCertificates(CA_DER)[0];
  assert.is(parseCertificates(new x509.X509Certificate(CA_DER))[0], own);
  assert.is(parseCertificates({ rawData: CA_DER.slice().buffer })[0], own);
  assert.is(parseCertificates(own)[0], own);
  const crlDer = Uint8Array.from(data(`${A}openpcc-milan-vcek-crl-2505.der`));
  const crl = parseCrl(crlDer);
  assert.is(parseCrl(new x509.X509Crl(crlDer)), crl);
  assert.is(parseCrl({ rawData: crlDer.slice().buffer }), crl);
});

test("rawData that is not a certificate or CRL throws CertError BAD_CERTIFICATE / BAD_CRL", () => {
  const junk = { rawData: Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01).buffer };
  assert.throws(() => parseCertificates(junk), (e) => e instanceof CertError && e.code === "BAD_CERTIFICATE");
  assert.throws(() => parseCrl(junk), (e) => e instanceof CertError && e.code === "BAD_CRL");
  assert.throws(() => parseCrl({ rawData: CA_DER.slice().buffer }), (e) => e instanceof CertError && e.code === "BAD_CRL", "a certificate is not a CRL");
});

test("a certificate given as a view into a larger buffer holds only its own DER, copied", () => {
  const big = new Uint8Array(CA_DER.length + 100);
  big.set(CA_DER, 50);
  const view = Buffer.from(big.buffer, 50, CA_DER.length); // a Node Buffer: its slice() is a view
  const c = parseCertificates(view)[0];
  assert.equal(der(c), CA_DER);
  view.fill(0);
  assert.equal(der(c), CA_DER, "the caller's bytes changed; the certificate's did not");
});

// ---- signature rules on real certificates and CRLs --------------------------------------------------

/** DER of one TLV with `content`. */
function tlvOf(tag, content) {
  const n = content.length;
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return Uint8Array.from([tag, ...len, ...content]);
}

/** Certificate or CRL DER with its signature value replaced by `sig` (lengths re-encoded). */
function withSignatureValue(signed, sig) {
  const [tbs, alg] = children(signed, root(signed));
  return tlvOf(0x30, [...signed.subarray(tbs.off, alg.end), ...tlvOf(0x03, [0, ...sig])]);
}

/** The ECDSA signature value of signed DER: { r, s } INTEGER contents. */
function ecdsaParts(signed) {
  const [, , bits] = children(signed, root(signed));
  const sig = signed.subarray(bits.start + 1, bits.end);
  const [r, s] = children(sig, root(sig));
  return { r: sig.subarray(r.start, r.end), s: sig.subarray(s.start, s.end) };
}

/** Where `pattern` occurs in `b`. */
const occurrences = (b, pattern) => [...b.keys()].filter((i) => pattern.every((x, k) => b[i + k] === x));

/** A copy of `b` with every occurrence of `from` replaced by `to` (same length); exactly `count` of them. */
function replaceAll(b, from, to, count) {
  const at = occurrences(b, from);
  if (at.length !== count) throw new Error(`pattern found ${at.length} times, expected ${count}`);
  const out = Uint8Array.from(b);
  for (const i of at) out.set(to, i);
  return out;
}

const anyShape = (n) => ({ name: `any ${n}-certificate path`, roles: Array.from({ length: n }, (_, i) => ({ name: `role ${i}`, cn: /^/ })) });

// Intel: the PCK Platform CA (ECDSA P-256/SHA-256 by the Intel SGX Root CA) between the dcap-qvl
// TDX quote's PCK leaf and that root; AMD: the Milan ASK (RSASSA-PSS SHA-384, salt 48, by ARK-Milan)
// between trustee's VCEK and ARK-Milan, and ARK-Milan's CRL.
const [PCK, PLATFORM_CA, INTEL_ROOT] = parseCertificates(pemBlocks(Buffer.from(data("tdx/dcap-qvl-tdx-quote-v4.dat")).toString("latin1")));
const INTEL_NOW = new Date("2025-07-19T10:00:34Z");
const [VCEK] = parseCertificates(data("snp/trustee-vcek-milan.der"));
const [MILAN_ASK, MILAN_ARK] = parseCertificates(data(`${A}go-sev-guest-ask-ark-milan-vcek.pem`));
const MILAN_CRL = Uint8Array.from(data(`${A}openpcc-milan-vcek-crl-2505.der`));
const AMD_NOW = new Date("2025-09-12T00:00:00Z");

const ECDSA_SHA256 = [0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02];
const ECDSA_SHA512 = [0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04];
const RSASSA_PSS = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a];
const SHA384_RSA = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c]; // RSASSA-PKCS1-v1_5
const SALT_48 = [0xa2, 0x03, 0x02, 0x01, 0x30];
const SALT_32 = [0xa2, 0x03, 0x02, 0x01, 0x20];
const SHA384 = [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02];
const SHA256 = [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01];

const path3 = (leaf, ca, anchor, now) => validatePath(leaf, { intermediates: parseCertificates(ca), anchors: [anchor], now, shape: anyShape(3) });
const intelCa = (bytes) => path3(PCK, bytes, INTEL_ROOT, INTEL_NOW);
const amdAsk = (bytes) => path3(VCEK, bytes, MILAN_ARK, AMD_NOW);
const amdCrl = (bytes) => checkCrl(parseCrl(bytes), { issuer: MILAN_ARK, now: AMD_NOW, certs: [MILAN_ASK, VCEK], wholeHierarchy: true });

test("controls: the real PCK Platform CA, Milan ASK and ARK-Milan CRL verify unchanged", async () => {
  for (const r of [await intelCa(der(PLATFORM_CA)), await amdAsk(der(MILAN_ASK)), await amdCrl(MILAN_CRL)]) assert.ok(r.ok, r.detail);
  assert.equal((await intelCa(der(PLATFORM_CA))).path.map((c) => c.subjectCn), ["Intel SGX PCK Certificate", "Intel SGX PCK Platform CA", "Intel SGX Root CA"]);
});

const { r: R, s: S } = ecdsaParts(der(PLATFORM_CA));
const ecdsaValue = (r, s, tag = 0x30, sTag = 0x02) => tlvOf(tag, [...tlvOf(0x02, r), ...tlvOf(sTag, s)]);
const positive32 = (v) => { const x = v[0] === 0 ? v.subarray(1) : v; const out = new Uint8Array(32); out.set(x, 32 - x.length); return out; };

const ROWS = [
  ["an ECDSA signature value that is a SET, not a SEQUENCE", intelCa, () => withSignatureValue(der(PLATFORM_CA), ecdsaValue(R, S, 0x31)), "malformed-der", /not a SEQUENCE/],
  ["an ECDSA signature value whose s is an OCTET STRING, not an INTEGER", intelCa, () => withSignatureValue(der(PLATFORM_CA), ecdsaValue(R, S, 0x30, 0x04)), "malformed-der", /not an INTEGER/],
  ["an ECDSA signature value of three INTEGERs", intelCa, () => withSignatureValue(der(PLATFORM_CA), tlvOf(0x30, [...tlvOf(0x02, R), ...tlvOf(0x02, S), ...tlvOf(0x02, [1])])), "malformed-der", /3 values, not r and s/],
  ["an ECDSA r of 33 bytes for P-256 (0x01 before its 32)", intelCa, () => withSignatureValue(der(PLATFORM_CA), ecdsaValue(Uint8Array.from([0x01, ...positive32(R)]), S)), "malformed-der", /longer than 32 bytes/],
  ["an ECDSA s changed by one bit (forged)", intelCa, () => withSignatureValue(der(PLATFORM_CA), ecdsaValue(R, Uint8Array.from(S, (x, i) => (i === S.length - 1 ? x ^ 1 : x)))), "signature", /does not verify/],
  ["signed with ECDSA/SHA-512 (both algorithm identifiers)", intelCa, () => replaceAll(der(PLATFORM_CA), ECDSA_SHA256, ECDSA_SHA512, 2), "algorithm", /not an allowed algorithm/],
  ["its outer algorithm identifier alone changed to ECDSA/SHA-512", intelCa, () => {
    const b = der(PLATFORM_CA).slice();
    b.set(ECDSA_SHA512, occurrences(b, ECDSA_SHA256).at(-1)); // the signatureAlgorithm after the TBS
    return b;
  }, "malformed-der", /differs from the outer one/],
  ["RSASSA-PSS with salt 32, not 48", amdAsk, () => replaceAll(der(MILAN_ASK), SALT_48, SALT_32, 2), "algorithm", /RSASSA-PSS parameters/],
  ["RSASSA-PSS with SHA-256 and MGF1-SHA-256", amdAsk, () => replaceAll(der(MILAN_ASK), SHA384, SHA256, 4), "algorithm", /RSASSA-PSS parameters/],
  ["sha384WithRSAEncryption (RSASSA-PKCS1-v1_5), not RSASSA-PSS", amdAsk, () => replaceAll(der(MILAN_ASK), RSASSA_PSS, SHA384_RSA, 2), "algorithm", /not an allowed algorithm/],
  ["a CRL: RSASSA-PSS with salt 32, not 48", amdCrl, () => replaceAll(MILAN_CRL, SALT_48, SALT_32, 2), "algorithm", /RSASSA-PSS parameters/],
  ["a CRL: sha384WithRSAEncryption, not RSASSA-PSS", amdCrl, () => replaceAll(MILAN_CRL, RSASSA_PSS, SHA384_RSA, 2), "algorithm", /not an allowed algorithm/],
];

for (const [name, check, make, rule, says] of ROWS) {
  test(`rejects ${check === amdCrl ? "" : check === amdAsk ? "the Milan ASK with " : "the PCK Platform CA with "}${name} -> ${rule}`, async () => {
    const r = await check(make());
    assert.is(r.ok, false);
    assert.is(r.rule, rule, r.detail);
    assert.match(r.detail, says);
  });
}

test.run();
