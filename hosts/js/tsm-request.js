// The request-machine context: core.wasm's sans-IO getReport machine (assembly/tsm/request.ts,
// flat exports in tsm/request_abi.ts) as named calls. hosts/node/report.js (ReportMachine)
// reaches it only through here. `h` is a request handle (begin); several may run at once.
import { full } from "./tsm-core.js";

const core = full.exports;
const utf8 = new TextEncoder();

/**
 * The machine's enums from the core (assembly/request_enums.ts): ops (operation kind name ->
 * number) and blobs (result blob name -> number).
 * @type {{ ops: Record<OpKind, number>, blobs: Record<BlobName, number> }}
 */
export const REQUEST_ENUMS = full.json("tsm_request_enums");

/**
 * @typedef {"mkdir" | "read" | "write" | "rmdir" | "sleep" | "done" | "failed"} OpKind
 * @typedef {"outblob" | "auxblob" | "manifestblob"} BlobName
 * @typedef {{ kind: OpKind, path?: string, data?: Uint8Array, delayMs?: number }} Op
 */
/** @type {OpKind[]} operation number -> kind */
const KINDS = [];
for (const [name, n] of Object.entries(REQUEST_ENUMS.ops)) KINDS[n] = /** @type {OpKind} */ (name);

/**
 * Starts a request; returns its handle. Unset fields are never written by the machine; values
 * go in as given (the core names any rule they break in the outcome).
 * @param {{ inblob: Uint8Array, serviceProvider?: string, serviceGuid?: string, privlevel?: number,
 *   serviceManifestVersion?: number, auxblob: boolean, retries: number, seed: number }} r
 * @returns {number}
 */
export function begin(r) {
  const sp = r.serviceProvider === undefined ? null : utf8.encode(r.serviceProvider);
  const guid = r.serviceGuid === undefined ? null : utf8.encode(r.serviceGuid);
  let input = r.inblob;
  if (sp || guid) { // the input region holds inblob, then service_provider, then service_guid
    input = new Uint8Array(r.inblob.length + (sp?.length ?? 0) + (guid?.length ?? 0));
    input.set(r.inblob, 0);
    if (sp) input.set(sp, r.inblob.length);
    if (guid) input.set(guid, r.inblob.length + (sp?.length ?? 0));
  }
  full.load(input);
  return core.tsm_request_begin(r.inblob.length, sp ? sp.length : -1, guid ? guid.length : -1,
    r.privlevel ?? -1, BigInt(r.serviceManifestVersion ?? -1), r.auxblob ? 1 : 0, r.retries, r.seed >>> 0);
}

/**
 * The next operation; path is relative to the report root, data a copy of what to write.
 * @param {number} h
 * @returns {Op}
 */
export function op(h) {
  const kind = KINDS[core.tsm_request_op(h)];
  if (kind === "done" || kind === "failed") return { kind };
  if (kind === "sleep") return { kind, delayMs: core.tsm_request_op_delay(h) };
  core.tsm_request_op_path(h);
  const path = full.output();
  if (kind !== "write") return { kind, path };
  return { kind, path, data: full.bytes(core.tsm_request_op_data_ptr(h), core.tsm_request_op_data_len(h)) };
}

/**
 * The current operation's outcome: errno (Linux number, 0 = success) and, for a read, the bytes.
 * @type {(h: number, errno: number, data?: Uint8Array) => void}
 */
export function feed(h, errno, data) {
  const len = errno === 0 && data ? full.load(data) : 0;
  core.tsm_request_feed(h, errno, len);
}

/** Gives up between operations: the machine still emits the rmdir of its item. @type {(h: number) => void} */
export const abort = (h) => core.tsm_request_abort(h);

/**
 * The finished machine's outcome: { provider, generation (decimal text), attempts, item,
 * cleanup (errno name of a failed rmdir, or "") } or { error: { code, errno, attribute, message,
 * advice, attempts } }.
 * @param {number} h
 * @returns {{ provider: string, generation: string, attempts: number, item: string, cleanup: string, error?: undefined }
 *   | { error: { code: string, errno: number, attribute: string, message: string, advice: string, attempts: number } }}
 */
export function outcome(h) {
  core.tsm_request_result_json(h);
  return JSON.parse(full.output());
}

/**
 * A copy of result blob `name`, or undefined when the machine has none.
 * @param {number} h
 * @param {BlobName} name
 * @returns {Uint8Array | undefined}
 */
export function resultBlob(h, name) {
  const which = REQUEST_ENUMS.blobs[name];
  const len = core.tsm_request_result_len(h, which);
  return len < 0 ? undefined : full.bytes(core.tsm_request_result_ptr(h, which), len);
}

/** Releases a request's state in the core. @type {(h: number) => void} */
export const free = (h) => core.tsm_request_free(h);
