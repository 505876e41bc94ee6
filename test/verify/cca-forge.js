// Arm CCA tokens a test signs itself with WebCrypto, for what the real tokens in
// ../shared/data/cca cannot show: ES512 and ES256 realm signatures, a lifecycle that is not
// secured, an unknown profile, keys on any curve. Built as CBOR values (hosts/sim/cbor.js), so
// each token comes with its diagnostic notation beside its bytes. Shape (realm#1.0.0 rules):
//   907({44234: [263, <<18([<<{1: alg}>>, {}, <<platform claims>>, signature])>>],
//        44241: [263, <<18([<<{1: alg}>>, {}, <<realm claims>>, signature])>>]})
import { diag, embedded, encode, tag } from "../../hosts/sim/cbor.js";

const subtle = globalThis.crypto.subtle;
const ALG = { "P-256": [-7, "SHA-256"], "P-384": [-35, "SHA-384"], "P-521": [-36, "SHA-512"] };
const CRV = { "P-256": 1, "P-384": 2, "P-521": 3 };
const fill = (n, byte) => new Uint8Array(n).fill(byte);

export const keyPair = (curve) => subtle.generateKey({ name: "ECDSA", namedCurve: curve }, true, ["sign", "verify"]);

/** The PEM SubjectPublicKeyInfo of a public key (what a caller gives as roots.cca). */
export async function pem(publicKey) {
  const der = Buffer.from(await subtle.exportKey("spki", publicKey)).toString("base64");
  return `-----BEGIN PUBLIC KEY-----\n${der.match(/.{1,64}/g).join("\n")}\n-----END PUBLIC KEY-----\n`;
}

/** COSE_Sign1 (tag 18) of `claims` signed with `privateKey`, alg = the key's curve unless `alg` is given. */
async function sign1(claims, privateKey, alg) {
  const [id, hash] = ALG[privateKey.algorithm.namedCurve];
  const header = new Map([[1, alg ?? id]]);
  const toSign = encode(["Signature1", encode(header), new Uint8Array(0), encode(claims)]);
  const signature = new Uint8Array(await subtle.sign({ name: "ECDSA", hash }, privateKey, toSign));
  return tag(18, [embedded(header), new Map(), embedded(claims), signature]);
}

/** The RAK claim bytes: a COSE_Key (EC2) of the public key, or its raw point when `rawRak`. */
async function rakBytes(publicKey, rawRak) {
  const point = new Uint8Array(await subtle.exportKey("raw", publicKey));
  if (rawRak) return point;
  const size = (point.length - 1) / 2;
  return encode(new Map([[1, 2], [-1, CRV[publicKey.algorithm.namedCurve]], [-2, point.subarray(1, 1 + size)], [-3, point.subarray(1 + size)]]));
}

/** Software components of the forged platform token (type, measurement, version, signer ID). */
export const SW_COMPONENTS = Object.freeze([
  { type: "BL", measurement: fill(32, 0x11), version: "1.2.3", signerId: fill(32, 0x21) },
  { type: "RMM", measurement: fill(32, 0x12), version: "0.9.0", signerId: fill(32, 0x22) },
]);

/**
 * A signed token: { bytes, diag, value }. o: cpak, rak (key pairs), nonce (bytes, zero-padded
 * to the 64-byte challenge), lifecycle (default 0x3000 secured), platformProfile, realmProfile
 * (null: none, as RMM 1.0; the default with rawRak), rakHash (default sha-256), rawRak, platformAlg / realmAlg (a COSE
 * alg to put in the protected header instead of the key's), challenge (platform challenge
 * instead of the RAK's hash).
 */
export async function forgeToken(o) {
  const challenge = new Uint8Array(64);
  challenge.set(o.nonce ?? fill(32, 0x5a));
  const rak = await rakBytes(o.rak.publicKey, o.rawRak);
  const rakHash = o.rakHash ?? "sha-256";
  const realm = new Map([
    [10, challenge], [44235, fill(64, 0x50)], [44236, "sha-256"], [44237, rak], [44238, fill(32, 0x31)],
    [44239, [fill(32, 0x41), fill(32, 0x42), fill(32, 0x43), fill(32, 0x44)]], [44240, rakHash],
  ]);
  // A raw-point RAK goes with a realm token without a profile (RMM 1.0), a COSE_Key with one.
  const realmProfile = o.realmProfile === undefined ? (o.rawRak ? null : "tag:arm.com,2023:realm#1.0.0") : o.realmProfile;
  if (realmProfile !== null) realm.set(265, realmProfile);
  const binder = o.challenge ?? new Uint8Array(await subtle.digest(rakHash.toUpperCase(), rak));
  const platform = new Map([
    [265, o.platformProfile ?? "tag:arm.com,2023:cca_platform#1.0.0"], [10, binder], [2396, fill(32, 0x07)],
    [256, Uint8Array.of(1, ...fill(32, 0x08))], [2401, Uint8Array.of(1, 2, 3)], [2395, o.lifecycle ?? 0x3000],
    [2399, SW_COMPONENTS.map((s) => new Map([[1, s.type], [2, s.measurement], [4, s.version], [5, s.signerId]]))],
    [2402, "sha-256"],
  ]);
  const value = tag(907, new Map([
    [44234, [263, embedded(await sign1(platform, o.cpak.privateKey, o.platformAlg))]],
    [44241, [263, embedded(await sign1(realm, o.rak.privateKey, o.realmAlg))]],
  ]));
  return { bytes: encode(value), diag: diag(value), value };
}
