// The legacy guest-device ABI (spec/configfs-tsm.md section 4; x86-64, little-endian): request
// and response layouts, ioctl numbers, exitinfo2, and what the kernel makes of a firmware
// response. Shared by the ioctl backend (hosts/node/ioctl.js) and the simulated device
// (hosts/sim/ioctl-device.js), so neither restates the other.
import { errnoError } from "./errno.js";

// ---- layouts: each field [name, offset, size, type] ------------------------------------------

/** @typedef {{ name: string, size: number, fields: Array<[string, number, number, "u8"|"u32"|"u64"|"bytes"]> }} Layout */
const layout = (name, size, fields) => Object.freeze({ name, size, fields: Object.freeze(fields) });

export const LAYOUTS = Object.freeze({
  snp_guest_request_ioctl: layout("snp_guest_request_ioctl", 32, [
    ["msg_version", 0, 1, "u8"], // 1..7 padding
    ["req_data", 8, 8, "u64"], // user pointers
    ["resp_data", 16, 8, "u64"],
    ["exitinfo2", 24, 8, "u64"], // = fw_error u32 @24 | vmm_error u32 @28 << 32
  ]),
  snp_report_req: layout("snp_report_req", 96, [
    ["user_data", 0, 64, "bytes"],
    ["vmpl", 64, 4, "u32"],
    ["rsvd", 68, 28, "bytes"], // must be zero
  ]),
  snp_ext_report_req: layout("snp_ext_report_req", 112, [
    ["user_data", 0, 64, "bytes"], // a snp_report_req @0
    ["vmpl", 64, 4, "u32"],
    ["rsvd", 68, 28, "bytes"],
    ["certs_address", 96, 8, "u64"],
    ["certs_len", 104, 4, "u32"], // 108..111 padding
  ]),
  // The raw MSG_REPORT_RSP: header of 32 bytes, then report_size bytes of report.
  snp_report_resp: layout("snp_report_resp", 4000, [
    ["status", 0, 4, "u32"],
    ["report_size", 4, 4, "u32"],
    ["reserved", 8, 24, "bytes"],
    ["report", 32, 3968, "bytes"],
  ]),
  tdx_report_req: layout("tdx_report_req", 1088, [
    ["reportdata", 0, 64, "bytes"],
    ["tdreport", 64, 1024, "bytes"],
  ]),
  // Certificate table entry (spec section 5).
  snp_cert_entry: layout("snp_cert_entry", 24, [
    ["guid", 0, 16, "bytes"],
    ["offset", 16, 4, "u32"],
    ["length", 20, 4, "u32"],
  ]),
});

const fieldOf = (l, name) => {
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

// ---- ioctl numbers: _IOWR(type, nr, size) = 0xC0000000 | size << 16 | type << 8 | nr ------------

const iowr = (type, nr, size) => (0xc0000000 | (size << 16) | (type.charCodeAt(0) << 8) | nr) >>> 0;

export const IOCTL = Object.freeze({
  SNP_GET_REPORT: iowr("S", 0, LAYOUTS.snp_guest_request_ioctl.size),
  SNP_GET_DERIVED_KEY: iowr("S", 1, LAYOUTS.snp_guest_request_ioctl.size),
  SNP_GET_EXT_REPORT: iowr("S", 2, LAYOUTS.snp_guest_request_ioctl.size),
  TDX_CMD_GET_REPORT0: iowr("T", 1, LAYOUTS.tdx_report_req.size),
});

export const DEVICES = Object.freeze({ sev_guest: "/dev/sev-guest", tdx_guest: "/dev/tdx_guest" });

export const PAGE_SIZE = 4096;
/** SEV_FW_BLOB_MAX_SIZE: the largest certificate buffer the kernel accepts. */
export const CERTS_MAX = 0x4000;
export const VMM_ERR = Object.freeze({ INVALID_LEN: 1, BUSY: 2 });
export const FW_STATUS = Object.freeze({ SUCCESS: 0, INVALID_PARAM: 0x16, INVALID_KEY: 0x27 });
/** fw_error / vmm_error halves of exitinfo2, and what they mean. */
export function splitExitinfo2(exitinfo2) {
  const x = BigInt.asUintN(64, BigInt(exitinfo2));
  const fwError = Number(x & 0xffffffffn);
  const vmmError = Number(x >> 32n);
  let meaning = "";
  if (x === 0xffffffffffffffffn) meaning = "no firmware call was made";
  else if (vmmError === VMM_ERR.INVALID_LEN) meaning = "certificate buffer too small";
  else if (vmmError === VMM_ERR.BUSY) meaning = "host busy";
  else if (fwError === FW_STATUS.INVALID_PARAM) meaning = "firmware: invalid parameter";
  else if (fwError === FW_STATUS.INVALID_KEY) meaning = "firmware: invalid key";
  return { fwError, vmmError, meaning };
}

/**
 * The report out of a MSG_REPORT_RSP, checked as the configfs provider checks it (spec 3.2
 * step 4): status 0x16/0x27 -> EINVAL, other non-zero -> ENXIO, report too long -> ENOMEM.
 */
export function reportFromResponse(resp) {
  const L = LAYOUTS.snp_report_resp;
  const status = getField(resp, L, "status");
  if (status === FW_STATUS.INVALID_PARAM || status === FW_STATUS.INVALID_KEY) {
    throw errnoError("EINVAL", `SNP report: firmware status 0x${status.toString(16)}`, { fwStatus: status });
  }
  if (status !== 0) throw errnoError("ENXIO", `SNP report: firmware status 0x${status.toString(16)}`, { fwStatus: status });
  const size = getField(resp, L, "report_size");
  const [, at, room] = fieldOf(L, "report");
  if (size > room) throw errnoError("ENOMEM", `SNP report: report_size ${size} exceeds the ${L.size}-byte response`);
  return resp.slice(at, at + size);
}

/**
 * The certificate table trimmed as the kernel trims it for auxblob (spec 3.2 step 6): entries up
 * to the first all-zero one, length = the furthest offset + length, capped at the buffer.
 */
export function trimCertificates(buf) {
  const E = LAYOUTS.snp_cert_entry;
  let len = 0;
  for (let at = 0; at + E.size <= buf.length; at += E.size) {
    if (buf.subarray(at, at + E.size).every((b) => b === 0)) break;
    len = Math.max(len, getField(buf, E, "offset", at) + getField(buf, E, "length", at));
  }
  return buf.slice(0, Math.min(len, buf.length));
}

