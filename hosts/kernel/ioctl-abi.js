// The legacy guest-device ABI (spec/configfs-tsm.md section 4) as the core defines it
// (assembly/tsm/ioctl.ts): struct layouts, ioctl numbers, exitinfo2, the firmware-status -> errno
// rule and the certificate-table trimming. This file only reads the core's tables and moves
// bytes in and out of structs; the ioctl backend (hosts/node/ioctl.js) and the simulated device
// (hosts/sim/ioctl-device.js) share it, so neither restates the other.
import * as kernelAbi from "../js/tsm-kernel.js";
import { errnoError, errnoName } from "./errno.js";

const ABI = kernelAbi.IOCTL_ABI;

/**
 * @typedef {{ name: string, size: number, fields: Array<[string, number, number, "u8"|"u32"|"u64"|"bytes"]> }} Layout
 * @typedef {"snp_guest_request_ioctl"|"snp_report_req"|"snp_ext_report_req"|"snp_report_resp"|"tdx_report_req"|"snpCertEntry"} LayoutName
 */
export const LAYOUTS = /** @type {Readonly<Record<LayoutName, Layout>>} */ (Object.freeze(Object.fromEntries(Object.entries(ABI.layouts).map(([k, l]) =>
  [k, Object.freeze({ ...l, fields: Object.freeze(l.fields.map((f) => Object.freeze(f))) })]))));
/** @type {Readonly<{ SNP_GET_REPORT: number, SNP_GET_DERIVED_KEY: number, SNP_GET_EXT_REPORT: number, TDX_CMD_GET_REPORT0: number }>} */
export const IOCTL = Object.freeze(ABI.ioctl);
export const PAGE_SIZE = ABI.pageSize;
/** SEV_FW_BLOB_MAX_SIZE: the largest certificate buffer the kernel accepts. */
export const CERTS_MAX = ABI.certsMax;
/** What the kernel's configfs provider sends as msg_version. */
export const MSG_VERSION = ABI.msgVersion;
export const VMM_ERR = Object.freeze(ABI.vmmError);
export const FW_STATUS = Object.freeze(ABI.fwStatus);

/** The device nodes of the legacy providers. */
export const DEVICES = Object.freeze({ sev_guest: "/dev/sev-guest", tdx_guest: "/dev/tdx_guest" });

/** [name, offset, size, type] of a field of layout `l`. */
export const fieldOf = (l, name) => {
  const f = l.fields.find(([n]) => n === name);
  if (!f) throw new Error(`${l.name} has no field ${name}`);
  return f;
};

/** Reads field `name` of layout `l` from `buf` at `base`: number (u8/u32), bigint (u64) or a copy. */
export function getField(buf, l, name, base = 0) {
  const [, off, size, type] = fieldOf(l, name);
  const dv = new DataView(buf.buffer, buf.byteOffset + base + off, size);
  if (type === "u8") return dv.getUint8(0);
  if (type === "u32") return dv.getUint32(0, true);
  if (type === "u64") return dv.getBigUint64(0, true);
  return buf.slice(base + off, base + off + size);
}

/** Writes `values` ({field: number | bigint | bytes}) into `buf` at `base` by layout `l`. */
export function setFields(buf, l, values, base = 0) {
  for (const [name, v] of Object.entries(values)) {
    const [, off, size, type] = fieldOf(l, name);
    const dv = new DataView(buf.buffer, buf.byteOffset + base + off, size);
    if (type === "u8") dv.setUint8(0, v);
    else if (type === "u32") dv.setUint32(0, v, true);
    else if (type === "u64") dv.setBigUint64(0, BigInt(v), true);
    else if (v.length !== size) throw new RangeError(`${l.name}.${name} takes ${size} bytes, got ${v.length}`);
    else buf.set(v, base + off);
  }
  return buf;
}

// exitinfo2's fw_error / vmm_error halves and meaning; whether the kernel takes a certificate
// buffer of n bytes (whole pages, at most CERTS_MAX); whether an extended report that failed
// with vmmError, the host wanting `wanted` bytes, is retried with them: the core's rules as is.
export { exitinfo2 as splitExitinfo2, certsLenAccepted, certsRetry } from "../js/tsm-kernel.js";

/** The report out of a MSG_REPORT_RSP, or the errno the configfs provider gives for it (spec 3.2 step 4). */
export function reportFromResponse(resp) {
  const L = LAYOUTS.snp_report_resp;
  const status = getField(resp, L, "status");
  const size = getField(resp, L, "report_size");
  const errno = kernelAbi.snpReportErrno(status, size);
  if (errno) {
    throw status
      ? errnoError(errnoName(errno), `SNP report: firmware status 0x${status.toString(16)}`, { fwStatus: status })
      : errnoError(errnoName(errno), `SNP report: report_size ${size} exceeds the ${L.size}-byte response`);
  }
  const [, at] = fieldOf(L, "report");
  return resp.slice(at, at + size);
}

/** The certificate table trimmed as the kernel trims it for auxblob (spec 3.2 step 6). */
export function trimCertificates(buf) {
  return buf.slice(0, kernelAbi.certsTrimmedLength(buf));
}
