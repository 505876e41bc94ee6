// Merges a Wasm module's active data segments into one. Binaryen splits the static data at every
// run of zeros (1,400 segments for decode.wasm), and each segment's header costs more once gzipped
// than the zeros it skips: one segment makes the embedded, gzipped core ~3.7 KB smaller. Modules
// with anything but active i32.const segments of memory 0 come back unchanged.

function reader(b, p) {
  const r = {
    p,
    u() { let v = 0, s = 0, x; do { x = b[r.p++]; v += (x & 127) * 2 ** s; s += 7; } while (x & 128); return v; },
    s() { let v = 0, s = 0, x; do { x = b[r.p++]; v |= (x & 127) << s; s += 7; } while (x & 128); return s < 32 && x & 64 ? v | (-1 << s) : v; },
  };
  return r;
}
const uleb = (v) => { const a = []; do { let x = v & 127; v = Math.floor(v / 128); if (v) x |= 128; a.push(x); } while (v); return a; };
function sleb(v) {
  const a = [];
  for (;;) {
    const x = v & 127;
    v >>= 7;
    if ((v === 0 && !(x & 64)) || (v === -1 && x & 64)) return [...a, x];
    a.push(x | 128);
  }
}

/** `wasm` (bytes) with its data segments merged into one, or `wasm` itself when it cannot be. */
export function mergeDataSegments(wasm) {
  const parts = [wasm.subarray(0, 8)];
  let merged = false;
  for (let r = reader(wasm, 8); r.p < wasm.length;) {
    const start = r.p, id = wasm[r.p++], size = r.u(), end = r.p + size;
    if (id === 11) {
      const segments = [];
      for (let n = r.u(); n > 0; n--) {
        if (r.u() !== 0 || wasm[r.p++] !== 0x41) return wasm; // active, memory 0, i32.const offset
        const offset = r.s();
        if (wasm[r.p++] !== 0x0b) return wasm;
        const len = r.u();
        segments.push([offset, wasm.subarray(r.p, r.p + len)]);
        r.p += len;
      }
      if (!segments.length) return wasm;
      const low = Math.min(...segments.map(([o]) => o));
      const bytes = new Uint8Array(Math.max(...segments.map(([o, d]) => o + d.length)) - low);
      for (const [o, d] of segments) bytes.set(d, o - low);
      const body = [...uleb(1), 0, 0x41, ...sleb(low), 0x0b, ...uleb(bytes.length)];
      parts.push(Uint8Array.from([11, ...uleb(body.length + bytes.length), ...body]), bytes);
      merged = true;
    } else if (id === 12) {
      parts.push(Uint8Array.from([12, 1, 1])); // data count: one segment
    } else {
      parts.push(wasm.subarray(start, end));
    }
    r.p = end;
  }
  return merged ? Buffer.concat(parts) : wasm;
}
