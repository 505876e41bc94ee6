// The evidence as a hex view (offset, bytes, ASCII), each byte coloured by the deepest field
// locate() places it in; bytes no field claims inside the evidence are reserved, bytes after it
// trailing; signed regions are underlined; on a decode error the byte where decoding stopped is
// marked. Hovering a byte (or moving the keyboard cursor over it) reports its field; highlight()
// lights up a field's bytes from outside.
import { h } from "./dom.js";

const PALETTE = 8;
const hex2 = (b) => b.toString(16).padStart(2, "0");
const ascii = (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : "·");

/**
 * Fields with bytes, outermost first: [{ path, start, end }], and for each byte the index of the
 * deepest field holding it (-1: none). Sorting by start, then by length descending, puts every
 * field after the fields that contain it, so the last writer of a byte is its deepest field.
 */
function owners(located, n) {
  const fields = [...located].filter(([, [, len]]) => len > 0)
    .map(([path, [start, len]]) => ({ path, start, end: start + len }))
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const owner = new Int32Array(n).fill(-1);
  fields.forEach((f, i) => owner.fill(i, f.start, Math.min(f.end, n)));
  return { fields, owner };
}

/**
 * A byte map in `el`. `onField(path | null, offset)` hears which field the pointer or the
 * keyboard cursor is on. Returns { show, highlight }.
 */
