// Shape slots for hosts that compile one builder per table shape (hosts/js/shape.js): a shape is
// the sequence of entries' [op | type << 8, name id], the first 8 bytes of each entry. Comparing
// the new table with a known shape here, 8 bytes per entry, costs a fraction of doing it in JS.
// A slot per entry count modulo SLOTS; tables longer than MAX entries are never pinned.
import { entries, count } from "./table";

const SLOTS: i32 = 8;
const MAX: i32 = 512;
const sigs = new StaticArray<u64>(SLOTS * MAX);
const lens = new StaticArray<i32>(SLOTS);

@inline function slotAt(slot: i32): usize {
  return changetype<usize>(sigs) + (<usize>(slot * MAX) << 3);
}

/** Keeps the last table's shape in its slot; false when it is too long to keep. */
export function shapePin(): bool {
  if (count > MAX) return false;
  const slot = count & (SLOTS - 1);
  const dst = slotAt(slot), src = changetype<usize>(entries);
  for (let i = 0; i < count; i++) store<u64>(dst + (<usize>i << 3), load<u64>(src + (<usize>i << 4)));
  unchecked(lens[slot] = count);
  return true;
}

/** Whether the last table has the shape pinned in its slot. */
export function shapeSame(): bool {
  if (count > MAX) return false;
  const slot = count & (SLOTS - 1);
  if (unchecked(lens[slot]) != count) return false;
  const sig = slotAt(slot), src = changetype<usize>(entries);
  for (let i = 0; i < count; i++) {
    if (load<u64>(sig + (<usize>i << 3)) != load<u64>(src + (<usize>i << 4))) return false;
  }
  return true;
}
