// KernelModel: the JS adapter of the core's configfs-tsm kernel model (assembly/tsm/{item,
// configfs}.ts): /sys/kernel/config/tsm/report as the kernel serves it, in-process. This file
// only moves bytes and runs the provider's report generator when the core asks for it; every rule
// and errno comes from the core. Production code (the ioctl backend, with the device as provider)
// and the simulator (the sim backend, the FUSE mount, with signing test providers) both build on it.
//
// API:
//   new KernelModel({ provider, providerName, kernel, privlevelFloor, svsm })
//     provider       generator { name, async reportNew(req) } or null (no provider registered)
//     providerName   "tdx_guest" | "sev_guest" | "arm_cca_guest" (default: provider.name)
//     kernel         "6.7" | "6.11" | "6.16" | "7.0" (default "7.0"): the kernel profile
//     privlevelFloor sev_guest's privlevel_floor (vmpck_id); ignored for other providers (0)
//     svsm           sev_guest runs under an SVSM (snp_vmpl != 0): service_* attributes shown
//   Paths are relative to report/: an item is "name", an attribute ("name", "attr").
//   sync:  readdir(name?) -> string[]   items, or an item's visible attribute files
//          stat(name?, attr?) -> { kind: "dir"|"file", mode, binary? }   mode = permission bits
//          open(name, attr, "r"|"w"|"rw") -> fd (>= 1)
//   async (they wait while a report generation holds the global lock, as the kernel does):
//          mkdir(name) ("item/x": EEXIST for a file, else EPERM), rmdir(name),
//          write(fd, bytes, position = 0) -> n,
//          read(fd, position = 0, length = 65536) -> Uint8Array (empty at EOF), close(fd),
//          flush(fd): apply a pending inblob now (configfs does it at the last close; a FUSE
//          server must do it at flush),
//          registerProvider(gen, { providerName, privlevelFloor, svsm }), unregisterProvider()
//          writeFile(name, attr, bytes|string) -> n and readFile(name, attr) -> Uint8Array: one
//          open/write/close or open/read-to-EOF/close, as a client's WriteFile/ReadFile does
//   Errors: Error with .code (errno name) and .errno (Linux number). A modelled kernel oops
//   (old kernels, no provider) is .code "KERNEL_OOPS" with no .errno.
//   Generator request: { inblob: Uint8Array, privlevel, serviceProvider: string|null (bytes as
//   char codes), serviceGuid: 36-char lowercase text, serviceManifestVersion }. It returns
//   { outblob, auxblob?, manifestblob? } or throws an Error whose .code is an errno name
//   (anything else counts as EIO).
import * as abi from "../js/tsm-kernel.js";
import { errnoByName, kernelError } from "./errno.js";

const utf8 = new TextEncoder();
const { WAIT, GENERATE, OOPS } = abi.STATUS;
const U32_MAX = 0xffffffff;
const [EPERM, ENOENT, EIO, EEXIST] = ["EPERM", "ENOENT", "EIO", "EEXIST"].map(errnoByName);

function check(r, what) {
  if (r === OOPS) {
    throw Object.assign(new Error(`kernel oops (NULL provider) at ${what}`), { code: "KERNEL_OOPS" });
  }
  if (r < 0) throw kernelError(-r, what);
  return r;
}

// A dropped KernelModel frees its kernel (items and cached blobs) inside the shared core instance.
const kernels = new FinalizationRegistry(abi.kernelFree);

const clamp = (n) => Math.min(Math.max(0, Math.floor(n)), U32_MAX);

export class KernelModel {
  /** @param {{provider?: object|null, providerName?: string, kernel?: string, privlevelFloor?: number, svsm?: boolean}} opts */
  constructor({ provider = null, providerName, kernel = "7.0", privlevelFloor = 0, svsm = false } = {}) {
    const profile = abi.profileByName(kernel);
    if (profile < 0) throw new RangeError(`unknown kernel profile ${kernel}`);
    this.kernel = kernel;
    /** Whether this kernel shows the provider's tsm-mr measurement registers. */
    this.hasTsmMr = abi.profileHasTsmMr(profile);
    this.k = check(abi.kernelNew(profile), "kernel");
    kernels.register(this, this.k);
    this.gen = null;
    this.busy = null; // resolves when the running report generation ends
    if (provider) this.#register(provider, { providerName, privlevelFloor, svsm });
  }

