// `tsmkit verify TOKEN --roots KEY` for Arm CCA tokens, as a user runs it (a real process):
// exit 0 verified, 1 not verified (naming the check, with what to supply), 2 bad input. --roots
// takes the platform key as a PEM public key, a certificate or a JWK file.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DATA, ROOT, data } from "../data.js";
import { decode } from "../../hosts/js/decode.js";

const CLI = join(ROOT, "hosts", "node", "cli.js");
const dir = await mkdtemp(join(tmpdir(), "tsmkit-cca-cli-"));
const at = (name) => join(dir, name);
const tsmkit = (...args) => spawnSync(process.execPath, [CLI, "verify", ...args], { encoding: "utf8", cwd: dir });

const TOKEN = join(DATA, "cca/tfm-tools-cca-example-token-realm2.cbor");
const CPAK = join(DATA, "cca/ccatoken-tf-rmm-cpak-pub.pem");
const IAK = join(DATA, "cca/ccatoken-test-iak-pub.pem");
const CHALLENGE = decode(data("cca/tfm-tools-cca-example-token-realm2.cbor")).realm.claims.challenge;
await writeFile(at("nonce.json"), JSON.stringify({ reportData: CHALLENGE }));
const spki = Buffer.from(data("cca/ccatoken-tf-rmm-cpak-pub.pem").toString().replace(/-----[^-]+-----|\s/g, ""), "base64");
const jwk = await globalThis.crypto.subtle.exportKey("jwk", await globalThis.crypto.subtle.importKey("spki", spki, { name: "ECDSA", namedCurve: "P-384" }, true, ["verify"]));
await writeFile(at("cpak.jwk"), JSON.stringify(jwk));
await writeFile(at("cpak.der"), spki);
await writeFile(at("junk.pem"), "not a key\n");

test("exit 0: the token against its CPAK (PEM, DER or JWK file) and the nonce, --json the verdict", () => {
  for (const key of [CPAK, at("cpak.jwk"), at("cpak.der")]) {
    const r = tsmkit("--json", TOKEN, "--roots", key, "--policy", at("nonce.json"));
    assert.is(r.status, 0, r.stdout + r.stderr);
    const v = JSON.parse(r.stdout);
    assert.is(v.ok, true);
    assert.is(v.decidedBy, null);
    assert.not.ok("error" in v);
    assert.is(v.evidence.format, "cca-token");
    assert.equal(v.checks.map((c) => c.name), ["decode", "cca.platformSignature", "cca.realmSignature", "cca.binding", "policy.reportData", "policy.cca.profile", "policy.cca.lifecycle"]);
  }
  const text = tsmkit(TOKEN, "--roots", CPAK, "--policy", at("nonce.json"));
  assert.is(text.status, 0);
  assert.match(text.stdout, /^verified: Verified\n/);
  assert.match(text.stdout, /ok {4}cca\.platformSignature {2}ES384 signature verifies/);
  // the nonce as --report-data instead of a policy file: the same verdict (evaluated at another now)
  const flag = tsmkit(TOKEN, "--roots", CPAK, "--report-data", CHALLENGE);
  assert.is(flag.status, 0, flag.stdout + flag.stderr);
  const untimed = (s) => s.replace(/^evaluated at .*\n/m, "");
  assert.is(untimed(flag.stdout), untimed(text.stdout));
});

test("exit 1: no --roots, a wrong key or no nonce name the check and what to supply", async () => {
  const noRoots = tsmkit("--json", TOKEN, "--policy", at("nonce.json"));
  assert.is(noRoots.status, 1);
  let v = JSON.parse(noRoots.stdout);
  assert.is(v.error.code, "NOT_VERIFIED");
  assert.is(v.error.check, "cca.platformSignature");
  const c = v.checks.find((x) => x.name === "cca.platformSignature");
  assert.equal(c.supply, ["roots"]);
  assert.is(c.hint, "supply --roots FILE");

  const wrong = tsmkit("--json", TOKEN, "--roots", IAK, "--policy", at("nonce.json"));
  assert.is(wrong.status, 1);
  assert.match(JSON.parse(wrong.stdout).error.message, "check cca.platformSignature failed: the platform token is ES384, which needs a P-384 key");

  const noNonce = tsmkit("--json", TOKEN, "--roots", CPAK);
  assert.is(noNonce.status, 1);
  v = JSON.parse(noNonce.stdout);
  assert.is(v.error.check, "policy.reportData");
  assert.is(v.checks.find((x) => x.name === "policy.reportData").hint, "supply --report-data HEX (the nonce)");

  // the text form shows where the challenge differs from the nonce
  await writeFile(at("other.json"), JSON.stringify({ reportData: "00".repeat(64) }));
  const differs = tsmkit(TOKEN, "--roots", CPAK, "--policy", at("other.json"));
  assert.is(differs.status, 1);
  assert.match(differs.stdout, /NOT verified \(Failed\): check policy.reportData failed/);
  assert.match(differs.stdout, /64 of 64 bytes differ:\n.*bytes 0-31 +actual +6e86d6d9/);
});

