// QE Certification Data of DCAP quotes (types 1-7) and the QE Report Certification Data that
// type 6 carries (and that v3 signature data holds inline). Every declared size is checked
// against the structure that contains it, never only against the input: quotes are often
// followed by padding, so the input length proves nothing.
// Sources: see quote_layouts.ts ("QE Certification Data", "QE Report Certification Data").
import { T, Layout } from "./layout";
import {
  open, openArray, close, bytes, str, emitLayout, emitField, fieldPath, inPtr, u8at, u16at, u32at,
} from "./table";
import { E, fail } from "./error";
import {
  SGX_REPORT_BODY, CERT_DATA_HEADER, QE_REPORT_CERT_DATA, QE_AUTH_DATA,
  PCK_ID_CLEAR, PCK_ID_RSA2048, PCK_ID_RSA3072,
} from "./quote_layouts";

const PEM_BEGIN = "-----BEGIN CERTIFICATE-----";
const PEM_END = "-----END CERTIFICATE-----";
const DER_SEQUENCE: u32 = 0x30;

/** Fails with BAD_LENGTH unless `size` bytes at `offset` end at or before `end` (the parent's end). */
function fits(field: string, at: u32, offset: u32, size: u64, end: u32, parent: string): bool {
  if (<u64>offset + size <= <u64>end) return true;
  return fail(E.BAD_LENGTH, fieldPath(field), at,
    field + " declares " + size.toString() + " bytes at offset " + offset.toString() + " but the " +
    parent + " ends at offset " + end.toString());
}

// ---- certificates (types 4 and 5) -----------------------------------------------------------

// Which certificate emitCertificates is reading; its dotted path is built only for an error.
let certName = "";
let certIndex = 0;
let certSingle = false;
function certWhere(): string { return fieldPath(certSingle ? certName : certIndex.toString()); }

/** fits() for a certificate, without building its path unless it does not fit. */
function certFits(pos: u32, offset: u32, size: u64, end: u32): bool {
  return <u64>offset + size <= <u64>end || fits(certWhere(), pos, offset, size, end, "certification data");
}

function isPadding(c: u32): bool {
  return c == 0 || c == 0x20 || c == 0x0a || c == 0x0d || c == 0x09;
}

function skipPadding(o: u32, end: u32): u32 {
  while (o < end && isPadding(u8at(o))) o++;
  return o;
}

// The markers as bytes, compared against the input with plain loads. The buffers stay referenced
// by these globals, so the collector keeps them where the pointers say.
const beginBytes = String.UTF8.encode(PEM_BEGIN);
const endBytes = String.UTF8.encode(PEM_END);
const BEGIN_BYTES = changetype<usize>(beginBytes);
const END_BYTES = changetype<usize>(endBytes);

/** Whether the n bytes at `lit` occur at input offset o, before `end`. */
function matchAt(o: u32, end: u32, lit: usize, n: u32): bool {
  if (<u64>o + <u64>n > <u64>end) return false;
  const at = inPtr + o;
  let i: u32 = 0;
  for (; i + 8 <= n; i += 8) if (load<u64>(at + i) != load<u64>(lit + i)) return false;
  for (; i < n; i++) if (load<u8>(at + i) != load<u8>(lit + i)) return false;
  return true;
}

// Finding END markers: every marker starts with '-', which base64 never uses, so the scan looks
// for the next '-' eight bytes at a time (a byte equal to '-' is a zero byte of x ^ DASHES) and
// compares the marker only there.
const END_LEN: u32 = <u32>PEM_END.length;
const ONES: u64 = 0x0101010101010101;
const HIGHS: u64 = 0x8080808080808080;
const DASHES: u64 = 0x2d * ONES;

/** The high bit of every byte of x that is '-' (bytes above the first may be flagged too). */
@inline function dashes(x: u64): u64 {
  const t = x ^ DASHES;
  return (t - ONES) & ~t & HIGHS;
}