  #register(gen, { providerName = gen.name, privlevelFloor = 0, svsm = false } = {}) {
    const p = abi.providerByName(String(providerName));
    if (p < 0) throw new RangeError(`unknown provider ${providerName}`);
    const r = abi.register(this.k, p, privlevelFloor, svsm);
    if (r === WAIT) return r;
    check(r, `register ${providerName}`);
    this.gen = gen;
    return r;
  }

  /** Runs a core call, waiting on the global lock while a generation holds it. */
  async #locked(call) {
    for (;;) {
      const r = call();
      if (r !== WAIT) return r;
      await this.busy;
    }
  }

  /** The registered provider's name ("tdx_guest", ...), or null. */
  get providerName() { return abi.providerOf(this.k); }

  async registerProvider(gen, opts) {
    await this.#locked(() => this.#register(gen, opts));
  }

  async unregisterProvider() {
    check(await this.#locked(() => abi.unregister(this.k)), "unregister");
    this.gen = null;
  }

  /** The visible-attribute mask of item `name` (ENOENT if it does not exist). */
  #mask(name, what) {
    return check(abi.itemAttrs(this.k, name), what);
  }

  /** mkdir report/<name>; "item/x" inside an item is EEXIST for a file, else EPERM (1.1). */
  async mkdir(path) {
    const [name, sub] = String(path).split(/\/(.*)/s);
    if (name === "") throw kernelError(EEXIST, `mkdir ${path}`); // report/ itself
    if (sub !== undefined) {
      const mask = this.#mask(name, `mkdir ${path}`);
      const a = abi.attrId(sub);
      throw kernelError(a >= 0 && (mask & (1 << a)) ? EEXIST : EPERM, `mkdir ${path}`);
    }
    check(await this.#locked(() => abi.mkdir(this.k, name)), `mkdir ${name}`);
  }

  async rmdir(name) {
    check(await this.#locked(() => abi.rmdir(this.k, name)), `rmdir ${name}`);
  }

  /** Item names (no argument) or the visible attribute files of item `name`. */
  readdir(name) {
    if (name === undefined || name === "") {
      return /** @type {string[]} */ (abi.readdir(this.k)); // a live kernel handle: never -errno
    }
    const mask = this.#mask(name, `readdir ${name}`);
    return abi.ATTRIBUTES.filter((_, a) => mask & (1 << a)).map((a) => a.name);
  }

  stat(name, attr) {
    if (name === undefined || name === "") return { kind: "dir", mode: 0o755 };
    const mask = this.#mask(name, `stat ${name}`);
    if (attr === undefined) return { kind: "dir", mode: 0o755 };
    const a = abi.attrId(attr);
    if (a < 0 || !(mask & (1 << a))) throw kernelError(ENOENT, `stat ${name}/${attr}`);
    const { mode, binary } = abi.ATTRIBUTES[a];
    return { kind: "file", mode, binary };
  }

  /** open: flags "r", "w" or "rw". */
  open(name, attr, flags = "r") {
    const f = { r: 1, w: 2, rw: 3 }[flags];
    if (!f) throw new TypeError(`open flags must be "r", "w" or "rw", not ${flags}`);
    const a = abi.attrId(attr);
    if (a < 0) {
      this.#mask(name, `open ${name}/${attr}`);
      throw kernelError(ENOENT, `open ${name}/${attr}`);
    }
    return check(abi.open(this.k, name, a, f), `open ${name}/${attr}`);
  }

  async write(fd, bytes, position = 0) {
    const data = typeof bytes === "string" ? utf8.encode(bytes) : bytes;
    return check(await this.#locked(() => abi.write(this.k, fd, data, clamp(position))), `write fd ${fd}`);
  }

  async read(fd, position = 0, length = 65536) {
    for (;;) {
      const r = abi.read(this.k, fd, clamp(position), clamp(length));
      if (r === WAIT) { await this.busy; continue; }
      if (r === GENERATE) return this.#generate();
      if (typeof r === "number") check(r, `read fd ${fd}`);
      return /** @type {Uint8Array} */ (r);
    }
  }

  async flush(fd) {
    check(await this.#locked(() => abi.flush(this.k, fd)), `flush fd ${fd}`);
  }

  async close(fd) {
    check(await this.#locked(() => abi.close(this.k, fd)), `close fd ${fd}`);
  }

  async writeFile(name, attr, bytes) {
    const fd = this.open(name, attr, "w");
    try {
      return await this.write(fd, bytes, 0);
    } finally {
      await this.close(fd);
    }
  }

  async readFile(name, attr) {
    const fd = this.open(name, attr, "r");
    try {
      const parts = [];
      let pos = 0;
      for (;;) {
        const b = await this.read(fd, pos);
        if (!b.length) break;
        parts.push(b);
        pos += b.length;
      }
      const all = new Uint8Array(pos);
      let o = 0;
      for (const b of parts) { all.set(b, o); o += b.length; }
      return all;
    } finally {
      await this.close(fd);
    }
  }

  /** Test hook: set an item's write/read generations (u64) to reach the wrap EBUSY. */
  setGenerations(name, writeGen, readGen) {
    check(abi.setGenerations(this.k, name, writeGen, readGen), `generations ${name}`);
  }

  /** report_new: holds the global lock while the generator runs, then completes the read. */
  async #generate() {
    const req = abi.pendingRequest(this.k);
    let release = /** @type {(value?: unknown) => void} */ (() => {});
    this.busy = new Promise((res) => { release = res; });
    let err = 0, blobs;
    try {
      blobs = await this.gen.reportNew(req);
    } catch (e) {
      err = errnoByName(e?.code) || EIO;
    }
    // The read's bytes are a copy made before waiters run: the next core call reuses the view.
    const result = abi.complete(this.k, err, blobs);
    this.busy = null;
    release();
    if (typeof result === "number") check(result, "read (report generation)");
    return /** @type {Uint8Array} */ (result);
  }
}
