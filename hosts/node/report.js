// getReport: one configfs-tsm report, acquired by the core's sans-IO machine
// (assembly/tsm/request.ts) and executed here against a backend. Everything the kernel's ABI
// demands (order of operations, provider rules, the generation check, retries on a fresh item,
// rmdir on every path, errno advice) is decided in the core; this file only does the I/O.
import { access } from "node:fs/promises";
import * as machine from "../js/tsm-request.js";
import { OptionError } from "../js/verify/options.js";
import { TsmError } from "./errors.js";
import { linuxErrno } from "./errno.js";
import { DEVICES } from "../kernel/ioctl-abi.js";
import { configfsBackend, DEFAULT_ROOT } from "./configfs.js";

/**
 * The core's report machine behind a JS face: `op()` says what to do next, `feed()` takes its
 * outcome, `result()` gives the report or throws the TsmError. Hosts and tests drive it;
 * getReport() is the usual driver.
 */
export class ReportMachine {
  /**
   * @param {{ inblob: Uint8Array, privlevel?: number, serviceProvider?: string,
   *   serviceGuid?: string, serviceManifestVersion?: number, auxblob?: boolean }} request
   * @param {{ retries?: number, seed?: number }} [opts]
   */
  constructor(request, { retries = 3, seed = randomSeed() } = {}) {
    const r = checkRequest(request);
    nonNegative("retries", retries);
    r.retries = Math.min(retries, 0x7fffffff);
    r.seed = seed;
    this.handle = machine.begin(r);
  }

  /**
   * The next operation: { kind, path, data?, delayMs? }; path is relative to the report root.
   * @returns {import("../js/tsm-request.js").Op}
   */
  op() { return machine.op(this.handle); }

  /** The outcome of the current op: 0 or an errno (number or name), and the bytes read. */
  feed(errno = 0, data) {
    const n = typeof errno === "string" ? linuxErrno(errno) : errno;
    if (n === undefined) throw new TypeError(`unknown errno name ${errno}`);
    machine.feed(this.handle, n, data);
  }

  /** Gives up between operations: the machine still emits the rmdir of its item. */
  abort() { machine.abort(this.handle); }

  /**
   * The report once the machine is done; throws its TsmError if it failed.
   * @returns {import("./index.js").Report}
   */
  result() {
    const h = this.handle;
    const j = machine.outcome(h);
    if (j.error) throw new TsmError(j.error);
    // The kernel's generation is a u32, so a number holds it exactly (and JSON.stringify can).
    // A done machine always has an outblob (an empty one fails with ENODATA).
    const outblob = /** @type {Uint8Array} */ (machine.resultBlob(h, "outblob"));
    /** @type {import("./index.js").Report} */
    const report = { provider: j.provider, outblob, generation: Number(j.generation), attempts: j.attempts };
    for (const name of /** @type {const} */ (["auxblob", "manifestblob"])) {
      const b = machine.resultBlob(h, name);
      if (b) report[name] = b;
    }
    // The evidence stands even if the item could not be removed; say so rather than hide it.
    if (j.cleanup) report.cleanup = { code: j.cleanup, item: j.item };
    return report;
  }

  /** Releases the core's state; call once, when done with the machine. */
  free() { machine.free(this.handle); }
}

/**
 * Gets one attestation report.
 * request: { inblob (1-64 bytes), privlevel?, serviceProvider?, serviceGuid?,
 *   serviceManifestVersion?, auxblob? (default true: read it when the provider shows it) }
 * options: { backend?: "auto" (default: configfs if its root exists, else a legacy device) |
 *   "configfs" | "sim" | "ioctl" (kernels before 6.7: /dev/sev-guest, or
 *   /dev/tdx_guest which gives a TDREPORT, not a quote; see ioctl.js for its options) | object
 *   with mkdir/rmdir/read/write(path[, bytes]),
 *   root? (configfs; default /sys/kernel/config/tsm/report), retries? (default 3), signal?,
 *   sim? (a KernelModel for the sim backend) }
 * Resolves to { provider, outblob, auxblob?, manifestblob?, generation (a number), attempts };
 * rejects with TsmError.
 * @param {import("./index.js").ReportRequest} request
 * @param {import("./index.js").ReportOptions} [options]
 * @returns {Promise<import("./index.js").Report>}
 */
export async function getReport(request, options = {}) {
  if (!options || typeof options !== "object") throw new TypeError("options must be an object");
  knownKeys(options, OPTION_KEYS, "options");
  // The machine checks the request before the backend opens: a bad request must not touch a device.
  const m = new ReportMachine(request, { retries: options.retries });
  const { signal } = options;
  let thrown; // a non-errno exception from the backend: rethrown once the item is gone
  try {
    const backend = await openBackend(options);
    for (;;) {
      if (signal?.aborted) m.abort();
      const op = m.op();
      if (op.kind === "done" || op.kind === "failed") break;
      if (op.kind === "sleep") { await sleep(op.delayMs, signal); m.feed(0); continue; }
      try {
        const data = await backend[op.kind](op.path, op.data);
        m.feed(0, op.kind === "read" ? data : undefined);
      } catch (e) {
        const n = linuxErrno(e?.code);
        if (n !== undefined) { m.feed(n); continue; }
        thrown ??= e;
        if (op.kind === "rmdir") m.feed(linuxErrno("EIO"));
        else m.abort();
      }
    }
    if (thrown) throw thrown;
    try {
      return m.result();
    } catch (e) {
      if (e.code === "ECANCELED" && signal?.aborted) e.cause = signal.reason;
      throw e;
    }
  } finally {
    m.free();
  }
}

