// Certificates and CRLs from their input forms (PEM, DER, lists, objects carrying DER as rawData),
// parsed once per distinct bytes (certificate.js, crl.js), and the small readers of extension
// values the vendors' extensions need. Unparsable input throws a CertError with a code. Path
// validation is in path.js.
import { hex, toBytes } from "../bytes.js";
import { decodeTextInput } from "../text-input.js";
import { caches } from "./cache.js";
import { Certificate } from "./certificate.js";
import { Crl } from "./crl.js";
import { DerError, TAG, checkStrict, children, root } from "./der.js";

/** Unparsable certificate or CRL input. `code` is BAD_CERTIFICATE, BAD_CRL or BAD_PEM. */
export class CertError extends Error {
  /**
   * @param {string} code
   * @param {string} message
   * @param {{ field?: string, index?: number }} [where]
   */
  constructor(code, message, { field, index } = {}) {
    super(message);
    this.name = "CertError";
    this.code = code;
    if (field !== undefined) this.field = field;
    if (index !== undefined) this.index = index;
  }
}

const PEM_BEGIN = "-----BEGIN ";

/** The bytes of a Uint8Array, ArrayBuffer or typed-array view, else undefined. */
const bytesOf = (v) => (v instanceof ArrayBuffer || ArrayBuffer.isView(v) ? toBytes(v) : undefined);

