// tsm-mr measurement registers (spec section 3.1 "Measurements", K12; Linux 6.16+): the rules of a
// `measurements/` sysfs group as drivers/virt/coco/guest/tsm-mr.c builds it from a provider's
// register table, and tdx_guest's table (drivers/virt/coco/tdx-guest/tdx-guest.c). Written once
// here; the simulator (hosts/sim/measurements.js) and the Node client (hosts/node/mr.js) read
// them through hosts/js/tsm-core.js.
//   - A register's file is NAME:HASH (hash_algo_name[mr_hash]), or NAME alone when NOHASH.
//   - Its size is mr_size; its mode 0444 if READABLE, | 0200 if WRITABLE.
//   - A write goes through sysfs_kf_bin_write first (EFBIG at or past the size, the count clipped
//     to it, nothing to do for 0 bytes), then tm_digest_write: anything but the whole register at
//     offset 0 is EINVAL. tdx_guest extends an RTMR (TDG.MR.RTMR.EXTEND): value = SHA-384(value ||
//     written bytes), as samples/tsm-mr does with the register's hash.
import { Errno } from "./errno";
import { inPtr } from "../formats/table";
import { sha384 } from "../crypto/sha512";
import { outReset, outPtr, ascii, byte, dec, jsonString } from "../render/out";

/** include/linux/tsm-mr.h TSM_MR_F_*. */
export const enum MrFlag { NOHASH = 1, WRITABLE = 2, READABLE = 4, LIVE = 8 }
/** TSM_MR_F_RTMR: a runtime register, extended by writes, re-read from hardware after one. */
const RTMR: i32 = MrFlag.LIVE | MrFlag.WRITABLE;
const MODE_READABLE: i32 = 0o444;
const MODE_WRITABLE: i32 = 0o200;

/** A kernel hash algorithm: its hash_algo_name and hash_digest_size (crypto/hash_info.c). */
class Hash {
  constructor(public name: string, public size: u32) {}
}
// In enum hash_algo order (include/uapi/linux/hash_info.h), so the index is HASH_ALGO_*.
const HASHES: Hash[] = [
  new Hash("md4", 16), new Hash("md5", 16), new Hash("sha1", 20), new Hash("rmd160", 20),
  new Hash("sha256", 32), new Hash("sha384", 48), new Hash("sha512", 64), new Hash("sha224", 28),
  new Hash("rmd128", 16), new Hash("rmd256", 32), new Hash("rmd320", 40), new Hash("wp256", 32),
  new Hash("wp384", 48), new Hash("wp512", 64), new Hash("tgr128", 16), new Hash("tgr160", 20),
  new Hash("tgr192", 24), new Hash("sm3", 32), new Hash("streebog256", 32), new Hash("streebog512", 64),
  new Hash("sha3-256", 32), new Hash("sha3-384", 48), new Hash("sha3-512", 64),
];
const HASH_SHA384: i32 = 5;

/** struct tsm_measurement_register, plus the TD report field (decoded name) the register is. */
class Register {
  constructor(public name: string, public hash: i32, public flags: i32, public size: u32, public field: string) {}
}
const tdxHashed = (name: string, flags: i32, field: string): Register =>
  new Register(name, HASH_SHA384, MrFlag.READABLE | flags, 48, field);
const tdxPlain = (name: string, field: string): Register =>
  new Register(name, -1, MrFlag.READABLE | MrFlag.NOHASH, 48, field);

/** A provider's group: the directory its driver's device shows it in, and its registers in order. */
class Group {
  constructor(public provider: string, public dir: string, public registers: Register[]) {}
}
// tdx_guest's tdx_mrs[]: RTMR0-3 (TSM_MR_F_RTMR), MRTD (read-only), then the NOHASH config ones.
const GROUPS: Group[] = [
  new Group("tdx_guest", "/sys/class/misc/tdx_guest/measurements", [
    tdxHashed("rtmr0", RTMR, "rtmr0"), tdxHashed("rtmr1", RTMR, "rtmr1"),
    tdxHashed("rtmr2", RTMR, "rtmr2"), tdxHashed("rtmr3", RTMR, "rtmr3"),
    tdxHashed("mrtd", 0, "mrTd"),
    tdxPlain("mrconfigid", "mrConfigId"), tdxPlain("mrowner", "mrOwner"), tdxPlain("mrownerconfig", "mrOwnerConfig"),
  ]),
];

