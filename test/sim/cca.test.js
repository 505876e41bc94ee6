// The simulated arm_cca_guest: tokens in TF-RMM's current shape (and the legacy one) that the
// core decodes with no error and no unknown claim, and that tsmkit's verifier accepts with the
// CPAK `tsmkit sim roots` writes, and refuses once any signed byte changes. Claims-set fixtures
// built here keep their CBOR diagnostic notation beside their bytes (as veraison/ccatoken does).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decode, locate, DecodeError } from "../../hosts/js/decode.js";
import { verify } from "../../hosts/js/verify/index.js";
import { getReport } from "../../hosts/node/report.js";
import { TsmError } from "../../hosts/node/errors.js";
import { KernelModel } from "../../hosts/kernel/model.js";
import { createProvider } from "../../hosts/sim/providers/index.js";
import { createPki, exportPki, importPki } from "../../hosts/sim/pki.js";
import { writeRoots } from "../../hosts/sim/roots.js";
import { encode, diag, embedded } from "../../hosts/sim/cbor.js";
import { realmClaims, platformClaims, PROFILES } from "../../hosts/sim/cca-token.js";
import { prng } from "../prng.js";

const hex = (b) => Buffer.from(b).toString("hex");
const unhex = (h) => Uint8Array.from(Buffer.from(h.replace(/\s/g, ""), "hex"));
const fill = (n, b) => new Uint8Array(n).fill(b);
const sha = async (alg, b) => new Uint8Array(await crypto.subtle.digest(alg, b));
const padded = (inblob) => hex(inblob) + "00".repeat(64 - inblob.length);

const pki = await createPki();
const ROOTS = await mkdtemp(join(tmpdir(), "tsmkit-cca-roots-"));
await writeRoots(ROOTS, { pki });
const CPAK = await readFile(join(ROOTS, "cca-cpak.pem"), "utf8");
await rm(ROOTS, { recursive: true });

const current = createProvider("arm_cca_guest", { pki });
const legacy = createProvider("arm_cca_guest", { pki, legacy: true });
const token = async (provider, inblob) => (await provider.reportNew({ inblob })).outblob;
const check = (bytes, inblob, roots = { cca: CPAK }) => verify(bytes, { roots, policy: { reportData: padded(inblob) } });

/** Every key path under `v` (to show that no decoded group holds unknown or other claims). */
const paths = (v, at = "") => v && typeof v === "object" ? Object.entries(v).flatMap(([k, x]) => [`${at}${k}`, ...paths(x, `${at}${k}.`)]) : [];

// ---- the claims-sets, as fixtures with their diagnostic notation ---------------------------

// The RAK of ccatoken's v2 realm vectors and tf-m-tools' cca_realm.pem, as a COSE_Key (EC2, P-384).
const RAK_X = "76f988091be585ed41801aecfab858548c63057e16b0e676120bbd0d2f9c29e056c5d41a0130eb9c21517899dc23146b";
const RAK_Y = "28e1b062bd3ea4b315fd219f1cbb528cb6e74ca49be16773734f61a1ca61031b2bbf3d918f2f94ffc4228e50919544ae";
const REALM_FIXTURE = realmClaims({
  challenge: fill(64, 0xab), instanceId: Uint8Array.of(1, ...fill(32, 2)), personalizationValue: fill(64, 0),
  hashAlgorithm: "sha-256", publicKey: embedded(new Map([[1, 2], [-1, 2], [-2, unhex(RAK_X)], [-3, unhex(RAK_Y)]])),
  rim: fill(32, 0xcc), rems: [fill(32, 0), fill(32, 1), fill(32, 2), fill(32, 3)], publicKeyHashAlgorithm: "sha-256", mecPolicy: 1,
}, false);
const REALM_DIAG = `{
  10: h'${"ab".repeat(64)}',
  256: h'01${"02".repeat(32)}',
  265: "tag:arm.com,2024:realm#2.0.0",
  44235: h'${"00".repeat(64)}',
  44236: "sha-256",
  44237: <<{
    1: 2,
    -1: 2,
    -2: h'${RAK_X}',
    -3: h'${RAK_Y}'
  }>>,
  44238: h'${"cc".repeat(32)}',
  44239: [
    h'${"00".repeat(32)}',
    h'${"01".repeat(32)}',
    h'${"02".repeat(32)}',
    h'${"03".repeat(32)}'
  ],
  44240: "sha-256",
  44243: 1
}`;
const REALM_HEX = `aa 0a 5840 ${"ab".repeat(64)} 190100 5821 01${"02".repeat(32)}
  190109 781c ${hex(Buffer.from(PROFILES.realm))} 19accb 5840 ${"00".repeat(64)} 19accc 67 ${hex(Buffer.from("sha-256"))}
  19accd 586b a4 01 02 20 02 21 5830 ${RAK_X} 22 5830 ${RAK_Y} 19acce 5820 ${"cc".repeat(32)}
  19accf 84 5820 ${"00".repeat(32)} 5820 ${"01".repeat(32)} 5820 ${"02".repeat(32)} 5820 ${"03".repeat(32)}
  19acd0 67 ${hex(Buffer.from("sha-256"))} 19acd3 01`;

