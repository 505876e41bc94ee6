// Linux errno numbers from Node's own table (os.constants.errno: every errno a syscall can give,
// e.g. ENOTCONN from a dead FUSE mount), for errors that come from the host's system calls.
// The core's (smaller) table, for the kernel model, is hosts/kernel/errno.js.
import { constants } from "node:os";

/** The Linux number of an errno name, or undefined. */
export function linuxErrno(code) {
  const n = constants.errno[code];
  return typeof n === "number" ? n : undefined;
}

/** The Linux name of errno `n`, or "E<n>". */
const NAMES = new Map(Object.entries(constants.errno).map(([k, v]) => [v, k]));
export const linuxErrnoName = (n) => NAMES.get(n) ?? `E${n}`;
