// A bounded CBOR reader (RFC 8949) for attestation tokens. Only what a signed token needs is
// accepted: definite lengths, preferred (shortest) heads, int/text/byte map keys with no
// duplicates, false/true/null, and at most MAX_NESTING levels of arrays, maps and tags.
// Indefinite lengths, floats and other simple values are refused: a token never needs them, and
// with shortest heads two equal keys are equal bytes, so duplicates are found by comparing bytes.
// `check` validates an item once; the decoders then walk it with `head`/`skip` trusting its shape.
import { T } from "./layout";
import { E, fail } from "./error";
import { open, openArray, close, bytes, computed, fieldPath, inPtr, inLen, u8at } from "./table";

export const enum M { UINT = 0, NINT = 1, BYTES = 2, TEXT = 3, ARRAY = 4, MAP = 5, TAG = 6, SIMPLE = 7 }
const MAJOR_NAMES = ["an integer", "a negative integer", "a byte string", "a text string",
  "an array", "a map", "a tag", "a simple value"];
export function majorName(m: u32): string { return MAJOR_NAMES[m & 7]; }

export const MAX_NESTING: i32 = 16;
const SIMPLE_FALSE: u64 = 20, SIMPLE_TRUE: u64 = 21, SIMPLE_NULL: u64 = 22;

// The head last read: major type, argument (a value, length or count) and the head's size.
export let major: u32 = 0;
export let arg: u64 = 0;
export let headLen: u32 = 0;
/** Offset just past the item last skipped or checked. */
export let next: u32 = 0;

/** The input ends inside the item (TRUNCATED), or the item overruns the byte string holding it. */
function overrun(field: string, at: u32, size: u64, end: u32): bool {
  if (at > inLen || size > <u64>(inLen - at)) {
    return fail(E.TRUNCATED, fieldPath(field), at, "needs " + size.toString() + " bytes at offset " +
      at.toString() + ", input ends at " + inLen.toString());
  }
  return fail(E.BAD_LENGTH, fieldPath(field), at, "needs " + size.toString() + " bytes at offset " +
    at.toString() + " but its byte string ends at offset " + end.toString());
}

/** Reads the head at `at` (major, arg, headLen); the item must start before `end`. */
export function head(at: u32, end: u32, field: string): bool {
  if (at >= end) return overrun(field, at, 1, end);
  const ib = u8at(at);
  major = ib >> 5;
  const ai = ib & 31;
  if (ai < 24) { arg = ai; headLen = 1; return true; }
  if (ai == 31) {
    return fail(E.UNSUPPORTED_TYPE, fieldPath(field), at, "indefinite-length " + majorName(major) +
      " (tokens use definite lengths only)");
  }
  if (ai > 27) return fail(E.BAD_VALUE, fieldPath(field), at, "reserved CBOR additional information " + ai.toString());
  const n: u32 = 1 << (ai - 24);
  if (<u64>at + 1 + n > <u64>end) return overrun(field, at, 1 + n, end);
  if (major == M.SIMPLE) {
    return fail(E.UNSUPPORTED_TYPE, fieldPath(field), at, ai == 24 ? "a CBOR simple value" : "a floating-point number");
  }
  let v: u64 = 0;
  for (let i: u32 = 1; i <= n; i++) v = (v << 8) | <u64>u8at(at + i);
  // Shortest form only (RFC 8949 section 4.2.1): the same value has one encoding.
  const floor: u64 = n == 1 ? 24 : (<u64>1 << (<u64>(n << 2))); // 24, 2^8, 2^16, 2^32
  if (v < floor) {
    return fail(E.BAD_VALUE, fieldPath(field), at, "non-shortest CBOR head: " + v.toString() + " in " +
      n.toString() + " bytes");
  }
  arg = v;
  headLen = 1 + n;
  return true;
}

