// The evidence inspector page in a real headless Chromium, on corpus files served in place: inputs
// sorted by content (Intel's names, meaningless names, pastes), every change re-verified, the
// verdict's missing inputs said as actions, fields equal to Node's decode, the byte map equal to
// locate(), decode errors as a banner and a marked byte, keyboard use, and both viewport sizes.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { join } from "node:path";
import { DATA, ROOT, data, expected } from "../data.js";
import { decode, locate } from "../../hosts/js/decode.js";
import { PIECES, PROD_QUOTE, PROD_NOW } from "../collateral-names.js";
import { startBrowser } from "./browser-server.js";
import { createPki } from "../../hosts/sim/pki.js";
import { createProvider } from "../../hosts/sim/providers/index.js";

const SNP = {
  report: "snp/trustee-report-v2-milan.bin",
  table: "snp/constructed-certtable-vcek-milan.bin",
  crl: "collateral/amd/openpcc-milan-vcek-crl-2505.der",
  now: "2025-09-12T00:00:00",
};

let b, page;
test.before(async () => {
  b = await startBrowser({ viewport: { width: 1280, height: 800 } });
  page = b.page;
});
test.after(async () => { await b?.close(); });

const idle = () => page.evaluate(() => window.inspector.idle());
const shot = (name) => process.env.TSMKIT_SCREENSHOTS && page.screenshot({ path: join(process.env.TSMKIT_SCREENSHOTS, `inspector-${name}.png`) });

/** Types a policy as a user would: open the Policy box, fill it, leave it. */
async function setPolicy(text) {
  if (!await page.$eval("#policybox", (d) => d.open)) await page.click("#policybox summary");
  await page.fill("#policy", text);
  await page.dispatchEvent("#policy", "change");
  await idle();
}

/** The policy a relying party types for corpus evidence it asked for: its nonce, the file's own report data. */
const noncePolicy = (rel, more = {}) => JSON.stringify({ reportData: expected[rel].report_data, ...more });

async function reset() {
  await page.click("#clear");
  await page.fill("#now", "");
  await setPolicy("");
}

/** Drops corpus files on the drop zone, as a user's drag would: [path in the corpus, name shown]. */
async function dropFiles(list) {
  await page.evaluate(async (files) => {
    const dt = new DataTransfer();
    for (const [path, name] of files) dt.items.add(new File([await (await fetch(`/data/${path}`)).arrayBuffer()], name));
    document.getElementById("drop").dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, list.map((f) => (Array.isArray(f) ? f : [f, f.split("/").pop()])));
  await idle();
}

/** Drops bytes made here (not in the corpus) as files: [[name, bytes], ...]. */
async function dropBytes(list) {
  await page.evaluate((files) => {
    const dt = new DataTransfer();
    for (const [name, b64] of files) dt.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], name));
    document.getElementById("drop").dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, list.map(([name, bytes]) => [name, Buffer.from(bytes).toString("base64")]));
  await idle();
}

async function paste(text) {
  await page.fill("#paste", text);
  await page.click("#inspect");
  await idle();
}

const headline = () => page.textContent("#verdict .headline");
const roles = () => page.$$eval("#inputs li", (lis) => lis.map((li) => li.dataset.role));

/** Every leaf row of the Fields view: path -> shown value (long values are shown cut, with their length). */
const shownFields = () => page.$$eval("#fields .row", (rows) => Object.fromEntries(rows.map((r) => [r.dataset.path, r.querySelector(".value").firstChild.textContent])));

/** Node's decode as the rows the page should show: path -> value text. */
function expectedFields(value, path = "", out = {}) {
  if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) expectedFields(v, path ? `${path}.${k}` : k, out);
    return out;
  }
  const text = typeof value === "boolean" ? (value ? "yes" : "no") : String(value);
  out[path] = text.length > 96 ? `${text.slice(0, 64)}… (${text.length} chars)` : text;
  return out;
}

