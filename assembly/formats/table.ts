// The result table: a flat stream of entries that describes the decoded tree without copying
// evidence bytes. Each entry is four u32: [op | type << 8, name id, a, b]. For byte-backed
// fields a/b are the offset/length in the input; computed fields keep their value in a.
// JSON and text renderers walk this stream; hosts may read it directly (entries_ptr).
import { T, Bits, Field, Layout } from "./layout";
import { E, fail } from "./error";
import { names, nameId } from "./names";
export { names, nameId };

export const enum Op { FIELD = 1, OPEN = 2, CLOSE = 3, ARRAY = 4 }

/**
 * A buffer of `bytes` bytes left as the allocator gives it: the start-up regions below are written
 * before they are read (inLen, count and outLen bound every read), and zeroing their 384 KiB was
 * most of decode.wasm's instantiation (1.47 -> 0.53 ms) and of tsmkit.wasm's start. (The
 * incremental runtime, core.wasm's, zeroes every new object whatever the caller asks.)
 */
// @ts-ignore: decorator
@inline export function unzeroed<T>(bytes: i32): T { return changetype<T>(__new(bytes, idof<T>())); }

// ---- input region -------------------------------------------------------------------------
let inputBuf: ArrayBuffer = unzeroed<ArrayBuffer>(64 * 1024);
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
export const entries = unzeroed<StaticArray<u32>>(MAX_ENTRIES * 16);
// Its address: the hot path stores through it and holds no object references (each one would
// cost a shadow-stack spill in the incremental runtime).
const ENTRIES: usize = changetype<usize>(entries);
export let count: i32 = 0;
// Name ids of the open groups, for error messages ("signatureData.qeReport.reportData").
const MAX_DEPTH: i32 = 64;
const path = new StaticArray<u32>(MAX_DEPTH);
let depth: i32 = 0;

// decode.wasm runs the minimal runtime (build/build.js): no shadow stack, so the hot path pays no
// per-call stack bookkeeping, and nothing collects garbage unless asked. A decode starts at reset(),
// called first thing by an export (decode, eventlog_decode) while no object is held by a local
// alone: the safe point to collect. Success paths of the fixed layouts allocate nothing; CBOR maps,
// names and error messages do, so collect every COLLECT_EVERY decodes or as soon as memory grew.
const MINIMAL_RUNTIME = 1; // ASC_RUNTIME: 0 stub, 1 minimal, 2 incremental
const COLLECT_EVERY: u32 = 256;
let sinceCollect: u32 = 0;
let pagesAtCollect: i32 = 0;

export function reset(): void {
  count = 0;
  depth = 0;
  if (ASC_RUNTIME == MINIMAL_RUNTIME && (++sinceCollect >= COLLECT_EVERY || memory.size() > pagesAtCollect)) {
    __collect();
    sinceCollect = 0;
    pagesAtCollect = memory.size();
  }
}

function full(a: u32): bool {
  return fail(E.TOO_LARGE, "", a, "result table full");
}

