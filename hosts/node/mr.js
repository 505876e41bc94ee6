// tsm-mr measurement registers (Linux 6.16+ sysfs `measurements/` groups) from Node: list, read,
// and extend with tsmkit's runtime event log (../js/runtime-log.js), append and extend as one step.
//
// The step, under a lock file beside the log (so concurrent writers serialise):
//   1. an intent record (LOG.intent: register, value before, digest, log size, the record) is
//      written atomically (temporary file, fsync, rename);
//   2. the record is appended to the log and fsynced;
//   3. the digest is written to the register (the kernel extends it);
//   4. the intent is removed.
// Whoever takes the lock next and finds an intent resolves it from the register's value: extended
// (H(before || digest)) -> the record is kept or completed; untouched (before) -> the record is
// cut off again; anything else -> an error naming the intent file, and no further extend until a
// person looks (fail closed). So a crash anywhere in the step is reported, never silently wrong.
//
// tsm-mr's rules (file-name grammar, hash sizes, modes, tdx_guest's directory) are the core's
// (assembly/tsm/measurements.ts via hosts/js/tsm-core.js). Hashing here is node:crypto: this host
// only moves bytes to the kernel, which decides the value; H(before || digest) is computed to
// recognise the kernel's result, in whatever algorithm the register names (the core has SHA-384 only).
import { open, readFile, readdir, stat, mkdir, rename, unlink, link, truncate } from "node:fs/promises";
import { constants } from "node:fs";
import { createHash } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { dirname, join } from "node:path";
import { MR_RULES, mrParseFileName } from "../js/tsm-core.js";
import { hex } from "../js/bytes.js";
import { HASH_SIZES, eventContent, formatRuntimeHeader, formatRuntimeRecord, parseRuntimeLog } from "../js/runtime-log.js";

/** Where tdx_guest's registers are (the class link to /sys/devices/virtual/misc/tdx_guest). */
export const MEASUREMENTS_DIR = MR_RULES.groups.tdx_guest.dir;
/** The runtime log's default path: under /run, so it starts empty at every boot, as RTMRs do. */
export const RUNTIME_LOG = "/run/tsmkit/runtime-log.jsonl";

const INTENT_VERSION = 1;

/** A measurement-register failure: what (code), which register and file, and why. */
export class MrError extends Error {
  /** @param {{ code: string, register?: string, path?: string, message: string, errno?: string, cause?: unknown }} e */
  constructor({ code, register, path, message, errno, cause }) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = "MrError";
    this.code = code;
    this.register = register;
    this.path = path;
    this.errno = errno;
  }
  toJSON() {
    const { code, register, path, errno, message } = this;
    return { error: { code, register, path, errno, message } };
  }
}

const extendValue = (alg, before, digest) => createHash(alg).update(before).update(digest).digest();

/** tsm-mr's file-name grammar: NAME:HASH (HASH a kernel hash name), or NAME alone for a NOHASH register. */
export function parseRegisterName(file) {
  const { name, hash } = mrParseFileName(file);
  return { name, hashAlg: hash };
}

/**
 * The registers of a `measurements/` directory, in directory order: { name, file, path, hashAlg
 * (null for NOHASH), size, readable, writable } (access from the file mode, as tsm-mr sets it).
 */
export async function listRegisters(dir = MEASUREMENTS_DIR) {
  let names;
  try {
    names = await readdir(dir);
  } catch (e) {
    throw new MrError({
      code: e.code === "ENOENT" ? "NO_MEASUREMENTS" : "IO", path: dir, errno: e.code, cause: e,
      message: e.code === "ENOENT" ? `no measurement registers at ${dir} (tsm-mr needs Linux 6.16+ and a guest driver such as tdx_guest)` : `cannot list ${dir}: ${e.message}`,
    });
  }
  const out = [];
  for (const file of names) {
    const path = join(dir, file);
    const st = await stat(path);
    if (st.isDirectory()) continue;
    out.push({ ...parseRegisterName(file), file, path, size: st.size, readable: (st.mode & MR_RULES.modes.READABLE) !== 0, writable: (st.mode & MR_RULES.modes.WRITABLE) !== 0 });
  }
  return out;
}

