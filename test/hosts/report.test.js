// getReport end to end on the sim backend: the core's client machine against the core's kernel
// model (KernelModel) and the simulated providers. Every test also checks that no item is left behind.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getReport, TsmError, OptionError, decode } from "../../hosts/node/index.js";
import { simBackend } from "../../hosts/node/sim-backend.js";
import { KernelModel } from "../../hosts/kernel/model.js";
import { createProvider } from "../../hosts/sim/providers/index.js";
import { NULL_GUID } from "../../hosts/sim/providers/sev.js";

const nonce = (n, seed = 1) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + seed) & 0xff);
const hex = (b) => Buffer.from(b).toString("hex");
const sim = (provider, opts = {}, simOpts = {}) =>
  new KernelModel({ provider: provider ? createProvider(provider, opts) : null, ...simOpts });

/** The TsmError a request fails with (fails the test if it succeeds or throws anything else). */
async function failure(request, options) {
  try {
    await getReport(request, options);
  } catch (e) {
    assert.instance(e, TsmError);
    return e;
  }
  assert.unreachable("request succeeded");
}

// AMD SEV-SNP ABI spec, ATTESTATION_REPORT: VMPL u32 at 0x30, REPORT_DATA 64 bytes at 0x50.
const SNP_VMPL = 0x30, SNP_REPORT_DATA = 0x50;

test("tdx_guest: the quote carries the inblob as report data; auxblob hidden, item removed", async () => {
  const tsm = sim("tdx_guest");
  const r = await getReport({ inblob: nonce(64) }, { backend: "sim", sim: tsm });
  assert.is(r.provider, "tdx_guest");
  assert.is(r.attempts, 1);
  assert.is(r.generation, 1);
  assert.is(r.auxblob, undefined);
  const q = decode(r.outblob, { provider: r.provider });
  assert.is(q.format, "tdx-quote");
  assert.is(q.body.reportData, hex(nonce(64)));
  assert.equal(tsm.readdir(), []);
});

test("sev_guest at VMPL1: privlevel reaches the report's VMPL; auxblob read with it", async () => {
  const tsm = sim("sev_guest", {}, { privlevelFloor: 1 });
  const r = await getReport({ inblob: nonce(64, 3), privlevel: 2 }, { backend: "sim", sim: tsm });
  assert.is(r.provider, "sev_guest");
  assert.is(r.generation, 2, "inblob + privlevel");
  assert.is(r.outblob.length, 1184);
  assert.is(new DataView(r.outblob.buffer, r.outblob.byteOffset).getUint32(SNP_VMPL, true), 2);
  assert.is(hex(r.outblob.subarray(SNP_REPORT_DATA, SNP_REPORT_DATA + 64)), hex(nonce(64, 3)));
  assert.ok(r.auxblob.length > 0);
  assert.equal(tsm.readdir(), []);
});

test("sev_guest under an SVSM: service options written, manifestblob returned", async () => {
  const tsm = sim("sev_guest", {}, { privlevelFloor: 2, svsm: true });
  const r = await getReport({ inblob: nonce(64), serviceProvider: "svsm", serviceGuid: NULL_GUID, serviceManifestVersion: 0 },
    { backend: "sim", sim: tsm });
  assert.is(r.generation, 4, "inblob, service_provider, service_guid, service_manifest_version");
  assert.ok(r.manifestblob.length > 0);
  assert.equal(tsm.readdir(), []);
});

test("arm_cca_guest accepts a 32-byte challenge", async () => {
  const tsm = sim("arm_cca_guest", {}, { kernel: "6.16" });
  const r = await getReport({ inblob: nonce(32) }, { backend: "sim", sim: tsm });
  assert.is(r.provider, "arm_cca_guest");
  assert.ok(r.outblob.length > 0);
  assert.equal(tsm.readdir(), []);
});

