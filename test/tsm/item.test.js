// The kernel model against spec sections 1-3 (configfs-tsm.md), row by row, for every kernel
// profile. Driven through KernelModel with a tiny deterministic generator: kernel semantics need no
// signed evidence, only bytes that show which request produced them.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { KernelModel } from "../../hosts/kernel/model.js";

const KERNELS = ["6.7", "6.11", "6.16", "7.0"];
const FIXED = { "6.7": false, "6.11": false, "6.16": true, "7.0": true }; // fba4ceaa242d
const BLOB_MAX = { "6.7": 32768, "6.11": 32768, "6.16": 32768, "7.0": 16 << 20 };
const TDX_QUOTE_MAX = { "6.7": 8168, "6.11": 8168, "6.16": 8168, "7.0": 131048 };
const SEV_FLOOR = { "6.7": false, "6.11": true, "6.16": true, "7.0": true }; // 614dc0fb7632
const te = new TextEncoder(), td = new TextDecoder();
const bytes = (n, seed = 1) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + seed) & 0xff);
const NONCE = bytes(64);

/** outblob = provider tag + privlevel + inblob; `size` forces a length; counts its calls. */
function fakeGen(name, { size, aux = true, manifest = true, fail } = {}) {
  const g = {
    name, calls: [],
    async reportNew(req) {
      g.calls.push(req);
      if (fail) { const e = new Error("injected"); e.code = fail; throw e; }
      const outblob = size !== undefined ? bytes(size, 3)
        : Uint8Array.from([...te.encode(`${name}:${req.privlevel}:`), ...req.inblob]);
      return {
        outblob,
        auxblob: aux ? te.encode(`aux${g.calls.length}`) : undefined,
        manifestblob: manifest ? te.encode(`manifest${g.calls.length}`) : undefined,
      };
    },
  };
  return g;
}

function sim(kernel, name = "sev_guest", opts = {}) {
  const provider = fakeGen(name, opts);
  const t = new KernelModel({ provider, kernel, privlevelFloor: opts.floor ?? 0, svsm: opts.svsm ?? false });
  return { t, g: provider };
}

async function fails(p, code) {
  try {
    await (typeof p === "function" ? p() : p);
  } catch (e) {
    assert.is(e.code, code, e.message);
    return e;
  }
  assert.unreachable(`expected ${code}`);
}
const text = async (t, item, attr) => td.decode(await t.readFile(item, attr));
const gen = async (t, item) => Number(await text(t, item, "generation"));

// ---- 1.1 tree -----------------------------------------------------------------------------
for (const k of KERNELS) {
  test(`${k} 1.1: mkdir ENXIO with no provider, EEXIST twice, EPERM inside an item`, async () => {
    const t = new KernelModel({ kernel: k });
    await fails(t.mkdir("a"), "ENXIO");
    const { t: u } = sim(k);
    await u.mkdir("a");
    await fails(u.mkdir("a"), "EEXIST");
    await fails(u.mkdir("a/sub"), "EPERM");
    await fails(u.mkdir("a/inblob"), "EEXIST");
    assert.equal(u.readdir(), ["a"]);
  });

  test(`${k} 1.1: rmdir works with files and no provider; open descriptors then read ENOENT`, async () => {
    const { t } = sim(k);
    await t.mkdir("a");
    await t.writeFile("a", "inblob", NONCE);
    const g = t.open("a", "generation", "r");
    const o = t.open("a", "outblob", "r");
    const p = t.open("a", "privlevel", "w");
    const w = t.open("a", "inblob", "w");
    assert.is(await t.write(w, NONCE), 64);
    await t.unregisterProvider();
    await t.rmdir("a");
    await fails(t.read(g), "ENOENT");
    await fails(t.read(o), "ENOENT");
    await fails(t.write(p, "1"), "ENOENT");
    await t.close(w); // the pending inblob is dropped silently
    await fails(() => t.open("a", "generation", "r"), "ENOENT");
    await fails(t.rmdir("a"), "ENOENT");
    assert.equal(t.readdir(), []);
  });
}

