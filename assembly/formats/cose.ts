// COSE_Sign1 (RFC 9052 section 4.2), decoded, not verified: the signature is checked by the
// hosts (WebCrypto), which take the signed bytes by locate(): `protected` and `claims` are the
// contents of the protected-header and payload byte strings that Sig_structure covers.
//   COSE_Sign1 = #6.18([protected: bstr .cbor header_map, unprotected: header_map,
//                       payload: bstr, signature: bstr])   (tag 18 optional)
import { T } from "./layout";
import { E, fail } from "./error";
import { open, close, bytes, computed, fieldPath } from "./table";
import { M, major, arg, headLen, next, head, headOf, checkExact, skip, emitAny, majorName } from "./cbor";
import { K, row, decodeMap, wrongType } from "./cbor_map";

const COSE_SIGN1_TAG: u64 = 18;

// RFC 9052 section 3.1, common header parameters: alg (1) is mandatory for a signed token.
const PROTECTED = [
  row(1, "alg", K.INT, 1),
  row(3, "contentType", K.ANY),
];

/** Decodes the payload byte string's content [at, end) and emits it (a claims-set decoder). */
export type Payload = (at: u32, end: u32) => bool;

/** Decodes the COSE_Sign1 filling [at, end), emitting its parts into the open group. */
export function decodeSign1(at: u32, end: u32, payload: Payload): bool {
  if (!head(at, end, "")) return false;
  const tagged = major == M.TAG;
  if (tagged && arg != COSE_SIGN1_TAG) {
    return fail(E.UNSUPPORTED_TYPE, fieldPath(""), at, "CBOR tag " + arg.toString() + " is not COSE_Sign1 (18)");
  }
  const array = tagged ? at + headLen : at;
  if (!head(array, end, "")) return false;
  if (major != M.ARRAY || arg != 4) {
    return fail(E.UNSUPPORTED_TYPE, fieldPath(""), array, "a COSE_Sign1 is an array of 4, not " +
      (major == M.ARRAY ? "an array of " + arg.toString() : majorName(major)));
  }
  if (!checkExact(at, end, "")) return false;
  let p = headOf(array);
  computed("tagged", T.BOOL, tagged ? 1 : 0);
  // protected: a byte string holding a header map (empty when there are no protected headers)
  let q = headOf(p);
  if (major != M.BYTES) return wrongType("protected", p, "a byte string");
  let len = <u32>arg;
  open("protected", q, len);
  if (len == 0) return fail(E.MISSING, fieldPath("alg"), q, "missing mandatory alg (key 1): the protected header is empty");
  if (!checkExact(q, q + len, "")) return false;
  headOf(q);
  if (major != M.MAP) return wrongType("", q, "a header map");
  if (!decodeMap(PROTECTED, q, 1, "", "other")) return false;
  close();
  skip(p); p = next;
  // unprotected: a header map, kept as it is
  headOf(p);
  if (major != M.MAP) return wrongType("unprotected", p, "a header map");
  if (!emitAny("unprotected", p)) return false;
  p = next;
  // payload: the claims-set (a detached payload, nil, has nothing to decode)
  q = headOf(p);
  if (major != M.BYTES) return wrongType("claims", p, "a byte string (the attached payload)");
  len = <u32>arg;
  open("claims", q, len);
  if (!payload(q, q + len)) return false;
  close();
  p = q + len;
  q = headOf(p);
  if (major != M.BYTES) return wrongType("signature", p, "a byte string");
  return bytes("signature", T.HEX, q, <u32>arg);
}
