// The few DOM helpers the inspector's views share: element creation and copy buttons.

/**
 * An element: h("p", { class: "x", onclick }, "text", child). Attributes starting with "on" are
 * listeners; null/false attributes and children are skipped.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) if (c != null && c !== false) el.append(c);
  return el;
}

/** A button that copies `text()` (computed on click) and says so for a moment. */
export function copyButton(label, text) {
  const b = h("button", { type: "button", class: "copy", "aria-label": `copy ${label}`, title: `copy ${label}` }, "copy");
  b.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(text());
      b.textContent = "copied";
    } catch {
      b.textContent = "blocked"; // clipboard needs a secure context (https, localhost or 127.0.0.1)
    }
    setTimeout(() => { b.textContent = "copy"; }, 1200);
  });
  return b;
}