const RULES = [
  ["tdx_guest 63-byte inblob", "tdx_guest", {}, { inblob: nonce(63) }, "EINVAL", "inblob"],
  ["tdx_guest 65-byte inblob", "tdx_guest", {}, { inblob: nonce(65) }, "EFBIG", "inblob"],
  ["arm_cca_guest 31-byte inblob", "arm_cca_guest", { kernel: "6.16" }, { inblob: nonce(31) }, "EINVAL", "inblob"],
  ["privlevel below the floor", "sev_guest", { privlevelFloor: 2 }, { inblob: nonce(64), privlevel: 1 }, "EINVAL", "privlevel"],
  ["privlevel unset under an SVSM", "sev_guest", { privlevelFloor: 1 }, { inblob: nonce(64) }, "EINVAL", "privlevel"],
  ["bad service_guid", "sev_guest", { svsm: true, privlevelFloor: 1 },
    { inblob: nonce(64), serviceProvider: "svsm", serviceGuid: "00000000-0000-0000-0000-000000" }, "EINVAL", "service_guid"],
  ["privlevel on tdx_guest", "tdx_guest", {}, { inblob: nonce(64), privlevel: 0 }, "ENOENT", "privlevel"],
  ["service_provider on sev_guest at VMPL0", "sev_guest", {}, { inblob: nonce(64), serviceProvider: "svsm" }, "ENOENT", "service_provider"],
  ["service_provider on a 6.7 kernel", "sev_guest", { kernel: "6.7" }, { inblob: nonce(64), serviceProvider: "svsm" }, "ENOENT", "service_provider"],
];
for (const [name, provider, simOpts, request, code, attribute] of RULES) {
  test(`refused before the report: ${name} -> ${code} on ${attribute}`, async () => {
    const tsm = sim(provider, {}, simOpts);
    const e = await failure(request, { backend: "sim", sim: tsm });
    assert.is(e.code, code);
    assert.is(e.attribute, attribute);
    if (code === "ENOENT") assert.ok(e.message.includes(provider) && e.message.includes(attribute), e.message);
    assert.equal(tsm.readdir(), []);
  });
}

test("an EBUSY from the provider is retried on a fresh item", async () => {
  const tsm = sim("tdx_guest", { fault: "EBUSY", times: 1 });
  const r = await getReport({ inblob: nonce(64) }, { backend: "sim", sim: tsm });
  assert.is(r.attempts, 2);
  assert.equal(tsm.readdir(), []);
});

test("EBUSY on every try: retries exhausted -> TsmError with attempts", async () => {
  const tsm = sim("tdx_guest", { fault: "EBUSY" });
  const e = await failure({ inblob: nonce(64) }, { backend: "sim", sim: tsm, retries: 1 });
  assert.is(e.code, "EBUSY");
  assert.is(e.attribute, "outblob");
  assert.is(e.attempts, 2);
  assert.equal(tsm.readdir(), []);
});

for (const [fault, code] of [["EIO", "EIO"], ["ETIMEDOUT", "ETIMEDOUT"], ["empty", "ENODATA"]]) {
  test(`provider fault ${fault} -> ${code}, not retried, item removed`, async () => {
    const tsm = sim("tdx_guest", { fault });
    const e = await failure({ inblob: nonce(64) }, { backend: "sim", sim: tsm });
    assert.is(e.code, code);
    assert.is(e.attempts, 1);
    assert.ok(e.advice.length > 0);
    assert.equal(tsm.readdir(), []);
  });
}

test("no provider registered: ENXIO with advice", async () => {
  const e = await failure({ inblob: nonce(64) }, { backend: "sim", sim: sim(null) });
  assert.is(e.code, "ENXIO");
  assert.ok(/provider/.test(e.advice), e.advice);
});

test("another writer on the item: the generation check catches it, a fresh item gets the right quote", async () => {
  const tsm = sim("tdx_guest");
  const inner = simBackend(tsm);
  let meddled = 0;
  const backend = {
    ...inner,
    async write(path, bytes) {
      await inner.write(path, bytes);
      // Someone else writes their nonce into our item right after our inblob, once.
      if (path.endsWith("/inblob") && !meddled++) await tsm.writeFile(path.split("/")[0], "inblob", nonce(64, 99));
    },
  };
  const r = await getReport({ inblob: nonce(64) }, { backend });
  assert.is(r.attempts, 2);
  assert.is(decode(r.outblob).body.reportData, hex(nonce(64)));
  assert.equal(tsm.readdir(), []);
});

test("concurrent requests on one simulator each get their own evidence", async () => {
  const tsm = sim("tdx_guest");
  const rs = await Promise.all([1, 2, 3, 4, 5].map((i) => getReport({ inblob: nonce(64, i) }, { backend: "sim", sim: tsm })));
  rs.forEach((r, i) => assert.is(decode(r.outblob).body.reportData, hex(nonce(64, i + 1))));
  assert.equal(tsm.readdir(), []);
});

test("an already aborted signal: ECANCELED, nothing made", async () => {
  const tsm = sim("tdx_guest");
  const reason = new Error("stop");
  const e = await failure({ inblob: nonce(64) }, { backend: "sim", sim: tsm, signal: AbortSignal.abort(reason) });
  assert.is(e.code, "ECANCELED");
  assert.is(e.cause, reason);
  assert.equal(tsm.readdir(), []);
});

