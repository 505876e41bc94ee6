// Flat exports of the legacy guest-device ABI (tsm/ioctl.ts) for JS hosts
// (hosts/kernel/ioctl-abi.js). Text goes to the output region (output_ptr/output_len); byte
// buffers come in through the input region (input_reserve), as everywhere in the core.
import { T, Layout } from "../formats/layout";
import { outReset, outPtr, byte, ascii, dec, jsonString } from "../render/out";
import {
  IOCTL_LAYOUTS, SNP_GET_REPORT, SNP_GET_DERIVED_KEY, SNP_GET_EXT_REPORT, TDX_CMD_GET_REPORT0,
  PAGE_SIZE, CERTS_MAX, MSG_VERSION, VmmError, FwStatus, exitinfo2FwError, exitinfo2VmmError,
  exitinfo2Meaning, reportResponseErrno, certsLenAccepted, certsRetryLen, trimmedCertsLength,
} from "./ioctl";

function typeName(t: T): string {
  if (t == T.U8) return "u8";
  if (t == T.U32) return "u32";
  if (t == T.U64) return "u64";
  return "bytes"; // HEX and GUID: raw bytes
}

function layoutJson(l: Layout): void {
  jsonString(l.name);
  ascii(":{\"name\":"); jsonString(l.name);
  ascii(",\"size\":"); dec(<u64>l.size);
  ascii(",\"fields\":[");
  for (let i = 0; i < l.fields.length; i++) {
    const fd = l.fields[i];
    if (i) byte(0x2c);
    byte(0x5b); jsonString(fd.name);
    byte(0x2c); dec(<u64>fd.offset); byte(0x2c); dec(<u64>fd.size);
    byte(0x2c); jsonString(typeName(fd.type)); byte(0x5d);
  }
  ascii("]}");
}

function member(name: string, v: u64, first: bool = false): void {
  if (!first) byte(0x2c);
  jsonString(name); byte(0x3a); dec(v);
}

/**
 * The ABI as JSON in the output region: {"layouts": {name: {name, size, fields: [[field, offset,
 * size, "u8"|"u32"|"u64"|"bytes"]]}}, "ioctl": {...}, "pageSize", "certsMax", "msgVersion",
 * "vmmError": {...}, "fwStatus": {...}}.
 */
export function tsm_ioctl_abi(): usize {
  outReset();
  ascii("{\"layouts\":{");
  for (let i = 0; i < IOCTL_LAYOUTS.length; i++) {
    if (i) byte(0x2c);
    layoutJson(IOCTL_LAYOUTS[i]);
  }
  ascii("},\"ioctl\":{");
  member("SNP_GET_REPORT", SNP_GET_REPORT, true);
  member("SNP_GET_DERIVED_KEY", SNP_GET_DERIVED_KEY);
  member("SNP_GET_EXT_REPORT", SNP_GET_EXT_REPORT);
  member("TDX_CMD_GET_REPORT0", TDX_CMD_GET_REPORT0);
  byte(0x7d);
  member("pageSize", PAGE_SIZE);
  member("certsMax", CERTS_MAX);
  member("msgVersion", MSG_VERSION);
  ascii(",\"vmmError\":{");
  member("INVALID_LEN", VmmError.INVALID_LEN, true);
  member("BUSY", VmmError.BUSY);
  ascii("},\"fwStatus\":{");
  member("SUCCESS", FwStatus.SUCCESS, true);
  member("INVALID_PARAM", FwStatus.INVALID_PARAM);
  member("INVALID_KEY", FwStatus.INVALID_KEY);
  ascii("}}");
  return outPtr;
}

export function tsm_exitinfo2_fw_error(x: u64): u32 { return exitinfo2FwError(x); }
export function tsm_exitinfo2_vmm_error(x: u64): u32 { return exitinfo2VmmError(x); }
/** exitinfo2's meaning as text in the output region ("" when unknown). */
export function tsm_exitinfo2_meaning(x: u64): usize {
  outReset();
  ascii(exitinfo2Meaning(x));
  return outPtr;
}
/** 0, or the errno the kernel returns for a MSG_REPORT_RSP with this status and report_size. */
export function tsm_snp_report_errno(status: u32, reportSize: u32): i32 { return reportResponseErrno(status, reportSize); }
export function tsm_snp_certs_len_accepted(n: u32): bool { return certsLenAccepted(n); }
export function tsm_snp_certs_retry(vmmError: u32, wanted: u32): bool { return certsRetryLen(vmmError, wanted); }
/** auxblob's length for the certificate buffer in the input region (len bytes). */
export function tsm_snp_certs_trimmed_len(len: u32): u32 { return trimmedCertsLength(len); }
