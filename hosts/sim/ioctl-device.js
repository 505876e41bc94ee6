// A simulated /dev/sev-guest or /dev/tdx_guest: the kernel side of the legacy ioctls
// (spec/configfs-tsm.md section 4) over the simulator's evidence generators, behind the device
// interface of hosts/node/ioctl-device.js (open, ioctl, close, alloc), on the shared ABI of
// hosts/kernel/ioctl-abi.js.
//
// Memory: alloc() hands out addresses from a registry of page-aligned regions with a guard gap;
// ioctl() receives the raw request bytes exactly as libc would pass them and resolves every user
// pointer in them (the 32-byte struct, req_data, resp_data, certs_address) the way the kernel's
// copy_from_user/copy_to_user do: a range outside a live region is EFAULT.
//
// createIoctlDevice(opts):
//   provider   "sev_guest" | "tdx_guest" or a generator { name, reportNew } (default "sev_guest")
//   generator  options for createProvider (latencyMs, fault, ...)
//   guestVmpl  the VMPL the simulated SEV guest runs at (default 0): lower vmpl -> INVALID_PARAM
//   status     force this MSG_REPORT_RSP status (firmware error in the response)
//   hostError  { code, fwError, vmmError }: the guest request fails with that errno and exitinfo2
// The device records what it was asked in `calls` ({ syscall, path | request }); peek(address,
// len) copies user memory, so tests can see what a request carried.
import { createProvider } from "./providers/index.js";
import { encode, sizeOf } from "./encode.js";
import { sha, INTEL_PLATFORM } from "./pki.js";
import { decodeQuote } from "../js/decode.js";
import { errnoError } from "../kernel/errno.js";
import { DEVICES, IOCTL, LAYOUTS, PAGE_SIZE, VMM_ERR, FW_STATUS, getField, setFields, fieldOf, certsLenAccepted } from "../kernel/ioctl-abi.js";

const NO_FW_CALL = 0xffffffffffffffffn; // SEV_RET_NO_FW_CALL as exitinfo2
const GUARD = PAGE_SIZE; // unmapped gap after every region
const TDX_REPORT_TYPE = 0x81;

/** The registry of user memory: address -> bytes. */
function userMemory() {
  const regions = new Map();
  let next = 0x7f0000000000n;
  return {
    alloc(size) {
      const address = next;
      const bytes = new Uint8Array(size);
      next += BigInt(Math.ceil(size / PAGE_SIZE) * PAGE_SIZE + GUARD);
      regions.set(address, bytes);
      return { address, bytes, free: () => regions.delete(address) };
    },
    /** The caller's bytes at [address, address + len), or EFAULT. */
    user(address, len) {
      const a = BigInt(address);
      for (const [base, bytes] of regions) {
        if (a >= base && a + BigInt(len) <= base + BigInt(bytes.length)) {
          const at = Number(a - base);
          return bytes.subarray(at, at + len);
        }
      }
      throw errnoError("EFAULT", `user address 0x${a.toString(16)} (+${len})`);
    },
  };
}

/** A TDREPORT for reportData carrying the TD fields of the generator's quote body. */
async function tdreportFrom(quote, reportData) {
  const b = decodeQuote(quote).body;
  const teeTcbInfo = encode("teeTcbInfo", {
    valid: "ff01030000000000", teeTcbSvn: b.teeTcbSvn, mrSeam: b.mrSeam, mrSignerSeam: b.mrSignerSeam, attributes: b.seamAttributes,
  });
  const tdInfo = encode("tdInfo", {
    attributes: b.tdAttributes, xfam: b.xfam, mrTd: b.mrTd, mrConfigId: b.mrConfigId, mrOwner: b.mrOwner,
    mrOwnerConfig: b.mrOwnerConfig, rtmr0: b.rtmr0, rtmr1: b.rtmr1, rtmr2: b.rtmr2, rtmr3: b.rtmr3,
  });
  const mac = encode("reportMacStruct", {
    reportType: TDX_REPORT_TYPE, cpuSvn: INTEL_PLATFORM.cpuSvn,
    teeTcbInfoHash: await sha("SHA-384", teeTcbInfo), teeInfoHash: await sha("SHA-384", tdInfo), reportData,
  });
  // SIMULATED MAC: the real one is keyed by the CPU and only checkable on the same platform.
  mac.set(await sha("SHA-256", "tsmkit TEST TDREPORT MAC", mac.subarray(0, 224)), 224);
  const out = new Uint8Array(sizeOf("reportMacStruct") + 256 + sizeOf("tdInfo"));
  out.set(mac, 0);
  out.set(teeTcbInfo, 256);
  out.set(tdInfo, 512);
  return out;
}

