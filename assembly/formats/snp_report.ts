// SEV-SNP ATTESTATION_REPORT (1184 bytes): what sev_guest returns in outblob. Versions 2, 3 and 5.
// AMD SEV-SNP Firmware ABI Specification (56860) rev 1.58: Table 23 "ATTESTATION_REPORT
// Structure", Table 9 "GUEST_POLICY", Tables 3/4 "TCB_VERSION" (snp_tcb.ts), Table 139
// (SIGNATURE_ALGO), Table 141 "ECDSA P-384 with SHA-384 Signature". Version 3 added CPUID_FAM_ID,
// CPUID_MOD_ID and CPUID_STEP (reserved in v2); version 5 added LAUNCH_MIT_VECTOR and
// CURRENT_MIT_VECTOR (reserved before). Version 4 is rejected like any unknown version: no sample
// of it exists and what it has of v5's fields is not pinned down, so it is never guessed.
// Reserved bytes and reserved bits are neither emitted nor checked: the signature covers them and
// newer firmware fills them (v3 and v5 did exactly that), so a non-zero value is not an error.
// Bytes after the 1184 are ignored (the legacy ioctl hands out a larger buffer).
import { T, Field, f, b, layout } from "./layout";
import {
  open, close, need, bytes, computed, str, emitField, emitLayout, emitRow, itemAt, u8at, u32at,
} from "./table";
import { E, fail } from "./error";
import { TcbKind, tcbKindOf, tcbVariants, productOf } from "./snp_tcb";

export const SNP_REPORT_SIZE: u32 = 0x4a0;
const SIGNATURE_OFFSET: u32 = 0x2a0;
const KEY_INFO_OFFSET: u32 = 0x48;
const VMPL_OFFSET: u32 = 0x30;
const SIG_ALGO_OFFSET: u32 = 0x34;
const CPUID_OFFSET: u32 = 0x188;
const SIG_ALGO_ECDSA_P384_SHA384: u32 = 1;
const HCL_MAGIC: u32 = 0x414c4348; // "HCLA": Azure's vTPM HCL report, which wraps an SNP report

// GUEST_POLICY (Table 9). Bit 17 is reserved (must be one); bits 26-63 are reserved.
const POLICY_BITS = [
  b("abiMinor", 0, 8), b("abiMajor", 8, 8), b("smt", 16), b("migrateMa", 18), b("debug", 19),
  b("singleSocket", 20), b("cxlAllow", 21), b("memAes256Xts", 22), b("raplDis", 23),
  b("ciphertextHiding", 24), b("pageSwapDisable", 25),
];

// PLATFORM_INFO (Table 23's PLATFORM_INFO field description). Bit 6 is reserved in rev 1.58 but
// later revisions define it as IOMMU_WRITE_SAFE (Turin reports set it); bit 7 is TIO_EN.
const PLATFORM_INFO_BITS = [
  b("smtEn", 0), b("tsmeEn", 1), b("eccEn", 2), b("raplDis", 3), b("ciphertextHidingEn", 4),
  b("aliasCheckComplete", 5), b("iommuWriteSafe", 6), b("tioEn", 7),
];

// The bits of the u32 at 0x48 (Table 23): AUTHOR_KEY_EN, MASK_CHIP_KEY, SIGNING_KEY (4:2).
const KEY_INFO_BITS = [b("authorKeyEn", 0), b("maskChipKey", 1)];
const SIGNING_KEY_SHIFT: u32 = 2;

function signingKeyName(v: u32): string {
  if (v == 0) return "VCEK";
  if (v == 1) return "VLEK";
  if (v == 7) return "none";
  return ""; // 2-6 reserved
}

// How a row is emitted; the layout table itself stays one (name, offset, size, type) per field.
const enum Kind { PLAIN = 0, TCB = 1, KEY_INFO = 2, SIGNATURE = 3 }

class Row {
  constructor(public field: Field, public since: u32, public kind: Kind, public tcb: Field[] | null) {}
}
function row(field: Field, since: u32 = 2, kind: Kind = Kind.PLAIN): Row {
  return new Row(field, since, kind, null);
}
function tcbRow(name: string, offset: u32): Row {
  return new Row(f(name, offset, 8, T.U64), 2, Kind.TCB, tcbVariants(name, offset));
}

