// The client's side of configfs-tsm as a sans-IO machine (spec §2, §6): it never touches a
// file. `op` says what to do next (mkdir, read, write, rmdir, sleep); the host does it and hands
// the outcome to `feed` (a Linux errno, 0 for success, and the bytes read). The same machine runs
// inside the Wasm core for JS hosts (request_abi.ts) and directly in the WASI command.
//
// One attempt, in this order:
//   mkdir <item>                     a fresh name per attempt; EEXIST just picks the next name
//   read provider                    cheap (no report generation), so provider rules are checked
//                                    before anything is written; a provider cannot change while
//                                    our item exists (re-registration is EBUSY until rmdir, §2.5)
//   read privlevel_floor             when a privlevel was asked for, and for sev_guest's default
//                                    path, which asks the firmware for VMPL privlevel (0 unless
//                                    written) and fails below the floor (§3.2 step 3)
//   write inblob, privlevel, service_provider, service_guid, service_manifest_version
//                                    E counts them: a fresh item starts at generation 0 (§2.1),
//                                    so there is no start value to read
//   read auxblob (if wanted), outblob, manifestblob (if service_provider was set)
//                                    auxblob first: one report_new() makes all three (§2.3)
//   read generation                  must equal E, or another writer touched our item
//   rmdir <item>                     on EVERY path once the mkdir succeeded
// A conflict, EBUSY, EAGAIN or EINTR ends the attempt: rmdir, sleep (a value the machine emits,
// exponential with jitter), then a fresh item, at most `retries` times. Anything else is a typed
// error naming the errno and the attribute, with advice. A failing rmdir never hides the error
// that led to it. The kernel checks provider rules only at report time (§3), so they are checked
// here first to fail before the expensive call.

import { Errno, errnoName } from "./errno";
import { isGuidText } from "../formats/guid";
import { INBLOB_MAX, PRIVLEVEL_MAX, Provider, providerByName, inblobLengthErrno, privlevelInRange,
  reportNewErrno, providerBlobs, sevUsesSvsm, Attr, attrName } from "./providers";

// Kernel errnos, as this file names them.
const EPERM = Errno.EPERM, ENOENT = Errno.ENOENT, EINTR = Errno.EINTR, EIO = Errno.EIO,
  ENXIO = Errno.ENXIO, EAGAIN = Errno.EAGAIN, ENOMEM = Errno.ENOMEM, EACCES = Errno.EACCES,
  EBUSY = Errno.EBUSY, EEXIST = Errno.EEXIST, EINVAL = Errno.EINVAL, ENOTTY = Errno.ENOTTY,
  EFBIG = Errno.EFBIG, ERANGE = Errno.ERANGE, EBADMSG = Errno.EBADMSG, ETIMEDOUT = Errno.ETIMEDOUT;
// Outcomes only the client produces (the kernel never returns them), numbered as Linux does.
export const ENODATA: i32 = 61; // an empty outblob
export const ECANCELED: i32 = 125; // the caller aborted

/** The Linux name of a request's outcome: an errno, or one of the client-only ones. */
export function outcomeName(e: i32): string {
  return e == ENODATA ? "ENODATA" : e == ECANCELED ? "ECANCELED" : errnoName(e);
}

export const enum OpKind { MKDIR = 1, READ = 2, WRITE = 3, RMDIR = 4, SLEEP = 5, DONE = 6, FAILED = 7 }

/** What the caller asks for. Unset options are never written (their attributes may be hidden). */
export class ReportRequest {
  inblob: Uint8Array = new Uint8Array(0);
  privlevel: i32 = -1; // -1: not written
  serviceProvider: string | null = null;
  serviceGuid: string | null = null;
  serviceManifestVersion: i64 = -1; // -1: not written
  auxblob: bool = false; // read auxblob too (absent when the provider hides it)
  retries: i32 = 3; // fresh-item retries after a conflict, EBUSY, EAGAIN or EINTR
  seed: u32 = 0; // host randomness: item names and backoff jitter
  backoffMs: u32 = 20; // first retry delay before jitter; doubles per retry
  backoffMaxMs: u32 = 1000;
}

