// Types of tsmkit/node: acquisition plus the portable API.
export * from "../js/index.js";

export interface ReportRequest {
  /** 1-64 bytes of report data (TDX/SEV: exactly 64; CCA: 32-64). */
  inblob: Uint8Array;
  privlevel?: number;
  serviceProvider?: string;
  serviceGuid?: string;
  serviceManifestVersion?: number;
  /** Read auxblob when the provider shows it (default true). */
  auxblob?: boolean;
}
/**
 * Where reports come from. The object form executes the report machine's operations (paths are
 * relative to the report root; an Error with an errno `code` such as "EBUSY" is the kernel's answer).
 */
export interface ReportBackend {
  mkdir(path: string): Promise<unknown>;
  rmdir(path: string): Promise<unknown>;
  read(path: string): Promise<Uint8Array>;
  write(path: string, bytes: Uint8Array): Promise<unknown>;
}
export interface ReportOptions {
  /**
   * "auto" (default): configfs-tsm where its root exists, else the legacy /dev/sev-guest or
   * /dev/tdx_guest ioctl (kernels before 6.7; tdx_guest gives a TDREPORT), else configfs (whose
   * ENOENT says what is missing). "sim": the built-in simulator.
   */
  backend?: "auto" | "configfs" | "ioctl" | "sim" | ReportBackend;
  /** configfs root (default /sys/kernel/config/tsm/report). */
  root?: string;
  /** Fresh-item retries after a generation conflict, EBUSY, EAGAIN or EINTR (default 3). */
  retries?: number;
  signal?: AbortSignal;
  /** The KernelModel to use with backend "sim" (default: a fresh tdx_guest one). */
  sim?: unknown;
  /** ioctl backend: the device to use (default: whichever of sev_guest / tdx_guest opens). */
  provider?: "sev_guest" | "tdx_guest";
  /** ioctl backend, sev_guest: SNP_GET_EXT_REPORT with certificates (default true). */
  extended?: boolean;
  /** ioctl backend: the system calls (default libc's; tests pass a simulated device). */
  device?: unknown;
}
export interface Report {
  /** The configfs-tsm provider that answered ("tdx_guest", "sev_guest", "arm_cca_guest", ...). */
  provider: string;
  outblob: Uint8Array;
  auxblob?: Uint8Array;
  manifestblob?: Uint8Array;
  /** The item's final generation (the kernel's u32 write counter): a number, so JSON.stringify works. */
  generation: number;
  attempts: number;
  /** Present when the item could not be removed after a good report. */
  cleanup?: { code: string; item: string };
}
/**
 * Gets one attestation report. An unknown key in `request` or `options` throws OptionError
 * (`option` = "request.backend", ...) before anything is opened; a value of the wrong type is a
 * TypeError; everything the kernel or the ABI refuses is a TsmError.
 */
export function getReport(request: ReportRequest, options?: ReportOptions): Promise<Report>;
export class TsmError extends Error {
  /** Linux errno name ("EBUSY", "ENXIO", ...; "ECANCELED" when aborted, "ENODATA" for an empty outblob). */
  readonly code: string;
  readonly errno: number;
  /** The configfs attribute involved ("" for the item). */
  readonly attribute: string;
  readonly advice: string;
  readonly attempts: number;
  readonly detail: string;
  /** The CLI's --json error form. */
  toJSON(): { error: { code: string; errno: number; attribute: string; message: string; advice: string; attempts: number } };
}
/** Intel collateral from a directory (any file names: classified by content, see
 * classifyCollateral) or from one file (a dcap-qvl bundle); `collateral` goes to verify(). */
export function readCollateral(path: string): Promise<ReturnType<typeof import("../js/index.js").classifyCollateral>>;

/** A tsm-mr measurement register file of a `measurements/` directory. */
export interface MeasurementRegister {
  /** The register name ("rtmr3"). */
  name: string;
  /** The sysfs file name ("rtmr3:sha384"; "mrowner" for a NOHASH register). */
  file: string;
  path: string;
  /** The kernel hash name after the colon, null for NOHASH. */
  hashAlg: string | null;
  size: number;
  readable: boolean;
  writable: boolean;
}
/** tdx_guest's measurements directory (/sys/class/misc/tdx_guest/measurements). */
export const MEASUREMENTS_DIR: string;
/** The runtime event log's default path (/run/tsmkit/runtime-log.jsonl). */
export const RUNTIME_LOG: string;
/** The registers of a measurements directory (default MEASUREMENTS_DIR), in directory order. */
export function listRegisters(dir?: string): Promise<MeasurementRegister[]>;
/** One register, by name ("rtmr3") or file name ("rtmr3:sha384"), with its value. */
export function readRegister(register: string, opts?: { dir?: string }): Promise<MeasurementRegister & { value: Uint8Array }>;
/** What an interrupted extend was settled to. */
export interface RecoveredExtend { outcome: "completed" | "rolled-back"; recnum: number; register: string; event: string; pid: number }
/**
 * Appends `event` to the runtime log and extends `register` with `digest` (hex or bytes) or the
 * hash of `data`, as one step (a lock serialises writers; an intent record settles a crash).
 */
export function extend(
  register: string,
  input: { digest?: string | Uint8Array; data?: string | Uint8Array; event: string | { name: string; [member: string]: unknown } },
  opts?: { dir?: string; log?: string; lockTimeoutMs?: number },
): Promise<{ register: string; file: string; recnum: number; hashAlg: string; digest: string; before: string; after: string; recovered: RecoveredExtend | null }>;
/** Settles an extend a crashed process left half done; null when there was none. */
export function recover(opts?: { log?: string; lockTimeoutMs?: number }): Promise<RecoveredExtend | null>;
/** The runtime log's events, or { version: null, events: [] } when there is no log yet. */
export function readRuntimeLog(log?: string): Promise<{ version: number | null; events: import("../js/index.js").RuntimeEvent[] }>;
/** A measurement-register failure: `code` (NO_MEASUREMENTS, NO_REGISTER, NOT_READABLE, NOT_WRITABLE, NOHASH, UNSUPPORTED_HASH, BAD_REGISTER, BAD_DIGEST, BAD_INPUT, BAD_EVENT, LOCK_TIMEOUT, INTERRUPTED_EXTEND, WRITE_FAILED, NOT_EXTENDED, IO), the register, the path, the errno name. */
export class MrError extends Error {
  readonly code: string;
  readonly register?: string;
  readonly path?: string;
  readonly errno?: string;
  toJSON(): { error: { code: string; register?: string; path?: string; errno?: string; message: string } };
}