// ---- 1.2 / 1.3 visibility and modes ---------------------------------------------------------
const BASE = ["inblob", "outblob", "generation", "provider"];
const PRIV = ["auxblob", "privlevel", "privlevel_floor"];
const SVC = ["manifestblob", "service_provider", "service_guid", "service_manifest_version"];
const ALL = [...BASE, ...PRIV, ...SVC];
const VISIBLE = [
  // kernel, provider, svsm, attributes shown
  ["6.7", "tdx_guest", false, BASE], ["6.7", "sev_guest", false, [...BASE, ...PRIV]],
  ["6.7", "sev_guest", true, [...BASE, ...PRIV]],
  ...["6.11", "6.16", "7.0"].flatMap((k) => [
    [k, "tdx_guest", false, BASE], [k, "sev_guest", false, [...BASE, ...PRIV]],
    [k, "sev_guest", true, ALL],
  ]),
  ["6.16", "arm_cca_guest", false, ALL], ["7.0", "arm_cca_guest", false, ALL],
];
const WRITE_ONLY = new Set(["inblob", "privlevel", "service_provider", "service_guid", "service_manifest_version"]);

for (const [k, p, svsm, shown] of VISIBLE) {
  test(`${k} 1.3: ${p}${svsm ? " under an SVSM" : ""} shows ${shown.length} attributes; modes and EACCES`, async () => {
    const { t } = sim(k, p, { svsm });
    await t.mkdir("a");
    assert.equal([...t.readdir("a")].sort(), [...shown].sort());
    for (const attr of ALL) {
      if (!shown.includes(attr)) {
        await fails(() => t.open("a", attr, "r"), "ENOENT");
        await fails(() => t.open("a", attr, "w"), "ENOENT");
        continue;
      }
      const wo = WRITE_ONLY.has(attr);
      assert.is(t.stat("a", attr).mode, wo ? 0o200 : 0o444);
      await fails(() => t.open("a", attr, wo ? "r" : "w"), "EACCES");
      await fails(() => t.open("a", attr, "rw"), "EACCES"); // so ETXTBSY cannot arise
      await t.close(t.open("a", attr, wo ? "w" : "r"));
    }
  });
}

for (const k of ["6.7", "6.11"]) {
  test(`${k} 2.5: arm_cca_guest does not exist before v6.13`, () => {
    assert.throws(() => new KernelModel({ provider: fakeGen("arm_cca_guest"), kernel: k }), (e) => e.code === "ENODEV");
  });
}