/** One register by name ("rtmr3") or file name ("rtmr3:sha384"). */
export async function findRegister(register, { dir = MEASUREMENTS_DIR } = {}) {
  const all = await listRegisters(dir);
  const r = all.find((x) => x.name === register || x.file === register);
  if (!r) throw new MrError({ code: "NO_REGISTER", register, path: dir, message: `no register "${register}" in ${dir} (there: ${all.map((x) => x.file).join(", ") || "none"})` });
  return r;
}

async function readValue(r) {
  if (!r.readable) throw new MrError({ code: "NOT_READABLE", register: r.name, path: r.path, message: `${r.path} is not readable` });
  try {
    return new Uint8Array(await readFile(r.path));
  } catch (e) {
    throw new MrError({ code: "IO", register: r.name, path: r.path, errno: e.code, cause: e, message: `reading ${r.path}: ${e.message}` });
  }
}

/** { ...register, value: Uint8Array } */
export async function readRegister(register, opts = {}) {
  const r = await findRegister(register, opts);
  return { ...r, value: await readValue(r) };
}

/** The bytes to write for { digest } (hex or bytes) or { data } (hashed with the register's algorithm). */
function digestFor(r, { digest, data }) {
  const fail = (code, message) => { throw new MrError({ code, register: r.name, path: r.path, message }); };
  if (!r.writable) fail("NOT_WRITABLE", `${r.file} is read-only`);
  if (!r.hashAlg) fail("NOHASH", `${r.file} has no hash algorithm (NOHASH): tsmkit only extends NAME:HASH registers`);
  if (!HASH_SIZES[r.hashAlg]) fail("UNSUPPORTED_HASH", `${r.file}: hash "${r.hashAlg}" is not one the runtime log records (${Object.keys(HASH_SIZES).join(", ")})`);
  const size = MR_RULES.hashes[r.hashAlg]; // tsm-mr takes exactly the register's size: its digest
  if (r.size !== 0 && size !== r.size) fail("BAD_REGISTER", `${r.file} is ${r.size} bytes, not a ${r.hashAlg} digest (${size})`); // 0: the file does not say
  if ((digest === undefined) === (data === undefined)) fail("BAD_INPUT", "give exactly one of digest and data");
  if (data !== undefined) return new Uint8Array(createHash(r.hashAlg).update(data).digest());
  const bytes = typeof digest === "string" ? (/^([0-9a-fA-F]{2})*$/.test(digest) ? Buffer.from(digest, "hex") : null) : digest;
  if (!(bytes instanceof Uint8Array) || bytes.length !== size) fail("BAD_DIGEST", `a ${r.hashAlg} digest is ${size} bytes (${size * 2} hex digits)`);
  return new Uint8Array(bytes);
}

// ---- the lock --------------------------------------------------------------------------------

const alive = (pid) => {
  try { process.kill(pid, 0); return true; } catch (e) { return e.code === "EPERM"; }
};

/** Removes a lock whose holder has died; true if it did. Safe against two breakers at once. */
async function breakStale(lock) {
  const pid = Number.parseInt(await readFile(lock, "utf8").catch(() => ""), 10);
  if (!(pid > 0) || alive(pid)) return false; // a lock being written has no pid yet: wait
  const moved = `${lock}.stale-${process.pid}`;
  try { await rename(lock, moved); } catch { return false; }
  const now = Number.parseInt(await readFile(moved, "utf8").catch(() => ""), 10);
  // Another breaker got there first and a live process re-took the lock: put its lock back.
  if (now !== pid) await link(moved, lock).catch(() => {});
  await unlink(moved).catch(() => {});
  return now === pid;
}

