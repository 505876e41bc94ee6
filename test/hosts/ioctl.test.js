// The ioctl backend (hosts/node/ioctl.js): request layouts against the kernel's uapi header,
// getReport over a simulated /dev/sev-guest and /dev/tdx_guest (hosts/sim/ioctl-device.js, which
// sees the raw request bytes and user pointers), and the real koffi path on this machine (no
// guest devices: ENOENT with advice; a real ioctl on /dev/null: ENOTTY).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getReport } from "../../hosts/node/report.js";
import { TsmError } from "../../hosts/node/errors.js";
import { libcDevice } from "../../hosts/node/ioctl-device.js";
import { ioctlBackend, snpGetReport, snpGetExtReport, tdxGetReport0 } from "../../hosts/node/ioctl.js";
import {
  IOCTL, LAYOUTS, getField, setFields, trimCertificates, splitExitinfo2, reportFromResponse,
} from "../../hosts/kernel/ioctl-abi.js";
import { createIoctlDevice } from "../../hosts/sim/ioctl-device.js";
import { createProvider } from "../../hosts/sim/providers/index.js";
import { decode, decodeQuote, decodeSnpReport, decodeSnpCerts } from "../../hosts/js/decode.js";

const hex = (b) => Buffer.from(b).toString("hex");
const inblob = (fill = 0x5a) => new Uint8Array(64).map((_, i) => (fill + i) & 0xff);
const ioctls = (device) => device.calls.filter((c) => c.syscall === "ioctl").map((c) => c.request);

const snpFields = (report) => {
  const r = decodeSnpReport(report);
  return { vmpl: r.vmpl, reportData: r.reportData };
};
const certGuids = (table) => decodeSnpCerts(table).entries.map((e) => e.guid);

async function rejects(promise, check) {
  try {
    await promise;
  } catch (e) {
    check(e);
    return;
  }
  assert.unreachable("expected a rejection");
}

/** Wraps a simulated device so each EXT_REPORT records the certs_len its request carried. */
function certsLenSpy(device) {
  const seen = [];
  const G = LAYOUTS.snp_guest_request_ioctl, L = LAYOUTS.snp_ext_report_req;
  return {
    seen,
    device: {
      ...device,
      ioctl(fd, request, address) {
        if (request === IOCTL.SNP_GET_EXT_REPORT) {
          const req = device.peek(getField(device.peek(address, G.size), G, "req_data"), L.size);
          seen.push(getField(req, L, "certs_len"));
        }
        return device.ioctl(fd, request, address);
      },
    },
  };
}

// ---- ABI -------------------------------------------------------------------------------------

test("ioctl numbers and struct sizes are the spec's (section 4)", () => {
  assert.is(IOCTL.SNP_GET_REPORT, 0xc0205300);
  assert.is(IOCTL.SNP_GET_DERIVED_KEY, 0xc0205301);
  assert.is(IOCTL.SNP_GET_EXT_REPORT, 0xc0205302);
  assert.is(IOCTL.TDX_CMD_GET_REPORT0, 0xc4405401);
  const sizes = Object.fromEntries(Object.values(LAYOUTS).map((l) => [l.name, l.size]));
  assert.equal(sizes, {
    snp_guest_request_ioctl: 32, snp_report_req: 96, snp_ext_report_req: 112, snp_report_resp: 4000,
    tdx_report_req: 1088, snpCertEntry: 24,
  });
  for (const l of Object.values(LAYOUTS)) {
    for (const [name, off, size] of l.fields) assert.ok(off + size <= l.size, `${l.name}.${name} inside the struct`);
  }
});

