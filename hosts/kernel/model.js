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
import { core } from "../js/tsm-core.js";
import { errnoByName, kernelError } from "./errno.js";

const utf8 = new TextEncoder();
const latin1 = new TextDecoder("latin1");
const WAIT = core.tsm_status_wait();
const GENERATE = core.tsm_status_generate();
const OOPS = core.tsm_status_oops();
const U32_MAX = 0xffffffff;
const [EPERM, ENOENT, EIO, EEXIST] = ["EPERM", "ENOENT", "EIO", "EEXIST"].map(errnoByName);

function outBytes(n) {
  return new Uint8Array(core.memory.buffer, core.tsm_out_ptr(), n).slice();
}
function outText(n) { return latin1.decode(outBytes(n)); }
/** Copies bytes to the core's input region; returns their length. */
function input(bytes) {
  const ptr = core.input_reserve(bytes.length);
  new Uint8Array(core.memory.buffer, ptr, bytes.length).set(bytes);
  return bytes.length;
}
const text = (s) => input(utf8.encode(s));

const ATTRS = Array.from({ length: core.tsm_attr_count() }, (_, a) => outText(core.tsm_attr_name(a)));

function check(r, what) {
  if (r === OOPS) {
    throw Object.assign(new Error(`kernel oops (NULL provider) at ${what}`), { code: "KERNEL_OOPS" });
  }
  if (r < 0) throw kernelError(-r, what);
  return r;
}

// A dropped KernelModel frees its kernel (items and cached blobs) inside the shared core instance.
const kernels = new FinalizationRegistry((k) => core.tsm_kernel_free(k));

const clamp = (n) => Math.min(Math.max(0, Math.floor(n)), U32_MAX);

export class KernelModel {
  /** @param {{provider?: object|null, providerName?: string, kernel?: string, privlevelFloor?: number, svsm?: boolean}} opts */
  constructor({ provider = null, providerName, kernel = "7.0", privlevelFloor = 0, svsm = false } = {}) {
    const profile = core.tsm_profile_by_name(text(kernel));
    if (profile < 0) throw new RangeError(`unknown kernel profile ${kernel}`);
    this.kernel = kernel;
    this.k = check(core.tsm_kernel_new(profile), "kernel");
    kernels.register(this, this.k);
    this.gen = null;
    this.busy = null; // resolves when the running report generation ends
    if (provider) this.#register(provider, { providerName, privlevelFloor, svsm });
  }

  #register(gen, { providerName = gen.name, privlevelFloor = 0, svsm = false } = {}) {
    const p = core.tsm_provider_by_name(text(String(providerName)));
    if (p < 0) throw new RangeError(`unknown provider ${providerName}`);
    const r = core.tsm_register(this.k, p, privlevelFloor >>> 0, svsm ? 1 : 0);
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
  get providerName() {
    const p = core.tsm_provider(this.k);
    return p ? outText(core.tsm_provider_name(p)) : null;
  }

  async registerProvider(gen, opts) {
    await this.#locked(() => this.#register(gen, opts));
  }

  async unregisterProvider() {
    check(await this.#locked(() => core.tsm_unregister(this.k)), "unregister");
    this.gen = null;
  }

  /** The visible-attribute mask of item `name` (ENOENT if it does not exist). */
  #mask(name, what) {
    return check(core.tsm_item_attrs(this.k, text(name)), what);
  }

