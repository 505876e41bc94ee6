// The core's report machine (assembly/tsm/request.ts) driven by scripted operation results:
// every path, retries, and the rmdir that must follow every successful mkdir.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ReportMachine } from "../../hosts/node/report.js";
import { TsmError } from "../../hosts/node/errors.js";

const enc = new TextEncoder();
const dec = new TextDecoder();
const bytes = (n, v = 0xab) => new Uint8Array(n).fill(v);

/**
 * A scripted kernel: each item has a generation that every accepted write advances (spec §2.2).
 * `hidden` attributes give ENOENT; `fail(op, n)` may return an errno name for the n-th call of
 * that op (counted per "kind path-without-item"). A new item starts at generation 0 (spec 2.1).
 */
function kernel({ provider = "tdx_guest", floor = 0, hidden = [], fail = () => undefined,
  outblob = enc.encode("EVIDENCE"), auxblob = enc.encode("CERTS"), manifestblob = enc.encode("MANIFEST") } = {}) {
  const gens = new Map();
  const calls = new Map();
  return (op) => {
    const [item, attr = ""] = op.path.split("/");
    const key = `${op.kind} ${attr}`.trim();
    const n = (calls.get(key) ?? 0) + 1;
    calls.set(key, n);
    const injected = fail(key, n, op);
    if (injected) return { errno: injected };
    if (op.kind === "mkdir") { gens.set(item, 0n); return {}; }
    if (op.kind === "rmdir") { gens.delete(item); return {}; }
    if (hidden.includes(attr)) return { errno: "ENOENT" };
    if (op.kind === "write") { gens.set(item, gens.get(item) + 1n); return {}; }
    const text = { provider: `${provider}\n`, generation: `${gens.get(item)}\n`, privlevel_floor: `${floor}\n` }[attr];
    if (text !== undefined) return { data: enc.encode(text) };
    return { data: { outblob, auxblob, manifestblob }[attr] };
  };
}

/** Runs the machine to the end against `respond`; returns the op log and the outcome. */
function run(request, respond, { retries = 3, seed = 1, abortAfter } = {}) {
  const m = new ReportMachine(request, { retries, seed });
  const log = [];
  try {
    for (let i = 0; ; i++) {
      if (i === abortAfter) m.abort();
      const op = m.op();
      log.push(op);
      if (op.kind === "done" || op.kind === "failed") break;
      if (log.length > 200) throw new Error("machine does not end");
      if (op.kind === "sleep") { m.feed(0); continue; }
      const { errno = 0, data } = respond(op);
      m.feed(errno, data);
    }
    try {
      return { log, report: m.result() };
    } catch (error) {
      assert.instance(error, TsmError);
      return { log, error };
    }
  } finally {
    m.free();
  }
}

const steps = (log) => log.map((o) => (o.kind === "sleep" || o.kind === "done" || o.kind === "failed"
  ? o.kind : `${o.kind} ${o.path.split("/")[1] ?? ""}`.trim()));

/** Every mkdir that succeeded is followed, later, by an rmdir of the same item. */
function assertCleanedUp(log, respondLog = log) {
  const made = new Set();
  for (const o of respondLog) {
    if (o.kind === "mkdir") made.add(o.path);
    if (o.kind === "rmdir") made.delete(o.path);
  }
  assert.equal([...made], [], "items left behind");
}

const TDX = { inblob: bytes(64) };

test("TDX happy path: provider first, inblob, outblob (TDX has no auxblob to read), generation, rmdir", () => {
  const { log, report } = run({ ...TDX, auxblob: true }, kernel({ hidden: ["auxblob"] }));
  assert.equal(steps(log), ["mkdir", "read provider", "write inblob", "read outblob", "read generation", "rmdir", "done"]);
  assert.is(report.provider, "tdx_guest");
  assert.is(dec.decode(report.outblob), "EVIDENCE");
  assert.is(report.auxblob, undefined, "tdx_guest never has an auxblob");
  assert.is(report.generation, 1, "a fresh item's 0 plus our one write");
  assert.is(report.attempts, 1);
  assert.equal([...log[2].data], [...bytes(64)]);
  assert.is(log[0].path, log[5].path);
  assert.ok(/^tsmkit-[0-9a-f]{8}-\d+$/.test(log[0].path), log[0].path);
});

