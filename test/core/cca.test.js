import { test } from "uvu";
import * as assert from "uvu/assert";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { DATA, data, expected } from "../data.js";
import { prng } from "../prng.js";
import { decode, render, locate, DecodeError } from "../../hosts/js/decode.js";
import { view } from "../../hosts/js/view.js";

// Arm CCA tokens and claims-sets (../shared/data/cca): decoded to the values MANIFEST.md and
// expected.json give, negatives refused with the reason their sources assert.

const FILES = readdirSync(join(DATA, "cca")).filter((f) => f.endsWith(".cbor")).map((f) => `cca/${f}`);
const formatOf = (f) => /realm-v2-claims/.test(f) ? "cca-realm-claims" : /platform-v2-claims/.test(f) ? "cca-platform-claims" : "cca-token";
const TOKENS = FILES.filter((f) => formatOf(f) === "cca-token");

function refused(fn) {
  try {
    fn();
  } catch (e) {
    if (e instanceof DecodeError) return e;
    throw e;
  }
  assert.unreachable("decoded");
}
const hex = (s) => Uint8Array.from(Buffer.from(s.replace(/\s/g, ""), "hex"));
const repeat = (byte, n) => Buffer.alloc(n, byte).toString("hex");

test("the corpus has the CCA files MANIFEST.md lists (16 CBOR files: 10 tokens, 6 claims-sets)", () => {
  assert.is(FILES.length, 16);
  assert.is(TOKENS.length, 10);
});

// ---- expected.json: tokens ------------------------------------------------------------------

/** Claim key -> decoded name, for expected.json's claim_N and claim_keys. */
const REALM_NAMES = { 10: "challenge", 256: "instanceId", 265: "profile", 44235: "personalizationValue",
  44236: "hashAlgorithmId", 44237: "publicKey", 44238: "initialMeasurement", 44239: "extensibleMeasurements",
  44240: "publicKeyHashAlgorithmId", 44243: "mecPolicy" };
const PLATFORM_NAMES = { 10: "challenge", 256: "instanceId", 265: "profile", 2394: "clientId", 2395: "lifecycle",
  2396: "implementationId", 2399: "softwareComponents", 2400: "verificationServiceIndicator", 2401: "config",
  2402: "hashAlgorithmId", 2403: "manufacturingConfig", 2404: "extension", 2405: "tbbRotpk", 2406: "peerSigners" };
/** The claim keys a decoded claims group holds (known names mapped back, unknown ones as given). */
function claimKeys(claims, names) {
  const byName = Object.fromEntries(Object.entries(names).map(([k, n]) => [n, Number(k)]));
  const keys = Object.keys(claims).filter((n) => n in byName).map((n) => byName[n]);
  return [...keys, ...Object.keys(claims.unknownClaims ?? {}).map(Number)].sort((a, b) => a - b);
}

function checkPlatform(p, want) {
  assert.is(p.protected.alg, want.cose_alg);
  assert.is(p.tagged, want.cose_sign1_tag18);
  const c = p.claims;
  assert.is(c.profile, want.profile);
  assert.is(c.challenge, want.challenge);
  assert.is(c.implementationId, want.implementation_id);
  assert.is(c.instanceId, want.instance_id);
  assert.is(c.lifecycle.raw, want.lifecycle);
  assert.is(c.config, want.config);
  assert.is(c.hashAlgorithmId, want.hash_alg);
  assert.is(c.verificationServiceIndicator, want.verification_service);
  assert.is(c.softwareComponents.length, want.sw_components);
  assert.equal(c.softwareComponents.map((s) => s.measurementType), want.sw_component_types);
  assert.equal(claimKeys(c, PLATFORM_NAMES), want.claim_keys);
}

