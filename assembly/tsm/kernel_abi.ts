// Flat exports of the configfs-tsm kernel model for JS hosts (hosts/kernel/model.js). Same boundary
// style as abi.ts: the host copies names and write data to the shared input region
// (input_reserve), results land in an output view (tsm_out_ptr/tsm_out_len). No allocator
// crosses the boundary. Several simulated kernels can live in one instance: `k` is a handle.
//
// Return values: >= 0 success; -errno (Linux numbers, tsm/errno.ts); or the statuses below.
//   TSM_WAIT     the global lock is held by a running report_new: await it, then retry the call.
//   TSM_GENERATE a blob read needs the provider: read tsm_req_*, run it, hand the blobs in with
//                tsm_blob_reserve, then tsm_complete(k, errno) returns the read's result.
//   TSM_OOPS     the modelled kernel dereferences NULL (pre-fba4ceaa242d, no provider).
// Positions and lengths are u32: hosts clamp larger values to 0xffffffff (still EFBIG or EOF).
import { inPtr } from "../formats/table";
import { Errno, errnoName, errnoNumber, errnoCount, errnoAt } from "./errno";
import { PROFILES, profileByName } from "./profiles";
import {
  providerName, providerByName, ATTR_COUNT, attrName, attrByName, attrIsBinary, attrMode,
} from "./providers";
import { WAIT, GENERATE, OOPS } from "./item";
import { guidText } from "../formats/guid";
import { Configfs, readView } from "./configfs";

const kernels: (Configfs | null)[] = [];

// ---- output view --------------------------------------------------------------------------
let outView: Uint8Array = new Uint8Array(0);
function emit(b: Uint8Array): i32 { outView = b; return b.length; }
function emitText(s: string): i32 { return emit(Uint8Array.wrap(String.UTF8.encode(s))); }
export function tsm_out_ptr(): usize { return outView.dataStart; }
export function tsm_out_len(): u32 { return <u32>outView.length; }

function inputText(len: u32): string { return String.UTF8.decodeUnsafe(inPtr, len); }
function inputBytes(len: u32): Uint8Array {
  const b = new Uint8Array(<i32>len);
  memory.copy(b.dataStart, inPtr, len);
  return b;
}
function kernel(k: i32): Configfs | null { return k >= 0 && k < kernels.length ? kernels[k] : null; }

// ---- statuses and tables ------------------------------------------------------------------
export function tsm_status_wait(): i32 { return WAIT; }
export function tsm_status_generate(): i32 { return GENERATE; }
export function tsm_status_oops(): i32 { return OOPS; }
export function tsm_attr_count(): i32 { return ATTR_COUNT; }
/** Attribute a's file name into the output view; returns its length. */
export function tsm_attr_name(a: i32): i32 { return emitText(attrName(a)); }
export function tsm_attr_by_name(len: u32): i32 { return attrByName(inputText(len)); }
export function tsm_attr_mode(a: i32): u32 { return attrMode(a); }
export function tsm_attr_binary(a: i32): bool { return attrIsBinary(a); }
export function tsm_errno_count(): i32 { return errnoCount(); }
export function tsm_errno_at(i: i32): i32 { return errnoAt(i); }
export function tsm_errno_name(e: i32): i32 { return emitText(errnoName(e)); }
export function tsm_errno_number(len: u32): i32 { return errnoNumber(inputText(len)); }
export function tsm_profile_by_name(len: u32): i32 { return profileByName(inputText(len)); }
/** Whether profile p's kernel has tsm-mr measurement registers; false for an unknown id. */
export function tsm_profile_tsm_mr(p: i32): bool { return p >= 0 && p < PROFILES.length && PROFILES[p].tsmMr; }
export function tsm_provider_by_name(len: u32): i32 { return providerByName(inputText(len)); }
export function tsm_provider_name(p: i32): i32 { return emitText(providerName(p)); }

// ---- kernel lifecycle -----------------------------------------------------------------------
/** A fresh kernel with no provider registered; returns its handle or -EINVAL. */
export function tsm_kernel_new(profile: i32): i32 {
  if (profile < 0 || profile >= PROFILES.length) return -Errno.EINVAL;
  kernels.push(new Configfs(PROFILES[profile]));
  return kernels.length - 1;
}
/** Drops a kernel and everything it holds (items, cached blobs, descriptors). */
export function tsm_kernel_free(k: i32): void {
  if (k >= 0 && k < kernels.length) kernels[k] = null;
}
/** tsm_register: 0, -EBUSY, -ENODEV (provider not in this kernel), TSM_WAIT. */
export function tsm_register(k: i32, provider: i32, floor: u32, svsm: bool): i32 {
  const c = kernel(k);
  return c ? c.tsm.register(provider, floor, svsm) : -Errno.EINVAL;
}
export function tsm_unregister(k: i32): i32 {
  const c = kernel(k);
  return c ? c.tsm.unregister() : -Errno.EINVAL;
}
/** The registered provider (Provider enum), 0 for none. */
export function tsm_provider(k: i32): i32 {
  const c = kernel(k);
  return c ? c.tsm.provider : 0;
}

