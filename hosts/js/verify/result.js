// Checks and verdicts shared by the SNP and DCAP verifiers. A verifier records every check it
// runs, in order, as { name, ok, detail }; the verdict is ok only if every check passed, and
// `decidedBy` names the first one that did not, so a caller can tell exactly why.

/** One check record. */
export const check = (name, ok, detail = "") => ({ name, ok: Boolean(ok), detail: String(detail) });

/** An ordered list of checks being recorded. */
export class Checks {
  constructor() {
    /** @type {{name: string, ok: boolean, detail: string}[]} */
    this.list = [];
  }

  /** Records a check and returns whether it passed. */
  add(name, ok, detail) {
    this.list.push(check(name, ok, detail));
    return Boolean(ok);
  }

  /** Records a { ok, detail } outcome (as returned by the x509 helpers); returns whether it passed. */
  record(name, outcome) {
    return this.add(name, outcome.ok, outcome.detail);
  }

  /**
   * Runs `fn` (sync or async) returning { ok, detail } and records it; a thrown error becomes a
   * failed check carrying the error's code and message, never an escape from verify().
   */
  async run(name, fn) {
    let outcome;
    try {
      outcome = await fn();
    } catch (e) {
      outcome = { ok: false, detail: errorDetail(e) };
    }
    return this.record(name, outcome);
  }

  get ok() {
    return this.list.length > 0 && this.list.every((c) => c.ok);
  }
}

/** "CODE: message" (with field and offset when the error carries them). */
export function errorDetail(e) {
  if (!(e instanceof Error)) return String(e);
  const where = [e.field && `field ${e.field}`, e.offset !== undefined && `byte ${e.offset}`].filter(Boolean).join(", ");
  const msg = e.detail ?? e.message;
  return `${e.code ? `${e.code}: ` : ""}${msg}${where && !msg.includes(where) ? ` (${where})` : ""}`;
}

/**
 * The verdict: { ok, status, advisoryIds, checks, evidence, decidedBy }. `status` is the vendor's
 * TCB status when there is one (DCAP); otherwise "Verified" or "Failed".
 */
export function verdict(checks, { status, advisoryIds = [], evidence = null } = {}) {
  const ok = checks.ok;
  const failed = checks.list.find((c) => !c.ok);
  return {
    ok,
    status: status ?? (ok ? "Verified" : "Failed"),
    advisoryIds,
    checks: checks.list,
    evidence,
    decidedBy: failed ? failed.name : null,
  };
}
