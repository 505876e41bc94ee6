// Arm CCA attestation token (what arm_cca_guest's outblob holds): a collection of the platform
// token (44234) and the realm token (44241), each a COSE_Sign1, in one of two forms:
//   legacy (RMM 1.0, TF-RMM before 2025-05):  #6.399({44234: bstr, 44241: bstr})
//   CMW collection (draft-ietf-rats-msg-wrap): #6.907({44234: [263, bstr], 44241: [263, bstr]})
// 263 is the CoAP content format of an EAT in a COSE_Sign1 (application/eat+cwt). The byte
// strings hold the COSE_Sign1s; a token put there unwrapped (a tag 18 item) is refused.
import { T } from "./layout";
import { E, fail } from "./error";
import { open, close, bytes, str, fieldPath } from "./table";
import { M, major, arg, headLen, next, head, headOf, skip, checkExact, intAt, keyName, majorName, newInput } from "./cbor";
import { wrongType } from "./cbor_map";
import { decodeSign1 } from "./cose";
import { decodeClaims } from "./cca_claims";

const LEGACY_TAG: u64 = 399;
const CMW_TAG: u64 = 907;
const PLATFORM_KEY: i64 = 44234;
const REALM_KEY: i64 = 44241;
const EAT_CWT: u64 = 263;

function platformClaims(at: u32, end: u32): bool { return decodeClaims(at, end, false); }
function realmClaims(at: u32, end: u32): bool { return decodeClaims(at, end, true); }

export function decodeCcaToken(len: u32): bool {
  newInput();
  if (!head(0, len, "")) return false;
  if (major != M.TAG || (arg != CMW_TAG && arg != LEGACY_TAG)) {
    return fail(E.UNSUPPORTED_TYPE, "", 0, (major == M.TAG ? "CBOR tag " + arg.toString() +
      (arg == 18 ? " (a bare COSE_Sign1)" : "") : majorName(major)) +
      " is not a CCA token collection: tag 907 (CMW) or 399 (legacy) of the platform and realm tokens");
  }
  const cmw = arg == CMW_TAG;
  const m = headLen;
  if (!checkExact(m, len, "")) return false;
  let p = headOf(m);
  if (major != M.MAP) return wrongType("", m, "a map of the platform and realm tokens");
  let platform: u32 = 0, realm: u32 = 0;
  for (let i: u64 = 0, n = arg; i < n; i++) {
    const k = intAt(p, 0);
    skip(p);
    if (k == PLATFORM_KEY) platform = next;
    else if (k == REALM_KEY) realm = next;
    else {
      return fail(E.UNSUPPORTED_TYPE, keyName(p), p, "collection entry " + keyName(p) +
        " is neither the platform (44234) nor the realm (44241) token");
    }
    skip(next);
    p = next;
  }
  if (!platform) return fail(E.MISSING, "platform", m, "the collection has no platform token (44234)");
  if (!realm) return fail(E.MISSING, "realm", m, "the collection has no realm token (44241)");
  str("format", "cca-token");
  str("collection", cmw ? "cmw" : "legacy");
  return token("platform", platform, cmw, platformClaims) && token("realm", realm, cmw, realmClaims);
}

/** One collection entry: [263, bstr] (CMW) or bstr (legacy), the bstr holding a COSE_Sign1. */
function token(name: string, at: u32, cmw: bool, claims: (at: u32, end: u32) => bool): bool {
  let v = at;
  let type: u32 = 0, typeLen: u32 = 0;
  if (cmw) {
    const p = headOf(at);
    if (major != M.ARRAY || arg != 2) {
      return fail(E.UNSUPPORTED_TYPE, fieldPath(name), at, "a CMW collection entry is [content format, byte string], not " +
        (major == M.ARRAY ? "an array of " + arg.toString() : majorName(major)));
    }
    headOf(p);
    if (major != M.UINT || arg != EAT_CWT) {
      return fail(E.UNSUPPORTED_TYPE, fieldPath(name + ".contentFormat"), p, "content format " +
        (major == M.UINT ? arg.toString() : majorName(major)) + " is not 263 (a COSE_Sign1 EAT)");
    }
    type = p; typeLen = headLen;
    skip(p);
    v = next;
  }
  const q = headOf(v);
  if (major != M.BYTES) {
    return fail(E.UNSUPPORTED_TYPE, fieldPath(name), v, "the " + name + " token is " + majorName(major) +
      (major == M.TAG ? " " + arg.toString() : "") + ", not a byte string holding its COSE_Sign1");
  }
  const len = <u32>arg;
  open(name, q, len);
  if (cmw) bytes("contentFormat", T.CBOR_INT, type, typeLen);
  if (!decodeSign1(q, q + len, claims)) return false;
  return close();
}

/** A bare (unsigned) claims-set: formats cca-realm-claims and cca-platform-claims. */
export function decodeCcaClaims(len: u32, realm: bool): bool {
  newInput();
  str("format", realm ? "cca-realm-claims" : "cca-platform-claims");
  open("claims", 0, len);
  return decodeClaims(0, len, realm) && close();
}
