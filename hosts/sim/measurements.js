// Simulated tsm-mr measurement registers (Linux 6.16+): the `measurements/` attribute group that
// drivers/virt/coco/guest/tsm-mr.c builds from a provider's register table, with tdx_guest's table.
// File semantics are sysfs binary attributes': size = the register's size; a read past it is EOF;
// a write is clipped to the size, EFBIG at or past it, and tsm-mr refuses anything but the whole
// register at offset 0 (EINVAL); opening against the mode bits is EACCES (kernfs checks them even
// for root). A write to an RTMR extends it: value = SHA-384(value || written bytes).
import { createHash } from "node:crypto";

export const MR_FLAGS = Object.freeze({ NOHASH: 1, WRITABLE: 2, READABLE: 4, LIVE: 8 });
const RTMR = MR_FLAGS.LIVE | MR_FLAGS.WRITABLE | MR_FLAGS.READABLE;

/** tdx_guest's registers in the kernel's order: [name, hash or null (NOHASH), flags, TD report field]. */
export const TDX_REGISTERS = Object.freeze([
  ["rtmr0", "sha384", RTMR, "rtmr0"],
  ["rtmr1", "sha384", RTMR, "rtmr1"],
  ["rtmr2", "sha384", RTMR, "rtmr2"],
  ["rtmr3", "sha384", RTMR, "rtmr3"],
  ["mrtd", "sha384", MR_FLAGS.READABLE, "mrTd"],
  ["mrconfigid", null, MR_FLAGS.READABLE | MR_FLAGS.NOHASH, "mrConfigId"],
  ["mrowner", null, MR_FLAGS.READABLE | MR_FLAGS.NOHASH, "mrOwner"],
  ["mrownerconfig", null, MR_FLAGS.READABLE | MR_FLAGS.NOHASH, "mrOwnerConfig"],
]);
const SIZE = 48;

const errno = (code, message) => Object.assign(new Error(`${code}: ${message}`), { code });

/** The sysfs file name of a register: NAME:HASH, or NAME for a NOHASH one (tsm-mr's grammar). */
export const fileName = (name, hash) => (hash ? `${name}:${hash}` : name);

/**
 * A tdx_guest measurement register group. `initial` maps TD report field names (rtmr0..3, mrTd,
 * mrConfigId, mrOwner, mrOwnerConfig) to 48-byte values; missing ones start as zeros.
 */
export class Measurements {
  #regs = new Map(); // file name -> { name, hash, flags, field, value }

  constructor(initial = {}) {
    for (const [name, hash, flags, field] of TDX_REGISTERS) {
      const v = initial[field];
      const value = v === undefined ? new Uint8Array(SIZE) : Uint8Array.from(typeof v === "string" ? Buffer.from(v, "hex") : v);
      if (value.length !== SIZE) throw new RangeError(`initial ${field} takes ${SIZE} bytes, got ${value.length}`);
      this.#regs.set(fileName(name, hash), { name, hash, flags, field, value });
    }
  }

  #get(file) {
    const r = this.#regs.get(file);
    if (!r) throw errno("ENOENT", `no register file "${file}"`);
    return r;
  }

  /** File names, in the kernel's order. */
  readdir() { return [...this.#regs.keys()]; }

  /** { mode, size } of a register file: 0444 readable, 0200 writable, as tsm-mr sets them. */
  stat(file) {
    const { flags } = this.#get(file);
    return { mode: (flags & MR_FLAGS.READABLE ? 0o444 : 0) | (flags & MR_FLAGS.WRITABLE ? 0o200 : 0), size: SIZE };
  }

  /** Checks an open for "r", "w" or "rw" against the mode bits (EACCES), as kernfs does. */
  open(file, access) {
    const { flags } = this.#get(file);
    if (access.includes("r") && !(flags & MR_FLAGS.READABLE)) throw errno("EACCES", `${file} is not readable`);
    if (access.includes("w") && !(flags & MR_FLAGS.WRITABLE)) throw errno("EACCES", `${file} is not writable`);
  }

  /** pread: at most `length` bytes from `position`; empty at or past the end. */
  read(file, position, length) {
    const { value } = this.#get(file);
    return value.slice(Math.min(position, SIZE), Math.min(position + length, SIZE));
  }

  /** pwrite: returns the count written (the whole register) or throws EFBIG / EINVAL. */
  write(file, bytes, position) {
    const r = this.#get(file);
    if (!(r.flags & MR_FLAGS.WRITABLE)) throw errno("EACCES", `${file} is not writable`);
    if (position >= SIZE) throw errno("EFBIG", `write at offset ${position} of a ${SIZE}-byte register`);
    const count = Math.min(bytes.length, SIZE - position);
    if (count === 0) return 0;
    if (position !== 0 || count !== SIZE) throw errno("EINVAL", `tsm-mr takes exactly ${SIZE} bytes at offset 0 (got ${count} at ${position})`);
    r.value = new Uint8Array(createHash("sha384").update(r.value).update(bytes.subarray(0, SIZE)).digest());
    return SIZE;
  }

  /** Current values as TD report fields ({ rtmr0: Uint8Array, ..., mrOwnerConfig }), for quotes. */
  reportFields() {
    return Object.fromEntries([...this.#regs.values()].map((r) => [r.field, r.value.slice()]));
  }
}