function checkRealm(r, want) {
  assert.is(r.protected.alg, want.cose_alg);
  assert.is(r.tagged, want.cose_sign1_tag18);
  const c = r.claims;
  assert.is(c.profile ?? null, want.profile);
  assert.is(c.profileRules, { null: "legacy", "tag:arm.com,2023:realm#1.0.0": "1.0", "tag:arm.com,2024:realm#2.0.0": "2.0" }[want.profile]);
  assert.is(c.challenge, want.challenge);
  assert.is(c.instanceId ?? null, want.instance_id);
  assert.is(c.personalizationValue, want.personalization);
  assert.is(c.hashAlgorithmId, want.hash_alg);
  assert.is(c.publicKeyHashAlgorithmId, want.rak_hash_alg);
  assert.is(c.publicKeyEncoding, { cose_key: "cose-key", raw_sec1: "ec-point" }[want.rak_encoding]);
  const x = c.publicKeyEncoding === "cose-key" ? c.publicKeyCoseKey.x : c.publicKey.slice(2, 2 + want.rak_x.length);
  assert.is(x, want.rak_x);
  assert.is(c.initialMeasurement, want.rim);
  assert.equal(c.extensibleMeasurements, want.rem);
  assert.is(c.mecPolicy ?? null, want.mec_policy);
  assert.is(c.mecPolicyForm ?? null, { int: "integer", text: "text", null: null }[want.mec_policy_form]);
  if (want.claim_44241 !== undefined) assert.equal(c.unknownClaims, { 44241: want.claim_44241 });
  assert.equal(claimKeys(c, REALM_NAMES), want.claim_keys);
}

for (const [file, want] of Object.entries(expected).filter(([f, w]) => f.startsWith("cca/") && w.format === "cca-token")) {
  test(`${file} decodes to expected.json's values`, () => {
    const t = decode(data(file));
    assert.is(t.format, "cca-token");
    assert.is(t.collection, { 907: "cmw", 399: "legacy" }[want.top_tag]);
    assert.is(t.platform.contentFormat, want.cmw_content_type);
    assert.is(t.realm.contentFormat, want.cmw_content_type);
    checkPlatform(t.platform, want.platform);
    checkRealm(t.realm, want.realm);
  });
}

// ---- MANIFEST.md rows without an expected.json entry ----------------------------------------

test("ccatoken good tokens (CMW and legacy): MANIFEST's synthetic claims", () => {
  for (const [file, collection] of [["cca/ccatoken-good-cmw-collection.cbor", "cmw"], ["cca/ccatoken-good-legacy-tag399.cbor", "legacy"]]) {
    const t = decode(data(file));
    assert.is(t.collection, collection);
    assert.is(t.platform.protected.alg, -7);
    assert.is(t.realm.protected.alg, -35);
    const p = t.platform.claims, r = t.realm.claims;
    assert.is(p.profile, "tag:arm.com,2023:cca_platform#1.0.0");
    assert.ok(p.challenge.startsWith("f7951be801fe7eb0fc3956107058c916"));
    assert.is(p.implementationId, repeat(0, 32));
    assert.ok(p.instanceId.startsWith("0102"));
    assert.equal(p.lifecycle, { raw: 0x3000, state: "secured", secured: true });
    assert.is(p.config, "010203");
    assert.is(p.verificationServiceIndicator, "https://veraison.example/v1/challenge-response");
    assert.is(r.profile, "tag:arm.com,2023:realm#1.0.0");
    assert.is(r.challenge, Buffer.from("AB".repeat(32)).toString("hex"));
    assert.is(r.personalizationValue, Buffer.from("AD".repeat(32)).toString("hex"));
    assert.is(r.initialMeasurement, Buffer.from("C".repeat(64)).toString("hex"));
    assert.equal(r.extensibleMeasurements, Array(4).fill(r.initialMeasurement));
    assert.is(r.hashAlgorithmId, "sha-256");
    assert.is(r.publicKeyHashAlgorithmId, "sha-512");
    assert.is(r.publicKeyEncoding, "cose-key");
    assert.is(r.mecPolicy, undefined);
  }
});