function fileName(r: Register): string {
  return r.flags & MrFlag.NOHASH ? r.name : r.name + ":" + HASHES[r.hash].name;
}
function mode(flags: i32): i32 {
  return (flags & MrFlag.READABLE ? MODE_READABLE : 0) | (flags & MrFlag.WRITABLE ? MODE_WRITABLE : 0);
}

function member(name: string, value: i32, first: bool): void {
  if (!first) byte(0x2c);
  jsonString(name);
  byte(0x3a);
  dec(<u64>value);
}

/**
 * The rules as JSON for hosts: { flags: { NOHASH, WRITABLE, READABLE, LIVE }, modes: { READABLE,
 * WRITABLE }, hashes: { name: digest size }, groups: { provider: { dir, registers: [{ name, file,
 * hash (null: NOHASH), size, flags, mode, field }] } } }. Returns the output pointer.
 */
export function tsm_mr_rules(): usize {
  outReset();
  ascii("{\"flags\":{");
  member("NOHASH", MrFlag.NOHASH, true); member("WRITABLE", MrFlag.WRITABLE, false);
  member("READABLE", MrFlag.READABLE, false); member("LIVE", MrFlag.LIVE, false);
  ascii("},\"modes\":{");
  member("READABLE", MODE_READABLE, true); member("WRITABLE", MODE_WRITABLE, false);
  ascii("},\"hashes\":{");
  for (let i = 0; i < HASHES.length; i++) member(HASHES[i].name, <i32>HASHES[i].size, i == 0);
  ascii("},\"groups\":{");
  for (let g = 0; g < GROUPS.length; g++) {
    if (g) byte(0x2c);
    jsonString(GROUPS[g].provider);
    ascii(":{\"dir\":");
    jsonString(GROUPS[g].dir);
    ascii(",\"registers\":[");
    const regs = GROUPS[g].registers;
    for (let i = 0; i < regs.length; i++) {
      const r = regs[i];
      ascii(i ? ",{\"name\":" : "{\"name\":"); jsonString(r.name);
      ascii(",\"file\":"); jsonString(fileName(r));
      ascii(",\"hash\":");
      if (r.flags & MrFlag.NOHASH) ascii("null"); else jsonString(HASHES[r.hash].name);
      byte(0x2c); member("size", <i32>r.size, true);
      member("flags", r.flags, false); member("mode", mode(r.flags), false);
      ascii(",\"field\":"); jsonString(r.field);
      byte(0x7d);
    }
    ascii("]}");
  }
  ascii("}}");
  return outPtr;
}

/**
 * The file-name grammar read back: for the `len`-byte file name in the input region, the length
 * of NAME. A suffix ":HASH" counts only for a kernel hash name (no other can be generated), so
 * a NOHASH register whose name has a colon keeps it; `len` means no hash.
 */
export function tsm_mr_name_length(len: u32): u32 {
  for (let i = 0; i < HASHES.length; i++) {
    const h = HASHES[i].name;
    const n = <u32>h.length;
    if (len < n + 2 || load<u8>(inPtr + len - n - 1) != 0x3a) continue;
    let same = true;
    for (let j: u32 = 0; j < n && same; j++) same = load<u8>(inPtr + len - n + j) == <u8>h.charCodeAt(j);
    if (same) return len - n - 1;
  }
  return len;
}

/**
 * write(2) of `count` bytes at `pos` to register `reg` of group `group`: the input region holds
 * the register's value (its size in bytes), then the bytes written. Returns the count the write
 * took (0 for nothing to write) or -errno; after a whole-register write the new value is at
 * tsm_mr_value() (the core decides it: this is the simulated kernel and TDX module's extend).
 */
export function tsm_mr_write(group: i32, reg: i32, pos: u32, count: u32): i32 {
  if (group < 0 || group >= GROUPS.length || reg < 0 || reg >= GROUPS[group].registers.length) return -Errno.ENOENT;
  const r = GROUPS[group].registers[reg];
  if (!(r.flags & MrFlag.WRITABLE)) return -Errno.EACCES; // kernfs refuses the open itself
  if (pos >= r.size) return -Errno.EFBIG;
  const n = min(count, r.size - pos);
  if (n == 0) return 0;
  if (pos != 0 || n != r.size) return -Errno.EINVAL;
  if (r.hash != HASH_SHA384) return -Errno.EOPNOTSUPP; // the core has SHA-384 only; no table needs more
  sha384(inPtr, r.size * 2, changetype<usize>(value));
  return <i32>n;
}

const value = new StaticArray<u8>(64);
/** Where tsm_mr_write left the register's new value. */
export function tsm_mr_value(): usize { return changetype<usize>(value); }
