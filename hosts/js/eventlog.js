// The CC event log API: decodeEventLog(bytes, { table }) gives the CCEL's events (types named,
// digests and data as hex, strings decoded) and the RTMR values they replay to, as the core
// decodes them (assembly/formats/eventlog.ts); extendRegister continues a register's chain with
// further digests (tsmkit's runtime log extends RTMR3 after the CCEL's events).
import { eventLogJson, renderEventLogCore, sha384 } from "./eventlog-core.js";
import { hex, toBytes } from "./bytes.js";

export const RTMRS = Object.freeze(["rtmr0", "rtmr1", "rtmr2", "rtmr3"]);
const ZERO = "0".repeat(96);
const RENDER = { pretty: 1, text: 2 };

function tableOf(opts) {
  if (opts === null || typeof opts !== "object") throw new TypeError("event log options must be an object");
  for (const k of Object.keys(opts)) if (k !== "table" && k !== "width") throw new TypeError(`unknown event log option "${k}" (known: table, width)`);
  return opts.table == null ? null : toBytes(opts.table);
}

/**
 * Decodes a CC event log (the CCEL's log area, e.g. /sys/firmware/acpi/tables/data/CCEL), checked
 * against its ACPI CCEL table when `opts.table` is given (/sys/firmware/acpi/tables/CCEL).
 * Returns { format: "eventlog", table?, specIdEvent, events, logEnd, replay: { rtmr0..rtmr3: hex },
 * lastEvent: { rtmr0..rtmr3: event number | null } }. Throws DecodeError on bad input.
 */
export function decodeEventLog(bytes, opts = {}) {
  return eventLogJson(toBytes(bytes), tableOf(opts));
}

/** Renders the log as "text" (for people, hex wrapped to opts.width) or "pretty" JSON; { ok, text }. */
export function renderEventLog(bytes, mode = "text", opts = {}) {
  return renderEventLogCore(toBytes(bytes), tableOf(opts), RENDER[mode] ?? RENDER.text, opts.width ?? 0);
}

const fromHex = (h) => Uint8Array.from(h.match(/../g) ?? [], (b) => parseInt(b, 16));

/** A register's value after extending `value` (hex, 48 bytes) with `digest` (hex, 48 bytes). */
export function extendRegister(value, digest) {
  const buf = new Uint8Array(96);
  buf.set(fromHex(value));
  buf.set(fromHex(digest), 48);
  return hex(sha384(buf));
}

/**
 * Every register's extends in order, from a decoded log and optional runtime-log events
 * ({ register, digest, recnum }, after the log's): { rtmr0: [{ source, event, digest, value }] },
 * `value` being the register after that extend, so a verifier can find where a chain departs.
 */
export function extendChains(log, runtimeEvents = []) {
  /** @type {Record<string, {source: string, event: number, type?: string, offset?: number, digest: string, value: string}[]>} */
  const chains = Object.fromEntries(RTMRS.map((r) => [r, []]));
  const push = (r, step) => {
    const prev = chains[r].length ? chains[r][chains[r].length - 1].value : ZERO;
    chains[r].push({ ...step, value: extendRegister(prev, step.digest) });
  };
  log?.events.forEach((e, i) => {
    if (e.type === "EV_NO_ACTION" || !chains[e.register]) return;
    const d = e.digests.find((x) => x.algorithm === "sha384");
    push(e.register, { source: "ccel", event: i, type: e.type, offset: e.offset, digest: d.digest });
  });
  for (const e of runtimeEvents) {
    if (!chains[e.register]) throw new RangeError(`runtime event ${e.recnum} extends ${e.register}, not an RTMR`);
    if (e.hashAlg !== "sha384") throw new RangeError(`runtime event ${e.recnum} has a ${e.hashAlg} digest; RTMRs extend SHA-384`);
    push(e.register, { source: "runtime", event: e.recnum, digest: e.digest });
  }
  return chains;
}

export { ZERO as RTMR_ZERO };