/** A typed failure: errno (Linux number), the attribute involved, what happened, what to do. */
export class ReportError {
  constructor(
    public errno: i32,
    public attribute: string,
    public message: string,
    public advice: string,
  ) {}
  get code(): string { return outcomeName(this.errno); }
}

// The steps of one attempt, in order. nextStep() skips the ones a request does not need.
const enum Step {
  MKDIR, PROVIDER, PRIVLEVEL_FLOOR,
  INBLOB, PRIVLEVEL, SERVICE_PROVIDER, SERVICE_GUID, SERVICE_MANIFEST_VERSION,
  AUXBLOB, OUTBLOB, MANIFESTBLOB, GENERATION,
  RMDIR, SLEEP, DONE, FAILED,
}

// What happens after the rmdir.
const enum After { DONE, RETRY, FAIL }

/** The attribute a step reads or writes ("" for mkdir, rmdir, sleep and the end states). */
function stepAttr(s: Step): string {
  switch (s) {
    case Step.PROVIDER: return attrName(Attr.provider);
    case Step.PRIVLEVEL_FLOOR: return attrName(Attr.privlevel_floor);
    case Step.INBLOB: return attrName(Attr.inblob);
    case Step.PRIVLEVEL: return attrName(Attr.privlevel);
    case Step.SERVICE_PROVIDER: return attrName(Attr.service_provider);
    case Step.SERVICE_GUID: return attrName(Attr.service_guid);
    case Step.SERVICE_MANIFEST_VERSION: return attrName(Attr.service_manifest_version);
    case Step.AUXBLOB: return attrName(Attr.auxblob);
    case Step.OUTBLOB: return attrName(Attr.outblob);
    case Step.MANIFESTBLOB: return attrName(Attr.manifestblob);
    case Step.GENERATION: return attrName(Attr.generation);
  }
  return "";
}

// The bytes of an op that has none: one shared empty array, as the WASI command's runtime frees
// nothing and every retry passes through several such ops.
const EMPTY = new Uint8Array(0);

const MAX_NAME_TRIES = 16; // EEXIST on mkdir: someone else owns that name; try the next
const NO_ROOT_ADVICE = "configfs-tsm not present: kernel < 6.7 or CONFIG_TSM_REPORTS off; " +
  "mount configfs (mount -t configfs none /sys/kernel/config)";

export class ReportMachine {
  // The current operation (valid until the next feed/abort).
  kind: OpKind = OpKind.MKDIR;
  item: string = "";
  attr: string = "";
  data: Uint8Array = EMPTY;
  delayMs: u32 = 0;

  // Results.
  provider: string = "";
  outblob: Uint8Array | null = null;
  auxblob: Uint8Array | null = null;
  manifestblob: Uint8Array | null = null;
  generation: u64 = 0;
  attempts: i32 = 0;
  error: ReportError | null = null;
  /** errno of a failed rmdir after a successful report (the evidence stands; the item is left). */
  cleanupErrno: i32 = 0;

  private step: Step = Step.MKDIR;
  private after: After = After.DONE;
  private expected: u64 = 0;
  private providerId: i32 = -1;
  private seq: u32 = 0;
  private nameTries: i32 = 0;
  private rng: u32;
  private namePrefix: string;

  constructor(public req: ReportRequest) {
    this.rng = req.seed != 0 ? req.seed : 0x9e3779b9;
    this.namePrefix = "tsmkit-" + hex32(req.seed) + "-";
    const bad = validate(req);
    if (bad) {
      this.error = bad;
      this.enter(Step.FAILED);
    } else {
      this.startAttempt();
    }
  }

  get finished(): bool { return this.kind == OpKind.DONE || this.kind == OpKind.FAILED; }

