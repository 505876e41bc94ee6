// Arm CCA claims-sets: the realm token's and the platform token's COSE_Sign1 payloads, and the
// bare claims maps (formats cca-realm-claims / cca-platform-claims). The declared profile picks
// the rules: which claims are mandatory and how the realm public key is encoded. An unknown
// profile is reported with every claim kept undecoded, never read under guessed rules.
import { T } from "./layout";
import { E, fail } from "./error";
import { open, openArray, close, bytes, computed, str, fieldPath, inPtr } from "./table";
import { M, major, arg, headLen, next, headOf, skip, checkExact, textIs, intAt } from "./cbor";
import { K, Row, row, DIGEST, decodeMap, wrongType, emitBytes, emitInt } from "./cbor_map";

// Rule sets, one bit each: a row's `mandatory` names those that require it.
const LEGACY: u32 = 1, V1: u32 = 2, V2: u32 = 4, ALL: u32 = 7;
const RULE_NAMES = ["unknown", "legacy", "1.0", "", "2.0"];

// Kinds this file decodes (cbor_map.ts K.SPECIAL and up).
const LIFECYCLE: u32 = K.SPECIAL, SW_COMPONENTS: u32 = K.SPECIAL + 1, TBB_ROTPK: u32 = K.SPECIAL + 2,
  REMS: u32 = K.SPECIAL + 3, RAK: u32 = K.SPECIAL + 4, MEC_POLICY: u32 = K.SPECIAL + 5;

const PROFILE_KEY: i64 = 265;
const PROFILE = row(PROFILE_KEY, "profile", K.TEXT, ALL);

// Realm claims: Arm RMM specification (DEN0137) A7.2.3.2 "Realm claims"; realm#2.0.0 (RMM 2.0)
// adds the realm instance ID (256) and the MEC policy (44243: an integer now, text in 2025).
// Without a profile (RMM 1.0) the public key is a raw EC point; with one, a COSE_Key.
const REALM_V1 = "tag:arm.com,2023:realm#1.0.0";
const REALM_V2 = "tag:arm.com,2024:realm#2.0.0";
const REALM = [
  row(PROFILE_KEY, "profile", K.TEXT, V1 | V2),
  row(10, "challenge", K.BYTES, ALL, 64),
  row(256, "instanceId", K.BYTES, V2),
  row(44235, "personalizationValue", K.BYTES, ALL, 64),
  row(44238, "initialMeasurement", K.BYTES, ALL, DIGEST),
  row(44239, "extensibleMeasurements", REMS, ALL),
  row(44236, "hashAlgorithmId", K.TEXT, ALL),
  row(44237, "publicKey", RAK, ALL),
  row(44240, "publicKeyHashAlgorithmId", K.TEXT, ALL),
  row(44243, "mecPolicy", MEC_POLICY, V2),
];
const REM_COUNT: u64 = 4;

// Platform claims: draft-ffm-rats-cca-token (CCA platform claims), legacy profile
// http://arm.com/CCA-SSD/1.0.0 and 1.0.0 alike; 2.0.0 (draft -03) makes the client ID mandatory
// and adds manufacturing config, extension devices, TBB RoTPK and peer signers.
const PLATFORM_LEGACY = "http://arm.com/CCA-SSD/1.0.0";
const PLATFORM_V1 = "tag:arm.com,2023:cca_platform#1.0.0";
const PLATFORM_V2 = "tag:arm.com,2024:cca_platform#2.0.0";
const PLATFORM = [
  PROFILE,
  row(10, "challenge", K.BYTES, ALL, DIGEST),
  row(2396, "implementationId", K.BYTES, ALL, 32),
  row(256, "instanceId", K.BYTES, ALL, 33),
  row(2401, "config", K.BYTES, ALL),
  row(2395, "lifecycle", LIFECYCLE, ALL),
  row(2399, "softwareComponents", SW_COMPONENTS, ALL),
  row(2400, "verificationServiceIndicator", K.TEXT),
  row(2402, "hashAlgorithmId", K.TEXT, ALL),
  row(2394, "clientId", K.INT, V2),
  row(2403, "manufacturingConfig", K.BYTES),
  row(2404, "extension", K.ANY), // extension devices: kept as they are, not decoded yet
  row(2405, "tbbRotpk", TBB_ROTPK),
  row(2406, "peerSigners", K.BYTES),
];

