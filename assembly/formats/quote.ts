// Intel DCAP ECDSA quotes: SGX v3, TDX or SGX v4 and v5 (what configfs-tsm's tdx_guest provider
// returns in outblob). The signature-data length ends the quote: bytes after it (the zero padding
// of a fixed-size buffer, or anything else) are not part of the quote and are ignored;
// "quoteLength" says where the quote ends.
// Sources and byte layouts: quote_layouts.ts; certification data: quote_certs.ts.
import { T, Layout } from "./layout";
import { open, close, need, bytes, computed, str, emitLayout, u16at, u32at } from "./table";
import { E, fail } from "./error";
import {
  QUOTE_HEADER, BODY_DESCRIPTOR, TD_REPORT10, TD_REPORT15, SGX_REPORT_BODY, ECDSA_SIGNATURE,
} from "./quote_layouts";
import { decodeCertificationData, decodeQeReportCertificationData } from "./quote_certs";

const HEADER_SIZE: u32 = QUOTE_HEADER.size;
const ATT_KEY_ECDSA_P256: u32 = 2;
const TEE_SGX: u32 = 0x00;
const TEE_TDX: u32 = 0x81;
const BODY_SGX: u32 = 1;
const BODY_TD10: u32 = 2;
const BODY_TD15: u32 = 3;

function bodyLayoutOf(bodyType: u32): Layout | null {
  if (bodyType == BODY_SGX) return SGX_REPORT_BODY;
  if (bodyType == BODY_TD10) return TD_REPORT10;
  if (bodyType == BODY_TD15) return TD_REPORT15;
  return null;
}

function bodyName(bodyType: u32): string {
  if (bodyType == BODY_TD10) return "TD1.0";
  if (bodyType == BODY_TD15) return "TD1.5";
  return "SGX";
}

/** The body a v3/v4 quote implies by its TEE type (v5 says it in the body descriptor). */
function impliedBodyType(teeType: u32): u32 {
  return teeType == TEE_TDX ? BODY_TD10 : BODY_SGX;
}

function teeAllowed(version: u32, teeType: u32): bool {
  return teeType == TEE_SGX || (teeType == TEE_TDX && version >= 4);
}

/** Cheap check for detect: a known version, ECDSA P-256, a valid TEE type, room for the body. */
export function looksLikeQuote(len: u32): bool {
  // The header alone decides (version, ECDSA-P256 key, a TEE type that version allows), so a
  // quote cut short anywhere after it is still recognised and reported as TRUNCATED.
  if (len < HEADER_SIZE) return false;
  const version = u16at(0);
  if (version < 3 || version > 5) return false;
  if (u16at(2) != ATT_KEY_ECDSA_P256) return false;
  return teeAllowed(version, u32at(4));
}

function decodeHeader(): bool {
  if (!need("header", 0, HEADER_SIZE)) return false;
  const version = u16at(0);
  if (version < 3 || version > 5) {
    return fail(E.UNSUPPORTED_VERSION, "header.version", 0, "unsupported quote version " + version.toString());
  }
  const keyType = u16at(2);
  if (keyType != ATT_KEY_ECDSA_P256) {
    return fail(E.UNSUPPORTED_TYPE, "header.attestationKeyType", 2,
      "attestation key type " + keyType.toString() + " is not ECDSA P-256 (2)");
  }
  const teeType = u32at(4);
  if (!teeAllowed(version, teeType)) {
    return fail(E.UNSUPPORTED_TYPE, "header.teeType", 4, "TEE type 0x" + teeType.toString(16) +
      " is not valid in a version " + version.toString() + " quote (" +
      (version == 3 ? "SGX 0x0 only" : "SGX 0x0 or TDX 0x81") + ")");
  }
  if (!str("format", teeType == TEE_TDX ? "tdx-quote" : "sgx-quote")) return false;
  open("header", 0, HEADER_SIZE);
  if (!emitLayout(QUOTE_HEADER, 0)) return false;
  return close();
}

/** Checks and emits the v5 body descriptor; returns the body type, or 0 after an error. */
function decodeBodyDescriptor(teeType: u32): u32 {
  const o = HEADER_SIZE;
  if (!need("bodyDescriptor", o, BODY_DESCRIPTOR.size)) return 0;
  const bodyType = u16at(o);
  const size = u32at(o + 2);
  const body = bodyLayoutOf(bodyType);
  if (body === null) {
    fail(E.UNSUPPORTED_TYPE, "bodyDescriptor.type", o, "unknown quote body type " + bodyType.toString());
    return 0;
  }
  if ((bodyType != BODY_SGX) != (teeType == TEE_TDX)) {
    fail(E.UNSUPPORTED_TYPE, "bodyDescriptor.type", o, "body type " + bodyType.toString() + " (" +
      bodyName(bodyType) + ") does not match TEE type 0x" + teeType.toString(16));
    return 0;
  }
  if (size != body.size) {
    fail(E.BAD_LENGTH, "bodyDescriptor.size", o + 2, "body size is " + size.toString() + ", a type " +
      bodyType.toString() + " (" + bodyName(bodyType) + ") body is " + body.size.toString() + " bytes");
    return 0;
  }
  open("bodyDescriptor", o, BODY_DESCRIPTOR.size);
  if (!emitLayout(BODY_DESCRIPTOR, o)) return 0;
  close();
  return bodyType;
}

function decodeBody(bodyType: u32, o: u32): bool {
  const body = changetype<Layout>(bodyLayoutOf(bodyType));
  if (!need("body", o, body.size)) return false;
  open("body", o, body.size);
  if (!str("bodyType", bodyName(bodyType))) return false;
  if (!emitLayout(body, o)) return false;
  return close();
}

/**
 * Signature data: u32 length at `o`, then signature, attestation key and, for v3, the QE report
 * certification data inline; for v4/v5, certification data (normally type 6 wrapping the same).
 * Returns where the quote ends, or 0 after an error.
 */
function decodeSignatureData(version: u32, o: u32): u32 {
  if (!need("signatureData.length", o, 4)) return 0;
  const length = u32at(o);
  const start = o + 4;
  if (!need("signatureData", start, length)) return 0;
  const end = start + length;
  if (length < ECDSA_SIGNATURE.size) {
    fail(E.BAD_LENGTH, "signatureData.length", o, "signature data length " + length.toString() +
      " is shorter than its " + ECDSA_SIGNATURE.size.toString() + "-byte signature and attestation key");
    return 0;
  }
  open("signatureData", start, length);
  if (!bytes("length", T.U32, o, 4)) return 0;
  if (!emitLayout(ECDSA_SIGNATURE, start)) return 0;
  const rest = start + ECDSA_SIGNATURE.size;
  const ok = version == 3
    ? decodeQeReportCertificationData(rest, end)
    : decodeCertificationData(rest, end, false);
  if (!ok) return 0;
  close();
  return end;
}

export function decodeQuote(len: u32): bool {
  if (!decodeHeader()) return false;
  const version = u16at(0);
  const teeType = u32at(4);
  let bodyType = impliedBodyType(teeType);
  let bodyStart = HEADER_SIZE;
  if (version == 5) {
    bodyType = decodeBodyDescriptor(teeType);
    if (bodyType == 0) return false;
    bodyStart += BODY_DESCRIPTOR.size;
  }
  if (!decodeBody(bodyType, bodyStart)) return false;
  const end = decodeSignatureData(version, bodyStart + changetype<Layout>(bodyLayoutOf(bodyType)).size);
  if (end == 0) return false;
  return computed("quoteLength", T.UINT, end);
}
