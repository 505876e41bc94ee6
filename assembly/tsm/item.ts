// The kernel's report item and global provider state (spec section 2; report.c): attribute
// store/show handlers, the write/read generations, the cached blobs and the single rw-semaphore.
// Sans-IO: a blob read that needs evidence returns GENERATE and parks the item in `tsm.busy`
// (the global lock held for writing); the host runs the provider and calls complete().
import { Errno } from "./errno";
import { hexDigit, guidParse } from "../formats/guid";
import { KernelProfile } from "./profiles";
import {
  Attr, ATTR_COUNT, Provider, INBLOB_MAX, providerAttrs, privlevelInRange, reportNewErrno,
  providerBlobs, outblobErrno, sevUsesSvsm, providerName,
} from "./providers";

// ---- statuses beyond -errno ----------------------------------------------------------------
/** The global lock is held by a report generation in progress: wait for it, then retry. */
export const WAIT: i32 = -1000;
/** A blob read needs the provider: run it with the request parameters, then complete(). */
export const GENERATE: i32 = -1001;
/** The kernel dereferences NULL here (before fba4ceaa242d, no provider): it oopses. */
export const OOPS: i32 = -1002;

// ---- global state (2.1): the provider, the live-item count, the rw-semaphore --------------
export class Tsm {
  provider: i32 = Provider.NONE;
  floor: u32 = 0;
  svsm: bool = false;
  /** Items made and not yet removed (counted since fba4ceaa242d). */
  live: i32 = 0;
  /** The item whose report_new runs: the global lock is held for writing until complete(). */
  busy: Item | null = null;
  // Blobs the host hands in for the running report_new.
  out: Uint8Array | null = null;
  aux: Uint8Array | null = null;
  manifest: Uint8Array | null = null;

  constructor(public profile: KernelProfile) {}

  /** tsm_register (2.5). `floor` is sev_guest's vmpck_id (v6.11+); otherwise the floor is 0. */
  register(p: i32, floor: u32, svsm: bool): i32 {
    if (this.busy) return WAIT;
    if (p <= Provider.NONE || (this.profile.providers & (<u32>1 << p)) == 0) return -Errno.ENODEV;
    if (this.provider != Provider.NONE) return -Errno.EBUSY;
    if (this.profile.countsItems && this.live > 0) return -Errno.EBUSY;
    this.provider = p;
    this.floor = p == Provider.SEV && this.profile.sevFloor ? floor : 0;
    this.svsm = p == Provider.SEV && svsm;
    return 0;
  }

  /** tsm_unregister (2.5): always succeeds since fba4ceaa242d; before it, EBUSY if not ours. */
  unregister(): i32 {
    if (this.busy) return WAIT;
    if (this.provider == Provider.NONE && !this.profile.countsItems) return -Errno.EBUSY;
    this.provider = Provider.NONE;
    return 0;
  }

  /** make_item (1.1): ENXIO with no provider; returns the visible attribute mask. */
  makeItem(): i32 {
    if (this.busy) return WAIT;
    if (this.provider == Provider.NONE) return -Errno.ENXIO;
    this.live++;
    return <i32>(this.profile.attrs & providerAttrs(this.provider, this.svsm));
  }

  reserve(a: i32, len: u32): Uint8Array {
    const b = new Uint8Array(<i32>len);
    if (a == Attr.outblob) this.out = b;
    else if (a == Attr.auxblob) this.aux = b;
    else this.manifest = b;
    return b;
  }
}

/** Text of the last successful show(), for the configfs layer to snapshot. */
export let shown: string = "";