// Software component (PSA attestation token, draft-tschofenig-rats-psa-token section 4.4.1).
const SW_COMPONENT = [
  row(1, "measurementType", K.TEXT),
  row(2, "measurementValue", K.BYTES, 1),
  row(4, "version", K.TEXT),
  row(5, "signerId", K.BYTES, 1),
  row(6, "measurementDescription", K.TEXT),
];

// TBB RoTPK item (draft-ffm-rats-cca-token-03): description ("CM", "DM"), the active RoTPK array,
// the index in it, and the key's hash.
const TBB_ROTPK_ITEM = [
  row(1, "description", K.TEXT, 1),
  row(2, "activeArrayIndex", K.INT, 1),
  row(3, "index", K.INT, 1),
  row(4, "hash", K.BYTES, 1, DIGEST),
];

// COSE_Key of an EC2 key (RFC 9052 section 7, RFC 9053 section 7.1.1).
const COSE_KEY = [
  row(1, "kty", K.INT, 1),
  row(-1, "crv", K.INT, 1),
  row(-2, "x", K.BYTES, 1),
  row(-3, "y", K.ANY),
];

// Platform lifecycle (draft-ffm-rats-cca-token): the high byte names the state, 0x00-0x60.
const LIFECYCLE_STATES = ["unknown", "assembly-and-test", "cca-platform-rot-provisioning", "secured",
  "non-cca-platform-rot-debug", "recoverable-cca-platform-rot-debug", "decommissioned"];
const SECURED: u32 = 3;

let rules: u32 = 0; // of the claims-set being decoded (the public key's encoding depends on it)

/** The value offset of `key` in the checked map at `at`, or 0. */
function find(at: u32, key: i64): u32 {
  let p = headOf(at);
  for (let i: u64 = 0, n = arg; i < n; i++) {
    const k = intAt(p, i64.MIN_VALUE);
    skip(p);
    if (k == key) return next;
    skip(next);
    p = next;
  }
  return 0;
}

function text(at: u32): string {
  const p = headOf(at);
  return String.UTF8.decodeUnsafe(inPtr + p, <usize>arg);
}

/** Decodes the claims map filling [at, end) as a realm (or platform) claims-set. */
export function decodeClaims(at: u32, end: u32, realm: bool): bool {
  if (!checkExact(at, end, "")) return false;
  headOf(at);
  if (major != M.MAP) return wrongType("", at, "a claims map");
  const pv = find(at, PROFILE_KEY);
  let why: string;
  if (pv == 0) {
    if (!realm) return fail(E.MISSING, fieldPath("profile"), at, "missing mandatory profile (key 265) of a platform token");
    rules = LEGACY;
    why = " (a realm token without a profile follows the RMM 1.0 rules)";
  } else {
    headOf(pv);
    if (major != M.TEXT) return wrongType("profile", pv, "a text string");
    if (realm) rules = textIs(pv, REALM_V2) ? V2 : textIs(pv, REALM_V1) ? V1 : 0;
    else rules = textIs(pv, PLATFORM_V2) ? V2 : textIs(pv, PLATFORM_V1) ? V1 : textIs(pv, PLATFORM_LEGACY) ? LEGACY : 0;
    why = " for profile " + text(pv);
  }
  str("profileRules", RULE_NAMES[rules]);
  if (rules == 0) return decodeMap([PROFILE], at, 0, why, "unknownClaims");
  return decodeMap(realm ? REALM : PLATFORM, at, rules, why, "unknownClaims", special);
}

function special(r: Row, at: u32): bool {
  switch (r.kind) {
    case LIFECYCLE: return lifecycle(r.name, at);
    case SW_COMPONENTS: return maps(r.name, at, SW_COMPONENT);
    case TBB_ROTPK: return maps(r.name, at, TBB_ROTPK_ITEM);
    case REMS: return rems(r.name, at);
    case RAK: return publicKey(r.name, at);
    case MEC_POLICY: return mecPolicy(r.name, at);
  }
  return true;
}

