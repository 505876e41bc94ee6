// The relying party's policy: what evidence must say, beyond being genuine, to be accepted.
// Safe by default: debug TDs/guests, OutOfDate and Revoked TCB status, VMPLs other than 0, the
// SNP migration agent and unknown policy keys are all rejected; every weaker setting is an
// explicit option. Values are compared against the decoded JSON form (hex strings for bytes).
import { readEventLogPolicy } from "./rtmr/policy.js";
import { isoTime } from "../time.js";

/** A policy that is malformed (unknown key, wrong type); `field` is the offending key. */
export class PolicyError extends Error {
  constructor(field, message) {
    super(`policy${field ? `.${field}` : ""}: ${message}`);
    this.name = "PolicyError";
    this.code = "BAD_POLICY";
    this.field = field;
  }
}

// Intel TCB statuses that pass without options; OutOfDate* need allowOutOfDate, Revoked needs
// allowRevoked, and any status not named here fails.
const SAFE_TCB_STATUSES = ["UpToDate", "SWHardeningNeeded", "ConfigurationNeeded", "ConfigurationAndSWHardeningNeeded"];
const OUT_OF_DATE_STATUSES = ["OutOfDate", "OutOfDateConfigurationNeeded"];

// Byte fields a policy may pin, by the decoded JSON name. TDX names apply to TD quote bodies;
// SNP names to SNP reports. Each value is hex (or a list of acceptable hex values).
export const MEASUREMENT_FIELDS = Object.freeze({
  tdx: ["mrTd", "rtmr0", "rtmr1", "rtmr2", "rtmr3", "mrConfigId", "mrOwner", "mrOwnerConfig", "mrSeam"],
  sgx: ["mrEnclave", "mrSigner", "configId"],
  snp: ["measurement", "hostData", "idKeyDigest", "authorKeyDigest", "familyId", "imageId"],
});

const SNP_TCB_PARTS = ["bootloader", "tee", "snp", "microcode", "fmc"];

// Arm CCA (verify/cca): expected realm values (hex, or lists of acceptable hex), the platform's
// software-component reference values, and two switches. null means no requirement, except that
// the lifecycle must be "secured" unless allowNonSecuredLifecycle, and that without `profiles`
// each token's profile must be one tsmkit has claim rules for.
export const CCA_DEFAULTS = Object.freeze({
  /** Realm initial measurement (RIM). */
  rim: null,
  /** The 4 realm extensible measurements (REMs), each hex, a list, or null for any. */
  rems: null,
  personalizationValue: null,
  /** Every platform software component must match one: { measurement, type?, signerId?, version? }. */
  swComponents: null,
  allowNonSecuredLifecycle: false,
  /** Accepted profiles of both tokens (null in the list: a realm token without one, RMM 1.0). */
  profiles: null,
});
const SW_COMPONENT_KEYS = ["measurement", "type", "signerId", "version"];

export const DEFAULT_POLICY = Object.freeze({
  allowDebug: false,
  allowOutOfDate: false,
  allowRevoked: false,
  /**
   * Expected report data (hex, up to 64 bytes; a shorter value must be followed by zeros): the
   * nonce the relying party sent, which makes the evidence fresh. Required unless allowAnyReportData.
   */
  reportData: null,
  /** Waive the report data check (evidence may be a replay; the verdict marks the check waived). */
  allowAnyReportData: false,
  /** Expected measurements: { fieldName: hex | hex[] } (see MEASUREMENT_FIELDS). */
  measurements: Object.freeze({}),
  /** Minimum SNP reported TCB: { bootloader, tee, snp, microcode, fmc } (any subset). */
  minSnpTcb: null,
  /** Minimum TDX teeTcbSvn (hex, 16 bytes), compared byte by byte. */
  minTeeTcbSvn: null,
  /** Minimum SNP guest SVN. */
  minGuestSvn: null,
  allowedVmpls: Object.freeze([0]),
  allowedSigningKeys: Object.freeze(["VCEK", "VLEK"]),
  /** SNP guest policy: SMT may be allowed (it is on nearly every host). */
  allowSmt: true,
  /** SNP guest policy: a migration agent may be associated with the guest. */
  allowMigrationAgent: false,
  /** SNP guest policy: require the guest to be bound to a single socket. */
  requireSingleSocket: false,
  /** Waive revocation checking when no CRL is available (the verdict marks the check waived). */
  allowUncheckedRevocation: false,
  /** Seconds past a CRL's nextUpdate that it is still accepted (marked waived in the verdict). */
  crlGracePeriod: 0,
  /** Maximum age in seconds of the TCB info (from issueDate), the QE identity, and each CRL (from thisUpdate). */
  maxTcbInfoAge: null,
  maxQeIdentityAge: null,
  maxCrlAge: null,
  /** Minimum TCB evaluation data number of the TCB info and QE identity. */
  minTcbEvaluationDataNumber: null,
  /** Expected digests of CCEL and runtime-log events (rtmr/policy.js readEventLogPolicy). */
  eventLog: null,
  /** Arm CCA tokens (CCA_DEFAULTS). */
  cca: CCA_DEFAULTS,
});

