// The AMD X.509 extensions on VCEK/VLEK certificates (AMD 57230, "VCEK Certificate Extensions"):
// the TCB the key was derived for, and the chip it belongs to (hwID, VCEK only) or the cloud
// provider it was issued to (cspID, VLEK only).
import { caches } from "../cache.js";
import { CertError, derSmallInt } from "../x509.js";
import { hex, toBytes } from "../../bytes.js";

const OID = "1.3.6.1.4.1.3704.1";
export const AMD_OIDS = Object.freeze({
  structVersion: `${OID}.1`,
  productName: `${OID}.2`,
  bootloader: `${OID}.3.1`,
  tee: `${OID}.3.2`,
  snp: `${OID}.3.3`,
  microcode: `${OID}.3.8`,
  fmc: `${OID}.3.9`,
  hwId: `${OID}.4`,
  cspId: `${OID}.5`,
});

export const TCB_PARTS = ["bootloader", "tee", "snp", "microcode", "fmc"];

// productName and cspID are IA5Strings; some issuers wrap values in an OCTET STRING.
function ia5(bytes, field) {
  const b = toBytes(bytes);
  if (b.length >= 2 && b[0] === 0x16 && b[1] === b.length - 2) return new TextDecoder().decode(b.subarray(2));
  throw new CertError("BAD_CERTIFICATE", `${field}: not a short IA5String (${hex(b)})`, { field });
}

function octets(bytes) {
  const b = toBytes(bytes);
  // Bare bytes (KDS) or an OCTET STRING wrapping them: unwrap only a well-formed short form.
  if (b.length >= 2 && b[0] === 0x04 && b[1] === b.length - 2 && b[1] < 0x80) return b.subarray(2);
  return b;
}

/**
 * The AMD extensions of a VCEK/VLEK: { structVersion, productName, tcb: { bootloader, tee, snp,
 * microcode, fmc? }, hwId (hex)?, cspId? }. Missing TCB parts are absent; malformed ones throw.
 */
export function amdExtensions(cert) {
  let ext = caches.amdExtensions.get(cert);
  if (!ext) caches.amdExtensions.set(cert, (ext = Object.freeze(readAmdExtensions(cert))));
  return ext;
}

function readAmdExtensions(cert) {
  const get = (name) => cert.extension(AMD_OIDS[name]);
  const out = { tcb: {} };
  const sv = get("structVersion");
  if (sv) out.structVersion = derSmallInt(sv, "structVersion");
  const pn = get("productName");
  if (pn) out.productName = ia5(pn, "productName");
  for (const part of TCB_PARTS) {
    const v = get(part);
    if (v) out.tcb[part] = derSmallInt(v, part);
  }
  const hw = get("hwId");
  if (hw) out.hwId = hex(octets(hw));
  const csp = get("cspId");
  if (csp) out.cspId = ia5(csp, "cspId");
  return out;
}
