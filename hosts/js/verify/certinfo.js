// What path validation needs from a certificate or CRL, read from its DER by der.js rather than
// from the X.509 library's lenient parse: the exact signed bytes, the signature algorithm and
// value, the issuer and subject names as DER (RFC 5280 section 6 chains names; comparing DER
// means a look-alike name never matches), and every extension with its criticality. A
// certificate or CRL that is not strict DER keeps its problem here, for path.js to report.
import { DerError, TAG, checkStrict, children, oidText, root, smallInt } from "./der.js";

export const OID = Object.freeze({
  basicConstraints: "2.5.29.19",
  keyUsage: "2.5.29.15",
  subjectKeyId: "2.5.29.14",
  authorityKeyId: "2.5.29.35",
  crlNumber: "2.5.29.20",
  crlReason: "2.5.29.21",
});

// keyUsage bits (RFC 5280 section 4.2.1.3), bit 0 first.
export const KEY_USAGE = Object.freeze({ digitalSignature: 0, keyCertSign: 5, cRLSign: 6 });

const CONTEXT = (n) => 0xa0 | n;

const CURVES = { "1.2.840.10045.3.1.7": "P-256", "1.3.132.0.34": "P-384" };
const EC_KEY = "1.2.840.10045.2.1";
const RSA_KEY = "1.2.840.113549.1.1.1";

/** SubjectPublicKeyInfo: { type: "EC"|"RSA"|oid, curve?, bits?, spki } (RFC 5480, RFC 8017 A.1.1). */
function publicKey(b, node) {
  const [alg, bits] = children(b, node);
  const a = algorithm(b, alg);
  const spki = b.subarray(node.off, node.end);
  if (a.oid === EC_KEY) {
    const curve = a.params && a.params[0] === TAG.OID ? CURVES[oidText(a.params, root(a.params))] : undefined;
    return { type: "EC", curve: curve ?? "unknown", spki };
  }
  if (a.oid === RSA_KEY) {
    const key = bitStringBytes(b, bits);
    const [n] = children(key, root(key));
    const len = n.end - n.start - (key[n.start] === 0 ? 1 : 0);
    return { type: "RSA", bits: len * 8, spki };
  }
  return { type: a.oid, spki };
}

/** A SubjectPublicKeyInfo read on its own (the key of a certificate whose DER is not strict, as its parser re-encodes it). */
export const readPublicKey = (spki) => publicKey(spki, root(spki));

function algorithm(b, node) {
  if (node.tag !== TAG.SEQUENCE) throw new DerError("AlgorithmIdentifier is not a SEQUENCE", node.off);
  const [id, params, extra] = children(b, node);
  if (!id || extra) throw new DerError("AlgorithmIdentifier is not { OID, params? }", node.off);
  return { oid: oidText(b, id), params: params ? b.subarray(params.off, params.end) : null, der: b.subarray(node.off, node.end) };
}

function bitStringBytes(b, node) {
  if (node?.tag !== TAG.BIT_STRING) throw new DerError("expected a BIT STRING", node?.off ?? 0);
  if (b[node.start] !== 0) throw new DerError("BIT STRING has unused bits", node.off);
  return b.subarray(node.start + 1, node.end);
}

/** Extensions ::= SEQUENCE OF SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING } */
function extensions(b, node) {
  if (node.tag !== TAG.SEQUENCE) throw new DerError("extensions are not a SEQUENCE", node.off);
  return children(b, node).map((ext) => {
    const parts = ext.tag === TAG.SEQUENCE ? children(b, ext) : [];
    if (parts.length < 2 || parts.length > 3) throw new DerError("extension is not { OID, critical?, value }", ext.off);
    let critical = false;
    if (parts.length === 3) {
      if (parts[1].tag !== TAG.BOOLEAN) throw new DerError("extension criticality is not a BOOLEAN", parts[1].off);
      // DER leaves a DEFAULT value out: an explicit FALSE is a second encoding of the same thing.
      if (b[parts[1].start] !== 0xff) throw new DerError("extension critical=FALSE encoded explicitly", parts[1].off);
      critical = true;
    }
    const value = parts[parts.length - 1];
    if (value.tag !== TAG.OCTET_STRING) throw new DerError("extension value is not an OCTET STRING", value.off);
    return { oid: oidText(b, parts[0]), critical, value: b.subarray(value.start, value.end), valueOffset: value.start };
  });
}

function common(bytes, outer) {
  const [tbs, alg, sig, extra] = children(bytes, outer);
  if (!sig || extra || tbs.tag !== TAG.SEQUENCE) throw new DerError("not SEQUENCE { tbs, signatureAlgorithm, signatureValue }", outer.off);
  return { tbsNode: tbs, tbs: bytes.subarray(tbs.off, tbs.end), algorithm: algorithm(bytes, alg), signature: bitStringBytes(bytes, sig) };
}

