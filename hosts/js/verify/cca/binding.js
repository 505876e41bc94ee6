// The binding of the two tokens (RMM specification A7.2.2, draft-ffm-rats-cca-token): the
// platform token's challenge is the hash of the realm's RAK claim bytes, with the realm's RAK
// hash algorithm, so the platform vouches for exactly the key that signed the realm token.
import { equalBytes, hex } from "../../bytes.js";

// IANA Named Information hash algorithm names the claims use -> WebCrypto digests.
const DIGESTS = Object.freeze({ "sha-256": "SHA-256", "sha-384": "SHA-384", "sha-512": "SHA-512" });

/**
 * { ok, detail }: `challenge` (the platform challenge bytes) equals `hashName`(`rak`), the RAK
 * claim's bytes as the realm token carries them.
 */
export async function checkBinding(challenge, rak, hashName) {
  const digest = DIGESTS[hashName];
  if (!digest) return { ok: false, detail: `realm RAK hash algorithm ${hashName ?? "(absent)"} is not sha-256, sha-384 or sha-512` };
  const want = new Uint8Array(await globalThis.crypto.subtle.digest(digest, rak));
  const ok = equalBytes(challenge, want);
  return {
    ok,
    detail: ok ? `platform challenge = ${hashName}(realm RAK, ${rak.length} bytes)`
      : `platform challenge ${hex(challenge.subarray(0, 8))}.. (${challenge.length} bytes) is not ${hashName}(realm RAK) ${hex(want.subarray(0, 8))}..: the tokens are not bound`,
  };
}
