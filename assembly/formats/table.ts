// The result table: a flat stream of entries that describes the decoded tree without copying
// evidence bytes. Each entry is four u32: [op | type << 8, name id, a, b]. For byte-backed
// fields a/b are the offset/length in the input; computed fields keep their value in a.
// JSON and text renderers walk this stream; hosts may read it directly (entries_ptr).
import { T, Field, Layout, ROW_WORDS, BITS, BIT_WORDS } from "./layout";
import { E, fail } from "./error";
import { names, nameId } from "./names";
export { names, nameId };

export const enum Op { FIELD = 1, OPEN = 2, CLOSE = 3, ARRAY = 4 }

// ---- input region -------------------------------------------------------------------------
let inputBuf: ArrayBuffer = new ArrayBuffer(64 * 1024);
export let inPtr: usize = changetype<usize>(inputBuf);
export let inLen: u32 = 0;

/** Grows the input region when needed; the host copies evidence to the returned pointer. */
export function reserveInput(len: u32): usize {
  if (<u32>inputBuf.byteLength < len) {
    inputBuf = new ArrayBuffer(<i32>len);
    inPtr = changetype<usize>(inputBuf);
  }
  return inPtr;
}
export function setInputLength(len: u32): void { inLen = len; }

// ---- entries ------------------------------------------------------------------------------
export const MAX_ENTRIES: i32 = 16384;
export const entries = new StaticArray<u32>(MAX_ENTRIES * 4);
// Its address: the hot path stores through it and holds no object references (each one would
// cost a shadow-stack spill in the incremental runtime).
const ENTRIES: usize = changetype<usize>(entries);
export let count: i32 = 0;
// Name ids of the open groups, for error messages ("signatureData.qeReport.reportData").
const MAX_DEPTH: i32 = 64;
const path = new StaticArray<u32>(MAX_DEPTH);
let depth: i32 = 0;

export function reset(): void {
  count = 0;
  depth = 0;
}

function full(a: u32): bool {
  return fail(E.TOO_LARGE, "", a, "result table full");
}

function push(op: u32, type: u32, name: u32, a: u32, b: u32): bool {
  if (count >= MAX_ENTRIES) return full(a);
  const p = ENTRIES + (<usize>count << 4);
  store<u32>(p, op | (type << 8));
  store<u32>(p, name, 4);
  store<u32>(p, a, 8);
  store<u32>(p, b, 12);
  count++;
  return true;
}

export function fieldPath(field: string): string {
  let s = "";
  for (let i = 0, n = min(depth, MAX_DEPTH); i < n; i++) {
    const id = unchecked(path[i]);
    s += (i ? "." : "") + (id ? names[id] : "[]"); // unnamed groups are array members
  }
  return field.length ? (s.length ? s + "." + field : field) : s;
}

/** Fails with TRUNCATED unless [offset, offset + size) lies inside the input. */
export function need(field: string, offset: u32, size: u32): bool {
  return <u64>offset + <u64>size <= <u64>inLen || truncated(field, offset, size);
}
function truncated(field: string, offset: u32, size: u32): bool {
  return fail(E.TRUNCATED, fieldPath(field), offset,
    "needs " + size.toString() + " bytes at offset " + offset.toString() +
    ", input ends at " + inLen.toString());
}

function openId(op: Op, id: u32, offset: u32, size: u32): bool {
  // Decoders nest a few levels; the depth is bounded by their code, not by the input.
  if (depth < MAX_DEPTH) unchecked(path[depth] = id);
  depth++;
  return push(op, 0, id, offset, size);
}

/** Opens a group; offset/size give its byte extent (hosts use it to find signed regions). */
export function open(name: string, offset: u32 = 0, size: u32 = 0): bool {
  return openId(Op.OPEN, nameId(name), offset, size);
}
export function openArray(name: string, offset: u32 = 0, size: u32 = 0): bool {
  return openId(Op.ARRAY, nameId(name), offset, size);
}
export function close(): bool {
  if (depth > 0) depth--;
  return push(Op.CLOSE, 0, 0, 0, 0);
}

