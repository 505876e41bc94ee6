// Simulated tsm-mr measurement registers (Linux 6.16+): the `measurements/` attribute group of
// tdx_guest. Every rule is the core's (assembly/tsm/measurements.ts, through hosts/js/tsm-core.js):
// the register table, file names, sizes and modes, and what a write does (EFBIG at or past the
// end, EINVAL unless the whole register at offset 0, else the extend, SHA-384 in the core: this
// is the simulated kernel and TDX module deciding the value). This file keeps the values and
// applies sysfs's read clipping (a read past the size is EOF) and kernfs's open check (EACCES
// against the mode bits, even for root).
import { MR_RULES, mrWrite } from "../js/tsm-core.js";
import { errnoByName, errnoName, kernelError } from "../kernel/errno.js";
import { fromHex } from "../js/bytes.js";

const PROVIDER = "tdx_guest";
const { READABLE, WRITABLE } = MR_RULES.modes;

/** tdx_guest's registers in the kernel's order: { name, file, hash (null: NOHASH), size, flags, mode, field }. */
export const TDX_REGISTERS = Object.freeze(MR_RULES.groups[PROVIDER].registers.map((r) => Object.freeze(r)));

/**
 * A tdx_guest measurement register group. `initial` maps TD report field names (rtmr0..3, mrTd,
 * mrConfigId, mrOwner, mrOwnerConfig) to values (bytes or hex) of the register's size; missing
 * ones start as zeros.
 */
export class Measurements {
  #regs = new Map(); // file name -> { ...register, index, value }

  constructor(initial = {}) {
    TDX_REGISTERS.forEach((r, index) => {
      const v = initial[r.field];
      const value = v === undefined ? new Uint8Array(r.size) : typeof v === "string" ? fromHex(v) : Uint8Array.from(v);
      if (value.length !== r.size) throw new RangeError(`initial ${r.field} takes ${r.size} bytes, got ${value.length}`);
      this.#regs.set(r.file, { ...r, index, value });
    });
  }

  #get(file) {
    const r = this.#regs.get(file);
    if (!r) throw kernelError(errnoByName("ENOENT"), `no register file "${file}"`);
    return r;
  }

  /** File names, in the kernel's order. */
  readdir() { return [...this.#regs.keys()]; }

  /** { mode, size } of a register file, as tsm-mr sets them. */
  stat(file) {
    const { mode, size } = this.#get(file);
    return { mode, size };
  }

  /** Checks an open for "r", "w" or "rw" against the mode bits (EACCES), as kernfs does. */
  open(file, access) {
    const { mode } = this.#get(file);
    if (access.includes("r") && !(mode & READABLE)) throw kernelError(errnoByName("EACCES"), `${file} is not readable`);
    if (access.includes("w") && !(mode & WRITABLE)) throw kernelError(errnoByName("EACCES"), `${file} is not writable`);
  }

  /** pread: at most `length` bytes from `position`; empty at or past the end. */
  read(file, position, length) {
    const { value } = this.#get(file);
    return value.slice(Math.min(position, value.length), Math.min(position + length, value.length));
  }

  /** pwrite: returns the count written (the whole register, or 0 for nothing) or throws the core's errno. */
  write(file, bytes, position) {
    const r = this.#get(file);
    const { n, value } = mrWrite(PROVIDER, r.index, r.value, bytes, position);
    if (n < 0) {
      const why = { EFBIG: `write at offset ${position} of a ${r.size}-byte register`, EINVAL: `tsm-mr takes exactly ${r.size} bytes at offset 0 (got ${bytes.length} at ${position})` };
      throw kernelError(-n, why[errnoName(-n)] ?? file);
    }
    if (value) r.value = value;
    return n;
  }

  /** Current values as TD report fields ({ rtmr0: Uint8Array, ..., mrOwnerConfig }), for quotes. */
  reportFields() {
    return Object.fromEntries([...this.#regs.values()].map((r) => [r.field, r.value.slice()]));
  }
}
