// Every bad request the spec names, through getReport on the real FUSE mount: each gives its
// typed TsmError (errno, attribute, advice) and leaves no item behind.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startMount } from "../../hosts/sim/mount-process.js";
import { getReport } from "../../hosts/node/report.js";
import { TsmError } from "../../hosts/node/errors.js";

const work = mkdtempSync(join(tmpdir(), "tsmkit-mount-errors-"));
const mounts = {};
test.before(async () => {
  mounts.tdx = await startMount(join(work, "tdx"), { provider: "tdx_guest" });
  mounts.sev = await startMount(join(work, "sev"), { provider: "sev_guest", privlevelFloor: 1, svsm: true });
});
test.after(async () => {
  for (const m of Object.values(mounts)) await m.stop();
  rmSync(work, { recursive: true, force: true });
});

const bytes = (n) => new Uint8Array(n).fill(7);
const CASES = [
  ["65-byte inblob", "tdx", { inblob: bytes(65) }, "EFBIG", "inblob"],
  ["63-byte inblob for TDX", "tdx", { inblob: bytes(63) }, "EINVAL", "inblob"],
  ["privlevel option on TDX", "tdx", { inblob: bytes(64), privlevel: 1 }, "ENOENT", "privlevel"],
  ["privlevel below the floor", "sev", { inblob: bytes(64), privlevel: 0 }, "EINVAL", "privlevel"],
  ["privlevel unset under an SVSM (asks for VMPL0)", "sev", { inblob: bytes(64) }, "EINVAL", "privlevel"],
  ["malformed service GUID", "sev", { inblob: bytes(64), privlevel: 1, serviceProvider: "svsm", serviceGuid: "00000000-0000-0000-0000-000000" }, "EINVAL", "service_guid"],
  ["service provider other than svsm", "sev", { inblob: bytes(64), privlevel: 1, serviceProvider: "tpm" }, "EINVAL", "service_provider"],
];

for (const [name, which, request, code, attribute] of CASES) {
  test(`${name}: ${code} on ${attribute}, no item left`, async () => {
    const root = join(mounts[which].dir, "report");
    const e = await getReport(request, { root }).catch((x) => x);
    assert.instance(e, TsmError);
    assert.is(e.code, code, e.message);
    assert.is(e.attribute, attribute, e.message);
    assert.ok(e.advice.length > 0, "advice given");
    assert.equal(readdirSync(root), []);
  });
}

test("a good request on the same mounts still works (the failures changed nothing)", async () => {
  const tdx = await getReport({ inblob: bytes(64) }, { root: join(mounts.tdx.dir, "report") });
  assert.is(tdx.provider, "tdx_guest");
  const sev = await getReport({ inblob: bytes(64), privlevel: 1 }, { root: join(mounts.sev.dir, "report") });
  assert.is(sev.provider, "sev_guest");
  assert.equal(readdirSync(join(mounts.sev.dir, "report")), []);
});

test("missing root: ENOENT that says configfs-tsm is absent and what to mount", async () => {
  const e = await getReport({ inblob: bytes(64) }, { root: join(work, "no", "such", "report") }).catch((x) => x);
  assert.is(e.code, "ENOENT");
  assert.match(e.advice, /configfs-tsm not present.*mount -t configfs/);
});

test.run();
