// The event-log part of a policy (policy.eventLog): expected SHA-384 digests for events picked
// out of the CCEL by register, type and text (the kernel, the initrd, the command line ...) and
// for runtime-log events by name. Every rule must pick at least one event and every event it
// picks must carry one of its digests; a rule whose log was not given fails, naming that input.
import { RTMRS } from "../../eventlog.js";

const EVENT_KEYS = ["name", "register", "type", "text", "textPrefix", "digest"];
const RUNTIME_KEYS = ["name", "register", "digest"];
const DIGEST = /^[0-9a-f]{96}$/;

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

function digests(field, v, bad) {
  const list = Array.isArray(v) ? v : [v];
  if (!list.length || !list.every((d) => typeof d === "string" && DIGEST.test(d.toLowerCase()))) {
    bad(field, "expected a SHA-384 digest (96 hex digits) or a list of them");
  }
  return Object.freeze(list.map((d) => d.toLowerCase()));
}

function rules(field, list, keys, selectors, bad) {
  if (!Array.isArray(list)) bad(field, "expected a list of rules");
  return Object.freeze(list.map((rule, i) => {
    const at = `${field}.${i}`;
    if (!isObject(rule)) bad(at, "expected an object");
    for (const k of Object.keys(rule)) if (!keys.includes(k)) bad(`${at}.${k}`, `unknown key (known: ${keys.join(", ")})`);
    for (const k of ["name", "type", "text", "textPrefix"]) if (k in rule && typeof rule[k] !== "string") bad(`${at}.${k}`, "expected a string");
    if ("register" in rule && !RTMRS.includes(rule.register)) bad(`${at}.register`, `expected one of ${RTMRS.join(", ")}`);
    if (!selectors.some((k) => k in rule)) bad(at, `a rule picks its events by ${selectors.join(", ")}: give at least one`);
    if (!("digest" in rule)) bad(`${at}.digest`, "missing: the digests the picked events must carry");
    return Object.freeze({ ...rule, digest: digests(`${at}.digest`, rule.digest, bad) });
  }));
}

/**
 * policy.eventLog from its JSON form: { events?: [{ name?, register?, type?, text?, textPrefix?,
 * digest }], runtime?: [{ name?, register?, digest }] }. `bad(field, message)` throws (PolicyError).
 */
export function readEventLogPolicy(v, bad) {
  if (v === null) return null;
  if (!isObject(v)) bad("", "expected an object");
  for (const k of Object.keys(v)) if (k !== "events" && k !== "runtime") bad(k, "unknown key (known: events, runtime)");
  return Object.freeze({
    events: rules("events", v.events ?? [], EVENT_KEYS, ["register", "type", "text", "textPrefix"], bad),
    runtime: rules("runtime", v.runtime ?? [], RUNTIME_KEYS, ["name", "register"], bad),
  });
}

const sha384Of = (e) => e.digests.find((d) => d.algorithm === "sha384")?.digest;

function picks(rule, e) {
  return (rule.register === undefined || e.register === rule.register) &&
    (rule.type === undefined || e.type === rule.type) &&
    (rule.text === undefined || e.text === rule.text) &&
    (rule.textPrefix === undefined || (e.text ?? "").startsWith(rule.textPrefix));
}

/** Checks every rule against the events (each { label, digest }); null when all hold, else why. */
function firstBroken(list, events, pick, label) {
  for (const [i, rule] of list.entries()) {
    const name = rule.name ?? `rule ${i}`;
    const picked = events.filter((e) => pick(rule, e));
    if (!picked.length) return `${name}: no event matches`;
    const wrong = picked.find((e) => !rule.digest.includes(e.digest));
    if (wrong) return `${name}: ${label(wrong)} has digest ${wrong.digest.slice(0, 16)}.., not an expected one`;
  }
  return null;
}

/**
 * policy.eventLog and policy.runtimeEvents, when the policy has such rules. `logs` from
 * checkReplay (null: none given) or, for evidence without RTMRs, checkNoRtmrs: then every rule
 * fails, since no log could ever satisfy it (fail closed, never skipped).
 */
export function checkEventLogPolicy(checks, logs, policy) {
  const p = policy.eventLog;
  if (!p) return;
  if (logs?.noRtmrs) {
    const why = (kind) => `the policy pins ${kind} digests, which need a TDX quote's RTMRs and event logs; ${logs.noRtmrs} has no such evidence`;
    if (p.events.length) checks.add("policy.eventLog", false, why("CCEL event"));
    if (p.runtime.length) checks.add("policy.runtimeEvents", false, why("runtime-event"));
    return;
  }
  if (p.events.length) {
    if (!logs?.log) checks.add("policy.eventLog", false, "the policy pins event-log digests but no CCEL was given", { supply: ["ccel"] });
    else {
      const events = logs.log.events.map((e, i) => ({ ...e, index: i, digest: sha384Of(e) }));
      const broken = firstBroken(p.events, events, picks, (e) => `CCEL event ${e.index} ${e.type} at byte ${e.offset}`);
      checks.add("policy.eventLog", !broken, broken ?? `${p.events.length} rule(s) hold`);
    }
  }
  if (p.runtime.length) {
    if (!logs?.runtime) checks.add("policy.runtimeEvents", false, "the policy pins runtime-event digests but no runtime log was given", { supply: ["runtimeLog"] });
    else {
      const pick = (rule, e) => (rule.name === undefined || e.content.name === rule.name) && (rule.register === undefined || e.register === rule.register);
      const broken = firstBroken(p.runtime, logs.runtime, pick, (e) => `runtime event ${e.recnum} (${e.content.name})`);
      checks.add("policy.runtimeEvents", !broken, broken ?? `${p.runtime.length} rule(s) hold`);
    }
  }
}
