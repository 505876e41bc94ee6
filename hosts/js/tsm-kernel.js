// The kernel-model context: core.wasm's configfs-tsm kernel model (assembly/tsm/kernel_abi.ts),
// its errno table (tsm/errno.ts) and the legacy device ABI (tsm/ioctl_abi.ts) as named calls.
// hosts/kernel/ (KernelModel, errno.js, ioctl-abi.js) reaches the core only through here, so a
// change of the Wasm boundary is a change of this file. `k` is a kernel handle (kernelNew).
import { full } from "./tsm-core.js";

const core = full.exports;
const utf8 = new TextEncoder();
const latin1 = new TextDecoder("latin1");

/** A copy of n bytes of the kernel ABI's output view (tsm_out_ptr). */
const outBytes = (n) => full.bytes(core.tsm_out_ptr(), n);
const outText = (n) => latin1.decode(outBytes(n));
/** Copies a name to the input region; returns its byte length, the form the calls take. */
const text = (s) => full.load(utf8.encode(s));
/** A result: a copy of the output view when r >= 0, else r (-errno or a status). */
const bytesOr = (r) => (r >= 0 ? outBytes(r) : r);

/**
 * What calls return beside lengths and -errno: WAIT (a report generation holds the global lock:
 * wait for it, then call again), GENERATE (a blob read needs the provider: run it, then
 * complete()), OOPS (the modelled kernel dereferences NULL: old kernels, no provider).
 * @type {Readonly<{ WAIT: number, GENERATE: number, OOPS: number }>}
 */
export const STATUS = Object.freeze({
  WAIT: core.tsm_status_wait(), GENERATE: core.tsm_status_generate(), OOPS: core.tsm_status_oops(),
});

/**
 * The attribute table (tsm/providers.ts); the index is the attribute id calls take.
 * @type {ReadonlyArray<Readonly<{ name: string, mode: number, binary: boolean }>>}
 */
export const ATTRIBUTES = Object.freeze(Array.from({ length: core.tsm_attr_count() }, (_, a) => Object.freeze({
  name: outText(core.tsm_attr_name(a)), mode: core.tsm_attr_mode(a), binary: core.tsm_attr_binary(a) === 1,
})));
const ATTR_NAMES = ATTRIBUTES.map((a) => a.name);
/** The id of attribute `name`, or -1. */
export const attrId = (name) => ATTR_NAMES.indexOf(name);

/** The core's errno table: [Linux number, name] pairs. @type {ReadonlyArray<readonly [number, string]>} */
export const ERRNOS = Object.freeze(Array.from({ length: core.tsm_errno_count() }, (_, i) => {
  const n = core.tsm_errno_at(i);
  return Object.freeze(/** @type {[number, string]} */ ([n, outText(core.tsm_errno_name(n))]));
}));

/** A kernel profile's id ("6.7", ..., "7.0"), or -1. @type {(name: string) => number} */
export const profileByName = (name) => core.tsm_profile_by_name(text(name));
/** Whether a kernel profile's kernel has tsm-mr measurement registers. @type {(profile: number) => boolean} */
export const profileHasTsmMr = (profile) => core.tsm_profile_tsm_mr(profile) !== 0;
/** A provider's id ("tdx_guest", ...), or -1. @type {(name: string) => number} */
export const providerByName = (name) => core.tsm_provider_by_name(text(name));

// ---- a kernel's lifecycle and its provider ------------------------------------------------------
/** A fresh kernel of profile id `profile`: its handle, or -errno. @type {(profile: number) => number} */
export const kernelNew = (profile) => core.tsm_kernel_new(profile);
/** Frees kernel `k` (its items and blobs). @type {(k: number) => void} */
export const kernelFree = (k) => core.tsm_kernel_free(k);
/** Registers provider id `p`: 0, -errno or WAIT. @type {(k: number, p: number, privlevelFloor: number, svsm: boolean) => number} */
export const register = (k, p, privlevelFloor, svsm) => core.tsm_register(k, p, privlevelFloor >>> 0, svsm ? 1 : 0);
/** @type {(k: number) => number} 0, -errno or WAIT */
export const unregister = (k) => core.tsm_unregister(k);
/** The registered provider's name, or null. @type {(k: number) => string | null} */
export function providerOf(k) {
  const p = core.tsm_provider(k);
  return p ? outText(core.tsm_provider_name(p)) : null;
}