// Table 23, in offset order (which is also the JSON order).
const ROWS: Row[] = [
  row(f("version", 0x000, 4, T.U32)),
  row(f("guestSvn", 0x004, 4, T.U32)),
  row(f("policy", 0x008, 8, T.U64, POLICY_BITS)),
  row(f("familyId", 0x010, 16, T.HEX)),
  row(f("imageId", 0x020, 16, T.HEX)),
  row(f("vmpl", VMPL_OFFSET, 4, T.U32)),
  row(f("signatureAlgo", SIG_ALGO_OFFSET, 4, T.U32)),
  tcbRow("currentTcb", 0x038),
  row(f("platformInfo", 0x040, 8, T.U64, PLATFORM_INFO_BITS)),
  row(f("keyInfo", KEY_INFO_OFFSET, 4, T.U32), 2, Kind.KEY_INFO), // 0x4C-0x4F reserved
  row(f("reportData", 0x050, 64, T.HEX)),
  row(f("measurement", 0x090, 48, T.HEX)),
  row(f("hostData", 0x0c0, 32, T.HEX)),
  row(f("idKeyDigest", 0x0e0, 48, T.HEX)),
  row(f("authorKeyDigest", 0x110, 48, T.HEX)),
  row(f("reportId", 0x140, 32, T.HEX)),
  row(f("reportIdMa", 0x160, 32, T.HEX)),
  tcbRow("reportedTcb", 0x180),
  row(f("cpuidFamId", CPUID_OFFSET, 1, T.U8), 3),
  row(f("cpuidModId", CPUID_OFFSET + 1, 1, T.U8), 3),
  row(f("cpuidStep", CPUID_OFFSET + 2, 1, T.U8), 3), // 0x18B-0x19F reserved
  row(f("chipId", 0x1a0, 64, T.HEX)), // Turin uses the first 8 bytes, the rest is zero
  tcbRow("committedTcb", 0x1e0),
  row(f("currentBuild", 0x1e8, 1, T.U8)),
  row(f("currentMinor", 0x1e9, 1, T.U8)),
  row(f("currentMajor", 0x1ea, 1, T.U8)), // 0x1EB reserved
  row(f("committedBuild", 0x1ec, 1, T.U8)),
  row(f("committedMinor", 0x1ed, 1, T.U8)),
  row(f("committedMajor", 0x1ee, 1, T.U8)), // 0x1EF reserved
  tcbRow("launchTcb", 0x1f0),
  row(f("launchMitVector", 0x1f8, 8, T.U64), 5),
  row(f("currentMitVector", 0x200, 8, T.U64), 5), // 0x208-0x29F reserved
  row(f("signature", SIGNATURE_OFFSET, 0x200, T.HEX), 2, Kind.SIGNATURE), // over 0x000-0x29F
];

export const SNP_REPORT = layout("snpReport", SNP_REPORT_SIZE, ROWS.map<Field>((r) => r.field));

// The decode loop reads rows by address, holding no references (see table.ts emitRow).
const ROWS_AT = changetype<usize>(ROWS);

// Table 141: r and s little-endian, zero-extended to 72 bytes; 0x90-0x1FF reserved.
export const SNP_SIGNATURE = layout("snpSignature", 0x200, [
  f("r", 0, 72, T.HEX),
  f("s", 72, 72, T.HEX),
]);

function supported(version: u32): bool {
  return version == 2 || version == 3 || version == 5;
}

/**
 * For detect: version 2-5 (4 too, so its error names it), VMPL 0-3 and ECDSA P-384. A short input
 * that passes is still taken as a report, so its error says TRUNCATED rather than "unknown".
 */
export function looksLikeSnpReport(len: u32): bool {
  if (len < SIG_ALGO_OFFSET + 4) return false;
  const version = u32at(0);
  return version >= 2 && version <= 5 && u32at(VMPL_OFFSET) <= 3 &&
    u32at(SIG_ALGO_OFFSET) == SIG_ALGO_ECDSA_P384_SHA384;
}

