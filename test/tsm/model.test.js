// KernelModel as a host: the global lock (2.4), the generator contract, paths, flush, isolation
// between instances, and the real evidence providers behind the kernel model.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { KernelModel } from "../../hosts/kernel/model.js";
import { errnoByName } from "../../hosts/kernel/errno.js";
import { createProvider } from "../../hosts/sim/providers/index.js";

const td = new TextDecoder();
const NONCE = Uint8Array.from({ length: 64 }, (_, i) => i);

/** A generator whose calls stay pending until release(); it echoes the inblob. */
function gatedGen(name = "sev_guest") {
  const g = {
    name, calls: 0, pending: [],
    reportNew(req) {
      g.calls++;
      return new Promise((resolve) => g.pending.push(() => resolve({ outblob: req.inblob.slice() })));
    },
    release() { for (const r of g.pending.splice(0)) r(); },
  };
  return g;
}
const tick = () => new Promise((r) => setImmediate(r));
async function fails(p, code) {
  try { await p; } catch (e) { assert.is(e.code, code, e.message); return e; }
  assert.unreachable(`expected ${code}`);
}

test("2.4: while report_new runs, every locked access on every item waits", async () => {
  const g = gatedGen();
  const t = new KernelModel({ provider: g, kernel: "7.0" });
  await t.mkdir("a");
  await t.mkdir("b");
  await t.mkdir("d");
  await t.writeFile("a", "inblob", NONCE);
  const inb = t.open("b", "inblob", "w");
  const snap = t.open("b", "generation", "r");
  await t.read(snap, 0, 1); // a snapshot: later reads take no lock
  const reading = t.readFile("a", "outblob");
  await tick();
  assert.is(g.calls, 1);
  const done = [];
  const track = (label, p) => p.then(() => done.push(label), (e) => done.push(`${label}:${e.code}`));
  track("mkdir", t.mkdir("c"));
  track("privlevel", t.writeFile("b", "privlevel", "1"));
  track("generation", t.readFile("b", "generation"));
  track("close-inblob", t.write(inb, NONCE).then(() => t.close(inb)));
  track("rmdir-a", t.rmdir("a"));
  track("snapshot", t.read(snap, 1, 10));
  track("rmdir-d", t.rmdir("d")); // another item's rmdir takes no tsm lock
  for (let i = 0; i < 5; i++) await tick();
  assert.equal([...done].sort(), ["rmdir-d", "snapshot"]); // only lock-free work went through
  assert.equal(t.readdir("b"), ["inblob", "outblob", "auxblob", "generation", "provider", "privlevel", "privlevel_floor"]);
  g.release();
  assert.equal(await reading, NONCE);
  for (let i = 0; i < 5; i++) await tick();
  assert.equal([...done].sort(), ["close-inblob", "generation", "mkdir", "privlevel", "rmdir-a", "rmdir-d", "snapshot"]);
  assert.is(td.decode(await t.readFile("b", "generation")), "2\n");
  assert.equal(t.readdir(), ["b", "c"]);
});

test("2.3: concurrent readers of one item share one provider call", async () => {
  const g = gatedGen();
  const t = new KernelModel({ provider: g });
  await t.mkdir("a");
  await t.writeFile("a", "inblob", NONCE);
  const reads = [t.readFile("a", "outblob"), t.readFile("a", "outblob"), t.readFile("a", "auxblob")];
  await tick();
  g.release();
  const [o1, o2, aux] = await Promise.all(reads);
  assert.equal(o1, NONCE);
  assert.equal(o2, NONCE);
  assert.is(aux.length, 0);
  assert.is(g.calls, 1);
});

test("generator contract: errno codes pass through, anything else is EIO, no outblob is EIO", async () => {
  for (const [thrown, code] of [[{ code: "EINTR" }, "EINTR"], [{ code: "EBUSY" }, "EBUSY"], [new TypeError("bug"), "EIO"], [{ code: "NOPE" }, "EIO"]]) {
    const t = new KernelModel({ provider: { name: "tdx_guest", async reportNew() { throw thrown; } } });
    await t.mkdir("a");
    await t.writeFile("a", "inblob", NONCE);
    const e = await fails(t.readFile("a", "outblob"), code);
    assert.is(e.errno, errnoByName(code));
  }
  const t = new KernelModel({ provider: { name: "tdx_guest", async reportNew() { return {}; } } });
  await t.mkdir("a");
  await t.writeFile("a", "inblob", NONCE);
  await fails(t.readFile("a", "outblob"), "EIO");
});