/**
 * "auto" (the default): configfs-tsm when its report directory exists; otherwise the legacy
 * vendor device when one exists (kernels before 6.7); otherwise configfs, whose ENOENT says what
 * is missing. `exists` is injectable for tests.
 */
export async function chooseBackend(options, exists = pathExists) {
  if (await exists(options.root ?? DEFAULT_ROOT)) return "configfs";
  for (const dev of Object.values(DEVICES)) if (await exists(dev)) return "ioctl";
  return "configfs";
}

async function pathExists(p) {
  try {
    await access(p);
    return true;
  } catch {
    return false;
  }
}

async function openBackend(options) {
  let b = options.backend ?? "auto";
  if (typeof b === "object" && b) return b;
  if (b === "auto") b = await chooseBackend(options);
  if (b === "configfs") return configfsBackend(options.root ?? DEFAULT_ROOT);
  if (b === "ioctl") return (await import("./ioctl.js")).ioctlBackend.open(options);
  if (b === "sim") {
    const { simBackend } = await import("./sim-backend.js");
    return simBackend(options.sim);
  }
  throw new TypeError(`unknown backend ${JSON.stringify(b)} (auto, configfs, ioctl, sim, or an object)`);
}

/** @returns {Promise<void>} */
function sleep(ms, signal) {
  if (signal?.aborted || ms === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => { clearTimeout(t); signal?.removeEventListener("abort", done); resolve(); };
    const t = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

// Seeds come from a pool refilled 64 at a time: one getRandomValues call costs tens of
// microseconds cold, a measurable share of a zero-latency getReport.
const seeds = new Uint32Array(64);
let nextSeed = seeds.length;
function randomSeed() {
  if (nextSeed === seeds.length) { crypto.getRandomValues(seeds); nextSeed = 0; }
  return seeds[nextSeed++];
}

const REQUEST_KEYS = ["inblob", "privlevel", "serviceProvider", "serviceGuid", "serviceManifestVersion", "auxblob"];
// getReport's own options, then the ioctl backend's (ioctl.js), which it passes through.
const OPTION_KEYS = ["backend", "root", "retries", "signal", "sim", "device", "provider", "extended"];

/**
 * A key a caller misspelt or misplaced (`backend` in the request) must not be silently ignored:
 * OptionError (as verify() throws for its options) naming the first, with every unknown key and
 * the known ones in the message.
 */
function knownKeys(obj, known, what) {
  const unknown = Object.keys(obj).filter((k) => !known.includes(k));
  if (!unknown.length) return;
  const moved = what === "request" ? unknown.filter((k) => OPTION_KEYS.includes(k)) : [];
  throw new OptionError(`${what}.${unknown[0]}`, `unknown ${unknown.length > 1 ? `keys ${unknown.join(", ")}` : "key"} (known: ${known.join(", ")})` +
    (moved.length ? `; ${moved.join(", ")} ${moved.length > 1 ? "are options" : "is an option"}: getReport(request, { ${moved.join(", ")} })` : ""));
}

// Type checks only; every value rule (lengths, ranges, GUID form, provider rules) is the core's.
function checkRequest(request) {
  if (!request || typeof request !== "object") throw new TypeError("request must be an object");
  knownKeys(request, REQUEST_KEYS, "request");
  const { inblob, privlevel, serviceProvider, serviceGuid, serviceManifestVersion, auxblob } = request;
  if (!ArrayBuffer.isView(inblob)) throw new TypeError("request.inblob must be a Uint8Array");
  if (privlevel !== undefined) nonNegative("request.privlevel", privlevel);
  if (serviceManifestVersion !== undefined) nonNegative("request.serviceManifestVersion", serviceManifestVersion);
  for (const [k, v] of [["serviceProvider", serviceProvider], ["serviceGuid", serviceGuid]]) {
    if (v !== undefined && typeof v !== "string") throw new TypeError(`request.${k} must be a string`);
  }
  if (auxblob !== undefined && typeof auxblob !== "boolean") throw new TypeError("request.auxblob must be a boolean");
  // What machine.begin() takes, built field by field: an object spread here took 1.3 µs a call.
  return {
    inblob: new Uint8Array(inblob.buffer, inblob.byteOffset, inblob.byteLength),
    serviceProvider,
    serviceGuid,
    // Out-of-range values still reach the core (which names the rule); only the ABI's width is clamped.
    privlevel: privlevel === undefined ? undefined : Math.min(privlevel, 0x7fffffff),
    serviceManifestVersion: serviceManifestVersion === undefined ? undefined : Math.min(serviceManifestVersion, 2 ** 62),
    auxblob: auxblob !== false,
    retries: 0,
    seed: 0,
  };
}

function nonNegative(name, v) {
  if (!Number.isSafeInteger(v) || v < 0) throw new TypeError(`${name} must be a non-negative integer`);
}