test("SEV with privlevel: floor read, privlevel written in decimal, auxblob before outblob", () => {
  const { log, report } = run({ inblob: bytes(64), privlevel: 2, auxblob: true }, kernel({ provider: "sev_guest", floor: 1 }));
  assert.equal(steps(log), ["mkdir", "read provider", "read privlevel_floor", "write inblob",
    "write privlevel", "read auxblob", "read outblob", "read generation", "rmdir", "done"]);
  assert.is(dec.decode(log[4].data), "2");
  assert.is(dec.decode(report.auxblob), "CERTS");
  assert.is(report.generation, 2);
});

test("SVSM request writes every service option and reads the manifest", () => {
  const guid = "63da758d-e664-4564-adc5-f4b93be8accd";
  const { log, report } = run({ inblob: bytes(64), serviceProvider: "svsm", serviceGuid: guid, serviceManifestVersion: 3, auxblob: false },
    kernel({ provider: "sev_guest", floor: 2 }));
  assert.equal(steps(log), ["mkdir", "read provider", "write inblob", "write service_provider",
    "write service_guid", "write service_manifest_version", "read outblob", "read manifestblob", "read generation", "rmdir", "done"]);
  assert.is(dec.decode(log[3].data), "svsm");
  assert.is(dec.decode(log[4].data), guid);
  assert.is(dec.decode(log[5].data), "3");
  assert.is(dec.decode(report.manifestblob), "MANIFEST");
  assert.is(report.auxblob, undefined);
  assert.is(report.generation, 4, "four writes on a fresh item");
});

test("generation conflict -> rmdir, backoff, fresh item -> success", () => {
  // Another writer bumps the generation during the first attempt only.
  const k = kernel();
  let bumped = false;
  const respond = (op) => {
    const r = k(op);
    if (!bumped && op.path.endsWith("/generation") && r.data && dec.decode(r.data) === "1\n") {
      bumped = true;
      return { data: enc.encode("2\n") };
    }
    return r;
  };
  const { log, report } = run(TDX, respond);
  const s = steps(log);
  assert.equal(s.slice(0, 7), ["mkdir", "read provider", "write inblob", "read outblob", "read generation", "rmdir", "sleep"]);
  assert.equal(s.slice(7), ["mkdir", "read provider", "write inblob", "read outblob", "read generation", "rmdir", "done"]);
  assert.is.not(log[0].path, log[7].path, "the retry uses a fresh item");
  assert.ok(log[6].delayMs >= 10 && log[6].delayMs <= 20, `delay ${log[6].delayMs}`);
  assert.is(report.attempts, 2);
  assertCleanedUp(log);
});

test("retries exhausted -> EAGAIN on generation with attempts, every item removed, backoff grows", () => {
  // The generation never shows our inblob write: someone else's item state, every time.
  const k = kernel();
  const { log, error } = run(TDX, (op) => (op.path.endsWith("/generation") ? { data: enc.encode("5\n") } : k(op)), { retries: 2 });
  assert.is(error.code, "EAGAIN");
  assert.is(error.attribute, "generation");
  assert.is(error.attempts, 3);
  assert.ok(/expected/.test(error.message));
  const s = steps(log);
  assert.is(s.filter((x) => x === "mkdir").length, 3);
  assert.is(s.filter((x) => x === "rmdir").length, 3);
  assert.is(s.at(-2), "rmdir");
  const delays = log.filter((o) => o.kind === "sleep").map((o) => o.delayMs);
  assert.is(delays.length, 2);
  assert.ok(delays[0] >= 10 && delays[0] <= 20 && delays[1] >= 20 && delays[1] <= 40, String(delays));
  assertCleanedUp(log);
});

