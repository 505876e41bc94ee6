// The runtime event log format (hosts/js/runtime-log.js): what it writes parses back, and every
// kind of damage (torn append, gap, bad digest, truncation at every byte) is a typed error.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { formatRuntimeHeader, formatRuntimeRecord, parseRuntimeLog, RuntimeLogError } from "../../hosts/js/runtime-log.js";

const D1 = "ab".repeat(48), D2 = "0f".repeat(48);
const LOG = formatRuntimeHeader() +
  formatRuntimeRecord({ recnum: 1, register: "rtmr3", digest: D1, event: "container-image" }) +
  formatRuntimeRecord({ recnum: 2, register: "rtmr2", digest: Uint8Array.from(Buffer.from(D2, "hex")), event: { name: "config", path: "/etc/app.toml" } }) +
  formatRuntimeRecord({ recnum: 3, register: "static0", hashAlg: "sha256", digest: "11".repeat(32), event: "other-device" });

function refused(text, code, line) {
  try {
    parseRuntimeLog(text);
  } catch (e) {
    assert.instance(e, RuntimeLogError, e.stack);
    assert.is(e.code, code, e.message);
    if (line !== undefined) assert.is(e.line, line, e.message);
    assert.is(e.toJSON().error.code, code);
    return e;
  }
  assert.unreachable(`accepted: ${JSON.stringify(text).slice(0, 200)}`);
}

test("what formatRuntimeRecord writes parses back, from text and from bytes", () => {
  for (const input of [LOG, new TextEncoder().encode(LOG), new TextEncoder().encode(LOG).buffer]) {
    const log = parseRuntimeLog(input);
    assert.is(log.version, 1);
    assert.equal(log.events, [
      { recnum: 1, register: "rtmr3", index: 3, hashAlg: "sha384", digest: D1, content: { name: "container-image" } },
      { recnum: 2, register: "rtmr2", index: 2, hashAlg: "sha384", digest: D2, content: { name: "config", path: "/etc/app.toml" } },
      { recnum: 3, register: "static0", index: null, hashAlg: "sha256", digest: "11".repeat(32), content: { name: "other-device" } },
    ]);
  }
  assert.equal(parseRuntimeLog(formatRuntimeHeader()).events, []);
});

test("each line is a CEL-JSON-shaped record with its own line end", () => {
  const lines = LOG.split("\n");
  assert.is(lines.pop(), "");
  const rec = JSON.parse(lines[1]);
  assert.equal(Object.keys(rec), ["recnum", "mr", "digests", "content_type", "content"]);
  assert.equal(rec.digests, [{ hashAlg: "sha384", digest: D1 }]);
});

test("damage is a typed error naming the line and record", () => {
  const lines = LOG.split("\n").slice(0, -1);
  const edit = (i, f) => lines.map((l, j) => (j === i ? JSON.stringify(f(JSON.parse(l))) : l)).join("\n") + "\n";
  refused("", "EMPTY", 1);
  refused(LOG.slice(0, -1), "TORN_RECORD", 4);
  refused(LOG + "\n", "BAD_JSON", 5);
  refused(Uint8Array.of(0xff, 0xfe), "BAD_ENCODING", 1);
  refused(LOG.replace('"version":1', '"version":2'), "UNSUPPORTED_VERSION", 1);
  refused(lines.slice(1).join("\n") + "\n", "BAD_HEADER", 1);
  const gap = refused(lines.filter((_, i) => i !== 2).join("\n") + "\n", "BAD_RECNUM", 3);
  assert.is(gap.recnum, 2);
  refused(edit(1, (r) => ({ ...r, digests: [{ hashAlg: "sha384", digest: D1.slice(2) }] })), "BAD_DIGEST", 2);
  refused(edit(1, (r) => ({ ...r, digests: [{ hashAlg: "sha384", digest: D1.toUpperCase() }] })), "BAD_DIGEST", 2);
  refused(edit(1, (r) => ({ ...r, digests: [{ hashAlg: "md5", digest: "00".repeat(16) }] })), "BAD_DIGEST", 2);
  refused(edit(1, (r) => ({ ...r, digests: [r.digests[0], r.digests[0]] })), "BAD_DIGEST", 2);
  refused(edit(1, (r) => ({ ...r, mr: "rtmr3:sha384" })), "BAD_REGISTER", 2);
  refused(edit(1, (r) => ({ ...r, content: { path: "x" } })), "BAD_CONTENT", 2);
  refused(edit(1, (r) => ({ ...r, content_type: "pcclient_std" })), "BAD_CONTENT", 2);
  refused(edit(1, (r) => ({ ...r, pcr: 3 })), "BAD_RECORD", 2);
  refused(edit(1, (r) => [r]), "BAD_JSON", 2);
  refused(formatRuntimeHeader() + `{"recnum":1,"x":"${"a".repeat(70000)}"}\n`, "TOO_LONG", 2);
});

test("a log cut at any byte is refused (no partial result), except on a record boundary", () => {
  const bytes = new TextEncoder().encode(LOG);
  const boundaries = new Set([...LOG.matchAll(/\n/g)].map((m) => m.index + 1));
  for (let n = 0; n < bytes.length; n++) {
    if (boundaries.has(n)) {
      assert.is(parseRuntimeLog(bytes.subarray(0, n)).events.length, [...boundaries].filter((b) => b <= n).length - 1);
    } else {
      refused(bytes.subarray(0, n), n === 0 ? "EMPTY" : "TORN_RECORD");
    }
  }
});

test("formatRuntimeRecord refuses what the parser would refuse", () => {
  const ok = { recnum: 1, register: "rtmr3", digest: D1, event: "e" };
  for (const bad of [{ recnum: 0 }, { register: "rtmr3:sha384" }, { digest: D1.slice(1) }, { hashAlg: "sha1" }, { event: {} }, { event: "" }, { event: { name: "x".repeat(70000) } }]) {
    assert.throws(() => formatRuntimeRecord({ ...ok, ...bad }), TypeError, JSON.stringify(bad).slice(0, 80));
  }
});

test.run();
