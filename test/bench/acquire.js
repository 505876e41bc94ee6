// Suite "acquire": getReport() (configfs backend) against the least a hand-written client can do
// (mkdir, write inblob, read outblob, rmdir) and against one doing getReport's operations (also
// provider and generation), all on the same simulated configfs-tsm FUSE mount served by a child
// process (tdx_guest, no provider latency), so the difference is the client's own work: the
// ABI's extra reads and per-operation overhead.
import { createRequire } from "node:module";
import { mkdtempSync, rmSync } from "node:fs";
import { mkdir, open, rmdir } from "node:fs/promises";
import { constants } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startMount } from "../../hosts/sim/mount-process.js";
import { LATENCY_PROFILES } from "../../hosts/sim/providers/index.js";
import { getReport } from "../../hosts/node/report.js";
import { configfsBackend } from "../../hosts/node/configfs.js";
import { decode } from "../../hosts/js/decode.js";

export const name = "acquire";
export const title = "one report through configfs-tsm on the FUSE simulator (provider latency 0, then the hardware latency profile)";

const HAND = "hand-written fs/promises";
const CHECKED = "hand-written + provider, generation";
const inblob = Uint8Array.from({ length: 64 }, (_, i) => (i * 13 + 5) & 0xff);
const hex = (b) => Buffer.from(b).toString("hex");

/** What is missing to mount the simulator (the optional FUSE binding, built against libfuse), or null. */
export function missing() {
  try {
    createRequire(import.meta.url)("@cocalc/fuse-native");
    return null;
  } catch (err) {
    return `the FUSE binding does not load (${err.message.split("\n")[0]}): \`bash test/setup.sh\` installs libfuse and the binding`;
  }
}

/** Reads an attribute as configfs serves it: the whole content comes from the first read, so a
 * read that does not fill the buffer is the end (no EOF read; st_size is not the content's). */
async function readAttr(path, size) {
  const fh = await open(path, constants.O_RDONLY);
  let buf = Buffer.allocUnsafe(size), len = 0;
  for (;;) {
    len += (await fh.read(buf, len, buf.length - len, null)).bytesRead;
    if (len < buf.length) break;
    buf = Buffer.concat([buf, Buffer.allocUnsafe(buf.length)]);
  }
  await fh.close();
  return buf.subarray(0, len);
}

/** The least a client can do: one item, inblob written in one write(), outblob read. With
 * `checked`, the operations getReport runs: it also reads provider first (naming the evidence,
 * refusing what the provider would reject before the expensive outblob read) and generation
 * last, which must be 1 (a fresh item starts at 0, one write): otherwise another writer
 * touched the item and the evidence may not be for this inblob. */
function handWritten(root, { checked = false } = {}) {
  let n = 0;
  return async () => {
    const item = join(root, `hand-${process.pid}-${n++}`);
    await mkdir(item);
    if (checked) {
      const text = (await readAttr(join(item, "provider"), 4096)).toString("latin1");
      if (!text.startsWith("tdx_guest") && !text.startsWith("sev_guest")) throw new Error(`provider ${text}`);
    }
    const w = await open(join(item, "inblob"), constants.O_WRONLY);
    await w.write(inblob, 0, inblob.length, null);
    await w.close();
    const out = await readAttr(join(item, "outblob"), 64 << 10);
    if (checked) {
      const text = (await readAttr(join(item, "generation"), 4096)).toString("latin1");
      if (parseInt(text, 10) !== 1) throw new Error(`generation ${text.trim()}: another writer`);
    }
    await rmdir(item);
    return out;
  };
}

/** The operations getReport() runs, recorded once, and a backend replaying their outcomes. */
async function trace(root) {
  const real = configfsBackend(root);
  const ops = [];
  const traced = {};
  for (const kind of ["mkdir", "read", "write", "rmdir"]) {
    traced[kind] = async (path, data) => {
      const attr = path.split("/")[1] ?? "";
      try {
        const out = await real[kind](path, data);
        ops.push({ kind, attr, out });
        return out;
      } catch (e) {
        ops.push({ kind, attr, code: e.code });
        throw e;
      }
    };
  }
  await getReport({ inblob }, { backend: traced });
  // Answers in recorded order (the machine asks the same things each time); mkdir starts over.
  let i = 0;
  const replay = {};
  for (const kind of ["mkdir", "read", "write", "rmdir"]) {
    replay[kind] = async () => {
      if (kind === "mkdir") i = 0;
      const o = ops[i++];
      if (o.code) throw Object.assign(new Error(o.code), { code: o.code });
      return o.out;
    };
  }
  return { ops, replay };
}

