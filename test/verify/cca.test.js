// Arm CCA token verification: every real token in ../shared/data/cca verifies with the key
// MANIFEST.md names for it and is refused with a wrong key, a flipped signed byte, a swapped
// realm token or no key; the negative token is refused with the decoder's reason; each policy
// rule rejects. ES512 and ES256 realm signatures, which no real token has, come from tokens the
// test signs itself (cca-forge.js, diagnostic notation beside the bytes).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DATA, data } from "../data.js";
import { verify, OptionError, PolicyError } from "../../hosts/js/verify/index.js";
import { decode, locate } from "../../hosts/js/decode.js";
import { forgeToken, keyPair, pem, SW_COMPONENTS } from "./cca-forge.js";

const checkOf = (v, name) => v.checks.find((c) => c.name === name);
const hex = (b) => Buffer.from(b).toString("hex");

// Token -> the key MANIFEST.md says verifies its platform token ("signature verifies with: cca/...").
const MANIFEST = readFileSync(join(DATA, "MANIFEST.md"), "utf8");
const TOKENS = [...MANIFEST.matchAll(/^\| `(cca\/[^`]+\.cbor)`.*?platform token:[^|]*?signature verifies with: (cca\/[\w-]+\.pem)/gm)]
  .map(([, token, key]) => ({ token, key, bytes: data(token), pem: data(key).toString("utf8") }));
const IAK = data("cca/ccatoken-test-iak-pub.pem").toString("utf8");
const CPAK = data("cca/ccatoken-tf-rmm-cpak-pub.pem").toString("utf8");

/** verify() with the token's own key and its realm challenge as the nonce, unless `opts` says otherwise. */
function check(t, opts = {}) {
  const nonce = decode(t.bytes).realm.claims.challenge;
  return verify(t.bytes, { roots: { cca: t.pem }, ...opts, policy: { reportData: nonce, ...opts.policy } });
}

const SIGNATURE_CHECKS = ["decode", "cca.platformSignature", "cca.realmSignature", "cca.binding"];

test("MANIFEST names a key for every signed CCA token in the corpus (9)", () => {
  assert.is(TOKENS.length, 9);
  assert.equal(new Set(TOKENS.map((t) => t.key)), new Set(["cca/ccatoken-test-iak-pub.pem", "cca/ccatoken-tf-rmm-cpak-pub.pem"]));
});

test("every real token verifies with the key beside it: both signatures, the binding, the nonce, the policy defaults", async () => {
  for (const t of TOKENS) {
    const v = await check(t);
    assert.ok(v.ok, `${t.token}: ${v.decidedBy} ${checkOf(v, v.decidedBy ?? "decode")?.detail}`);
    assert.equal(v.checks.map((c) => c.name), [...SIGNATURE_CHECKS, "policy.reportData", "policy.cca.profile", "policy.cca.lifecycle"], t.token);
    assert.is(v.status, "Verified");
    assert.is(v.evidence.format, "cca-token");
    const alg = { [-7]: "ES256", [-35]: "ES384" }[v.evidence.platform.protected.alg];
    assert.match(checkOf(v, "cca.platformSignature").detail, `${alg} signature verifies`, t.token);
  }
});

test("the two real signature algorithms are both exercised: ES256 (IAK, P-256) and ES384 (CPAK, RAK)", async () => {
  const algs = new Set(TOKENS.flatMap((t) => { const d = decode(t.bytes); return [d.platform.protected.alg, d.realm.protected.alg]; }));
  assert.equal(algs, new Set([-7, -35]));
});

test("the negative token (tag-18 COSE_Sign1s in place of byte strings) is refused with the decoder's reason", async () => {
  const v = await verify(data("cca/ccatoken-bad-unwrapped-tokens.cbor"), { roots: { cca: IAK }, policy: { reportData: "00" } });
  assert.not.ok(v.ok);
  assert.is(v.decidedBy, "decode");
  assert.is(v.checks.length, 1);
  assert.match(v.checks[0].detail, /platform token is a tag 18, not a byte string holding its COSE_Sign1/);
});

test("bare claims-sets are not verifiable, saying why", async () => {
  for (const [file, format] of [["cca/ccatoken-platform-v2-claims-all.cbor", "cca-platform-claims"], ["cca/ccatoken-realm-v2-claims-all.cbor", "cca-realm-claims"]]) {
    const v = await verify(data(file), { format, roots: { cca: CPAK } });
    assert.is(v.decidedBy, "verifiable");
    assert.match(checkOf(v, "verifiable").detail, "unsigned CCA");
  }
});

test("a wrong platform key is refused: another curve, and the same curve with another key", async () => {
  const other = await keyPair("P-384");
  for (const t of TOKENS) {
    const swapped = t.pem === IAK ? CPAK : IAK;
    const v = await check(t, { roots: { cca: swapped } });
    assert.is(v.decidedBy, "cca.platformSignature", t.token);
    assert.match(checkOf(v, "cca.platformSignature").detail, /needs a P-(256|384) key; roots.cca has only P-(384|256)/);
    for (const name of ["cca.realmSignature", "cca.binding"]) assert.ok(checkOf(v, name).ok, `${t.token} ${name}`);
  }
  const t = TOKENS.find((x) => x.pem === CPAK);
  const v = await check(t, { roots: { cca: await pem(other.publicKey) } });
  assert.match(checkOf(v, "cca.platformSignature").detail, /ES384 signature does not verify with the P-384 key x=/);
});

test("no roots.cca: the platform check fails closed, naming roots.cca and --roots FILE, with supply roots", async () => {
  for (const t of TOKENS) {
    const v = await check(t, { roots: {} });
    const c = checkOf(v, "cca.platformSignature");
    assert.not.ok(c.ok);
    assert.equal(c.supply, ["roots"]);
    assert.match(c.detail, "roots.cca (CLI: --roots FILE)");
    assert.not.ok(v.ok);
  }
  const t = TOKENS[0];
  assert.equal(checkOf(await verify(t.bytes, {}), "cca.platformSignature").supply, ["roots"]);
});

/** The token with one byte of located field `path` flipped (its lowest bit). */
function flipped(bytes, path, at = 0) {
  const [off, len] = locate(bytes).get(path);
  const out = Uint8Array.from(bytes);
  out[off + Math.min(at, len - 1)] ^= 1;
  return out;
}

test("a flipped signed byte is refused in every token: protected header, payload and signature of each COSE_Sign1", async () => {
  for (const t of TOKENS) {
    for (const [path, at, decides] of [
      ["platform.protected", 99, "cca.platformSignature"], ["platform.claims.implementationId", 5, "cca.platformSignature"],
      ["platform.claims.challenge", 0, "cca.platformSignature"], ["platform.signature", 7, "cca.platformSignature"],
      ["realm.protected", 99, "cca.realmSignature"], ["realm.claims.personalizationValue", 3, "cca.realmSignature"],
      ["realm.claims.initialMeasurement", 9, "cca.realmSignature"], ["realm.signature", 50, "cca.realmSignature"],
    ]) {
      const v = await check({ ...t, bytes: flipped(t.bytes, path, at) });
      assert.not.ok(v.ok, `${t.token} ${path}`);
      assert.is(v.decidedBy, decides, `${t.token} ${path}: ${v.decidedBy}`);
    }
  }
});

test("every byte of both signed regions of a token, flipped, is refused (none decodes and verifies)", async () => {
  const t = TOKENS.find((x) => x.token.endsWith("ccatoken-good-cmw-collection.cbor"));
  const loc = locate(t.bytes);
  const nonce = decode(t.bytes).realm.claims.challenge;
  let tried = 0;
  for (const which of ["platform", "realm"]) {
    for (const part of ["protected", "claims", "signature"]) {
      const [off, len] = loc.get(`${which}.${part}`);
      for (let i = off; i < off + len; i++) {
        const b = Uint8Array.from(t.bytes);
        b[i] ^= 0x10;
        const v = await verify(b, { roots: { cca: t.pem }, policy: { reportData: nonce } });
        assert.not.ok(v.ok, `byte ${i} (${which}.${part})`);
        tried++;
      }
    }
  }
  assert.ok(tried > 1000, String(tried));
});

test("seeded corruption of every token: any changed byte is refused, and verify() never throws", async () => {
  let seed = 0x9e3779b9;
  const next = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  for (const t of TOKENS) {
    const nonce = decode(t.bytes).realm.claims.challenge;
    for (let i = 0; i < 120; i++) {
      const b = Uint8Array.from(t.bytes);
      const at = Math.floor(next() * b.length);
      b[at] = (b[at] + 1 + Math.floor(next() * 255)) & 0xff; // never the same value
      const v = await verify(b, { roots: { cca: t.pem }, policy: { reportData: nonce } });
      assert.not.ok(v.ok, `${t.token}: byte ${at} set to ${b[at]} still verifies`);
    }
  }
});

/** A tag-907 collection of the two COSE_Sign1s given (as their bytes). */
function collection(platform, realm) {
  const entry = (key, t) => [0x19, key >> 8, key & 0xff, 0x82, 0x19, 0x01, 0x07, 0x59, t.length >> 8, t.length & 0xff, ...t];
  return Uint8Array.from([0xd9, 0x03, 0x8b, 0xa2, ...entry(44234, platform), ...entry(44241, realm)]);
}
const sign1Of = (bytes, which) => { const [o, n] = locate(bytes).get(which); return bytes.subarray(o, o + n); };

test("a realm token swapped in from another token fails the binding, though both signatures verify", async () => {
  const a = TOKENS.find((x) => x.token.endsWith("ccatoken-rmm-legacy-evidence-cmw.cbor"));
  const b = TOKENS.find((x) => x.token.endsWith("tfm-tools-cca-example-token-realm2.cbor"));
  const swapped = collection(sign1Of(a.bytes, "platform"), sign1Of(b.bytes, "realm"));
  const v = await check({ ...a, bytes: swapped });
  assert.ok(checkOf(v, "cca.platformSignature").ok);
  assert.ok(checkOf(v, "cca.realmSignature").ok);
  assert.is(v.decidedBy, "cca.binding");
  assert.match(checkOf(v, "cca.binding").detail, /is not sha-256\(realm RAK\) .*the tokens are not bound/);
  // the same two tokens put back together verify
  assert.ok((await check({ ...a, bytes: collection(sign1Of(a.bytes, "platform"), sign1Of(a.bytes, "realm")) })).ok);
});

// ---- roots.cca forms -------------------------------------------------------------------------

const spkiDer = (p) => Buffer.from(p.replace(/-----[^-]+-----|\s/g, ""), "base64");
const jwkOf = async (p) => globalThis.crypto.subtle.exportKey("jwk", await globalThis.crypto.subtle.importKey("spki", spkiDer(p), { name: "ECDSA", namedCurve: "P-384" }, true, ["verify"]));

test("roots.cca takes PEM, DER, a JWK object or JSON text, a JWK Set, a list, and a map by platform instance ID", async () => {
  const t = TOKENS.find((x) => x.token.endsWith("tfm-tools-cca-example-token-realm2.cbor"));
  const id = decode(t.bytes).platform.claims.instanceId;
  const jwk = await jwkOf(CPAK);
  for (const cca of [CPAK, Buffer.from(CPAK), spkiDer(CPAK), jwk, JSON.stringify(jwk), { keys: [jwk] }, [IAK, CPAK],
    { [id]: CPAK }, { [id.toUpperCase()]: [IAK, jwk] }]) {
    const v = await check(t, { roots: { cca } });
    assert.ok(checkOf(v, "cca.platformSignature").ok, JSON.stringify(cca).slice(0, 60));
  }
  const v = await check(t, { roots: { cca: { ["01" + "00".repeat(32)]: CPAK } } });
  assert.match(checkOf(v, "cca.platformSignature").detail, `roots.cca has no key for platform instance ID ${id}`);
  assert.equal(checkOf(v, "cca.platformSignature").supply, ["roots"]);
});

test("an unusable roots.cca throws OptionError naming roots.cca, before anything is checked", async () => {
  const t = TOKENS[0];
  for (const [cca, says] of [
    ["not a key", "neither a PEM PUBLIC KEY or CERTIFICATE nor a JWK"],
    [{ kty: "RSA", n: "AQAB", e: "AQAB" }, 'JWK kty "RSA" is not "EC"'],
    [{ kty: "EC", crv: "P-192", x: "", y: "" }, "JWK crv \"P-192\" is not P-256, P-384 or P-521"],
    [{ "not-hex": CPAK }, 'key "not-hex" is not a platform instance ID'],
    [{}, "an empty map"],
    [[], "no key in it"],
    ["{ not json", "JSON that does not parse"],
    [42, "expected PEM, DER, a certificate or a JWK"],
  ]) {
    const e = await verify(t.bytes, { roots: { cca } }).then(() => null, (x) => x);
    assert.instance(e, OptionError, JSON.stringify(cca));
    assert.is(e.option, "roots.cca");
    assert.match(e.message, says);
  }
});

// ---- tokens the test signs: ES256 / ES384 / ES512, lifecycle, profiles ------------------------

test("ES256, ES384 and ES512 on both tokens, RAK as a COSE_Key or a raw point, every RAK hash algorithm", async () => {
  for (const [platformCurve, realmCurve, rakHash, rawRak] of [
    ["P-256", "P-256", "sha-256", false], ["P-384", "P-384", "sha-384", true], ["P-521", "P-521", "sha-512", false],
    ["P-521", "P-256", "sha-384", true], ["P-256", "P-521", "sha-256", true],
  ]) {
    const cpak = await keyPair(platformCurve), rak = await keyPair(realmCurve);
    const t = await forgeToken({ cpak, rak, rakHash, rawRak });
    const v = await verify(t.bytes, { roots: { cca: await pem(cpak.publicKey) }, policy: { reportData: "5a".repeat(32) } });
    assert.ok(v.ok, `${platformCurve}/${realmCurve}: ${v.decidedBy}\n${t.diag}`);
    const name = { "P-256": "ES256", "P-384": "ES384", "P-521": "ES512" };
    assert.match(checkOf(v, "cca.platformSignature").detail, `${name[platformCurve]} signature verifies`);
    assert.match(checkOf(v, "cca.realmSignature").detail, `${name[realmCurve]} signature verifies`);
    assert.match(checkOf(v, "cca.binding").detail, `= ${rakHash}(realm RAK`);
  }
});

test("a protected alg that does not match the key's curve, or is not ES256/384/512, is a failing check naming it", async () => {
  const cpak = await keyPair("P-384"), rak = await keyPair("P-384");
  const roots = { cca: await pem(cpak.publicKey) };
  const policy = { reportData: "5a".repeat(32) };
  let v = await verify((await forgeToken({ cpak, rak, realmAlg: -7 })).bytes, { roots, policy });
  assert.match(checkOf(v, "cca.realmSignature").detail, "ES256 needs a P-256 key; this key is P-384");
  v = await verify((await forgeToken({ cpak, rak, realmAlg: -8 })).bytes, { roots, policy });
  assert.match(checkOf(v, "cca.realmSignature").detail, "COSE alg -8 (EdDSA) is not one tsmkit verifies");
  v = await verify((await forgeToken({ cpak, rak, platformAlg: -37 })).bytes, { roots, policy });
  assert.match(checkOf(v, "cca.platformSignature").detail, "COSE alg -37 (PS256) is not one tsmkit verifies");
  v = await verify((await forgeToken({ cpak, rak, platformAlg: -36 })).bytes, { roots, policy });
  assert.match(checkOf(v, "cca.platformSignature").detail, "the platform token is ES512, which needs a P-521 key; roots.cca has only P-384");
});

test("an unknown RAK hash algorithm fails the binding naming it", async () => {
  const cpak = await keyPair("P-256"), rak = await keyPair("P-256");
  const t = await forgeToken({ cpak, rak, rakHash: "sha3-256", challenge: new Uint8Array(32) });
  const v = await verify(t.bytes, { roots: { cca: await pem(cpak.publicKey) }, policy: { reportData: "5a".repeat(32) } });
  assert.is(v.decidedBy, "cca.binding");
  assert.match(checkOf(v, "cca.binding").detail, "realm RAK hash algorithm sha3-256 is not sha-256, sha-384 or sha-512");
});

// ---- policy ---------------------------------------------------------------------------------

const REALM2 = () => TOKENS.find((x) => x.token.endsWith("tfm-tools-cca-example-token-realm2.cbor"));

test("policy.reportData: the nonce is required (supply), compared zero-padded to 64 bytes", async () => {
  const t = REALM2();
  const claims = decode(t.bytes).realm.claims;
  let v = await verify(t.bytes, { roots: { cca: t.pem } });
  assert.is(v.decidedBy, "policy.reportData");
  assert.equal(checkOf(v, "policy.reportData").supply, ["policy.reportData"]);
  v = await check(t, { policy: { reportData: claims.challenge.slice(0, 62) + "00" } });
  assert.is(v.decidedBy, "policy.reportData");
  assert.match(checkOf(v, "policy.reportData").detail, "differs at byte 31");
  // a 32-byte inblob, zero-padded by the RMM: the forged token's challenge is 32 x 5a then zeros
  const cpak = await keyPair("P-256"), rak = await keyPair("P-256");
  const f = await forgeToken({ cpak, rak });
  const roots = { cca: await pem(cpak.publicKey) };
  assert.ok((await verify(f.bytes, { roots, policy: { reportData: "5a".repeat(32) } })).ok);
  assert.ok((await verify(f.bytes, { roots, policy: { reportData: "5a".repeat(32) + "00".repeat(32) } })).ok);
  assert.is((await verify(f.bytes, { roots, policy: { reportData: "5a".repeat(31) } })).decidedBy, "policy.reportData");
});

test("policy.cca.rim, rems, personalizationValue: pinned values pass, others fail naming the claim", async () => {
  const t = REALM2();
  const r = decode(t.bytes).realm.claims;
  const pass = await check(t, { policy: { cca: { rim: [r.initialMeasurement], rems: [r.extensibleMeasurements[0], null, null, [r.extensibleMeasurements[3], "00"]], personalizationValue: r.personalizationValue } } });
  assert.ok(pass.ok, pass.decidedBy);
  for (const [cca, name, says] of [
    [{ rim: "00".repeat(32) }, "policy.cca.rim", "RIM 311314ab73620350.. is not the expected"],
    [{ rems: [null, null, "00".repeat(32), null] }, "policy.cca.rems", "REM[2] dac46a58415dc3a0.. is not the expected"],
    [{ personalizationValue: ["00", "11"] }, "policy.cca.personalizationValue", "is none of the 2 allowed values"],
  ]) {
    const v = await check(t, { policy: { cca } });
    assert.is(v.decidedBy, name);
    assert.match(checkOf(v, name).detail, says);
  }
});

test("policy.cca.swComponents: every component must match a reference value (measurement, and type/signerId/version when given)", async () => {
  const t = REALM2();
  const sw = decode(t.bytes).platform.claims.softwareComponents;
  const all = sw.map((c) => ({ measurement: c.measurementValue, type: c.measurementType, signerId: c.signerId }));
  assert.ok((await check(t, { policy: { cca: { swComponents: all } } })).ok);
  for (const [refs, says] of [
    [all.slice(1), `1 of ${sw.length} software components match no reference value: #0 RSE_BL1_2`],
    [[{ ...all[0], type: "OTHER" }, ...all.slice(1)], "#0 RSE_BL1_2"],
    [[{ ...all[0], signerId: "00".repeat(32) }, ...all.slice(1)], "#0 RSE_BL1_2"],
    [[{ ...all[0], version: "9.9.9" }, ...all.slice(1)], "#0 RSE_BL1_2"],
  ]) {
    const v = await check(t, { policy: { cca: { swComponents: refs } } });
    assert.is(v.decidedBy, "policy.cca.swComponents");
    assert.match(checkOf(v, "policy.cca.swComponents").detail, says);
  }
  // versions: the forged token's components carry them
  const cpak = await keyPair("P-256"), rak = await keyPair("P-256");
  const f = await forgeToken({ cpak, rak });
  const refs = SW_COMPONENTS.map((s) => ({ measurement: hex(s.measurement), version: s.version }));
  const roots = { cca: await pem(cpak.publicKey) };
  assert.ok((await verify(f.bytes, { roots, policy: { reportData: "5a".repeat(32), cca: { swComponents: refs } } })).ok);
  const v = await verify(f.bytes, { roots, policy: { reportData: "5a".repeat(32), cca: { swComponents: [{ ...refs[0], version: "1.2.4" }, refs[1]] } } });
  assert.match(checkOf(v, "policy.cca.swComponents").detail, "#0 BL");
});

