// Plain-JS peer: a DataView decoder for the SEV-SNP ATTESTATION_REPORT (versions 2, 3, 5; 1184
// bytes), giving the same information as tsmkit's decode(): every field, bytes as lowercase hex,
// u64 as decimal strings, bit-fields as {raw, parts}. Layout: AMD SEV-SNP Firmware ABI
// Specification (56860), "ATTESTATION_REPORT Structure", "GUEST_POLICY", "TCB_VERSION",
// "PLATFORM_INFO"; the TCB_VERSION byte order differs on Turin (fmc first).
import { Reader } from "./bytes.js";

const REPORT_SIZE = 0x4a0;
const SIGNING_KEYS = ["VCEK", "VLEK"];

function product(family, model) {
  if (family === 0x19) return model < 0x10 ? "Milan" : "Genoa";
  if (family === 0x1a) return "Turin";
  return "unknown";
}

function tcb(r, o, turin) {
  const raw = r.u64(o);
  return turin
    ? { raw, fmc: r.u8(o), bootloader: r.u8(o + 1), tee: r.u8(o + 2), snp: r.u8(o + 3), microcode: r.u8(o + 7) }
    : { raw, bootloader: r.u8(o), tee: r.u8(o + 1), snp: r.u8(o + 6), microcode: r.u8(o + 7) };
}

function policy(r, o) {
  const lo = r.u32(o);
  const bit = (n) => ((lo >>> n) & 1) === 1;
  return {
    raw: r.u64(o), abiMinor: lo & 0xff, abiMajor: (lo >>> 8) & 0xff, smt: bit(16), migrateMa: bit(18),
    debug: bit(19), singleSocket: bit(20), cxlAllow: bit(21), memAes256Xts: bit(22), raplDis: bit(23),
    ciphertextHiding: bit(24), pageSwapDisable: bit(25),
  };
}

function platformInfo(r, o) {
  const lo = r.u32(o);
  const bit = (n) => ((lo >>> n) & 1) === 1;
  return {
    raw: r.u64(o), smtEn: bit(0), tsmeEn: bit(1), eccEn: bit(2), raplDis: bit(3),
    ciphertextHidingEn: bit(4), aliasCheckComplete: bit(5), tioEn: bit(7),
  };
}

/** @param {Uint8Array} bytes */
export function decodeSnpReport(bytes) {
  const r = new Reader(bytes);
  r.need(0, REPORT_SIZE, "report");
  const version = r.u32(0);
  if (version < 2 || version > 5) throw new Error(`unsupported SNP report version ${version}`);
  const hasCpuid = version >= 3;
  const prod = hasCpuid ? product(r.u8(0x188), r.u8(0x189)) : "unknown";
  const turin = prod === "Turin";
  const keyInfo = r.u32(0x48);
  const out = {
    format: "snp-report", product: prod, version, guestSvn: r.u32(4), policy: policy(r, 8),
    familyId: r.hex(0x10, 16), imageId: r.hex(0x20, 16), vmpl: r.u32(0x30), signatureAlgo: r.u32(0x34),
    currentTcb: tcb(r, 0x38, turin), platformInfo: platformInfo(r, 0x40),
    keyInfo: {
      raw: keyInfo, authorKeyEn: (keyInfo & 1) === 1, maskChipKey: (keyInfo & 2) === 2,
      signingKey: SIGNING_KEYS[(keyInfo >>> 2) & 7] ?? "none",
    },
    reportData: r.hex(0x50, 64), measurement: r.hex(0x90, 48), hostData: r.hex(0xc0, 32),
    idKeyDigest: r.hex(0xe0, 48), authorKeyDigest: r.hex(0x110, 48), reportId: r.hex(0x140, 32),
    reportIdMa: r.hex(0x160, 32), reportedTcb: tcb(r, 0x180, turin),
  };
  if (hasCpuid) {
    out.cpuidFamId = r.u8(0x188);
    out.cpuidModId = r.u8(0x189);
    out.cpuidStep = r.u8(0x18a);
  }
  out.chipId = r.hex(0x1a0, 64);
  out.committedTcb = tcb(r, 0x1e0, turin);
  out.currentBuild = r.u8(0x1e8);
  out.currentMinor = r.u8(0x1e9);
  out.currentMajor = r.u8(0x1ea);
  out.committedBuild = r.u8(0x1ec);
  out.committedMinor = r.u8(0x1ed);
  out.committedMajor = r.u8(0x1ee);
  out.launchTcb = tcb(r, 0x1f0, turin);
  if (version >= 5) {
    out.launchMitVector = r.u64(0x1f8);
    out.currentMitVector = r.u64(0x200);
  }
  out.signature = { r: r.hex(0x2a0, 72), s: r.hex(0x2e8, 72) };
  return out;
}