  /**
   * The outcome of the current operation: errno 0 = success; `data` = the bytes read (to EOF).
   * The machine keeps `data` as the blob it returns until its next attempt starts: only then may
   * the caller reuse it.
   */
  feed(errno: i32, data: Uint8Array = EMPTY): void {
    const s = this.step;
    if (s == Step.DONE || s == Step.FAILED) return;
    if (s == Step.SLEEP) { this.startAttempt(); return; }
    if (s == Step.RMDIR) { this.afterRmdir(errno); return; }
    if (s == Step.MKDIR) { this.afterMkdir(errno); return; }
    if (errno != 0) { this.failedOp(errno); return; }
    if (s == Step.PROVIDER) {
      this.provider = String.UTF8.decodeUnsafe(data.dataStart, textLength(data));
      this.providerId = providerByName(this.provider);
      const bad = checkProvider(this.req, this.provider, this.providerId);
      if (bad) { this.fail(bad); return; }
    } else if (s == Step.GENERATION) {
      const g = parseU64(data);
      if (!parsedOk) { this.fail(new ReportError(EBADMSG, "generation", "generation is not a decimal number", "")); return; }
      this.generation = g;
      if (g != this.expected) { this.conflict(g); return; }
    } else if (s == Step.PRIVLEVEL_FLOOR) {
      const f = parseU64(data);
      if (!parsedOk || f > <u64>PRIVLEVEL_MAX) {
        this.fail(new ReportError(EBADMSG, "privlevel_floor", "privlevel_floor is not a number in 0.." + PRIVLEVEL_MAX.toString(), ""));
        return;
      }
      const asked = this.req.privlevel;
      if (!privlevelInRange(<u32>f, asked < 0 ? 0 : <u32>asked)) {
        const floor = f.toString();
        this.fail(new ReportError(EINVAL, "privlevel", (asked < 0 ? "privlevel is unset (0)" : "privlevel " + asked.toString()) +
          " and " + this.provider + "'s privlevel_floor is " + floor,
          "set privlevel between " + floor + " and " + PRIVLEVEL_MAX.toString() + " (the floor is the VMPL the guest runs at)"));
        return;
      }
    } else if (s >= Step.INBLOB && s <= Step.SERVICE_MANIFEST_VERSION) {
      this.expected++;
    } else if (s == Step.AUXBLOB) {
      this.auxblob = data;
    } else if (s == Step.OUTBLOB) {
      if (data.length == 0) {
        this.fail(new ReportError(ENODATA, "outblob", this.provider + " returned an empty outblob",
          "the provider produced no evidence (TDX: the host's quote service failed or timed out); check the host's attestation service, then retry"));
        return;
      }
      this.outblob = data;
    } else if (s == Step.MANIFESTBLOB) {
      this.manifestblob = data;
    }
    this.enter(this.nextStep(s + 1));
  }

  /** The caller gave up (between operations): clean up, then fail with ECANCELED. */
  abort(): void {
    const s = this.step;
    if (s == Step.DONE || s == Step.FAILED) return;
    const e = new ReportError(ECANCELED, this.attr, "aborted by the caller", "");
    if (s == Step.MKDIR || s == Step.SLEEP) { this.error = e; this.enter(Step.FAILED); return; }
    if (s == Step.RMDIR) {
      if (this.after != After.FAIL) { this.error = e; this.after = After.FAIL; }
      return;
    }
    this.fail(e);
  }

  // ---- transitions ----------------------------------------------------------------------

  private startAttempt(): void {
    this.attempts++;
    // A fresh item starts at generation 0 (§2.1); anyone else's write, before or after ours,
    // shows in the final read.
    this.expected = 0;
    this.outblob = null;
    this.auxblob = null;
    this.manifestblob = null;
    this.nameTries = 0;
    this.newName();
    this.enter(Step.MKDIR);
  }

  private newName(): void {
    this.seq++;
    this.item = this.namePrefix + this.seq.toString();
  }

  private afterMkdir(errno: i32): void {
    if (errno == 0) { this.enter(this.nextStep(Step.PROVIDER)); return; }
    if (errno == EEXIST && ++this.nameTries < MAX_NAME_TRIES) { this.newName(); this.enter(Step.MKDIR); return; }
    const e = explain(errno, Step.MKDIR, this);
    // Nothing was made, so nothing to remove.
    if (retryable(errno) && this.attempts <= this.req.retries) { this.error = e; this.sleep(); return; }
    this.error = e;
    this.enter(Step.FAILED);
  }

