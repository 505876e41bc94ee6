// Timing for benchmarks: each candidate runs in short rounds, candidates interleaved round by
// round (so drift and GC hit all of them alike), and the median round gives ns per operation.
// Each round starts one candidate further along: a candidate that leaves garbage behind would
// otherwise always hand its collection to the same neighbour.
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

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** keys in order, starting at index r (mod length). */
const rotated = (keys, r) => keys.map((_, i) => keys[(i + r) % keys.length]);

// A sink the optimiser cannot see through, so results are not dead code.
export let sink;

/**
 * Measures candidates { key: fn } together: warm-up, then `rounds` interleaved rounds of about
 * `roundMs` each. Returns { key: { ns, spread } } (median ns/op, and (max-min)/median of rounds).
 */
export function compare(candidates, { rounds = 15, roundMs = 40, warmupMs = 150 } = {}) {
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
  return Object.fromEntries(keys.map((k) => {
    const s = samples[k], m = median(s);
    return [k, { ns: m, spread: (Math.max(...s) - Math.min(...s)) / m }];
  }));
}

/**
 * compare() for operations that return promises (file I/O, child processes): each candidate is
 * awaited call by call, `rounds` interleaved rounds of `calls` calls (default: as many as fit in
 * about `roundMs`, at least 1). Returns { key: { ns, spread } } like compare().
 */
export async function compareAsync(candidates, { rounds = 15, roundMs = 40, warmupMs = 150, calls } = {}) {
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
  return Object.fromEntries(keys.map((k) => {
    const s = samples[k], m = median(s);
    return [k, { ns: m, spread: (Math.max(...s) - Math.min(...s)) / m }];
  }));
}
