// `tsmkit verify`: a relying party's check of evidence — signatures, certificate chains, CRLs,
// TCB status and the caller's policy — printed as the checks that ran, in order.
// Exit status: 0 verified, 1 verification failed (naming the deciding check), 2 bad input.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse, readInput, UsageError } from "./args.js";
import { verify, policyFromJson, createFetcher } from "../../js/verify/index.js";
import { parseCertificates, commonName } from "../../js/verify/x509.js";

const HELP = `usage: tsmkit verify [--json] FILE|- [--aux F] [--certs F]... [--collateral F|DIR]
         [--roots F]... [--now ISO8601] [--policy F.json] [--offline]
  --aux         SEV-SNP certificate table (configfs auxblob)
  --certs       VCEK/VLEK/ASK/ASVK certificates (PEM or DER), repeatable
  --collateral  Intel collateral: a dcap-qvl bundle (JSON), or a directory holding one each of
                *tcbinfo*.json, *qeidentity*.json, *tcb-signing*, *root-ca-crl*, *pck-crl*
                (plus *pck-crl-issuer-chain* if present), e.g. from \`tsmkit sim roots\`
  --roots       trust anchors replacing the embedded Intel/AMD roots (PEM/DER), repeatable
  --now         check validity at this time instead of the current time
  --policy      JSON policy (expected measurements, nonce, minimum TCB, allowed VMPLs, ...)
  --offline     never fetch collateral from Intel PCS or AMD KDS`;

const ROLES = [
  ["tcbInfo", (n) => /tcbinfo/i.test(n) && n.endsWith(".json")],
  ["qeIdentity", (n) => /qeidentity/i.test(n) && n.endsWith(".json")],
  ["tcbSigningChain", (n) => /tcb-signing/i.test(n)],
  ["rootCaCrl", (n) => /root-ca-crl/i.test(n)],
  ["pckCrlIssuerChain", (n) => /pck-crl-issuer-chain/i.test(n)],
  ["pckCrl", (n) => /pck-crl/i.test(n) && !/issuer/i.test(n)],
];

async function readOrUsage(path) {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${e.code ?? e.message}`);
  }
}

/** A collateral file (dcap-qvl bundle) as bytes, or a directory's pieces by file name. */
async function collateralFrom(path) {
  let names;
  try {
    names = await readdir(path);
  } catch (e) {
    if (e.code === "ENOTDIR") return readOrUsage(path);
    throw new UsageError(`cannot read ${path}: ${e.code ?? e.message}`);
  }
  const pieces = {};
  for (const [role, matches] of ROLES) {
    const found = names.filter(matches);
    if (found.length > 1) throw new UsageError(`--collateral ${path}: several ${role} files (${found.join(", ")}); keep one`);
    if (found.length) pieces[role] = await readOrUsage(join(path, found[0]));
  }
  if (!pieces.tcbInfo || !pieces.qeIdentity) throw new UsageError(`--collateral ${path}: needs a *tcbinfo*.json and a *qeidentity*.json`);
  return pieces;
}

/** Anchors by vendor: AMD roots are the ARKs (CN ARK-*), every other certificate is Intel's. */
async function rootsFrom(paths) {
  const intel = [], amd = [];
  for (const p of paths) {
    let certs;
    try {
      certs = parseCertificates(await readOrUsage(p));
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new UsageError(`--roots ${p}: ${e.message}`);
    }
    for (const c of certs) (/^ARK-/.test(commonName(c)) ? amd : intel).push(c);
  }
  return { ...(intel.length && { intel }), ...(amd.length && { amd }) };
}

export async function run(argv, io) {
  const { values, positionals } = parse(argv, {
    json: { type: "boolean" }, aux: { type: "string" }, certs: { type: "string", multiple: true },
    collateral: { type: "string" }, roots: { type: "string", multiple: true }, now: { type: "string" },
    policy: { type: "string" }, offline: { type: "boolean" },
  }, { positionals: [1, 1], help: HELP });
  if (values.help) { io.stdout.write(HELP + "\n"); return 0; }
  const opts = { fetcher: createFetcher({ offline: Boolean(values.offline) }) };
  if (values.now !== undefined) {
    if (Number.isNaN(new Date(values.now).getTime())) throw new UsageError(`--now: not a time: "${values.now}"`);
    opts.now = new Date(values.now);
  }
  if (values.aux) opts.auxblob = await readOrUsage(values.aux);
  if (values.certs) opts.certs = await Promise.all(values.certs.map(readOrUsage));
  if (values.collateral) opts.collateral = await collateralFrom(values.collateral);
  if (values.roots) opts.roots = await rootsFrom(values.roots);
  if (values.policy) {
    try {
      opts.policy = policyFromJson(new TextDecoder().decode(await readOrUsage(values.policy)));
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new UsageError(`--policy ${values.policy}: ${e.message}`);
    }
  }
  const bytes = await readInput(positionals[0], io.stdin);
  let result;
  try {
    result = await verify(bytes, opts);
  } catch (e) {
    if (e?.name === "PolicyError" || e?.name === "CertError" || e?.name === "CollateralError" || e instanceof TypeError) throw new UsageError(e.message);
    throw e;
  }
  const badInput = result.checks[0]?.name === "decode" && !result.checks[0].ok;
  if (values.json) io.stdout.write(JSON.stringify(result, null, 2) + "\n");
  else io.stdout.write(summary(result));
  return result.ok ? 0 : badInput ? 2 : 1;
}

function summary(r) {
  const width = Math.max(...r.checks.map((c) => c.name.length));
  const head = r.ok
    ? `verified${r.status ? `: ${r.status}` : ""}${r.advisoryIds?.length ? ` (${r.advisoryIds.join(", ")})` : ""}\n`
    : `NOT verified${r.status ? ` (${r.status})` : ""}: check ${r.decidedBy} failed\n`;
  return head + r.checks.map((c) => `  ${c.ok ? "ok  " : "FAIL"}  ${c.name.padEnd(width)}  ${c.detail}`).join("\n") + "\n";
}
