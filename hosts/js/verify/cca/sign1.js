// COSE_Sign1 signature verification (RFC 9052 section 4.4) for the ECDSA algorithms CCA tokens
// use. The core decodes the COSE_Sign1; locate() gives the exact protected-header and payload
// bytes, from which the Sig_structure is built here and checked with WebCrypto (which takes the
// raw r||s signature COSE uses as it is).

// COSE algorithms (RFC 9053 section 2.1): the curve each one requires of its key, the digest, and
// the coordinate size (the signature is r||s, two of them).
export const COSE_ALGS = Object.freeze({
  [-7]: Object.freeze({ name: "ES256", curve: "P-256", hash: "SHA-256", size: 32 }),
  [-35]: Object.freeze({ name: "ES384", curve: "P-384", hash: "SHA-384", size: 48 }),
  [-36]: Object.freeze({ name: "ES512", curve: "P-521", hash: "SHA-512", size: 66 }),
});

// Other registered COSE signature algorithms, only to name them when refusing them.
const OTHER_ALGS = { [-8]: "EdDSA", [-37]: "PS256", [-38]: "PS384", [-39]: "PS512", [-47]: "ES256K",
  [-257]: "RS256", [-258]: "RS384", [-259]: "RS512" };

/** The algorithm of COSE id `alg`, or throws naming the one that is not ES256/ES384/ES512. */
export function coseAlg(alg) {
  const a = COSE_ALGS[alg];
  if (a) return a;
  const name = OTHER_ALGS[alg] ? ` (${OTHER_ALGS[alg]})` : alg === undefined ? " (none)" : "";
  throw Object.assign(new Error(`COSE alg ${alg}${name} is not one tsmkit verifies (ES256 -7, ES384 -35, ES512 -36)`), { code: "UNSUPPORTED_ALG" });
}

/** A CBOR head of major type `major` with argument `n` (n < 2^32), in its shortest form. */
function head(major, n) {
  const m = major << 5;
  if (n < 24) return [m | n];
  if (n < 0x100) return [m | 24, n];
  if (n < 0x10000) return [m | 25, n >> 8, n & 0xff];
  return [m | 26, n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
}

const SIGNATURE1 = new TextEncoder().encode("Signature1");

/**
 * The to-be-signed bytes: Sig_structure = ["Signature1", body_protected: bstr,
 * external_aad: bstr (empty), payload: bstr], with `protectedBytes` and `payload` the contents of
 * the token's two byte strings.
 */
export function sigStructure(protectedBytes, payload) {
  const parts = [
    [0x84, ...head(3, SIGNATURE1.length)], SIGNATURE1,
    head(2, protectedBytes.length), protectedBytes,
    [0x40], head(2, payload.length), payload,
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

/**
 * Verifies a COSE_Sign1 with `key` ({ curve, cryptoKey }): the protected alg must be one of
 * COSE_ALGS and match the key's curve, the signature r||s of its size. Returns { ok, detail }.
 * @param {{ alg: number, protectedBytes: Uint8Array, payload: Uint8Array, signature: BufferSource & { length: number } }} token
 * @param {{ curve: string, cryptoKey: CryptoKey }} key
 */
export async function verifySign1({ alg, protectedBytes, payload, signature }, key) {
  const a = coseAlg(alg);
  if (key.curve !== a.curve) return { ok: false, detail: `${a.name} needs a ${a.curve} key; this key is ${key.curve}` };
  if (signature.length !== 2 * a.size) {
    return { ok: false, detail: `${a.name} signature is ${signature.length} bytes, not r||s of ${2 * a.size}` };
  }
  const ok = await globalThis.crypto.subtle.verify({ name: "ECDSA", hash: a.hash }, key.cryptoKey, signature, sigStructure(protectedBytes, payload));
  return { ok, detail: ok ? `${a.name} signature verifies` : `${a.name} signature does not verify` };
}