// ---- 1.4 generic configfs I/O ---------------------------------------------------------------
for (const k of KERNELS) {
  test(`${k} 1.4: text write is stored at write(); zero length is EFAULT; 4095-byte cut`, async () => {
    const { t, g } = sim(k, "sev_guest", { floor: 0 });
    await t.mkdir("a");
    const fd = t.open("a", "privlevel", "w");
    assert.is(await t.write(fd, "2"), 1);
    assert.is(await gen(t, "a"), 1); // before close
    await fails(t.write(fd, new Uint8Array(0)), "EFAULT");
    assert.is(await t.write(fd, "0\n"), 2);
    await t.close(fd);
    assert.is(await gen(t, "a"), 2);
    // A long privlevel is cut to 4095 bytes: "0" * 4094 + "1" parses as 1 (octal).
    const long = "0".repeat(4094) + "1" + "9".repeat(100);
    assert.is(await t.writeFile("a", "privlevel", long), 4095);
    await t.writeFile("a", "inblob", NONCE);
    await t.readFile("a", "outblob");
    assert.is(g.calls.at(-1).privlevel, 1);
  });

  test(`${k} 1.4: text read is a snapshot taken at the first read`, async () => {
    const { t } = sim(k);
    await t.mkdir("a");
    const fd = t.open("a", "generation", "r");
    assert.equal([...await t.read(fd, 0, 1)], [0x30]);
    await t.writeFile("a", "inblob", NONCE);
    assert.equal([...await t.read(fd, 1, 10)], [0x0a]);
    assert.equal([...await t.read(fd, 0, 10)], [0x30, 0x0a]); // still the snapshot
    assert.is((await t.read(fd, 2, 10)).length, 0);
    await t.close(fd);
    assert.is(await text(t, "a", "generation"), "1\n");
  });

  test(`${k} 1.4: inblob collects per descriptor at offsets and applies only at close`, async () => {
    const { t, g } = sim(k, "tdx_guest");
    await t.mkdir("a");
    const fd = t.open("a", "inblob", "w");
    assert.is(await t.write(fd, NONCE.subarray(32), 32), 32);
    assert.is(await t.write(fd, NONCE.subarray(0, 32), 0), 32);
    assert.is(await gen(t, "a"), 0);
    await fails(t.readFile("a", "outblob"), "EINVAL"); // inblob_len still 0
    await fails(t.write(fd, new Uint8Array(1), 64), "EFBIG");
    await fails(t.write(fd, new Uint8Array(0), 10), "EFAULT");
    await t.close(fd);
    assert.is(await gen(t, "a"), 1);
    await t.readFile("a", "outblob");
    assert.equal(g.calls[0].inblob, NONCE);
  });

  test(`${k} 1.4: a write past 64 bytes is EFBIG; the descriptor still commits what it holds`, async () => {
    const { t, g } = sim(k, "tdx_guest");
    await t.mkdir("a");
    const fd = t.open("a", "inblob", "w");
    await fails(t.write(fd, bytes(65)), "EFBIG");
    await fails(t.write(fd, bytes(5), 60), "EFBIG");
    assert.is(await t.write(fd, bytes(10), 0), 10);
    await t.close(fd);
    assert.is(await gen(t, "a"), 1);
    await fails(t.readFile("a", "outblob"), "EINVAL"); // tdx_guest: 10 != 64
    // A gap before the write position is zero-filled.
    await t.writeFile("a", "inblob", Uint8Array.of(9)); // reset, then a pwrite at 63
    const f2 = t.open("a", "inblob", "w");
    await t.write(f2, Uint8Array.of(0xaa), 63);
    await t.close(f2);
    await t.readFile("a", "outblob");
    const want = new Uint8Array(64); want[63] = 0xaa;
    assert.equal(g.calls.at(-1).inblob, want);
  });

  test(`${k} 1.4/2.2: an errno at close (EBUSY) is discarded and the inblob is not applied`, async () => {
    const { t, g } = sim(k, "tdx_guest");
    await t.mkdir("a");
    t.setGenerations("a", 5n, 6n); // write_gen == read_gen - 1: the next advance is EBUSY
    await t.writeFile("a", "inblob", NONCE); // close resolves
    assert.is(await gen(t, "a"), 5);
    await fails(t.readFile("a", "outblob"), "EINVAL");
    assert.is(g.calls.length, 0);
  });

  test(`${k} 1.4: a blob descriptor reads its own copy after the first read`, async () => {
    const { t, g } = sim(k, "sev_guest");
    await t.mkdir("a");
    await t.writeFile("a", "inblob", NONCE);
    const fd = t.open("a", "outblob", "r");
    const first = await t.read(fd, 0, 4);
    await t.writeFile("a", "inblob", bytes(64, 9));
    const rest = await t.read(fd, 4, 1000);
    assert.equal([...first, ...rest], [...te.encode("sev_guest:0:"), ...NONCE]);
    await t.close(fd);
    assert.is(g.calls.length, 1);
    const again = await t.readFile("a", "outblob");
    assert.equal(again.subarray(12), bytes(64, 9));
    assert.is(g.calls.length, 2);
  });

  test(`${k} 1.2: blob length above ${BLOB_MAX[k]} is EFBIG; the limit itself reads`, async () => {
    for (const [size, code] of [[BLOB_MAX[k], null], [BLOB_MAX[k] + 1, "EFBIG"]]) {
      const { t, g } = sim(k, "sev_guest", { size });
      await t.mkdir("a");
      await t.writeFile("a", "inblob", NONCE);
      if (code) {
        await fails(t.readFile("a", "outblob"), code);
        await fails(t.readFile("a", "outblob"), code);
        assert.is(g.calls.length, 1, "the oversized report is cached all the same");
      } else assert.is((await t.readFile("a", "outblob")).length, size);
    }
  });
}

