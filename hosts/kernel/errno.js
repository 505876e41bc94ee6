// Linux errno names and numbers as the core's table has them (assembly/tsm/errno.ts), and the
// two Error shapes built from them. Portable (no node:), so the kernel model runs anywhere the
// core does. Node's full table (os.constants.errno) is hosts/node/errno.js.
import { ERRNOS } from "../js/tsm-kernel.js";

/** number -> name, and name -> number ("EWOULDBLOCK" is EAGAIN, as the core says). */
const BY_NUMBER = new Map(ERRNOS);
const BY_NAME = new Map(ERRNOS.map(([n, name]) => [name, n]));
BY_NAME.set("EWOULDBLOCK", /** @type {number} */ (BY_NAME.get("EAGAIN")));

/** The Linux number of an errno name the core knows, or 0 (unknown names, non-strings). */
export const errnoByName = (name) => (typeof name === "string" ? BY_NAME.get(name) ?? 0 : 0);

/** The Linux name of errno `n` ("E<n>" for one the core does not know). */
export const errnoName = (n) => BY_NUMBER.get(n) ?? `E${n}`;

/** What the kernel model throws for errno `n`: "CODE: what", with .code and .errno. */
export function kernelError(n, what) {
  const code = errnoName(n);
  return Object.assign(new Error(`${code}: ${what}`), { code, errno: n });
}

/**
 * What a provider or a (simulated) device throws: "message: CODE", with .code, .errno and any
 * extra fields (fwStatus, field, ...). The kernel model maps .code to the errno it returns.
 */
export function errnoError(code, message, extra = {}) {
  return Object.assign(new Error(`${message}: ${code}`), { code, errno: errnoByName(code), ...extra });
}
