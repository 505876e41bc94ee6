// tsmkit's portable API (Node, browsers, bundlers): decode evidence with the Wasm core and
// verify it on WebCrypto. Acquisition lives in tsmkit/node (it needs a filesystem or ioctls).
export { decode, render, locate, layouts, DecodeError, decodeQuote, decodeTdreport, decodeSnpReport, decodeSnpCerts } from "./decode.js";
export { view } from "./view.js";
export { FORMATS, PROVIDER_FORMATS } from "./formats.js";
export { verify, makePolicy, policyFromJson, DEFAULT_POLICY, PolicyError, OptionError, createFetcher, MemoryCache, FetchError } from "./verify/index.js";
export { classifyCollateral } from "./verify/dcap/collateral-files.js";
export { decodeEventLog, renderEventLog, extendRegister } from "./eventlog.js";
export { replayMatches } from "./verify/index.js";
export { parseRuntimeLog, formatRuntimeRecord, formatRuntimeHeader, RuntimeLogError } from "./runtime-log.js";
