// The legacy guest-device ABI (spec/configfs-tsm.md section 4; x86-64, little-endian): the
// request/response structs of /dev/sev-guest and /dev/tdx_guest in the core's layout registry,
// their ioctl numbers, exitinfo2, and what the kernel's sev-guest provider makes of a firmware
// response (spec 3.2 steps 4 and 6). Hosts only move bytes: hosts/node/ioctl.js makes the calls,
// hosts/sim/ioctl-device.js plays the device, both through hosts/kernel/ioctl-abi.js.
import { T, f, layout, Layout, Field } from "../formats/layout";
import { SNP_CERT_ENTRY } from "../formats/snp_certs";
import { u32at } from "../formats/table";
import { Errno } from "./errno";

// ---- structs (include/uapi/linux/sev-guest.h, tdx-guest.h) ------------------------------------
export const SNP_GUEST_REQUEST_IOCTL = layout("snp_guest_request_ioctl", 32, [
  f("msg_version", 0, 1, T.U8), // 1..7 padding
  f("req_data", 8, 8, T.U64), // user pointers
  f("resp_data", 16, 8, T.U64),
  f("exitinfo2", 24, 8, T.U64), // = fw_error u32 @24 | vmm_error u32 @28 << 32
]);
export const SNP_REPORT_REQ = layout("snp_report_req", 96, [
  f("user_data", 0, 64, T.HEX),
  f("vmpl", 64, 4, T.U32),
  f("rsvd", 68, 28, T.HEX), // must be zero
]);
export const SNP_EXT_REPORT_REQ = layout("snp_ext_report_req", 112, [
  f("user_data", 0, 64, T.HEX), // a snp_report_req @0
  f("vmpl", 64, 4, T.U32),
  f("rsvd", 68, 28, T.HEX),
  f("certs_address", 96, 8, T.U64),
  f("certs_len", 104, 4, T.U32), // 108..111 padding
]);
// The raw MSG_REPORT_RSP: header of 32 bytes, then report_size bytes of report.
export const SNP_REPORT_RESP = layout("snp_report_resp", 4000, [
  f("status", 0, 4, T.U32),
  f("report_size", 4, 4, T.U32),
  f("reserved", 8, 24, T.HEX),
  f("report", 32, 3968, T.HEX),
]);
export const TDX_REPORT_REQ = layout("tdx_report_req", 1088, [
  f("reportdata", 0, 64, T.HEX),
  f("tdreport", 64, 1024, T.HEX),
]);

/** Every struct the ioctls move; the certificate table's entry is the decoder's own (section 5). */
export const IOCTL_LAYOUTS: Layout[] = [
  SNP_GUEST_REQUEST_IOCTL, SNP_REPORT_REQ, SNP_EXT_REPORT_REQ, SNP_REPORT_RESP, TDX_REPORT_REQ, SNP_CERT_ENTRY,
];

export function fieldOf(l: Layout, name: string): Field {
  for (let i = 0; i < l.fields.length; i++) if (l.fields[i].name == name) return l.fields[i];
  throw new Error(l.name + " has no field " + name);
}

// ---- ioctl numbers: _IOWR(type, nr, size) = 0xC0000000 | size << 16 | type << 8 | nr -------------
function iowr(type: u32, nr: u32, size: u32): u32 { return 0xc0000000 | (size << 16) | (type << 8) | nr; }
export const SNP_GET_REPORT: u32 = iowr(0x53, 0, SNP_GUEST_REQUEST_IOCTL.size); // 'S'
export const SNP_GET_DERIVED_KEY: u32 = iowr(0x53, 1, SNP_GUEST_REQUEST_IOCTL.size);
export const SNP_GET_EXT_REPORT: u32 = iowr(0x53, 2, SNP_GUEST_REQUEST_IOCTL.size);
export const TDX_CMD_GET_REPORT0: u32 = iowr(0x54, 1, TDX_REPORT_REQ.size); // 'T'