function emitKeyInfo(r: Field): bool {
  const v = u32at(r.offset);
  open(r.name, r.offset, r.size);
  bytes("raw", T.U32, r.offset, r.size);
  for (let i = 0; i < KEY_INFO_BITS.length; i++) {
    const p = KEY_INFO_BITS[i];
    computed(p.name, T.BOOL, (v >> p.shift) & 1);
  }
  str("signingKey", signingKeyName((v >> SIGNING_KEY_SHIFT) & 7));
  return close();
}

/** The rows that are more than one plain field: TCBs, bit-fields, key info, the signature. */
function emitSpecial(r: Row, tcb: TcbKind): bool {
  const fd = r.field;
  switch (r.kind) {
    case Kind.TCB: return emitField(unchecked(r.tcb![tcb]), 0);
    case Kind.KEY_INFO: return emitKeyInfo(fd);
    case Kind.SIGNATURE: {
      open(fd.name, fd.offset, fd.size);
      if (!emitLayout(SNP_SIGNATURE, fd.offset)) return false;
      return close();
    }
  }
  return emitField(fd, 0);
}

/** TRUNCATED naming the first field of this version's layout that the input cuts or lacks. */
function truncatedAt(version: u32, len: u32): bool {
  for (let i = 0, n = ROWS.length; i < n; i++) {
    const r = ROWS[i];
    const f = r.field;
    if (version < r.since || f.offset + f.size <= len) continue;
    return fail(E.TRUNCATED, f.name, f.offset, "a report is " + SNP_REPORT_SIZE.toString() +
      " bytes, input ends at " + len.toString() + ": " + f.name + " (" + f.size.toString() +
      " bytes at offset " + f.offset.toString() + ") is " + (f.offset < len ? "cut short" : "missing"));
  }
  return fail(E.TRUNCATED, "", len, "a report is " + SNP_REPORT_SIZE.toString() + " bytes, input ends at " + len.toString());
}

export function decodeSnpReport(len: u32): bool {
  if (!need("version", 0, 4)) return false;
  const version = u32at(0);
  if (version == HCL_MAGIC) {
    return fail(E.UNSUPPORTED_TYPE, "version", 0,
      "input starts with \"HCLA\": an Azure vTPM HCL report that wraps an SNP report, " +
      "not a raw SNP ATTESTATION_REPORT");
  }
  if (!supported(version)) {
    return fail(E.UNSUPPORTED_VERSION, "version", 0, "unsupported SNP report version " + version.toString());
  }
  if (len < SNP_REPORT_SIZE) return truncatedAt(version, len);
  // The SIGNATURE field's format is defined per algorithm, and only ECDSA P-384 has one.
  const algo = u32at(SIG_ALGO_OFFSET);
  if (algo != SIG_ALGO_ECDSA_P384_SHA384) {
    return fail(E.UNSUPPORTED_TYPE, "signatureAlgo", SIG_ALGO_OFFSET, "signature algorithm " +
      algo.toString() + " is not ECDSA P-384 with SHA-384 (1), the only one the spec defines");
  }
  const key = (u32at(KEY_INFO_OFFSET) >> SIGNING_KEY_SHIFT) & 7;
  if (signingKeyName(key).length == 0) {
    return fail(E.UNSUPPORTED_TYPE, "keyInfo.signingKey", KEY_INFO_OFFSET,
      "signing key " + key.toString() + " is reserved (0 VCEK, 1 VLEK, 7 none)");
  }
  const family = u8at(CPUID_OFFSET);
  const model = u8at(CPUID_OFFSET + 1);
  str("format", "snp-report");
  str("product", productOf(version, family, model));
  const tcb = tcbKindOf(version, family);
  // Every row lies inside the SNP_REPORT_SIZE bytes checked above.
  for (let i = 0, n = ROWS.length; i < n; i++) {
    const r = itemAt<Row>(ROWS_AT, i);
    if (version < load<u32>(r, offsetof<Row>("since"))) continue;
    const ok = load<Kind>(r, offsetof<Row>("kind")) == Kind.PLAIN
      ? emitRow(load<usize>(r, offsetof<Row>("field")), 0)
      : emitSpecial(changetype<Row>(r), tcb);
    if (!ok) return false;
  }
  return true;
}