/** {raw, state, secured}: the state is named by the value's high byte. */
function lifecycle(name: string, at: u32): bool {
  headOf(at);
  if (major != M.UINT) return wrongType(name, at, "an unsigned integer");
  const v = arg;
  const state = <i32>(v >> 12);
  if (v > 0x60ff || (v & 0xf00) != 0) {
    return fail(E.BAD_VALUE, fieldPath(name), at, "lifecycle 0x" + v.toString(16) +
      " is in no state's range (0x0000-0x00ff, 0x1000-0x10ff, ... 0x6000-0x60ff)");
  }
  open(name, at, headLen);
  bytes("raw", T.CBOR_INT, at, headLen);
  str("state", LIFECYCLE_STATES[state]);
  return computed("secured", T.BOOL, state == SECURED ? 1 : 0) && close();
}

/** An array of at least one map, each decoded with `rows` (software components, TBB RoTPKs). */
function maps(name: string, at: u32, rows: Row[]): bool {
  let p = headOf(at);
  if (major != M.ARRAY) return wrongType(name, at, "an array");
  const n = arg;
  if (n == 0) return fail(E.BAD_LENGTH, fieldPath(name), at, name + " is an empty array");
  skip(at);
  openArray(name, at, next - at);
  for (let i: u64 = 0; i < n; i++) {
    headOf(p);
    const iName = i.toString();
    if (major != M.MAP) return wrongType(iName, p, "a map");
    skip(p);
    const end = next;
    open(iName, p, end - p);
    if (!decodeMap(rows, p, 1, "", "unknown")) return false;
    close();
    p = end;
  }
  return close();
}

/** Exactly four extensible measurements, each a digest. */
function rems(name: string, at: u32): bool {
  let p = headOf(at);
  if (major != M.ARRAY) return wrongType(name, at, "an array");
  if (arg != REM_COUNT) {
    return fail(E.BAD_LENGTH, fieldPath(name), at, "a realm has 4 extensible measurements, this token " + arg.toString());
  }
  skip(at);
  openArray(name, at, next - at);
  for (let i = 0; i < <i32>REM_COUNT; i++) {
    if (!emitBytes(i.toString(), p, DIGEST)) return false;
    skip(p); p = next;
  }
  return close();
}

/**
 * The realm public key (RAK) as its bytes (the platform challenge is their hash), then how they
 * encode it: a raw uncompressed EC point without a profile, a COSE_Key with one.
 */
function publicKey(name: string, at: u32): bool {
  const p = headOf(at);
  if (major != M.BYTES) return wrongType(name, at, "a byte string");
  const len = <u32>arg;
  if (!bytes(name, T.HEX, p, len)) return false;
  if (rules == LEGACY) {
    if (len == 0 || load<u8>(inPtr + p) != 0x04 || (len != 65 && len != 97 && len != 133)) {
      return fail(E.BAD_VALUE, fieldPath(name), p, "without a profile the realm public key is an uncompressed " +
        "EC point (0x04, then x and y: 65, 97 or 133 bytes), not these " + len.toString() + " bytes");
    }
    return str("publicKeyEncoding", "ec-point");
  }
  str("publicKeyEncoding", "cose-key");
  if (!checkExact(p, p + len, name)) return false;
  headOf(p);
  if (major != M.MAP) return wrongType(name, p, "a COSE_Key map");
  open("publicKeyCoseKey", p, len);
  return decodeMap(COSE_KEY, p, 1, "", "other") && close();
}

/** The MEC policy, and which form the token used: "integer" (RMM 2.0) or "text" (2025 drafts). */
function mecPolicy(name: string, at: u32): bool {
  const p = headOf(at);
  if (major == M.UINT) return emitInt(name, at, true) && str("mecPolicyForm", "integer");
  if (major == M.TEXT) return bytes(name, T.TEXT, p, <u32>arg) && str("mecPolicyForm", "text");
  return wrongType(name, at, "an unsigned integer or a text string");
}