  private afterRmdir(errno: i32): void {
    if (this.after == After.DONE) {
      this.cleanupErrno = errno;
      this.error = null;
      this.enter(Step.DONE);
    } else if (this.after == After.RETRY) this.sleep();
    else this.enter(Step.FAILED);
  }

  private failedOp(errno: i32): void {
    const s = this.step;
    // Hidden auxblob (TDX): not an error, the evidence just has none. A floor read we chose to
    // make (no privlevel asked for) has nothing to check when hidden.
    const optional = s == Step.AUXBLOB || (s == Step.PRIVLEVEL_FLOOR && this.req.privlevel < 0);
    if (optional && errno == ENOENT) { this.enter(this.nextStep(s + 1)); return; }
    const e = explain(errno, s, this);
    if (retryable(errno)) this.retry(e);
    else this.fail(e);
  }

  private conflict(got: u64): void {
    this.retry(new ReportError(EAGAIN, "generation",
      "generation is " + got.toString() + ", expected " + this.expected.toString() +
      ": another writer changed item " + this.item,
      "another process wrote to this report item; use one item per requester, then retry"));
  }

  private retry(e: ReportError): void {
    this.error = e;
    this.after = this.attempts <= this.req.retries ? After.RETRY : After.FAIL;
    this.enter(Step.RMDIR);
  }

  private fail(e: ReportError): void {
    this.error = e;
    this.after = After.FAIL;
    this.enter(Step.RMDIR);
  }

  private sleep(): void {
    let d = this.req.backoffMs;
    for (let i = 1; i < this.attempts && d < this.req.backoffMaxMs; i++) d <<= 1;
    if (d > this.req.backoffMaxMs) d = this.req.backoffMaxMs;
    // Jitter in [d/2, d]: clients that collided do not collide again in lockstep.
    this.delayMs = (d >> 1) + (d > 0 ? this.nextRandom() % ((d >> 1) + 1) : 0);
    this.enter(Step.SLEEP);
  }

  private nextRandom(): u32 {
    let x = this.rng;
    x ^= x << 13; x ^= x >> 17; x ^= x << 5;
    this.rng = x;
    return x;
  }

  private nextStep(from: Step): Step {
    const r = this.req;
    for (let s = from; s < Step.RMDIR; s++) {
      if (s == Step.PRIVLEVEL_FLOOR) { if (r.privlevel < 0 && !(this.providerId == Provider.SEV && r.serviceProvider === null)) continue; }
      else if (s == Step.PRIVLEVEL) { if (r.privlevel < 0) continue; }
      else if (s == Step.SERVICE_PROVIDER || s == Step.MANIFESTBLOB) { if (r.serviceProvider === null) continue; }
      else if (s == Step.SERVICE_GUID) { if (r.serviceGuid === null) continue; }
      else if (s == Step.SERVICE_MANIFEST_VERSION) { if (r.serviceManifestVersion < 0) continue; }
      else if (s == Step.AUXBLOB) { if (!r.auxblob || !this.mayHaveAuxblob()) continue; }
      return s;
    }
    // Every step done: the item still has to go.
    this.after = After.DONE;
    return Step.RMDIR;
  }

  /** Whether the provider (read first) can produce an auxblob; reading a hidden one costs an op. */
  private mayHaveAuxblob(): bool {
    if (this.providerId < 0) return true;
    return (providerBlobs(this.providerId, sevUsesSvsm(this.providerId, this.req.serviceProvider)) & (1 << Attr.auxblob)) != 0;
  }

  private enter(s: Step): void {
    this.step = s;
    this.attr = stepAttr(s);
    this.data = EMPTY;
    if (s == Step.MKDIR) this.kind = OpKind.MKDIR;
    else if (s == Step.RMDIR) this.kind = OpKind.RMDIR;
    else if (s == Step.SLEEP) this.kind = OpKind.SLEEP;
    else if (s == Step.DONE) this.kind = OpKind.DONE;
    else if (s == Step.FAILED) this.kind = OpKind.FAILED;
    else if (s >= Step.INBLOB && s <= Step.SERVICE_MANIFEST_VERSION) {
      this.kind = OpKind.WRITE;
      this.data = this.writeData(s);
    } else this.kind = OpKind.READ;
  }

