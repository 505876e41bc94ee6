// The one error type of configfs-tsm requests: what failed (errno name and number), on which
// attribute, and what to do about it. The core's report machine decides all of it; this class
// only carries it to JS callers.

export class TsmError extends Error {
  /**
   * @param {{ code: string, errno: number, attribute?: string, message: string, advice?: string,
   *   attempts?: number, cause?: unknown }} e
   */
  constructor({ code, errno, attribute = "", message, advice = "", attempts = 0, cause }) {
    super(advice ? `${message} (${advice})` : message, cause === undefined ? undefined : { cause });
    this.name = "TsmError";
    /** Linux errno name, e.g. "EBUSY"; "ECANCELED" when the caller's signal aborted. */
    this.code = code;
    /** Linux errno number. */
    this.errno = errno;
    /** The configfs attribute involved ("" for the item itself). */
    this.attribute = attribute;
    this.advice = advice;
    /** Attempts made, each on a fresh item. */
    this.attempts = attempts;
    this.detail = message;
  }

  toJSON() {
    const { code, errno, attribute, detail: message, advice, attempts } = this;
    return { error: { code, errno, attribute, message, advice, attempts } };
  }
}