for (const errno of ["EBUSY", "EAGAIN", "EINTR"]) {
  test(`${errno} while generating is retried on a fresh item`, () => {
    const { log, report } = run(TDX, kernel({ fail: (key, n) => (key === "read outblob" && n === 1 ? errno : undefined) }));
    assert.is(report.attempts, 2);
    assert.is(steps(log).filter((x) => x === "sleep").length, 1);
    assertCleanedUp(log);
  });
}

test("EBUSY on every attempt -> typed EBUSY naming outblob", () => {
  const { log, error } = run(TDX, kernel({ fail: (key) => (key === "read outblob" ? "EBUSY" : undefined) }), { retries: 1 });
  assert.is(error.code, "EBUSY");
  assert.is(error.errno, 16);
  assert.is(error.attribute, "outblob");
  assert.is(error.attempts, 2);
  assertCleanedUp(log);
});

test("ENXIO is not retried and says the provider is gone", () => {
  const { log, error } = run(TDX, kernel({ fail: (key) => (key === "read outblob" ? "ENXIO" : undefined) }));
  assert.is(error.code, "ENXIO");
  assert.is(error.attempts, 1);
  assert.ok(/provider/.test(error.advice));
  assert.equal(steps(log).slice(-2), ["rmdir", "failed"]);
});

// Every op after mkdir, failing with a non-retryable errno: rmdir still follows, and the error
// reported is that op's, even when the rmdir fails too.
const SVSM = { inblob: bytes(64), privlevel: 2, serviceProvider: "svsm", serviceGuid: "63da758d-e664-4564-adc5-f4b93be8accd",
  serviceManifestVersion: 1, auxblob: true };
const SVSM_STEPS = ["read provider", "read privlevel_floor", "write inblob", "write privlevel",
  "write service_provider", "write service_guid", "write service_manifest_version", "read auxblob", "read outblob",
  "read manifestblob", "read generation"];
for (const at of SVSM_STEPS) {
  for (const rmdirFails of [false, true]) {
    test(`EIO at ${at}${rmdirFails ? " (and rmdir fails)" : ""} -> rmdir, original error`, () => {
      const key = at;
      const { log, error } = run(SVSM, kernel({ provider: "sev_guest", floor: 2,
        fail: (k, n) => (k === key && n === 1 ? "EIO" : k === "rmdir" && rmdirFails ? "EBUSY" : undefined) }));
      assert.is(error.code, "EIO");
      assert.is(error.attribute, key.split(" ")[1]);
      assert.is(error.attempts, 1);
      const s = steps(log);
      assert.equal(s.slice(-3), [at, "rmdir", "failed"]);
      assert.is(log.at(-2).path, log[0].path);
    });
  }
}

test("inblob of 65 bytes fails before anything is made or written", () => {
  const { log, error } = run({ inblob: bytes(65) }, kernel());
  assert.equal(steps(log), ["failed"]);
  assert.is(error.code, "EFBIG");
  assert.is(error.attribute, "inblob");
});

test("empty inblob fails before anything is made", () => {
  const { log, error } = run({ inblob: bytes(0) }, kernel());
  assert.equal(steps(log), ["failed"]);
  assert.is(error.code, "EINVAL");
});

const LENGTHS = [
  ["tdx_guest", 63, false], ["tdx_guest", 64, true], ["sev_guest", 32, false], ["sev_guest", 64, true],
  ["arm_cca_guest", 31, false], ["arm_cca_guest", 32, true], ["arm_cca_guest", 48, true], ["arm_cca_guest", 64, true],
];
for (const [provider, n, ok] of LENGTHS) {
  test(`${provider} with a ${n}-byte inblob ${ok ? "is written" : "fails before the write"}`, () => {
    const { log, report, error } = run({ inblob: bytes(n) }, kernel({ provider }));
    if (ok) {
      assert.is(report.provider, provider);
      return;
    }
    assert.is(error.code, "EINVAL");
    assert.is(error.attribute, "inblob");
    assert.ok(error.message.includes(provider) && error.message.includes(String(n)), error.message);
    assert.equal(steps(log), ["mkdir", "read provider", "rmdir", "failed"]);
  });
}