function textOf(v) {
  if (typeof v === "string") return v.includes(PEM_BEGIN) ? v : null;
  const b = bytesOf(v);
  if (!b) return null;
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

const { certificates: certCache, certificateInputs: parsedInput, pemTexts: pemCache, crls: crlCache } = caches;

/** The DER a certificate or CRL object of any X.509 library carries as `rawData` (@peculiar/x509's do), else undefined. */
const rawDer = (v) => (v?.rawData instanceof ArrayBuffer ? v.rawData : undefined);

const FORMS = "PEM text, DER bytes, or an object carrying its DER as rawData (an ArrayBuffer)";

/** "hex" or "base64" when `b` is such text (of DER, presumably), else undefined. */
function textEncoding(b) {
  const { encoding } = decodeTextInput(b);
  return encoding === "hex" || encoding === "base64" ? encoding : undefined;
}

/**
 * The CertError `code` for `v`, which is not a `what`'s DER, saying what it is and which forms are
 * taken. Hex or base64 text of DER is refused too: the API takes DER (index.d.ts), and readers of
 * sources that send text decode it themselves (pcs.js, collateral-files.js).
 */
function refusal(v, code, what, index) {
  const b = typeof v === "string" ? new TextEncoder().encode(v) : bytesOf(v);
  const encoding = b?.length ? decodeTextInput(b).encoding : undefined;
  const is = !b ? (v === null ? "null" : typeof v === "object" ? "an object without DER as rawData" : `a ${typeof v}`)
    : !b.length ? "empty"
    : encoding === "hex" || encoding === "base64" ? `${encoding} text`
    : typeof v === "string" || encoding === "text" ? "text without a PEM block"
    : `bytes starting 0x${hex(b.subarray(0, 1))}, not a DER SEQUENCE (0x30)`;
  return new CertError(code, `${what} is ${is}: give ${FORMS}`, { index });
}

/** The bytes of `v` when they may be DER (a SEQUENCE, 0x30, first), else its refusal. */
function derOf(v, code, what, index) {
  const b = bytesOf(v);
  if (b?.[0] !== 0x30) throw refusal(v, code, what, index);
  return b;
}

// Certificate and Crl copy the bytes they parse, and results are cached by object on the promise
// that its bytes never change.
function oneCertificate(input, index) {
  const what = index === undefined ? "certificate" : `certificate ${index}`;
  const der = derOf(input, "BAD_CERTIFICATE", what, index);
  try {
    return certCache.get(der) ?? certCache.set(der, new Certificate(der));
  } catch (e) {
    if (textEncoding(der)) throw refusal(der, "BAD_CERTIFICATE", what, index); // "0x" hex text starts with 0x30 too
    throw new CertError("BAD_CERTIFICATE", `${what} is not DER X.509: ${e.message}`, { index });
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
 * Certificates from any of: DER bytes, PEM text (string or bytes, one or many blocks), a
 * certificate object (this verifier's, or any with its DER as `rawData`, an ArrayBuffer, such as
 * @peculiar/x509's X509Certificate), or an array of those. Order is kept.
 */
export function parseCertificates(input) {
  if (input == null) return [];
  if (Array.isArray(input)) return input.flatMap((v) => parseCertificates(v));
  if (input instanceof Certificate) return [input];
  if (rawDer(input)) return [oneCertificate(rawDer(input))];
  if (typeof input === "string") {
    const text = textOf(input);
    return text !== null ? [...certificatesOfText(text)] : [oneCertificate(input)];
  }
  if (!bytesOf(input)) return [oneCertificate(input)]; // refused, saying which forms are taken
  const hit = parsedInput.get(input);
  if (hit) return [...hit];
  const text = textOf(input);
  return [...parsedInput.set(input, text !== null ? certificatesOfText(text) : [oneCertificate(input)])];
}

/** A CRL from DER bytes, PEM text ("X509 CRL") or a CRL object (this verifier's, or any with its DER as `rawData`). */
export function parseCrl(input) {
  if (input instanceof Crl) return input;
  const text = rawDer(input) ? null : textOf(input);
  const der = text !== null ? pemBlocks(text, "X509 CRL")[0] : derOf(rawDer(input) ?? input, "BAD_CRL", "CRL");
  if (!der) throw new CertError("BAD_PEM", "no X509 CRL block in PEM text");
  try {
    return crlCache.get(der) ?? crlCache.set(der, new Crl(der));
  } catch (e) {
    if (textEncoding(der)) throw refusal(der, "BAD_CRL", "CRL");
    throw new CertError("BAD_CRL", `CRL is not DER: ${e.message}`);
  }
}

/** The certificate's common name, else its whole subject name (for messages and role matching). */
export const commonName = (cert) => cert.subjectCn ?? cert.subject;

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

const CRL_DISTRIBUTION_POINTS = "2.5.29.31";

/**
 * The first URI of `cert`'s CRL distribution points (RFC 5280 section 4.2.1.13: a fullName's
 * uniformResourceIdentifier), or undefined. Throws CertError BAD_CERTIFICATE naming the
 * certificate and the extension when its value is not that structure, in strict DER.
 */
export function crlDistributionUri(cert) {
  const v = cert.extension(CRL_DISTRIBUTION_POINTS);
  if (!v) return undefined;
  const inside = (node, tag) => children(v, node).find((c) => c.tag === tag);
  try {
    checkStrict(v);
    const points = root(v);
    if (points.tag !== TAG.SEQUENCE) throw new DerError("not a SEQUENCE", 0);
    for (const point of children(v, points)) {
      if (point.tag !== TAG.SEQUENCE) throw new DerError("a DistributionPoint is not a SEQUENCE", point.off);
      const name = inside(point, 0xa0); // distributionPoint
      const full = name && inside(name, 0xa0); // its fullName, GeneralNames
      const uri = full && inside(full, 0x86); // uniformResourceIdentifier, an IA5String
      if (!uri) continue;
      const text = v.subarray(uri.start, uri.end);
      if (!text.length || text.some((c) => c < 0x21 || c > 0x7e)) throw new DerError("a URI that is not printable ASCII", uri.off);
      return String.fromCharCode(...text);
    }
    return undefined;
  } catch (e) {
    if (!(e instanceof DerError)) throw e;
    const field = "cRLDistributionPoints";
    throw new CertError("BAD_CERTIFICATE", `${commonName(cert)}: ${field} (${CRL_DISTRIBUTION_POINTS}): ${e.reason} at byte ${e.offset} of its value`, { field });
  }
}
