// Simulated arm_cca_guest: a PLACEHOLDER token until tsmkit decodes CCA. It has the outer shape
// of a CCA attestation token collection (CBOR tag 399, map of platform 44234 and realm 44241
// tokens) but the tokens are NOT COSE_Sign1 and nothing is signed:
//   platform (44234): bstr of the ASCII text "tsmkit-sim CCA placeholder: platform token"
//   realm    (44241): bstr of a CBOR map { 10 (realm challenge): bstr(inblob zero-padded to 64) }
// The challenge is zero-padded to 64 bytes as the RMM does (spec section 3.3).

function head(major, n) {
  if (n < 24) return [(major << 5) | n];
  if (n < 0x100) return [(major << 5) | 24, n];
  if (n < 0x10000) return [(major << 5) | 25, n >> 8, n & 0xff];
  return [(major << 5) | 26, n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
}
const bstr = (b) => [...head(2, b.length), ...b];

export const CCA_PLATFORM_LABEL = 44234;
export const CCA_REALM_LABEL = 44241;
export const CCA_REALM_CHALLENGE = 10;

export function create() {
  return {
    name: "arm_cca_guest",
    async generate({ inblob }) {
      const challenge = new Uint8Array(64);
      challenge.set(inblob.subarray(0, 64));
      const realm = [...head(5, 1), ...head(0, CCA_REALM_CHALLENGE), ...bstr(challenge)];
      const platform = new TextEncoder().encode("tsmkit-sim CCA placeholder: platform token");
      const token = [
        ...head(6, 399), ...head(5, 2),
        ...head(0, CCA_PLATFORM_LABEL), ...bstr(platform),
        ...head(0, CCA_REALM_LABEL), ...bstr(realm),
      ];
      return { outblob: Uint8Array.from(token) };
    },
  };
}