test("privlevel below privlevel_floor fails before any write", () => {
  const { log, error } = run({ inblob: bytes(64), privlevel: 1 }, kernel({ provider: "sev_guest", floor: 2 }));
  assert.is(error.code, "EINVAL");
  assert.is(error.attribute, "privlevel");
  assert.ok(/privlevel 1 .*privlevel_floor is 2/.test(error.message), error.message);
  assert.equal(steps(log), ["mkdir", "read provider", "read privlevel_floor", "rmdir", "failed"]);
});

test("sev_guest under an SVSM with privlevel unset: the firmware would refuse VMPL0, so fail first", () => {
  const { log, error } = run({ inblob: bytes(64) }, kernel({ provider: "sev_guest", floor: 1 }));
  assert.is(error.code, "EINVAL");
  assert.is(error.attribute, "privlevel");
  assert.ok(/unset/.test(error.message) && /between 1 and 3/.test(error.advice), error.message + error.advice);
  assert.equal(steps(log), ["mkdir", "read provider", "read privlevel_floor", "rmdir", "failed"]);
});

test("sev_guest at VMPL0 with privlevel unset reads the floor and goes on", () => {
  const { log, report } = run({ inblob: bytes(64), auxblob: false }, kernel({ provider: "sev_guest", floor: 0 }));
  assert.equal(steps(log), ["mkdir", "read provider", "read privlevel_floor", "write inblob",
    "read outblob", "read generation", "rmdir", "done"]);
  assert.is(report.generation, 1);
});

test("privlevel above 3 fails before anything is made", () => {
  const { log, error } = run({ inblob: bytes(64), privlevel: 4 }, kernel());
  assert.equal(steps(log), ["failed"]);
  assert.is(error.attribute, "privlevel");
});

for (const guid of ["00000000-0000-0000-0000-000000", "63da758de664-4564-adc5-f4b93be8accd0", "63da758d-e664-4564-adc5-f4b93be8accg",
  "63da758d-e664-4564-adc5-f4b93be8accd-", "63da758d_e664_4564_adc5_f4b93be8accd"]) {
  test(`service_guid "${guid}" is rejected before anything is made`, () => {
    const { log, error } = run({ inblob: bytes(64), serviceProvider: "svsm", serviceGuid: guid }, kernel());
    assert.equal(steps(log), ["failed"]);
    assert.is(error.code, "EINVAL");
    assert.is(error.attribute, "service_guid");
  });
}

test("service_manifest_version above 32 bits is ERANGE before anything is made", () => {
  const { log, error } = run({ inblob: bytes(64), serviceManifestVersion: 2 ** 32 }, kernel());
  assert.equal(steps(log), ["failed"]);
  assert.is(error.code, "ERANGE");
});

test("privlevel on tdx_guest: error names the provider and the option", () => {
  const { log, error } = run({ inblob: bytes(64), privlevel: 0 }, kernel({ hidden: ["privlevel", "privlevel_floor", "auxblob"] }));
  assert.is(error.code, "ENOENT");
  assert.is(error.attribute, "privlevel");
  assert.ok(error.message.includes("tdx_guest") && error.message.includes("privlevel"), error.message);
  assert.equal(steps(log).slice(-2), ["rmdir", "failed"]);
});

test("service_provider on sev_guest at VMPL0 (hidden): error names the provider and the option", () => {
  const { error, log } = run({ inblob: bytes(64), serviceProvider: "svsm" },
    kernel({ provider: "sev_guest", hidden: ["service_provider", "service_guid", "service_manifest_version", "manifestblob"] }));
  assert.is(error.code, "ENOENT");
  assert.is(error.attribute, "service_provider");
  assert.ok(error.message.includes("sev_guest"), error.message);
  assertCleanedUp(log);
});