test("SEV layouts and ioctl numbers match the kernel's own uapi header, compiled", () => {
  const dir = mkdtempSync(join(tmpdir(), "tsmkit-uapi-"));
  try {
    const fields = [
      ["snp_guest_request_ioctl", ["msg_version", "req_data", "resp_data", "exitinfo2"]],
      ["snp_report_req", ["user_data", "vmpl", "rsvd"]],
      ["snp_ext_report_req", ["certs_address", "certs_len"]],
    ];
    const lines = fields.flatMap(([s, fs]) => [
      `printf("%s %zu\\n", "${s}", sizeof(struct ${s}));`,
      ...fs.map((f) => `printf("%s.%s %zu %zu\\n", "${s}", "${f}", offsetof(struct ${s}, ${f}), sizeof(((struct ${s} *)0)->${f}));`),
    ]);
    lines.push(`printf("snp_report_resp %zu\\n", sizeof(struct snp_report_resp));`);
    for (const n of ["SNP_GET_REPORT", "SNP_GET_DERIVED_KEY", "SNP_GET_EXT_REPORT"]) lines.push(`printf("${n} %lu\\n", (unsigned long)${n});`);
    writeFileSync(join(dir, "u.c"), `#include <stdio.h>\n#include <stddef.h>\n#include <sys/ioctl.h>\n#include <linux/sev-guest.h>\nint main(void){${lines.join("\n")}return 0;}\n`);
    const cc = spawnSync("cc", ["-o", join(dir, "u"), join(dir, "u.c")], { encoding: "utf8" });
    assert.is(cc.status, 0, cc.stderr);
    const out = spawnSync(join(dir, "u"), { encoding: "utf8" }).stdout.trim().split("\n").map((l) => l.split(" "));
    for (const [key, a, b] of out) {
      if (key in IOCTL) { assert.is(IOCTL[key], Number(a), key); continue; }
      const [s, f] = key.split(".");
      if (!f) { assert.is(LAYOUTS[s].size, Number(a), key); continue; }
      // ext report's embedded snp_report_req is checked through snp_report_req itself.
      const [, off, size] = LAYOUTS[s].fields.find(([n]) => n === f);
      assert.equal([off, size], [Number(a), Number(b)], key);
    }
    assert.ok(out.length >= 14);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("exitinfo2 splits into fw_error (low 32 bits) and vmm_error (high 32 bits)", () => {
  assert.equal(splitExitinfo2(1n << 32n), { fwError: 0, vmmError: 1, meaning: "certificate buffer too small" });
  assert.equal(splitExitinfo2((2n << 32n) | 5n), { fwError: 5, vmmError: 2, meaning: "host busy" });
  assert.equal(splitExitinfo2(0x16n), { fwError: 0x16, vmmError: 0, meaning: "firmware: invalid parameter" });
  assert.equal(splitExitinfo2(-1n), { fwError: 0xffffffff, vmmError: 0xffffffff, meaning: "no firmware call was made" });
});

// One row per table shape: [what, entries {offset, length}, buffer size, auxblob length].
const TABLES = [
  ["no certificates (all-zero first entry)", [], 4096, 0],
  ["length = furthest offset + length, not the buffer", [{ offset: 72, length: 100 }, { offset: 172, length: 30 }], 4096, 202],
  ["out-of-order entries", [{ offset: 300, length: 10 }, { offset: 72, length: 100 }], 4096, 310],
  ["an entry past the buffer is capped at the buffer", [{ offset: 72, length: 9000 }], 8192, 8192],
];
for (const [what, entries, size, want] of TABLES) {
  test(`certificate table trimming: ${what}`, () => {
    const buf = new Uint8Array(size);
    entries.forEach((e, i) => setFields(buf, LAYOUTS.snpCertEntry, { guid: new Uint8Array(16).fill(i + 1), ...e }, i * 24));
    assert.is(trimCertificates(buf).length, want);
  });
}

test("certificate table without a terminating entry stops at the buffer's end", () => {
  const buf = new Uint8Array(48);
  setFields(buf, LAYOUTS.snpCertEntry, { guid: new Uint8Array(16).fill(1), offset: 0, length: 40 }, 0);
  setFields(buf, LAYOUTS.snpCertEntry, { guid: new Uint8Array(16).fill(2), offset: 0, length: 44 }, 24);
  assert.is(trimCertificates(buf).length, 44);
});

// ---- SEV-SNP over the simulated /dev/sev-guest ------------------------------------------------

test("sev_guest: getReport over SNP_GET_EXT_REPORT gives the configfs result: report without header, vmpl = privlevel, trimmed certificate table", async () => {
  const gen = createProvider("sev_guest");
  const { auxblob: table } = await gen.reportNew({ inblob: inblob(), privlevel: 0 });
  const device = createIoctlDevice({ provider: gen });
  const backend = await ioctlBackend.open({ device });
  assert.is(backend.provider, "sev_guest");
  const r = await getReport({ inblob: inblob(1), privlevel: 2 }, { backend });
  assert.is(r.provider, "sev_guest");
  assert.is(r.attempts, 1);
  assert.type(r.generation, "number");
  assert.is(r.outblob.length, 0x4a0, "the raw ATTESTATION_REPORT, MSG_REPORT_RSP header dropped");
  assert.equal(snpFields(r.outblob), { vmpl: 2, reportData: hex(inblob(1)) });
  assert.equal(r.auxblob, table, "the table as the provider made it, not the 8 KiB buffer");
  assert.equal(certGuids(r.auxblob), [
    "63da758d-e664-4564-adc5-f4b93be8accd", "4ab7b379-bbac-4fe4-a02f-05aef327c782", "c0b406a4-a803-4952-9743-3fb6014cd0ae",
  ]);
});

test("sev_guest: a certificate buffer too small is retried once with the size the device wrote back", async () => {
  const sim = createIoctlDevice({ provider: "sev_guest" });
  const spy = certsLenSpy(sim);
  const r = await getReport({ inblob: inblob() }, { backend: await ioctlBackend.open({ device: spy.device }) });
  assert.equal(spy.seen, [4096, 8192]);
  assert.ok(r.auxblob.length > 4096 && r.auxblob.length <= 8192);
  assert.equal(ioctls(sim), [IOCTL.SNP_GET_EXT_REPORT, IOCTL.SNP_GET_EXT_REPORT]);
});

test("sev_guest: a host asking for more than 16 KiB of certificates fails with EIO (as configfs's 16 KiB buffer does), no second try", async () => {
  const gen = createProvider("sev_guest");
  const big = { name: "sev_guest", reportNew: async (req) => ({ ...(await gen.reportNew(req)), auxblob: new Uint8Array(16385).fill(1) }) };
  const sim = createIoctlDevice({ provider: big });
  const spy = certsLenSpy(sim);
  await rejects(getReport({ inblob: inblob() }, { backend: await ioctlBackend.open({ device: spy.device }) }), (e) => {
    assert.instance(e, TsmError);
    assert.is(e.code, "EIO");
  });
  assert.equal(spy.seen, [4096]);
});

test("sev_guest: the too-small answer carries vmm_error 1 and the required size", async () => {
  const device = createIoctlDevice({ provider: "sev_guest" });
  const fd = device.open("/dev/sev-guest");
  await rejects(snpGetExtReport(device, fd, { userData: inblob(), certsLen: 4096 }), (e) => {
    assert.is(e.code, "EIO");
    assert.is(e.vmmError, 1);
    assert.is(e.fwError, 0);
    assert.is(e.certsLen, 8192);
    assert.match(e.message, "certificate buffer too small");
  });
});

test("sev_guest: extended = false uses SNP_GET_REPORT (no certificates)", async () => {
  const device = createIoctlDevice({ provider: "sev_guest" });
  const r = await getReport({ inblob: inblob(7), privlevel: 1 }, { backend: await ioctlBackend.open({ device, extended: false }) });
  assert.equal(ioctls(device), [IOCTL.SNP_GET_REPORT]);
  assert.equal(snpFields(r.outblob), { vmpl: 1, reportData: hex(inblob(7)) });
  assert.equal(r.auxblob, new Uint8Array(0), "auxblob shown but empty, as configfs reads it with no certificates");
});

// Firmware status in MSG_REPORT_RSP -> errno, as the configfs provider maps it (spec 3.2 step 4).
const FIRMWARE = [
  ["INVALID_PARAM 0x16", { status: 0x16 }, 1, "EINVAL"],
  ["INVALID_KEY 0x27", { status: 0x27 }, 1, "EINVAL"],
  ["another status (0x05)", { status: 0x05 }, 1, "ENXIO"],
  ["vmpl below the guest's VMPL (firmware: INVALID_PARAM)", { guestVmpl: 2 }, 1, "EINVAL"],
  ["host error with exitinfo2", { hostError: { code: "EIO", fwError: 0, vmmError: 2 } }, 1, "EIO"],
];
for (const [what, opts, privlevel, code] of FIRMWARE) {
  test(`sev_guest: ${what} -> ${code}`, async () => {
    for (const extended of [true, false]) {
      const device = createIoctlDevice({ provider: "sev_guest", ...opts });
      await rejects(getReport({ inblob: inblob(), privlevel }, { backend: await ioctlBackend.open({ device, extended }) }), (e) => {
        assert.instance(e, TsmError);
        assert.is(e.code, code);
        assert.is(e.attribute, "auxblob");
      });
      assert.is(ioctls(device).length, 1);
    }
  });
}

test("sev_guest: exitinfo2 of a failed request reaches the caller split", async () => {
  const device = createIoctlDevice({ provider: "sev_guest", hostError: { code: "EIO", fwError: 0x16, vmmError: 0 } });
  const fd = device.open("/dev/sev-guest");
  await rejects(snpGetReport(device, fd, { userData: inblob() }), (e) => {
    assert.is(e.code, "EIO");
    assert.is(e.fwError, 0x16);
    assert.is(e.vmmError, 0);
    assert.match(e.message, "fw_error 0x16");
  });
});

test("sev_guest: msg_version 0 -> EINVAL before any firmware call (nothing copied back)", async () => {
  const device = createIoctlDevice({ provider: "sev_guest" });
  const fd = device.open("/dev/sev-guest");
  for (const call of [snpGetReport, snpGetExtReport]) {
    await rejects(call(device, fd, { userData: inblob(), msgVersion: 0, certsLen: 4096 }), (e) => {
      assert.is(e.code, "EINVAL");
      assert.is(e.fwError, undefined);
    });
  }
});

test("sev_guest: certs_len that is not a multiple of 4096, or above 16 KiB -> EINVAL", async () => {
  const device = createIoctlDevice({ provider: "sev_guest" });
  const fd = device.open("/dev/sev-guest");
  for (const certsLen of [100, 4097, 20480]) {
    await rejects(snpGetExtReport(device, fd, { userData: inblob(), certsLen }), (e) => assert.is(e.code, "EINVAL", `certs_len ${certsLen}`));
  }
});

test("MSG_REPORT_RSP: report_size beyond the 4000-byte response -> ENOMEM; else exactly report_size bytes after the header", () => {
  const resp = new Uint8Array(4000).map((_, i) => i & 0xff);
  setFields(resp, LAYOUTS.snp_report_resp, { status: 0, report_size: 3969 });
  assert.throws(() => reportFromResponse(resp), (e) => e.code === "ENOMEM");
  setFields(resp, LAYOUTS.snp_report_resp, { report_size: 10 });
  assert.equal(reportFromResponse(resp), resp.slice(32, 42));
});

// ---- TDX over the simulated /dev/tdx_guest ----------------------------------------------------

test("tdx_guest: getReport over TDX_CMD_GET_REPORT0 gives a TDREPORT (not a quote) with reportData = inblob", async () => {
  const gen = createProvider("tdx_guest");
  const quote = decodeQuote((await gen.reportNew({ inblob: inblob() })).outblob);
  const device = createIoctlDevice({ provider: gen });
  const backend = await ioctlBackend.open({ device });
  assert.is(backend.provider, "tdx_guest");
  const r = await getReport({ inblob: inblob(3) }, { backend });
  assert.is(r.provider, "tdx_guest");
  assert.is(r.auxblob, undefined);
  assert.equal(ioctls(device), [IOCTL.TDX_CMD_GET_REPORT0]);
  const t = decode(r.outblob);
  assert.is(t.format, "tdreport");
  assert.is(t.reportMacStruct.reportData, hex(inblob(3)));
  assert.is(t.tdInfo.mrTd, quote.body.mrTd, "the TD the simulator's quotes describe");
  assert.is(t.tdInfo.rtmr0, quote.body.rtmr0);
});

test("tdx_guest: provider faults surface with their errno", async () => {
  const device = createIoctlDevice({ provider: "tdx_guest", generator: { fault: "EBUSY" } });
  await rejects(getReport({ inblob: inblob() }, { backend: await ioctlBackend.open({ device }), retries: 0 }), (e) => {
    assert.instance(e, TsmError);
    assert.is(e.code, "EBUSY");
  });
});

// ---- request rules before any ioctl -----------------------------------------------------------

for (const provider of ["sev_guest", "tdx_guest"]) {
  test(`${provider}: an inblob of 63 bytes is a typed EINVAL before any ioctl`, async () => {
    const device = createIoctlDevice({ provider });
    await rejects(getReport({ inblob: new Uint8Array(63) }, { backend: await ioctlBackend.open({ device }) }), (e) => {
      assert.instance(e, TsmError);
      assert.is(e.code, "EINVAL");
      assert.is(e.attribute, "inblob");
    });
    assert.equal(ioctls(device), []);
  });
}

test("the marshalling itself refuses report data that is not 64 bytes, before the ioctl", async () => {
  const device = createIoctlDevice({ provider: "tdx_guest" });
  const fd = device.open("/dev/tdx_guest");
  await rejects(tdxGetReport0(device, fd, new Uint8Array(63)), (e) => {
    assert.is(e.code, "EINVAL");
    assert.is(e.field, "reportdata");
  });
  assert.equal(ioctls(device), []);
});

test("simulated device: a pointer outside the caller's memory is EFAULT, an unknown command ENOTTY", async () => {
  const device = createIoctlDevice({ provider: "sev_guest" });
  const fd = device.open("/dev/sev-guest");
  const g = device.alloc(32);
  setFields(g.bytes, LAYOUTS.snp_guest_request_ioctl, { msg_version: 1, req_data: 0x1000n, resp_data: 0x2000n });
  await rejects(device.ioctl(fd, IOCTL.SNP_GET_REPORT, g.address), (e) => assert.is(e.code, "EFAULT"));
  await rejects(device.ioctl(fd, IOCTL.SNP_GET_DERIVED_KEY + 0x10, g.address), (e) => assert.is(e.code, "ENOTTY"));
  assert.is(getField(g.bytes, LAYOUTS.snp_guest_request_ioctl, "exitinfo2"), 0xffn, "exitinfo2 copied back as the kernel set it");
});

test("a device that exists but will not open wins over a missing one: EACCES with advice", async () => {
  const sim = createIoctlDevice({ provider: "tdx_guest" });
  const device = {
    ...sim,
    open(path) {
      if (path === "/dev/tdx_guest") throw Object.assign(new Error("open: EACCES"), { code: "EACCES", errno: 13 });
      return sim.open(path);
    },
  };
  await rejects(ioctlBackend.open({ device }), (e) => {
    assert.instance(e, TsmError);
    assert.is(e.code, "EACCES");
    assert.is(e.detail, "open /dev/tdx_guest: EACCES");
    assert.match(e.advice, "run as root");
  });
});

// ---- the real koffi path on this machine ------------------------------------------------------

test("real libc: open(/dev/sev-guest) is ENOENT here, and the backend maps it to a TsmError with advice", async () => {
  assert.not.ok(existsSync("/dev/sev-guest"), "this test machine is not an SEV-SNP guest");
  try {
    libcDevice.open("/dev/sev-guest");
    assert.unreachable();
  } catch (e) {
    assert.is(e.code, "ENOENT");
    assert.is(e.errno, 2);
  }
  await rejects(ioctlBackend.open({ provider: "sev_guest" }), (e) => {
    assert.instance(e, TsmError);
    assert.is(e.code, "ENOENT");
    assert.is(e.errno, 2);
    assert.is(e.advice, "no /dev/sev-guest: not an SEV-SNP guest, or sev-guest module not loaded");
  });
  await rejects(ioctlBackend.open(), (e) => {
    assert.is(e.code, "ENOENT");
    assert.match(e.advice, "/dev/tdx_guest");
  });
});

test("real libc: a full SNP_GET_REPORT request through koffi reaches the kernel (ENOTTY from /dev/null)", async () => {
  const fd = libcDevice.open("/dev/null");
  try {
    await rejects(snpGetReport(libcDevice, fd, { userData: inblob() }), (e) => {
      assert.is(e.code, "ENOTTY");
      assert.is(e.syscall, "ioctl");
    });
    await rejects(tdxGetReport0(libcDevice, fd, inblob()), (e) => assert.is(e.code, "ENOTTY"));
  } finally {
    libcDevice.close(fd);
  }
  const m = libcDevice.alloc(96);
  try {
    setFields(m.bytes, LAYOUTS.snp_report_req, { vmpl: 3 });
    assert.type(m.address, "bigint");
    assert.ok(m.address > 0n);
    assert.is(getField(m.bytes, LAYOUTS.snp_report_req, "vmpl"), 3);
  } finally {
    m.free();
  }
});

test.run();