function sameAlgorithm(info, inner, b) {
  const a = b.subarray(inner.off, inner.end);
  if (a.length !== info.algorithm.der.length || a.some((x, i) => x !== info.algorithm.der[i])) {
    throw new DerError("the signed signature algorithm differs from the outer one", inner.off);
  }
}

/**
 * The facts of a signed X.509 structure (certificate or CRL): strict DER throughout, then
 * `readTbs(bytes, fields, info)` over the to-be-signed fields; { problem } when the DER is not strict.
 */
function readSigned(bytes, readTbs) {
  try {
    checkStrict(bytes);
    const info = common(bytes, root(bytes));
    return { problem: null, tbs: info.tbs, algorithm: info.algorithm, signature: info.signature, ...readTbs(bytes, children(bytes, info.tbsNode), info) };
  } catch (e) {
    if (e instanceof DerError) return { problem: e };
    throw e;
  }
}

/** Certificate facts (RFC 5280 section 4.1): version, issuer, subject, extensions, key. */
export const readCertificate = (bytes) => readSigned(bytes, (b, f, info) => {
  let i = 0;
  let version = 1;
  if (f[i]?.tag === CONTEXT(0)) {
    const [v] = children(b, f[i++]);
    version = smallInt(b, v) + 1;
    if (version === 1) throw new DerError("version v1 encoded explicitly (DEFAULT)", f[i - 1].off);
  }
  const [serial, inner, issuer, validity, subject, spki] = f.slice(i, i + 6);
  if (!spki || serial.tag !== TAG.INTEGER || validity.tag !== TAG.SEQUENCE || spki.tag !== TAG.SEQUENCE) {
    throw new DerError("TBSCertificate is missing fields", info.tbsNode.off);
  }
  sameAlgorithm(info, inner, b);
  let exts = [];
  for (const rest of f.slice(i + 6)) {
    if (rest.tag === CONTEXT(3)) {
      if (version !== 3) throw new DerError("extensions in a certificate that is not v3", rest.off);
      const [seq, more] = children(b, rest);
      if (!seq || more) throw new DerError("extensions wrapper holds more than one value", rest.off);
      exts = extensions(b, seq);
    } else if (rest.tag !== 0x81 && rest.tag !== 0x82 && rest.tag !== 0xa1 && rest.tag !== 0xa2) {
      throw new DerError(`unexpected field with tag 0x${rest.tag.toString(16)} in TBSCertificate`, rest.off);
    }
  }
  return {
    version, issuer: b.subarray(issuer.off, issuer.end), subject: b.subarray(subject.off, subject.end),
    extensions: exts, key: publicKey(b, spki),
  };
});

/**
 * `read(value)` of extension `ext` after a strict-DER check of its value; a DerError then names
 * the extension and the byte of the whole certificate or CRL where it broke.
 */
function readExtension(ext, name, read) {
  try {
    checkStrict(ext.value);
    return read(ext.value);
  } catch (e) {
    if (!(e instanceof DerError)) throw e;
    throw new DerError(`${name} (${ext.oid}): ${e.reason}`, ext.valueOffset + e.offset);
  }
}

/** The CRL and entry extensions whose values readCrl checks: cRLNumber (RFC 5280 section 5.2.3), reasonCode (5.3.1). */
const CRL_VALUES = {
  [OID.crlNumber]: (ext) => readExtension(ext, "crlNumber", (b) => {
    const n = root(b);
    if (n.tag !== TAG.INTEGER || b[n.start] & 0x80) throw new DerError("not a non-negative INTEGER", 0);
  }),
  // CRLReason ::= ENUMERATED { 0..6, 8..10 } (7 is unused).
  [OID.crlReason]: (ext) => readExtension(ext, "crlReason", (b) => {
    const n = root(b);
    if (n.tag !== TAG.ENUMERATED || n.end - n.start !== 1 || b[n.start] > 10 || b[n.start] === 7) throw new DerError("not a CRLReason (ENUMERATED 0-6 or 8-10)", 0);
  }),
};