async function withLock(log, timeoutMs, fn) {
  const lock = `${log}.lock`;
  const deadline = Date.now() + timeoutMs;
  for (let delay = 1; ; delay = Math.min(delay * 2, 50)) {
    try {
      const h = await open(lock, "wx");
      await h.writeFile(`${process.pid}\n`);
      await h.close();
      break;
    } catch (e) {
      if (e.code !== "EEXIST") throw new MrError({ code: "IO", path: lock, errno: e.code, cause: e, message: `cannot create the lock ${lock}: ${e.message}` });
    }
    if (await breakStale(lock)) continue;
    if (Date.now() > deadline) {
      const holder = (await readFile(lock, "utf8").catch(() => "?")).trim();
      throw new MrError({ code: "LOCK_TIMEOUT", path: lock, message: `${lock} still held by pid ${holder} after ${timeoutMs} ms` });
    }
    await sleep(delay * (0.5 + Math.random()));
  }
  try {
    return await fn();
  } finally {
    await unlink(lock).catch(() => {});
  }
}

// ---- the journal -----------------------------------------------------------------------------

async function syncDir(dir) {
  const h = await open(dir, "r");
  try { await h.sync(); } finally { await h.close(); }
}

async function writeDurable(path, text, flag = "w") {
  const h = await open(path, flag);
  try { await h.writeFile(text); await h.sync(); } finally { await h.close(); }
}

const sizeOf = (path) => stat(path).then((s) => s.size, (e) => (e.code === "ENOENT" ? 0 : Promise.reject(e)));

/**
 * Settles an interrupted extend from the register's value now; returns what was done:
 * { outcome: "completed" | "rolled-back", recnum, register, event, pid }.
 */
async function settle(log, intent, ownWrite = false) {
  const path = `${log}.intent`;
  const reg = { name: intent.register, path: intent.path, readable: true };
  const now = hex(await readValue(reg));
  const after = hex(extendValue(intent.hashAlg, Buffer.from(intent.before, "hex"), Buffer.from(intent.digest, "hex")));
  let outcome;
  if (now === after) {
    // Extended: the log must end with exactly this record.
    const size = await sizeOf(log);
    if (size !== intent.logSize + Buffer.byteLength(intent.line)) {
      await truncate(log, intent.logSize);
      await writeDurable(log, intent.line, "a");
    }
    outcome = "completed";
  } else if (now === intent.before) {
    await truncate(log, intent.logSize);
    outcome = "rolled-back";
  } else {
    throw new MrError({
      code: "INTERRUPTED_EXTEND", register: intent.register, path,
      message: `${ownWrite ? `after the write, ${intent.register}` : `an extend of ${intent.register} (record ${intent.recnum}, pid ${intent.pid}) was interrupted, and the register`} is neither its value before (${intent.before.slice(0, 16)}...) nor H(before || digest) (${after.slice(0, 16)}...): something else extended it${ownWrite ? " meanwhile, or it does not extend as tsm-mr does" : ""}. The log cannot be reconciled automatically; inspect ${log} and remove ${path} to go on`,
    });
  }
  await unlink(path);
  await syncDir(dirname(log));
  return { outcome, recnum: intent.recnum, register: intent.register, event: JSON.parse(intent.line).content.name, pid: intent.pid };
}

async function recoverLocked(log) {
  const path = `${log}.intent`;
  let text;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    if (e.code === "ENOENT") return null;
    throw e;
  }
  let intent;
  try {
    intent = JSON.parse(text);
    if (intent.version !== INTENT_VERSION) throw new Error(`version ${intent.version}`);
  } catch (e) {
    throw new MrError({ code: "INTERRUPTED_EXTEND", path, message: `${path} is not a tsmkit intent record (${e.message}): remove it after checking ${log}` });
  }
  return settle(log, intent);
}

/**
 * Settles an extend that a crashed process left half done (see the top of this file); null when
 * there was none. extend() does this itself before every extend.
 */
