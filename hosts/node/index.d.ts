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
export interface ReportOptions {
  backend?: "configfs" | "sim" | "ioctl" | { mkdir(path: string): Promise<void>; rmdir(path: string): Promise<void>; read(path: string): Promise<Uint8Array>; write(path: string, bytes: Uint8Array): Promise<void> };
  /** configfs root (default /sys/kernel/config/tsm/report). */
  root?: string;
  /** Fresh-item retries after a generation conflict, EBUSY, EAGAIN or EINTR (default 3). */
  retries?: number;
  signal?: AbortSignal;
  /** The SimTsm to use with backend "sim" (default: a fresh tdx_guest one). */
  sim?: unknown;
}
export interface Report {
  provider: string;
  outblob: Uint8Array;
  auxblob?: Uint8Array;
  manifestblob?: Uint8Array;
  generation: bigint;
  attempts: number;
  /** Present when the item could not be removed after a good report. */
  cleanup?: { code: string; item: string };
}
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
}