test("errors carry Linux names and numbers", async () => {
  const t = new KernelModel({ provider: createProvider("tdx_guest") });
  const e = await fails(t.rmdir("missing"), "ENOENT");
  assert.is(e.errno, 2);
  assert.is(errnoByName("EFBIG"), 27);
  assert.is(errnoByName("ETXTBSY"), 26);
  assert.is(errnoByName("EWOULDBLOCK"), 11);
  await fails(t.close(99), "EBADF");
  await t.mkdir("a");
  const fd = t.open("a", "inblob", "w");
  await fails(t.read(fd), "EBADF");
  assert.throws(() => new KernelModel({ kernel: "5.15" }), RangeError);
  assert.throws(() => new KernelModel({ provider: { name: "nope" } }), RangeError);
});

test("mkdir/readdir/stat/open around items; flush applies inblob before close", async () => {
  const t = new KernelModel({ provider: createProvider("tdx_guest"), kernel: "6.16" });
  await t.mkdir("x");
  assert.equal(t.readdir(), ["x"]);
  assert.equal(t.readdir("x"), ["inblob", "outblob", "generation", "provider"]);
  assert.equal(t.stat(), { kind: "dir", mode: 0o755 });
  assert.equal(t.stat("x"), { kind: "dir", mode: 0o755 });
  assert.equal(t.stat("x", "outblob"), { kind: "file", mode: 0o444, binary: true });
  assert.equal(t.stat("x", "generation"), { kind: "file", mode: 0o444, binary: false });
  await fails(t.mkdir("x/y"), "EPERM");
  await fails(t.mkdir("x/inblob"), "EEXIST");
  await fails(t.mkdir("nope/y"), "ENOENT");
  await fails(t.mkdir(""), "EEXIST");
  await fails(Promise.resolve().then(() => t.open("x", "privlevel", "w")), "ENOENT");
  await fails(Promise.resolve().then(() => t.open("x", "bogus", "r")), "ENOENT");
  await fails(Promise.resolve().then(() => t.open("nope", "inblob", "w")), "ENOENT");
  await fails(Promise.resolve().then(() => t.stat("x", "auxblob")), "ENOENT");
  const fd = t.open("x", "inblob", "w");
  await t.write(fd, NONCE);
  await t.flush(fd);
  assert.is(td.decode(await t.readFile("x", "generation")), "1\n");
  await t.flush(fd); // nothing written since: no advance
  await t.close(fd);
  assert.is(td.decode(await t.readFile("x", "generation")), "1\n");
  assert.is(t.providerName, "tdx_guest");
  await t.rmdir("x");
  await t.unregisterProvider();
  assert.is(t.providerName, null);
});

test("instances are independent kernels", async () => {
  const a = new KernelModel({ provider: createProvider("tdx_guest"), kernel: "6.7" });
  const b = new KernelModel({ provider: createProvider("sev_guest"), kernel: "7.0" });
  await a.mkdir("x");
  await b.mkdir("x");
  await a.writeFile("x", "inblob", NONCE);
  assert.is(td.decode(await a.readFile("x", "generation")), "1\n");
  assert.is(td.decode(await b.readFile("x", "generation")), "0\n");
  assert.is(td.decode(await b.readFile("x", "provider")), "sev_guest\n");
});

for (const provider of ["tdx_guest", "sev_guest", "arm_cca_guest"]) {
  test(`${provider}: the real evidence generator behind the kernel model`, async () => {
    const t = new KernelModel({ provider: createProvider(provider), kernel: "7.0" });
    await t.mkdir("a");
    await t.writeFile("a", "inblob", NONCE);
    const aux = t.readdir("a").includes("auxblob") ? await t.readFile("a", "auxblob") : null;
    const out = await t.readFile("a", "outblob");
    assert.ok(out.length > 64);
    if (provider === "sev_guest") assert.ok(aux.length > 0, "certificate table");
    if (provider === "arm_cca_guest") assert.is(aux.length, 0);
    assert.is(td.decode(await t.readFile("a", "generation")), "1\n");
  });
}

test("provider fault injection surfaces as the read's errno and is retried", async () => {
  const t = new KernelModel({ provider: createProvider("tdx_guest", { fault: "ETIMEDOUT", times: 1 }) });
  await t.mkdir("a");
  await t.writeFile("a", "inblob", NONCE);
  await fails(t.readFile("a", "outblob"), "ETIMEDOUT");
  assert.ok((await t.readFile("a", "outblob")).length > 64);
});

test.run();