// The ends of the arrays, maps and tags `check` validated in this decode, by offset: decoders
// skip the same claims several times (find, decodeMap, their values' own decoders), and a skip
// over a remembered item is one lookup instead of a walk of everything inside it. An entry holds
// the decode's generation, so nothing from an earlier input is ever taken.
const ENDS: u32 = 1024; // a power of two
const endAt = new StaticArray<u32>(ENDS);
const endOf = new StaticArray<u32>(ENDS);
const endGen = new StaticArray<u32>(ENDS);
let generation: u32 = 0;

/** Forgets every remembered end: call when a decode starts on a new input. */
export function newInput(): void {
  if (++generation == 0) { // after 2^32 decodes: clear rather than let old generations match
    memory.fill(changetype<usize>(endGen), 0, ENDS << 2);
    generation = 1;
  }
}

@inline function slot(at: u32): u32 { return (at * 0x9e3779b1) >> 22; } // 10 bits: ENDS slots

function remember(at: u32, end: u32): void {
  const s = slot(at);
  unchecked(endAt[s] = at);
  unchecked(endOf[s] = end);
  unchecked(endGen[s] = generation);
}

// Offsets of the keys of the maps being checked, innermost last, to find duplicates.
const MAX_KEYS: i32 = 1024;
const keyAt = new StaticArray<u32>(MAX_KEYS);
const keyEnd = new StaticArray<u32>(MAX_KEYS);
let keyTop: i32 = 0;

function sameBytes(a: u32, aEnd: u32, b: u32, bEnd: u32): bool {
  return aEnd - a == bEnd - b && memory.compare(inPtr + a, inPtr + b, aEnd - a) == 0;
}

/** Validates the item at `at`, which must end by `end`, and sets `next` past it. */
export function check(at: u32, end: u32, field: string, depth: i32 = 0): bool {
  if (!head(at, end, field)) return false;
  const m = major;
  const n = arg;
  let p = at + headLen;
  const left = <u64>(end - p);
  switch (m) {
    case M.UINT: case M.NINT: break;
    case M.BYTES: case M.TEXT:
      if (n > left) return overrun(field, p, n, end);
      p += <u32>n;
      break;
    case M.ARRAY: case M.MAP: case M.TAG: {
      if (depth >= MAX_NESTING) {
        return fail(E.TOO_LARGE, fieldPath(field), at, "nested deeper than " + MAX_NESTING.toString() + " levels");
      }
      if (m == M.TAG) {
        if (!check(p, end, field, depth + 1)) return false;
        p = next;
        break;
      }
      // Every item takes a byte at least: a count the bytes cannot hold fails before any loop.
      const items = m == M.MAP && n <= left ? n << 1 : n; // no overflow: n <= left < 2^32
      if (items > left) return overrun(field, p, items, end);
      if (m == M.ARRAY) {
        for (let i: u64 = 0; i < n; i++) {
          if (!check(p, end, field, depth + 1)) return false;
          p = next;
        }
        break;
      }
      const base = keyTop;
      for (let i: u64 = 0; i < n; i++) {
        if (!head(p, end, field)) { keyTop = base; return false; }
        if (major != M.UINT && major != M.NINT && major != M.TEXT && major != M.BYTES) {
          keyTop = base;
          return fail(E.UNSUPPORTED_TYPE, fieldPath(field), p, "a map key is " + majorName(major) +
            " (integer, text or byte string keys only)");
        }
        if (!check(p, end, field, depth + 1)) { keyTop = base; return false; }
        for (let k = base; k < keyTop; k++) {
          if (sameBytes(unchecked(keyAt[k]), unchecked(keyEnd[k]), p, next)) {
            keyTop = base;
            return fail(E.BAD_VALUE, fieldPath(field), p, "duplicate map key at offset " + p.toString() +
              " (first at offset " + unchecked(keyAt[k]).toString() + ")");
          }
        }
        if (keyTop >= MAX_KEYS) { keyTop = base; return fail(E.TOO_LARGE, fieldPath(field), p, "more than 1024 map keys"); }
        unchecked(keyAt[keyTop] = p);
        unchecked(keyEnd[keyTop] = next);
        keyTop++;
        p = next;
        if (!check(p, end, field, depth + 1)) { keyTop = base; return false; }
        p = next;
      }
      keyTop = base;
      break;
    }
    default: // simple: head() let only one-byte values through
      if (n != SIMPLE_FALSE && n != SIMPLE_TRUE && n != SIMPLE_NULL) {
        return fail(E.UNSUPPORTED_TYPE, fieldPath(field), at, "CBOR simple value " + n.toString() +
          " (false, true and null only)");
      }
  }
  if (m == M.ARRAY || m == M.MAP || m == M.TAG) remember(at, p);
  next = p;
  return true;
}