  private writeData(s: Step): Uint8Array {
    const r = this.req;
    if (s == Step.INBLOB) return r.inblob;
    if (s == Step.PRIVLEVEL) return utf8(r.privlevel.toString());
    if (s == Step.SERVICE_PROVIDER) return utf8(<string>r.serviceProvider);
    if (s == Step.SERVICE_GUID) return utf8(<string>r.serviceGuid);
    return utf8(r.serviceManifestVersion.toString());
  }
}

// ---- checks ------------------------------------------------------------------------------

/** Rules that need no provider: checked before anything is made or written. */
function validate(r: ReportRequest): ReportError | null {
  const n = r.inblob.length;
  if (<u32>n > INBLOB_MAX) {
    return new ReportError(EFBIG, "inblob", "inblob is " + n.toString() + " bytes; configfs-tsm takes at most " +
      INBLOB_MAX.toString(), "hash longer data (e.g. SHA-512) into the 64-byte inblob");
  }
  if (n == 0) return new ReportError(EINVAL, "inblob", "inblob is empty", "pass the nonce or report data as inblob");
  if (r.privlevel < -1 || r.privlevel > <i32>PRIVLEVEL_MAX) {
    return new ReportError(EINVAL, "privlevel", "privlevel " + r.privlevel.toString() + " is outside 0.." + PRIVLEVEL_MAX.toString(), "");
  }
  const g = r.serviceGuid;
  if (g !== null && !isGuidText(g)) {
    return new ReportError(EINVAL, "service_guid", "service_guid \"" + g + "\" is not a 36-character GUID",
      "write it as xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx (hex digits, hyphens at 8, 13, 18 and 23)");
  }
  if (r.serviceManifestVersion < -1 || r.serviceManifestVersion > <i64>u32.MAX_VALUE) {
    return new ReportError(ERANGE, "service_manifest_version", "service_manifest_version " +
      r.serviceManifestVersion.toString() + " is outside 0..4294967295", "");
  }
  return null;
}

/** Rules the kernel applies only at report time (§3), checked once the provider is known. */
function checkProvider(r: ReportRequest, provider: string, p: i32): ReportError | null {
  if (p < 0) return null; // a provider this client does not know: the kernel decides
  const n = <u32>r.inblob.length;
  if (inblobLengthErrno(p, n) != 0) {
    // The accepted range, for the message, from the rule itself.
    let lo: u32 = 0, hi: u32 = 0;
    for (let k: u32 = 1; k <= INBLOB_MAX; k++) if (inblobLengthErrno(p, k) == 0) { if (!lo) lo = k; hi = k; }
    const want = lo == hi ? "exactly " + lo.toString() : lo.toString() + " to " + hi.toString();
    return new ReportError(EINVAL, "inblob", provider + " needs an inblob of " + want + " bytes, got " + n.toString(),
      "pad or hash the report data to " + want + " bytes");
  }
  const sp = r.serviceProvider;
  // With a valid inblob and the highest privlevel, what report_new still refuses is the service provider.
  if (sp !== null && reportNewErrno(p, n, PRIVLEVEL_MAX, 0, sp) != 0) {
    return new ReportError(EINVAL, "service_provider", provider + " does not accept service_provider \"" + sp + "\"",
      "sev_guest's SVSM path takes service_provider \"svsm\"");
  }
  return null;
}

function retryable(errno: i32): bool {
  return errno == EBUSY || errno == EAGAIN || errno == EINTR;
}

const OPTION_ADVICE = "service_* need kernel 6.11+ and sev_guest under an SVSM (VMPL > 0) or arm_cca_guest";

