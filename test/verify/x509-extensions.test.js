// Known X.509 extensions whose values are not DER of their type, on real certificates and CRLs
// (Intel's PCK chain and PCK CRL of the dcap-qvl TDX quote and collateral, AMD's Milan ASK): each
// one the verifier reads fails closed, as malformed-der naming the certificate (or CRL), the
// extension and the byte: basicConstraints, keyUsage, subjectKeyIdentifier and
// authorityKeyIdentifier in path validation, cRLNumber and reasonCode of a CRL, and
// cRLDistributionPoints where PCS fetching reads the trusted root's (a typed CertError there).
// Never a pass, never a throw; an unknown extension is ignored unless critical (RFC 5280 4.2).
// Rows that must fail on the extension alone run on the real chain and CRL re-signed under TEST
// keys (names, validity, serials and every other extension stay Intel's), so no signature can
// decide them. Last, the input forms: hex or base64 text of DER is refused with a CertError
// naming the forms the API takes (index.d.ts: PEM, DER, objects carrying DER as rawData).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { data, expected } from "../data.js";
import { verify, OptionError } from "../../hosts/js/verify/index.js";
import { checkCrl, validatePath } from "../../hosts/js/verify/path.js";
import { children, oidText, root, tlv } from "../../hosts/js/verify/der.js";
import { CertError, parseCertificates, parseCrl, pemBlocks } from "../../hosts/js/verify/x509.js";
import { fetchCollateral, pcsUrls } from "../../hosts/js/verify/dcap/pcs.js";
import { decode } from "../../hosts/js/decode.js";
import { bool, int, octets, oid, seq } from "../../hosts/sim/der.js";
import { genKeys, patchPemCertificate, UNKNOWN_OID } from "./forge.js";

const OIDS = {
  basicConstraints: "2.5.29.19", keyUsage: "2.5.29.15", subjectKeyIdentifier: "2.5.29.14", authorityKeyIdentifier: "2.5.29.35",
  crlNumber: "2.5.29.20", crlReason: "2.5.29.21", cRLDistributionPoints: "2.5.29.31",
};
const hexBytes = (s) => Uint8Array.from(Buffer.from(s.replace(/ /g, ""), "hex"));
const failures = (v) => JSON.stringify(v.checks.filter((c) => !c.ok));

// ---- DER editing ------------------------------------------------------------------------------

const slice = (b, n) => b.subarray(n.off, n.end);
/** A constructed TLV of `items` under `tag` (sim der.js writes SEQUENCEs). */
const tagged = (tag, ...items) => { const t = seq(...items); t[0] = tag; return t; };
/** `signed` DER (certificate or CRL) with its to-be-signed fields mapped by `edit(fields, der)`; signature kept. */
function withTbs(signed, edit) {
  const [tbs, alg, sig] = children(signed, root(signed));
  return seq(seq(...edit(children(signed, tbs), signed)), slice(signed, alg), slice(signed, sig));
}

/**
 * Certificate (extensions under [3], `wrap` 0xa3) or CRL (under [0], 0xa0) DER whose extension
 * `id` has value `value` (appended when absent; criticality kept unless given).
 */
function withExtension(signed, id, value, { critical, wrap = 0xa3 } = {}) {
  let found = false;
  return withTbs(signed, (fields, b) => fields.map((f) => {
    if (f.tag !== wrap) return slice(b, f);
    const exts = children(b, children(b, f)[0]).map((e) => {
      const parts = children(b, e);
      if (oidText(b, parts[0]) !== id) return slice(b, e);
      found = true;
      return seq(slice(b, parts[0]), ...((critical ?? parts.length === 3) ? [bool(true)] : []), octets(value));
    });
    if (!found) exts.push(seq(oid(id), ...(critical ? [bool(true)] : []), octets(value)));
    return tagged(wrap, seq(...exts));
  }));
}

/** CRL DER whose first revoked entry's crlReason has value `value`. */
const withFirstReason = (crl, value) => withTbs(crl, (fields, b) => fields.map((f) => {
  const entries = f.tag === 0x30 ? children(b, f) : [];
  if (entries[0]?.tag !== 0x30 || children(b, entries[0]).length !== 3) return slice(b, f); // not revokedCertificates
  const [serial, date, exts] = children(b, entries[0]);
  const first = seq(slice(b, serial), slice(b, date), seq(...children(b, exts).map((e) => {
    const [id] = children(b, e);
    return oidText(b, id) === OIDS.crlReason ? seq(slice(b, id), octets(value)) : slice(b, e);
  })));
  return seq(first, ...entries.slice(1).map((e) => slice(b, e)));
}));