// ---- report/ (the configfs tree); positions and lengths are u32 -------------------------------
/** @type {(k: number, name: string) => number} 0, -errno or WAIT */
export const mkdir = (k, name) => core.tsm_mkdir(k, text(name));
/** @type {(k: number, name: string) => number} 0, -errno or WAIT */
export const rmdir = (k, name) => core.tsm_rmdir(k, text(name));
/** Item `name`'s visible-attribute mask (bit = attribute id), or -errno. @type {(k: number, name: string) => number} */
export const itemAttrs = (k, name) => core.tsm_item_attrs(k, text(name));
/** The item names, or -errno. @type {(k: number) => string[] | number} */
export function readdir(k) {
  const n = core.tsm_readdir(k);
  if (n <= 0) return n < 0 ? n : [];
  return outText(core.tsm_out_len()).split("\0").slice(0, n);
}
/** open(2) of item `name`'s attribute id `attr`, flags 1 read, 2 write, 3 both: a descriptor (>= 1) or -errno. @type {(k: number, name: string, attr: number, flags: number) => number} */
export const open = (k, name, attr, flags) => core.tsm_open(k, text(name), attr, flags);
/** write(2): the count taken, -errno or WAIT. @type {(k: number, fd: number, bytes: Uint8Array, position: number) => number} */
export const write = (k, fd, bytes, position) => core.tsm_write(k, fd, full.load(bytes), position);
/** read(2): the bytes (a copy; empty at EOF), or -errno, WAIT or GENERATE. @type {(k: number, fd: number, position: number, length: number) => Uint8Array | number} */
export const read = (k, fd, position, length) => bytesOr(core.tsm_read(k, fd, position, length));
/** @type {(k: number, fd: number) => number} 0, -errno or WAIT */
export const flush = (k, fd) => core.tsm_flush(k, fd);
/** @type {(k: number, fd: number) => number} 0, -errno or WAIT */
export const close = (k, fd) => core.tsm_close(k, fd);

// ---- the running report_new (between GENERATE and complete) ------------------------------------
/**
 * What the provider is asked for: the item's inblob, privlevel, service_provider (its bytes as
 * char codes, null when unset), service_guid (36-character text) and service_manifest_version.
 * @param {number} k
 * @returns {{ inblob: Uint8Array, privlevel: number, serviceProvider: string | null, serviceGuid: string, serviceManifestVersion: number }}
 */
export function pendingRequest(k) {
  const inblob = outBytes(core.tsm_req_inblob(k));
  const spLen = core.tsm_req_service_provider(k);
  return {
    inblob,
    privlevel: core.tsm_req_privlevel(k),
    serviceProvider: spLen < 0 ? null : outText(spLen),
    serviceGuid: outText(core.tsm_req_service_guid(k)),
    serviceManifestVersion: core.tsm_req_service_manifest_version(k),
  };
}

const BLOBS = /** @type {const} */ (["outblob", "auxblob", "manifestblob"]);
/**
 * Ends report_new: with errno 0 the provider's blobs go in first. Returns the parked read's
 * bytes (a copy, made before any waiter can call the core), or -errno.
 * @param {number} k
 * @param {number} errno
 * @param {{ outblob?: Uint8Array, auxblob?: Uint8Array, manifestblob?: Uint8Array } | undefined} blobs
 * @returns {Uint8Array | number}
 */
export function complete(k, errno, blobs) {
  if (!errno) {
    for (const name of BLOBS) {
      const b = blobs?.[name];
      if (b == null) continue;
      const ptr = core.tsm_blob_reserve(k, attrId(name), b.length);
      full.views();
      full.heap8.set(b, ptr);
    }
  }
  return bytesOr(core.tsm_complete(k, errno));
}

/** Test hook: item `name`'s write/read generations (u64), to reach the wrap EBUSY. 0 or -errno. */
export function setGenerations(k, name, writeGen, readGen) {
  return core.tsm_item_set_generations(k, text(name), BigInt.asUintN(64, BigInt(writeGen)), BigInt.asUintN(64, BigInt(readGen)));
}

// ---- the legacy guest-device ABI (tsm/ioctl.ts) -------------------------------------------------
/**
 * Struct layouts, ioctl numbers, page size, SEV_FW_BLOB_MAX_SIZE, msg_version, VMM and firmware
 * status codes, as the core defines them.
 * @type {{ layouts: Record<string, { name: string, size: number, fields: Array<[string, number, number, "u8"|"u32"|"u64"|"bytes"]> }>,
 *   ioctl: { SNP_GET_REPORT: number, SNP_GET_DERIVED_KEY: number, SNP_GET_EXT_REPORT: number, TDX_CMD_GET_REPORT0: number }, pageSize: number, certsMax: number, msgVersion: number,
 *   vmmError: Record<string, number>, fwStatus: Record<string, number> }}
 */
export const IOCTL_ABI = full.json("tsm_ioctl_abi");

/** fw_error / vmm_error halves of exitinfo2 (u32s read unsigned), and what they mean. */
export function exitinfo2(x) {
  const v = BigInt.asUintN(64, BigInt(x));
  core.tsm_exitinfo2_meaning(v);
  const meaning = full.output();
  return { fwError: core.tsm_exitinfo2_fw_error(v) >>> 0, vmmError: core.tsm_exitinfo2_vmm_error(v) >>> 0, meaning };
}
/** Whether the kernel takes a certificate buffer of n bytes. @type {(n: number) => boolean} */
export const certsLenAccepted = (n) => core.tsm_snp_certs_len_accepted(n >>> 0) === 1;
/** Whether an extended report failing with vmmError, the host wanting `wanted` bytes, is retried. @type {(vmmError: number, wanted: number) => boolean} */
export const certsRetry = (vmmError, wanted) => core.tsm_snp_certs_retry(vmmError >>> 0, wanted >>> 0) === 1;
/** The errno the configfs provider gives a MSG_REPORT_RSP's status and report_size (0: fine). @type {(status: number, reportSize: number) => number} */
export const snpReportErrno = (status, reportSize) => core.tsm_snp_report_errno(status, reportSize);
/** How much of a certificate table the kernel keeps for auxblob. @type {(table: Uint8Array) => number} */
export const certsTrimmedLength = (table) => core.tsm_snp_certs_trimmed_len(full.load(table));