/** Checks that the item at `at` fills [at, end) exactly: one CBOR item per byte string. */
export function checkExact(at: u32, end: u32, field: string): bool {
  if (!check(at, end, field)) return false;
  if (next == end) return true;
  return fail(E.BAD_LENGTH, fieldPath(field), next, (end - next).toString() + " bytes after the CBOR item (offset " +
    next.toString() + " to " + end.toString() + ")");
}

/**
 * Reads the head of a checked item and returns the offset after it. `check` has validated it,
 * so nothing is checked again: the decoders walk checked items many times (skip, find).
 */
export function headOf(at: u32): u32 {
  const ib = u8at(at);
  major = ib >> 5;
  const ai = ib & 31;
  if (ai < 24) { arg = ai; headLen = 1; return at + 1; }
  const a = inPtr + at + 1;
  if (ai == 24) { arg = <u64>load<u8>(a); headLen = 2; }
  else if (ai == 25) { arg = <u64>bswap<u16>(load<u16>(a)); headLen = 3; }
  else if (ai == 26) { arg = <u64>bswap<u32>(load<u32>(a)); headLen = 5; }
  else { arg = bswap<u64>(load<u64>(a)); headLen = 9; }
  return at + headLen;
}

/** Sets `next` past a checked item. */
export function skip(at: u32): void {
  const s = slot(at);
  if (unchecked(endAt[s]) == at && unchecked(endGen[s]) == generation) { next = unchecked(endOf[s]); return; }
  let p = headOf(at);
  let n = arg;
  switch (major) {
    case M.BYTES: case M.TEXT: p += <u32>n; break;
    case M.MAP: n <<= 1; // fall through: a map is 2n items
    case M.ARRAY: for (let i: u64 = 0; i < n; i++) { skip(p); p = next; } break;
    case M.TAG: skip(p); p = next; break;
  }
  next = p;
}

/** The integer key or value at `at` (a checked item), when it is one and fits; else `none`. */
export function intAt(at: u32, none: i64): i64 {
  headOf(at);
  if (major == M.UINT && arg <= <u64>i64.MAX_VALUE) return <i64>arg;
  if (major == M.NINT && arg < <u64>i64.MAX_VALUE) return -1 - <i64>arg;
  return none;
}

/** Whether the text string at `at` (a checked item) is `s` (ASCII). */
export function textIs(at: u32, s: string): bool {
  const p = headOf(at);
  if (major != M.TEXT || arg != <u64>s.length) return false;
  const chars = changetype<usize>(s); // UTF-16 code units, read without a call per character
  for (let i = 0; i < s.length; i++) if (u8at(p + <u32>i) != <u32>load<u16>(chars + (<usize>i << 1))) return false;
  return true;
}

/** A map key as a member name: integers in decimal, text as itself, byte strings as h'hex'. */
export function keyName(at: u32): string {
  const p = headOf(at);
  if (major == M.UINT) return arg.toString();
  if (major == M.NINT) return arg == u64.MAX_VALUE ? "-18446744073709551616" : "-" + (arg + 1).toString();
  const s = String.UTF8.decodeUnsafe(inPtr + p, <usize>arg);
  if (major == M.TEXT) return s;
  let h = "h'";
  for (let i: u32 = 0; i < <u32>arg; i++) h += (u8at(p + i) | 0x100).toString(16).slice(1);
  return h + "'";
}