test("abort while the provider works: the item is still removed", async () => {
  const tsm = sim("tdx_guest", { latencyMs: 100 });
  const ac = new AbortController();
  const p = failure({ inblob: nonce(64) }, { backend: "sim", sim: tsm, signal: ac.signal });
  setTimeout(() => ac.abort(), 20);
  const e = await p;
  assert.is(e.code, "ECANCELED");
  assert.equal(tsm.readdir(), []);
});

test("a backend bug (not an errno) is rethrown after the item is removed", async () => {
  const tsm = sim("tdx_guest");
  const inner = simBackend(tsm);
  const bug = new TypeError("backend bug");
  const backend = { ...inner, read: (path) => (path.endsWith("/outblob") ? Promise.reject(bug) : inner.read(path)) };
  try {
    await getReport({ inblob: nonce(64) }, { backend });
    assert.unreachable();
  } catch (e) {
    assert.is(e, bug);
  }
  assert.equal(tsm.readdir(), []);
});

test("configfs backend without configfs-tsm: ENOENT that says what to mount", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tsmkit-report-"));
  try {
    const e = await failure({ inblob: nonce(64) }, { backend: "configfs", root: join(dir, "tsm", "report") });
    assert.is(e.code, "ENOENT");
    assert.ok(e.advice.includes("configfs-tsm not present"), e.advice);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("bad argument types are TypeErrors, not TSM errors", async () => {
  for (const [request, options] of [[{ inblob: "x" }, {}], [{ inblob: nonce(64), privlevel: 1.5 }, {}],
    [{ inblob: nonce(64), serviceGuid: 5 }, {}], [{ inblob: nonce(64) }, { backend: "ioctl?" }], [{ inblob: nonce(64) }, { retries: -1 }]]) {
    try {
      await getReport(request, { backend: "sim", ...options });
      assert.unreachable();
    } catch (e) {
      assert.instance(e, TypeError);
    }
  }
});

test("unknown request and option keys are OptionErrors naming them and the known keys, before any backend opens", async () => {
  const cases = [
    [{ inblob: nonce(64), backend: "sim" }, {}, "request.backend", /^option request\.backend: unknown key \(known: inblob, privlevel, .*auxblob\); backend is an option: getReport\(request, \{ backend \}\)$/],
    [{ inblob: nonce(64), privLevel: 1 }, { backend: "sim" }, "request.privLevel", /^option request\.privLevel: unknown key \(known: inblob, privlevel,/],
    [{ inblob: nonce(64) }, { backend: "sim", retry: 2 }, "options.retry", /^option options\.retry: unknown key \(known: backend, root, retries,/],
    [{ inblob: nonce(64), nonce: 1, sim: 2 }, {}, "request.nonce", /unknown keys nonce, sim \(known: .*\); sim is an option/],
    // The ioctl backend would open /dev/...: the request is refused before that.
    [{ inblob: nonce(64), nonce: 1 }, { backend: "ioctl" }, "request.nonce", /request\.nonce/],
  ];
  for (const [request, options, option, message] of cases) {
    const e = await getReport(request, options).catch((x) => x);
    assert.instance(e, OptionError);
    assert.is(e.code, "BAD_OPTION");
    assert.is(e.option, option);
    assert.match(e.message, message);
  }
});

test("a report is plain data: generation is a number, JSON.stringify works and keeps it", async () => {
  const r = await getReport({ inblob: nonce(64) }, { backend: "sim", sim: sim("tdx_guest") });
  assert.type(r.generation, "number");
  assert.is(JSON.parse(JSON.stringify(r)).generation, 1);
});

test("auto backend: configfs when its root exists, else a legacy device, else configfs (whose ENOENT explains)", async () => {
  const { chooseBackend } = await import("../../hosts/node/report.js");
  const has = (...paths) => async (p) => paths.includes(p);
  assert.is(await chooseBackend({ root: "/r" }, has("/r", "/dev/sev-guest")), "configfs");
  assert.is(await chooseBackend({ root: "/r" }, has("/dev/sev-guest")), "ioctl");
  assert.is(await chooseBackend({ root: "/r" }, has("/dev/tdx_guest")), "ioctl");
  assert.is(await chooseBackend({ root: "/r" }, has()), "configfs");
  // On this machine (no configfs-tsm, no guest devices) the default ends at configfs's advice.
  const e = await getReport({ inblob: nonce(64) }, { root: "/nonexistent/tsm/report" }).catch((x) => x);
  assert.is(e.code, "ENOENT");
  assert.match(e.advice, /configfs-tsm not present/);
});

test.run();