const ES256 = { name: "ECDSA", hash: "SHA-256" };
const spkiOf = async (keys) => new Uint8Array(await globalThis.crypto.subtle.exportKey("spki", keys.publicKey));

/** `signed` DER re-signed (ECDSA P-256/SHA-256, as Intel signs) with `keys`; a certificate's key becomes `spki` when given. */
async function resign(signed, keys, spki) {
  const [tbs, alg] = children(signed, root(signed));
  const body = spki ? seq(...children(signed, tbs).map((f, i) => (i === 6 ? spki : slice(signed, f)))) : slice(signed, tbs); // [0] version, serial, alg, issuer, validity, subject, key
  const rs = new Uint8Array(await globalThis.crypto.subtle.sign(ES256, keys.privateKey, body));
  const value = seq(int(BigInt(`0x${Buffer.from(rs.subarray(0, 32)).toString("hex")}`)), int(BigInt(`0x${Buffer.from(rs.subarray(32)).toString("hex")}`)));
  return seq(body, slice(signed, alg), tagged(0x03, Uint8Array.of(0), value));
}

// ---- the real Intel chain and PCK CRL, and the same re-signed under TEST keys -----------------

const QUOTE = "tdx/dcap-qvl-tdx-quote-v4.dat";
const NOW = new Date("2025-07-19T10:00:34Z");
const COLLATERAL = data("collateral/intel/dcap-qvl-tdx-collateral-bundle.json");
const [PCK, CA, ROOT] = pemBlocks(data(QUOTE).toString("latin1"));
const PCK_CRL = Uint8Array.from(data("collateral/intel/dcap-qvl-tdx-b0c06f-pck-crl.der"));
const CN = { pck: "Intel SGX PCK Certificate", ca: "Intel SGX PCK Platform CA", root: "Intel SGX Root CA" };
const anyShape = { name: "any 3-certificate path", roles: [0, 1, 2].map((i) => ({ name: `role ${i}`, cn: /^/ })) };

// The PCK keeps its own key (the quote's QE report is signed with it); the CA and root get TEST keys.
const TEST = { root: await genKeys(), ca: await genKeys() };
const own = (der) => parseCertificates(der)[0];

/** The real chain re-signed under TEST keys after `edit` ({ pck, ca, root }: DER -> DER) changes its certificates. */
async function testChain(edit = {}) {
  const root = await resign((edit.root ?? ((d) => d))(ROOT), TEST.root, await spkiOf(TEST.root));
  const ca = await resign((edit.ca ?? ((d) => d))(CA), TEST.root, await spkiOf(TEST.ca));
  const pck = await resign((edit.pck ?? ((d) => d))(PCK), TEST.ca);
  return { pck: own(pck), ca: own(ca), root: own(root), der: { pck, ca, root } };
}
const pathOf = (c) => validatePath(c.pck, { intermediates: [c.ca], anchors: [c.root], now: NOW, shape: anyShape });

/** Where the value of the first extension `id` lies in certificate or CRL DER: [start, end). */
function valueSpan(der, id) {
  const o = oid(id);
  let at = der.findIndex((_, i) => o.every((x, k) => der[i + k] === x)) + o.length;
  if (der[at] === 0x01) at += 3; // critical: BOOLEAN TRUE
  const value = tlv(der, at, der.length);
  return [value.start, value.end];
}

/** A malformed-der failure that names `who` and extension `name`, at a byte inside `span`. */
function assertNamed(r, who, name, says, span) {
  assert.is(r.ok, false);
  assert.is(r.rule, "malformed-der", r.detail);
  assert.ok(r.detail.startsWith(`malformed-der: ${who}: ${name} (${OIDS[name]}): `), r.detail);
  assert.match(r.detail, says);
  const at = Number(/at byte (\d+)$/.exec(r.detail)?.[1]);
  assert.ok(at >= span[0] && at <= span[1], `byte ${at} within the value at ${span.join("..")}: ${r.detail}`);
}

