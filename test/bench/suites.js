// The benchmark suites, in run order. A suite is a module exporting
//   name, title, and async run(ctx) -> { rows: [{ label, ours, peer, peerName, ... }], notes: [] }
// where ours/peer are { ns } from ctx.compare (measure.js) or null when not available; run.js
// prints every suite's rows in one table shape (label, ours ns/op, peer ns/op, ratio).
//
// Extension points for suites still to come (same module shape, add a line below):
//   acquire.js   getReport() vs a hand-written fs sequence on the FUSE mount (hosts/sim/mount.js)
//   wasi.js      WASI command cold start under wasmtime vs a hello-world module
//   verify.js    verify() vs the WebCrypto floor (the signature checks alone)
export const SUITES = [
  { name: "decode", load: () => import("./decode.js") },
];