test("a quote pasted as hex and as base64 shows exactly Node's decoded fields; without collateral the verdict says what to drop", async () => {
  await reset();
  const bytes = data(PROD_QUOTE);
  await paste(`0x${bytes.toString("hex").replace(/(.{64})/g, "$1\n")}`);
  assert.equal(await roles(), ["evidence"]);
  assert.match(await page.textContent("#inputs"), /tdx-quote, 5006 bytes \(read as hex text\)/);
  const hex = await shownFields();
  assert.equal(hex, expectedFields(decode(bytes)));
  assert.ok(Object.keys(hex).length > 40);
  assert.match(await headline(), /^Not verified — dcap\.collateral failed$/);
  const deciding = await page.textContent("#verdict .check.deciding");
  assert.match(deciding, /Missing: drop the Intel collateral here/);
  assert.not.match(await page.textContent("#verdict"), /is not a function/);
  await shot("quote-no-collateral");
  await paste(bytes.toString("base64"));
  assert.equal(await roles(), ["evidence"], "the second paste replaces the evidence");
  assert.equal(await shownFields(), hex);
  // Ctrl+V anywhere outside a text box inspects the clipboard's text (here, the hex again).
  await reset();
  await page.evaluate((text) => {
    const dt = new DataTransfer();
    dt.setData("text/plain", text);
    document.body.dispatchEvent(new ClipboardEvent("paste", { clipboardData: dt, bubbles: true }));
  }, bytes.toString("hex"));
  await idle();
  assert.equal(await shownFields(), hex);
  // The same quote picked as a file shows the same fields.
  await reset();
  await page.setInputFiles("#file", join(DATA, PROD_QUOTE));
  await idle();
  assert.match(await page.textContent("#inputs"), /dcap-qvl-tdx-quote-v4\.dat\s*tdx-quote, 5006 bytes/);
  assert.equal(await shownFields(), hex);
  assert.equal(b.errors, []);
});

const FORMATS = ["sgx/dcap-qvl-sgx-quote-v3.dat", "tdx/go-tdx-guest-quote-v5-td15.dat", "tdx/attestation-rs-tdreport-live.dat",
  "snp/oak-report-v5-turin.bin", SNP.table, "cca/ccatoken-good-cmw-collection.cbor", "cca/tfm-tools-cca-example-token-realm2.cbor"];

test("every format dropped alone shows exactly Node's decoded fields, and a byte map of all its bytes", async () => {
  for (const file of FORMATS) {
    await reset();
    await dropFiles([file]);
    assert.equal(await shownFields(), expectedFields(decode(data(file))), file);
    const mapped = await page.$$eval("#map .hx [data-at]", (s) => s.reduce((n, e) => n + Number(e.dataset.end) - Number(e.dataset.at), 0));
    assert.is(mapped, data(file).length, file);
  }
  assert.equal(b.errors, []);
});

test("a CCA token: its COSE signed parts are marked; a malformed one gets the banner and its byte", async () => {
  await reset();
  const file = "cca/ccatoken-good-cmw-collection.cbor";
  await dropFiles([file]);
  const want = locate(data(file));
  const cover = (cls) => page.$$eval(`#map .hx .${cls}`, (s) => s.flatMap((e) => { const out = []; for (let i = Number(e.dataset.at); i < Number(e.dataset.end); i++) out.push(i); return out; }));
  const expect = (...paths) => paths.flatMap((p) => { const [o, n] = want.get(p); return Array.from({ length: n }, (_, i) => o + i); }).sort((x, y) => x - y);
  assert.equal(await cover("sig0"), expect("platform.protected", "platform.claims"));
  assert.equal(await cover("sig1"), expect("realm.protected", "realm.claims"));
  assert.match(await page.textContent("#legend"), /CBOR heads and tags/);
  await reset();
  const bad = "cca/ccatoken-bad-unwrapped-tokens.cbor";
  let err;
  try { decode(data(bad)); } catch (e) { err = e; }
  await dropFiles([bad]);
  assert.match(await page.textContent("#banner"), new RegExp(`${err.code} in ${err.field} at byte ${err.offset} `));
  assert.equal(await page.$$eval("#map .hx .err", (s) => s.map((e) => Number(e.dataset.at))), [err.offset]);
});

