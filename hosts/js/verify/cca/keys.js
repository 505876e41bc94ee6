// EC public keys for CCA tokens, in every form they reach the verifier: the caller's CPAK/IAK
// (PEM or DER SubjectPublicKeyInfo, a certificate, a JWK or JWK Set as an object or JSON text)
// and the realm's RAK (a raw SEC1 point or a COSE_Key). Each becomes { curve, point, label }:
// the uncompressed point 04||x||y, which WebCrypto imports as "raw" on every platform.
import { TAG, children, oidText, root } from "../der.js";
import { fromHex, hex, toBytes } from "../../bytes.js";
import { parseCertificates, pemBlocks } from "../x509.js";

/** A key that cannot be read: `code` BAD_KEY. */
export class KeyError extends Error {
  constructor(message) {
    super(message);
    this.name = "KeyError";
    this.code = "BAD_KEY";
  }
}

// Coordinate size of each curve WebCrypto knows (and COSE's EC2 crv ids, RFC 9053 section 7.1).
export const CURVE_SIZE = Object.freeze({ "P-256": 32, "P-384": 48, "P-521": 66 });
const COSE_CRV = { 1: "P-256", 2: "P-384", 3: "P-521" };
const CURVE_OIDS = { "1.2.840.10045.3.1.7": "P-256", "1.3.132.0.34": "P-384", "1.3.132.0.35": "P-521" };
const EC_PUBLIC_KEY = "1.2.840.10045.2.1";

/** { curve, point, label } from an uncompressed SEC1 point whose length says its curve. */
export function fromPoint(point, label, curve) {
  const b = toBytes(point);
  curve ??= Object.keys(CURVE_SIZE).find((c) => b.length === 1 + 2 * CURVE_SIZE[c]);
  if (!curve || b.length !== 1 + 2 * CURVE_SIZE[curve]) throw new KeyError(`${label}: a ${b.length}-byte point is not an uncompressed P-256, P-384 or P-521 point`);
  if (b[0] !== 0x04) throw new KeyError(`${label}: the point is not uncompressed (first byte 0x${b[0].toString(16).padStart(2, "0")}, not 0x04)`);
  return Object.freeze({ curve, point: b, label });
}

/** x and y (bytes) of `curve` as the key's point. */
function fromCoordinates(curve, x, y, label) {
  const size = CURVE_SIZE[curve];
  if (x.length !== size || y.length !== size) throw new KeyError(`${label}: ${curve} coordinates are ${size} bytes, not ${x.length} and ${y.length}`);
  const point = new Uint8Array(1 + 2 * size);
  point[0] = 0x04;
  point.set(x, 1);
  point.set(y, 1 + size);
  return fromPoint(point, label, curve);
}

/** A DER SubjectPublicKeyInfo (RFC 5480) of an EC key. */
export function fromSpki(der, label) {
  let curve, bits;
  try {
    const [alg, bitString] = children(der, root(der));
    const [id, params] = children(der, alg);
    if (oidText(der, id) !== EC_PUBLIC_KEY || params?.tag !== TAG.OID) throw new KeyError(`${label}: not an EC public key (id-ecPublicKey with a named curve)`);
    curve = CURVE_OIDS[oidText(der, params)];
    if (!curve) throw new KeyError(`${label}: curve ${oidText(der, params)} is not P-256, P-384 or P-521`);
    if (bitString?.tag !== TAG.BIT_STRING || der[bitString.start] !== 0) throw new KeyError(`${label}: the key is not a whole-byte BIT STRING`);
    bits = der.subarray(bitString.start + 1, bitString.end);
  } catch (e) {
    if (e instanceof KeyError) throw e;
    throw new KeyError(`${label}: not a SubjectPublicKeyInfo (${e.message})`);
  }
  return fromPoint(bits, label, curve);
}

const b64url = (s, what) => {
  if (typeof s !== "string" || !/^[A-Za-z0-9_-]*$/.test(s)) throw new KeyError(`${what} is not base64url text`);
  return Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
};

/** A JWK (RFC 7517/7518): an EC public key, or a JWK Set of them. */
function fromJwk(jwk, label) {
  if (Array.isArray(jwk.keys)) return jwk.keys.flatMap((k, i) => fromJwk(k, `${label} key ${i}`));
  if (jwk.kty !== "EC") throw new KeyError(`${label}: JWK kty ${JSON.stringify(jwk.kty)} is not "EC"`);
  if (!CURVE_SIZE[jwk.crv]) throw new KeyError(`${label}: JWK crv ${JSON.stringify(jwk.crv)} is not P-256, P-384 or P-521`);
  return [fromCoordinates(jwk.crv, b64url(jwk.x, `${label}: JWK x`), b64url(jwk.y, `${label}: JWK y`), label)];
}

