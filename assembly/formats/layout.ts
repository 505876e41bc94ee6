// Byte-layout tables: every format module declares its structures once, as rows of
// (name, offset, size, type), next to the spec section they come from. The decoder walks these
// rows to emit the result table, and `layouts()` exports them so host-side encoders (the
// simulator) place fields at the same offsets instead of restating them.
import { nameId } from "./names";

/** How a field's bytes are read and rendered. */
export const enum T {
  U8 = 1, U16 = 2, U32 = 3, U64 = 4, // little-endian integers; U64 renders as a decimal string
  HEX = 5, // raw bytes, rendered as lowercase hex
  TEXT = 6, // bytes rendered as a string (PEM, hostnames)
  BOOL = 7, // computed: value in the entry
  UINT = 8, // computed: value in the entry
  NAME = 9, // computed: interned string id in the entry (enum names)
  GUID = 10, // 16 bytes in RFC-4122 order, rendered 8-4-4-4-12
  U16BE = 11,
  U32BE = 12,
  CBOR_INT = 13, // a CBOR integer head (major 0, 1 or a tag's 6): a number below 2^53, else a decimal string
  NULL = 14, // computed: CBOR null
  EFI_GUID = 15, // 16 bytes of an EFI_GUID (first three groups little-endian), rendered 8-4-4-4-12
  UCS2 = 16, // CHAR16 text (UTF-16LE); decoders emit it only when every unit is printable ASCII
}

/** A named part of an integer field: width 1 renders as a boolean, wider as a number. */
export class Bits {
  id: u32; // name id, interned when the table is built so decoding never looks names up
  constructor(public name: string, public shift: u32, public width: u32) {
    this.id = nameId(name);
  }
}

export class Field {
  id: u32; // name id, interned when the table is built
  constructor(
    public name: string,
    public offset: u32,
    public size: u32,
    public type: T,
    public bits: Bits[] | null = null,
  ) {
    this.id = nameId(name);
  }
}

export class Layout {
  /**
   * The result-table entries of every row relative to offset 0 (four u32 each, as table.ts
   * pushes them), made on first emit when no row has a bit table: emitting is then one copy
   * with the base added, instead of reading each row's five members.
   */
  rows: StaticArray<u32> | null = null;
  plain: bool;
  constructor(public name: string, public size: u32, public fields: Field[]) {
    let plain = true;
    for (let i = 0; i < fields.length; i++) if (fields[i].bits) plain = false;
    this.plain = plain;
  }
}

/** Shorthands that keep the tables one row per line. */
export function f(name: string, offset: u32, size: u32, type: T, bits: Bits[] | null = null): Field {
  return new Field(name, offset, size, type, bits);
}
export function b(name: string, shift: u32, width: u32 = 1): Bits {
  return new Bits(name, shift, width);
}

/** Every layout registered by a format module, exported by `layouts()`. */
export const registry: Layout[] = [];
export function layout(name: string, size: u32, fields: Field[]): Layout {
  const l = new Layout(name, size, fields);
  registry.push(l);
  return l;
}