/** Clicks an input's remove button, straight after typing in the policy box as a user would. */
async function removeInput(name) {
  await page.click(`#inputs button[aria-label="remove ${name}"]`);
  await idle();
}

/** The rows a reader of a CCA token looks for: both profiles, the challenge, RIM, REMs, software components. */
async function ccaRowsShown(t) {
  const shown = await shownFields();
  const want = expectedFields(t);
  const rows = ["platform.claims.profile", "realm.claims.profile", "realm.claims.challenge", "realm.claims.initialMeasurement",
    ...t.realm.claims.extensibleMeasurements.map((_, i) => `realm.claims.extensibleMeasurements.${i}`),
    ...t.platform.claims.softwareComponents.flatMap((_, i) => [`platform.claims.softwareComponents.${i}.measurementType`, `platform.claims.softwareComponents.${i}.measurementValue`])];
  for (const path of rows) {
    assert.is(shown[path], want[path], path);
    assert.ok(await page.isVisible(`#fields .row[data-path="${path}"]`), `${path} is visible`);
  }
  assert.equal(shown, want);
}

test("a real CCA token (TF-M tools, realm#2.0.0): claims readable as rows; verified once its CPAK and nonce are given", async () => {
  await reset();
  const file = "cca/tfm-tools-cca-example-token-realm2.cbor";
  const t = decode(data(file));
  await dropFiles([file]);
  await ccaRowsShown(t);
  assert.is(t.platform.claims.softwareComponents.length, 13);
  assert.is(await headline(), "Not verified — cca.platformSignature failed");
  assert.match(await page.textContent("#verdict .check.deciding"), /Missing: drop the CCA platform's public key here/);
  await dropFiles(["cca/ccatoken-tf-rmm-cpak-pub.pem"]);
  assert.equal(await roles(), ["evidence", "ccaKey"]);
  assert.is(await headline(), "Not verified — policy.reportData failed");
  assert.match(await page.textContent("#verdict .check.deciding"), /Missing: set "reportData" \(the nonce, hex\) under Policy/);
  await setPolicy(JSON.stringify({ reportData: t.realm.claims.challenge }));
  assert.is(await headline(), "Verified");
  await shot("cca-tfm-verified");
  // The veraison test IAK (P-256) is not this platform's key: the ES384 platform token cannot verify with it.
  await removeInput("ccatoken-tf-rmm-cpak-pub.pem");
  await dropFiles(["cca/ccatoken-test-iak-pub.pem"]);
  assert.equal(await roles(), ["evidence", "ccaKey"]);
  assert.is(await headline(), "Not verified — cca.platformSignature failed");
  assert.equal(b.errors, []);
});

test("a simulator CCA token (TF-RMM's current shape) with the CPAK sim roots writes: rows shown, signed parts marked, verified", async () => {
  await reset();
  const pki = await createPki();
  const inblob = crypto.getRandomValues(new Uint8Array(32));
  const { outblob } = await createProvider("arm_cca_guest", { pki }).reportNew({ inblob });
  const t = decode(outblob);
  await dropBytes([["outblob", outblob]]);
  await ccaRowsShown(t);
  const shown = await shownFields();
  assert.equal([shown["platform.claims.profile"], shown["realm.claims.profile"], shown["realm.claims.mecPolicy"], shown["realm.claims.mecPolicyForm"]],
    ["tag:arm.com,2024:cca_platform#2.0.0", "tag:arm.com,2024:realm#2.0.0", "1", "integer"]);
  const mapped = await page.$$eval("#map .hx [data-at]", (s) => s.reduce((n, e) => n + Number(e.dataset.end) - Number(e.dataset.at), 0));
  assert.is(mapped, outblob.length);
  assert.match(await page.textContent("#legend"), /platform token, signed by the CPAK.*realm token, signed by the RAK/);
  await dropBytes([["cca-cpak.pem", new TextEncoder().encode(pki.cca.cpakPem)]]);
  await setPolicy(JSON.stringify({ reportData: Buffer.from(inblob).toString("hex") + "00".repeat(32) }));
  assert.is(await headline(), "Verified");
  await shot("cca-sim-verified");
  // Another simulator's CPAK does not verify this platform's token.
  await removeInput("cca-cpak.pem");
  await dropBytes([["other-cpak.pem", new TextEncoder().encode((await createPki()).cca.cpakPem)]]);
  assert.is(await headline(), "Not verified — cca.platformSignature failed");
  assert.equal(b.errors, []);
});

for (const [scheme, idx] of [["Intel's own names", 0], ["meaningless names", 2]]) {
  test(`a quote, then its collateral split in files with ${scheme}, at the collateral's time: verified; remove one piece and it is not`, async () => {
    await reset();
    await setPolicy(noncePolicy(PROD_QUOTE));
    await dropFiles([PROD_QUOTE]);
    assert.match(await headline(), /^Not verified/);
    await dropFiles(PIECES.map((p) => [`collateral/intel/${p.src}`, p.names[idx]]));
    assert.equal(await roles(), ["evidence", ...PIECES.map(() => "collateral")]);
    await page.fill("#now", PROD_NOW.replace(/Z$/, ""));
    await page.dispatchEvent("#now", "change");
    await idle();
    assert.is(await headline(), "Verified — UpToDate");
    assert.match(await page.textContent("#verdict .meta"), /Evaluated at 2025-07-19T10:00:34\.000Z/);
    await shot(`quote-collateral-${idx}`);
    // Without the Root CA CRL the verdict fails on it, and says what to add.
    await page.click(`#inputs button[aria-label="remove ${PIECES[3].names[idx]}"]`);
    await idle();
    assert.equal((await roles()).length, PIECES.length);
    assert.match(await headline(), /^Not verified — dcap\.rootCrl failed$/);
    assert.equal(b.errors, []);
  });
}

test("Intel files that do not form collateral say what is missing; inputs the evidence has no use for say so", async () => {
  await reset();
  await dropFiles([PROD_QUOTE, `collateral/intel/${PIECES[0].src}`]);
  assert.match(await page.textContent("#collateralerror"), /do not form collateral yet: .*no QE identity/);
  assert.match(await headline(), /^Not verified — dcap\.collateral failed$/);
  await dropFiles([SNP.report, SNP.crl]);
  // The SNP report replaced the quote: the Intel file waits unused, the AMD CRL is used.
  assert.equal(await roles(), ["collateral", "evidence", "crl"]);
  assert.match(await page.textContent("#inputs li[data-role=collateral] .role"), /Intel collateral: TCB info \(not used for this evidence\)/);
  assert.not.match(await page.textContent("#inputs li[data-role=crl] .role"), /not used/);
});

test("a collateral bundle dropped with the quote, then a later time: the verdict follows each change", async () => {
  await reset();
  await setPolicy(noncePolicy(PROD_QUOTE));
  await page.setInputFiles("#file", [join(DATA, PROD_QUOTE), join(DATA, "collateral/intel/dcap-qvl-tdx-collateral-bundle.json")]);
  await idle();
  assert.match(await page.textContent("#inputs"), /Intel collateral[\s\S]*dcap-qvl collateral bundle/);
  await page.fill("#now", "2025-07-19T10:00:34");
  await page.dispatchEvent("#now", "change");
  await idle();
  assert.is(await headline(), "Verified — UpToDate");
  await page.fill("#now", "2030-01-01T00:00:00");
  await page.dispatchEvent("#now", "change");
  await idle();
  assert.match(await headline(), /^Not verified/);
  assert.match(await page.textContent("#verdict .meta"), /2030-01-01T00:00:00\.000Z/);
  // The page offers the collateral's newest issue time (the QE identity's), and it verifies there.
  assert.is(await page.textContent("#issuedbtn"), "use the collateral's issue time, 2025-06-19T10:32:27Z");
  await page.click("#issuedbtn");
  await idle();
  assert.is(await headline(), "Verified — UpToDate");
  assert.match(await page.textContent("#verdict .meta"), /Evaluated at 2025-06-19T10:32:27\.000Z/);
  // Picking the same file again is a change too (the picker is cleared after each pick): nothing is added twice.
  await page.setInputFiles("#file", join(DATA, PROD_QUOTE));
  await idle();
  assert.equal(await roles(), ["evidence", "collateral"]);
});

test("an SGX quote with its collateral bundle at its time: verified", async () => {
  await reset();
  await setPolicy(noncePolicy("sgx/dcap-qvl-sgx-quote-v3.dat"));
  await page.fill("#now", "2025-07-19T10:01:17");
  await dropFiles(["sgx/dcap-qvl-sgx-quote-v3.dat", "collateral/intel/dcap-qvl-sgx-collateral-bundle.json"]);
  assert.match(await headline(), /^Verified — /);
  assert.match(await page.textContent("#title"), /sgx-quote/);
});

test("an SNP report, its certificate table and the AMD CRL at a pinned time: verified; without the CRL the page asks for it; a policy waiver is marked", async () => {
  await reset();
  await page.fill("#now", SNP.now);
  await setPolicy(noncePolicy(SNP.report));
  await dropFiles([SNP.report, SNP.table, SNP.crl]);
  assert.equal(await roles(), ["evidence", "certTable", "crl"]);
  assert.is(await headline(), "Verified");
  await shot("snp-verified");
  await page.click(`#inputs li[data-role=crl] >> text=remove`);
  await idle();
  assert.is(await headline(), "Not verified — snp.crl failed");
  const deciding = await page.textContent("#verdict .check.deciding");
  assert.match(deciding, /Missing: drop the AMD CRL for this product .* here/);
  // Waiving revocation by policy passes, and says it was waived.
  await setPolicy(noncePolicy(SNP.report, { allowUncheckedRevocation: true }));
  assert.is(await headline(), "Verified");
  assert.is(await page.$$eval("#verdict .check.waived", (l) => l.map((c) => c.dataset.check).join()), "snp.crl");
  assert.match(await page.textContent("#verdict .meta"), /1 check waived by policy/);
  // Without the nonce the page asks for it; waiving that too is marked as well.
  await setPolicy('{"allowUncheckedRevocation": true}');
  assert.is(await headline(), "Not verified — policy.reportData failed");
  assert.match(await page.textContent("#verdict .check.deciding"), /Missing: set "reportData" \(the nonce, hex\) under Policy/);
  await setPolicy('{"allowUncheckedRevocation": true, "allowAnyReportData": true}');
  assert.is(await headline(), "Verified");
  assert.is(await page.$$eval("#verdict .check.waived", (l) => l.map((c) => c.dataset.check).join()), "snp.crl,policy.reportData");
  assert.match(await page.textContent("#verdict .meta"), /2 checks waived by policy/);
  // A policy that does not parse is never replaced by the default one: no verdict, and why.
  await setPolicy('{"allowUncheckedRevocaton": true}');
  assert.match(await headline(), /^Cannot verify: .*allowUncheckedRevocaton/);
  assert.match(await page.textContent("#policyerror"), /unknown policy key/);
  assert.equal(b.errors, []);
});

test("a JSON envelope {provider, outblob, auxblob} pasted: evidence and certificate table", async () => {
  await reset();
  await page.fill("#now", SNP.now);
  await setPolicy(noncePolicy(SNP.report));
  await paste(JSON.stringify({ provider: "sev_guest", outblob: data(SNP.report).toString("base64"), auxblob: data(SNP.table).toString("hex") }));
  assert.equal(await roles(), ["evidence", "certTable"]);
  await dropFiles([SNP.crl]);
  assert.is(await headline(), "Verified");
});

test("what is not used says why: a report --json output, a trust anchor, a bad hex paste", async () => {
  await reset();
  await paste(JSON.stringify({ provider: "tdx_guest", generation: 1, attempts: 1, evidence: decode(data(PROD_QUOTE)) }));
  await dropFiles(["collateral/intel/dcap-qvl-intel-sgx-root-ca.der"]);
  await paste("0x0400020");
  assert.equal(await roles(), ["ignored", "ignored", "ignored"]);
  const why = await page.$$eval("#inputs .what", (l) => l.map((e) => e.textContent));
  assert.match(why[0], /tsmkit report --json output: it holds the decoded evidence, not its bytes/);
  assert.match(why[1], /trust anchor Intel SGX Root CA .*this page trusts only the built-in Intel and AMD roots/);
  assert.match(why[2], /an odd number of hex digits \(7\)/);
  assert.match(await page.textContent("#verdict"), /^Load evidence/);
});

test("hovering a field lights exactly locate()'s bytes; hovering a byte lights its field's row", async () => {
  await reset();
  await dropFiles([PROD_QUOTE]);
  const want = locate(data(PROD_QUOTE));
  const lit = () => page.$$eval("#map .hx .hl", (s) => [Number(s[0].dataset.at), Number(s.at(-1).dataset.end)]);
  for (const path of ["body.mrTd", "header", "signatureData.certificationData.qeReportCertificationData.qeReport.mrSigner"]) {
    await page.hover(`#fields .row[data-path="${path}"], #fields [data-path="${path}"] > summary`);
    const [off, len] = want.get(path);
    assert.equal(await lit(), [off, off + len], path);
  }
  const [off] = want.get("body.rtmr0");
  await page.hover(`#map .hx [data-at="${off}"]`);
  assert.equal(await page.$$eval("#fields .lit", (l) => l.map((r) => r.dataset.path)), ["body.rtmr0"]);
  assert.match(await page.textContent("#mapstatus"), /body\.rtmr0 \[\d+\.\.\d+\], 48 bytes/);
  // Signed regions are marked: the attestation key's from byte 0 to the body's end.
  const [bodyOff, bodyLen] = want.get("body");
  const signed = await page.$$eval("#map .hx .sig0", (s) => [Number(s[0].dataset.at), Number(s.at(-1).dataset.end)]);
  assert.equal(signed, [0, bodyOff + bodyLen]);
  // The 70 zero bytes after the quote are trailing.
  assert.is(await page.$$eval("#map .hx .trail", (s) => s.reduce((n, e) => n + Number(e.dataset.end) - Number(e.dataset.at), 0)), 70);
});

test("a truncated quote: a banner with field and offset, and the map marks the byte where decoding stopped", async () => {
  await reset();
  const cut = data(PROD_QUOTE).subarray(0, 700);
  let want;
  try { decode(cut); } catch (e) { want = e; }
  await page.evaluate((arr) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(arr)], "truncated.dat"));
    document.getElementById("drop").dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, Array.from(cut));
  await idle();
  const banner = await page.textContent("#banner");
  assert.ok(await page.isVisible("#banner"));
  assert.match(banner, new RegExp(`${want.code} in ${want.field} at byte ${want.offset} `));
  assert.match(banner, /needs 4300 bytes/);
  assert.not.match(await page.textContent("#fields"), /TRUNCATED/, "the error is not in the Fields box");
  assert.equal(await page.$$eval("#map .hx .err", (s) => s.map((e) => Number(e.dataset.at))), [want.offset]);
  assert.match(await page.textContent("#verdict .headline"), /^Not verified — decode failed$/);
  await shot("truncated");
  assert.equal(b.errors, []);
});