test("exit 2: the negative token (decoder's error object), an unreadable key, a public key for other evidence", () => {
  const neg = tsmkit("--json", join(DATA, "cca/ccatoken-bad-unwrapped-tokens.cbor"), "--roots", IAK);
  assert.is(neg.status, 2);
  const e = JSON.parse(neg.stdout).error;
  assert.equal(Object.keys(e), ["code", "format", "field", "offset", "message"]);
  assert.is(e.format, "cca-token");
  assert.match(e.message, "not a byte string holding its COSE_Sign1");

  const junk = tsmkit(TOKEN, "--roots", at("junk.pem"));
  assert.is(junk.status, 2);
  assert.match(junk.stderr, /^tsmkit verify: --roots .*junk\.pem: neither certificates \(.*\) nor a public key \(/);

  const snp = tsmkit("--json", join(DATA, "snp/trustee-report-v2-milan.bin"), "--roots", CPAK, "--offline");
  assert.is(snp.status, 2);
  const na = JSON.parse(snp.stdout).error;
  assert.is(na.code, "NOT_APPLICABLE");
  assert.match(na.message, "a public key is a CCA platform key (CPAK/IAK); this evidence is a snp-report");
});

test("--roots MAP.json: keys by platform instance ID; the token's own ID picks its key, another ID's key is not tried", async () => {
  const pem = data("cca/ccatoken-tf-rmm-cpak-pub.pem").toString();
  const id = decode(data("cca/tfm-tools-cca-example-token-realm2.cbor")).platform.claims.instanceId;
  await writeFile(at("map.json"), JSON.stringify({ [id.toUpperCase()]: pem, ["00".repeat(33)]: JSON.parse(await readFile(at("cpak.jwk"), "utf8")) }));
  const ok = tsmkit("--json", TOKEN, "--roots", at("map.json"), "--report-data", CHALLENGE);
  assert.is(ok.status, 0, ok.stdout + ok.stderr);
  assert.match(JSON.parse(ok.stdout).checks.find((c) => c.name === "cca.platformSignature").detail, `roots.cca["${id}"]`);

  // the right key under another platform's ID: refused, naming the token's instance ID
  await writeFile(at("other-map.json"), JSON.stringify({ ["00".repeat(33)]: pem }));
  const other = tsmkit("--json", TOKEN, "--roots", at("other-map.json"), "--report-data", CHALLENGE);
  assert.is(other.status, 1);
  assert.match(JSON.parse(other.stdout).error.message, `roots.cca has no key for platform instance ID ${id}`);

  // a map entry that is not a key, and a map with other --roots: bad input, exit 2
  await writeFile(at("bad-map.json"), JSON.stringify({ [id]: "not a key" }));
  const bad = tsmkit(TOKEN, "--roots", at("bad-map.json"), "--report-data", CHALLENGE);
  assert.is(bad.status, 2);
  assert.match(bad.stderr, `key of instance ${id}: neither a PEM PUBLIC KEY or CERTIFICATE nor a JWK`);
  const mixed = tsmkit(TOKEN, "--roots", at("map.json"), "--roots", CPAK, "--report-data", CHALLENGE);
  assert.is(mixed.status, 2);
  assert.match(mixed.stderr, "a map by platform instance ID names every platform's key; give it alone");
});

test.after(() => rm(dir, { recursive: true }));

test.run();