const PLATFORM_FIXTURE = platformClaims({
  challenge: fill(32, 0x11), instanceId: Uint8Array.of(1, ...fill(32, 0x22)), implementationId: fill(32, 0x33),
  config: Uint8Array.of(1, 2, 3), lifecycle: 0x3003, hashAlgorithm: "sha-256", clientId: 1,
  verificationService: "https://v.example",
  swComponents: [{ type: "RMM", measurement: fill(32, 0x44), version: "1.0.0", signerId: fill(32, 0x55), description: "sha-256" }],
}, false);
const PLATFORM_DIAG = `{
  10: h'${"11".repeat(32)}',
  256: h'01${"22".repeat(32)}',
  265: "tag:arm.com,2024:cca_platform#2.0.0",
  2394: 1,
  2395: 12291,
  2396: h'${"33".repeat(32)}',
  2399: [
    {
      1: "RMM",
      2: h'${"44".repeat(32)}',
      4: "1.0.0",
      5: h'${"55".repeat(32)}',
      6: "sha-256"
    }
  ],
  2400: "https://v.example",
  2401: h'010203',
  2402: "sha-256"
}`;
const PLATFORM_HEX = `aa 0a 5820 ${"11".repeat(32)} 190100 5821 01${"22".repeat(32)}
  190109 7823 ${hex(Buffer.from(PROFILES.platform))} 19095a 01 19095b 193003 19095c 5820 ${"33".repeat(32)}
  19095f 81 a5 01 63 ${hex(Buffer.from("RMM"))} 02 5820 ${"44".repeat(32)} 04 65 ${hex(Buffer.from("1.0.0"))}
    05 5820 ${"55".repeat(32)} 06 67 ${hex(Buffer.from("sha-256"))}
  190960 71 ${hex(Buffer.from("https://v.example"))} 190961 43 010203 190962 67 ${hex(Buffer.from("sha-256"))}`;

test("claims-set fixtures: bytes and diagnostic notation as written, decoded by the core under the 2.0 rules with nothing unknown", () => {
  for (const [name, value, diagText, hexText, format] of [
    ["realm", REALM_FIXTURE, REALM_DIAG, REALM_HEX, "cca-realm-claims"],
    ["platform", PLATFORM_FIXTURE, PLATFORM_DIAG, PLATFORM_HEX, "cca-platform-claims"],
  ]) {
    assert.is(diag(value), diagText, name);
    assert.is(hex(encode(value)), hex(unhex(hexText)), name);
    const c = decode(encode(value), { format }).claims;
    assert.is(c.profileRules, "2.0", name);
    assert.not.ok(paths(c).some((p) => /unknown|other/i.test(p)), `${name}: ${paths(c).join(" ")}`);
  }
  const r = decode(unhex(REALM_HEX), { format: "cca-realm-claims" }).claims;
  assert.equal([r.mecPolicy, r.mecPolicyForm, r.publicKeyCoseKey.x, r.extensibleMeasurements[3]], [1, "integer", RAK_X, "03".repeat(32)]);
  const p = decode(unhex(PLATFORM_HEX), { format: "cca-platform-claims" }).claims;
  assert.equal([p.clientId, p.lifecycle.state, p.softwareComponents[0].measurementType], [1, "secured", "RMM"]);
});

// ---- tokens from the provider ---------------------------------------------------------------

