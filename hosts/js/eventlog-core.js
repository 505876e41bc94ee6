// The event log's one path into the core (assembly/formats/eventlog_abi.ts): copy a log and its
// CCEL table in, decode, read the core's JSON back; and SHA-384 for extending registers further.
import { core, output } from "./core.js";
import { errorFromCore } from "./decode.js";

const RENDER_JSON = 0;

function heap() { return new Uint8Array(core.memory.buffer); }

/** Runs the core's event-log decoder; returns its error code (0 = ok). */
export function runEventLog(log, table) {
  const tableLen = table ? table.length : 0;
  const ptr = core.eventlog_reserve(log.length, tableLen);
  if (ptr) {
    const h = heap();
    h.set(log, ptr);
    if (table) h.set(table, ptr + log.length);
  }
  return core.eventlog_decode(log.length, tableLen);
}

/** The decoded log as the core renders it (its stable JSON); throws DecodeError on bad input. */
export function eventLogJson(log, table) {
  if (runEventLog(log, table) !== 0) throw errorFromCore();
  core.render(RENDER_JSON, 0);
  return JSON.parse(output());
}

/** The log rendered by the core: mode 1 pretty JSON, 2 text (hex wrapped to `width`); { ok, text }. */
export function renderEventLogCore(log, table, mode, width) {
  const ok = runEventLog(log, table) === 0;
  core.render(mode, width);
  return { ok, text: output() };
}

/** SHA-384 of `bytes` (the core's, so every host extends registers with the same code). */
export function sha384(bytes) {
  const ptr = core.input_reserve(bytes.length);
  heap().set(bytes, ptr);
  const out = core.sha384_input(bytes.length);
  return heap().slice(out, out + 48);
}