const isHex = (s, max) => typeof s === "string" && /^([0-9a-f]{2})*$/.test(s) && s.length <= max * 2;

function hexList(field, v, max) {
  const list = Array.isArray(v) ? v : [v];
  if (!list.length || !list.every((s) => isHex(typeof s === "string" ? s.toLowerCase() : s, max))) {
    throw new PolicyError(field, `expected lowercase-able hex of at most ${max} bytes, or a list of them`);
  }
  return Object.freeze(list.map((s) => s.toLowerCase()));
}

const KNOWN_MEASUREMENTS = new Set(Object.values(MEASUREMENT_FIELDS).flat());

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

/** One software-component reference value: { measurement, type?, signerId?, version? }. */
function swComponent(field, v) {
  if (!isObject(v)) throw new PolicyError(field, "expected { measurement, type?, signerId?, version? }");
  for (const k of Object.keys(v)) if (!SW_COMPONENT_KEYS.includes(k)) throw new PolicyError(`${field}.${k}`, `unknown key (known: ${SW_COMPONENT_KEYS.join(", ")})`);
  if (v.measurement === undefined) throw new PolicyError(`${field}.measurement`, "missing: a reference value is matched by its measurement");
  const out = { measurement: hexList(`${field}.measurement`, v.measurement, 64)[0] };
  for (const k of ["type", "version"]) {
    if (v[k] === undefined) continue;
    if (typeof v[k] !== "string") throw new PolicyError(`${field}.${k}`, "expected text");
    out[k] = v[k];
  }
  if (v.signerId !== undefined) out.signerId = hexList(`${field}.signerId`, v.signerId, 64)[0];
  return Object.freeze(out);
}

/** The cca section: CCA_DEFAULTS with the given keys checked and set. */
function ccaPolicy(v) {
  if (!isObject(v)) throw new PolicyError("cca", "expected an object");
  /** @type {Record<string, any>} */
  const p = { ...CCA_DEFAULTS };
  for (const [k, x] of Object.entries(v)) {
    const f = `cca.${k}`;
    if (!(k in CCA_DEFAULTS)) throw new PolicyError(f, `unknown policy key (known: ${Object.keys(CCA_DEFAULTS).join(", ")})`);
    if (x === undefined || x === null) continue;
    switch (k) {
      case "rim": case "personalizationValue":
        p[k] = hexList(f, x, 64);
        break;
      case "rems":
        if (!Array.isArray(x) || x.length !== 4) throw new PolicyError(f, "expected a list of 4 (hex, a list of hex, or null for any)");
        p[k] = Object.freeze(x.map((r, i) => (r === null ? null : hexList(`${f}.${i}`, r, 64))));
        break;
      case "swComponents":
        if (!Array.isArray(x) || !x.length) throw new PolicyError(f, "expected a non-empty list of { measurement, type?, signerId?, version? }");
        p[k] = Object.freeze(x.map((c, i) => swComponent(`${f}.${i}`, c)));
        break;
      case "allowNonSecuredLifecycle":
        if (typeof x !== "boolean") throw new PolicyError(f, "expected true or false");
        p[k] = x;
        break;
      case "profiles":
        if (!Array.isArray(x) || !x.length || !x.every((s) => s === null || typeof s === "string")) {
          throw new PolicyError(f, "expected a non-empty list of profile texts (null: a realm token without a profile)");
        }
        p[k] = Object.freeze([...x]);
        break;
    }
  }
  return Object.freeze(p);
}