// ---- 1.2 text formats and 2.2 writes ----------------------------------------------------------
const PRIVLEVEL = [
  // written, result (number stored or errno)
  ["2", 2], ["3\n", 3], ["0x2", 2], ["0X3", 3], ["02", 2], ["+1", 1], ["1\0junk", 1],
  ["4", "EINVAL"], ["08", "EINVAL"], ["0x", "EINVAL"], ["abc", "EINVAL"], [" 1", "EINVAL"],
  ["1\n\n", "EINVAL"], ["-1", "EINVAL"], ["\n", "EINVAL"], ["1 ", "EINVAL"],
  ["4294967296", "ERANGE"], ["99999999999999999999999", "ERANGE"], ["0x100000000", "ERANGE"],
];
for (const k of KERNELS) {
  test(`${k} 2.2: privlevel parsing and range (floor 1${SEV_FLOOR[k] ? "" : ", which v6.7 ignores"}): ${PRIVLEVEL.length} rows`, async () => {
    const { t, g } = sim(k, "sev_guest", { floor: 1 });
    await t.mkdir("a");
    await t.writeFile("a", "inblob", NONCE);
    let want = await gen(t, "a");
    for (const [input, result] of PRIVLEVEL) {
      if (typeof result === "string") {
        await fails(t.writeFile("a", "privlevel", input), result);
        assert.is(await gen(t, "a"), want, `${JSON.stringify(input)} must not advance`);
      } else {
        assert.is(await t.writeFile("a", "privlevel", input), input.length);
        assert.is(await gen(t, "a"), ++want);
        await t.readFile("a", "outblob");
        assert.is(g.calls.at(-1).privlevel, result, JSON.stringify(input));
      }
    }
    if (SEV_FLOOR[k]) await fails(t.writeFile("a", "privlevel", "0"), "EINVAL"); // below the floor
    else await t.writeFile("a", "privlevel", "0");
    assert.is(await text(t, "a", "privlevel_floor"), SEV_FLOOR[k] ? "1\n" : "0\n");
  });
}

for (const k of ["6.11", "6.16", "7.0"]) {
  test(`${k} 2.2: service_provider, service_guid, service_manifest_version`, async () => {
    const { t, g } = sim(k, "sev_guest", { svsm: true, floor: 2 });
    await t.mkdir("a");
    await t.writeFile("a", "inblob", NONCE);
    assert.is(await t.writeFile("a", "service_provider", "svsm\n"), 5);
    const guid = "1A2b3c4d-5e6f-4788-99aa-bbccddeeff00";
    assert.is(await t.writeFile("a", "service_guid", guid + "trailing ignored"), 52);
    assert.is(await t.writeFile("a", "service_manifest_version", "0x10"), 4);
    assert.is(await gen(t, "a"), 4);
    await t.readFile("a", "outblob");
    let req = g.calls.at(-1);
    assert.is(req.serviceProvider, "svsm");
    assert.is(req.serviceGuid, guid.toLowerCase());
    assert.is(req.serviceManifestVersion, 16);
    assert.is(req.privlevel, 0, "SVSM path: privlevel is ignored, not checked against the floor");
    // A rejected GUID (the ABI doc's 30-character null GUID) still advances and resets it.
    await fails(t.writeFile("a", "service_guid", "00000000-0000-0000-0000-000000"), "EINVAL");
    assert.is(await gen(t, "a"), 5);
    await fails(t.writeFile("a", "service_guid", "1a2b3c4d+5e6f-4788-99aa-bbccddeeff00"), "EINVAL");
    assert.is(await gen(t, "a"), 6);
    await fails(t.writeFile("a", "service_manifest_version", "x"), "EINVAL");
    await fails(t.writeFile("a", "service_manifest_version", "4294967296"), "ERANGE");
    assert.is(await gen(t, "a"), 6);
    await t.readFile("a", "outblob");
    req = g.calls.at(-1);
    assert.is(req.serviceGuid, "00000000-0000-0000-0000-000000000000");
    // SVSM path blobs: outblob, manifestblob and auxblob from the same call.
    assert.is(await text(t, "a", "manifestblob"), `manifest${g.calls.length}`);
    assert.is(await text(t, "a", "auxblob"), `aux${g.calls.length}`);
    // "\n" stores an empty, non-NULL provider, which report_new rejects (not "svsm").
    await t.writeFile("a", "service_provider", "\n");
    await fails(t.readFile("a", "outblob"), "EINVAL");
    await t.writeFile("a", "service_provider", "other");
    await fails(t.readFile("a", "outblob"), "EINVAL");
    assert.is(g.calls.length, 2, "rejected before the provider runs");
  });
}

for (const k of KERNELS) {
  test(`${k} 2.2: the counter-wrap guard gives EBUSY and stores nothing`, async () => {
    const { t } = sim(k, "sev_guest");
    await t.mkdir("a");
    t.setGenerations("a", (1n << 64n) - 1n, 0n);
    await fails(t.writeFile("a", "privlevel", "1"), "EBUSY");
    assert.is(await text(t, "a", "generation"), "18446744073709551615\n");
    t.setGenerations("a", (1n << 64n) - 2n, 0n);
    await t.writeFile("a", "privlevel", "1");
    assert.is(await text(t, "a", "generation"), "18446744073709551615\n");
  });
}

