// A certificate forge for the issue-9 attacker suites. From a simulator TEST PKI
// (hosts/sim/pki.js) it re-issues one certificate at a time with exactly one defect (cA=false, no
// keyCertSign, another key under the same name, ...), builds simulator evidence carrying the
// changed chain (TDX quotes, SNP reports, through the simulator's own providers), re-signs
// collateral (TCB info, QE identity, CRLs) with any signer, and patches DER bytes where re-signing
// cannot express the defect. Nothing here verifies anything: the suites ask verify().
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { NAMES, PS384, crl, pem, signedJson, verifierOptions } from "../../hosts/sim/pki.js";
import { createProvider } from "../../hosts/sim/providers/index.js";

export const KU = x509.KeyUsageFlags;
export const ES256 = { name: "ECDSA", hash: "SHA-256" };
export const OID = Object.freeze({
  basicConstraints: "2.5.29.19", keyUsage: "2.5.29.15", ski: "2.5.29.14", aki: "2.5.29.35",
  amdHwId: "1.3.6.1.4.1.3704.1.4",
});
/** A private-arc extension no verifier processes. */
export const UNKNOWN_OID = "1.3.6.1.4.1.99999.9.1";
/** SEV-SNP KEY_INFO with SIGNING_KEY = 1 (VLEK), bits 4:2. */
export const KEY_INFO_VLEK = 1 << 2;

// Who issues each certificate of a simulator PKI.
const ISSUER = {
  "intel.root": "self", "intel.platformCa": "intel.root", "intel.pck": "intel.platformCa", "intel.tcbSigning": "intel.root",
  "amd.ark": "self", "amd.ask": "amd.ark", "amd.vcek": "amd.ask",
};

/** The { cert, keys } holder at "intel.platformCa", "amd.ask", ... */
export function holder(pki, path) {
  const [vendor, name] = path.split(".");
  const h = pki[vendor][name];
  if (!h?.cert) throw new TypeError(`no certificate holder ${path}`);
  return h;
}

export const genKeys = (alg = { name: "ECDSA", namedCurve: "P-256" }) => globalThis.crypto.subtle.generateKey(alg, true, ["sign", "verify"]);

/**
 * Re-issues the certificate at `path` of `pki` with `change`; everything not changed is kept
 * (subject DER name, key, extensions in their order, validity) and SKI/AKI follow the keys:
 * - basicConstraints: { ca, pathLen } or null (dropped); keyUsage: KU flags or null (dropped)
 * - extra: Extension[] appended; drop: OIDs removed
 * - subject: text or x509.Name; keys: the certified key pair
 * - signer: the issuing holder { cert, keys } or "self" (default: its issuer in the PKI)
 * - alg: signing algorithm (default ECDSA P-256/SHA-256 for Intel, RSASSA-PSS SHA-384 for AMD)
 * - notBefore, notAfter
 * Returns a new holder { cert, keys }.
 */
export async function reissue(pki, path, change = {}) {
  const old = holder(pki, path);
  const keys = change.keys ?? old.keys;
  const signer = change.signer ?? (ISSUER[path] === "self" ? "self" : holder(pki, ISSUER[path]));
  const subject = change.subject ?? old.cert.subjectName;
  const exts = new Map(old.cert.extensions.map((e) => [e.type, e])); // set() keeps an entry's place
  const put = (oid, ext) => (ext ? exts.set(oid, ext) : exts.delete(oid));
  if ("basicConstraints" in change) {
    const bc = change.basicConstraints;
    put(OID.basicConstraints, bc && new x509.BasicConstraintsExtension(bc.ca, bc.pathLen, true));
  }
  if ("keyUsage" in change) put(OID.keyUsage, change.keyUsage != null && new x509.KeyUsagesExtension(change.keyUsage, true));
  if (exts.has(OID.ski)) put(OID.ski, await x509.SubjectKeyIdentifierExtension.create(keys.publicKey));
  if (exts.has(OID.aki) || signer !== "self") {
    put(OID.aki, signer !== "self" && await x509.AuthorityKeyIdentifierExtension.create(signer.cert, false));
  }
  for (const oid of change.drop ?? []) exts.delete(oid);
  const cert = await x509.X509CertificateGenerator.create({
    subject,
    issuer: signer === "self" ? subject : signer.cert.subjectName,
    notBefore: change.notBefore ?? old.cert.notBefore,
    notAfter: change.notAfter ?? old.cert.notAfter,
    publicKey: keys.publicKey,
    signingKey: (signer === "self" ? keys : signer.keys).privateKey,
    signingAlgorithm: change.alg ?? (path.startsWith("amd.") ? PS384 : ES256),
    extensions: [...exts.values(), ...(change.extra ?? [])],
  });
  return { cert, keys };
}