/**
 * The key at `at` as a JS array index (0 to 2^32 - 2, an integer or its canonical decimal text),
 * or -1: JSON.parse and JSON.stringify put such members first, in ascending order.
 */
function indexKey(at: u32): i64 {
  const p = headOf(at);
  if (major == M.UINT) return arg <= 0xfffffffe ? <i64>arg : -1;
  if (major != M.TEXT || arg == 0 || arg > 10 || (arg > 1 && u8at(p) == 0x30)) return -1;
  let v: i64 = 0;
  for (let i: u32 = 0; i < <u32>arg; i++) {
    const c = u8at(p + i);
    if (c < 0x30 || c > 0x39) return -1;
    v = v * 10 + <i64>(c - 0x30);
  }
  return v <= 0xfffffffe ? v : -1;
}

function all(key: u32): bool { return true; }

/**
 * Emits the members of the checked map at `at` whose key passes `include`, as JSON objects order
 * them: array-index keys first, ascending, then the others in map order.
 */
export function emitMembers(at: u32, include: (key: u32) => bool = all): bool {
  let p = headOf(at);
  const n = <i32>arg; // a checked map has at most MAX_KEYS pairs
  const keys = new StaticArray<u32>(n);
  const index = new StaticArray<i64>(n);
  for (let i = 0; i < n; i++) {
    unchecked(keys[i] = p);
    unchecked(index[i] = include(p) ? indexKey(p) : -2); // -2: left out
    skip(p); skip(next); p = next;
  }
  let last: i64 = -1;
  while (true) { // the next index key above `last`: maps are small, so a selection, no sort
    let best = -1;
    for (let i = 0; i < n; i++) {
      const k = unchecked(index[i]);
      if (k > last && (best < 0 || k < unchecked(index[best]))) best = i;
    }
    if (best < 0) break;
    if (!member(unchecked(keys[best]))) return false;
    last = unchecked(index[best]);
  }
  for (let i = 0; i < n; i++) if (unchecked(index[i]) == -1 && !member(unchecked(keys[i]))) return false;
  return true;
}

function member(key: u32): bool {
  skip(key);
  return emitAny(keyName(key), next);
}

/**
 * Emits a checked item as it is: integers as numbers, byte strings as hex, text as text, arrays
 * and maps as groups (members named by keyName), a tag as {tag, value}, false/true/null. Sets
 * `next` past the item.
 */
export function emitAny(name: string, at: u32): bool {
  const p = headOf(at);
  const m = major;
  const n = arg;
  switch (m) {
    case M.UINT: case M.NINT: next = p; return bytes(name, T.CBOR_INT, at, headLen);
    case M.BYTES: next = p + <u32>n; return bytes(name, T.HEX, p, <u32>n);
    case M.TEXT: next = p + <u32>n; return bytes(name, T.TEXT, p, <u32>n);
    case M.SIMPLE:
      next = p;
      return n == SIMPLE_NULL ? computed(name, T.NULL, 0) : computed(name, T.BOOL, n == SIMPLE_TRUE ? 1 : 0);
  }
  skip(at);
  const end = next;
  if (m == M.TAG) {
    open(name, at, end - at);
    bytes("tag", T.CBOR_INT, at, p - at);
    if (!emitAny("value", p)) return false;
  } else if (m == M.ARRAY) {
    openArray(name, at, end - at);
    let q = p;
    for (let i: u64 = 0; i < n; i++) {
      if (!emitAny("", q)) return false;
      q = next;
    }
  } else {
    open(name, at, end - at);
    if (!emitMembers(at)) return false;
  }
  next = end;
  return close();
}
