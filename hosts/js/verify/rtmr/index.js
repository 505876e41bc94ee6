// RTMR replay against a TD's evidence: the CCEL (and tsmkit's runtime log, whose events extend
// after the CCEL's) must reproduce RTMR0-3 of the quote or TDREPORT exactly. A register that
// differs is reported with where its chain departs from the evidence: when the evidence holds
// the value the chain had after k extends, extend k+1 is the first the TD did not make ("certain");
// when it holds none of the chain's values, the first extend is the earliest that may differ.
import { decode } from "../../decode.js";
import { toBytes } from "../../bytes.js";
import { decodeEventLog, extendChains, RTMRS, RTMR_ZERO } from "../../eventlog.js";
import { parseRuntimeLog } from "../../runtime-log.js";
import { errorDetail } from "../result.js";

/** The decoded CCEL and runtime events from the inputs given (each may be absent); throws on bad input. */
export function readLogs({ ccel, ccelTable, runtimeLog }) {
  if (ccelTable != null && ccel == null) throw new TypeError("a CCEL table without its log (ccel) replays nothing");
  const log = ccel == null ? null : decodeEventLog(ccel, ccelTable == null ? {} : { table: ccelTable });
  const runtime = runtimeLog == null ? null : parseRuntimeLog(typeof runtimeLog === "string" ? runtimeLog : toBytes(runtimeLog)).events;
  return { log, runtime };
}

function describe(step) {
  if (!step) return "";
  return step.source === "ccel"
    ? `CCEL event ${step.event} ${step.type} at byte ${step.offset}`
    : `runtime event ${step.event}`;
}

/** One register's outcome: { ok, evidence, replay, extends, last?, divergence? }. */
function compare(chain, actual) {
  const replay = chain.length ? chain[chain.length - 1].value : RTMR_ZERO;
  const out = { ok: replay === actual, evidence: actual, replay, extends: chain.length };
  if (chain.length) out.last = chain[chain.length - 1];
  if (out.ok) return out;
  const k = actual === RTMR_ZERO ? 0 : chain.findIndex((s) => s.value === actual) + 1;
  const certain = k > 0 || actual === RTMR_ZERO;
  out.divergence = { position: certain ? k : 0, certain, step: chain[certain ? k : 0] ?? null };
  return out;
}

function registerLine(name, r) {
  if (r.ok) return `${name} matches (${r.extends} extend${r.extends === 1 ? "" : "s"}${r.last ? `, last ${describe(r.last)}` : ""})`;
  const { position, certain, step } = r.divergence;
  if (!step) return `${name} differs: the logs have no extends for it but the evidence holds ${r.evidence.slice(0, 16)}..`;
  return certain
    ? `${name} differs at extend ${position + 1} of ${r.extends} (${describe(step)}): the evidence holds the value after ${position}, so that extend and the ones after it were never made`
    : `${name} differs: the evidence holds none of the ${r.extends + 1} values its chain passes through, so it departs at extend 1 (${describe(step)}) or later`;
}

/**
 * Replays the logs against `registers` ({ rtmr0..rtmr3: hex }): { ok, registers: { rtmrN:
 * compare() }, detail, supply? }. supply names the input that would explain a register nothing
 * in the given logs extended.
 */
export function replayRegisters(registers, logs) {
  const chains = extendChains(logs.log, logs.runtime ?? []);
  /** @type {Record<string, any>} */
  const out = {};
  for (const r of RTMRS) out[r] = compare(chains[r], registers[r]);
  const ok = RTMRS.every((r) => out[r].ok);
  const result = { ok, registers: out, detail: RTMRS.map((r) => registerLine(r, out[r])).join("; ") };
  // RTMR3 is the run-time register: extended but not in the CCEL, its events are in a runtime log.
  if (!out.rtmr3.ok && !logs.runtime && !chains.rtmr3.length) result.supply = ["runtimeLog"];
  if (!logs.log) result.supply = ["ccel", ...(result.supply ?? [])];
  return result;
}

/** The RTMRs of a TD quote (body) or TDREPORT (tdInfo), given as bytes or decoded. */
export function rtmrsOf(evidence) {
  const d = evidence instanceof Uint8Array || ArrayBuffer.isView(evidence) || evidence instanceof ArrayBuffer ? decode(evidence) : evidence;
  const regs = d?.format === "tdx-quote" ? d.body : d?.format === "tdreport" ? d.tdInfo : null;
  if (!regs) throw new TypeError(`RTMRs are in TD quotes and TDREPORTs, not ${d?.format ?? typeof d}`);
  return regs;
}

/**
 * Replays a CCEL (and runtime log) against a TD quote or TDREPORT (bytes or decoded):
 * { ok, registers, detail, supply? }. Bad logs throw (DecodeError, RuntimeLogError).
 * @param {any} evidence
 * @param {{ ccel?: Uint8Array, ccelTable?: Uint8Array, runtimeLog?: Uint8Array | string }} [logs]
 */
export function replayMatches(evidence, { ccel, ccelTable, runtimeLog } = {}) {
  return replayRegisters(rtmrsOf(evidence), readLogs({ ccel, ccelTable, runtimeLog }));
}

/**
 * verify()'s rtmr.replay for a TD quote body, when a CCEL or runtime log was given; returns the
 * decoded logs (null when none were given or they do not decode) for the event-log policy.
 */
export function checkReplay(checks, body, opts) {
  if (opts.ccel == null && opts.runtimeLog == null) return null;
  let logs;
  try {
    logs = readLogs(opts);
  } catch (e) {
    checks.add("rtmr.replay", false, `the event log does not decode: ${errorDetail(e)}`);
    return null;
  }
  checks.record("rtmr.replay", replayRegisters(body, logs));
  return logs;
}

const LOG_OPTIONS = ["ccel", "ccelTable", "runtimeLog"];

/**
 * For evidence without RTMRs (`what`: "an SGX quote", "a SEV-SNP report", ...): an event log given
 * for it cannot be replayed against anything, so rtmr.replay fails saying so rather than being
 * ignored. Returns the logs value checkEventLogPolicy takes, marking the evidence as having none.
 */
export function checkNoRtmrs(checks, opts, what) {
  const given = LOG_OPTIONS.filter((k) => opts[k] != null);
  if (given.length) checks.add("rtmr.replay", false, `${given.join(", ")} given, but ${what} has no RTMRs to replay an event log against (event logs go with TDX quotes)`);
  return { log: null, runtime: null, noRtmrs: what };
}

