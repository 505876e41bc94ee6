// One process of race.test.js: `node race-worker.js ROLE ROOT REQUESTS PROVIDER`. ROLE is
// "fresh" (getReport on a fresh item each time), "shared" (the raw kernel recipe on one shared
// item, with its own generation check) or an interferer. Prints one JSON line of counts when done.
import { readdirSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { getReport } from "../../hosts/node/report.js";
import { configfsBackend } from "../../hosts/node/configfs.js";
import { decode } from "../../hosts/js/decode.js";

const [role, root, requests, provider] = process.argv.slice(2);
const N = Number(requests);
const hex = (b) => Buffer.from(b).toString("hex");
const dataOf = (outblob) => decode(outblob, { provider }).reportData;
const errno = (p) => p.then(() => "ok", (e) => e.code);
// Attribute I/O as a configfs client must do it: one write per open, reads to EOF (st_size lies).
const io = configfsBackend(root);
const text = async (path) => new TextDecoder().decode(await io.read(path));
const c = { role, ok: 0, wrong: 0, retried: 0, conflicts: 0, surfaced: {}, undetected: 0, writes: {} };

if (role === "fresh") {
  for (let i = 0; i < N; i++) {
    const inblob = crypto.getRandomValues(new Uint8Array(64));
    try {
      const r = await getReport({ inblob }, { backend: "configfs", root, retries: 8 });
      c.ok++;
      c.retried += r.attempts - 1;
      if (dataOf(r.outblob) !== hex(inblob)) c.wrong++;
    } catch (e) {
      const key = e.name + ":" + e.code + ":" + e.attribute;
      c.surfaced[key] = (c.surfaced[key] ?? 0) + 1;
      c.retried += Math.max(0, e.attempts - 1);
    }
  }
} else if (role === "shared") {
  // The documented contract: generation after reading = generation before + own writes.
  for (let i = 0; i < N; i++) {
    const inblob = crypto.getRandomValues(new Uint8Array(64));
    let done = false;
    for (let attempt = 0; attempt < 8 && !done; attempt++) {
      const g0 = BigInt(await text("shared/generation"));
      await io.write("shared/inblob", inblob);
      const out = await io.read("shared/outblob");
      const g1 = BigInt(await text("shared/generation"));
      const mine = dataOf(out) === hex(inblob);
      if (g1 !== g0 + 1n) { c.conflicts++; continue; }
      if (!mine) c.undetected++;
      else c.ok++;
      done = true;
    }
    if (!done) c.surfaced.conflict = (c.surfaced.conflict ?? 0) + 1;
  }
} else {
  // Interference: generation-advancing writes into whatever items exist at that moment.
  for (let i = 0; i < N; i++) {
    const items = readdirSync(root);
    if (!items.length) { await sleep(1); i--; continue; }
    const item = items[Math.floor(Math.random() * items.length)];
    const r = await (Math.random() < 0.5
      ? errno(io.write(item + "/inblob", crypto.getRandomValues(new Uint8Array(64))))
      : errno(io.write(item + "/privlevel", new TextEncoder().encode("0"))));
    c.writes[r] = (c.writes[r] ?? 0) + 1;
    await sleep(Math.random() * 4);
  }
}
process.stdout.write(JSON.stringify(c) + "\n");
