// Browser entry (ESM): the same decode and verify as Node, on the same core.wasm bytes and on
// WebCrypto. build/build.js bundles it to build/browser/tsmkit.js for pages without a bundler.
export { decode, render, locate, layouts, DecodeError } from "../js/decode.js";
export { view } from "../js/view.js";
export { verify } from "../js/verify/index.js";