test("TF-RMM and trustee tokens: legacy profiles, raw RAK, MANIFEST's claims", () => {
  const rows = [
    ["cca/ccatoken-rmm-legacy-evidence-cmw.cbor", "cmw", "0".repeat(64), "ab".repeat(64)],
    ["cca/ccatoken-tf-rmm-token-tag399.cbor", "legacy", "0".repeat(64), "ab".repeat(64)],
    ["cca/trustee-cca-example-token.cbor", "legacy", "ae87fbf7f105e71a7827cb6f0896889c", "57e979ae2618de0c1ab73144c440d741"],
  ];
  for (const [file, collection, rim, challenge] of rows) {
    const t = decode(data(file));
    assert.is(t.collection, collection, file);
    assert.is(t.platform.protected.alg, -35);
    assert.is(t.realm.protected.alg, -35);
    assert.is(t.platform.claims.profile, "http://arm.com/CCA-SSD/1.0.0");
    assert.is(t.platform.claims.profileRules, "legacy");
    assert.ok(t.platform.claims.challenge.startsWith("b5973cb68baa9fc55558786b7ec67f69"), file);
    assert.is(t.realm.claims.profile, undefined);
    assert.is(t.realm.claims.profileRules, "legacy");
    assert.is(t.realm.claims.publicKeyEncoding, "ec-point");
    assert.is(t.realm.claims.publicKey.length, 2 * 97);
    assert.ok(t.realm.claims.initialMeasurement.startsWith(rim), file);
    assert.ok(t.realm.claims.challenge.startsWith(challenge), file);
  }
  const rmm = decode(data("cca/ccatoken-tf-rmm-token-tag399.cbor"));
  assert.is(rmm.platform.claims.lifecycle.raw, 0x3003);
  // MANIFEST's row says implementation id 0x07060504..; the bytes (and expected.json's entry for
  // the same claims, tfm-tools-cca-token-mec-at-44241) have 7f454c46.. there and 0107.. as config.
  const same = expected["cca/tfm-tools-cca-token-mec-at-44241.cbor"].platform;
  assert.is(rmm.platform.claims.implementationId, same.implementation_id);
  assert.is(rmm.platform.claims.config, same.config);
  assert.is(rmm.platform.claims.verificationServiceIndicator, "whatever.com");
  assert.is(decode(data("cca/trustee-cca-example-token.cbor")).realm.claims.hashAlgorithmId, "sha-512");
  assert.ok(Buffer.from(rmm.realm.claims.personalizationValue, "hex").toString().startsWith("The quick brown fox jumps over 13 lazy dogs."));
});

test("an unwrapped CMW entry (a tag-18 COSE_Sign1 where the bstr goes) is refused", () => {
  const e = refused(() => decode(data("cca/ccatoken-bad-unwrapped-tokens.cbor")));
  assert.is(e.code, "UNSUPPORTED_TYPE");
  assert.is(e.format, "cca-token");
  assert.is(e.field, "platform");
  assert.match(e.detail, /tag 18, not a byte string/);
});

// ---- expected.json: claims-sets ---------------------------------------------------------------

/** expected.json's claim_N value as the decoder names and shapes it. */
function decodedShape(key, value) {
  if (key === 2395) return { raw: value, state: "secured", secured: true };
  if (key === 2399) return value.map((c) => ({ measurementValue: c[2], signerId: c[5] }));
  if (key === 2405) return value.map((t) => ({ description: t[1], activeArrayIndex: t[2], index: t[3], hash: t[4] }));
  return value;
}