// ---- 2.3 reads, caching, generation ---------------------------------------------------------
for (const k of KERNELS) {
  test(`${k} 2.3: EINVAL without inblob; one provider call serves all blobs until a write`, async () => {
    const { t, g } = sim(k, "sev_guest");
    await t.mkdir("a");
    await fails(t.readFile("a", "outblob"), "EINVAL");
    await fails(t.readFile("a", "auxblob"), "EINVAL");
    await t.writeFile("a", "inblob", NONCE);
    assert.is(await text(t, "a", "auxblob"), "aux1");
    const out = await t.readFile("a", "outblob");
    assert.equal(out.subarray(12), NONCE);
    assert.is(g.calls.length, 1);
    await t.writeFile("a", "privlevel", "1");
    assert.is(await text(t, "a", "auxblob"), "aux2");
    assert.is(g.calls.length, 2);
    assert.is(await text(t, "a", "provider"), "sev_guest\n");
    assert.is(await gen(t, "a"), 2);
  });

  test(`${k} 2.3: a provider errno is returned unchanged and the next read retries`, async () => {
    const { t, g } = sim(k, "sev_guest", { fail: "ETIMEDOUT" });
    await t.mkdir("a");
    await t.writeFile("a", "inblob", NONCE);
    await fails(t.readFile("a", "outblob"), "ETIMEDOUT");
    await fails(t.readFile("a", "auxblob"), "ETIMEDOUT");
    assert.is(g.calls.length, 2);
  });

  test(`${k} 2.3: an empty outblob is a valid cache; NULL auxblob/manifestblob read empty`, async () => {
    const { t, g } = sim(k, "sev_guest", { size: 0, aux: false });
    await t.mkdir("a");
    await t.writeFile("a", "inblob", NONCE);
    assert.is((await t.readFile("a", "outblob")).length, 0);
    assert.is((await t.readFile("a", "auxblob")).length, 0);
    assert.is((await t.readFile("a", "outblob")).length, 0);
    assert.is(g.calls.length, 1);
  });

  test(`${k} 2.3/2.5: no provider: blob ${FIXED[k] ? "ENXIO" : "ENOTTY"}, provider/privlevel_floor/privlevel ${FIXED[k] ? "ENXIO" : "oops"}; cache still served`, async () => {
    const { t } = sim(k, "sev_guest");
    await t.mkdir("a");
    await t.mkdir("b");
    await t.writeFile("a", "inblob", NONCE);
    await t.writeFile("b", "inblob", NONCE);
    const cached = await t.readFile("a", "outblob");
    await t.unregisterProvider();
    assert.equal(await t.readFile("a", "outblob"), cached); // fast path needs no provider
    await fails(t.readFile("b", "outblob"), FIXED[k] ? "ENXIO" : "ENOTTY");
    const attrCode = FIXED[k] ? "ENXIO" : "KERNEL_OOPS";
    await fails(t.readFile("a", "provider"), attrCode);
    await fails(t.readFile("a", "privlevel_floor"), attrCode);
    await fails(t.writeFile("a", "privlevel", "1"), attrCode);
    await fails(t.writeFile("a", "privlevel", "x"), "EINVAL"); // parsed before the provider
    assert.is(await gen(t, "a"), 1);
    await t.writeFile("a", "inblob", NONCE); // the core does not check the provider here
    assert.is(await gen(t, "a"), 2);
    await fails(t.mkdir("c"), "ENXIO");
  });

  test(`${k} 2.5: a second provider is EBUSY; re-registration ${FIXED[k] ? "waits for rmdir of every item" : "is allowed with stale items"}`, async () => {
    const { t } = sim(k, "sev_guest");
    await fails(t.registerProvider(fakeGen("tdx_guest")), "EBUSY");
    await t.mkdir("a");
    await t.unregisterProvider();
    if (FIXED[k]) await t.unregisterProvider(); // always succeeds
    else await fails(t.unregisterProvider(), "EBUSY"); // not the registered ops
    const next = fakeGen("tdx_guest");
    if (FIXED[k]) {
      await fails(t.registerProvider(next), "EBUSY");
      await t.rmdir("a");
    }
    await t.registerProvider(next);
    await t.mkdir("b");
    assert.equal([...t.readdir("b")].sort(), [...BASE].sort());
    await t.writeFile("b", "inblob", NONCE);
    assert.is(td.decode((await t.readFile("b", "outblob")).subarray(0, 9)), "tdx_guest");
  });
}

