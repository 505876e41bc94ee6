// Flat exports over the report machine (request.ts) for JS hosts. Several requests may run at
// once (async callers), so each gets a handle. Bytes go in through the shared input region
// (input_reserve) and come out as (ptr, len) views or JSON in the output region; the host copies
// them before its next call into the core.
import { renderReportError } from "../render/report_error";
import { ReportRequest, ReportMachine, OpKind, outcomeName } from "./request";
import { inPtr } from "../formats/table";
import { outReset, outPtr, ascii, byte, dec, jsonString } from "../render/out";

const machines: Array<ReportMachine | null> = [];

function get(h: i32): ReportMachine {
  // A bad handle is a host bug, not bad input.
  assert(h >= 0 && h < machines.length && machines[h] !== null, "bad tsm request handle");
  return <ReportMachine>machines[h];
}

function text(off: i32, len: i32): string | null {
  return len < 0 ? null : String.UTF8.decodeUnsafe(inPtr + <usize>off, <usize>len);
}

/**
 * Starts a request and returns its handle. The input region holds inblob, then service_provider,
 * then service_guid (UTF-8); a negative length, privlevel or manifest version means "not set".
 */
export function tsm_request_begin(inblobLen: i32, serviceProviderLen: i32, serviceGuidLen: i32,
  privlevel: i32, serviceManifestVersion: i64, auxblob: i32, retries: i32, seed: u32): i32 {
  const r = new ReportRequest();
  const inblob = new Uint8Array(inblobLen);
  memory.copy(inblob.dataStart, inPtr, <usize>inblobLen);
  r.inblob = inblob;
  r.serviceProvider = text(inblobLen, serviceProviderLen);
  r.serviceGuid = text(inblobLen + max(serviceProviderLen, 0), serviceGuidLen);
  r.privlevel = privlevel < 0 ? -1 : privlevel;
  r.serviceManifestVersion = serviceManifestVersion < 0 ? -1 : serviceManifestVersion;
  r.auxblob = auxblob != 0;
  r.retries = retries;
  r.seed = seed;
  const m = new ReportMachine(r);
  for (let h = 0; h < machines.length; h++) {
    if (machines[h] === null) { machines[h] = m; return h; }
  }
  machines.push(m);
  return machines.length - 1;
}

/** The next operation (request.ts OpKind). */
export function tsm_request_op(h: i32): i32 { return get(h).kind; }

/** Writes "item" (mkdir/rmdir) or "item/attribute" to the output region. */
export function tsm_request_op_path(h: i32): usize {
  const m = get(h);
  outReset();
  ascii(m.kind == OpKind.MKDIR || m.kind == OpKind.RMDIR ? m.item : m.item + "/" + m.attr);
  return outPtr;
}

/** The bytes a write op writes (ptr, len). */
export function tsm_request_op_data_ptr(h: i32): usize { return get(h).data.dataStart; }
export function tsm_request_op_data_len(h: i32): i32 { return get(h).data.length; }

/** How long a sleep op waits, in milliseconds. */
export function tsm_request_op_delay(h: i32): u32 { return get(h).delayMs; }

/** The op's outcome: errno (Linux number, 0 = ok) and, for reads, `len` bytes in the input region. */
export function tsm_request_feed(h: i32, errno: i32, len: i32): void {
  const data = new Uint8Array(errno == 0 ? len : 0);
  if (errno == 0) memory.copy(data.dataStart, inPtr, <usize>len);
  get(h).feed(errno, data);
}

/** The caller gave up; the machine still emits the rmdir of its item. */
export function tsm_request_abort(h: i32): void { get(h).abort(); }

function blob(h: i32, which: i32): Uint8Array | null {
  const m = get(h);
  return which == 0 ? m.outblob : which == 1 ? m.auxblob : m.manifestblob;
}

/** Result blobs: 0 outblob, 1 auxblob, 2 manifestblob. Length -1 = absent. */
export function tsm_request_result_ptr(h: i32, which: i32): usize {
  const b = blob(h, which);
  return b === null ? 0 : b.dataStart;
}
export function tsm_request_result_len(h: i32, which: i32): i32 {
  const b = blob(h, which);
  return b === null ? -1 : b.length;
}

/**
 * The outcome as JSON in the output region: {"provider", "generation" (decimal string),
 * "attempts", "cleanup" (errno name of a failed rmdir, or "")} or {"error": {"code", "errno",
 * "attribute", "message", "advice", "attempts"}}.
 */
export function tsm_request_result_json(h: i32): usize {
  const m = get(h);
  outReset();
  const e = m.error;
  if (m.kind == OpKind.FAILED && e !== null) {
    renderReportError(e, m.attempts, false);
  } else {
    ascii("{\"provider\":"); jsonString(m.provider);
    ascii(",\"generation\":\""); dec(m.generation);
    ascii("\",\"attempts\":"); dec(<u64>m.attempts);
    ascii(",\"item\":"); jsonString(m.item);
    ascii(",\"cleanup\":"); jsonString(m.cleanupErrno != 0 ? outcomeName(m.cleanupErrno) : "");
    byte(0x7d);
  }
  return outPtr;
}

/** Releases a finished (or abandoned) request. */
export function tsm_request_free(h: i32): void {
  get(h);
  machines[h] = null;
}