for (const [file, want] of Object.entries(expected).filter(([f, w]) => f.startsWith("cca/") && w.format !== "cca-token")) {
  const names = want.format === "cca-realm-claims" ? REALM_NAMES : PLATFORM_NAMES;
  test(`${file}: ${want.source_outcome}`, () => {
    const bytes = data(file);
    if (want.source_outcome.startsWith("valid")) {
      const { format, claims } = decode(bytes, { format: want.format });
      assert.is(format, want.format);
      assert.is(claims.profileRules, "2.0");
      assert.is(claims.profile, want.profile);
      assert.equal(claimKeys(claims, names), want.claim_keys);
      for (const k of want.claim_keys.filter((k) => k !== 265)) {
        assert.equal(claims[names[k]], decodedShape(k, want[`claim_${k}`]), `${file} claim ${k}`);
      }
      if (want.format === "cca-realm-claims") assert.is(claims.mecPolicyForm, "integer");
      return;
    }
    const e = refused(() => decode(bytes, { format: want.format }));
    // The sources' reasons: ccatoken's "missing mandatory claim" and its hash length rule.
    if (/client id: missing mandatory/.test(want.source_outcome)) {
      assert.equal([e.code, e.field], ["MISSING", "claims.clientId"]);
      assert.match(e.detail, /tag:arm\.com,2024:cca_platform#2\.0\.0/);
    } else if (/MEC policy claim: missing mandatory/.test(want.source_outcome)) {
      assert.equal([e.code, e.field], ["MISSING", "claims.mecPolicy"]);
    } else {
      assert.match(want.source_outcome, /hash: wrong syntax: length 34/);
      assert.equal([e.code, e.field], ["BAD_LENGTH", "claims.tbbRotpk.0.hash"]);
      assert.match(e.detail, /34 bytes, expected 32, 48 or 64/);
    }
  });
}

test("2025 shapes decode as the older format they are, saying which MEC policy form was seen", () => {
  const text = decode(data("cca/tfm-tools-cca-example-token-realm1-mec-text.cbor")).realm.claims;
  assert.equal([text.profileRules, text.mecPolicy, text.mecPolicyForm, text.instanceId], ["1.0", "private", "text", undefined]);
  const at44241 = decode(data("cca/tfm-tools-cca-token-mec-at-44241.cbor")).realm.claims;
  assert.equal([at44241.profileRules, at44241.mecPolicy, at44241.unknownClaims], ["legacy", undefined, { 44241: "private" }]);
  // A realm#2.0.0 claims-set with the 2025 text form: accepted, the form reported.
  const all = data("cca/ccatoken-realm-v2-claims-all.cbor");
  const at = all.indexOf(Buffer.from([0x19, 0xac, 0xd3, 0x01]));
  const patched = Buffer.concat([all.subarray(0, at + 3), Buffer.from([0x67]), Buffer.from("private"), all.subarray(at + 4)]);
  const c = decode(patched, { format: "cca-realm-claims" }).claims;
  assert.equal([c.mecPolicy, c.mecPolicyForm], ["private", "text"]);
});

// ---- detection, options, locate ---------------------------------------------------------------

test("tokens are detected; claims-sets only by name; provider arm_cca_guest means cca-token", () => {
  for (const f of TOKENS.filter((f) => !/bad-unwrapped/.test(f))) {
    assert.is(decode(data(f)).format, "cca-token", f);
    assert.equal(decode(data(f), { provider: "arm_cca_guest" }), decode(data(f)), f);
  }
  assert.is(refused(() => decode(data("cca/ccatoken-bad-unwrapped-tokens.cbor"))).format, "cca-token");
  for (const f of FILES.filter((f) => !TOKENS.includes(f))) assert.is(refused(() => decode(data(f))).code, "UNKNOWN_FORMAT", f);
});

test("locate: the signed parts by offset (protected header and payload contents), the RAK's bytes", () => {
  const bytes = data("cca/tfm-tools-cca-example-token-realm2.cbor");
  const at = locate(bytes);
  const t = decode(bytes);
  for (const side of ["platform", "realm"]) {
    const [o, n] = at.get(`${side}.claims`);
    assert.is(bytes[o] >> 5, 5, "the payload content is the claims map");
    const [po, pn] = at.get(`${side}.protected`);
    assert.equal([...bytes.subarray(po, po + pn)], [0xa1, 0x01, 0x38, 0x22]); // {1: -35}
    const [so, sn] = at.get(`${side}.signature`);
    assert.is(Buffer.from(bytes.subarray(so, so + sn)).toString("hex"), t[side].signature);
    assert.ok(po < o && o + n < so);
  }
  const [ko, kn] = at.get("realm.claims.publicKey");
  assert.is(Buffer.from(bytes.subarray(ko, ko + kn)).toString("hex"), t.realm.claims.publicKey);
  assert.equal(at.get("realm.claims.extensibleMeasurements.3").slice(1), [32]);
});

test("decode() and render('json') give the same value for every CCA file, valid or refused", () => {
  for (const f of FILES) {
    const opts = { format: formatOf(f) };
    const { ok, text } = render(data(f), "json", opts);
    const want = JSON.parse(text);
    if (!ok) { assert.equal(refused(() => decode(data(f), opts)).toJSON(), want, f); continue; }
    assert.is(JSON.stringify(decode(data(f), opts)), JSON.stringify(want), f);
    assert.is(JSON.stringify(view(data(f), opts)), JSON.stringify(want), `${f} through view()`);
    assert.is(render(data(f), "pretty", opts).text, JSON.stringify(want, null, 2), f);
  }
});

test("text rendering names the lifecycle, prints integers and fits 80 columns", () => {
  const { ok, text } = render(data("cca/ccatoken-tf-rmm-token-tag399.cbor"), "text");
  assert.ok(ok);
  assert.match(text, /\n {6}raw +12291 \(0x3003\)\n {6}state +secured\n/);
  assert.match(text, /\n {4}alg +-35\n/);
  for (const f of FILES) {
    const out = render(data(f), "text", { format: formatOf(f) });
    if (!out.ok) continue; // an error is one line, however long
    for (const l of out.text.split("\n")) assert.ok(l.length <= 80, `${f}: ${l}`);
  }
  // A text claim longer than its line keeps its head and says how long it is.
  assert.match(render(data("cca/trustee-cca-example-token.cbor"), "text").text,
    /\n {4}verificationServiceIndicator {2}https:\/\/veraison\.example\/\.well- \.\.\. \(58 bytes\)\n/);
});

// ---- robustness -----------------------------------------------------------------------------

test("truncation at every byte of every CCA file is a typed TRUNCATED", () => {
  for (const f of FILES) {
    const full = data(f);
    const format = formatOf(f);
    for (let n = 0; n < full.length; n++) {
      const e = refused(() => decode(full.subarray(0, n), { format }));
      assert.is(e.code, "TRUNCATED", `${f} cut at ${n}: ${e.message}`);
      assert.ok(e.offset <= n, `${f} cut at ${n}: offset ${e.offset}`);
    }
  }
});

test("seeded corruption of every CCA file never traps: a value render agrees with, or a DecodeError", () => {
  let decoded = 0, rejected = 0;
  for (const f of FILES) {
    const rand = prng(0xcca ^ data(f).length);
    const base = data(f);
    const format = formatOf(f);
    for (let round = 0; round < 150; round++) {
      const b = Uint8Array.from(base);
      for (let i = 1 + Math.floor(rand() * 4); i > 0; i--) {
        const at = Math.floor(rand() * b.length);
        b[at] = rand() < 0.5 ? Math.floor(rand() * 256) : b[at] ^ (1 << Math.floor(rand() * 8));
      }
      const { ok, text } = render(b, "json", { format });
      let v;
      try {
        v = decode(b, { format });
      } catch (e) {
        if (!(e instanceof DecodeError)) throw new Error(`${f} round ${round}: ${e.stack}`);
        assert.not.ok(ok);
        assert.equal(e.toJSON(), JSON.parse(text));
        rejected++;
        continue;
      }
      assert.ok(ok);
      assert.is(JSON.stringify(v), JSON.stringify(JSON.parse(text)), `${f} round ${round}`);
      decoded++;
    }
  }
  assert.ok(decoded > 0 && rejected > 0, `decoded ${decoded}, rejected ${rejected}`);
});

// Hand-made CBOR for the reader's rules (RFC 8949), as claims-sets: {10: value} and the like.
const realm = (h) => decode(hex(h), { format: "cca-realm-claims" });
const tstr = (s) => Buffer.from([0x60 + s.length]).toString("hex") + Buffer.from(s).toString("hex"); // < 24 bytes
const profile = "19 0109 78 1c " + Buffer.from("tag:arm.com,2024:realm#2.0.0").toString("hex");

test("CBOR reader: indefinite lengths, floats, non-shortest heads, duplicate keys and odd keys are refused", () => {
  const rows = [ // hex, its CBOR diagnostic notation, the error
    ["bf ff", "{_ }", "UNSUPPORTED_TYPE", /indefinite-length a map/],
    ["a1 0a 5f 41 00 ff", "{10: (_ h'00')}", "UNSUPPORTED_TYPE", /indefinite-length a byte string/],
    ["a1 0a fb 3ff0000000000000", "{10: 1.0}", "UNSUPPORTED_TYPE", /floating-point/],
    ["a1 0a f7", "{10: undefined}", "UNSUPPORTED_TYPE", /simple value 23/],
    ["a1 18 0a 40", "{10_0: h''}", "BAD_VALUE", /non-shortest CBOR head: 10 in 1 bytes/],
    ["a1 0a 59 0001 00", "{10: h'00'_1}", "BAD_VALUE", /non-shortest CBOR head: 1 in 2 bytes/],
    ["a2 0a 40 0a 40", "{10: h'', 10: h''}", "BAD_VALUE", /duplicate map key at offset 3 \(first at offset 1\)/],
    ["a1 80 00", "{[]: 0}", "UNSUPPORTED_TYPE", /a map key is an array/],
    ["a1 0a 1c", "{10: <reserved ai 28>}", "BAD_VALUE", /reserved CBOR additional information 28/],
    ["a1 0a 40 00", "{10: h''} 0", "BAD_LENGTH", /1 bytes after the CBOR item/],
    ["81 00", "[0]", "UNSUPPORTED_TYPE", /is an array, expected a claims map/],
  ];
  for (const [h, diag, code, message] of rows) {
    const e = refused(() => realm(h));
    assert.is(e.code, code, diag);
    assert.match(e.detail, message, diag);
  }
});

test("CBOR reader: a nesting bomb and a huge declared length are refused at once", () => {
  const bomb = Buffer.concat([hex("a1 0a"), Buffer.alloc(1_000_000, 0x81), hex("00")]); // {10: [[[...[0]...]]]}
  const e = refused(() => decode(bomb, { format: "cca-realm-claims" }));
  assert.equal([e.code, e.offset], ["TOO_LARGE", 2 + 15]); // the claims map and 15 arrays (16 levels), not a walk of 1 MB
  // {10: h'<2^64-1 bytes>'}, {10: [<2^32-1 items>: 0 ...]}, {10: {<2^64-1 pairs>}}
  const huge = [["a1 0a 5b ffffffffffffffff", "TRUNCATED", 11], ["a1 0a 9a ffffffff 00", "TRUNCATED", 7],
    ["a1 0a bb ffffffffffffffff", "TRUNCATED", 11]];
  // Refused where the content would start, before any loop over the declared count.
  for (const [h, code, at] of huge) {
    const e = refused(() => realm(h));
    assert.equal([e.code, e.offset], [code, at], h);
  }
});

test("unknown profiles and claims are kept, never read under guessed rules; big integers stay exact", () => {
  const other = `19 0109 ${tstr("new")}`;
  // {265: "new", 10: h'07', 43981: 9007199254740992}
  assert.equal(realm(`a3 ${other} 0a 41 07 19 abcd 1b 0020000000000000`).claims, {
    profileRules: "unknown", profile: "new", unknownClaims: { 10: "07", 43981: "9007199254740992" },
  });
  // {265: "new", -257: {"k": -18446744073709551616, h'0102': null}}
  const c = realm(`a2 ${other} 39 0100 a2 61 6b 3b ffffffffffffffff 42 0102 f6`).claims;
  assert.equal(c.unknownClaims, { "-257": { k: "-18446744073709551616", "h'0102'": null } });
  // {265: "new", 20: 1, 3: 2, "b": 3, "7": 4}: members in JSON's own order (index keys ascending first),
  // so the core's pretty JSON is byte for byte JSON.stringify of the value.
  const order = hex(`a5 ${other} 14 01 03 02 ${tstr("b")} 03 ${tstr("7")} 04`);
  const v = decode(order, { format: "cca-realm-claims" });
  assert.equal(Object.keys(v.claims.unknownClaims), ["3", "7", "20", "b"]);
  assert.is(render(order, "pretty", { format: "cca-realm-claims" }).text, JSON.stringify(v, null, 2));
  assert.equal([realm(`a1 ${other}`).claims.profileRules, realm(`a1 ${profile.replace(/32(2e302e30)$/, "33$1")}`).claims.profileRules], ["unknown", "unknown"]);
});

test("a text key \"__proto__\" is a plain member in decode() and view(), as in JSON.parse", () => {
  const b = hex(`a2 19 0109 ${tstr("new")} ${tstr("__proto__")} a1 ${tstr("a")} 01`); // {265: "new", "__proto__": {"a": 1}}
  const want = JSON.parse(render(b, "json", { format: "cca-realm-claims" }).text);
  for (const v of [decode(b, { format: "cca-realm-claims" }), view(b, { format: "cca-realm-claims" }).toJSON()]) {
    assert.equal(Object.keys(v.claims.unknownClaims), ["__proto__"]);
    assert.is(Object.getPrototypeOf(v.claims.unknownClaims), Object.prototype);
    assert.is(JSON.stringify(v), JSON.stringify(want));
  }
});

test("a realm#2.0.0 claims-set missing its instance ID names it; a wrong-size challenge is BAD_LENGTH", () => {
  const e = refused(() => realm(`a1 ${profile}`));
  assert.equal([e.code, e.field], ["MISSING", "claims.challenge"]);
  const all = data("cca/ccatoken-realm-v2-claims-all.cbor");
  const at = all.indexOf(Buffer.from([0x19, 0x01, 0x00, 0x58, 0x21])); // 256: bstr(33)
  const noInstance = Buffer.concat([Buffer.from([0xa9]), all.subarray(1, at), all.subarray(at + 5 + 33)]);
  assert.equal(refused(() => decode(noInstance, { format: "cca-realm-claims" })).field, "claims.instanceId");
  const short = refused(() => realm("a1 0a 41 00"));
  assert.equal([short.code, short.field, short.offset], ["BAD_LENGTH", "claims.challenge", 2]);
});

test("collections: a bare COSE_Sign1, an empty map and unknown entries are refused with the reason", () => {
  const token = data("cca/ccatoken-good-legacy-tag399.cbor");
  const bare = refused(() => decode(hex("d2 84 40 a0 40 40"), { format: "cca-token" })); // 18([h'', {}, h'', h''])
  assert.match(bare.detail, /CBOR tag 18 \(a bare COSE_Sign1\) is not a CCA token collection/);
  const empty = refused(() => decode(hex("d9 038b a0"))); // 907({})
  assert.equal([empty.code, empty.field], ["MISSING", "platform"]);
  const unknown = refused(() => decode(hex("d9 018f a1 01 40"))); // 399({1: h''})
  assert.equal([unknown.code, unknown.field], ["UNSUPPORTED_TYPE", "1"]);
  const trailing = refused(() => decode(Buffer.concat([token, hex("00")])));
  assert.equal([trailing.code, trailing.offset], ["BAD_LENGTH", token.length]);
});

test.run();