test("current shape: CMW collection (907) of platform cca_platform#2.0.0 and realm#2.0.0, decoded with nothing unknown", async () => {
  const inblob = crypto.getRandomValues(new Uint8Array(32));
  const bytes = await token(current, inblob);
  assert.equal([...bytes.subarray(0, 4)], [0xd9, 0x03, 0x8b, 0xa2]); // 907({ (2 entries)
  const t = decode(bytes, { provider: "arm_cca_guest" });
  assert.is(t.collection, "cmw");
  assert.not.ok(paths(t).some((p) => /unknown|other/i.test(p)), paths(t).join(" "));
  for (const side of ["platform", "realm"]) {
    assert.equal([t[side].contentFormat, t[side].tagged, t[side].protected.alg], [263, true, -35], side);
  }
  const p = t.platform.claims, r = t.realm.claims;
  assert.equal([p.profile, p.profileRules, r.profile, r.profileRules], [PROFILES.platform, "2.0", PROFILES.realm, "2.0"]);
  assert.is(r.challenge, padded(inblob));
  assert.equal([r.mecPolicy, r.mecPolicyForm, r.instanceId.length, r.instanceId.slice(0, 2)], [1, "integer", 66, "01"]);
  assert.equal([r.publicKeyEncoding, r.publicKeyCoseKey.kty, r.publicKeyCoseKey.crv], ["cose-key", 2, 2]); // EC2, P-384
  assert.is(r.extensibleMeasurements.length, 4);
  // The platform binds the realm: its challenge is the hash of the RAK claim's bytes.
  assert.is(p.challenge, hex(await sha("SHA-256", unhex(r.publicKey))));
  assert.is(p.instanceId, hex(pki.cca.instanceId));
  assert.equal([p.lifecycle.state, p.clientId, p.hashAlgorithmId], ["secured", 1, "sha-256"]);
  assert.equal(p.softwareComponents.map((s) => s.measurementType), ["RSE_BL1_2", "RSE_BL2", "RSE_S", "AP_BL1", "AP_BL2", "SCP_BL1", "SCP_BL2", "AP_BL31", "RMM"]);
});

test("one provider is one realm: the same RAK, instance ID and platform token for every report; another realm differs", async () => {
  const a = decode(await token(current, fill(32, 1))), b = decode(await token(current, fill(64, 2)));
  assert.equal([b.realm.claims.publicKey, b.realm.claims.instanceId, b.platform.signature], [a.realm.claims.publicKey, a.realm.claims.instanceId, a.platform.signature]);
  assert.is.not(a.realm.claims.challenge, b.realm.claims.challenge);
  const other = decode(await token(createProvider("arm_cca_guest", { pki }), fill(32, 1)));
  assert.is.not(other.realm.claims.publicKey, a.realm.claims.publicKey);
  assert.is(other.platform.claims.instanceId, a.platform.claims.instanceId); // same platform
});

test("legacy shape: tag 399 of bstr tokens, a realm without a profile (raw EC point RAK), platform CCA-SSD", async () => {
  const inblob = fill(40, 0x5a);
  const bytes = await token(legacy, inblob);
  assert.equal([...bytes.subarray(0, 4)], [0xd9, 0x01, 0x8f, 0xa2]); // 399({ (2 entries)
  const t = decode(bytes);
  assert.is(t.collection, "legacy");
  assert.not.ok(paths(t).some((p) => /unknown|other/i.test(p)), paths(t).join(" "));
  const r = t.realm.claims, p = t.platform.claims;
  assert.equal([r.profileRules, r.profile, r.instanceId, r.mecPolicy], ["legacy", undefined, undefined, undefined]);
  assert.equal([r.publicKeyEncoding, r.publicKey.length, r.publicKey.slice(0, 2)], ["ec-point", 194, "04"]);
  assert.equal([p.profile, p.profileRules, p.clientId], [PROFILES.platformLegacy, "legacy", undefined]);
  assert.is(r.challenge, padded(inblob));
  assert.is(p.challenge, hex(await sha("SHA-256", unhex(r.publicKey))));
});

test("realm options: RIM, REMs, personalization value, MEC policy and hash algorithms reach the claims; unknown hashes refused", async () => {
  const rims = fill(48, 7), rems = [fill(48, 1), fill(48, 2), fill(48, 3), fill(48, 4)];
  const p = createProvider("arm_cca_guest", { pki, realm: { hashAlgorithm: "sha-384", publicKeyHashAlgorithm: "sha-512", rim: rims, rems, personalizationValue: fill(64, 9), mecPolicy: 0 } });
  const t = decode(await token(p, fill(32, 0)));
  const r = t.realm.claims;
  assert.equal([r.hashAlgorithmId, r.publicKeyHashAlgorithmId, r.initialMeasurement, r.extensibleMeasurements, r.personalizationValue, r.mecPolicy],
    ["sha-384", "sha-512", hex(rims), rems.map(hex), "09".repeat(64), 0]);
  assert.is(t.platform.claims.challenge, hex(await sha("SHA-512", unhex(r.publicKey))));
  const bad = createProvider("arm_cca_guest", { pki, realm: { publicKeyHashAlgorithm: "md5" } });
  try {
    await token(bad, fill(32, 0));
    assert.unreachable("md5 accepted");
  } catch (e) {
    assert.instance(e, TypeError);
    assert.match(e.message, /publicKeyHashAlgorithm "md5" is not one of sha-256, sha-384, sha-512/);
  }
});