export function createIoctlDevice(opts = {}) {
  const { provider = "sev_guest", generator = {}, guestVmpl = 0, status, hostError } = opts;
  const gen = typeof provider === "string" ? createProvider(provider, generator) : provider;
  const path = DEVICES[gen.name];
  const mem = userMemory();
  const fds = new Map();
  let nextFd = 3;
  const calls = [];

  /** The firmware: { status, report, certs } for a report request; ctx.exitinfo2 as the host sets it. */
  async function firmware(ctx, req, L) {
    ctx.exitinfo2 = NO_FW_CALL; // newer kernels' arch layer, before calling the host
    if (hostError) {
      ctx.exitinfo2 = BigInt(hostError.fwError ?? 0) | (BigInt(hostError.vmmError ?? 0) << 32n);
      throw errnoError(hostError.code, "SNP guest request");
    }
    const vmpl = getField(req, L, "vmpl");
    const rsvdZero = getField(req, L, "rsvd").every((x) => x === 0);
    const st = status ?? (!rsvdZero || vmpl > 3 || vmpl < guestVmpl ? FW_STATUS.INVALID_PARAM : FW_STATUS.SUCCESS);
    if (st !== FW_STATUS.SUCCESS) { ctx.exitinfo2 = 0n; return { status: st, report: new Uint8Array(0) }; }
    const r = await gen.reportNew({ inblob: getField(req, L, "user_data"), privlevel: vmpl });
    ctx.exitinfo2 = 0n;
    return { status: st, report: r.outblob, certs: r.auxblob ?? new Uint8Array(0) };
  }

  function respond(respAddr, { status: st, report }) {
    const L = LAYOUTS.snp_report_resp;
    const resp = mem.user(respAddr, L.size);
    resp.fill(0);
    setFields(resp, L, { status: st, report_size: report.length });
    resp.set(report, fieldOf(L, "report")[1]);
  }

  async function getReport(ctx, g) {
    const L = LAYOUTS.snp_report_req;
    const [reqAddr, respAddr] = [getField(g, LAYOUTS.snp_guest_request_ioctl, "req_data"), getField(g, LAYOUTS.snp_guest_request_ioctl, "resp_data")];
    if (!reqAddr || !respAddr) throw errnoError("EINVAL", "NULL req_data/resp_data");
    const req = mem.user(reqAddr, L.size).slice();
    respond(respAddr, await firmware(ctx, req, L));
  }

  async function getExtReport(ctx, g) {
    const L = LAYOUTS.snp_ext_report_req;
    const G = LAYOUTS.snp_guest_request_ioctl;
    const [reqAddr, respAddr] = [getField(g, G, "req_data"), getField(g, G, "resp_data")];
    if (!reqAddr || !respAddr) throw errnoError("EINVAL", "NULL req_data/resp_data");
    const userReq = mem.user(reqAddr, L.size);
    const req = userReq.slice();
    const certsAddr = getField(req, L, "certs_address");
    const certsLen = getField(req, L, "certs_len");
    const wantCerts = certsAddr !== 0n && certsLen !== 0;
    if (wantCerts && !certsLenAccepted(certsLen)) throw errnoError("EINVAL", `certs_len ${certsLen}`);
    const fw = await firmware(ctx, req, L);
    if (wantCerts && fw.certs) {
      const need = Math.ceil(fw.certs.length / PAGE_SIZE) * PAGE_SIZE;
      if (need > certsLen) {
        // The host's answer; the kernel reissues without certificates, then reports EIO.
        ctx.exitinfo2 = BigInt(VMM_ERR.INVALID_LEN) << 32n;
        setFields(userReq, L, { certs_len: need });
        throw errnoError("EIO", `certificate buffer of ${certsLen} bytes, ${need} needed`);
      }
      const out = mem.user(certsAddr, certsLen);
      out.fill(0);
      out.set(fw.certs);
    }
    respond(respAddr, fw);
  }

  async function sevIoctl(request, arg) {
    const G = LAYOUTS.snp_guest_request_ioctl;
    const user = mem.user(arg, G.size);
    const g = user.slice();
    if (getField(g, G, "msg_version") === 0) throw errnoError("EINVAL", "msg_version 0");
    const ctx = { exitinfo2: 0xffn };
    try {
      if (request === IOCTL.SNP_GET_REPORT) await getReport(ctx, g);
      else if (request === IOCTL.SNP_GET_EXT_REPORT) await getExtReport(ctx, g);
      else throw errnoError("ENOTTY", `ioctl 0x${request.toString(16)}`);
    } finally {
      // Copied back only when non-zero, as the kernel does.
      if (ctx.exitinfo2) setFields(user, G, { exitinfo2: ctx.exitinfo2 });
    }
  }

  async function tdxIoctl(request, arg) {
    if (request !== IOCTL.TDX_CMD_GET_REPORT0) throw errnoError("ENOTTY", `ioctl 0x${request.toString(16)}`);
    const L = LAYOUTS.tdx_report_req;
    const user = mem.user(arg, L.size);
    const reportData = getField(user, L, "reportdata");
    const { outblob } = await gen.reportNew({ inblob: reportData });
    setFields(user, L, { tdreport: await tdreportFrom(outblob, reportData) });
  }

  return {
    name: `sim ${gen.name}`,
    calls,
    open(p) {
      calls.push({ syscall: "open", path: p });
      if (p !== path) throw errnoError("ENOENT", `open ${p}`);
      fds.set(nextFd, p);
      return nextFd++;
    },
    async ioctl(fd, request, address) {
      calls.push({ syscall: "ioctl", request });
      if (!fds.has(fd)) throw errnoError("EBADF", `ioctl fd ${fd}`);
      return gen.name === "sev_guest" ? sevIoctl(request, address) : tdxIoctl(request, address);
    },
    close(fd) {
      calls.push({ syscall: "close" });
      if (!fds.delete(fd)) throw errnoError("EBADF", `close fd ${fd}`);
    },
    alloc: (size) => mem.alloc(size),
    /** A copy of the caller's memory (tests look at what a request carried). */
    peek: (address, len) => mem.user(address, len).slice(),
  };
}
