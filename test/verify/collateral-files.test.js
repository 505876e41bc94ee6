// Collateral recognised by content (hosts/js/verify/dcap/collateral-files.js, and the Node
// directory reader hosts/node/collateral.js): real collateral from the corpus under Intel's own
// file names, tsmkit's, and meaningless ones gives the same collateral and the same verdict;
// what is missing or doubled is an error naming the files found.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtemp, mkdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DATA, data, expected } from "../data.js";
import { classifyCollateral, identifyCollateralFile } from "../../hosts/js/verify/dcap/collateral-files.js";
import { readCollateral } from "../../hosts/node/collateral.js";
import { verify } from "../../hosts/js/verify/index.js";
import { PIECES, PROD_NOW, PROD_QUOTE } from "../collateral-names.js";

const I = "collateral/intel/";
const ROLES = Object.fromEntries(PIECES.map((p) => [p.src, p.role]));
const named = (scheme) => PIECES.map(({ src, names }) => ({ name: names[scheme], bytes: data(I + src), src }));

const work = await mkdtemp(join(tmpdir(), "tsmkit-collateral-files-"));

test("the same pieces under Intel's, tsmkit's and meaningless names: same roles, same collateral, same verdict", async () => {
  const results = [0, 1, 2].map((scheme) => {
    const files = named(scheme);
    const r = classifyCollateral(files);
    for (const f of files) assert.is(r.files.find((l) => l.name === f.name).role, ROLES[f.src], `${f.name} (${f.src})`);
    assert.equal(r.missing, []);
    return r;
  });
  for (const r of results.slice(1)) assert.equal(r.collateral, results[0].collateral);
  const policy = { reportData: expected[PROD_QUOTE].report_data };
  const verdicts = await Promise.all(results.map((r) => verify(data(PROD_QUOTE), { now: PROD_NOW, collateral: r.collateral, policy })));
  assert.is(verdicts[0].ok, true, JSON.stringify(verdicts[0].checks.filter((c) => !c.ok)));
  assert.is(verdicts[0].status, "UpToDate");
  for (const v of verdicts.slice(1)) assert.equal(v, verdicts[0]);
  // The bundle the pieces were split from decides the same, check for check.
  const bundle = classifyCollateral([{ name: "x", bytes: data(`${I}dcap-qvl-tdx-collateral-bundle.json`) }]);
  assert.equal(bundle.files, [{ name: "x", role: "bundle", what: "dcap-qvl collateral bundle" }]);
  const fromBundle = await verify(data(PROD_QUOTE), { now: PROD_NOW, collateral: bundle.collateral, policy });
  assert.equal(fromBundle.checks.map((c) => [c.name, c.ok]), verdicts[0].checks.map((c) => [c.name, c.ok]));
  assert.is(fromBundle.status, verdicts[0].status);
});

test("Intel's QVL sample directory as published: every file's role, the PCK leaf completed by its CA chain", async () => {
  const S = `${I}intel-qvl-sample-sgx-`;
  const names = ["tcb-info.json", "qe-identity.json", "qve-identity.json", "tcb-sign-chain.pem", "root-ca-crl.der",
    "intermediate-ca-crl.der", "pck-cert.pem", "pck-sign-chain.pem", "trusted-root-ca-cert.pem"];
  const r = classifyCollateral(names.map((n) => ({ name: n, bytes: data(S + n) })));
  const role = Object.fromEntries(r.files.map((f) => [f.name, f.role]));
  assert.equal(role, {
    "intermediate-ca-crl.der": "pckCrl", "pck-cert.pem": "pckCertChain", "pck-sign-chain.pem": "pckCrlIssuerChain",
    "qe-identity.json": "qeIdentity", "qve-identity.json": "ignored", "root-ca-crl.der": "rootCaCrl",
    "tcb-info.json": "tcbInfo", "tcb-sign-chain.pem": "tcbSigningChain", "trusted-root-ca-cert.pem": "ignored",
  });
  const byName = Object.fromEntries(r.files.map((f) => [f.name, f]));
  assert.match(byName["qve-identity.json"].what, /^QVE identity v2, .*only a QE or TD_QE identity verifies quotes/);
  assert.match(byName["trusted-root-ca-cert.pem"].what, /Intel SGX Root CA \(a trust anchor is never taken from collateral\)/);
  assert.equal(byName["trusted-root-ca-cert.pem"].supply, ["roots"]);
  assert.match(byName["intermediate-ca-crl.der"].what, /^CRL issued by Intel SGX PCK Processor CA, next update 20/);
  assert.equal(r.collateral.pckCertChain, [data(`${S}pck-cert.pem`), data(`${S}pck-sign-chain.pem`)]);
  // The sample quote carries no PCK chain (certification data type 1): the directory's leaf and
  // CA chain stand in for it, and it verifies under the sample's TEST root, never the production one.
  const quote = data("sgx/intel-qvl-sample-sgx-quote-v3.dat");
  const now = "2025-01-01T00:00:00Z";
  const prod = await verify(quote, { now, collateral: r.collateral });
  assert.is(prod.decidedBy, "dcap.pckChain");
  const test_ = await verify(quote, { now, collateral: r.collateral, roots: { intel: data(`${S}trusted-root-ca-cert.pem`) },
    policy: { reportData: expected["sgx/intel-qvl-sample-sgx-quote-v3.dat"].report_data } });
  assert.is(test_.ok, true, JSON.stringify(test_.checks.filter((c) => !c.ok)));
  assert.is(test_.status, "UpToDate");
});