export function createByteMap(el, status, onField) {
  let state = null, runs = [], lit = [], cursor = -1, perRow = 16;
  const body = h("div", { class: "hexrows" });
  el.replaceChildren(body);

  /** Bytes per row for the map's width: 16 where they fit, else 8 (phones). */
  function fit() {
    const probe = h("span", { class: "hexrows" }, "0".repeat(10));
    el.append(probe);
    const cw = probe.getBoundingClientRect().width / 10;
    probe.remove();
    return el.clientWidth >= cw * 76 ? 16 : 8;
  }

  function describe(i) {
    if (!state || i < 0 || i >= state.bytes.length) return "";
    const { fields, owner, bytes, error, end } = state;
    const f = fields?.[owner?.[i] ?? -1];
    const at = `byte ${i} (0x${i.toString(16)}) = 0x${hex2(bytes[i])}`;
    if (error && i === error.offset) return `${at}: decoding stopped here — ${error.message}`;
    if (f) return `${at}: ${f.path} [${f.start}..${f.end - 1}], ${f.end - f.start} bytes`;
    return `${at}: ${state.located ? (i >= end ? "trailing (after the evidence)" : state.gap) : "not decoded"}`;
  }

  function classOf(i) {
    const { owner, error, end, signed } = state;
    if (error && i === error.offset) return "err";
    const cls = [];
    if (!state.located) cls.push(error && i > error.offset ? "undecoded" : "raw");
    else if (owner[i] >= 0) cls.push(`c${owner[i] % PALETTE}`);
    else cls.push(i >= end ? "trail" : "rsv");
    signed.forEach((s, k) => { if (s.ranges.some(([a, b]) => i >= a && i < b)) cls.push(`sig${k}`); });
    return cls.join(" ");
  }

  function draw() {
    runs = []; lit = [];
    const { bytes } = state;
    const rows = [];
    for (let r = 0; r < bytes.length; r += perRow) {
      const hexCell = h("span", { class: "hx" }), ascCell = h("span", { class: "as" });
      let i = r;
      const stop = Math.min(r + perRow, bytes.length);
      while (i < stop) {
        const cls = classOf(i), owner = state.owner?.[i] ?? -1;
        let j = i + 1;
        while (j < stop && classOf(j) === cls && (state.owner?.[j] ?? -1) === owner) j++;
        const slice = bytes.subarray(i, j);
        const a = h("span", { class: cls, "data-at": i, "data-end": j }, Array.from(slice, hex2).join(" ") + " ");
        const b = h("span", { class: cls, "data-at": i }, Array.from(slice, ascii).join(""));
        runs.push({ start: i, end: j, els: [a, b] });
        hexCell.append(a); ascCell.append(b);
        i = j;
      }
      rows.push(h("div", { class: "hexrow" }, h("span", { class: "off" }, r.toString(16).padStart(6, "0")), hexCell, ascCell));
    }
    body.replaceChildren(...rows);
  }

  /** Lights the bytes [start, end) and scrolls the map to them; null clears. */
  function highlight(range, scroll = true) {
    for (const r of lit) r.els.forEach((e) => e.classList.remove("hl"));
    lit = range ? runs.filter((r) => r.start < range.end && r.end > range.start) : [];
    for (const r of lit) r.els.forEach((e) => e.classList.add("hl"));
    if (scroll && lit.length) {
      const row = lit[0].els[0].parentElement.parentElement;
      const top = row.offsetTop - el.offsetTop;
      if (top < el.scrollTop || top > el.scrollTop + el.clientHeight - row.offsetHeight) el.scrollTop = top - el.clientHeight / 3;
    }
  }

  function fieldAt(i) {
    const f = state?.fields?.[state.owner?.[i] ?? -1];
    return f ?? null;
  }

  function point(i, scroll) {
    status.textContent = describe(i);
    const f = fieldAt(i);
    highlight(f ?? (i >= 0 ? { start: i, end: i + 1 } : null), scroll);
    onField(f?.path ?? null, i);
  }

  body.addEventListener("mouseover", (e) => {
    const at = e.target.closest?.("[data-at]");
    if (at) point(Number(at.dataset.at), false);
  });
  el.addEventListener("mouseleave", () => { if (cursor < 0) point(-1, false); });
  // Keyboard: the map is one tab stop; arrows move a cursor byte by byte and row by row.
  el.addEventListener("keydown", (e) => {
    if (!state) return;
    const step = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -perRow, ArrowDown: perRow, PageUp: -perRow * 8, PageDown: perRow * 8 }[e.key];
    let next;
    if (step !== undefined) next = Math.max(0, Math.min(state.bytes.length - 1, Math.max(cursor, 0) + step));
    else if (e.key === "Home") next = 0;
    else if (e.key === "End") next = state.bytes.length - 1;
    else return;
    e.preventDefault();
    cursor = next;
    point(cursor, true);
  });
  el.addEventListener("blur", () => { cursor = -1; });
  new ResizeObserver(() => {
    const n = fit();
    if (n !== perRow) { perRow = n; if (state) draw(); }
  }).observe(el);

  /**
   * Shows `bytes`: with `located` (locate()'s Map) coloured by field, with `error` (a DecodeError)
   * marking its offset; `signed` lists { label, ranges: [[start, end], ...] }; `gap` names the
   * bytes inside the evidence that no field holds (reserved, or a CBOR format's own heads).
   */
  function show(bytes, { located = null, error = null, signed = [], gap = "reserved (no field)" } = {}) {
    perRow = fit();
    const o = located ? owners(located, bytes.length) : { fields: null, owner: null };
    const end = o.fields ? Math.max(0, ...o.fields.filter((f) => !f.path.includes(".")).map((f) => f.end)) : bytes.length;
    state = { bytes, located, error, signed, gap, end, ...o };
    cursor = -1;
    draw();
    status.textContent = error ? describe(error.offset) || `decoding stopped at byte ${error.offset} (end of input)` : `${bytes.length} bytes; point at a byte or a field`;
    if (error) highlight({ start: error.offset, end: error.offset + 1 });
  }

  /** Lights the field at `path` ({ start, end }) from outside, and says where it is. */
  function showField(path, range) {
    highlight(range, true);
    if (path) status.textContent = range ? `${path}: bytes ${range.start}..${range.end - 1} (0x${range.start.toString(16)}), ${range.end - range.start} bytes` : `${path}: computed, no bytes of its own`;
  }

  return { show, highlight: showField, clear: () => { state = null; body.replaceChildren(); status.textContent = ""; } };
}