test("controls: the real Intel chain validates, and so does the same chain re-signed under TEST keys", async () => {
  const real = await validatePath(own(PCK), { intermediates: [own(CA)], anchors: [own(ROOT)], now: NOW, shape: anyShape });
  assert.ok(real.ok, real.detail);
  const resigned = await pathOf(await testChain());
  assert.ok(resigned.ok, resigned.detail);
  assert.equal(resigned.path.map((c) => c.subjectCn), [CN.pck, CN.ca, CN.root]);
});

// [certificate, extension, value (hex), what the detail says]. Rows marked * passed path
// validation before (a lenient reading of their bytes), the rest failed without naming the extension.
const CERT_ROWS = [
  ["ca", "basicConstraints", "04 00", /not a SEQUENCE/],
  ["ca", "basicConstraints", "30 04 01 02 ff ff", /BOOLEAN is not one byte/], // * read as cA=TRUE
  ["ca", "basicConstraints", "30 03 01 01 01", /BOOLEAN is not one byte/],
  ["ca", "basicConstraints", "30 06 02 01 00 01 01 ff", /not in that order/], // * pathLen before cA
  ["ca", "basicConstraints", "30 06 01 01 ff 02 01", /runs past its container/],
  ["ca", "basicConstraints", "30 03 01 01 ff 00", /1 bytes after the DER value/],
  ["ca", "basicConstraints", "", /truncated TLV/],
  ["root", "basicConstraints", "30 06 01 01 ff 02 01 80", /negative INTEGER/],
  ["ca", "keyUsage", "03 02 08 06", /unused-bits byte/], // * 8 unused bits
  ["ca", "keyUsage", "03 02 01 07", /unused bits are not zero/], // *
  ["ca", "keyUsage", "04 02 01 06", /not a non-empty BIT STRING/],
  ["pck", "keyUsage", "03 01 00", /not a non-empty BIT STRING/],
  ["pck", "keyUsage", "03 02 06", /runs past its container/],
  ["ca", "subjectKeyIdentifier", "30 00", /not an OCTET STRING/],
  ["ca", "subjectKeyIdentifier", "24 03 04 01 ab", /not an OCTET STRING/],
  ["root", "subjectKeyIdentifier", "04 14 22 65", /runs past its container/],
  ["pck", "authorityKeyIdentifier", "30 03 83 01 00", /unexpected field with tag 0x83/], // *
  ["pck", "authorityKeyIdentifier", "30 02 a0 00", /unexpected field with tag 0xa0/], // * a constructed keyIdentifier
  ["pck", "authorityKeyIdentifier", "30 06 80 01 aa 80 01 bb", /repeated or out of order/],
  ["ca", "authorityKeyIdentifier", "30 05 82 01 01 80 00", /repeated or out of order/],
  ["root", "authorityKeyIdentifier", "04 00", /not a SEQUENCE/],
];

for (const [who, name, value, says] of CERT_ROWS) {
  test(`the ${CN[who]} (re-signed) with ${name} = ${value || "nothing"} -> malformed-der naming both`, async () => {
    const chain = await testChain({ [who]: (d) => withExtension(d, OIDS[name], hexBytes(value)) });
    const r = await pathOf(chain);
    assertNamed(r, CN[who], name, says, valueSpan(chain.der[who], OIDS[name]));
  });
}

test("an unknown extension with a value of no known type is ignored when non-critical, and rejects when critical", async () => {
  const garbage = hexBytes("ff ff ff");
  for (const who of ["pck", "ca"]) {
    const ignored = await pathOf(await testChain({ [who]: (d) => withExtension(d, UNKNOWN_OID, garbage) }));
    assert.ok(ignored.ok, `${who}: ${ignored.detail}`);
    const critical = await pathOf(await testChain({ [who]: (d) => withExtension(d, UNKNOWN_OID, garbage, { critical: true }) }));
    assert.is(critical.rule, "unknown-critical-extension", critical.detail);
    assert.match(critical.detail, `${CN[who]} has critical extension ${UNKNOWN_OID}`);
  }
});

// ---- the PCK CRL: cRLNumber, reasonCode and authorityKeyIdentifier ------------------------------

