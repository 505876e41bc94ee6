// tsmkit's runtime event log: one record per measurement-register extend, so a verifier can replay
// the registers the kernel keeps no log for (tsm-mr, RTMR3). Pure JS (browsers read it too).
//
// Format "tsmkit-runtime-log" version 1: UTF-8 JSON lines in the shape of TCG Canonical Event Log
// JSON (CEL-JSON) records, each line ending in "\n".
//   line 1 (header, recnum 0, extends nothing):
//     {"recnum":0,"content_type":"tsmkit_log","content":{"format":"tsmkit-runtime-log","version":1}}
//   line n+1 (event n, recnum n = 1, 2, ... without gaps):
//     {"recnum":n,"mr":"rtmr3","digests":[{"hashAlg":"sha384","digest":"<96 lowercase hex>"}],
//      "content_type":"tsmkit_event","content":{"name":"<event name>", ...any JSON members}}
// "mr" is the tsm-mr register name (the sysfs file name before ":"); the one digest is the value
// written to the register, in its hash algorithm; the register becomes H(old || digest).
// A line without its "\n" is a torn append (a crash while writing) and is refused, like any bad record.

import { toBytes, hex } from "./bytes.js";

export const RUNTIME_LOG_FORMAT = "tsmkit-runtime-log";
export const RUNTIME_LOG_VERSION = 1;
export const RUNTIME_CONTENT_TYPE = "tsmkit_event";
const HEADER_CONTENT_TYPE = "tsmkit_log";

/** Digest length in bytes of each hash algorithm a tsm-mr register may use. */
export const HASH_SIZES = Object.freeze({ sha256: 32, sha384: 48, sha512: 64 });

const MAX_RECORD = 65536; // one record's line, in characters: a bound for hostile logs
const RECORD_KEYS = ["recnum", "mr", "digests", "content_type", "content"];
const HEADER_KEYS = ["recnum", "content_type", "content"];
const REGISTER_NAME = /^[A-Za-z0-9_]+$/;

/** A bad runtime log: what (code), where (1-based line and record number), and why. */
export class RuntimeLogError extends Error {
  /** @param {{ code: string, line: number, recnum?: number, message: string }} e */
  constructor({ code, line, recnum, message }) {
    super(`runtime log: ${code} at line ${line}${recnum === undefined ? "" : ` (record ${recnum})`}: ${message}`);
    this.name = "RuntimeLogError";
    this.code = code;
    this.line = line;
    this.recnum = recnum;
    this.detail = message;
  }
  toJSON() {
    return { error: { code: this.code, line: this.line, recnum: this.recnum, message: this.detail } };
  }
}

/** The header line a new log starts with. */
export function formatRuntimeHeader() {
  return JSON.stringify({ recnum: 0, content_type: HEADER_CONTENT_TYPE, content: { format: RUNTIME_LOG_FORMAT, version: RUNTIME_LOG_VERSION } }) + "\n";
}

/** The event record's `content`: a string event is its name; an object must carry a string `name`. */
export function eventContent(event) {
  const content = typeof event === "string" ? { name: event } : event;
  if (!isObject(content) || typeof content.name !== "string" || content.name === "") {
    throw new TypeError('an event is a non-empty name or an object with a non-empty string "name"');
  }
  return content;
}

/**
 * One event record line (with its "\n"). `digest` is hex (or bytes) in `hashAlg` (default sha384);
 * `event` a name or an object with a `name`.
 */
export function formatRuntimeRecord({ recnum, register, hashAlg = "sha384", digest, event }) {
  if (!Number.isSafeInteger(recnum) || recnum < 1) throw new TypeError("recnum must be an integer >= 1");
  if (typeof register !== "string" || !REGISTER_NAME.test(register)) throw new TypeError(`bad register name ${JSON.stringify(register)}`);
  const text = typeof digest === "string" ? digest.toLowerCase() : hex(digest);
  const size = HASH_SIZES[hashAlg];
  if (!size) throw new TypeError(`unknown hash algorithm "${hashAlg}" (known: ${Object.keys(HASH_SIZES).join(", ")})`);
  if (!new RegExp(`^[0-9a-f]{${size * 2}}$`).test(text)) throw new TypeError(`a ${hashAlg} digest is ${size} bytes (${size * 2} hex digits)`);
  const line = JSON.stringify({ recnum, mr: register, digests: [{ hashAlg, digest: text }], content_type: RUNTIME_CONTENT_TYPE, content: eventContent(event) });
  if (line.length > MAX_RECORD) throw new TypeError(`an event record is at most ${MAX_RECORD} characters (this one is ${line.length})`);
  return line + "\n";
}

/**
 * Parses a whole runtime log (bytes or text) into
 * { version, events: [{ recnum, register, index, hashAlg, digest, content }] }; `index` is N for
 * a register named rtmrN, else null. Throws RuntimeLogError on the first bad line.
 */
