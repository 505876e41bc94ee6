// Certificate and CRL helpers shared by the SNP and DCAP verifiers, on @peculiar/x509 (which runs
// on WebCrypto, so the same code verifies in Node and in browsers). Everything here answers with
// data ({ ok, reason, detail }) rather than throwing, so verifiers can record every check; only
// unparsable input throws, as a CertError with a code.
// @peculiar/x509 resolves its algorithms through tsyringe, which needs the Reflect metadata API.
import "reflect-metadata";
import * as x509 from "@peculiar/x509";

export { x509 };

/** Unparsable certificate or CRL input. `code` is BAD_CERTIFICATE, BAD_CRL or BAD_PEM. */
export class CertError extends Error {
  constructor(code, message, { field, index } = {}) {
    super(message);
    this.name = "CertError";
    this.code = code;
    if (field !== undefined) this.field = field;
    if (index !== undefined) this.index = index;
  }
}

const PEM_BEGIN = "-----BEGIN ";

/** Bytes from a Uint8Array, ArrayBuffer or typed-array view (no copy). */
export function toBytes(v) {
  if (v instanceof Uint8Array) return v;
  if (v instanceof ArrayBuffer) return new Uint8Array(v);
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  throw new TypeError("expected bytes (Uint8Array, ArrayBuffer or a typed-array view)");
}

/** Lowercase hex of bytes. */
export const hex = (b) => Array.from(toBytes(b), (x) => x.toString(16).padStart(2, "0")).join("");

