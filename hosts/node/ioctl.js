// The `ioctl` backend: reports on kernels before 6.7 (no configfs-tsm) from the legacy guest
// devices, spec/configfs-tsm.md section 4.
//   sev_guest: /dev/sev-guest, SNP_GET_EXT_REPORT (or SNP_GET_REPORT): outblob = the raw SNP
//              report without the MSG_REPORT_RSP header, auxblob = the certificate table,
//              exactly as the kernel's configfs provider returns them (spec 3.2).
//   tdx_guest: /dev/tdx_guest, TDX_CMD_GET_REPORT0: outblob = the 1024-byte TDREPORT, NOT a
//              quote. Mainline Linux has no quote ioctl (TDX_CMD_GET_QUOTE existed only in
//              pre-mainline kernels); a quote needs configfs-tsm (6.7+) or a quoting service.
//
// The backend serves the same operations as the configfs backend (mkdir/rmdir/read/write on a
// report item) by putting the core's kernel model (hosts/sim/tsm.js) in front of the device, with
// the ioctl as its provider — as the kernel's own sev-guest configfs provider wraps the same
// firmware call. So getReport's machine, its rules (inblob exactly 64 bytes, checked before any
// ioctl), its result shape and its TsmErrors are the configfs backend's, unchanged.
import { SimTsm } from "../sim/tsm.js";
import { simBackend } from "./sim-backend.js";
import { errnoNumber } from "./report.js";
import { TsmError } from "./errors.js";
import { libcDevice } from "./ioctl-device.js";

// ---- Layouts (spec section 4; x86-64, little-endian). Each field: [name, offset, size, type]. --

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
const MSG_VERSION = 1; // what the kernel's configfs provider sends
const REPORTDATA_LEN = 64;

// ---- errors ----------------------------------------------------------------------------------

/** An Error with an errno name, as providers throw them (the core maps it to the TsmError). */
function errnoError(code, message, extra = {}) {
  return Object.assign(new Error(`${message}: ${code}`), { code, errno: errnoNumber(code), ...extra });
}

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

// ---- calls -----------------------------------------------------------------------------------

/** Allocates device memory of the given sizes for fn, and frees it on every path. */
async function withMemory(device, sizes, fn) {
  const bufs = [];
  try {
    for (const n of sizes) bufs.push(device.alloc(n));
    return await fn(...bufs);
  } finally {
    for (const b of bufs) b.free();
  }
}

async function withDevice(device, path, fn) {
  const fd = await device.open(path);
  try {
    return await fn(fd);
  } finally {
    await device.close(fd);
  }
}

function userData(bytes, field) {
  if (!(bytes instanceof Uint8Array) || bytes.length !== REPORTDATA_LEN) {
    throw errnoError("EINVAL", `${field} must be exactly ${REPORTDATA_LEN} bytes, got ${bytes?.length}`, { field, offset: 0 });
  }
  return bytes;
}

/**
 * One SEV guest request: the 32-byte snp_guest_request_ioctl pointing at req and resp. A failed
 * ioctl's error gains fwError/vmmError from exitinfo2 (the kernel copies the struct back only
 * when exitinfo2 is non-zero, so it starts at 0 here).
 */
