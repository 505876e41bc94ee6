// The report signature (SEV-SNP ABI spec, Table 23 ATTESTATION_REPORT and Table 139 "ECDSA P-384
// with SHA-384 Signature"): ECDSA P-384/SHA-384 over every byte before the signature field
// (0x000-0x29F); r and s are stored little-endian in 72-byte fields, zero above the 48 bytes
// P-384 uses. WebCrypto wants r||s as two 48-byte big-endian integers.
import { verifyKey } from "../path.js";

const P384_BYTES = 48;
const ECDSA_P384 = { name: "ECDSA", namedCurve: "P-384" };

/** The 96-byte WebCrypto form of the stored signature, or null if a component exceeds 48 bytes. */
export function webSignature(r, s) {
  const out = new Uint8Array(P384_BYTES * 2);
  for (const [i, le] of [[0, r], [1, s]]) {
    for (let j = P384_BYTES; j < le.length; j++) if (le[j] !== 0) return null;
    for (let j = 0; j < P384_BYTES; j++) out[i * P384_BYTES + j] = le[P384_BYTES - 1 - j];
  }
  return out;
}

/**
 * Whether `key` (a WebCrypto ECDSA P-384 public key) verifies the report's signature. `loc` is
 * locate()'s map for the report, so the signed region and r/s come from the caller's own bytes.
 */
export async function verifyReportSignature(bytes, loc, key) {
  const [sigOff] = loc.get("signature");
  const [rOff, rLen] = loc.get("signature.r");
  const [sOff, sLen] = loc.get("signature.s");
  const sig = webSignature(bytes.subarray(rOff, rOff + rLen), bytes.subarray(sOff, sOff + sLen));
  if (!sig) return false; // r or s wider than P-384 allows: not a valid signature
  return globalThis.crypto.subtle.verify({ name: "ECDSA", hash: "SHA-384" }, key, sig, bytes.subarray(0, sigOff));
}

/** The report signature checked with a VCEK/VLEK certificate's key, as { ok, detail }. */
export async function checkReportSignature(bytes, loc, cert) {
  const k = cert.key;
  if (k?.curve !== "P-384") {
    return { ok: false, detail: `signing certificate key is ${k ? `${k.type} ${k.curve ?? k.bits ?? ""}`.trim() : "unreadable"}, not ECDSA P-384` };
  }
  const key = await verifyKey(cert, ECDSA_P384);
  const ok = await verifyReportSignature(bytes, loc, key);
  const [sigOff] = loc.get("signature");
  return { ok, detail: ok ? `ECDSA P-384/SHA-384 over bytes 0x000-0x${(sigOff - 1).toString(16)} verifies` : "report signature does not verify with the certificate's key" };
}