@inline function push(op: u32, type: u32, name: u32, a: u32, b: u32): bool {
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
@inline export function need(field: string, offset: u32, size: u32): bool {
  return <u64>offset + <u64>size <= <u64>inLen || truncated(field, offset, size);
}
function truncated(field: string, offset: u32, size: u32): bool {
  return fail(E.TRUNCATED, fieldPath(field), offset,
    "needs " + size.toString() + " bytes at offset " + offset.toString() +
    ", input ends at " + inLen.toString());
}

@inline function openId(op: Op, id: u32, offset: u32, size: u32): bool {
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

// The emit loops read layout rows through their addresses (the objects live as long as the
// tables): a Field reference held in a local would be spilled to the incremental runtime's shadow
// stack around every call, which cost more than the entry itself.

/** Address of element i of an array of objects. */
@inline export function itemAt<V>(a: usize, i: i32): usize {
  return load<usize>(load<usize>(a, offsetof<Array<V>>("dataStart")) + (<usize>i << alignof<usize>()));
}
@inline export function lengthOf<V>(a: usize): i32 { return load<i32>(a, offsetof<Array<V>>("length_")); }

/** Emits the row at address `fd` (a Field) at `base`; the caller has checked its bytes. */
@inline export function emitRow(fd: usize, base: u32): bool {
  const type = load<T>(fd, offsetof<Field>("type"));
  const id = load<u32>(fd, offsetof<Field>("id"));
  const o = base + load<u32>(fd, offsetof<Field>("offset"));
  const size = load<u32>(fd, offsetof<Field>("size"));
  const bits = load<usize>(fd, offsetof<Field>("bits"));
  if (!bits) return push(Op.FIELD, type, id, o, size);
  // {raw, part...}: width-1 parts are booleans, wider ones numbers.
  const v = readValue(type, o);
  openId(Op.OPEN, id, 0, 0);
  push(Op.FIELD, type, RAW, o, size);
  for (let i = 0, n = lengthOf<Bits>(bits); i < n; i++) {
    const p = itemAt<Bits>(bits, i);
    const shift = load<u32>(p, offsetof<Bits>("shift"));
    const width = load<u32>(p, offsetof<Bits>("width"));
    const part = <u32>((v >> <u64>shift) & ((<u64>1 << <u64>width) - 1));
    push(Op.FIELD, width == 1 ? T.BOOL : T.UINT, load<u32>(p, offsetof<Bits>("id")), part, 0);
  }
  return close();
}
const RAW = nameId("raw");

/** Emits one layout row at `base`; rows with bit tables become {raw, part...} groups. */
export function emitField(fd: Field, base: u32): bool {
  if (!need(fd.name, base + fd.offset, fd.size)) return false;
  return emitRow(changetype<usize>(fd), base);
}

/** Emits every row of a layout at `base` (bounds-checked as a whole first). */
export function emitLayout(l: Layout, base: u32): bool {
  if (!need(l.name, base, l.size)) return false;
  if (l.plain) return emitRows(rowsOf(l), base);
  const fields = changetype<usize>(l.fields);
  for (let i = 0, n = lengthOf<Field>(fields); i < n; i++) {
    if (!emitRow(itemAt<Field>(fields, i), base)) return false;
  }
  return true;
}

/** A plain layout's entries at offset 0 (Layout.rows), made on its first emit. */
function rowsOf(l: Layout): StaticArray<u32> {
  const made = l.rows;
  if (made) return made;
  const fs = l.fields;
  const rows = new StaticArray<u32>(fs.length << 2);
  for (let i = 0; i < fs.length; i++) {
    const fd = fs[i];
    rows[i << 2] = Op.FIELD | (<u32>fd.type << 8);
    rows[(i << 2) + 1] = fd.id;
    rows[(i << 2) + 2] = fd.offset;
    rows[(i << 2) + 3] = fd.size;
  }
  l.rows = rows;
  return rows;
}

/** Appends entries `rows` with `base` added to each offset: 16 bytes per entry, one add each. */
function emitRows(rows: StaticArray<u32>, base: u32): bool {
  const n = rows.length >> 2;
  if (count + n > MAX_ENTRIES) return full(base);
  const src = changetype<usize>(rows), dst = ENTRIES + (<usize>count << 4);
  if (ASC_FEATURE_SIMD) {
    const add = i32x4.replace_lane(i32x4.splat(0), 2, base);
    for (let i = 0; i < n; i++) {
      const at = <usize>i << 4;
      v128.store(dst + at, i32x4.add(v128.load(src + at), add));
    }
  } else {
    memory.copy(dst, src, <usize>n << 4);
    for (let i = 0; i < n; i++) {
      const at = dst + (<usize>i << 4);
      store<u32>(at, load<u32>(at, 8) + base, 8);
    }
  }
  count += n;
  return true;
}

/** Offset of a named row, for code that reads a value (version, lengths) before emitting. */
export function offsetOf(l: Layout, name: string): u32 {
  const fs = l.fields;
  for (let i = 0; i < fs.length; i++) if (fs[i].name == name) return fs[i].offset;
  abort("no field " + name + " in " + l.name);
  return 0;
}