/**
 * Calls per client under the hardware profile: as many as about 2 s of provider latency allows,
 * at least 3. One call per round varies by tens of percent, so a 30 ms provider gets 67 rounds
 * rather than the 3 a 1 s provider can afford (3 rounds left the SEV-SNP median +-34% uncertain).
 */
const hardwareRounds = (provider) => Math.max(3, Math.round(2000 / LATENCY_PROFILES.hardware[provider]));

/**
 * getReport against the simulator's "hardware" latency profile (hosts/sim/providers/index.js
 * LATENCY_PROFILES): what acquisition costs on real machines, and how little of it is ours.
 */
async function hardware(ctx, provider) {
  const dir = mkdtempSync(join(tmpdir(), "tsmkit-bench-acquire-"));
  const mount = await startMount(join(dir, "mnt"), { provider, providerOptions: { latency: "hardware" } });
  try {
    const root = join(mount.dir, "report");
    const t = await ctx.compareAsync({
      ours: async () => (await getReport({ inblob }, { backend: "configfs", root })).outblob,
      [CHECKED]: handWritten(root, { checked: true }),
    }, { rounds: ctx.quick ? 1 : hardwareRounds(provider), calls: 1, warmupMs: 0 });
    return { label: `getReport ${provider}, hardware latency`, ours: t.ours, core: null, peerName: CHECKED, peer: t[CHECKED], within: 1.1 };
  } finally {
    await mount.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(ctx) {
  const profiled = [await hardware(ctx, "tdx_guest"), await hardware(ctx, "sev_guest")];
  const dir = mkdtempSync(join(tmpdir(), "tsmkit-bench-acquire-"));
  const mount = await startMount(join(dir, "mnt"), { provider: "tdx_guest", providerOptions: { latencyMs: 0 } });
  try {
    const root = join(mount.dir, "report");
    const hand = handWritten(root);
    const checked = handWritten(root, { checked: true });
    const ours = async () => (await getReport({ inblob }, { backend: "configfs", root })).outblob;
    // Both must return the quote for this inblob before their times mean anything.
    for (const [who, fn] of [["getReport", ours], [HAND, hand], [CHECKED, checked]]) {
      const q = decode(await fn(), { provider: "tdx_guest" });
      if (q.body.reportData !== hex(inblob)) throw new Error(`${who}: quote does not carry the inblob`);
    }
    const { ops, replay } = await trace(root);
    // One call per candidate per round, rotating: the clients alternate call by call, so the
    // mount's drift over a run (its FUSE server shares the two cores) reaches them alike; rounds
    // of 100 ms read 0.82-0.96x across runs, call by call 0.90-0.93x.
    const t = await ctx.compareAsync({ ours, [HAND]: hand, [CHECKED]: checked }, ctx.quick ? {} : { rounds: 301, calls: 1, warmupMs: 300 });
    // Apart from the file clients: its calls allocate at CPU speed, and a program drives one
    // backend, not two through the same call sites.
    const core = await ctx.compareAsync({ core: async () => (await getReport({ inblob }, { backend: replay })).outblob });
    const seq = ops.map((o) => `${o.kind}${o.attr ? ` ${o.attr}` : ""}${o.code ? ` (${o.code})` : ""}`).join(", ");
    return {
      rows: [
        { label: "getReport tdx_guest", ours: t.ours, core: core.core, peerName: HAND, peer: t[HAND] },
        { label: "getReport tdx_guest", ours: t.ours, core: core.core, peerName: CHECKED, peer: t[CHECKED], within: 1.1 },
        ...profiled,
      ],
      notes: [
        `getReport runs: ${seq}; the hand-written client: mkdir, write inblob, read outblob, rmdir;` +
          ` checked, it also reads provider (before inblob) and generation (after outblob): the same operations as getReport,` +
          " the target's peer. Every client reads an attribute until a read comes back short (configfs serves the whole content from the first read).",
        "core-only = getReport on a backend replaying recorded answers (the report machine and report.js, no file I/O), measured after the file clients, not between them.",
        `"hardware latency" rows: the simulator's hardware profile (${Object.entries(LATENCY_PROFILES.hardware).map(([p, ms]) => `${p} ${ms} ms`).join(", ")}` +
          ` before each answer; TDX from the kernel's once-a-second poll, SEV-SNP one PSP round trip, CCA an assumption), one call per round, ${["tdx_guest", "sev_guest"].map((p) => `${p} ${hardwareRounds(p)} rounds`).join(", ")}.`,
        "ratio = peer ns / ours ns (below 1: getReport is slower). Both clients are awaited call by call.",
      ],
    };
  } finally {
    await mount.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