/**
 * A complete, frozen policy from partial options; unknown keys and wrong types throw PolicyError
 * so that a typo never silently weakens verification.
 */
export function makePolicy(opts = {}) {
  if (opts === null || typeof opts !== "object" || Array.isArray(opts)) throw new PolicyError("", "expected an object");
  /** @type {Record<string, any>} */
  const p = { ...DEFAULT_POLICY };
  for (const [k, v] of Object.entries(opts)) {
    if (!(k in DEFAULT_POLICY)) throw new PolicyError(k, `unknown policy key (known: ${Object.keys(DEFAULT_POLICY).join(", ")})`);
    if (v === undefined) continue;
    switch (k) {
      case "allowDebug": case "allowOutOfDate": case "allowRevoked": case "allowSmt":
      case "allowMigrationAgent": case "requireSingleSocket": case "allowUncheckedRevocation": case "allowAnyReportData":
        if (typeof v !== "boolean") throw new PolicyError(k, "expected true or false");
        p[k] = v;
        break;
      case "reportData":
        if (Array.isArray(v)) throw new PolicyError(k, "expected one hex value");
        p[k] = v === null ? null : hexList(k, v, 64)[0];
        break;
      case "minTeeTcbSvn":
        p[k] = v === null ? null : hexList(k, v, 16)[0];
        if (v !== null && p[k].length !== 32) throw new PolicyError(k, "expected 16 bytes of hex");
        break;
      case "eventLog":
        p[k] = readEventLogPolicy(v, (field, message) => { throw new PolicyError(field ? `${k}.${field}` : k, message); });
        break;
      case "measurements": {
        if (v === null || typeof v !== "object" || Array.isArray(v)) throw new PolicyError(k, "expected an object");
        const m = {};
        for (const [name, want] of Object.entries(v)) {
          if (!KNOWN_MEASUREMENTS.has(name)) throw new PolicyError(`${k}.${name}`, "not a measurement field");
          m[name] = hexList(`${k}.${name}`, want, 64);
        }
        p[k] = Object.freeze(m);
        break;
      }
      case "minSnpTcb": {
        if (v === null) { p[k] = null; break; }
        if (typeof v !== "object" || Array.isArray(v)) throw new PolicyError(k, "expected an object");
        for (const [part, n] of Object.entries(v)) {
          if (!SNP_TCB_PARTS.includes(part)) throw new PolicyError(`${k}.${part}`, `not a TCB part (${SNP_TCB_PARTS.join(", ")})`);
          if (!Number.isInteger(n) || n < 0 || n > 255) throw new PolicyError(`${k}.${part}`, "expected an integer 0-255");
        }
        p[k] = Object.freeze({ ...v });
        break;
      }
      case "crlGracePeriod":
        if (!Number.isInteger(v) || v < 0) throw new PolicyError(k, "expected a whole number of seconds");
        p[k] = v;
        break;
      case "maxTcbInfoAge": case "maxQeIdentityAge": case "maxCrlAge": case "minTcbEvaluationDataNumber":
        if (v !== null && (!Number.isInteger(v) || v < 0)) throw new PolicyError(k, "expected a non-negative integer or null");
        p[k] = v;
        break;
      case "minGuestSvn":
        if (v !== null && (!Number.isInteger(v) || v < 0 || v > 0xffffffff)) throw new PolicyError(k, "expected a u32");
        p[k] = v;
        break;
      case "allowedVmpls":
        if (!Array.isArray(v) || !v.every((n) => Number.isInteger(n) && n >= 0 && n <= 3)) throw new PolicyError(k, "expected a list of 0-3");
        p[k] = Object.freeze([...v]);
        break;
      case "cca":
        p[k] = ccaPolicy(v);
        break;
      case "allowedSigningKeys":
        if (!Array.isArray(v) || !v.every((s) => s === "VCEK" || s === "VLEK")) throw new PolicyError(k, 'expected a list of "VCEK"/"VLEK"');
        p[k] = Object.freeze([...v]);
        break;
    }
  }
  return Object.freeze(p);
}