async function guestRequest(device, fd, request, req, resp, msgVersion) {
  return withMemory(device, [LAYOUTS.snp_guest_request_ioctl.size], async (g) => {
    const L = LAYOUTS.snp_guest_request_ioctl;
    setFields(g.bytes, L, { msg_version: msgVersion, req_data: req.address, resp_data: resp.address, exitinfo2: 0n });
    try {
      await device.ioctl(fd, request, g.address);
    } catch (e) {
      const x = splitExitinfo2(getField(g.bytes, L, "exitinfo2"));
      if (x.fwError || x.vmmError) {
        Object.assign(e, x);
        e.message += ` (fw_error 0x${x.fwError.toString(16)}, vmm_error ${x.vmmError}${x.meaning ? `: ${x.meaning}` : ""})`;
      }
      throw e;
    }
  });
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

/** SNP_GET_REPORT: { outblob } (the report without its header). */
export async function snpGetReport(device, fd, { userData: data, vmpl = 0, msgVersion = MSG_VERSION }) {
  const L = LAYOUTS.snp_report_req;
  userData(data, "user_data");
  return withMemory(device, [L.size, LAYOUTS.snp_report_resp.size], async (req, resp) => {
    setFields(req.bytes, L, { user_data: data, vmpl });
    await guestRequest(device, fd, IOCTL.SNP_GET_REPORT, req, resp, msgVersion);
    return { outblob: reportFromResponse(resp.bytes) };
  });
}

/**
 * SNP_GET_EXT_REPORT with a certificate buffer of certsLen bytes (0: none): { outblob, auxblob? }.
 * A failure gains .certsLen when the kernel wrote a required size back (certificates too small).
 */
export async function snpGetExtReport(device, fd, { userData: data, vmpl = 0, certsLen, msgVersion = MSG_VERSION }) {
  const L = LAYOUTS.snp_ext_report_req;
  userData(data, "user_data");
  const sizes = [L.size, LAYOUTS.snp_report_resp.size, ...(certsLen ? [certsLen] : [])];
  return withMemory(device, sizes, async (req, resp, certs) => {
    setFields(req.bytes, L, { user_data: data, vmpl, certs_address: certs?.address ?? 0n, certs_len: certsLen });
    try {
      await guestRequest(device, fd, IOCTL.SNP_GET_EXT_REPORT, req, resp, msgVersion);
    } catch (e) {
      const wanted = getField(req.bytes, L, "certs_len");
      if (wanted !== certsLen) e.certsLen = wanted;
      throw e;
    }
    const outblob = reportFromResponse(resp.bytes);
    const auxblob = certs ? trimCertificates(certs.bytes) : new Uint8Array(0);
    return auxblob.length ? { outblob, auxblob } : { outblob };
  });
}

/**
 * The sev_guest report: extended (certificates) from one page up; when the host says the buffer
 * is too small (EIO, vmm_error 1, required size written back) it is retried once with that size,
 * if the kernel would accept it (a multiple of 4096, at most 16 KiB — the configfs provider's
 * fixed buffer, so both paths fail alike beyond it). extended = false uses SNP_GET_REPORT.
 */
export async function sevReport(device, fd, { userData: data, vmpl = 0, extended = true }) {
  if (!extended) return snpGetReport(device, fd, { userData: data, vmpl });
  try {
    return await snpGetExtReport(device, fd, { userData: data, vmpl, certsLen: PAGE_SIZE });
  } catch (e) {
    const n = e.certsLen;
    const retry = e.code === "EIO" && e.vmmError === VMM_ERR.INVALID_LEN && n > PAGE_SIZE && n <= CERTS_MAX && n % PAGE_SIZE === 0;
    if (!retry) throw e;
    return snpGetExtReport(device, fd, { userData: data, vmpl, certsLen: n });
  }
}

/** TDX_CMD_GET_REPORT0: the TDREPORT (1024 bytes) for 64 bytes of report data. */
export async function tdxGetReport0(device, fd, reportData) {
  const L = LAYOUTS.tdx_report_req;
  userData(reportData, "reportdata");
  return withMemory(device, [L.size], async (req) => {
    setFields(req.bytes, L, { reportdata: reportData });
    await device.ioctl(fd, IOCTL.TDX_CMD_GET_REPORT0, req.address);
    return getField(req.bytes, L, "tdreport");
  });
}

// ---- the backend -----------------------------------------------------------------------------

/** A provider generator (SimTsm's interface) that makes each report with the device's ioctls. */
export function ioctlProvider(name, { device = libcDevice, extended = true } = {}) {
  const path = DEVICES[name];
  if (!path) throw new TypeError(`no legacy device for provider ${name} (known: ${Object.keys(DEVICES).join(", ")})`);
  const reportNew = name === "sev_guest"
    ? ({ inblob, privlevel = 0 }) => withDevice(device, path, (fd) => sevReport(device, fd, { userData: inblob, vmpl: privlevel, extended }))
    : ({ inblob }) => withDevice(device, path, async (fd) => ({ outblob: await tdxGetReport0(device, fd, inblob) }));
  return { name, reportNew };
}

const ADVICE = {
  sev_guest: "no /dev/sev-guest: not an SEV-SNP guest, or sev-guest module not loaded",
  tdx_guest: "no /dev/tdx_guest: not a TDX guest, or tdx-guest module not loaded",
  any: `no ${Object.values(DEVICES).join(" or ")}: not a confidential guest, or its guest driver (sev-guest, tdx-guest) is not loaded`,
};

/** The TsmError for a device that would not open; `missing` is the advice when it does not exist. */
function openError(e, path, missing) {
  const code = e?.code ?? "EIO";
  const advice = code === "ENOENT" ? missing
    : code === "EACCES" || code === "EPERM" ? `${path} is root-only: run as root or grant access with a udev rule` : "";
  return new TsmError({ code, errno: e?.errno ?? errnoNumber(code) ?? 0, message: `open ${path}: ${code}`, advice, cause: e });
}

/** The provider whose device opens: `provider` if given, else sev_guest, then tdx_guest. */
async function probe(device, provider) {
  const names = provider ? [provider] : Object.keys(DEVICES);
  const failures = [];
  for (const name of names) {
    if (!DEVICES[name]) throw new TypeError(`no legacy device for provider ${name} (known: ${Object.keys(DEVICES).join(", ")})`);
    try {
      await device.close(await device.open(DEVICES[name]));
      return name;
    } catch (e) {
      failures.push({ e, name });
    }
  }
  // The most telling failure: a device that exists but would not open, else "none of them".
  const f = failures.find(({ e }) => e?.code !== "ENOENT") ?? failures[0];
  throw openError(f.e, DEVICES[f.name], failures.length > 1 ? ADVICE.any : ADVICE[f.name]);
}

/**
 * The backend object. `await ioctlBackend.open(options)` finds the device and returns the
 * operations getReport drives (mkdir/rmdir/read/write), or throws the TsmError of the device
 * (ENOENT, EACCES, ...) with advice.
 * options: { device (default libcDevice; hosts/sim/ioctl-device.js for tests), provider
 *   ("sev_guest" | "tdx_guest"; default: whichever device opens), extended (sev_guest: default
 *   true = SNP_GET_EXT_REPORT with certificates; false = SNP_GET_REPORT) }
 * @type {Readonly<{ name: "ioctl", open(options?: { device?: typeof libcDevice,
 *   provider?: "sev_guest" | "tdx_guest", extended?: boolean }): Promise<object> }>}
 */
export const ioctlBackend = Object.freeze({
  name: "ioctl",
  async open({ device = libcDevice, provider, extended = true } = {}) {
    const name = await probe(device, provider);
    // privlevel floor 0: the ioctl has none (the firmware judges the VMPL); no SVSM service path.
    const tsm = new SimTsm({ provider: ioctlProvider(name, { device, extended }) });
    return { ...simBackend(tsm), provider: name, device: DEVICES[name] };
  },
});