const crlCheck = async (edit = (d) => d) => {
  const chain = await testChain();
  const crl = await resign(edit(PCK_CRL), TEST.ca);
  return { r: await checkCrl(parseCrl(crl), { issuer: chain.ca, now: NOW, certs: [chain.pck] }), crl };
};

test("control: the real PCK CRL (44 entries with reason codes) re-signed by the TEST CA key is current and does not list the PCK", async () => {
  assert.is(parseCrl(PCK_CRL).revoked.length, 44);
  const { r } = await crlCheck();
  assert.ok(r.ok, r.detail);
});

// Every row but the AKI's "04 00" passed checkCrl before: these values were never read.
const CRL_ROWS = [
  ["crlNumber", "04 01 01", /not a non-negative INTEGER/],
  ["crlNumber", "02 01 ff", /not a non-negative INTEGER/],
  ["crlNumber", "02 02 00 01", /INTEGER not in its shortest form/],
  ["crlReason", "02 01 01", /not a CRLReason/],
  ["crlReason", "0a 01 07", /not a CRLReason/],
  ["crlReason", "0a 01 0b", /not a CRLReason/],
  ["crlReason", "0a 01 01 00", /1 bytes after the DER value/],
  ["authorityKeyIdentifier", "30 03 83 01 00", /unexpected field with tag 0x83/],
  ["authorityKeyIdentifier", "04 00", /not a SEQUENCE/],
];

for (const [name, value, says] of CRL_ROWS) {
  test(`the PCK CRL (re-signed) with ${name === "crlReason" ? "its first entry's " : ""}${name} = ${value} -> malformed-der naming both`, async () => {
    const edit = (d) => (name === "crlReason" ? withFirstReason(d, hexBytes(value)) : withExtension(d, OIDS[name], hexBytes(value), { wrap: 0xa0 }));
    const { r, crl } = await crlCheck(edit);
    assertNamed(r, `CRL from ${CN.ca}`, name, says, valueSpan(crl, OIDS[name]));
  });
}

test("a CRL extension of no known type is ignored when non-critical, and rejects when critical", async () => {
  const ignored = await crlCheck((d) => withExtension(d, UNKNOWN_OID, hexBytes("ff"), { wrap: 0xa0 }));
  assert.ok(ignored.r.ok, ignored.r.detail);
  const critical = await crlCheck((d) => withExtension(d, UNKNOWN_OID, hexBytes("ff"), { wrap: 0xa0, critical: true }));
  assert.is(critical.r.rule, "unknown-critical-extension", critical.r.detail);
});

// ---- through verify(): the real evidence, changed in place ---------------------------------------

/** `der` with the byte `k` bytes into extension `id`'s value set to `v` (same length: real evidence keeps its layout). */
function patchValue(der, id, k, v) {
  const [start] = valueSpan(der, id);
  const out = Uint8Array.from(der);
  out[start + k] = v;
  return out;
}

const tdxVerify = (quote, collateral = COLLATERAL) => verify(quote, { now: NOW, collateral, policy: { reportData: expected[QUOTE].report_data } });

test("verify(), the real TDX quote: its PCK CA's basicConstraints as a SET -> dcap.pckChain malformed-der naming both", async () => {
  const bad = patchPemCertificate(data(QUOTE), 1, (der) => patchValue(der, OIDS.basicConstraints, 0, 0x31));
  const v = await tdxVerify(bad);
  assert.is(v.ok, false);
  assert.is(v.decidedBy, "dcap.pckChain", failures(v));
  const c = v.checks.find((x) => x.name === "dcap.pckChain");
  assert.is(c.rule, "malformed-der");
  assert.match(c.detail, `${CN.ca}: basicConstraints (2.5.29.19): not a SEQUENCE`);
});

test("verify(), the real TDX quote: its PCK leaf's authorityKeyIdentifier field [0] retagged [3] -> dcap.pckChain malformed-der (was: signature)", async () => {
  const bad = patchPemCertificate(data(QUOTE), 0, (der) => patchValue(der, OIDS.authorityKeyIdentifier, 2, 0x83));
  const v = await tdxVerify(bad);
  assert.is(v.decidedBy, "dcap.pckChain", failures(v));
  const c = v.checks.find((x) => x.name === "dcap.pckChain");
  assert.is(c.rule, "malformed-der", c.detail);
  assert.match(c.detail, `${CN.pck}: authorityKeyIdentifier (2.5.29.35): unexpected field with tag 0x83`);
});

