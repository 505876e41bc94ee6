// Interned names: result-table entries carry a name id (an index into `names`), never a string.
// Layout rows intern their names when the tables are built; names passed as string literals are
// found by address, so the decoders' hot path does no string hashing.

export const names: string[] = [""];
const ids = new Map<string, u32>();

// Ids of string literals by address: a literal is a static object below __heap_base that never
// moves or dies, and static objects are 16-byte aligned, so address / 16 names one text. The
// slot holds id + 1 (0 = not seen yet).
const literalIds = new StaticArray<u32>(<i32>(__heap_base >> 4) + 1);

function intern(s: string): u32 {
  if (ids.has(s)) return ids.get(s);
  const id = <u32>names.length;
  names.push(s);
  ids.set(s, id);
  return id;
}

export function nameId(s: string): u32 {
  const addr = changetype<usize>(s);
  if (addr >= __heap_base) return intern(s);
  const slot = <i32>(addr >> 4);
  const seen = unchecked(literalIds[slot]);
  if (seen) return seen - 1;
  const id = intern(s);
  unchecked(literalIds[slot] = id + 1);
  return id;
}
