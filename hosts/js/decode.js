// The decode API: bytes in, the stable JSON form out (as objects or text). The core renders the
// JSON, so every host prints the same bytes; objects are that JSON parsed.
import { core, load, output } from "./core.js";
import { FORMATS, PROVIDER_FORMATS } from "./formats.js";

export const RENDER = Object.freeze({ json: 0, pretty: 1, text: 2 });

/** A decode failure: what (code), where (format, field path, byte offset), and why. */
export class DecodeError extends Error {
  constructor({ code, format, field, offset, message }) {
    super(`${format}: ${code}${field ? ` in ${field}` : ""} at byte ${offset}: ${message}`);
    this.name = "DecodeError";
    this.code = code;
    this.format = format;
    this.field = field;
    this.offset = offset;
    this.detail = message;
  }
  toJSON() {
    return { error: { code: this.code, format: this.format, field: this.field, offset: this.offset, message: this.detail } };
  }
}

function formatId(opts) {
  const name = opts?.format ?? (opts?.provider ? PROVIDER_FORMATS[String(opts.provider).trim()] : undefined);
  if (name === undefined || name === "auto") return 0;
  const id = FORMATS[name];
  if (id === undefined) {
    throw new TypeError(`unknown format "${name}" (known: ${Object.keys(FORMATS).join(", ")}, auto)`);
  }
  return id;
}

function toBytes(bytes) {
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  if (ArrayBuffer.isView(bytes)) return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  throw new TypeError("evidence must be a Uint8Array, ArrayBuffer or typed-array view");
}

/** Runs the core decoder; returns the error code (0 = ok). */
function run(bytes, opts) {
  const id = formatId(opts);
  const len = load(toBytes(bytes));
  return core.decode(id, len);
}

function errorFromCore() {
  core.render(RENDER.json);
  return new DecodeError(JSON.parse(output()).error);
}

/**
 * Decodes evidence to its typed JSON form. `opts.format` names the format ("quote", "tdreport",
 * "snp-report", "snp-certs"), or `opts.provider` the configfs-tsm provider it came from;
 * otherwise it is detected from the bytes. Throws DecodeError on bad input.
 */
export function decode(bytes, opts) {
  if (run(bytes, opts) !== 0) throw errorFromCore();
  core.render(RENDER.json);
  return JSON.parse(output());
}

/**
 * Renders evidence as text: mode "pretty" (the --json form), "json" (compact) or "text" (for
 * people). Returns { ok, text } so CLIs print errors in the same form the core renders them.
 */
export function render(bytes, mode = "pretty", opts) {
  const ok = run(bytes, opts) === 0;
  core.render(RENDER[mode]);
  return { ok, text: output() };
}

export const decodeQuote = (b) => decode(b, { format: "quote" });
export const decodeTdreport = (b) => decode(b, { format: "tdreport" });
export const decodeSnpReport = (b) => decode(b, { format: "snp-report" });
export const decodeSnpCerts = (b) => decode(b, { format: "snp-certs" });

/** Field offsets of every layout the core knows, for encoders (the simulator). */
export function layouts() {
  core.layouts();
  return JSON.parse(output());
}

let nameCache = [];
function nameOf(id) {
  if (id >= nameCache.length) {
    core.names_json();
    nameCache = JSON.parse(output());
  }
  return nameCache[id];
}

/**
 * Where each decoded field and group lies in the input: a Map from dotted path
 * ("signatureData.certificationData.qeReport") to [offset, length]. Array members are indexed
 * ("...pckCertChain.0"). Verifiers use it to take signed regions straight from the caller's bytes.
 */
export function locate(bytes, opts) {
  if (run(bytes, opts) !== 0) throw errorFromCore();
  const n = core.entries_count();
  const e = new Uint32Array(core.memory.buffer, core.entries_ptr(), n * 4);
  const map = new Map();
  const path = [];
  const counters = [];
  for (let i = 0; i < n; i++) {
    const op = e[i * 4] & 0xff;
    if (op === 3) { path.pop(); counters.pop(); continue; }
    const parentIsArray = counters.length > 0 && counters[counters.length - 1] !== null;
    const key = parentIsArray ? String(counters[counters.length - 1]++) : nameOf(e[i * 4 + 1]);
    const full = path.length ? `${path.join(".")}.${key}` : key;
    const type = e[i * 4] >> 8;
    // Byte-backed fields and groups with a known extent; computed values have no bytes.
    if (op !== 1 || (type !== 7 && type !== 8 && type !== 9)) map.set(full, [e[i * 4 + 2], e[i * 4 + 3]]);
    if (op === 2 || op === 4) { path.push(key); counters.push(op === 4 ? 0 : null); }
  }
  return map;
}