/** A copy of `pki` with holders replaced: { "intel.platformCa": holder, ... }. */
export function withHolders(pki, replace) {
  const view = { ...pki, intel: { ...pki.intel }, amd: { ...pki.amd } };
  for (const [path, h] of Object.entries(replace)) {
    const [vendor, name] = path.split(".");
    view[vendor][name] = h;
  }
  return view;
}

/** The VCEK re-issued as a VLEK (CN SEV-VLEK, no hwID), same key and issuer (the ASK). */
export const vlekUnderAsk = (pki) => reissue(pki, "amd.vcek", { subject: NAMES.vcek.replace("SEV-VCEK", "SEV-VLEK"), drop: [OID.amdHwId] });

/**
 * `name` (an x509.Name) with its CN re-encoded as UTF8String: the same text when rendered, but
 * another DER name (the simulator's names are PrintableString), so only a DER comparison tells.
 */
export function utf8CommonName(name) {
  const params = name.toJSON().map((rdn) => Object.fromEntries(Object.entries(rdn).map(([k, v]) => [k, k === "CN" ? v.map((t) => ({ utf8String: t })) : v])));
  return new x509.Name(params);
}

/** An extension marked critical that nobody processes. */
export const unknownCritical = () => new x509.Extension(UNKNOWN_OID, true, Uint8Array.of(0x05, 0x00));

// ---- evidence ---------------------------------------------------------------------------------

// TDX quote v4 (TD 1.0 body) as the simulator lays it out: header 48 + body 584, then the
// signature data length and data: signature 64, attestation key 64, certification data type 6
// (u16 type, u32 size) holding QE report 384, its signature 64, QE auth data (u16 size + bytes),
// then type 5 (u16, u32) with the PEM chain, which ends the quote.
const SIG_DATA_LEN_AT = 48 + 584;
const TYPE6_AT = SIG_DATA_LEN_AT + 4 + 128;
const QE_AUTH_AT = TYPE6_AT + 6 + 384 + 64;

/** `quote` (a simulator TDX quote) with its PCK chain replaced by `pemText`, every length fixed up. */
export function withPckChain(quote, pemText) {
  const dv = new DataView(quote.buffer, quote.byteOffset, quote.byteLength);
  const type5At = QE_AUTH_AT + 2 + dv.getUint16(QE_AUTH_AT, true);
  if (dv.getUint16(type5At, true) !== 5 || type5At + 6 + dv.getUint32(type5At + 2, true) !== quote.length) {
    throw new Error("not a simulator TDX v4 quote ending in a type-5 PCK chain");
  }
  const chain = new TextEncoder().encode(pemText);
  const delta = chain.length - (quote.length - type5At - 6);
  const out = new Uint8Array(type5At + 6 + chain.length);
  out.set(quote.subarray(0, type5At + 6));
  out.set(chain, type5At + 6);
  const o = new DataView(out.buffer);
  for (const at of [SIG_DATA_LEN_AT, TYPE6_AT + 2, type5At + 2]) o.setUint32(at, o.getUint32(at, true) + delta, true);
  return out;
}

