// Ordinary tools copy every simulated blob whole from the FUSE mount. configfs sizes attributes
// by kind, not content (binary 0, text 4096), and tools that trust a size (cp's sparse-file scan,
// Node's readFile, Go's os.ReadFile hint) must still get every byte, as they do from configfs.
// Each item is the one getReport read (its final rmdir held back), so every copy must equal the
// bytes getReport returned.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startMount, isMounted } from "../../hosts/sim/mount-process.js";
import { getReport } from "../../hosts/node/report.js";
import { configfsBackend } from "../../hosts/node/configfs.js";

const TMP = mkdtempSync(join(tmpdir(), "tsmkit-fuse-copy-"));
const CASES = [
  // A TDX quote is longer than a page: a page-sized st_size would cut it.
  { name: "tdx_guest", mount: "tdx_guest", blobs: ["outblob"], longest: 4097 },
  { name: "sev_guest", mount: "sev_guest", request: { privlevel: 2 }, blobs: ["outblob", "auxblob"] },
  { name: "sev_guest under an SVSM", mount: "sev_guest", request: { serviceProvider: "svsm" },
    blobs: ["outblob", "auxblob", "manifestblob"] },
  { name: "arm_cca_guest", mount: "arm_cca_guest", blobs: ["outblob"] },
];
// One mount per provider (each server makes its own keys, which takes seconds); sev_guest's runs
// under an SVSM, which shows the service_* attributes an item may use or leave alone.
const MOUNTS = { tdx_guest: {}, sev_guest: { svsm: true, privlevelFloor: 2 }, arm_cca_guest: {} };
const mounts = {};

// Each copier writes src to dst in its own way. Python's own binary, not the pyenv shim (a shell
// script that costs 0.4 s a start).
const PYTHON = spawnSync("python3", ["-c", "import sys; print(sys.executable)"], { encoding: "utf8" }).stdout.trim();
const PY_READ = "import sys; d = open(sys.argv[1], 'rb').read(); open(sys.argv[2], 'wb').write(d)";
const PY_COPYFILEOBJ = "import shutil, sys\nwith open(sys.argv[1], 'rb') as s, open(sys.argv[2], 'wb') as d: shutil.copyfileobj(s, d)";
// fs.readFileSync reads exactly st_size bytes when st_size > 0, and to EOF only when it is 0
// (Go's os.ReadFile sizes its first buffer from it too): a size that is not 0 would cut the blob.
const NODE_READFILE = "const fs = require('node:fs'); fs.writeFileSync(process.argv[2], fs.readFileSync(process.argv[1]))";
const COPIERS = {
  cp: (src, dst) => ["cp", [src, dst]],
  "cat >": (src, dst) => ["bash", ["-c", 'cat "$0" > "$1"', src, dst]],
  dd: (src, dst) => ["dd", [`if=${src}`, `of=${dst}`, "status=none"]],
  "python open().read()": (src, dst) => [PYTHON, ["-c", PY_READ, src, dst]],
  "python shutil.copyfileobj": (src, dst) => [PYTHON, ["-c", PY_COPYFILEOBJ, src, dst]],
  "node readFileSync": (src, dst) => [process.execPath, ["-e", NODE_READFILE, src, dst]],
};

function copy(tool, src, dst) {
  const [cmd, args] = COPIERS[tool](src, dst);
  const r = spawnSync(cmd, args, { encoding: "utf8", timeout: 30_000 });
  assert.is(r.status, 0, `${tool}: ${r.stderr}`);
  return readFileSync(dst);
}

/** getReport on the mount, with the final rmdir held back: resolves to { report, item, remove() }. */
async function reportKeepingItem(root, request) {
  const backend = configfsBackend(root);
  let item;
  const report = await getReport(request, { backend: { ...backend, rmdir: async (path) => { item = path; } } });
  return { report, item: join(root, item), remove: () => backend.rmdir(item) };
}

test.before(async () => {
  for (const [provider, opts] of Object.entries(MOUNTS)) mounts[provider] = await startMount(join(TMP, provider), { provider, ...opts });
});

test.after(async () => {
  for (const m of Object.values(mounts)) await m.stop();
  for (const m of Object.values(mounts)) assert.not.ok(await isMounted(m.dir), `${m.dir} still mounted`);
  rmSync(TMP, { recursive: true, force: true });
});

for (const c of CASES) {
  test(`${c.name}: attributes are sized as configfs sizes them (binary 0, text 4096)`, async () => {
    const root = join(mounts[c.mount].dir, "report");
    const inblob = crypto.getRandomValues(new Uint8Array(64));
    const { item, remove } = await reportKeepingItem(root, { inblob, ...c.request });
    try {
      const r = spawnSync("stat", ["-c", "%n %s", ...["inblob", ...c.blobs, "provider", "generation"].map((a) => join(item, a))], { encoding: "utf8" });
      assert.is(r.status, 0, r.stderr);
      const sizes = Object.fromEntries(r.stdout.trim().split("\n").map((l) => l.split(" ")).map(([p, s]) => [p.slice(item.length + 1), +s]));
      assert.equal(sizes, { inblob: 0, ...Object.fromEntries(c.blobs.map((b) => [b, 0])), provider: 4096, generation: 4096 });
    } finally {
      await remove();
    }
  });

  test(`${c.name}: ${Object.keys(COPIERS).join(", ")} copy ${c.blobs.join(", ")} whole, as getReport read them`, async () => {
    const root = join(mounts[c.mount].dir, "report");
    const inblob = crypto.getRandomValues(new Uint8Array(64));
    const { report, item, remove } = await reportKeepingItem(root, { inblob, ...c.request });
    try {
      for (const blob of c.blobs) {
        const want = report[blob];
        assert.ok(want.length >= (c.longest ?? 1), `${blob} of ${want.length} bytes`);
        for (const tool of Object.keys(COPIERS)) {
          const got = copy(tool, join(item, blob), join(TMP, "copy.bin"));
          assert.ok(Buffer.from(want).equals(got), `${tool} ${blob}: ${got.length} bytes, getReport read ${want.length}`);
        }
      }
    } finally {
      await remove();
    }
  });
}

test.run();