// ---- the report item ---------------------------------------------------------------------------
export class Item {
  inblob: Uint8Array = new Uint8Array(INBLOB_MAX);
  inblobLen: u32 = 0;
  privlevel: u32 = 0;
  /** NULL until written; bytes kept 1:1 as char codes. */
  serviceProvider: string | null = null;
  /** guid_t layout (first three fields little-endian). */
  serviceGuid: Uint8Array = new Uint8Array(16);
  serviceManifestVersion: u32 = 0;
  writeGen: u64 = 0;
  readGen: u64 = 0;
  outblob: Uint8Array | null = null;
  auxblob: Uint8Array | null = null;
  manifestblob: Uint8Array | null = null;
  removed: bool = false;

  constructor(public tsm: Tsm, public name: string, public attrs: u32) {}

  visible(a: i32): bool { return a >= 0 && a < ATTR_COUNT && (this.attrs & (<u32>1 << a)) != 0; }

  /** try_advance_write_generation: EBUSY only if the counter would wrap onto read_gen. */
  private advance(): i32 {
    if (this.writeGen == this.readGen - 1) return -Errno.EBUSY;
    this.writeGen++;
    return 0;
  }

  /** <attr>_store for a text attribute (2.2). `page` holds the bytes written (at most 4095). */
  store(a: i32, page: Uint8Array): i32 {
    const tsm = this.tsm;
    const count = page.length;
    if (a == Attr.privlevel) {
      const v = kstrtouint(page);
      if (v < 0) return <i32>v;
      if (tsm.profile.noProviderOops) {
        // The range check reads the provider's floor before taking the lock.
        if (tsm.provider == Provider.NONE) return OOPS;
        if (!privlevelInRange(tsm.floor, <u32>v)) return -Errno.EINVAL;
        if (tsm.busy) return WAIT;
      } else {
        if (tsm.busy) return WAIT;
        if (tsm.provider == Provider.NONE) return -Errno.ENXIO;
        if (!privlevelInRange(tsm.floor, <u32>v)) return -Errno.EINVAL;
      }
      const e = this.advance();
      if (e) return e;
      this.privlevel = <u32>v;
      return count;
    }
    if (a == Attr.service_manifest_version) {
      const v = kstrtouint(page);
      if (v < 0) return <i32>v;
      if (tsm.busy) return WAIT;
      const e = this.advance();
      if (e) return e;
      this.serviceManifestVersion = <u32>v;
      return count;
    }
    if (tsm.busy) return WAIT;
    const e = this.advance();
    if (e) return e;
    if (a == Attr.service_provider) {
      // One trailing "\n" stripped, then kstrndup stops at a NUL.
      const n = count > 0 && page[count - 1] == 0x0a ? count - 1 : count;
      let s = "";
      for (let i = 0; i < n && page[i] != 0; i++) s += String.fromCharCode(page[i]);
      this.serviceProvider = s;
      return count;
    }
    // service_guid: the generation has advanced and the GUID is reset before it is parsed.
    this.serviceGuid.fill(0);
    return guidParse(page, this.serviceGuid) ? count : -Errno.EINVAL;
  }

  /** inblob's write at close (2.2); the caller discards the result, as configfs does. */
  commitInblob(buf: Uint8Array, len: u32): i32 {
    if (this.tsm.busy) return WAIT;
    const e = this.advance();
    if (e) return e;
    memory.copy(this.inblob.dataStart, buf.dataStart, len);
    this.inblobLen = len;
    return 0;
  }

  /** <attr>_show for a read-only text attribute (2.3); the text lands in `shown`. */
  show(a: i32): i32 {
    const tsm = this.tsm;
    if (tsm.busy) return WAIT;
    if (a == Attr.generation) {
      shown = this.writeGen.toString() + "\n";
      return 0;
    }
    if (tsm.provider == Provider.NONE) return tsm.profile.noProviderOops ? OOPS : -Errno.ENXIO;
    shown = (a == Attr.provider ? providerName(tsm.provider) : tsm.floor.toString()) + "\n";
    return 0;
  }

