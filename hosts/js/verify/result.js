// Checks and verdicts shared by the SNP and DCAP verifiers. A verifier records every check it
// runs, in order, as { name, ok, detail }; the verdict is ok only if every check passed, and
// `decidedBy` names the first one that did not, so a caller can tell exactly why.

import { checkName } from "./catalogue.js";

/**
 * One check record: { name, ok, detail } plus, where they apply, `rule` (the rule a failure
 * broke, path.js RULES), `supply` (the options that would provide a missing input) and `waived`
 * (passed only because a policy switch waived it).
 * @param {string} name
 * @param {unknown} ok
 * @param {unknown} [detail]
 * @param {{ rule?: string, supply?: string[], waived?: boolean }} [extra]
 */
export function check(name, ok, detail = "", { rule, supply, waived } = {}) {
  const c = { name: checkName(name), ok: Boolean(ok), detail: String(detail) };
  if (!ok && rule) c.rule = rule;
  if (!ok && supply?.length) c.supply = [...supply];
  if (ok && waived) c.waived = true;
  return c;
}

/** An ordered list of checks being recorded. */
export class Checks {
  constructor() {
    /** @type {{name: string, ok: boolean, detail: string}[]} */
    this.list = [];
    this.pending = [];
  }

  /** Records a check and returns whether it passed. */
  add(name, ok, detail, extra) {
    this.list.push(check(name, ok, detail, extra));
    return Boolean(ok);
  }

  /** Records a { ok, detail, rule?, supply?, waived? } outcome; returns whether it passed. */
  record(name, outcome) {
    return this.add(name, outcome.ok, outcome.detail, outcome);
  }

  /**
   * Runs `fn` (sync or async) returning { ok, detail } and records it; a thrown error becomes a
   * failed check carrying the error's code and message, never an escape from verify().
   */
  async run(name, fn) {
    return this.record(name, await outcomeOf(fn));
  }

  /**
   * Starts `fn` as run() does but does not wait: its place in the order is taken now (as a failed
   * "pending" check, so a verdict taken without settle() cannot pass) and filled in when it ends.
   * For slow independent checks (signatures) that can overlap the ones recorded after them.
   */
  defer(name, fn) {
    const at = this.list.push(check(name, false, "pending")) - 1;
    this.pending.push(outcomeOf(fn).then((o) => { this.list[at] = check(name, o.ok, o.detail, o); }));
  }

  /** Waits for every deferred check to be recorded. */
  async settle() {
    while (this.pending.length) await Promise.all(this.pending.splice(0));
  }

  get ok() {
    return this.list.length > 0 && this.list.every((c) => c.ok);
  }
}

/** `fn`'s { ok, detail }, or a failed outcome carrying the error it threw. */
async function outcomeOf(fn) {
  try {
    return await fn();
  } catch (e) {
    return { ok: false, detail: errorDetail(e) };
  }
}

/**
 * "CODE: message" (with field and offset when the error carries them).
 * @param {(Error & { code?: string, field?: string, offset?: number, detail?: string }) | string | null | undefined} e
 */
export function errorDetail(e) {
  if (!(e instanceof Error)) return String(e);
  const where = [e.field && `field ${e.field}`, e.offset !== undefined && `byte ${e.offset}`].filter(Boolean).join(", ");
  const msg = e.detail ?? e.message;
  return `${e.code ? `${e.code}: ` : ""}${msg}${where && !msg.includes(where) ? ` (${where})` : ""}`;
}

/**
 * The verdict: { ok, status, advisoryIds, checks, evidence, decidedBy, evaluatedAt }. `status`
 * is the vendor's TCB status when there is one (DCAP) and every check passed; otherwise
 * "Verified" or "Failed". `evaluatedAt` is the time certificates and collateral were judged at.
 * @param {Checks} checks
 * @param {{ status?: string, advisoryIds?: string[], evidence?: object | null, now?: Date }} [outcome]
 */
export function verdict(checks, { status, advisoryIds = [], evidence = null, now } = {}) {
  const ok = checks.ok;
  const failed = checks.list.find((c) => !c.ok);
  return {
    ok,
    status: status ?? (ok ? "Verified" : "Failed"),
    advisoryIds,
    checks: checks.list,
    evidence,
    decidedBy: failed ? failed.name : null,
    evaluatedAt: (now ?? new Date()).toISOString(),
  };
}