test("verify(), the real collateral: the PCK CRL's first reason code as an INTEGER -> dcap.pckCrl malformed-der (was: crl-signature)", async () => {
  const bundle = JSON.parse(COLLATERAL.toString("utf8"));
  const crl = Uint8Array.from(Buffer.from(bundle.pck_crl, "hex"));
  const bad = patchValue(crl, OIDS.crlReason, 0, 0x02);
  const v = await tdxVerify(data(QUOTE), JSON.stringify({ ...bundle, pck_crl: Buffer.from(bad).toString("hex") }));
  assert.is(v.decidedBy, "dcap.pckCrl", failures(v));
  const c = v.checks.find((x) => x.name === "dcap.pckCrl");
  assert.is(c.rule, "malformed-der", c.detail);
  assert.match(c.detail, `CRL from ${CN.ca}: crlReason (2.5.29.21): not a CRLReason`);
});

test("verify(), the real Milan report: its ASK's keyUsage with 9 unused bits in the certificate table -> snp.chain malformed-der (was: signature)", async () => {
  const report = data("snp/trustee-report-v2-milan.bin");
  const auxblob = Uint8Array.from(data("snp/constructed-certtable-vcek-milan.bin"));
  const ask = decode(auxblob, { format: "snp-certs" }).entries.find((e) => e.kind === "ASK");
  auxblob.set(patchValue(auxblob.subarray(ask.offset, ask.offset + ask.length), OIDS.keyUsage, 2, 0x09), ask.offset);
  const v = await verify(report, {
    now: "2025-09-12T00:00:00Z", auxblob, crl: data("collateral/amd/openpcc-milan-vcek-crl-2505.der"),
    policy: { reportData: expected["snp/trustee-report-v2-milan.bin"].report_data },
  });
  assert.is(v.decidedBy, "snp.chain", failures(v));
  const c = v.checks.find((x) => x.name === "snp.chain");
  assert.is(c.rule, "malformed-der", c.detail);
  assert.match(c.detail, "SEV-Milan: keyUsage (2.5.29.15): bad BIT STRING unused-bits byte");
});

// ---- cRLDistributionPoints: read from the trusted root for the Root CA CRL's address -------------

test("PCS addresses: the real root's distribution point, or a CertError naming the root and cRLDistributionPoints", async () => {
  const where = { tdx: true, fmspc: "b0c06f000000", pckCa: own(CA) };
  assert.is(pcsUrls({ ...where, root: own(ROOT) }).urls.rootCaCrl, "https://certificates.trustedservices.intel.com/IntelSGXRootCA.der");
  for (const [value, says] of [["04 00", /not a SEQUENCE/], ["30 03 02 01 00", /DistributionPoint is not a SEQUENCE/], ["30 05 a0 03 a0 01 86", /runs past|truncated/], ["", /truncated TLV/],
    ["30 0a 30 08 a0 06 a0 04 86 02 ff ff", /not printable ASCII/]]) {
    const root = own(withExtension(ROOT, OIDS.cRLDistributionPoints, hexBytes(value)));
    const urlOf = () => pcsUrls({ ...where, root }).urls.rootCaCrl;
    assert.throws(urlOf, (e) => e instanceof CertError && e.code === "BAD_CERTIFICATE" && e.field === "cRLDistributionPoints"
      && e.message.startsWith(`${CN.root}: cRLDistributionPoints (2.5.29.31): `) && says.test(e.message), value);
    assert.is(pcsUrls({ ...where, root, rootCaCrlUrl: "https://pccs.example/rootcacrl" }).urls.rootCaCrl, "https://pccs.example/rootcacrl", "a configured address is used unread");
    // What verify() records as dcap.collateral: the fetch is refused before anything is asked.
    await fetchCollateral({ response: () => assert.unreachable("fetched") }, { ...where, root }).then(
      () => assert.unreachable("fetchCollateral resolved"),
      (e) => assert.ok(e instanceof CertError && e.field === "cRLDistributionPoints", String(e)));
  }
});

// ---- input forms: DER, PEM or rawData; text of DER is refused by name ------------------------------