test("policy.cca.lifecycle: a platform that is not secured fails, unless allowNonSecuredLifecycle (then marked waived)", async () => {
  const cpak = await keyPair("P-384"), rak = await keyPair("P-384");
  const t = await forgeToken({ cpak, rak, lifecycle: 0x5001 }); // recoverable CCA platform RoT debug
  const opts = { roots: { cca: await pem(cpak.publicKey) } };
  let v = await verify(t.bytes, { ...opts, policy: { reportData: "5a".repeat(32) } });
  assert.is(v.decidedBy, "policy.cca.lifecycle");
  assert.match(checkOf(v, "policy.cca.lifecycle").detail, "recoverable-cca-platform-rot-debug (0x5001) is not secured (cca.allowNonSecuredLifecycle accepts it)");
  v = await verify(t.bytes, { ...opts, policy: { reportData: "5a".repeat(32), cca: { allowNonSecuredLifecycle: true } } });
  assert.ok(v.ok);
  assert.is(checkOf(v, "policy.cca.lifecycle").waived, true);
  assert.match(checkOf(v, "policy.cca.lifecycle").detail, /^WAIVED by policy cca.allowNonSecuredLifecycle/);
});

test("policy.cca.profiles: both tokens' profiles must be listed (null = a realm without one); by default, profiles tsmkit has rules for", async () => {
  const legacy = TOKENS.find((x) => x.token.endsWith("ccatoken-tf-rmm-token-tag399.cbor"));
  assert.ok((await check(legacy, { policy: { cca: { profiles: ["http://arm.com/CCA-SSD/1.0.0", null] } } })).ok);
  let v = await check(legacy, { policy: { cca: { profiles: ["http://arm.com/CCA-SSD/1.0.0"] } } });
  assert.is(v.decidedBy, "policy.cca.profile");
  assert.match(checkOf(v, "policy.cca.profile").detail, "realm profile (none) is not in cca.profiles");
  v = await check(REALM2(), { policy: { cca: { profiles: ["tag:arm.com,2024:realm#2.0.0"] } } });
  assert.match(checkOf(v, "policy.cca.profile").detail, "platform profile tag:arm.com,2023:cca_platform#1.0.0 is not in cca.profiles");
  // an unknown platform profile: claims kept undecoded, so no rules to read them by
  const cpak = await keyPair("P-256"), rak = await keyPair("P-256");
  const t = await forgeToken({ cpak, rak, platformProfile: "tag:example.com,2030:cca_platform#9.0.0" });
  v = await verify(t.bytes, { roots: { cca: await pem(cpak.publicKey) }, policy: { reportData: "5a".repeat(32) } });
  assert.not.ok(v.ok);
  assert.match(checkOf(v, "policy.cca.profile").detail, "platform profile tag:example.com,2030:cca_platform#9.0.0 has no claim rules in tsmkit");
});

test("a bad policy.cca throws PolicyError naming the key", async () => {
  const t = REALM2();
  for (const [cca, field] of [
    [{ rimm: "00" }, "cca.rimm"], [{ rim: "xyz" }, "cca.rim"], [{ rems: ["00"] }, "cca.rems"], [{ rems: [null, null, null, "zz"] }, "cca.rems.3"],
    [{ swComponents: [] }, "cca.swComponents"], [{ swComponents: [{ type: "BL" }] }, "cca.swComponents.0.measurement"],
    [{ swComponents: [{ measurement: "00", typo: 1 }] }, "cca.swComponents.0.typo"], [{ allowNonSecuredLifecycle: "yes" }, "cca.allowNonSecuredLifecycle"],
    [{ profiles: [] }, "cca.profiles"], [[], "cca"],
  ]) {
    const e = await check(t, { policy: { cca } }).then(() => null, (x) => x);
    assert.instance(e, PolicyError, JSON.stringify(cca));
    assert.is(e.field, field);
  }
});

test.run();