/** The typed error for an errno at a step: the message names the attribute; advice says what to do. */
function explain(errno: i32, s: Step, m: ReportMachine): ReportError {
  const attr = stepAttr(s);
  const provider = m.provider, item = m.item;
  const what = s == Step.MKDIR ? "mkdir " + item : (s >= Step.INBLOB && s <= Step.SERVICE_MANIFEST_VERSION ? "write " : "read ") + attr;
  const msg = what + ": " + outcomeName(errno);
  let advice = "";
  if (errno == ENOENT) {
    if (s == Step.MKDIR) advice = NO_ROOT_ADVICE;
    else if (s == Step.PRIVLEVEL || s == Step.PRIVLEVEL_FLOOR) {
      return new ReportError(errno, "privlevel", provider + " does not expose privlevel",
        "leave privlevel unset for " + provider + " (only sev_guest and arm_cca_guest have it)");
    } else if (s >= Step.SERVICE_PROVIDER && s <= Step.SERVICE_MANIFEST_VERSION || s == Step.MANIFESTBLOB) {
      return new ReportError(errno, attr, provider + " does not expose " + attr, OPTION_ADVICE);
    } else advice = "the report item disappeared while in use (another process removed it)";
  } else if (errno == ENXIO) {
    advice = "no TSM provider: the provider module (tdx_guest, sev_guest, arm_cca_guest) is not loaded or was unloaded";
  } else if (errno == EACCES || errno == EPERM) {
    advice = "permission denied: configfs-tsm reports need root (or write access to the report directory)";
  } else if (errno == EBUSY || errno == EAGAIN || errno == EINTR) {
    advice = "the provider stayed busy through every retry; try again later or raise retries";
  } else if (errno == EINVAL) {
    if (s == Step.PRIVLEVEL) advice = "privlevel must lie between privlevel_floor and 3";
    else if (s == Step.SERVICE_GUID) advice = "service_guid must be a 36-character GUID";
    else if (m.req.serviceProvider !== null) advice = provider + " rejected the service request: check that service_guid and service_manifest_version name a service the SVSM offers";
    else advice = provider + " rejected the request: check the inblob length and privlevel (under an SVSM, privlevel must be at least privlevel_floor)";
  } else if (errno == EFBIG) {
    advice = s == Step.INBLOB ? "inblob takes at most 64 bytes"
      : "the evidence exceeds the kernel's blob limit (32 KiB before 7.0, 16 MiB from 7.0)";
  } else if (errno == ETIMEDOUT) {
    advice = "the host's attestation service did not answer in time (TDX: the quote service; SEV: a busy host)";
  } else if (errno == EIO) {
    // The kernel's mkdir never says EIO; a WASI runtime that lacks ENXIO (wasmtime) reports it so.
    advice = s == Step.MKDIR
      ? "creating the report item failed; under a WASI runtime this is how the kernel's ENXIO (no TSM provider loaded) can arrive"
      : "the provider's call to the hardware or host failed; check the host's attestation service";
  } else if (errno == ENOTTY) {
    advice = "sev_guest: the VMPCK was wiped after an earlier failure (reboot the guest); kernels before 6.15: the provider was unloaded";
  } else if (errno == ENOMEM) {
    advice = "the kernel ran out of memory";
  }
  return new ReportError(errno, s == Step.MKDIR ? "" : attr, msg, advice);
}

// ---- small helpers -----------------------------------------------------------------------

function utf8(s: string): Uint8Array { return Uint8Array.wrap(String.UTF8.encode(s)); }

/** Bytes before the kernel's trailing newline, if any. */
function textLength(b: Uint8Array): i32 {
  const n = b.length;
  return n > 0 && b[n - 1] == 0x0a ? n - 1 : n;
}

let parsedOk = false;
/** Decimal digits with an optional trailing newline (the kernel's "%lu\n"); sets parsedOk. */
function parseU64(b: Uint8Array): u64 {
  const n = textLength(b);
  parsedOk = n > 0;
  let v: u64 = 0;
  for (let i = 0; i < n && parsedOk; i++) {
    const c = <u64>b[i] - 0x30;
    const next = v * 10 + c;
    if (c > 9 || v > U64.MAX_VALUE / 10 || next < v * 10) parsedOk = false;
    v = next;
  }
  return v;
}

function hex32(v: u32): string {
  let s = "";
  for (let i = 28; i >= 0; i -= 4) s += "0123456789abcdef".charAt((v >> i) & 15);
  return s;
}

