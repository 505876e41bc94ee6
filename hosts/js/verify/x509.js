// Certificates and CRLs parsed with @peculiar/x509 (which runs on WebCrypto, so the same code
// verifies in Node and in browsers): input forms (PEM, DER, lists), names and extension values.
// Unparsable input throws a CertError with a code. Path validation is in path.js.
// @peculiar/x509 resolves its algorithms through tsyringe, which needs the Reflect metadata API.
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { hex, toBytes } from "../bytes.js";
import { caches } from "./cache.js";

export { x509 };

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

const { certificates: certCache, certificateInputs: parsedInput, pemTexts: pemCache, crls: crlCache } = caches;

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

/** The certificate's common name (for messages and product matching); read once per object. */
export function commonName(cert) {
  let cn = caches.names.get(cert);
  if (cn === undefined) caches.names.set(cert, (cn = cert.subjectName.getField("CN")[0] ?? cert.subject));
  return cn;
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