const FORMS = /: give PEM text, DER bytes, or an object carrying its DER as rawData \(an ArrayBuffer\)$/;
const CA_DER = Uint8Array.from(Buffer.from(CA));
const MILAN_CRL = Uint8Array.from(data("collateral/amd/openpcc-milan-vcek-crl-2505.der"));
const text = (s) => new TextEncoder().encode(s);
const notDer = (der) => [
  ["hex text (bytes)", text(Buffer.from(der).toString("hex")), /is hex text/],
  ["base64 text (bytes)", text(Buffer.from(der).toString("base64")), /is base64 text/],
  ["hex text (a string)", Buffer.from(der).toString("hex"), /is hex text/],
  ["base64 text (a string)", Buffer.from(der).toString("base64"), /is base64 text/],
  ["0x-prefixed hex text with line breaks", text(`0x${Buffer.from(der).toString("hex").replace(/(.{64})/g, "$1\n")}`), /is hex text/],
  ["other text", text("certificate please"), /is text without a PEM block/],
  ["binary that does not start with a SEQUENCE", der.subarray(1), /is bytes starting 0x[0-9a-f]{2}, not a DER SEQUENCE \(0x30\)/],
  ["empty bytes", new Uint8Array(0), /is empty/],
  ["a number", 42, /is a number/],
  ["an object without rawData", { der }, /is an object without DER as rawData/],
];

test("controls: the PCK CA as DER bytes, PEM text, PEM bytes or a rawData object is one certificate; the Milan CRL as DER or PEM one CRL", () => {
  const pemText = `-----BEGIN CERTIFICATE-----\n${Buffer.from(CA_DER).toString("base64")}\n-----END CERTIFICATE-----\n`;
  for (const input of [CA_DER, pemText, text(pemText), { rawData: CA_DER.slice().buffer }]) assert.is(parseCertificates(input)[0].subjectCn, CN.ca);
  const crlPem = `-----BEGIN X509 CRL-----\n${Buffer.from(MILAN_CRL).toString("base64")}\n-----END X509 CRL-----\n`;
  for (const input of [MILAN_CRL, crlPem]) assert.is(parseCrl(input).issuerCn, "ARK-Milan");
});

for (const [what, input, says] of notDer(CA_DER)) {
  test(`a certificate as ${what}: CertError BAD_CERTIFICATE saying what it is and which forms are taken`, () => {
    assert.throws(() => parseCertificates(input), (e) => e instanceof CertError && e.code === "BAD_CERTIFICATE" && says.test(e.message) && FORMS.test(e.message));
  });
}

for (const [what, input, says] of notDer(MILAN_CRL)) {
  test(`a CRL as ${what}: CertError BAD_CRL saying what it is and which forms are taken`, () => {
    assert.throws(() => parseCrl(input), (e) => e instanceof CertError && e.code === "BAD_CRL" && says.test(e.message) && FORMS.test(e.message));
  });
}

test("verify(): an SNP CRL given as hex text fails snp.crl as malformed-der saying so; a root given as base64 text rejects with an OptionError naming the root", async () => {
  const v = await verify(data("snp/trustee-report-v2-milan.bin"), {
    now: "2025-09-12T00:00:00Z", auxblob: data("snp/constructed-certtable-vcek-milan.bin"), crl: Buffer.from(MILAN_CRL).toString("hex"),
    policy: { reportData: expected["snp/trustee-report-v2-milan.bin"].report_data },
  });
  assert.is(v.decidedBy, "snp.crl", failures(v));
  assert.match(v.checks.find((c) => c.name === "snp.crl").detail, /^malformed-der: CRL is hex text: give PEM text, DER bytes/);
  const root = Buffer.from(ROOT).toString("base64");
  // Roots are the caller's configuration, not evidence: unusable ones are options verify() cannot use.
  for (const [roots, option] of [[{ intel: root }, "roots.intel"], [{ amd: { Milan: root } }, "roots.amd.Milan"], [{ amd: root }, "roots.amd"]]) {
    await verify(data(QUOTE), { now: NOW, collateral: COLLATERAL, roots }).then(
      () => assert.unreachable("verified"),
      (e) => assert.ok(e instanceof OptionError && e.code === "BAD_OPTION" && e.option === option && /is base64 text/.test(e.message), String(e)));
  }
});

test.run();