test("hex-text CRLs (as PCCS serves them) are read; non-collateral files are listed as ignored with why", () => {
  const crl = data(`${I}dcap-qvl-tdx-b0c06f-root-ca-crl.der`);
  const hexCrl = identifyCollateralFile(new TextEncoder().encode(crl.toString("hex")));
  assert.is(hexCrl.role, "rootCaCrl");
  assert.ok(Buffer.from(hexCrl.bytes).equals(crl), "the DER behind the hex");
  const rows = [
    [data("tdx/dcap-qvl-tdx-quote-v4.dat"), /^not collateral \(neither JSON, a CRL nor certificates\)$/],
    [new TextEncoder().encode('{"policy": 1}'), /^JSON, not Intel collateral \(members: policy\)$/],
    [data("collateral/amd/go-sev-guest-ask-ark-milan-vcek.pem"), /^certificates: SEV-Milan, ARK-Milan \(not Intel SGX collateral\)$/],
  ];
  for (const [bytes, what] of rows) {
    const r = identifyCollateralFile(bytes);
    assert.is(r.role, "ignored");
    assert.match(r.what, what);
  }
});

test("missing TCB info or QE identity, a piece twice, or a bundle beside pieces: CollateralError naming what was found", () => {
  const err = (files) => { try { classifyCollateral(files); } catch (e) { return e; } assert.unreachable("no error"); };
  const pieces = named(0);
  const noQe = err(pieces.filter((f) => f.name !== "qe-identity.json"));
  assert.is(noQe.name, "CollateralError");
  assert.is(noQe.code, "BAD_COLLATERAL");
  assert.is(noQe.field, "qeIdentity");
  assert.match(noQe.message, /^collateral qeIdentity: no QE identity \(found: intermediate-ca-crl\.der: CRL issued by Intel SGX PCK Platform CA, .*; tcb-info\.json: TDX TCB info v3, FMSPC b0c06f000000, /);
  assert.is(noQe.files.length, 5);
  assert.match(err([]).message, /^collateral tcbInfo: no TCB info and no QE identity \(found: no files\)$/);

  const twice = err([...pieces, { name: "old-tcb.json", bytes: data(`${I}teekit-tcbinfo-tdx-b0c06f000000-2509.json`) }]);
  assert.is(twice.field, "tcbInfo");
  assert.match(twice.message, /2 files hold the TCB info: old-tcb\.json, tcb-info\.json; keep one/);

  const mixed = err([...pieces, { name: "bundle.json", bytes: data(`${I}dcap-qvl-tdx-collateral-bundle.json`) }]);
  assert.match(mixed.message, /a dcap-qvl bundle \(bundle\.json\) and separate pieces \(intermediate-ca-crl\.der, .*\); keep one form/);

  // Optional pieces missing: classified, and named for the caller (the verifier's checks fail on them).
  const partial = classifyCollateral(pieces.filter((f) => !/crl\.der$/.test(f.name)));
  assert.equal(partial.missing, ["rootCaCrl", "pckCrl"]);
});

test("readCollateral: a directory (symlinks followed, subdirectories skipped) or a single bundle file", async () => {
  const dir = join(work, "random");
  await mkdir(join(dir, "sub"), { recursive: true });
  for (const f of named(2)) await symlink(join(DATA, I, f.src), join(dir, f.name));
  await writeFile(join(dir, "notes.txt"), "fetched 2025-07-19\n");
  const r = await readCollateral(dir);
  const asBuffers = (c) => Object.fromEntries(Object.entries(c).map(([k, v]) => [k, Buffer.from(v)]));
  assert.equal(asBuffers(r.collateral), asBuffers(classifyCollateral(named(2)).collateral));
  assert.equal(r.files.find((f) => f.name === "notes.txt").role, "ignored");
  assert.not.ok(r.files.some((f) => f.name === "sub"));
  const one = await readCollateral(join(DATA, I, "dcap-qvl-tdx-collateral-bundle.json"));
  assert.is(one.files[0].role, "bundle");
  const missing = await readCollateral(join(work, "nope")).catch((e) => e);
  assert.is(missing.code, "ENOENT");
});

test.after(() => rm(work, { recursive: true }));

test.run();