/** CRL facts (RFC 5280 section 5.1): version, issuer, CRL and entry extensions (cRLNumber and reasonCode values checked). */
export const readCrl = (bytes) => readSigned(bytes, (b, f, info) => {
  let i = 0;
  let version = 1;
  if (f[i]?.tag === TAG.INTEGER) {
    version = smallInt(b, f[i++]) + 1;
    if (version !== 2) throw new DerError(`CRL version ${version} (only v2 may be encoded)`, f[i - 1].off);
  }
  const [inner, issuer] = f.slice(i, i + 2);
  if (!issuer) throw new DerError("TBSCertList is missing fields", info.tbsNode.off);
  sameAlgorithm(info, inner, b);
  let exts = [];
  const entryExtensions = [];
  for (const rest of f.slice(i + 2)) {
    if (rest.tag === CONTEXT(0)) {
      if (version !== 2) throw new DerError("extensions in a v1 CRL", rest.off);
      const [seq, more] = children(b, rest);
      if (!seq || more) throw new DerError("crlExtensions wrapper holds more than one value", rest.off);
      exts = extensions(b, seq);
    } else if (rest.tag === TAG.SEQUENCE) { // revokedCertificates
      for (const entry of children(b, rest)) {
        const parts = entry.tag === TAG.SEQUENCE ? children(b, entry) : [];
        if (parts.length < 2 || parts.length > 3) throw new DerError("revoked entry is not { serial, date, extensions? }", entry.off);
        if (parts[2]) entryExtensions.push(...extensions(b, parts[2]));
      }
    }
  }
  // path.js counts these as processed but decides nothing by them, so they are checked here.
  for (const e of [...exts, ...entryExtensions]) CRL_VALUES[e.oid]?.(e);
  return { version, issuer: b.subarray(issuer.off, issuer.end), extensions: exts, entryExtensions };
});

/** The extensions of `info` with `oid` (a certificate must not repeat one; path.js checks). */
const extensionsOf = (info, oid) => info.extensions.filter((e) => e.oid === oid);

/** basicConstraints: { ca, pathLen (null = unlimited) } or null when absent. */
export function basicConstraints(info) {
  const [ext] = extensionsOf(info, OID.basicConstraints);
  return ext ? readExtension(ext, "basicConstraints", (b) => {
    const seq = root(b);
    if (seq.tag !== TAG.SEQUENCE) throw new DerError("not a SEQUENCE", 0);
    const parts = children(b, seq);
    const ca = parts[0]?.tag === TAG.BOOLEAN;
    if (ca && b[parts[0].start] !== 0xff) throw new DerError("cA=FALSE encoded explicitly (DEFAULT)", parts[0].off);
    const [len, extra] = parts.slice(ca ? 1 : 0);
    if (extra) throw new DerError("more than { cA, pathLenConstraint }, or not in that order", extra.off);
    return { ca, pathLen: len ? smallInt(b, len) : null };
  }) : null;
}

/** keyUsage as a predicate on bit numbers (KEY_USAGE), or null when absent. */
export function keyUsage(info) {
  const [ext] = extensionsOf(info, OID.keyUsage);
  return ext ? readExtension(ext, "keyUsage", (b) => {
    const n = root(b);
    if (n.tag !== TAG.BIT_STRING || n.end - n.start < 2) throw new DerError("not a non-empty BIT STRING", 0);
    // X.690 11.2.1: unused bits are zero. (Not 11.2.2's shortest named-bit list: AMD's ASKs say 03 02 01 04.)
    if (b[n.end - 1] & ((1 << b[n.start]) - 1)) throw new DerError("unused bits are not zero", n.end - 1);
    const bits = b.subarray(n.start + 1, n.end);
    return (bit) => Boolean(bits[bit >> 3] & (0x80 >> (bit & 7)));
  }) : null;
}

/** subjectKeyIdentifier bytes, or null. */
export function subjectKeyId(info) {
  const [ext] = extensionsOf(info, OID.subjectKeyId);
  return ext ? readExtension(ext, "subjectKeyIdentifier", (b) => {
    const n = root(b);
    if (n.tag !== TAG.OCTET_STRING) throw new DerError("not an OCTET STRING", 0);
    return b.subarray(n.start, n.end);
  }) : null;
}

// AuthorityKeyIdentifier fields in their order: keyIdentifier [0], authorityCertIssuer [1] (constructed), authorityCertSerialNumber [2].
const AKI_FIELDS = [0x80, 0xa1, 0x82];

/** authorityKeyIdentifier's keyIdentifier bytes, or null. */
export function authorityKeyId(info) {
  const [ext] = extensionsOf(info, OID.authorityKeyId);
  return ext ? readExtension(ext, "authorityKeyIdentifier", (b) => {
    const seq = root(b);
    if (seq.tag !== TAG.SEQUENCE) throw new DerError("not a SEQUENCE", 0);
    let last = -1, id = null;
    for (const c of children(b, seq)) {
      const k = AKI_FIELDS.indexOf(c.tag);
      if (k < 0) throw new DerError(`unexpected field with tag 0x${c.tag.toString(16)}`, c.off);
      if (k <= last) throw new DerError("fields repeated or out of order", c.off);
      last = k;
      if (k === 0) id = b.subarray(c.start, c.end);
    }
    return id;
  }) : null;
}
