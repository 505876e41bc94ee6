// The quote's own signatures (Intel TDX DCAP Quoting Library API, Appendix A "Quote Format";
// SGX ECDSA Quote Library API, "Quote Format"): the attestation key signs header + body; the PCK
// signs the QE report; the QE report's data binds the attestation key (and QE auth data) to the
// QE. Every signed region and value is taken from locate()'s extents over the caller's bytes.
import { equalBytes, hex } from "../../bytes.js";
import { caches } from "../cache.js";
import { verifyKey } from "../path.js";

const subtle = () => globalThis.crypto.subtle;
const ECDSA_P256 = { name: "ECDSA", namedCurve: "P-256" };
const ECDSA_SHA256 = { name: "ECDSA", hash: "SHA-256" };

/** The bytes of a located field or group; throws if the decoder did not locate it. */
export function span(bytes, loc, path) {
  const at = loc.get(path);
  if (!at) throw Object.assign(new Error(`quote has no ${path}`), { code: "MISSING_FIELD", field: path });
  return bytes.subarray(at[0], at[0] + at[1]);
}

/** Where the QE report certification data lies: inside type-6 certification data (v4/v5) or directly (v3). */
export function qePath(loc) {
  const nested = "signatureData.certificationData.qeReportCertificationData";
  return loc.has(nested) ? nested : "signatureData.qeReportCertificationData";
}

/** Header + (descriptor +) body: everything before the signature data's length field. */
export function signedRegion(bytes, loc) {
  const [lengthAt] = loc.get("signatureData.length");
  return bytes.subarray(0, lengthAt);
}

// A platform's attestation key and QE auth data stay the same across its quotes: the imported
// key and the QE report data digest are cached by those exact bytes.
const { attestationKeys, qeBindings: bindings } = caches;

/** The 64-byte attestation key (x||y) as a WebCrypto key; rejects points off the curve. */
export function attestationKey(raw) {
  let key = attestationKeys.get(raw);
  if (!key) {
    const point = new Uint8Array(65);
    point[0] = 0x04; // uncompressed SEC1 point
    point.set(raw, 1);
    key = attestationKeys.set(raw, subtle().importKey("raw", point, ECDSA_P256, false, ["verify"]));
  }
  return key;
}

/** ECDSA P-256/SHA-256 by the attestation key over header + body, as { ok, detail }. */
export async function checkQuoteSignature(bytes, loc) {
  const signed = signedRegion(bytes, loc);
  let key;
  try {
    key = await attestationKey(span(bytes, loc, "signatureData.attestationKey"));
  } catch {
    return { ok: false, detail: "attestation key is not a P-256 point" };
  }
  const ok = await subtle().verify(ECDSA_SHA256, key, span(bytes, loc, "signatureData.quoteSignature"), signed);
  return { ok, detail: ok ? `attestation key signs bytes 0..${signed.length} (header + body)` : "quote signature does not verify with the attestation key" };
}

/** The QE report signed by the PCK leaf's key, as { ok, detail }. */
export async function checkQeReportSignature(bytes, loc, pckLeaf) {
  if (pckLeaf.key?.curve !== "P-256") return { ok: false, detail: "PCK key is not ECDSA P-256" };
  const key = await verifyKey(pckLeaf, ECDSA_P256);
  const p = qePath(loc);
  const ok = await subtle().verify(ECDSA_SHA256, key, span(bytes, loc, `${p}.qeReportSignature`), span(bytes, loc, `${p}.qeReport`));
  return { ok, detail: ok ? "PCK key signs the QE report" : "QE report signature does not verify with the PCK key" };
}

/** QE report data = SHA-256(attestation key || QE auth data) || 32 zero bytes, as { ok, detail }. */
export async function checkQeReportData(bytes, loc) {
  const p = qePath(loc);
  const key = span(bytes, loc, "signatureData.attestationKey");
  const auth = loc.has(`${p}.qeAuthData.data`) ? span(bytes, loc, `${p}.qeAuthData.data`) : new Uint8Array(0);
  const data = new Uint8Array(key.length + auth.length);
  data.set(key);
  data.set(auth, key.length);
  const digest = bindings.get(data) ?? bindings.set(data, new Uint8Array(await subtle().digest("SHA-256", data)));
  const reportData = span(bytes, loc, `${p}.qeReport.reportData`);
  const ok = equalBytes(reportData.subarray(0, 32), digest) && reportData.subarray(32).every((x) => x === 0);
  return {
    ok,
    detail: ok ? `QE report data binds the attestation key (${auth.length} bytes of QE auth data)`
      : `QE report data ${hex(reportData.subarray(0, 8))}.. is not SHA-256(attestation key || QE auth data) ${hex(digest.subarray(0, 8))}.. followed by zeros`,
  };
}
