// Collateral fetcher shared by both vendors: GET with retry/backoff on 429 and 5xx, a cache whose
// entries live as long as the fetched object is valid (certificate notAfter, CRL nextUpdate), and
// an offline mode that answers from the cache or fails without touching the network.

/** A collateral fetch that failed: code OFFLINE, NOT_FOUND, HTTP or NETWORK. */
export class FetchError extends Error {
  constructor(code, url, message, status) {
    super(`${message} (${url})`); // errorDetail() and callers prefix the code
    this.name = "FetchError";
    this.code = code;
    this.url = url;
    if (status !== undefined) this.status = status;
  }
}

/**
 * The default cache: a Map of url -> { bytes, headers, expires (ms since epoch) }, headers being the
 * response headers a caller asked for (lowercase name -> value or null). Any get/set store works.
 */
export class MemoryCache {
  constructor() { this.map = new Map(); }
  get(key) { return this.map.get(key); }
  set(key, entry) { this.map.set(key, entry); }
}

const RETRYABLE = (status) => status === 429 || status >= 500;

function retryAfterMs(res) {
  const v = res.headers?.get?.("retry-after");
  const s = v !== null && v !== undefined ? Number(v) : NaN;
  return Number.isFinite(s) && s >= 0 ? s * 1000 : undefined;
}

/**
 * Creates a fetcher. Options: fetch (default globalThis.fetch), offline (default false), cache,
 * retries (extra attempts after the first, default 3), backoffMs (first delay, doubled each time,
 * default 500; a Retry-After header wins, capped at maxDelayMs), now() for the cache clock,
 * maxAgeMs for objects whose validity is unknown (default one hour).
 * @param {import("../index.js").FetcherOptions} [options]
 * @returns {import("../index.js").Fetcher & { offline: boolean }}
 */
export function createFetcher({
  fetch = globalThis.fetch, offline = false, cache = new MemoryCache(), retries = 3, backoffMs = 500,
  maxDelayMs = 30_000, now = () => Date.now(), maxAgeMs = 3_600_000,
  sleep = (ms) => new Promise((r) => setTimeout(r, ms)),
} = {}) {
  /**
   * The response at `url` as { bytes, headers }: `headers` holds the response headers named in
   * `headers` (lowercased; null when absent), cached with the body, for services such as Intel PCS
   * that send part of an object (its issuer chain) as a header. `expiresOf(bytes, headers)` gives
   * the object's end of validity (a Date) so the cache keeps it exactly that long; it may throw to
   * reject a response that does not parse.
   * @param {string} url
   * @param {import("../index.js").FetchOptions} [opts]
   */
  async function response(url, { expiresOf, headers: names = [] } = {}) {
    const wanted = names.map((n) => n.toLowerCase());
    const hit = cache.get(url);
    // An entry cached by a caller that asked for fewer headers cannot answer for the rest.
    if (hit && hit.expires > now() && wanted.every((n) => n in (hit.headers ?? {}))) return hit;
    if (offline) throw new FetchError("OFFLINE", url, "not in the collateral cache and the fetcher is offline");
    if (typeof fetch !== "function") throw new FetchError("NETWORK", url, "no fetch implementation available");
    let delay = backoffMs;
    for (let attempt = 0; ; attempt++) {
      let res;
      try {
        res = await fetch(url);
      } catch (e) {
        if (attempt >= retries) throw new FetchError("NETWORK", url, `request failed after ${attempt + 1} attempts: ${e.message}`);
        await sleep(delay);
        delay *= 2;
        continue;
      }
      if (res.ok) {
        const bytes = new Uint8Array(await res.arrayBuffer());
        const headers = Object.fromEntries(wanted.map((n) => [n, res.headers?.get?.(n) ?? null]));
        const until = expiresOf ? expiresOf(bytes, headers) : undefined;
        const expires = until instanceof Date ? until.getTime() : now() + maxAgeMs;
        const entry = { bytes, headers, expires };
        cache.set(url, entry);
        return entry;
      }
      if (res.status === 404) throw new FetchError("NOT_FOUND", url, "the service has no such object", 404);
      if (!RETRYABLE(res.status) || attempt >= retries) {
        throw new FetchError("HTTP", url, `HTTP ${res.status}${RETRYABLE(res.status) ? ` after ${attempt + 1} attempts` : ""}`, res.status);
      }
      await sleep(Math.min(retryAfterMs(res) ?? delay, maxDelayMs));
      delay *= 2;
    }
  }

  /**
   * The bytes at `url` (see response(); `expiresOf(bytes)` as there).
   * @param {string} url
   * @param {import("../index.js").FetchOptions} [opts]
   */
  async function get(url, opts) {
    return (await response(url, opts)).bytes;
  }
  return { get, response, offline };
}