  /** mkdir report/<name>; "item/x" inside an item is EEXIST for a file, else EPERM (1.1). */
  async mkdir(path) {
    const [name, sub] = String(path).split(/\/(.*)/s);
    if (name === "") throw kernelError(EEXIST, `mkdir ${path}`); // report/ itself
    if (sub !== undefined) {
      const mask = this.#mask(name, `mkdir ${path}`);
      const a = ATTRS.indexOf(sub);
      throw kernelError(a >= 0 && (mask & (1 << a)) ? EEXIST : EPERM, `mkdir ${path}`);
    }
    check(await this.#locked(() => core.tsm_mkdir(this.k, text(name))), `mkdir ${name}`);
  }

  async rmdir(name) {
    check(await this.#locked(() => core.tsm_rmdir(this.k, text(name))), `rmdir ${name}`);
  }

  /** Item names (no argument) or the visible attribute files of item `name`. */
  readdir(name) {
    if (name === undefined || name === "") {
      const n = core.tsm_readdir(this.k);
      return n ? outText(core.tsm_out_len()).split("\0").slice(0, n) : [];
    }
    const mask = this.#mask(name, `readdir ${name}`);
    return ATTRS.filter((_, a) => mask & (1 << a));
  }

  stat(name, attr) {
    if (name === undefined || name === "") return { kind: "dir", mode: 0o755 };
    const mask = this.#mask(name, `stat ${name}`);
    if (attr === undefined) return { kind: "dir", mode: 0o755 };
    const a = ATTRS.indexOf(attr);
    if (a < 0 || !(mask & (1 << a))) throw kernelError(ENOENT, `stat ${name}/${attr}`);
    return { kind: "file", mode: core.tsm_attr_mode(a), binary: core.tsm_attr_binary(a) === 1 };
  }

  /** open: flags "r", "w" or "rw". */
  open(name, attr, flags = "r") {
    const f = { r: 1, w: 2, rw: 3 }[flags];
    if (!f) throw new TypeError(`open flags must be "r", "w" or "rw", not ${flags}`);
    const a = ATTRS.indexOf(attr);
    if (a < 0) {
      this.#mask(name, `open ${name}/${attr}`);
      throw kernelError(ENOENT, `open ${name}/${attr}`);
    }
    return check(core.tsm_open(this.k, text(name), a, f), `open ${name}/${attr}`);
  }

  async write(fd, bytes, position = 0) {
    const data = typeof bytes === "string" ? utf8.encode(bytes) : bytes;
    return check(await this.#locked(() => core.tsm_write(this.k, fd, input(data), clamp(position))), `write fd ${fd}`);
  }

  async read(fd, position = 0, length = 65536) {
    for (;;) {
      const r = core.tsm_read(this.k, fd, clamp(position), clamp(length));
      if (r === WAIT) { await this.busy; continue; }
      if (r === GENERATE) return this.#generate();
      return outBytes(check(r, `read fd ${fd}`));
    }
  }

  async flush(fd) {
    check(await this.#locked(() => core.tsm_flush(this.k, fd)), `flush fd ${fd}`);
  }

  async close(fd) {
    check(await this.#locked(() => core.tsm_close(this.k, fd)), `close fd ${fd}`);
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
    check(core.tsm_item_set_generations(this.k, text(name), BigInt.asUintN(64, BigInt(writeGen)),
      BigInt.asUintN(64, BigInt(readGen))), `generations ${name}`);
  }

  /** report_new: holds the global lock while the generator runs, then completes the read. */
  async #generate() {
    const k = this.k;
    const inblob = outBytes(core.tsm_req_inblob(k));
    const spLen = core.tsm_req_service_provider(k);
    const req = {
      inblob,
      privlevel: core.tsm_req_privlevel(k),
      serviceProvider: spLen < 0 ? null : outText(spLen),
      serviceGuid: outText(core.tsm_req_service_guid(k)),
      serviceManifestVersion: core.tsm_req_service_manifest_version(k),
    };
    let release = /** @type {(value?: unknown) => void} */ (() => {});
    this.busy = new Promise((res) => { release = res; });
    let err = 0, blobs;
    try {
      blobs = await this.gen.reportNew(req);
    } catch (e) {
      err = errnoByName(e?.code) || EIO;
    }
    if (!err) {
      for (const [a, key] of [[1, "outblob"], [2, "auxblob"], [3, "manifestblob"]]) {
        const b = blobs?.[key];
        if (b == null) continue;
        const ptr = core.tsm_blob_reserve(k, a, b.length);
        new Uint8Array(core.memory.buffer, ptr, b.length).set(b);
      }
    }
    const r = core.tsm_complete(k, err);
    // Copy the result before waiters run: the output view belongs to the next core call.
    const result = r >= 0 ? outBytes(r) : r;
    this.busy = null;
    release();
    if (typeof result === "number") check(result, "read (report generation)");
    return result;
  }
}
