// The benchmark suites, in run order. A suite is a module exporting
//   name, title, and async run(ctx) -> { rows: [{ label, ours, peer, peerName, ... }], notes: [] }
// and, if it needs an engine that `npm install` alone does not give, missing() -> null, or what
// is missing and how to get it (run.js prints that and goes on with the other suites).
// where ours/peer are { ns } from ctx.compare (measure.js) or null when not available; run.js
// prints every suite's rows in one table shape (label, ours ns/op, peer ns/op, ratio).
// Rows may carry `target` (ours at least that many times faster than the peer) or `within` (ours
// at most that many times the peer's time); run.js prints whether it is met. A target that is not
// a time ratio (memory, bytes) is a line in `targets: []` (also printed among the notes), so
// --markdown lists every target of the run.
export const SUITES = [
  { name: "decode", load: () => import("./decode.js") },
  { name: "acquire", load: () => import("./acquire.js") },
  { name: "wasi", load: () => import("./wasi.js") },
  { name: "verify", load: () => import("./verify.js") },
  { name: "cca", load: () => import("./cca.js") },
  { name: "payload", load: () => import("./payload.js") },
];