/** PEM text of a certificate, or of DER bytes no parser need accept (patched ones). */
export function pemOf(cert) {
  if (!(cert instanceof Uint8Array)) return pem(cert);
  const lines = Buffer.from(cert).toString("base64").match(/.{1,64}/g);
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`;
}

/**
 * The relying party's nonce: the evidence below carries it as its report data (the inblob), and
 * the options below expect it as policy.reportData, so that a verdict is about the defect only.
 */
export const NONCE = Uint8Array.from({ length: 64 }, (_, i) => 0xa0 ^ i);
const NONCE_POLICY = Object.freeze({ reportData: Buffer.from(NONCE).toString("hex") });

/**
 * A TDX quote from the simulator's tdx_guest provider under `pki` (its PCK key signs the QE
 * report); `chain` (certificates or DER, leaf first) replaces the PCK chain it embeds.
 */
export async function tdxQuote(pki, { chain, inblob = NONCE } = {}) {
  const { outblob } = await createProvider("tdx_guest", { pki }).reportNew({ inblob });
  return chain ? withPckChain(outblob, chain.map(pemOf).join("")) : outblob;
}

/** { outblob, auxblob } from the simulator's sev_guest provider under `pki`; `report` overrides fields. */
export function snpReport(pki, report = {}, inblob = NONCE) {
  return createProvider("sev_guest", { pki, report }).reportNew({ inblob });
}

// ---- collateral -------------------------------------------------------------------------------

/** verify() options trusting `pki`'s anchors, with its DCAP collateral and `collateral` overrides, expecting NONCE. */
export function dcapOptions(pki, collateral = {}) {
  const o = verifierOptions(pki);
  return { roots: o.roots, collateral: { ...o.collateral, ...collateral }, policy: NONCE_POLICY };
}

/** verify() options trusting `pki`'s anchors, with its ARK-signed CRL, for an SNP report, expecting NONCE. */
export function snpOptions(pki, extra = {}) {
  const o = verifierOptions(pki);
  return { roots: o.roots, crl: o.crl, policy: NONCE_POLICY, ...extra };
}

/** A PCS JSON document ({"tcbInfo"|"enclaveIdentity": ..., "signature"}) edited and re-signed by `signer`. */
export function resignJson(text, signer, edit = (body) => body) {
  const outer = JSON.parse(text);
  const key = Object.keys(outer).find((k) => k !== "signature");
  return signedJson(key, signer, edit(structuredClone(outer[key])));
}

/** The body of a PCS JSON document. */
export function jsonBody(text) {
  const outer = JSON.parse(text);
  return outer[Object.keys(outer).find((k) => k !== "signature")];
}

/** A TCB info / QE identity body with every TCB level marked UpToDate and no advisories. */
export const everyLevelUpToDate = (body) => ({
  ...body, tcbLevels: body.tcbLevels.map(({ advisoryIDs, ...level }) => ({ ...level, tcbStatus: "UpToDate" })), // eslint-disable-line no-unused-vars
});

/**
 * A CRL naming `named`'s certificate as its issuer (and in its AKI) but signed with `signedBy`'s
 * key; thisUpdate `now`, nextUpdate 30 days later; lists `revoked` certificates. DER bytes.
 */
export async function crlOf(named, signedBy, now, revoked = [], alg = ES256) {
  const c = await crl({ cert: named.cert, keys: signedBy.keys }, now, alg, revoked);
  return new Uint8Array(c.rawData);
}

// ---- DER patches ------------------------------------------------------------------------------

/** { tag, start, end } of the DER element at `i` (content from start to end). */
function element(b, i) {
  let len = b[i + 1], p = i + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let k = 0; k < n; k++) len = len * 256 + b[p++];
  }
  return { tag: b[i], start: p, end: p + len };
}

/**
 * A copy of certificate DER whose ECDSA signature value's inner SEQUENCE length is `by` bytes
 * shorter (the issue's 0x44 -> 0x3c): r and s then run past the declared length. Outer lengths
 * are unchanged, so the certificate keeps its size.
 */
export function shortenSignatureSequence(der, by = 8) {
  const b = Uint8Array.from(der);
  const cert = element(b, 0);
  const tbs = element(b, cert.start);
  const alg = element(b, tbs.end);
  const bits = element(b, alg.end);
  const seqAt = bits.start + 1; // after the unused-bits byte
  if (bits.tag !== 0x03 || b[seqAt] !== 0x30 || b[seqAt + 1] >= 0x80 || b[seqAt + 1] <= by) throw new Error("no short-form ECDSA signature SEQUENCE");
  b[seqAt + 1] -= by;
  return b;
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;

/**
 * A copy of `bytes` (evidence holding PEM certificates) whose `index`-th certificate's DER is
 * replaced by patch(der), which must keep its length: the base64 is rewritten in place, line
 * breaks kept, so nothing else in the evidence moves.
 */
export function patchPemCertificate(bytes, index, patch) {
  const text = Buffer.from(bytes).toString("latin1");
  const m = [...text.matchAll(PEM_CERT)][index];
  if (!m) throw new Error(`no PEM certificate ${index}`);
  const der = Uint8Array.from(Buffer.from(m[1].replace(/\s+/g, ""), "base64"));
  const b64 = Buffer.from(patch(der)).toString("base64");
  let k = 0;
  const body = m[1].replace(/[A-Za-z0-9+/=]/g, () => b64[k++]);
  if (k !== b64.length) throw new Error("patched certificate changed length");
  const out = Uint8Array.from(bytes);
  out.set(Buffer.from(body, "latin1"), m.index + "-----BEGIN CERTIFICATE-----".length);
  return out;
}