test("keyboard only: tab to a field to light its bytes, arrow keys in the map move a cursor over the fields", async () => {
  await reset();
  await dropFiles([SNP.report]);
  await page.mouse.move(0, 0); // no pointer over the page: only the keyboard acts
  await page.focus("#fields [data-path='measurement']");
  const [off, len] = locate(data(SNP.report)).get("measurement");
  assert.match(await page.textContent("#mapstatus"), new RegExp(`^measurement: bytes ${off}\\.\\.${off + len - 1} `));
  await page.keyboard.press("Tab"); // the row's copy button
  await page.keyboard.press("Tab"); // the next row
  assert.is(await page.evaluate(() => document.activeElement.dataset.path), "hostData");
  await page.focus(".skip"); // past the fields in one step
  await page.keyboard.press("Enter");
  assert.is(await page.evaluate(() => document.activeElement.id), "map");
  await page.keyboard.press("Home");
  await page.keyboard.press("ArrowDown");
  assert.match(await page.textContent("#mapstatus"), /^byte 16 \(0x10\) = 0x01: familyId /);
  await page.keyboard.press("ArrowRight");
  assert.match(await page.textContent("#mapstatus"), /^byte 17 /);
  // The JSON form is one key press away.
  await page.focus("#tab-json");
  await page.keyboard.press("Enter");
  assert.ok(await page.isVisible("#json"));
  assert.is(JSON.parse(await page.textContent("#json")).measurement, decode(data(SNP.report)).measurement);
  await page.click("#tab-fields");
});