/** A policy from JSON text (for the CLI's --policy FILE); errors are PolicyError. */
export function policyFromJson(text) {
  let obj;
  try {
    obj = JSON.parse(text);
  } catch (e) {
    throw new PolicyError("", `not JSON: ${e.message}`);
  }
  return makePolicy(obj);
}

// --- checks (each records into a Checks list; see result.js) ---

export const short = (h) => (h.length > 24 ? `${h.slice(0, 16)}..` : h);

/** Where two hex values first differ, for a mismatch message: "at byte 3: 0a.. vs expected 0b..". */
function whereDiffers(actual, want) {
  let i = 0;
  while (i < actual.length && i < want.length && actual[i] === want[i]) i++;
  const at = i >> 1;
  const from = at * 2;
  const piece = (h) => (h.length > from ? `${h.slice(from, from + 16)}${h.length > from + 16 ? ".." : ""}` : "(end)");
  return `differs at byte ${at}: ${piece(actual)} vs expected ${piece(want)}`;
}

/**
 * Expected report data: exact match, or a shorter expected value followed by zero bytes. Without
 * an expected value the evidence could be a replay, so the check fails and asks for the nonce,
 * unless the policy waives it. `what` names the field in messages (the CCA realm challenge).
 */
export function checkReportData(checks, actual, policy, what = "reportData") {
  if (policy.reportData === null) {
    if (policy.allowAnyReportData) checks.add("policy.reportData", true, `${what} not compared (policy.allowAnyReportData: the evidence may be a replay)`, { waived: true });
    else checks.add("policy.reportData", false, `no expected ${what}: supply the nonce you sent as policy.reportData (policy.allowAnyReportData waives the check)`, { supply: ["policy.reportData"] });
    return;
  }
  const want = policy.reportData;
  const ok = actual.startsWith(want) && /^0*$/.test(actual.slice(want.length));
  checks.add("policy.reportData", ok, ok ? `${what} matches ${short(want)}` : `${what} ${whereDiffers(actual, want.padEnd(actual.length, "0"))}`);
}

/**
 * Pinned measurements against `fields` (a decoded body or report) whose measurement names are
 * `names`; a value pinned for a field this evidence does not have fails, since it cannot be met.
 */
export function checkMeasurements(checks, fields, names, policy) {
  for (const [name, allowed] of Object.entries(policy.measurements)) {
    if (!names.includes(name)) {
      checks.add(`policy.${name}`, false, `${name} is pinned but this evidence has no such field`);
      continue;
    }
    const actual = fields[name];
    const ok = allowed.includes(actual);
    checks.add(`policy.${name}`, ok, ok ? `${name} = ${short(actual)}` : allowed.length === 1 ? `${name} ${whereDiffers(actual, allowed[0])}`
      : `${name} ${short(actual)} is none of the ${allowed.length} allowed values`);
  }
}

/** Intel TCB status against the policy (OutOfDate* and Revoked need explicit options). */
export function checkTcbStatus(checks, status, policy) {
  const allowed = [...SAFE_TCB_STATUSES, ...(policy.allowOutOfDate ? OUT_OF_DATE_STATUSES : []), ...(policy.allowRevoked ? ["Revoked"] : [])];
  const ok = allowed.includes(status);
  const hint = OUT_OF_DATE_STATUSES.includes(status) ? " (allowOutOfDate accepts it)" : status === "Revoked" ? " (allowRevoked accepts it)" : "";
  checks.add("policy.tcbStatus", ok, ok ? `TCB status ${status} accepted` : `TCB status ${status} rejected${hint}`);
}

