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
// report item) by putting the core's kernel model (hosts/kernel/model.js) in front of the device, with
// the ioctl as its provider — as the kernel's own sev-guest configfs provider wraps the same
// firmware call. So getReport's machine, its rules (inblob exactly 64 bytes, checked before any
// ioctl), its result shape and its TsmErrors are the configfs backend's, unchanged.
import { KernelModel } from "../kernel/model.js";
import { modelBackend } from "../kernel/backend.js";
import { errnoError } from "../kernel/errno.js";
import {
  LAYOUTS, IOCTL, DEVICES, PAGE_SIZE, MSG_VERSION, getField, setFields, splitExitinfo2,
  reportFromResponse, trimCertificates, certsRetry,
} from "../kernel/ioctl-abi.js";
import { linuxErrno } from "./errno.js";
import { TsmError } from "./errors.js";
import { libcDevice } from "./ioctl-device.js";


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

/** The report data, checked against its field's size before any ioctl. */
function userData(bytes, l, field) {
  const size = l.fields.find(([n]) => n === field)[2];
  if (!(bytes instanceof Uint8Array) || bytes.length !== size) {
    throw errnoError("EINVAL", `${field} must be exactly ${size} bytes, got ${bytes?.length}`, { field, offset: 0 });
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

/** SNP_GET_REPORT: { outblob } (the report without its header). */
export async function snpGetReport(device, fd, { userData: data, vmpl = 0, msgVersion = MSG_VERSION }) {
  const L = LAYOUTS.snp_report_req;
  userData(data, L, "user_data");
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
  userData(data, L, "user_data");
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
    if (e.code !== "EIO" || !certsRetry(e.vmmError, n)) throw e;
    return snpGetExtReport(device, fd, { userData: data, vmpl, certsLen: n });
  }
}

/** TDX_CMD_GET_REPORT0: the TDREPORT (1024 bytes) for 64 bytes of report data. */
export async function tdxGetReport0(device, fd, reportData) {
  const L = LAYOUTS.tdx_report_req;
  userData(reportData, L, "reportdata");
  return withMemory(device, [L.size], async (req) => {
    setFields(req.bytes, L, { reportdata: reportData });
    await device.ioctl(fd, IOCTL.TDX_CMD_GET_REPORT0, req.address);
    return getField(req.bytes, L, "tdreport");
  });
}

// ---- the backend -----------------------------------------------------------------------------

/** A provider generator (KernelModel's interface) that makes each report with the device's ioctls. */
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
  return new TsmError({ code, errno: e?.errno ?? linuxErrno(code) ?? 0, message: `open ${path}: ${code}`, advice, cause: e });
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
    const tsm = new KernelModel({ provider: ioctlProvider(name, { device, extended }) });
    return { ...modelBackend(tsm), provider: name, device: DEVICES[name] };
  },
});
