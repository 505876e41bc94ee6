// Simulated arm_cca_guest: Arm CCA attestation tokens in TF-RMM's current shape (../cca-token.js):
// a CMW collection (tag 907) of the platform token (profile cca_platform#2.0.0, signed by the TEST
// CPAK of the simulator PKI) and the realm token (profile realm#2.0.0 with a realm instance ID
// and an integer MEC policy, signed by this realm's RAK). As on hardware, the platform token
// binds the realm: its challenge is the hash of the realm's RAK claim bytes (with the realm's RAK
// hash algorithm), so it is made once per realm; the realm challenge is the inblob zero-padded
// to 64 bytes, as the RMM pads it (spec section 3.3; the 32..64-byte rule is the kernel's).
//
// One provider is one realm: its RAK (ECDSA P-384) and realm instance ID are made when it first
// answers and kept for its lifetime.
import { encode } from "../cbor.js";
import { sha, sharedPki } from "../pki.js";
import { HASHES, collection, platformClaims, realmClaims, realmKeyBytes, sign1 } from "../cca-token.js";

const subtle = globalThis.crypto.subtle;
const CHALLENGE_SIZE = 64;
const SECURED = 0x3003; // lifecycle "secured" (high byte 0x30), as TF-M reports it

// The firmware a TF-M/TF-A CCA platform measures (names as TF-M's boot records give them).
const FIRMWARE = ["RSE_BL1_2", "RSE_BL2", "RSE_S", "AP_BL1", "AP_BL2", "SCP_BL1", "SCP_BL2", "AP_BL31", "RMM"];

/** The TEST platform's claims but the challenge; opts override any of them. */
async function platformDefaults(pki, opts) {
  const signerId = await sha("SHA-256", "tsmkit TEST CCA firmware signer");
  return {
    instanceId: pki.cca.instanceId,
    implementationId: await sha("SHA-256", "tsmkit TEST CCA implementation"),
    config: await sha("SHA-256", "tsmkit TEST CCA platform config"),
    lifecycle: SECURED,
    swComponents: await Promise.all(FIRMWARE.map(async (type) => ({
      type, measurement: await sha("SHA-256", `tsmkit TEST ${type}`), version: "1.0.0", signerId, description: "sha-256",
    }))),
    verificationService: "https://tsmkit.invalid/TEST-verification-service",
    hashAlgorithm: "sha-256",
    clientId: 1,
    ...opts,
  };
}

/** This realm's claims but the challenge; opts override any of them (hash algorithms by CCA name). */
async function realmDefaults(opts) {
  const r = { hashAlgorithm: "sha-256", publicKeyHashAlgorithm: "sha-256", mecPolicy: 1, ...opts };
  for (const k of ["hashAlgorithm", "publicKeyHashAlgorithm"]) {
    if (!HASHES[r[k]]) throw new TypeError(`arm_cca_guest: realm ${k} "${r[k]}" is not one of ${Object.keys(HASHES).join(", ")}`);
  }
  const size = (await sha(HASHES[r.hashAlgorithm], "")).length;
  return {
    instanceId: Uint8Array.of(0x01, ...globalThis.crypto.getRandomValues(new Uint8Array(32))),
    personalizationValue: new Uint8Array(CHALLENGE_SIZE),
    rim: (await sha(HASHES[r.hashAlgorithm], "tsmkit TEST realm image")),
    rems: Array.from({ length: 4 }, () => new Uint8Array(size)), // a fresh realm has extended nothing yet
    ...r,
  };
}

/**
 * opts: pki (default sharedPki()); legacy (true: the tag-399 collection, a realm without a
 * profile, the CCA-SSD platform profile); realm / platform: claim overrides by name (see
 * cca-token.js), e.g. { realm: { rim, rems, personalizationValue, mecPolicy } }.
 */
export function create(opts = {}) {
  const legacy = Boolean(opts.legacy);
  let ready;
  const setup = async () => {
    const pki = opts.pki ?? await sharedPki();
    const rak = await subtle.generateKey({ name: "ECDSA", namedCurve: "P-384" }, true, ["sign", "verify"]);
    const realm = await realmDefaults(opts.realm);
    realm.publicKey = await realmKeyBytes(rak.publicKey, legacy);
    const challenge = await sha(HASHES[realm.publicKeyHashAlgorithm], realm.publicKey);
    const platform = platformClaims({ ...await platformDefaults(pki, opts.platform), challenge }, legacy);
    return { rak, realm, platformToken: await sign1(platform, pki.cca.cpak.privateKey) };
  };
  return {
    name: "arm_cca_guest",
    async generate({ inblob }) {
      const s = await (ready ??= setup());
      const challenge = new Uint8Array(CHALLENGE_SIZE);
      challenge.set(inblob.subarray(0, CHALLENGE_SIZE));
      const realmToken = await sign1(realmClaims({ ...s.realm, challenge }, legacy), s.rak.privateKey);
      return { outblob: encode(collection(s.platformToken, realmToken, legacy)) };
    },
  };
}