const fromCertificate = (cert, label) => fromSpki(new Uint8Array(cert.publicKey.rawData), `${label} (certificate ${cert.subject})`);

/** Whether `v` is a JWK or JWK Set object (rather than a map of keys). */
export const isJwk = (v) => v !== null && typeof v === "object" && (typeof v.kty === "string" || Array.isArray(v.keys));

/** Text of bytes that hold PEM or JSON (after leading whitespace), else null. */
function textOf(b) {
  let i = 0;
  while (i < b.length && (b[i] === 0x20 || b[i] === 0x0a || b[i] === 0x0d || b[i] === 0x09)) i++;
  return b[i] === 0x2d || b[i] === 0x7b ? new TextDecoder().decode(b) : null;
}

function fromText(text, label) {
  const t = text.trim();
  if (t.startsWith("{")) {
    let jwk;
    try { jwk = JSON.parse(t); } catch (e) { throw new KeyError(`${label}: JSON that does not parse (${e.message})`); }
    return fromJwk(jwk, label);
  }
  const spkis = pemBlocks(t, "PUBLIC KEY");
  if (spkis.length) return spkis.map((der, i) => fromSpki(der, spkis.length > 1 ? `${label} key ${i}` : label));
  if (t.includes("-----BEGIN CERTIFICATE-----")) return parseCertificates(t).map((c) => fromCertificate(c, label));
  throw new KeyError(`${label}: neither a PEM PUBLIC KEY or CERTIFICATE nor a JWK`);
}

/**
 * The keys in one input: PEM text (PUBLIC KEY or CERTIFICATE blocks), DER (SPKI or certificate),
 * a certificate object (with its DER as rawData), a JWK / JWK Set object, or JWK JSON text; throws
 * KeyError (or CertError).
 */
export function keysOf(input, label = "key") {
  if (typeof input === "string") return fromText(input, label);
  if (input?.rawData instanceof ArrayBuffer) return parseCertificates(input).map((c) => fromCertificate(c, label));
  if (isJwk(input)) return fromJwk(input, label);
  let b;
  try { b = toBytes(input); } catch { throw new KeyError(`${label}: expected PEM, DER, a certificate or a JWK, not ${input === null ? "null" : typeof input}`); }
  const text = textOf(b);
  if (text !== null) return fromText(text, label);
  // DER: a SubjectPublicKeyInfo starts SEQUENCE { SEQUENCE { OID ... } }; a certificate does not.
  let spki = false;
  try { spki = children(b, children(b, root(b))[0])[0]?.tag === TAG.OID; } catch { /* not DER: said below */ }
  return spki ? [fromSpki(b, label)] : parseCertificates(b).map((c) => fromCertificate(c, label));
}

/**
 * The RAK of realm claims: a raw SEC1 point (realm tokens without a profile) or a COSE_Key
 * (kty 2 = EC2) as the decoder reads it; `raw` is the claim's bytes.
 */
export function realmKey(claims, raw) {
  const label = "realm public key (claim 44237)";
  if (claims.publicKeyEncoding === "ec-point") return fromPoint(raw, label);
  const k = claims.publicKeyCoseKey;
  if (!k) throw new KeyError(`${label}: encoding ${claims.publicKeyEncoding ?? "unknown"} is neither an EC point nor a COSE_Key`);
  if (k.kty !== 2) throw new KeyError(`${label}: COSE_Key kty ${k.kty} is not EC2 (2)`);
  const curve = COSE_CRV[k.crv];
  if (!curve) throw new KeyError(`${label}: COSE_Key crv ${k.crv} is not P-256 (1), P-384 (2) or P-521 (3)`);
  if (typeof k.y !== "string") throw new KeyError(`${label}: COSE_Key y is not a byte string (compressed points are not supported)`);
  return fromCoordinates(curve, fromHex(k.x), fromHex(k.y), label);
}

// Imported keys by curve and point: the same CPAK and RAK verify many tokens.
const imported = new Map();
const MAX_IMPORTED = 256;

/** The WebCrypto verify key of { curve, point } (rejects points off the curve). */
export function cryptoKey({ curve, point }) {
  const id = `${curve}:${hex(point)}`;
  let key = imported.get(id);
  if (!key) {
    if (imported.size >= MAX_IMPORTED) imported.delete(imported.keys().next().value);
    key = globalThis.crypto.subtle.importKey("raw", point, { name: "ECDSA", namedCurve: curve }, false, ["verify"]);
    imported.set(id, key);
    key.catch(() => imported.delete(id));
  }
  return key;
}