export function bytes(name: string, type: T, offset: u32, size: u32): bool {
  if (!need(name, offset, size)) return false;
  return push(Op.FIELD, type, nameId(name), offset, size);
}
export function computed(name: string, type: T, value: u32): bool {
  return push(Op.FIELD, type, nameId(name), value, 0);
}
export function str(name: string, value: string): bool {
  return computed(name, T.NAME, nameId(value));
}

// ---- reading the input (callers check bounds with need/layout first) ------------------------
export function u8at(o: u32): u32 { return <u32>load<u8>(inPtr + o); }
export function u16at(o: u32): u32 { return <u32>load<u16>(inPtr + o); }
export function u32at(o: u32): u32 { return load<u32>(inPtr + o); }
export function u64at(o: u32): u64 { return load<u64>(inPtr + o); }

export function readValue(type: T, o: u32): u64 {
  switch (type) {
    case T.U8: return <u64>u8at(o);
    case T.U16: return <u64>u16at(o);
    case T.U32: return <u64>u32at(o);
    case T.U64: return u64at(o);
    case T.U16BE: return <u64>bswap<u16>(load<u16>(inPtr + o));
    case T.U32BE: return <u64>bswap<u32>(u32at(o));
  }
  return 0;
}

/** Emits one layout row at `base`; rows with bit tables become {raw, part...} groups. */
export function emitField(fd: Field, base: u32): bool {
  const o = base + fd.offset;
  if (!need(fd.name, o, fd.size)) return false;
  const bits = fd.bitWords;
  if (bits === null) return push(Op.FIELD, fd.type, fd.id, o, fd.size);
  return emitParts(fd.type, fd.id, o, fd.size, changetype<usize>(bits), bits.length / BIT_WORDS);
}

/** {raw, part...} for an integer field; `parts` points at n [name id, shift, width] words. */
function emitParts(type: T, id: u32, o: u32, size: u32, parts: usize, n: i32): bool {
  const v = readValue(type, o);
  openId(Op.OPEN, id, 0, 0);
  push(Op.FIELD, type, RAW, o, size);
  for (let i = 0; i < n; i++) {
    const p = parts + ((<usize>i * BIT_WORDS) << 2);
    const shift = load<u32>(p, 4);
    const width = load<u32>(p, 8);
    const part = <u32>((v >> <u64>shift) & ((<u64>1 << <u64>width) - 1));
    push(Op.FIELD, width == 1 ? T.BOOL : T.UINT, load<u32>(p), part, 0);
  }
  return close();
}
const RAW = nameId("raw");

/** Address of row i of a layout's row words (Layout.rows), for rowAt/hasBits/emitRow. */
@inline export function rowAt(rows: usize, i: i32): usize {
  return rows + ((<usize>i * ROW_WORDS) << 2);
}
@inline export function hasBits(row: usize): bool { return (load<u32>(row) & BITS) != 0; }

/** Emits a row without a bit table; the caller has checked that its bytes lie in the input. */
@inline export function emitRow(row: usize, base: u32): bool {
  return push(Op.FIELD, load<u32>(row), load<u32>(row, 4), base + load<u32>(row, 8), load<u32>(row, 12));
}

/** Emits every row of a layout at `base` (bounds-checked as a whole first). */
export function emitLayout(l: Layout, base: u32): bool {
  if (!need(l.name, base, l.size)) return false;
  const rows = changetype<usize>(l.rows);
  const n = l.fields.length;
  for (let i = 0; i < n; i++) {
    const r = rowAt(rows, i);
    if (!(hasBits(r) ? emitField(unchecked(l.fields[i]), base) : emitRow(r, base))) return false;
  }
  return true;
}

/** Offset of a named row, for code that reads a value (version, lengths) before emitting. */
export function offsetOf(l: Layout, name: string): u32 {
  const fs = l.fields;
  for (let i = 0; i < fs.length; i++) if (fs[i].name == name) return fs[i].offset;
  abort("no field " + name + " in " + l.name);
  return 0;
}