// ---- directory (names in the input region) --------------------------------------------------
export function tsm_mkdir(k: i32, nameLen: u32): i32 {
  const c = kernel(k);
  return c ? c.mkdir(inputText(nameLen)) : -Errno.EINVAL;
}
export function tsm_rmdir(k: i32, nameLen: u32): i32 {
  const c = kernel(k);
  return c ? c.rmdir(inputText(nameLen)) : -Errno.EINVAL;
}
/** Visible-attribute mask (bit 1 << attribute id) of an item, or -ENOENT. */
export function tsm_item_attrs(k: i32, nameLen: u32): i32 {
  const c = kernel(k);
  const item = c ? c.item(inputText(nameLen)) : null;
  return item ? <i32>item.attrs : -Errno.ENOENT;
}
/** Item names, each followed by a NUL, into the output view; returns the count. */
export function tsm_readdir(k: i32): i32 {
  const c = kernel(k);
  if (!c) return -Errno.EINVAL;
  let s = "";
  for (let i = 0; i < c.order.length; i++) s += c.order[i] + "\0";
  emitText(s);
  return c.order.length;
}

// ---- files --------------------------------------------------------------------------------
/** open(report/<name>/<attr>); flags 1 read, 2 write, 3 both. A descriptor >= 1 or -errno. */
export function tsm_open(k: i32, nameLen: u32, attr: i32, flags: i32): i32 {
  const c = kernel(k);
  return c ? c.open(inputText(nameLen), attr, flags) : -Errno.EINVAL;
}
/** write(2) of `len` bytes from the input region at `pos`. */
export function tsm_write(k: i32, fd: i32, len: u32, pos: u32): i32 {
  const c = kernel(k);
  return c ? c.write(fd, inputBytes(len), pos) : -Errno.EINVAL;
}
/** read(2): n >= 0 bytes in the output view, -errno, TSM_WAIT or TSM_GENERATE. */
export function tsm_read(k: i32, fd: i32, pos: u32, len: u32): i32 {
  const c = kernel(k);
  if (!c) return -Errno.EINVAL;
  const r = c.read(fd, pos, len);
  if (r >= 0) emit(readView);
  return r;
}
/** Applies a descriptor's pending inblob now (see Configfs.flush); 0, -errno or TSM_WAIT. */
export function tsm_flush(k: i32, fd: i32): i32 {
  const c = kernel(k);
  return c ? c.flush(fd) : -Errno.EINVAL;
}
export function tsm_close(k: i32, fd: i32): i32 {
  const c = kernel(k);
  return c ? c.close(fd) : -Errno.EINVAL;
}

// ---- the running report_new (valid between TSM_GENERATE and tsm_complete) -------------------
/** The inblob bytes (inblob_len of them) into the output view; returns the length. */
export function tsm_req_inblob(k: i32): i32 {
  const c = kernel(k);
  const item = c ? c.tsm.busy : null;
  return item ? emit(item.inblob.subarray(0, <i32>item.inblobLen)) : -Errno.EINVAL;
}
export function tsm_req_privlevel(k: i32): u32 {
  const c = kernel(k);
  const item = c ? c.tsm.busy : null;
  return item ? item.privlevel : 0;
}
/** service_provider into the output view (its bytes as written); -1 when NULL. */
export function tsm_req_service_provider(k: i32): i32 {
  const c = kernel(k);
  const item = c ? c.tsm.busy : null;
  if (!item) return -Errno.EINVAL;
  const sp = item.serviceProvider;
  if (sp === null) return -1;
  const b = new Uint8Array(sp.length);
  for (let i = 0; i < sp.length; i++) b[i] = <u8>sp.charCodeAt(i);
  return emit(b);
}
/** service_guid as 36-character lowercase text into the output view. */
export function tsm_req_service_guid(k: i32): i32 {
  const c = kernel(k);
  const item = c ? c.tsm.busy : null;
  return item ? emitText(guidText(item.serviceGuid)) : -Errno.EINVAL;
}
export function tsm_req_service_manifest_version(k: i32): u32 {
  const c = kernel(k);
  const item = c ? c.tsm.busy : null;
  return item ? item.serviceManifestVersion : 0;
}
/** Space for the provider's blob `attr` (outblob, auxblob, manifestblob); the host copies in. */
export function tsm_blob_reserve(k: i32, attr: i32, len: u32): usize {
  const c = kernel(k);
  if (!c || !c.tsm.busy || attr < 1 || attr > 3) return 0;
  return c.tsm.reserve(attr, len).dataStart;
}
/** Ends report_new with `errno` (0 = success) and returns the parked read's result. */
export function tsm_complete(k: i32, errno: i32): i32 {
  const c = kernel(k);
  if (!c || !c.tsm.busy) return -Errno.EINVAL;
  const r = c.complete(errno);
  if (r >= 0) emit(readView);
  return r;
}

// ---- fault injection ----------------------------------------------------------------------
/** Sets an item's write/read generations, to reach the counter-wrap EBUSY (2.2) in tests. */
export function tsm_item_set_generations(k: i32, nameLen: u32, writeGen: u64, readGen: u64): i32 {
  const c = kernel(k);
  const item = c ? c.item(inputText(nameLen)) : null;
  if (!item) return -Errno.ENOENT;
  item.writeGen = writeGen;
  item.readGen = readGen;
  return 0;
}
