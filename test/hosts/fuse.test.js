// The simulator mounted with FUSE, used by real processes (bash, python3, Node) the way they use
// /sys/kernel/config/tsm: the kernel's recipe, its generation counting, its errnos, and getReport.
// Each mount is served by a child process and always unmounted at the end.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startMount, isMounted } from "../../hosts/sim/mount-process.js";
import { decode } from "../../hosts/js/decode.js";
import { getReport } from "../../hosts/node/report.js";
import { wasmtime } from "./wasi-engines.js";

const CLI = new URL("../../hosts/node/cli.js", import.meta.url).pathname;

const TMP = mkdtempSync(join(tmpdir(), "tsmkit-fuse-"));
const mounts = {}; // provider -> { dir, stop }

/** bash -c script with $MNT = the report directory of `provider`'s mount; stdout as a Buffer. */
function bash(provider, script) {
  const r = spawnSync("bash", ["-euo", "pipefail", "-c", script], {
    cwd: TMP, env: { ...process.env, MNT: join(mounts[provider].dir, "report") }, timeout: 30_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.toString() };
}

// Each python3 probe prints the errno name its OS call ended with ("ok" if none).
const PY_PRELUDE = `
import os, sys, errno, json
R = os.environ["MNT"]
def attempt(f):
    try:
        r = f()
        return "ok" if r is None or isinstance(r, int) else r.decode()
    except OSError as e:
        return errno.errorcode[e.errno]
def put(path, data, offset=None):
    fd = os.open(path, os.O_WRONLY)
    try:
        return os.write(fd, data) if offset is None else os.pwrite(fd, data, offset)
    finally:
        os.close(fd)
def get(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        out = b""
        while True:
            b = os.read(fd, 65536)
            if not b: return out
            out += b
    finally:
        os.close(fd)
`;
function py(provider, body) {
  const r = spawnSync("python3", ["-c", `${PY_PRELUDE}\n${body}`], {
    env: { ...process.env, MNT: join(mounts[provider].dir, "report") }, encoding: "utf8", timeout: 30_000,
  });
  assert.is(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

/** Bytes from hexdump's default output (offset, little-endian 16-bit words, "*" = repeat). */
function unhexdump(text) {
  const lines = text.trimEnd().split("\n");
  const out = [];
  let prev = [];
  let repeat = false;
  for (const line of lines) {
    if (line === "*") { repeat = true; continue; }
    const [off, ...words] = line.trim().split(/\s+/);
    const offset = parseInt(off, 16);
    while (repeat && out.length < offset) out.push(...prev);
    repeat = false;
    if (!words.length) return Uint8Array.from(out.slice(0, offset));
    prev = words.flatMap((w) => [parseInt(w.slice(2), 16), parseInt(w.slice(0, 2), 16)]);
    out.push(...prev);
  }
  throw new Error("hexdump output has no final offset line");
}

const hex = (b) => Buffer.from(b).toString("hex");
const reportData = (provider, outblob) => {
  const j = decode(outblob, { provider });
  return provider === "tdx_guest" ? j.body.reportData : j.reportData;
};

test.before(async () => {
  for (const provider of ["tdx_guest", "sev_guest"]) {
    mounts[provider] = await startMount(join(TMP, provider), { provider });
  }
});

test.after(async () => {
  for (const m of Object.values(mounts)) await m.stop();
  for (const m of Object.values(mounts)) assert.not.ok(await isMounted(m.dir), `${m.dir} still mounted`);
  rmSync(TMP, { recursive: true, force: true });
});

test("the mount shows the configfs-tsm tree: an empty report group", () => {
  for (const provider of Object.keys(mounts)) {
    assert.equal(readdirSync(mounts[provider].dir), provider === "tdx_guest" ? ["measurements", "report"] : ["report"]); // tsm-mr: test/hosts/mr-fuse.test.js
    assert.equal(readdirSync(join(mounts[provider].dir, "report")), []);
  }
});

for (const provider of ["tdx_guest", "sev_guest"]) {
  test(`${provider}: the kernel's recipe (mkdir, dd > inblob, hexdump outblob) returns a report of that nonce`, () => {
    const nonce = crypto.getRandomValues(new Uint8Array(64));
    writeFileSync(join(TMP, "nonce64"), nonce);
    const r = bash(provider, "report=$MNT/report0; mkdir $report; dd if=nonce64 > $report/inblob; hexdump $report/outblob");
    const after = bash(provider, "cat $MNT/report0/provider; cat $MNT/report0/generation; rmdir $MNT/report0");
    assert.is(r.status, 0, r.stderr);
    assert.is(after.stdout.toString(), `${provider}\n1\n`);
    assert.is(reportData(provider, unhexdump(r.stdout.toString())), hex(nonce));
  });
}

test("generation counts accepted writes as the kernel does: inblob once per close, not per write() or dup", () => {
  const out = py("sev_guest", `
i = R + "/g"; os.mkdir(i)
gen = lambda: get(i + "/generation").decode()
seen = [gen()]
put(i + "/inblob", os.urandom(64)); seen.append(gen())
fd = os.open(i + "/inblob", os.O_WRONLY); os.write(fd, os.urandom(32)); os.write(fd, os.urandom(32))
dup = os.dup(fd); os.close(fd); seen.append(gen()); os.close(dup); seen.append(gen())
get(i + "/auxblob"); get(i + "/outblob"); seen.append(gen())
put(i + "/privlevel", b"1"); seen.append(gen())
seen.append(attempt(lambda: put(i + "/privlevel", b"9"))); seen.append(gen())
os.rmdir(i)
print(json.dumps(seen))`);
  assert.equal(out, ["0\n", "1\n", "2\n", "2\n", "2\n", "3\n", "EINVAL", "3\n"]);
});

test("provider reads as the module name with a newline; privlevel_floor as a number", () => {
  const r = bash("sev_guest", "mkdir $MNT/p; cat $MNT/p/provider $MNT/p/privlevel_floor; rmdir $MNT/p");
  assert.is(r.stdout.toString(), "sev_guest\n0\n");
});

test("errnos seen by a real process (python3): EFBIG, EACCES, EINVAL, ENOENT, EPERM, EEXIST", () => {
  const sev = py("sev_guest", `
i = R + "/e"; os.mkdir(i)
out = {
  "mkdir again": attempt(lambda: os.mkdir(i)),
  "mkdir in item": attempt(lambda: os.mkdir(i + "/sub")),
  "write 65 to inblob": attempt(lambda: put(i + "/inblob", b"x" * 65)),
  "pwrite past 64": attempt(lambda: put(i + "/inblob", b"x", 64)),
  "open outblob for writing": attempt(lambda: os.open(i + "/outblob", os.O_WRONLY)),
  "open inblob for reading": attempt(lambda: os.open(i + "/inblob", os.O_RDONLY)),
  "open generation read-write": attempt(lambda: os.open(i + "/generation", os.O_RDWR)),
  "privlevel 4": attempt(lambda: put(i + "/privlevel", b"4")),
  "privlevel abc": attempt(lambda: put(i + "/privlevel", b"abc")),
  "privlevel 0x2": attempt(lambda: put(i + "/privlevel", b"0x2\\n")),
  "outblob before inblob": attempt(lambda: get(i + "/outblob")),
  "service_provider (hidden at VMPL0)": attempt(lambda: os.open(i + "/service_provider", os.O_WRONLY)),
  "create a file": attempt(lambda: os.open(i + "/new", os.O_WRONLY | os.O_CREAT)),
  "unlink an attribute": attempt(lambda: os.unlink(i + "/generation")),
}
out["rmdir with attributes"] = attempt(lambda: os.rmdir(i))
out["report after"] = os.listdir(R)
print(json.dumps(out))`);
  assert.equal(sev, {
    "mkdir again": "EEXIST",
    "mkdir in item": "EPERM",
    "write 65 to inblob": "EFBIG",
    "pwrite past 64": "EFBIG",
    "open outblob for writing": "EACCES",
    "open inblob for reading": "EACCES",
    "open generation read-write": "EACCES",
    "privlevel 4": "EINVAL",
    "privlevel abc": "EINVAL",
    "privlevel 0x2": "ok",
    "outblob before inblob": "EINVAL",
    "service_provider (hidden at VMPL0)": "ENOENT",
    "create a file": "EACCES",
    "unlink an attribute": "EPERM",
    "rmdir with attributes": "ok",
    "report after": [],
  });
  const tdx = py("tdx_guest", `
i = R + "/t"; os.mkdir(i)
out = {
  "privlevel (hidden on tdx_guest)": attempt(lambda: os.open(i + "/privlevel", os.O_WRONLY)),
  "auxblob (hidden on tdx_guest)": attempt(lambda: os.open(i + "/auxblob", os.O_RDONLY)),
  "32-byte inblob": attempt(lambda: put(i + "/inblob", b"x" * 32)),
  "outblob of a 32-byte inblob": attempt(lambda: get(i + "/outblob")),
  "attributes": sorted(os.listdir(i)),
  "touch an attribute": attempt(lambda: os.utime(i + "/generation")),
  "mkdir beside report/": attempt(lambda: os.mkdir(R + "/../x")),
  "rmdir report/": attempt(lambda: os.rmdir(R)),
}
os.rmdir(i)
print(json.dumps(out))`);
  assert.equal(tdx, {
    "privlevel (hidden on tdx_guest)": "ENOENT",
    "auxblob (hidden on tdx_guest)": "ENOENT",
    "32-byte inblob": "ok",
    "outblob of a 32-byte inblob": "EINVAL",
    "attributes": ["generation", "inblob", "outblob", "provider"],
    "touch an attribute": "ok",
    "mkdir beside report/": "EPERM",
    "rmdir report/": "EPERM",
  });
});

test("pwrite at explicit offsets assembles inblob; each descriptor keeps its own outblob snapshot", () => {
  const out = py("tdx_guest", `
i = R + "/w"; os.mkdir(i)
fd = os.open(i + "/inblob", os.O_WRONLY)
os.pwrite(fd, bytes(range(32, 64)), 32); os.pwrite(fd, bytes(range(0, 32)), 0); os.close(fd)
first = os.open(i + "/outblob", os.O_RDONLY); head = os.read(first, 16)
put(i + "/inblob", b"\\xff" * 64)
rest = b""
while True:
    b = os.read(first, 4096)
    if not b: break
    rest += b
os.close(first)
print(json.dumps({"old": (head + rest).hex(), "new": get(i + "/outblob").hex(), "gen": get(i + "/generation").decode()}))
os.rmdir(i)`);
  assert.is(reportData("tdx_guest", Buffer.from(out.old, "hex")), hex(Uint8Array.from({ length: 64 }, (_, k) => k)));
  assert.is(reportData("tdx_guest", Buffer.from(out.new, "hex")), "ff".repeat(64));
  assert.is(out.gen, "2\n");
});

for (const provider of ["tdx_guest", "sev_guest"]) {
  test(`${provider}: getReport (configfs backend) on the mount returns the caller's report and leaves no item`, async () => {
    const inblob = crypto.getRandomValues(new Uint8Array(64));
    const root = join(mounts[provider].dir, "report");
    const r = await getReport({ inblob }, { backend: "configfs", root });
    assert.is(r.provider.trim(), provider);
    assert.is(reportData(provider, r.outblob), hex(inblob));
    assert.is(r.attempts, 1);
    if (provider === "sev_guest") assert.is(decode(r.auxblob, { format: "snp-certs" }).format, "snp-certs");
    assert.equal(readdirSync(root), []);
  });
}

test("a WASI guest under wasmtime reads the mount to EOF (pread past st_size) and decodes the quote", () => {
  const inblob = crypto.getRandomValues(new Uint8Array(64));
  writeFileSync(join(TMP, "nonce64"), inblob);
  const setup = bash("tdx_guest", "mkdir $MNT/wasi; cat nonce64 > $MNT/wasi/inblob");
  assert.is(setup.status, 0, setup.stderr);
  try {
    const got = wasmtime(["show", "--json", "/tsm/report/wasi/outblob"], { dirs: [{ host: mounts.tdx_guest.dir, guest: "/tsm" }] });
    assert.is(got.status, 0, got.stderr.toString());
    assert.is(JSON.parse(got.stdout).body.reportData, hex(inblob));
  } finally {
    bash("tdx_guest", "rmdir $MNT/wasi");
  }
});

for (const signal of ["SIGINT", "SIGTERM"]) {
  test(`${signal} makes the server unmount and exit 0 by itself`, async () => {
    const dir = join(TMP, signal);
    const m = await startMount(dir, { provider: "tdx_guest" });
    try {
      const exited = new Promise((res) => m.child.once("exit", (code, sig) => res(sig ?? code)));
      process.kill(m.pid, signal);
      assert.is(await exited, 0);
      assert.not.ok(await isMounted(dir));
    } finally {
      await m.stop();
    }
  });
}

test("tsmkit sim mount: SIGTERM after someone else unmounted it (fusermount -u) still ends the command, exit 0", async () => {
  const dir = join(TMP, "unmounted-outside");
  const child = spawn(process.execPath, [CLI, "sim", "mount", dir], { stdio: ["ignore", "pipe", "inherit"] });
  const exited = new Promise((res) => child.once("exit", (code, sig) => res(sig ?? code)));
  try {
    await new Promise((res, rej) => {
      child.stdout.on("data", (d) => /^mounted /.test(String(d)) && res());
      child.once("exit", () => rej(new Error("sim mount exited before mounting")));
    });
    assert.is(spawnSync("fusermount", ["-u", dir]).status, 0);
    child.kill("SIGTERM");
    // The binding's FUSE thread outlived such a mount and held the process up for good.
    const hung = new Promise((res) => setTimeout(res, 20_000, "still running 20 s after SIGTERM").unref());
    assert.is(await Promise.race([exited, hung]), 0);
  } finally {
    child.kill("SIGKILL");
  }
});

test("a server that cannot mount says why and exits 2 for a bad option, leaving nothing mounted", async () => {
  const dir = join(TMP, "bad");
  try {
    await startMount(dir, { provider: "nope" });
    assert.unreachable("mounted with an unknown provider");
  } catch (err) {
    assert.match(err.message, /server exited \(2\) before mounting[\s\S]*unknown provider "nope"/);
  }
  assert.not.ok(await isMounted(dir));
});

test("a stale mount from a killed server is replaced by the next one", async () => {
  const dir = join(TMP, "stale");
  const first = await startMount(dir, { provider: "tdx_guest" });
  process.kill(first.pid, "SIGKILL");
  await new Promise((res) => first.child.once("exit", res));
  assert.ok(await isMounted(dir), "a SIGKILLed server leaves its mount behind");
  const second = await startMount(dir, { provider: "tdx_guest" });
  try {
    assert.equal(readdirSync(join(dir, "report")), []);
  } finally {
    await second.stop();
  }
  assert.not.ok(await isMounted(dir));
  assert.ok(existsSync(dir));
});

test.run();