test("sev_guest only knows the svsm service provider", () => {
  const { error } = run({ inblob: bytes(64), serviceProvider: "other" }, kernel({ provider: "sev_guest" }));
  assert.is(error.code, "EINVAL");
  assert.is(error.attribute, "service_provider");
});

test("empty outblob is an error, not evidence", () => {
  const { log, error } = run(TDX, kernel({ outblob: new Uint8Array(0) }));
  assert.is(error.code, "ENODATA");
  assert.is(error.attribute, "outblob");
  assert.equal(steps(log).slice(-2), ["rmdir", "failed"]);
});

test("missing report root: mkdir ENOENT explains configfs-tsm, nothing to remove", () => {
  const { log, error } = run(TDX, kernel({ fail: (k) => (k === "mkdir" ? "ENOENT" : undefined) }));
  assert.equal(steps(log), ["mkdir", "failed"]);
  assert.is(error.code, "ENOENT");
  assert.ok(error.advice.includes("configfs-tsm not present") && error.advice.includes("mount -t configfs"), error.advice);
});

test("EACCES says permissions; ENOTTY and ETIMEDOUT carry advice", () => {
  for (const [errno, key, re] of [["EACCES", "mkdir", /permission/], ["ENOTTY", "read outblob", /VMPCK/], ["ETIMEDOUT", "read outblob", /in time/]]) {
    const { error } = run(TDX, kernel({ fail: (k) => (k === key ? errno : undefined) }));
    assert.is(error.code, errno);
    assert.ok(re.test(error.advice), error.advice);
  }
});

test("EEXIST on mkdir picks another name without a retry", () => {
  const { log, report } = run(TDX, kernel({ fail: (k, n) => (k === "mkdir" && n === 1 ? "EEXIST" : undefined) }));
  assert.is(report.attempts, 1);
  assert.equal(steps(log).slice(0, 2), ["mkdir", "mkdir"]);
  assert.is.not(log[0].path, log[1].path);
});

test("abort between ops still removes the item and fails with ECANCELED", () => {
  const { log, error } = run(TDX, kernel(), { abortAfter: 3 });
  assert.is(error.code, "ECANCELED");
  assert.equal(steps(log), ["mkdir", "read provider", "write inblob", "rmdir", "failed"]);
});

test("abort during the backoff sleep fails at once (the item is already gone)", () => {
  const { log, error } = run(TDX, kernel({ fail: (k) => (k === "read outblob" ? "EBUSY" : undefined) }), { abortAfter: 6 });
  assert.is(error.code, "ECANCELED");
  assert.equal(steps(log).slice(-3), ["rmdir", "sleep", "failed"]);
});

test("a final generation is parsed as an exact u64 (2^64-1 is a conflict, reported digit for digit)", () => {
  const k = kernel();
  const { error } = run(TDX, (op) => (op.path.endsWith("/generation") ? { data: enc.encode("18446744073709551615\n") } : k(op)), { retries: 0 });
  assert.is(error.code, "EAGAIN");
  assert.match(error.message, /generation is 18446744073709551615, expected 1/);
});

test("a generation that is not a number is EBADMSG", () => {
  const k = kernel();
  const { error, log } = run(TDX, (op) => (op.path.endsWith("/generation") ? { data: enc.encode("x\n") } : k(op)));
  assert.is(error.code, "EBADMSG");
  assertCleanedUp(log);
});

test("a failed rmdir after a good report keeps the evidence and says the item was left", () => {
  const { report, log } = run(TDX, kernel({ fail: (k) => (k === "rmdir" ? "EBUSY" : undefined) }));
  assert.is(dec.decode(report.outblob), "EVIDENCE");
  assert.equal(report.cleanup, { code: "EBUSY", item: log[0].path });
});

test.run();
