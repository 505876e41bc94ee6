// Writes evidence structures at the offsets the core decodes them from: every offset and size
// comes from the core's own layout tables (layouts() in hosts/js/decode.js), so the simulator
// and the decoders cannot drift apart. Integers are written little-endian, as in every layout
// the simulator emits (quote, QE report, SNP report).
import { layouts } from "../js/decode.js";
import { fromHex } from "../js/bytes.js";

let table;

function layoutOf(name) {
  table ??= layouts();
  const l = table[name];
  if (!l) throw new Error(`the core exports no layout "${name}" (known: ${Object.keys(table).join(", ")})`);
  return l;
}

/**
 * Size in bytes of a core layout. The layouts JSON keys the layout's size and its fields in one
 * object, so in a layout with a field named "size" (certificationDataHeader, qeAuthDataHeader)
 * the field wins; such headers end with their last field, so their extent is their size.
 */
export function sizeOf(name) {
  const l = layoutOf(name);
  if (typeof l.size === "number") return l.size;
  return Math.max(...Object.values(l).map(([off, size]) => off + size));
}

/** [offset, size] of a field of a core layout. */
export function fieldOf(name, field) {
  const at = layoutOf(name)[field];
  if (!Array.isArray(at)) throw new Error(`layout "${name}" has no field "${field}"`);
  return at;
}

function bytesOf(v, size, where) {
  const b = typeof v === "string" ? fromHex(v) : v;
  if (!(b instanceof Uint8Array) || b.length !== size) {
    throw new RangeError(`${where} takes ${size} bytes (Uint8Array or hex), got ${b?.length ?? typeof v}`);
  }
  return b;
}

function putInt(buf, off, size, v, where) {
  let n = BigInt(v);
  if (n < 0n || n >> BigInt(8 * size)) throw new RangeError(`${where}: ${v} does not fit in ${size} bytes`);
  for (let i = 0; i < size; i++, n >>= 8n) buf[off + i] = Number(n & 0xffn);
}

/** Writes `values` ({field: number | bigint | bytes | hex}) into buf at base using layout `name`. */
export function write(buf, base, name, values) {
  for (const [field, v] of Object.entries(values)) {
    const [off, size] = fieldOf(name, field);
    const where = `${name}.${field}`;
    if (typeof v === "number" || typeof v === "bigint") putInt(buf, base + off, size, v, where);
    else buf.set(bytesOf(v, size, where), base + off);
  }
  return buf;
}

/** A zeroed structure of layout `name` with `values` written. */
export const encode = (name, values) => write(new Uint8Array(sizeOf(name)), 0, name, values);

/** Concatenates byte arrays. */
export function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

/** A little-endian unsigned integer of `size` bytes. */
export function uint(value, size) {
  const b = new Uint8Array(size);
  putInt(b, 0, size, value, "uint");
  return b;
}