export const PAGE_SIZE: u32 = 4096;
/** SEV_FW_BLOB_MAX_SIZE: the largest certificate buffer the kernel accepts. */
export const CERTS_MAX: u32 = 0x4000;
/** What the kernel's configfs provider sends as msg_version. */
export const MSG_VERSION: u32 = 1;
export const enum VmmError { INVALID_LEN = 1, BUSY = 2 }
export const enum FwStatus { SUCCESS = 0, INVALID_PARAM = 0x16, INVALID_KEY = 0x27 }
/** SEV_RET_NO_FW_CALL as exitinfo2: the kernel never reached the firmware. */
export const NO_FW_CALL: u64 = 0xffffffffffffffff;

// ---- rules -------------------------------------------------------------------------------------
export function exitinfo2FwError(x: u64): u32 { return <u32>(x & 0xffffffff); }
export function exitinfo2VmmError(x: u64): u32 { return <u32>(x >> 32); }

/** What an exitinfo2 means, or "" when tsmkit knows no meaning for it. */
export function exitinfo2Meaning(x: u64): string {
  if (x == NO_FW_CALL) return "no firmware call was made";
  const vmm = exitinfo2VmmError(x), fw = exitinfo2FwError(x);
  if (vmm == VmmError.INVALID_LEN) return "certificate buffer too small";
  if (vmm == VmmError.BUSY) return "host busy";
  if (fw == FwStatus.INVALID_PARAM) return "firmware: invalid parameter";
  if (fw == FwStatus.INVALID_KEY) return "firmware: invalid key";
  return "";
}

/**
 * The errno of a MSG_REPORT_RSP, as the configfs provider checks it (spec 3.2 step 4): status
 * 0x16/0x27 -> EINVAL, another non-zero status -> ENXIO, a report longer than the response -> ENOMEM.
 */
export function reportResponseErrno(status: u32, reportSize: u32): i32 {
  if (status == FwStatus.INVALID_PARAM || status == FwStatus.INVALID_KEY) return Errno.EINVAL;
  if (status != FwStatus.SUCCESS) return Errno.ENXIO;
  if (reportSize > fieldOf(SNP_REPORT_RESP, "report").size) return Errno.ENOMEM;
  return 0;
}

/** A certificate buffer length the kernel accepts: whole pages, at most SEV_FW_BLOB_MAX_SIZE. */
export function certsLenAccepted(n: u32): bool { return n % PAGE_SIZE == 0 && n <= CERTS_MAX; }

/**
 * Retry an extended report with the size the host wrote back? Only when the host said the buffer
 * was too small and the kernel would accept that size (the configfs provider's buffer is fixed at
 * CERTS_MAX, so both paths fail alike beyond it).
 */
export function certsRetryLen(vmmError: u32, wanted: u32): bool {
  return vmmError == VmmError.INVALID_LEN && wanted > PAGE_SIZE && certsLenAccepted(wanted);
}

/**
 * auxblob's length: the certificate table in the input region (len bytes) trimmed as the kernel
 * trims it (spec 3.2 step 6): entries up to the first all-zero one, the furthest offset + length,
 * capped at the buffer.
 */
export function trimmedCertsLength(len: u32): u32 {
  const size = SNP_CERT_ENTRY.size;
  const offset = fieldOf(SNP_CERT_ENTRY, "offset").offset, length = fieldOf(SNP_CERT_ENTRY, "length").offset;
  let end: u64 = 0;
  for (let at: u32 = 0; at + size <= len; at += size) {
    let zero = true;
    for (let i: u32 = 0; i < size && zero; i += 4) zero = u32at(at + i) == 0;
    if (zero) break;
    const e = <u64>u32at(at + offset) + <u64>u32at(at + length);
    if (e > end) end = e;
  }
  return end < <u64>len ? <u32>end : len;
}