/** TD debug attribute (tdAttributes bit 0) and minimum teeTcbSvn, for TD quote bodies. */
export function checkTdxBody(checks, body, policy) {
  const debug = (parseInt(body.tdAttributes.slice(0, 2), 16) & 1) === 1;
  checks.add("policy.debug", !debug || policy.allowDebug, debug ? `debug TD${policy.allowDebug ? " allowed by policy" : " rejected (allowDebug accepts it)"}` : "not a debug TD");
  if (policy.minTeeTcbSvn !== null) {
    const have = body.teeTcbSvn;
    let ok = true;
    for (let i = 0; i < 32; i += 2) if (parseInt(have.slice(i, i + 2), 16) < parseInt(policy.minTeeTcbSvn.slice(i, i + 2), 16)) ok = false;
    checks.add("policy.minTeeTcbSvn", ok, `teeTcbSvn ${have} ${ok ? ">=" : "is below"} ${policy.minTeeTcbSvn}`);
  }
  checkReportData(checks, body.reportData, policy);
  checkMeasurements(checks, body, MEASUREMENT_FIELDS.tdx, policy);
}

/** SGX enclave debug attribute (attributes bit 1) for SGX quote bodies. */
export function checkSgxBody(checks, body, policy) {
  const debug = (parseInt(body.attributes.slice(0, 2), 16) & 2) === 2;
  checks.add("policy.debug", !debug || policy.allowDebug, debug ? `debug enclave${policy.allowDebug ? " allowed by policy" : " rejected (allowDebug accepts it)"}` : "not a debug enclave");
  checkReportData(checks, body.reportData, policy);
  checkMeasurements(checks, body, MEASUREMENT_FIELDS.sgx, policy);
}

/**
 * SNP report against the policy: guest policy bits (as the decoder names them: debug, migrateMa,
 * smt, singleSocket), VMPL, signing key, TCB, SVN, values.
 */
export function checkSnpReport(checks, report, policy) {
  const { debug, migrateMa: ma, smt } = report.policy;
  checks.add("policy.debug", !debug || policy.allowDebug, debug ? `guest policy allows debugging${policy.allowDebug ? " (allowed by policy)" : ": rejected (allowDebug accepts it)"}` : "guest policy forbids debugging");
  checks.add("policy.migrationAgent", !ma || policy.allowMigrationAgent, ma ? `guest policy allows a migration agent${policy.allowMigrationAgent ? " (allowed by policy)" : ": rejected (allowMigrationAgent accepts it)"}` : "no migration agent");
  checks.add("policy.smt", !smt || policy.allowSmt, smt ? `guest policy allows SMT${policy.allowSmt ? "" : ": rejected by allowSmt=false"}` : "guest policy forbids SMT");
  if (policy.requireSingleSocket) {
    const one = report.policy.singleSocket;
    checks.add("policy.singleSocket", one, one ? "guest bound to a single socket" : "guest policy does not require a single socket");
  }
  const vmplOk = policy.allowedVmpls.includes(report.vmpl);
  checks.add("policy.vmpl", vmplOk, `VMPL ${report.vmpl} ${vmplOk ? "is" : "is not"} allowed (${policy.allowedVmpls.join(", ")})`);
  const key = report.keyInfo.signingKey;
  const keyOk = policy.allowedSigningKeys.includes(key);
  checks.add("policy.signingKey", keyOk, `signed by ${key}${keyOk ? "" : ", not allowed"}`);
  if (policy.minSnpTcb) {
    const low = Object.entries(policy.minSnpTcb).filter(([part, min]) => (report.reportedTcb[part] ?? 0) < min);
    checks.add("policy.minTcb", low.length === 0, low.length
      ? `reportedTcb below minimum: ${low.map(([p, m]) => `${p} ${report.reportedTcb[p] ?? 0} < ${m}`).join(", ")}`
      : `reportedTcb meets ${Object.entries(policy.minSnpTcb).map(([p, m]) => `${p}>=${m}`).join(" ")}`);
  }
  if (policy.minGuestSvn !== null) {
    const ok = report.guestSvn >= policy.minGuestSvn;
    checks.add("policy.minGuestSvn", ok, `guestSvn ${report.guestSvn} ${ok ? ">=" : "<"} ${policy.minGuestSvn}`);
  }
  checkReportData(checks, report.reportData, policy);
  checkMeasurements(checks, report, MEASUREMENT_FIELDS.snp, policy);
}