/** Bytes from lowercase or uppercase hex (even length); throws TypeError otherwise. */
export function fromHex(h) {
  if (typeof h !== "string" || !/^([0-9a-fA-F]{2})*$/.test(h)) throw new TypeError("expected an even-length hex string");
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Byte-wise equality (a word at a time where both views are 4-byte aligned). */
export function equalBytes(a, b) {
  a = toBytes(a); b = toBytes(b);
  const n = a.length;
  if (n !== b.length) return false;
  let i = 0;
  if (n >= 64 && (a.byteOffset & 3) === 0 && (b.byteOffset & 3) === 0) {
    const w = n >>> 2;
    const x = new Int32Array(a.buffer, a.byteOffset, w), y = new Int32Array(b.buffer, b.byteOffset, w);
    for (let j = 0; j < w; j++) if (x[j] !== y[j]) return false;
    i = w << 2;
  }
  for (; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

// ---- memoization keyed by exact bytes ------------------------------------------------------
// Repeat verification of the same evidence with the same collateral must not redo parsing or
// signature checks whose inputs are byte-for-byte the same: results are cached under those
// exact bytes, so any changed byte misses. Parsed certificates and CRLs never change their
// bytes, so results about them are cached by object. Time-dependent checks are never cached;
// callers run them each time.

/** A bounded cache; the oldest entry goes first once full. */
export class Memo {
  constructor(max = 512) { this.map = new Map(); this.max = max; }
  get(k) { return this.map.get(k); }
  set(k, v) {
    if (this.map.size >= this.max && !this.map.has(k)) this.map.delete(this.map.keys().next().value);
    this.map.set(k, v);
    return v;
  }
}

// At most this many bytes feed a BytesMemo's bucket hash; equality is always checked in full.
const HASH_SAMPLES = 64;

/** A bucket number from the length and up to HASH_SAMPLES bytes spread over `b` (last byte included). */
function sampleHash(b) {
  const n = b.length;
  let h = Math.imul(n, 0x9e3779b1);
  const step = n <= HASH_SAMPLES ? 1 : (n - 1) / (HASH_SAMPLES - 1);
  for (let k = 0, i = 0; k < HASH_SAMPLES && i < n; k++, i = Math.round(k * step)) h = Math.imul(h ^ b[i], 0x01000193);
  return h;
}

/**
 * A bounded cache keyed by exact bytes: a hash of sampled bytes picks the bucket, and a hit needs
 * every byte equal to a private copy taken by set(), so bytes changed in place since then miss.
 */
export class BytesMemo {
  constructor(max = 512) { this.buckets = new Memo(max); }
  get(bytes) {
    const b = toBytes(bytes);
    const bucket = this.buckets.get(sampleHash(b));
    if (bucket) for (const e of bucket) if (equalBytes(b, e.bytes)) return e.value;
    return undefined;
  }
  set(bytes, value) {
    const b = toBytes(bytes);
    const h = sampleHash(b);
    const bucket = (this.buckets.get(h) ?? []).filter((e) => !equalBytes(b, e.bytes)).slice(-7);
    bucket.push({ bytes: b.slice(), value });
    this.buckets.set(h, bucket);
    return value;
  }
}

/** Results about pairs of parsed certificates or CRLs, by object (their bytes are fixed). */
export class PairMemo {
  constructor() { this.map = new WeakMap(); }
  get(a, b) { return this.map.get(a)?.get(b); }
  set(a, b, v) {
    let inner = this.map.get(a);
    if (!inner) this.map.set(a, (inner = new WeakMap()));
    inner.set(b, v);
    return v;
  }
}

function textOf(v) {
  if (typeof v === "string") return v.includes(PEM_BEGIN) ? v : null;
  const b = toBytes(v);
  // PEM is ASCII starting (after optional whitespace) with "-----BEGIN"; DER starts with 0x30.
  let i = 0;
  while (i < b.length && (b[i] === 0x20 || b[i] === 0x0a || b[i] === 0x0d || b[i] === 0x09)) i++;
  if (b[i] !== 0x2d) return null;
  return new TextDecoder().decode(b);
}

/** The DER blobs in PEM text (every BEGIN/END block, in order). */
export function pemBlocks(text, label = "CERTIFICATE") {
  const out = [];
  const re = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`, "g");
  for (const m of text.matchAll(re)) {
    const b64 = m[1].replace(/\s+/g, "");
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) throw new CertError("BAD_PEM", `PEM ${label} block ${out.length} is not base64`);
    out.push(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
  }
  return out;
}

const certCache = new BytesMemo();
const parsedInput = new BytesMemo(64); // PEM or DER bytes -> their certificates
const pemCache = new Memo();

// Parsed from a private copy: @peculiar/x509 may keep the caller's buffer as rawData, and results
// are cached by certificate object on the promise that its bytes never change.
function oneCertificate(der, index) {
  try {
    return certCache.get(der) ?? certCache.set(der, new x509.X509Certificate(toBytes(der).slice()));
  } catch (e) {
    throw new CertError("BAD_CERTIFICATE", `certificate ${index ?? ""} is not DER X.509: ${e.message}`.replace("  ", " "), { index });
  }
}

function certificatesOfText(text) {
  const hit = pemCache.get(text);
  if (hit) return hit;
  const ders = pemBlocks(text);
  if (!ders.length) throw new CertError("BAD_PEM", "no CERTIFICATE block in PEM text");
  return pemCache.set(text, ders.map((d, i) => oneCertificate(d, i)));
}

/**
 * Certificates from any of: an X509Certificate, DER bytes, PEM text (string or bytes, one or many
 * blocks), or an array of those. Order is kept.
 */
export function parseCertificates(input) {
  if (input == null) return [];
  if (Array.isArray(input)) return input.flatMap((v) => parseCertificates(v));
  if (input instanceof x509.X509Certificate) return [input];
  if (typeof input === "string") {
    const text = textOf(input);
    return text !== null ? [...certificatesOfText(text)] : [oneCertificate(input)];
  }
  const hit = parsedInput.get(input);
  if (hit) return [...hit];
  const text = textOf(input);
  return [...parsedInput.set(input, text !== null ? certificatesOfText(text) : [oneCertificate(input)])];
}

/** Exactly one certificate (see parseCertificates for accepted input). */
export function parseCertificate(input) {
  const certs = parseCertificates(input);
  if (certs.length !== 1) throw new CertError("BAD_CERTIFICATE", `expected one certificate, got ${certs.length}`);
  return certs[0];
}

const crlCache = new BytesMemo(64);

/** A CRL from DER bytes, PEM text ("X509 CRL") or an X509Crl. */
export function parseCrl(input) {
  if (input instanceof x509.X509Crl) return input;
  const text = textOf(input);
  const der = text !== null ? pemBlocks(text, "X509 CRL")[0] : toBytes(input);
  if (!der) throw new CertError("BAD_PEM", "no X509 CRL block in PEM text");
  try {
    return crlCache.get(der) ?? crlCache.set(der, new x509.X509Crl(der.slice())); // private copy, as for certificates
  } catch (e) {
    throw new CertError("BAD_CRL", `CRL is not DER: ${e.message}`);
  }
}

const names = new WeakMap();
/** The certificate's common name (for messages and product matching); parsed once per object. */
export function commonName(cert) {
  let cn = names.get(cert);
  if (cn === undefined) names.set(cert, (cn = cert.subjectName.getField("CN")[0] ?? cert.subject));
  return cn;
}

const iso = (d) => d.toISOString().replace(/\.000Z$/, "Z");

const windows = new WeakMap();
/** The certificate's name and validity window as text (for messages); formatted once per object. */
function windowText(cert) {
  let w = windows.get(cert);
  if (w === undefined) windows.set(cert, (w = `${commonName(cert)} valid ${iso(cert.notBefore)}..${iso(cert.notAfter)}`));
  return w;
}

/** Whether `now` lies within the certificate's (or CRL's) validity window. */
export function validAt(cert, now) {
  const t = now.getTime();
  const name = commonName(cert);
  if (t < cert.notBefore.getTime()) {
    return { ok: false, reason: "not-yet-valid", detail: `${name} is not valid before ${iso(cert.notBefore)} (now ${iso(now)})` };
  }
  if (t > cert.notAfter.getTime()) {
    return { ok: false, reason: "expired", detail: `${name} expired after ${iso(cert.notAfter)} (now ${iso(now)})` };
  }
  return { ok: true, detail: windowText(cert) };
}

const signatures = new PairMemo();

/** Whether `issuer`'s key verifies `cert`'s signature (names are not compared here). */
export async function signatureBy(cert, issuer) {
  const hit = signatures.get(cert, issuer);
  if (hit !== undefined) return hit;
  let ok;
  try {
    ok = await cert.verify({ publicKey: issuer, signatureOnly: true });
  } catch {
    ok = false; // unsupported or mismatched key algorithm: not a valid signature
  }
  return signatures.set(cert, issuer, ok);
}

const verifyKeys = new WeakMap();

/**
 * The certificate's public key imported for WebCrypto verify under `algorithm` ({ name,
 * namedCurve }), once per certificate object and algorithm; callers check the key's algorithm first.
 */
export function verifyKey(cert, algorithm) {
  let byAlg = verifyKeys.get(cert);
  if (!byAlg) verifyKeys.set(cert, (byAlg = new Map()));
  const k = `${algorithm.name}/${algorithm.namedCurve}`;
  let key = byAlg.get(k);
  if (!key) byAlg.set(k, (key = globalThis.crypto.subtle.importKey("spki", cert.publicKey.rawData, algorithm, false, ["verify"])));
  return key;
}

/** Whether the certificate is issued by itself and its own key verifies it. */
export async function selfSigned(cert) {
  return cert.subject === cert.issuer && (await signatureBy(cert, cert));
}

/**
 * Checks one link: `cert` names `issuer` as its issuer and `issuer`'s key verifies it, and both are
 * valid at `now`. Returns { ok, reason, detail } with reason "issuer-name", "signature",
 * "expired" or "not-yet-valid".
 */
export async function checkLink(cert, issuer, now) {
  const name = commonName(cert);
  const by = commonName(issuer);
  if (cert.issuer !== issuer.subject) {
    return { ok: false, reason: "issuer-name", detail: `${name} is issued by "${cert.issuer}", not by ${by}` };
  }
  if (!(await signatureBy(cert, issuer))) {
    return { ok: false, reason: "signature", detail: `${name} signature does not verify with ${by}'s key` };
  }
  for (const c of [cert, issuer]) {
    const v = validAt(c, now);
    if (!v.ok) return v;
  }
  return { ok: true, detail: `${name} signed by ${by}` };
}

/** Whether `cert` is one of `anchors` (same DER bytes). */
export function isAnchor(cert, anchors) {
  const raw = new Uint8Array(cert.rawData);
  return anchors.some((a) => equalBytes(new Uint8Array(a.rawData), raw));
}

/**
 * Builds and checks the path leaf -> intermediates -> trust anchor. An anchor must be one of
 * `roots` byte for byte and self-signed. Returns { ok, path, reason, detail } where path runs
 * leaf first; reason is "no-issuer", "untrusted-root", "root-not-self-signed", "too-long" or a
 * checkLink reason.
 */
export async function verifyChain(leaf, { intermediates = [], roots, now, maxLength = 8 }) {
  const pool = [...intermediates, ...roots];
  const path = [leaf];
  for (let cert = leaf; path.length <= maxLength;) {
    if (isAnchor(cert, roots)) {
      if (!(await selfSigned(cert))) {
        return { ok: false, path, reason: "root-not-self-signed", detail: `trusted root ${commonName(cert)} is not a self-signed certificate` };
      }
      const v = validAt(cert, now);
      return v.ok ? { ok: true, path, detail: path.map(commonName).join(" -> ") } : { ...v, path };
    }
    if (cert.subject === cert.issuer && (await signatureBy(cert, cert))) {
      return { ok: false, path, reason: "untrusted-root", detail: `${commonName(cert)} is self-signed but not a trusted root` };
    }
    const candidates = pool.filter((c) => c !== cert && c.subject === cert.issuer);
    if (!candidates.length) {
      return { ok: false, path, reason: "no-issuer", detail: `no certificate named "${cert.issuer}" to check ${commonName(cert)} against` };
    }
    let link, next;
    for (const c of candidates) {
      link = await checkLink(cert, c, now);
      next = c;
      if (link.ok) break;
    }
    if (!link.ok) return { ...link, path };
    path.push(next);
    cert = next;
  }
  return { ok: false, path, reason: "too-long", detail: `no trusted root within ${maxLength} certificates` };
}

const crlIssuers = new WeakMap();
/** A CRL's issuer name as text, rendered once per object (@peculiar/x509 renders it on every read). */
function crlIssuer(crl) {
  let name = crlIssuers.get(crl);
  if (name === undefined) crlIssuers.set(crl, (name = crl.issuer));
  return name;
}

const crlSignatures = new PairMemo();
const revocations = new PairMemo();

/**
 * Checks a CRL: signed by `issuer`, current at `now` (thisUpdate <= now <= nextUpdate) and, for
 * each of `certs` that `issuer` issued, the serial number is not listed. Returns { ok, reason,
 * detail, revoked? } with reason "crl-issuer", "crl-signature", "crl-not-yet-valid", "crl-expired"
 * or "revoked".
 */
export async function checkCrl(crl, { issuer, now, certs = [] }) {
  const by = commonName(issuer);
  if (crlIssuer(crl) !== issuer.subject) {
    return { ok: false, reason: "crl-issuer", detail: `CRL is issued by "${crlIssuer(crl)}", not by ${by}` };
  }
  let sigOk = crlSignatures.get(crl, issuer);
  if (sigOk === undefined) {
    try {
      sigOk = await crl.verify({ publicKey: issuer.publicKey });
    } catch {
      sigOk = false;
    }
    crlSignatures.set(crl, issuer, sigOk);
  }
  if (!sigOk) return { ok: false, reason: "crl-signature", detail: `CRL signature does not verify with ${by}'s key` };
  const t = now.getTime();
  if (t < crl.thisUpdate.getTime()) {
    return { ok: false, reason: "crl-not-yet-valid", detail: `CRL from ${by} is not valid before ${iso(crl.thisUpdate)}` };
  }
  if (crl.nextUpdate && t > crl.nextUpdate.getTime()) {
    return { ok: false, reason: "crl-expired", detail: `CRL from ${by} expired after ${iso(crl.nextUpdate)}` };
  }
  for (const cert of certs) {
    if (cert.issuer !== issuer.subject) continue;
    let entry = revocations.get(crl, cert);
    if (entry === undefined) entry = revocations.set(crl, cert, crl.findRevoked(cert));
    if (entry) {
      return {
        ok: false, reason: "revoked", revoked: cert.serialNumber,
        detail: `${commonName(cert)} (serial ${cert.serialNumber}) revoked by ${by} on ${iso(entry.revocationDate)}`,
      };
    }
  }
  return { ok: true, detail: `not revoked per CRL from ${by} (${iso(crl.thisUpdate)})` };
}

/** The raw value (extnValue contents) of the extension `oid`, or undefined. */
export function extensionValue(cert, oid) {
  const ext = cert.extensions.find((e) => e.type === oid);
  return ext ? new Uint8Array(ext.value) : undefined;
}

/**
 * A small non-negative DER INTEGER (tag 0x02) as a number; throws CertError on anything else.
 * AMD's TCB extensions and Intel's SGX extensions hold SVNs this way.
 */
export function derSmallInt(bytes, field) {
  const b = toBytes(bytes);
  if (b.length < 3 || b[0] !== 0x02 || b[1] !== b.length - 2 || b[1] > 6 || (b[2] & 0x80)) {
    throw new CertError("BAD_CERTIFICATE", `${field}: not a small non-negative DER INTEGER (${hex(b)})`, { field });
  }
  let v = 0;
  for (let i = 2; i < b.length; i++) v = v * 256 + b[i];
  return v;
}
