// Table shapes: the sequence of (op, type, name) of a result table (assembly/formats/table.ts).
// Evidence of one kind gives one shape again and again, so decode() and view() compile a builder
// per shape once and reuse it; recognising a shape is one pass over the table's first two words,
// done in the core for the shape last seen with that many entries.
import { core } from "./core.js";

// Bounded, since inputs (certificate tables, PEM chains, CBOR maps) can make any number of shapes;
// past the bound a shape is described afresh for its one call and never compiled.
const MAX_SHAPES = 256;
const shapes = new Map(); // entry count -> shape records with that count
let shapeCount = 0;

/**
 * The shape record of the table at words[base..base + 4n): { sig, n, seen, ... } where `sig`
 * holds each entry's [op | type << 8, name id] and `seen` counts the calls that gave it (callers
 * keep their compiled builders on the record).
 */
export function shapeOf(words, base, n) {
  // Evidence of one kind tends to come again and again: the shape pinned in the core for this
  // entry count is tried first, compared there (assembly/formats/shapes.ts).
  const slot = n & (PIN_SLOTS - 1);
  const p = pinned[slot];
  if (p !== undefined && p.n === n && core.shape_same() === 1) {
    p.seen++;
    return p;
  }
  const s = find(words, base, n);
  if (core.shape_pin() === 1) pinned[slot] = s;
  return s;
}
const PIN_SLOTS = 8; // as assembly/formats/shapes.ts SLOTS
const pinned = new Array(PIN_SLOTS);

function find(words, base, n) {
  const list = shapes.get(n);
  if (list) {
    for (let j = 0; j < list.length; j++) {
      const s = list[j];
      if (same(s.sig, words, base, n)) {
        s.seen++;
        return s;
      }
    }
  }
  const sig = new Int32Array(2 * n);
  for (let i = 0, p = base; i < n; i++, p += 4) { sig[2 * i] = words[p]; sig[2 * i + 1] = words[p + 1]; }
  const s = { sig, n, seen: 1, build: undefined, Root: undefined };
  if (shapeCount < MAX_SHAPES) {
    shapeCount++;
    if (list) list.push(s);
    else shapes.set(n, [s]);
  }
  return s;
}

/** Whether the table at words[base..] has signature `sig` (n entries; one branch per entry). */
function same(sig, words, base, n) {
  for (let i = 0, p = base; i < 2 * n; i += 2, p += 4) {
    if ((sig[i] ^ words[p]) | (sig[i + 1] ^ words[p + 1])) return false;
  }
  return true;
}

// Whether this host may compile code from text (a page's Content-Security-Policy can forbid it);
// without it, callers keep their table-walking builders.
let canCompile = true;

/** `new Function(...params, body)`, or null where the host forbids it. */
export function compileFunction(params, body) {
  if (!canCompile) return null;
  try {
    return new Function(...params, body);
  } catch (e) {
    if (e instanceof EvalError) { canCompile = false; return null; }
    throw e;
  }
}
