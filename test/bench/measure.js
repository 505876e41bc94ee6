// Timing for benchmarks: each candidate runs in rounds, candidates interleaved round by round (so
// drift hits all of them alike), and the median round gives ns per operation. Each round starts
// one candidate further along: a candidate that leaves garbage behind would otherwise always hand
// its collection to the same neighbour. Synchronous rounds last 250 ms, long enough to hold the
// candidate's own collections: in 40 ms rounds dcap-qvl's Quote.parse (30 ArrayBuffers a parse)
// had its garbage freed during other candidates' rounds, its rounds spread 370% and its median
// swung 7-20 us between runs, while it takes 28-43 us a parse in a sustained loop (and in 250 ms
// rounds, spread 12%).
import { performance } from "node:perf_hooks";

/** Calls `fn` until about `ms` milliseconds pass; returns how many calls that was. */
function calibrate(fn, ms) {
  let n = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) fn();
    const dt = performance.now() - t0;
    if (dt >= ms) return Math.max(1, Math.round((n * ms) / dt));
    n *= dt < ms / 8 ? 8 : 2;
  }
}

/** The value at fraction q of sorted xs, interpolated. */
function quantile(s, q) {
  const at = (s.length - 1) * q, i = Math.floor(at);
  return i + 1 < s.length ? s[i] + (s[i + 1] - s[i]) * (at - i) : s[i];
}

/**
 * A candidate's rounds as { ns, spread, error }: the median ns/op, (max - min) / median, and the
 * median's standard error relative to it, estimated from the rounds' interquartile range
 * (0.93 IQR / sqrt(n) for normally spread rounds).
 */
function summary(xs) {
  const s = [...xs].sort((a, b) => a - b), m = quantile(s, 0.5);
  const iqr = quantile(s, 0.75) - quantile(s, 0.25);
  return { ns: m, spread: (s[s.length - 1] - s[0]) / m, error: (0.93 * iqr) / Math.sqrt(s.length) / m };
}

/** keys in order, starting at index r (mod length). */
const rotated = (keys, r) => keys.map((_, i) => keys[(i + r) % keys.length]);

// A sink the optimiser cannot see through, so results are not dead code.
export let sink;

/** What compare() and compareAsync() run unless told otherwise. */
export const ROUNDS = Object.freeze({ sync: { rounds: 9, roundMs: 250 }, async: { rounds: 15, roundMs: 40 } });

/**
 * Measures candidates { key: fn } together: warm-up, then `rounds` interleaved rounds of about
 * `roundMs` each. Returns { key: summary } (see summary()).
 */
export function compare(candidates, { rounds = ROUNDS.sync.rounds, roundMs = ROUNDS.sync.roundMs, warmupMs = 150 } = {}) {
  const keys = Object.keys(candidates);
  const calls = {};
  for (const k of keys) {
    const fn = candidates[k];
    calibrate(() => { sink = fn(); }, warmupMs);
    calls[k] = calibrate(() => { sink = fn(); }, roundMs);
  }
  const samples = Object.fromEntries(keys.map((k) => [k, []]));
  for (let r = 0; r < rounds; r++) {
    for (const k of rotated(keys, r)) {
      const fn = candidates[k], n = calls[k];
      const t0 = performance.now();
      for (let i = 0; i < n; i++) sink = fn();
      samples[k].push(((performance.now() - t0) * 1e6) / n);
    }
  }
  return Object.fromEntries(keys.map((k) => [k, summary(samples[k])]));
}

/**
 * compare() for operations that return promises (file I/O, child processes): each candidate is
 * awaited call by call, `rounds` interleaved rounds of `calls` calls (default: as many as fit in
 * about `roundMs`, at least 1). Returns { key: summary } like compare().
 */
export async function compareAsync(candidates, { rounds = ROUNDS.async.rounds, roundMs = ROUNDS.async.roundMs, warmupMs = 150, calls } = {}) {
  const keys = Object.keys(candidates);
  const n = {};
  for (const k of keys) {
    const fn = candidates[k];
    let count = 0;
    const t0 = performance.now();
    do { sink = await fn(); count++; } while (performance.now() - t0 < warmupMs);
    n[k] = calls ?? Math.max(1, Math.round((count * roundMs) / (performance.now() - t0)));
  }
  const samples = Object.fromEntries(keys.map((k) => [k, []]));
  for (let r = 0; r < rounds; r++) {
    for (const k of rotated(keys, r)) {
      const fn = candidates[k];
      const t0 = performance.now();
      for (let i = 0; i < n[k]; i++) sink = await fn();
      samples[k].push(((performance.now() - t0) * 1e6) / n[k]);
    }
  }
  return Object.fromEntries(keys.map((k) => [k, summary(samples[k])]));
}