export function parseRuntimeLog(input) {
  const text = typeof input === "string" ? input : decodeUtf8(input);
  if (text === "") throw new RuntimeLogError({ code: "EMPTY", line: 1, message: "no header record (an empty file is not a runtime log)" });
  const lines = text.split("\n");
  const last = lines.pop();
  if (last !== "") {
    throw new RuntimeLogError({ code: "TORN_RECORD", line: lines.length + 1, message: "the last record has no line end (an interrupted append)" });
  }
  const version = parseHeader(lines[0]);
  const events = [];
  for (let i = 1; i < lines.length; i++) events.push(parseEvent(lines[i], i + 1, i));
  return { version, events };
}

function parseHeader(text) {
  const rec = parseLine(text, 1, 0);
  const fail = (code, message) => { throw new RuntimeLogError({ code, line: 1, recnum: 0, message }); };
  if (rec.content_type !== HEADER_CONTENT_TYPE || !isObject(rec.content) || rec.content.format !== RUNTIME_LOG_FORMAT) {
    fail("BAD_HEADER", `the first record must be the ${RUNTIME_LOG_FORMAT} header (content_type "${HEADER_CONTENT_TYPE}")`);
  }
  if (rec.recnum !== 0) fail("BAD_RECNUM", `the header's recnum is 0, not ${JSON.stringify(rec.recnum)}`);
  onlyKeys(rec, HEADER_KEYS, 1, 0);
  if (rec.content.version !== RUNTIME_LOG_VERSION) {
    fail("UNSUPPORTED_VERSION", `version ${JSON.stringify(rec.content.version)} (this reader knows version ${RUNTIME_LOG_VERSION})`);
  }
  return rec.content.version;
}

function parseEvent(text, line, expected) {
  const rec = parseLine(text, line, expected);
  const fail = (code, message) => { throw new RuntimeLogError({ code, line, recnum: expected, message }); };
  if (rec.recnum !== expected) fail("BAD_RECNUM", `recnum ${JSON.stringify(rec.recnum)} where ${expected} follows (records are numbered without gaps)`);
  onlyKeys(rec, RECORD_KEYS, line, expected);
  if (typeof rec.mr !== "string" || !REGISTER_NAME.test(rec.mr)) fail("BAD_REGISTER", `"mr" must be a register name (letters, digits, _), not ${JSON.stringify(rec.mr)}`);
  if (!Array.isArray(rec.digests) || rec.digests.length !== 1 || !isObject(rec.digests[0])) {
    fail("BAD_DIGEST", '"digests" must hold exactly one {hashAlg, digest} (a tsm-mr register has one hash algorithm)');
  }
  const { hashAlg, digest } = rec.digests[0];
  const size = HASH_SIZES[hashAlg];
  if (!size) fail("BAD_DIGEST", `unknown hashAlg ${JSON.stringify(hashAlg)} (known: ${Object.keys(HASH_SIZES).join(", ")})`);
  if (typeof digest !== "string" || !new RegExp(`^[0-9a-f]{${size * 2}}$`).test(digest)) {
    fail("BAD_DIGEST", `a ${hashAlg} digest is ${size * 2} lowercase hex digits`);
  }
  if (rec.content_type !== RUNTIME_CONTENT_TYPE) fail("BAD_CONTENT", `content_type must be "${RUNTIME_CONTENT_TYPE}", not ${JSON.stringify(rec.content_type)}`);
  if (!isObject(rec.content) || typeof rec.content.name !== "string" || rec.content.name === "") {
    fail("BAD_CONTENT", 'content must be an object with a non-empty string "name"');
  }
  const m = /^rtmr(\d+)$/.exec(rec.mr);
  return { recnum: expected, register: rec.mr, index: m ? Number(m[1]) : null, hashAlg, digest, content: rec.content };
}

function parseLine(text, line, recnum) {
  if (text.length > MAX_RECORD) throw new RuntimeLogError({ code: "TOO_LONG", line, recnum, message: `a record is at most ${MAX_RECORD} characters` });
  let rec;
  try {
    rec = JSON.parse(text);
  } catch (e) {
    throw new RuntimeLogError({ code: "BAD_JSON", line, recnum, message: text === "" ? "empty line" : e.message });
  }
  if (!isObject(rec)) throw new RuntimeLogError({ code: "BAD_JSON", line, recnum, message: "a record is a JSON object" });
  return rec;
}

function onlyKeys(rec, keys, line, recnum) {
  const extra = Object.keys(rec).filter((k) => !keys.includes(k));
  if (extra.length) throw new RuntimeLogError({ code: "BAD_RECORD", line, recnum, message: `unknown member(s) ${extra.join(", ")}` });
}

function decodeUtf8(bytes) {
  const view = toBytes(bytes);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(view);
  } catch {
    throw new RuntimeLogError({ code: "BAD_ENCODING", line: 1, message: "not UTF-8 text" });
  }
}

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
