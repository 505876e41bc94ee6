import { test } from "uvu";
import * as assert from "uvu/assert";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { DATA, data } from "../data.js";
import { decode, DecodeError } from "../../hosts/js/decode.js";
import { view } from "../../hosts/js/view.js";
import { FORMATS } from "../../hosts/js/formats.js";

// view() is decode() made lazy: the same validation and errors, the same values on access, and
// toJSON() equal to decode()'s value, over private copies that later calls and the caller's own
// writes cannot reach.

const FILES = ["tdx", "sgx", "snp"].flatMap((d) => {
  const walk = (dir) => readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [relative(DATA, p)];
  });
  return walk(join(DATA, d));
}).sort();

/** decode()'s value or its DecodeError's JSON form. */
function outcome(fn) {
  try {
    return { value: fn() };
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    return { error: e.toJSON() };
  }
}

/** Reads every key of a view by its getters (not toJSON), down to the leaves. */
function read(v) {
  if (Array.isArray(v)) return v.map(read);
  if (v === null || typeof v !== "object") return v;
  const o = {};
  for (const k in v) o[k] = read(v[k]);
  return o;
}

test("the corpus is there to compare on", () => {
  assert.ok(FILES.length > 60, `${FILES.length} files`);
});

test("every corpus file, auto and every explicit format: same value or same DecodeError", () => {
  let viewed = 0;
  for (const f of FILES) {
    const bytes = data(f);
    for (const opts of [undefined, ...Object.keys(FORMATS).map((format) => ({ format }))]) {
      const label = `${f} as ${opts?.format ?? "auto"}`;
      const want = outcome(() => decode(bytes, opts));
      const got = outcome(() => view(bytes, opts));
      if (want.error) {
        assert.equal(got.error, want.error, label);
        continue;
      }
      assert.ok(got.value, `${label}: decode returned a value, view threw ${JSON.stringify(got.error)}`);
      assert.equal(got.value.toJSON(), want.value, label);
      // dequal ignores key order; the printed forms do not.
      assert.is(JSON.stringify(got.value), JSON.stringify(want.value), label);
      viewed++;
    }
  }
  assert.ok(viewed >= 60, `only ${viewed} views`);
});

test("reading every field through the view's getters gives decode()'s values, in its key order", () => {
  for (const f of FILES) {
    const bytes = data(f);
    let want;
    try { want = decode(bytes); } catch { continue; }
    const got = read(view(bytes));
    assert.equal(got, want, f);
    assert.is(JSON.stringify(got), JSON.stringify(want), f);
  }
});

test("a group read twice is the same object; the view's arrays cannot be changed", () => {
  const v = view(data("tdx/go-tdx-guest-quote-v4-spr-e4.dat"));
  assert.ok(v.body === v.body);
  const chain = v.signatureData.certificationData.qeReportCertificationData.certificationData.pckCertChain;
  assert.ok(Object.isFrozen(chain) && chain.length > 0);
});

test("writing to the caller's buffer after view() does not change the view", () => {
  for (const f of ["tdx/go-tdx-guest-quote-v4-spr-e4.dat", "snp/ms-tee-av-report-v3-genoa.bin", "snp/constructed-certtable-vcek-milan.bin"]) {
    const bytes = Uint8Array.from(data(f));
    const want = decode(bytes);
    const v = view(bytes);
    bytes.fill(0xa5);
    assert.equal(read(v), want, f);
    assert.equal(v.toJSON(), want, f);
  }
});

test("an input too large to share a slab (a quote with 40 KB of padding) gets its own copy", () => {
  const q = data("tdx/go-tdx-guest-quote-v4-spr-e4.dat");
  const bytes = new Uint8Array(q.length + 40000);
  bytes.set(q);
  const want = decode(bytes);
  const v = view(bytes);
  const after = view(data("snp/ms-tee-av-report-v3-genoa.bin"));
  bytes.fill(0x5a);
  assert.equal(read(v), want);
  assert.equal(after.toJSON(), decode(data("snp/ms-tee-av-report-v3-genoa.bin")));
});

test("views from consecutive calls do not interfere, also across formats and slabs", () => {
  const files = ["tdx/go-tdx-guest-quote-v4-spr-e4.dat", "snp/ms-tee-av-report-v3-genoa.bin",
    "tdx/go-tdx-guest-quote-v5-td15.dat", "snp/oak-report-v5-turin.bin", "tdx/attestation-rs-tdreport-live.dat"];
  // Enough calls to fill several shared slabs; none is read before the last call.
  const views = [];
  for (let i = 0; i < 60; i++) views.push([files[i % files.length], view(data(files[i % files.length]))]);
  for (const [f, v] of views) assert.equal(read(v), decode(data(f)), f);
});

test("a failed view() leaves earlier views intact and throws decode()'s error", () => {
  const f = "snp/ms-tee-av-report-v3-genoa.bin";
  const v = view(data(f));
  const cut = data(f).subarray(0, 100);
  const want = outcome(() => decode(cut, { format: "snp-report" })).error;
  assert.ok(want, "a cut report must fail");
  assert.equal(outcome(() => view(cut, { format: "snp-report" })).error, want);
  assert.equal(v.toJSON(), decode(data(f)));
});

test.run();