/** Offset of the first '-' in [p, end), or end. */
function nextDash(p: u32, end: u32): u32 {
  // With SIMD (not in the WASI command's build): 64 bytes per test while none is a '-' (a
  // certificate's base64 body holds none), then 16 at a time, one bit per '-'.
  if (ASC_FEATURE_SIMD) {
    const dash = i8x16.splat(0x2d);
    for (; p + 64 <= end; p += 64) {
      const at = inPtr + p;
      const hits = v128.or(
        v128.or(i8x16.eq(v128.load(at), dash), i8x16.eq(v128.load(at, 16), dash)),
        v128.or(i8x16.eq(v128.load(at, 32), dash), i8x16.eq(v128.load(at, 48), dash)));
      if (v128.any_true(hits)) break;
    }
    for (; p + 16 <= end; p += 16) {
      const m = i8x16.bitmask(i8x16.eq(v128.load(inPtr + p), dash));
      if (m) return p + ctz(m);
    }
  }
  for (; p + 8 <= end; p += 8) {
    const m = dashes(load<u64>(inPtr + p));
    if (m) return p + <u32>(ctz(m) >> 3);
  }
  for (; p < end; p++) if (u8at(p) == 0x2d) return p;
  return end;
}

/** Offset of the first PEM_END in [p, end), or -1. */
function findEnd(p: u32, end: u32): i64 {
  while (<u64>p + <u64>END_LEN <= <u64>end) {
    p = nextDash(p, end);
    if (matchAt(p, end, END_BYTES, END_LEN)) return <i64>p;
    p++;
  }
  return -1;
}

/** Length of the PEM block at o (BEGIN line through END marker), or 0 after recording an error. */
function pemSize(o: u32, end: u32): u32 {
  if (!matchAt(o, end, BEGIN_BYTES, <u32>PEM_BEGIN.length)) {
    fail(E.BAD_VALUE, certWhere(), o, "expected " + PEM_BEGIN + " at offset " + o.toString());
    return 0;
  }
  const stop = findEnd(o + <u32>PEM_BEGIN.length, end);
  if (stop >= 0) return <u32>stop + END_LEN - o;
  fail(E.BAD_VALUE, certWhere(), o, "the PEM certificate at offset " + o.toString() + " has no " + PEM_END +
    " before the certification data ends at offset " + end.toString());
  return 0;
}

/** Length of the DER SEQUENCE at o (header + contents), or 0 after recording an error. */
function derSize(o: u32, end: u32): u32 {
  if (u8at(o) != DER_SEQUENCE) {
    fail(E.BAD_VALUE, certWhere(), o, "expected a DER certificate (SEQUENCE, 0x30) at offset " + o.toString());
    return 0;
  }
  if (!certFits(o, o, 2, end)) return 0;
  const first = u8at(o + 1);
  let header: u32 = 2;
  let len: u64 = <u64>first;
  if (first >= 0x80) {
    const k = first & 0x7f;
    // Certificates are far below 16 MiB; longer or indefinite forms are not DER certificates.
    if (k == 0 || k > 3) {
      fail(E.BAD_VALUE, certWhere(), o + 1, "unsupported DER length form 0x" + first.toString(16));
      return 0;
    }
    if (!certFits(o + 1, o + 2, <u64>k, end)) return 0;
    len = 0;
    for (let i: u32 = 0; i < k; i++) len = (len << 8) | <u64>u8at(o + 2 + i);
    header += k;
  }
  if (!certFits(o + 1, o, <u64>header + len, end)) return 0;
  return header + <u32>len;
}

/**
 * Emits the certificates in [start, end): PEM blocks as TEXT, or concatenated DER (as in Intel's
 * QVL sample TDX quote) as HEX, in stored order, with "encoding" saying which. NULs and whitespace
 * between and after certificates are padding. `single` (type 4) wants exactly one certificate.
 */
function emitCertificates(name: string, start: u32, end: u32, single: bool): bool {
  let o = skipPadding(start, end);
  if (o == end) return fail(E.BAD_VALUE, fieldPath(name), start, "no certificate in the certification data");
  const pem = u8at(o) != DER_SEQUENCE;
  if (!str("encoding", pem ? "PEM" : "DER")) return false;
  if (!single && !openArray(name, start, end - start)) return false;
  certName = name;
  certSingle = single;
  certIndex = 0;
  while (o < end) {
    if (single && certIndex == 1) {
      return fail(E.BAD_VALUE, certWhere(), o, "a PCK leaf certificate holds one certificate, found more");
    }
    const len = pem ? pemSize(o, end) : derSize(o, end);
    if (len == 0) return false;
    if (!bytes(single ? name : "", pem ? T.TEXT : T.HEX, o, len)) return false;
    certIndex++;
    o = skipPadding(o + len, end);
  }
  return single ? true : close();
}

