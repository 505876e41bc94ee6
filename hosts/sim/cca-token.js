// Arm CCA attestation tokens as the RMM emits them, built as CBOR values (./cbor.js) so a test
// can print their diagnostic notation beside the bytes:
//   current TF-RMM (CMW collection, draft-ietf-rats-msg-wrap):
//     907({44234: [263, <<platform COSE_Sign1>>], 44241: [263, <<realm COSE_Sign1>>]})
//     realm profile tag:arm.com,2024:realm#2.0.0 (instance ID, integer MEC policy, RAK as a COSE_Key)
//     platform profile tag:arm.com,2024:cca_platform#2.0.0 (draft-ffm-rats-cca-token-03)
//   legacy (RMM 1.0, TF-RMM before 2025-05):
//     399({44234: <<platform COSE_Sign1>>, 44241: <<realm COSE_Sign1>>})
//     realm without a profile (RAK as a raw EC point), platform profile http://arm.com/CCA-SSD/1.0.0
// Each COSE_Sign1 (RFC 9052 section 4.2) is 18([<<{1: alg}>>, {}, <<claims>>, signature]), signed
// over ["Signature1", protected, h'', payload] with WebCrypto (ECDSA signatures are r || s).
import { encode, embedded, tag } from "./cbor.js";

const subtle = globalThis.crypto.subtle;

export const COLLECTION_CMW = 907;
export const COLLECTION_LEGACY = 399;
export const PLATFORM_TOKEN = 44234;
export const REALM_TOKEN = 44241;
const EAT_CWT = 263; // CoAP content format application/eat+cwt: a COSE_Sign1 EAT
const COSE_SIGN1 = 18;

export const PROFILES = Object.freeze({
  realm: "tag:arm.com,2024:realm#2.0.0",
  platform: "tag:arm.com,2024:cca_platform#2.0.0",
  platformLegacy: "http://arm.com/CCA-SSD/1.0.0",
});

// Claim labels: RMM specification A7.2.3.2 (realm), draft-ffm-rats-cca-token (platform).
export const REALM = Object.freeze({
  challenge: 10, instanceId: 256, profile: 265, personalizationValue: 44235, hashAlgorithm: 44236,
  publicKey: 44237, rim: 44238, rems: 44239, publicKeyHashAlgorithm: 44240, mecPolicy: 44243,
});
export const PLATFORM = Object.freeze({
  challenge: 10, instanceId: 256, profile: 265, clientId: 2394, lifecycle: 2395, implementationId: 2396,
  swComponents: 2399, verificationService: 2400, config: 2401, hashAlgorithm: 2402,
});
const SW = Object.freeze({ type: 1, measurement: 2, version: 4, signerId: 5, description: 6 });

// COSE algorithms (RFC 9053 section 2.1) by curve; COSE_Key EC2 (RFC 9053 section 7.1.1).
const ALGS = {
  "P-256": { alg: -7, hash: "SHA-256", crv: 1, size: 32 },
  "P-384": { alg: -35, hash: "SHA-384", crv: 2, size: 48 },
  "P-521": { alg: -36, hash: "SHA-512", crv: 3, size: 66 },
};
const KTY_EC2 = 2;
/** CCA hash algorithm names -> WebCrypto's. */
export const HASHES = Object.freeze({ "sha-256": "SHA-256", "sha-384": "SHA-384", "sha-512": "SHA-512" });

const curveOf = (key) => {
  const a = ALGS[key.algorithm.namedCurve];
  if (!a) throw new TypeError(`cca: no COSE algorithm for curve ${key.algorithm.namedCurve}`);
  return a;
};

/** COSE_Sign1 of `claims` (a Map) signed with an ECDSA private key: a CBOR value (tag 18). */
export async function sign1(claims, privateKey) {
  const { alg, hash } = curveOf(privateKey);
  const protectedHeader = encode(new Map([[1, alg]]));
  const payload = encode(claims);
  const toSign = encode(["Signature1", protectedHeader, new Uint8Array(0), payload]);
  const signature = new Uint8Array(await subtle.sign({ name: "ECDSA", hash }, privateKey, toSign));
  return tag(COSE_SIGN1, [embedded(new Map([[1, alg]])), new Map(), embedded(claims), signature]);
}

/**
 * The realm public key claim's bytes: a COSE_Key (realm profiles 1.0 and 2.0) or, for the
 * legacy shape, the uncompressed point 0x04 || x || y.
 */
export async function realmKeyBytes(publicKey, legacy) {
  const point = new Uint8Array(await subtle.exportKey("raw", publicKey));
  if (legacy) return point;
  const { crv, size } = curveOf(publicKey);
  return encode(new Map([[1, KTY_EC2], [-1, crv], [-2, point.subarray(1, 1 + size)], [-3, point.subarray(1 + size)]]));
}

/**
 * Realm claims. r: challenge (64 bytes), instanceId, personalizationValue (64), hashAlgorithm,
 * rim, rems (4), publicKey (the claim's bytes), publicKeyHashAlgorithm, mecPolicy (integer).
 * The legacy shape has no profile, instance ID or MEC policy.
 */
export function realmClaims(r, legacy) {
  /** @type {Map<number, unknown>} */
  const c = new Map([
    [REALM.challenge, r.challenge],
    [REALM.personalizationValue, r.personalizationValue],
    [REALM.hashAlgorithm, r.hashAlgorithm],
    [REALM.publicKey, r.publicKey],
    [REALM.rim, r.rim],
    [REALM.rems, r.rems],
    [REALM.publicKeyHashAlgorithm, r.publicKeyHashAlgorithm],
  ]);
  if (!legacy) {
    c.set(REALM.profile, PROFILES.realm);
    c.set(REALM.instanceId, r.instanceId);
    c.set(REALM.mecPolicy, r.mecPolicy);
  }
  return c;
}

/**
 * Platform claims. p: challenge, instanceId (33 bytes), implementationId (32), config, lifecycle,
 * swComponents [{ type, measurement, version, signerId, description }], hashAlgorithm, clientId,
 * verificationService. The legacy (CCA-SSD) profile has no client ID.
 */
export function platformClaims(p, legacy) {
  /** @type {Map<number, unknown>} */
  const c = new Map([
    [PLATFORM.profile, legacy ? PROFILES.platformLegacy : PROFILES.platform],
    [PLATFORM.challenge, p.challenge],
    [PLATFORM.implementationId, p.implementationId],
    [PLATFORM.instanceId, p.instanceId],
    [PLATFORM.config, p.config],
    [PLATFORM.lifecycle, p.lifecycle],
    [PLATFORM.swComponents, p.swComponents.map((s) => new Map([
      [SW.type, s.type], [SW.measurement, s.measurement], [SW.version, s.version],
      [SW.signerId, s.signerId], [SW.description, s.description],
    ]))],
    [PLATFORM.verificationService, p.verificationService],
    [PLATFORM.hashAlgorithm, p.hashAlgorithm],
  ]);
  if (!legacy) c.set(PLATFORM.clientId, p.clientId);
  return c;
}

/** The token collection (a CBOR value) of two signed tokens, in the current or the legacy shape. */
export function collection(platform, realm, legacy) {
  const entry = (t) => legacy ? embedded(t) : [EAT_CWT, embedded(t)];
  return tag(legacy ? COLLECTION_LEGACY : COLLECTION_CMW, new Map([[PLATFORM_TOKEN, entry(platform)], [REALM_TOKEN, entry(realm)]]));
}