// ---- acquisition and verification ----------------------------------------------------------

test("getReport (sim backend): 32..64-byte inblobs give tokens that verify against sim roots' cca-cpak.pem; 31 bytes is EINVAL", async () => {
  const sim = new KernelModel({ provider: createProvider("arm_cca_guest", { pki }) });
  for (const n of [32, 48, 64]) {
    const inblob = crypto.getRandomValues(new Uint8Array(n));
    const r = await getReport({ inblob }, { backend: "sim", sim });
    assert.is(r.provider, "arm_cca_guest");
    assert.is(decode(r.outblob, { provider: r.provider }).realm.claims.challenge, padded(inblob));
    const v = await check(r.outblob, inblob);
    assert.ok(v.ok, `${n} bytes: ${JSON.stringify(v.checks.filter((c) => !c.ok))}`);
  }
  try {
    await getReport({ inblob: fill(31, 1) }, { backend: "sim", sim });
    assert.unreachable("31 bytes accepted");
  } catch (e) {
    assert.instance(e, TsmError);
    assert.equal([e.code, e.attribute], ["EINVAL", "inblob"]);
    assert.match(e.message, /32/);
  }
});

test("verification fails closed: another nonce, another CPAK, no CPAK at all", async () => {
  const inblob = fill(32, 0x42);
  const bytes = await token(current, inblob);
  assert.ok((await check(bytes, inblob)).ok);
  const nonce = await check(bytes, fill(32, 0x43));
  assert.not.ok(nonce.ok);
  const other = await createPki();
  const stranger = await check(bytes, inblob, { cca: other.cca.cpakPem });
  assert.is(stranger.decidedBy, "cca.platformSignature");
  const none = await verify(bytes, { policy: { reportData: padded(inblob) } });
  assert.not.ok(none.ok);
  assert.equal(none.checks.find((c) => c.name === "cca.platformSignature").supply, ["roots"]);
});

for (const [shape, provider] of [["current", current], ["legacy", legacy]]) {
  test(`${shape} shape: changing any signed byte (protected header, claims or signature of either token) is refused`, async () => {
    const inblob = fill(32, 0x77);
    const bytes = await token(provider, inblob);
    assert.ok((await check(bytes, inblob)).ok, "the untouched token verifies");
    const at = locate(bytes);
    const signed = ["platform", "realm"].flatMap((s) => ["protected", "claims", "signature"].map((f) => at.get(`${s}.${f}`)));
    let tried = 0;
    for (const [offset, length] of signed) {
      for (let i = offset; i < offset + length; i++) {
        const b = Uint8Array.from(bytes);
        b[i] ^= 0x01;
        const v = await check(b, inblob);
        assert.not.ok(v.ok, `byte ${i} changed and still verified`);
        tried++;
      }
    }
    assert.ok(tried > 1500, `${tried} bytes`);
  });
}

// ---- robustness -----------------------------------------------------------------------------

test("simulator tokens, cut at every byte or corrupted (seeded), are typed DecodeErrors, never a trap", async () => {
  for (const provider of [current, legacy]) {
    const full = await token(provider, fill(32, 3));
    for (let n = 0; n < full.length; n++) {
      try {
        decode(full.subarray(0, n));
        assert.unreachable(`decoded when cut at ${n}`);
      } catch (e) {
        if (!(e instanceof DecodeError)) throw e;
        assert.ok(["TRUNCATED", "UNKNOWN_FORMAT"].includes(e.code), `cut at ${n}: ${e.code}`);
      }
    }
    const rand = prng(0xcca5 ^ full.length);
    for (let round = 0; round < 300; round++) {
      const b = Uint8Array.from(full);
      b[Math.floor(rand() * b.length)] = Math.floor(rand() * 256);
      try {
        decode(b);
      } catch (e) {
        if (!(e instanceof DecodeError)) throw new Error(`round ${round}: ${e.stack}`);
      }
    }
  }
});

test("PKI: the CPAK survives export/import, and a PKI saved before CCA is refused with what to do", async () => {
  const again = await importPki(await exportPki(pki));
  assert.is(again.cca.cpakPem, pki.cca.cpakPem);
  assert.equal(again.cca.instanceId, pki.cca.instanceId);
  assert.match(CPAK, /^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+-----END PUBLIC KEY-----\n$/);
  assert.is(CPAK, pki.cca.cpakPem);
  const saved = JSON.parse(await exportPki(pki));
  delete saved.keys.cpakK;
  try {
    await importPki(JSON.stringify(saved));
    assert.unreachable("imported");
  } catch (e) {
    assert.match(e.message, /no CCA platform key .*delete the file/);
  }
});

test.run();