// ---- PCK identity (types 1-3) ---------------------------------------------------------------

function emitPckId(l: Layout, start: u32, size: u32): bool {
  const full = l.size;
  if (size == full) return emitLayout(l, start);
  if (size == full - 2) { // no PCEID: emit every row but the last
    for (let i = 0; i < l.fields.length - 1; i++) if (!emitField(l.fields[i], start)) return false;
    return true;
  }
  return fail(E.BAD_LENGTH, fieldPath("size"), start - 4,
    "certification data of this type is " + full.toString() + " (or " + (full - 2).toString() +
    " without PCEID) bytes, size is " + size.toString());
}

// ---- certification data ---------------------------------------------------------------------

/**
 * Decodes a certification data structure at `o` that must end exactly at `end` (it is the last
 * member of its parent). `nested` forbids type 6 (QE report certification data inside itself).
 */
export function decodeCertificationData(o: u32, end: u32, nested: bool): bool {
  if (!fits("certificationData", o, o, CERT_DATA_HEADER.size, end, "enclosing structure")) return false;
  const type = u16at(o);
  const size = u32at(o + 2);
  const dataStart = o + CERT_DATA_HEADER.size;
  if (!fits("certificationData.size", o + 2, dataStart, <u64>size, end, "enclosing structure")) return false;
  if (<u64>dataStart + <u64>size != <u64>end) {
    return fail(E.BAD_LENGTH, fieldPath("certificationData.size"), o + 2,
      "certification data size is " + size.toString() + " but " + (end - dataStart).toString() +
      " bytes remain in the enclosing structure");
  }
  if (type < 1 || type > 7) {
    return fail(E.UNSUPPORTED_TYPE, fieldPath("certificationData.type"), o,
      "unknown certification data type " + type.toString());
  }
  if (type == 6 && nested) {
    return fail(E.UNSUPPORTED_TYPE, fieldPath("certificationData.type"), o,
      "QE report certification data (type 6) cannot nest inside itself");
  }
  open("certificationData", o, end - o);
  if (!emitLayout(CERT_DATA_HEADER, o)) return false;
  let ok = true;
  switch (type) {
    case 1: ok = emitPckId(PCK_ID_CLEAR, dataStart, size); break;
    case 2: ok = emitPckId(PCK_ID_RSA2048, dataStart, size); break;
    case 3: ok = emitPckId(PCK_ID_RSA3072, dataStart, size); break;
    case 4: ok = emitCertificates("pckCert", dataStart, end, true); break;
    case 5: ok = emitCertificates("pckCertChain", dataStart, end, false); break;
    case 6: ok = decodeQeReportCertificationData(dataStart, end); break;
    case 7: ok = bytes("platformManifest", T.HEX, dataStart, size); break;
  }
  return ok && close();
}

/**
 * QE report, its signature, QE authentication data and the certification data of the PCK that
 * signed the report, filling [o, end) exactly.
 */
export function decodeQeReportCertificationData(o: u32, end: u32): bool {
  const fixed = QE_REPORT_CERT_DATA.size;
  if (!fits("qeReportCertificationData", o, o, <u64>fixed + QE_AUTH_DATA.size, end, "enclosing structure")) {
    return false;
  }
  open("qeReportCertificationData", o, end - o);
  const report = QE_REPORT_CERT_DATA.fields[0];
  open(report.name, o + report.offset, report.size);
  if (!emitLayout(SGX_REPORT_BODY, o + report.offset)) return false;
  close();
  if (!emitField(QE_REPORT_CERT_DATA.fields[1], o)) return false;

  const auth = o + fixed;
  const authSize = u16at(auth);
  const authData = auth + QE_AUTH_DATA.size;
  if (!fits("qeAuthData.size", auth, authData, <u64>authSize, end, "QE report certification data")) return false;
  open("qeAuthData", auth, QE_AUTH_DATA.size + authSize);
  if (!emitLayout(QE_AUTH_DATA, auth)) return false;
  if (!bytes("data", T.HEX, authData, authSize)) return false;
  close();

  if (!decodeCertificationData(authData + authSize, end, true)) return false;
  return close();
}