// ---- 3 providers ------------------------------------------------------------------------------
const INBLOB = [
  // provider, inblob lengths accepted, rejected (EINVAL at report time)
  ["tdx_guest", [64], [1, 32, 63]],
  ["sev_guest", [64], [1, 32, 63]],
  ["arm_cca_guest", [32, 48, 64], [1, 31]],
];
for (const k of KERNELS) {
  for (const [p, ok, bad] of INBLOB) {
    if (p === "arm_cca_guest" && !FIXED[k]) continue; // v6.13+
    test(`${k} 3: ${p} inblob accepts ${ok.join("/")} bytes, EINVAL for ${bad.join("/")}`, async () => {
      const { t, g } = sim(k, p);
      await t.mkdir("a");
      for (const n of bad) {
        await t.writeFile("a", "inblob", bytes(n));
        await fails(t.readFile("a", "outblob"), "EINVAL");
      }
      assert.is(g.calls.length, 0);
      for (const n of ok) {
        await t.writeFile("a", "inblob", bytes(n));
        const out = await t.readFile("a", "outblob");
        assert.equal(out.subarray(out.length - n), bytes(n), "no padding");
      }
      assert.is(g.calls.length, ok.length);
    });
  }

  test(`${k} 3.2: sev_guest default path: privlevel below the floor is EINVAL`, async () => {
    if (!SEV_FLOOR[k]) return; // v6.7: the floor is 0, so nothing is below it (see the 2.2 row)
    const { t, g } = sim(k, "sev_guest", { floor: 2 });
    await t.mkdir("a");
    await t.writeFile("a", "inblob", NONCE);
    await fails(t.readFile("a", "outblob"), "EINVAL"); // privlevel 0 asks for VMPL0
    await t.writeFile("a", "privlevel", "2");
    await t.readFile("a", "outblob");
    assert.is(g.calls.length, 1);
    assert.is(g.calls[0].privlevel, 2);
    assert.is(g.calls[0].serviceProvider, null);
  });

  test(`${k} 3.1: tdx_guest quote above ${TDX_QUOTE_MAX[k]} bytes is EFBIG from the provider`, async () => {
    for (const [size, code] of [[TDX_QUOTE_MAX[k], null], [TDX_QUOTE_MAX[k] + 1, "EFBIG"]]) {
      const { t, g } = sim(k, "tdx_guest", { size });
      await t.mkdir("a");
      await t.writeFile("a", "inblob", NONCE);
      if (code) {
        await fails(t.readFile("a", "outblob"), code);
        await fails(t.readFile("a", "outblob"), code);
        assert.is(g.calls.length, 2, "a provider error is not cached");
      } else assert.is((await t.readFile("a", "outblob")).length, size);
    }
  });
}

for (const k of ["6.16", "7.0"]) {
  test(`${k} 3.3: arm_cca_guest accepts writes, shows floor 0, auxblob/manifestblob empty`, async () => {
    const { t, g } = sim(k, "arm_cca_guest", { floor: 2 });
    await t.mkdir("a");
    assert.is(await text(t, "a", "privlevel_floor"), "0\n");
    await t.writeFile("a", "privlevel", "3");
    await t.writeFile("a", "service_provider", "svsm");
    await t.writeFile("a", "inblob", bytes(40));
    assert.is((await t.readFile("a", "auxblob")).length, 0);
    assert.is((await t.readFile("a", "manifestblob")).length, 0);
    assert.ok((await t.readFile("a", "outblob")).length > 40);
    assert.is(g.calls.length, 1);
    assert.is(await text(t, "a", "provider"), "arm_cca_guest\n");
  });
}

test("3.2: sev_guest at VMPL0 (default path) drops a manifestblob the generator offers", async () => {
  const { t } = sim("7.0", "sev_guest", { svsm: true });
  await t.mkdir("a");
  await t.writeFile("a", "inblob", NONCE);
  assert.is(await text(t, "a", "auxblob"), "aux1");
  assert.is((await t.readFile("a", "manifestblob")).length, 0);
});

test.run();