export async function recover({ log = RUNTIME_LOG, lockTimeoutMs = 30_000 } = {}) {
  return withLock(log, lockTimeoutMs, () => recoverLocked(log));
}

/**
 * Appends `event` (a name or an object with a `name`) to the runtime log and extends `register`
 * with `digest` (hex or bytes) or the hash of `data`, as one step. Options: dir (the measurements
 * directory), log (the runtime log path), lockTimeoutMs. Resolves to { register, file, recnum,
 * hashAlg, digest, before, after, recovered } (hex values; recovered = what an earlier
 * interrupted extend was settled to, or null). Throws MrError.
 * @param {string} register
 * @param {{ digest?: string | Uint8Array, data?: string | Uint8Array, event?: string | { name: string } }} [input]
 * @param {{ dir?: string, log?: string, lockTimeoutMs?: number }} [opts]
 */
export async function extend(register, { digest, data, event } = {}, { dir = MEASUREMENTS_DIR, log = RUNTIME_LOG, lockTimeoutMs = 30_000 } = {}) {
  const r = await findRegister(register, { dir });
  const bytes = digestFor(r, { digest, data });
  try {
    eventContent(event);
  } catch (e) {
    throw new MrError({ code: "BAD_EVENT", register: r.name, message: e.message });
  }
  await mkdir(dirname(log), { recursive: true });
  return withLock(log, lockTimeoutMs, async () => {
    const recovered = await recoverLocked(log);
    let logSize = await sizeOf(log);
    if (logSize === 0) {
      await writeDurable(log, formatRuntimeHeader());
      logSize = await sizeOf(log);
    }
    const { events } = parseRuntimeLog(await readFile(log)); // never append to a damaged log
    const recnum = events.length + 1;
    const line = formatRuntimeRecord({ recnum, register: r.name, hashAlg: r.hashAlg, digest: bytes, event });
    const before = await readValue(r);
    const intent = { version: INTENT_VERSION, pid: process.pid, register: r.name, path: r.path, hashAlg: r.hashAlg, before: hex(before), digest: hex(bytes), logSize, recnum, line };
    const tmp = `${log}.intent.${process.pid}`;
    await writeDurable(tmp, JSON.stringify(intent) + "\n");
    await rename(tmp, `${log}.intent`);
    await syncDir(dirname(log));
    await writeDurable(log, line, "a");
    await writeRegister(r, bytes).catch(async (e) => {
      await settle(log, intent, true); // rolls the record back unless the register did change
      throw e;
    });
    const settled = await settle(log, intent, true);
    if (settled.outcome !== "completed") {
      throw new MrError({ code: "NOT_EXTENDED", register: r.name, path: r.path, message: `${r.path} accepted the write but did not change; the record was rolled back` });
    }
    return { register: r.name, file: r.file, recnum, hashAlg: r.hashAlg, digest: hex(bytes), before: hex(before), after: hex(extendValue(r.hashAlg, before, bytes)), recovered };
  });
}

async function writeRegister(r, bytes) {
  let h;
  try {
    h = await open(r.path, constants.O_WRONLY);
    const { bytesWritten } = await h.write(bytes, 0, bytes.length, 0);
    if (bytesWritten !== bytes.length) throw Object.assign(new Error(`short write (${bytesWritten} of ${bytes.length} bytes)`), { code: "EIO" });
  } catch (e) {
    throw new MrError({ code: "WRITE_FAILED", register: r.name, path: r.path, errno: e.code, cause: e, message: `extending ${r.path}: ${e.message}` });
  } finally {
    await h?.close();
  }
}

/** The runtime log's events (parsed), or [] when there is no log yet. */
export async function readRuntimeLog(log = RUNTIME_LOG) {
  try {
    return parseRuntimeLog(await readFile(log));
  } catch (e) {
    if (e.code === "ENOENT") return { version: null, events: [] };
    throw e;
  }
}