/**
 * Collateral freshness limits, when the policy sets them: the TCB info and QE identity by
 * issueDate, each CRL by thisUpdate (all ages in seconds at `now`), and the minimum TCB
 * evaluation data number. `items` = { tcbInfo?, qeIdentity?, crls: [{ what, crl }] }; a limit
 * set for an item that is absent fails, since it cannot be met.
 * @param {import("./result.js").Checks} checks
 * @param {any} policy
 * @param {Date} now
 * @param {{ tcbInfo?: any, qeIdentity?: any, crls?: { what: string, crl: any }[] }} items
 */
export function checkFreshness(checks, policy, now, { tcbInfo, qeIdentity, crls = [] }) {
  const age = (name, key, what, date) => {
    if (policy[key] === null) return;
    if (!date) { checks.add(name, false, `${key} is set but there is no ${what} to judge`, { rule: "too-old" }); return; }
    const seconds = Math.floor((now.getTime() - date.getTime()) / 1000);
    const ok = seconds <= policy[key];
    checks.add(name, ok, `${what} issued ${isoTime(date)} is ${seconds} s old (${key} ${policy[key]} s)`, { rule: "too-old" });
  };
  age("policy.tcbInfoAge", "maxTcbInfoAge", "TCB info", tcbInfo?.issueDate);
  age("policy.qeIdentityAge", "maxQeIdentityAge", "QE identity", qeIdentity?.issueDate);
  if (policy.maxCrlAge !== null) {
    if (!crls.length) checks.add("policy.crlAge", false, "maxCrlAge is set but no CRL was checked", { rule: "too-old" });
    const old = crls.map(({ what, crl }) => [what, Math.floor((now.getTime() - crl.thisUpdate.getTime()) / 1000), crl]).filter(([, s]) => s > policy.maxCrlAge);
    if (crls.length) {
      checks.add("policy.crlAge", !old.length, old.length ? old.map(([w, s, c]) => `${w} from ${isoTime(c.thisUpdate)} is ${s} s old`).join("; ") + ` (maxCrlAge ${policy.maxCrlAge} s)`
        : `every CRL within ${policy.maxCrlAge} s (${crls.map(({ what }) => what).join(", ")})`, { rule: "too-old" });
    }
  }
  if (policy.minTcbEvaluationDataNumber !== null) {
    const items = [["TCB info", tcbInfo], ["QE identity", qeIdentity]].filter(([, o]) => o);
    const low = items.filter(([, o]) => !(o.tcbEvaluationDataNumber >= policy.minTcbEvaluationDataNumber));
    checks.add("policy.tcbEvaluationDataNumber", items.length > 0 && !low.length, !items.length ? "minTcbEvaluationDataNumber is set but there is no collateral to judge"
      : low.length ? low.map(([w, o]) => `${w} has TCB evaluation data number ${o.tcbEvaluationDataNumber}`).join("; ") + `, below ${policy.minTcbEvaluationDataNumber}`
        : `TCB evaluation data numbers ${items.map(([, o]) => o.tcbEvaluationDataNumber).join(", ")} >= ${policy.minTcbEvaluationDataNumber}`, { rule: "too-old" });
  }
}

/**
 * The outcome of a revocation check that could not run (no CRL): a failure naming what to
 * supply, or a pass marked waived when the policy allows unchecked revocation.
 */
export function revocationUnchecked(policy, what, supply) {
  if (policy.allowUncheckedRevocation) {
    return { ok: true, waived: true, detail: `WAIVED by policy allowUncheckedRevocation: revocation not checked (${what})` };
  }
  return {
    ok: false, rule: "revocation-unchecked", supply: [...supply, "policy.allowUncheckedRevocation"],
    detail: `revocation-unchecked: ${what}; supply the CRL, allow fetching, or waive it with policy allowUncheckedRevocation`,
  };
}
