// Maps with known integer keys (claims-sets, COSE headers and keys): one table row per key, next
// to the spec section it comes from. Known keys are emitted in table order under their names,
// whatever order the encoder chose; keys no row knows are kept, under decimal (or text) names, in
// a group of their own. A row absent from the map fails if the rules in force make it mandatory.
import { T } from "./layout";
import { E, fail } from "./error";
import { open, close, bytes, fieldPath } from "./table";
import { M, major, arg, headLen, next, headOf, skip, intAt, emitAny, emitMembers, majorName } from "./cbor";

/** How a row's value is read; kinds from SPECIAL up are decoded by the caller's hook. */
export const enum K { INT = 1, UINT = 2, TEXT = 3, BYTES = 4, ANY = 5, SPECIAL = 16 }
/** Sizes a BYTES row accepts besides an exact one: any, or a digest (32, 48 or 64 bytes). */
export const ANY_SIZE: u32 = 0;
export const DIGEST: u32 = 1;

export class Row {
  constructor(public key: i64, public name: string, public kind: u32, public mandatory: u32, public size: u32) {}
}
export function row(key: i64, name: string, kind: u32, mandatory: u32 = 0, size: u32 = ANY_SIZE): Row {
  return new Row(key, name, kind, mandatory, size);
}

/** Decodes a SPECIAL row's value at `at`; emits it under row.name. */
export type Hook = (r: Row, at: u32) => bool;
function noHook(r: Row, at: u32): bool { return true; }

// Value offsets (+1; 0 = absent) of the rows of the maps being decoded, innermost last.
const MAX_SLOTS: i32 = 256;
const slots = new StaticArray<u32>(MAX_SLOTS);
let top: i32 = 0;

export function wrongType(name: string, at: u32, want: string): bool {
  return fail(E.UNSUPPORTED_TYPE, fieldPath(name), at, name + " is " + majorName(major) + ", expected " + want);
}

export function checkSize(name: string, at: u32, len: u32, size: u32): bool {
  if (size == ANY_SIZE || len == size) return true;
  if (size == DIGEST && (len == 32 || len == 48 || len == 64)) return true;
  return fail(E.BAD_LENGTH, fieldPath(name), at, name + " is " + len.toString() + " bytes, expected " +
    (size == DIGEST ? "32, 48 or 64 (a digest)" : size.toString()));
}

/** Emits a byte string row (checked against the row's size). */
export function emitBytes(name: string, at: u32, size: u32): bool {
  const p = headOf(at);
  if (major != M.BYTES) return wrongType(name, at, "a byte string");
  if (!checkSize(name, at, <u32>arg, size)) return false;
  return bytes(name, T.HEX, p, <u32>arg);
}

export function emitText(name: string, at: u32): bool {
  const p = headOf(at);
  if (major != M.TEXT) return wrongType(name, at, "a text string");
  return bytes(name, T.TEXT, p, <u32>arg);
}

export function emitInt(name: string, at: u32, unsigned: bool): bool {
  headOf(at);
  if (major != M.UINT && (unsigned || major != M.NINT)) return wrongType(name, at, unsigned ? "an unsigned integer" : "an integer");
  return bytes(name, T.CBOR_INT, at, headLen);
}

function indexOf(rows: Row[], key: i64): i32 {
  for (let i = 0; i < rows.length; i++) if (unchecked(rows[i]).key == key) return i;
  return -1;
}

/**
 * Decodes the checked map at `at` with `rows`: a row is mandatory when `row.mandatory & rules`;
 * `why` ends the message of a missing one (" for profile X"). Unknown keys go to group `unknown`.
 */
export function decodeMap(rows: Row[], at: u32, rules: u32, why: string, unknown: string, hook: Hook = noHook): bool {
  const n = rows.length;
  if (top + n > MAX_SLOTS) return fail(E.TOO_LARGE, fieldPath(""), at, "maps nested too deep");
  const base = top;
  top += n; // hooks may decode maps of their own above these slots
  for (let i = 0; i < n; i++) unchecked(slots[base + i] = 0);
  let p = headOf(at);
  const pairs = arg;
  let unknowns = 0;
  for (let i: u64 = 0; i < pairs; i++) {
    const r = indexOf(rows, intAt(p, i64.MIN_VALUE));
    skip(p);
    const v = next;
    if (r >= 0) unchecked(slots[base + r] = v + 1);
    else unknowns++;
    skip(v);
    p = next;
  }
  const ok = emitRows(rows, base, at, rules, why, hook) && (unknowns == 0 || emitUnknown(rows, at, unknown));
  top = base;
  return ok;
}

function emitRows(rows: Row[], base: i32, at: u32, rules: u32, why: string, hook: Hook): bool {
  for (let i = 0; i < rows.length; i++) {
    const r = unchecked(rows[i]);
    const v1 = unchecked(slots[base + i]);
    if (!v1) {
      if (r.mandatory & rules) {
        return fail(E.MISSING, fieldPath(r.name), at, "missing mandatory " + r.name + " (key " + r.key.toString() + ")" + why);
      }
      continue;
    }
    const v = v1 - 1;
    let ok: bool;
    switch (r.kind) {
      case K.INT: ok = emitInt(r.name, v, false); break;
      case K.UINT: ok = emitInt(r.name, v, true); break;
      case K.TEXT: ok = emitText(r.name, v); break;
      case K.BYTES: ok = emitBytes(r.name, v, r.size); break;
      case K.ANY: ok = emitAny(r.name, v); break;
      default: ok = hook(r, v);
    }
    if (!ok) return false;
  }
  return true;
}

// The rows emitUnknown leaves out (its filter is a plain function: no closures in AssemblyScript).
let knownRows: Row[] = [];
function unknownKey(key: u32): bool { return indexOf(knownRows, intAt(key, i64.MIN_VALUE)) < 0; }

function emitUnknown(rows: Row[], at: u32, name: string): bool {
  knownRows = rows;
  open(name);
  return emitMembers(at, unknownKey) && close();
}