  /** Cached blob `a` (NULL reads as empty). */
  blob(a: i32): Uint8Array | null {
    return a == Attr.outblob ? this.outblob : a == Attr.auxblob ? this.auxblob : this.manifestblob;
  }
  blobLen(a: i32): i32 {
    const b = this.blob(a);
    return b ? b.length : 0;
  }

  /**
   * tsm_report_read (2.3): the blob's length, or -errno, or GENERATE when report_new must run.
   * Fast path under the read lock, then the slow path under the write lock. Both run here in one
   * step, so the slow path's re-checks (inblob_len, a cache made meanwhile) cannot differ.
   */
  readBlob(a: i32): i32 {
    const tsm = this.tsm;
    if (tsm.busy) return WAIT;
    if (this.inblobLen == 0) return -Errno.EINVAL;
    if (this.outblob !== null && this.readGen == this.writeGen) return this.blobLen(a);
    if (tsm.provider == Provider.NONE) return -tsm.profile.noProviderBlobErrno;
    this.outblob = null;
    this.auxblob = null;
    this.manifestblob = null;
    const e = reportNewErrno(tsm.provider, this.inblobLen, this.privlevel, tsm.floor, this.serviceProvider);
    if (e) return -e;
    tsm.busy = this;
    tsm.out = null;
    tsm.aux = null;
    tsm.manifest = null;
    return GENERATE;
  }

  /**
   * Ends report_new with the provider's errno (0 = success, blobs reserved in `tsm`). On failure
   * read_gen is left alone so the next read retries. Returns 0 or -errno.
   */
  complete(err: i32): i32 {
    const tsm = this.tsm;
    const out = tsm.out, aux = tsm.aux, manifest = tsm.manifest;
    tsm.busy = null;
    tsm.out = null;
    tsm.aux = null;
    tsm.manifest = null;
    if (err == 0 && out === null) err = Errno.EIO; // a provider always sets outblob
    if (err == 0 && out) err = outblobErrno(tsm.provider, tsm.profile.tdxQuoteBuffer, <u32>out.length);
    if (err) return -err;
    const sets = providerBlobs(tsm.provider, sevUsesSvsm(tsm.provider, this.serviceProvider));
    this.outblob = out;
    this.auxblob = (sets & (1 << Attr.auxblob)) ? aux : null;
    this.manifestblob = (sets & (1 << Attr.manifestblob)) ? manifest : null;
    this.readGen = this.writeGen;
    return 0;
  }
}

// ---- parsers (the kernel's, on the written page as a C string) -------------------------------
/** The page byte at i, or 0 past the end (configfs NUL-terminates the page). */
@inline function at(page: Uint8Array, i: i32): u32 { return i < page.length ? <u32>page[i] : 0; }

/**
 * kstrtouint(buf, 0): optional '+', base from the prefix ("0x" + hex digit = 16, leading "0" = 8,
 * else 10), at least one digit, one optional "\n", then the end. -EINVAL, -ERANGE or the value.
 */
export function kstrtouint(page: Uint8Array): i64 {
  let i = 0;
  if (at(page, 0) == 0x2b) i = 1;
  let base: u32 = 10;
  if (at(page, i) == 0x30) {
    if ((at(page, i + 1) | 0x20) == 0x78 && hexDigit(at(page, i + 2)) >= 0) { base = 16; i += 2; }
    else base = 8;
  }
  let v: u64 = 0;
  let overflow = false;
  const start = i;
  for (;;) {
    const d = hexDigit(at(page, i));
    if (d < 0 || <u32>d >= base) break;
    if (v > (U64.MAX_VALUE - <u64>d) / <u64>base) overflow = true;
    v = v * base + <u64>d;
    i++;
  }
  if (overflow) return -Errno.ERANGE;
  if (i == start) return -Errno.EINVAL;
  if (at(page, i) == 0x0a) i++;
  if (at(page, i) != 0) return -Errno.EINVAL;
  if (v > <u64>U32.MAX_VALUE) return -Errno.ERANGE;
  return <i64>v;
}
