// Interned names: result-table entries carry a name id (an index into `names`), never a string.
// Layout rows intern their names when the tables are built; names passed as string literals are
// found by address in a small cache, so the decoders' hot path does no string hashing.

export const names: string[] = [""];
const ids = new Map<string, u32>();

// Direct-mapped cache from a string's address to its id. Only static strings (string literals,
// below __heap_base) are cached: they never move or die, so an address always means one text.
const SLOTS: usize = 512;
const slotAddr = new StaticArray<usize>(<i32>SLOTS);
const slotId = new StaticArray<u32>(<i32>SLOTS);

function intern(s: string): u32 {
  if (ids.has(s)) return ids.get(s);
  const id = <u32>names.length;
  names.push(s);
  ids.set(s, id);
  return id;
}

export function nameId(s: string): u32 {
  const addr = changetype<usize>(s);
  const slot = <i32>((addr >> 4) & (SLOTS - 1)); // static objects are 16-byte aligned
  if (unchecked(slotAddr[slot]) == addr) return unchecked(slotId[slot]);
  const id = intern(s);
  if (addr < __heap_base) {
    unchecked(slotAddr[slot] = addr);
    unchecked(slotId[slot] = id);
  }
  return id;
}
