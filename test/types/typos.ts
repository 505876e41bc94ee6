// Compiled (not run) by test/types/types.test.js: each line marked "expect TSnnnn" is a mistake a
// caller could make, and must fail to compile with exactly that error; no other line may fail.
import { verify, makePolicy, createFetcher, type CheckName, type Fetcher, type Policy, type Verdict } from "tsmkit";
import { getReport } from "tsmkit/node";

declare const bytes: Uint8Array;
declare const verdict: Verdict;

export const p1: Policy = { mrTd: "00" }; // expect TS2353
export const p2: Policy = { mesurements: { mrTd: "00" } }; // expect TS2561
export const p3: Policy = { measurements: { mrtd: "00" } }; // expect TS2561
export const p4: Policy = { allowDebug: "no" }; // expect TS2322
export const p5: Policy = { allowedVmpls: [4] }; // expect TS2322
export const p6 = makePolicy({ allowOutofDate: true }); // expect TS2561
export const p7: Policy = { allowAnyReportdata: true }; // expect TS2561
export const v1 = verify(bytes, { polcy: {} }); // expect TS2561
export const v2 = verify(bytes, { now: true }); // expect TS2322
export const v3 = verify(bytes, { crls: [] }); // expect TS2561
export const r1 = getReport({ inblob: bytes, backend: "sim" }); // expect TS2353
export const r2 = getReport({ inblob: bytes }, { backend: "kvm" }); // expect TS2322
export const r3 = getReport({ inblob: bytes }).then((r) => r.generation + 1n); // expect TS2365
export const f1: Fetcher = { get: async () => bytes }; // expect TS2741
export const f2: Fetcher = createFetcher({ ofline: true }); // expect TS2561
export const d1 = verdict.decidedBy.startsWith("dcap."); // expect TS18047
export const s1 = verdict.status === "Uptodate"; // expect TS2367
export const n1: CheckName = "dcap.pckLeaf"; // expect TS2322
export const n2: CheckName = "policy.mrtd"; // expect TS2820
export const c1 = verdict.checks[0].supply?.includes("auxBlob"); // expect TS2345

// The right spellings compile.
export const ok: [Policy, CheckName, Promise<Verdict>] = [
  { measurements: { mrTd: ["00", "11"] }, allowedVmpls: [0, 1], minSnpTcb: { snp: 8 }, allowUncheckedRevocation: false, allowAnyReportData: false },
  "policy.mrTd",
  verify(bytes, { now: Date.now(), crl: [bytes], fetcher: createFetcher({ offline: true }), policy: makePolicy({}) }),
];