for (const [w, hgt] of [[1280, 800], [390, 844]]) {
  test(`${w}x${hgt}: no sideways scrolling with evidence, inputs and a verdict on the page`, async () => {
    await page.setViewportSize({ width: w, height: hgt });
    await reset();
    await page.fill("#now", SNP.now);
    await dropFiles([SNP.report, SNP.table, SNP.crl]);
    await page.waitForTimeout(50); // the map refits its rows after the resize
    const [docWidth, viewport] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    assert.ok(docWidth <= viewport, `document ${docWidth} px wide in a ${viewport} px viewport`);
    const rowBytes = await page.$eval("#map .hexrow", (r) => r.querySelector(".as").textContent.length);
    assert.is(rowBytes, w < 600 ? 8 : 16);
    assert.ok(await page.isVisible("#verdict .headline"));
    const box = await page.$eval("#verdict .headline", (e) => e.getBoundingClientRect().right);
    assert.ok(box <= viewport, "the verdict is not cut off");
    // The verdict's headline is also at the top, a link down to the checks.
    assert.is(await page.textContent("#quick a"), `${await headline()} ↓`);
    assert.ok(await page.$eval("#quick", (e) => e.getBoundingClientRect().bottom < innerHeight));
    await shot(`${w}`);
  });
}

test("the page works as a plain file (file://), and the server gives nothing outside its roots", async () => {
  await page.setViewportSize({ width: 1280, height: 800 });
  for (const path of ["%2e%2e/package.json", "..%2f..%2fpackage.json", "data/..%2f..%2fmain/package.json"]) {
    assert.is((await fetch(b.url + path)).status, 404, path);
  }
  await page.goto(`file://${join(ROOT, "build", "browser", "index.html")}`);
  await page.waitForFunction(() => window.inspector !== undefined);
  await setPolicy(noncePolicy(SNP.report));
  await page.setInputFiles("#file", [join(DATA, SNP.report), join(DATA, SNP.table), join(DATA, SNP.crl)]);
  await page.fill("#now", SNP.now);
  await page.dispatchEvent("#now", "change");
  await idle();
  assert.is(await headline(), "Verified");
  assert.equal(b.errors, []);
});

test.run();
