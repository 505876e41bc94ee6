// Simulated sev_guest: SEV-SNP ATTESTATION_REPORT version 3 (Milan; AMD SEV-SNP ABI spec, Table
// "ATTESTATION_REPORT Structure") signed by the TEST VCEK with ECDSA P-384/SHA-384 over every
// byte before the signature, r and s stored little-endian and zero-extended to 72 bytes; auxblob
// = the certificate table (spec/configfs-tsm.md section 5) with VCEK, ASK and ARK in DER.
// Version 3 was chosen because it is what Milan/Genoa firmware of the corpus era reports; it
// carries CPUID family/model/stepping, which the decoder uses to pick the product.
//
// SVSM mode (serviceProvider set; spec section 3.2): serviceProvider must be "svsm" (else
// EINVAL); privlevel is ignored and the report is made by the SVSM at VMPL0. The simulated SVSM
// offers one service, a vTPM. manifestblob is a SIMULATOR FORMAT (SVSM spec 58019 was not
// available): UTF-8 JSON {"format":"tsmkit-sim-svsm-manifest","services":[{"guid",
// "manifestVersion","manifest"(hex)}]}, listing every service for the null GUID or the one asked
// for (unknown GUID -> EINVAL). report_data = SHA-512(nonce || manifestblob), our reading of how
// an SVSM binds the nonce and the manifest.
import { concat, encode, fieldOf, write } from "../encode.js";
import { AMD_PLATFORM, sha, sharedPki } from "../pki.js";
import { fromHex } from "../../js/bytes.js";

const subtle = globalThis.crypto.subtle;
const ES384 = { name: "ECDSA", hash: "SHA-384" };

export const SNP_CERT_GUIDS = Object.freeze({
  VCEK: "63da758d-e664-4564-adc5-f4b93be8accd",
  ASK: "4ab7b379-bbac-4fe4-a02f-05aef327c782",
  ARK: "c0b406a4-a803-4952-9743-3fb6014cd0ae",
});
export const NULL_GUID = "00000000-0000-0000-0000-000000000000";
export const SVSM_VTPM_GUID = "c476f1eb-0123-45a5-9641-b4e7dde5bfe3";
const CERT_ENTRY_SIZE = 24;
const SIG_ALGO_ECDSA_P384_SHA384 = 1;
const POLICY = 0x30000n; // SMT allowed, reserved bit 17 set, not debug, no migration agent

// TCB_VERSION layout by product: the core's tables (the byte order changed with Turin).
const TCB_LAYOUT = { Milan: "snpTcbMilanGenoa", Genoa: "snpTcbMilanGenoa", Turin: "snpTcbTurin" };

/** Certificate table: 24-byte entries (GUID in RFC-4122 byte order, offset, length), zero entry, DERs. */
export function certTable(certs) {
  const table = new Uint8Array((certs.length + 1) * CERT_ENTRY_SIZE);
  const dv = new DataView(table.buffer);
  let offset = table.length;
  certs.forEach(({ guid, der }, i) => {
    table.set(fromHex(guid.replaceAll("-", "")), i * CERT_ENTRY_SIZE);
    dv.setUint32(i * CERT_ENTRY_SIZE + 16, offset, true);
    dv.setUint32(i * CERT_ENTRY_SIZE + 20, der.length, true);
    offset += der.length;
  });
  return concat(table, ...certs.map((c) => c.der));
}

/** Converts WebCrypto's big-endian r||s (48 + 48) to the report's little-endian 72-byte fields. */
function signatureFields(raw) {
  const le = (b) => { const out = new Uint8Array(72); out.set(b.slice().reverse()); return out; };
  return { r: le(raw.subarray(0, 48)), s: le(raw.subarray(48, 96)) };
}

async function svsmManifest({ serviceGuid = NULL_GUID, serviceManifestVersion = 0 }) {
  const services = [{ guid: SVSM_VTPM_GUID, manifestVersion: 0, manifest: await sha("SHA-384", "tsmkit TEST vTPM EK") }];
  const guid = String(serviceGuid).toLowerCase();
  const chosen = guid === NULL_GUID ? services : services.filter((s) => s.guid === guid);
  if (!chosen.length || (guid !== NULL_GUID && serviceManifestVersion !== chosen[0].manifestVersion)) {
    throw Object.assign(new Error(`sev_guest: SVSM has no service ${guid} version ${serviceManifestVersion}`), { code: "EINVAL" });
  }
  const json = { format: "tsmkit-sim-svsm-manifest", services: chosen.map((s) => ({ ...s, manifest: Buffer.from(s.manifest).toString("hex") })) };
  return new TextEncoder().encode(JSON.stringify(json));
}

/**
 * opts: pki (default sharedPki()), report: field overrides by the core's snpReport layout names
 * (e.g. { measurement, hostData, policy, guestSvn }).
 */
export function create(opts = {}) {
  let ready;
  const setup = async () => {
    const pki = opts.pki ?? await sharedPki();
    const a = AMD_PLATFORM;
    const tcb = encode(TCB_LAYOUT[a.product], a.tcb);
    const fw = a.firmware;
    return {
      key: pki.amd.vcek.keys.privateKey,
      auxblob: certTable([
        { guid: SNP_CERT_GUIDS.VCEK, der: new Uint8Array(pki.amd.vcek.cert.rawData) },
        { guid: SNP_CERT_GUIDS.ASK, der: new Uint8Array(pki.amd.ask.cert.rawData) },
        { guid: SNP_CERT_GUIDS.ARK, der: new Uint8Array(pki.amd.ark.cert.rawData) },
      ]),
      fields: {
        version: 3, guestSvn: 1, policy: POLICY, signatureAlgo: SIG_ALGO_ECDSA_P384_SHA384,
        currentTcb: tcb, reportedTcb: tcb, committedTcb: tcb, launchTcb: tcb,
        platformInfo: 1, // SMT enabled
        keyInfo: 0, // signed by the VCEK, author key disabled, chip id not masked
        measurement: await sha("SHA-384", "tsmkit TEST SNP launch"),
        reportId: (await sha("SHA-256", "tsmkit TEST SNP report id", pki.amd.chipId)),
        reportIdMa: new Uint8Array(32).fill(0xff), // no migration agent
        cpuidFamId: a.cpuid.family, cpuidModId: a.cpuid.model, cpuidStep: a.cpuid.stepping,
        chipId: pki.amd.chipId,
        currentMajor: fw.major, currentMinor: fw.minor, currentBuild: fw.build,
        committedMajor: fw.major, committedMinor: fw.minor, committedBuild: fw.build,
        ...opts.report,
      },
    };
  };
  return {
    name: "sev_guest",
    async generate({ inblob, privlevel = 0, serviceProvider, serviceGuid, serviceManifestVersion }) {
      const s = await (ready ??= setup());
      let reportData = inblob, vmpl = privlevel, manifestblob;
      if (serviceProvider !== undefined && serviceProvider !== null) {
        if (serviceProvider !== "svsm") {
          throw Object.assign(new Error(`sev_guest: unknown service provider "${serviceProvider}"`), { code: "EINVAL" });
        }
        manifestblob = await svsmManifest({ serviceGuid, serviceManifestVersion });
        reportData = await sha("SHA-512", inblob, manifestblob);
        vmpl = 0;
      }
      const report = encode("snpReport", { ...s.fields, vmpl, reportData });
      const [sigOffset] = fieldOf("snpReport", "signature");
      const raw = new Uint8Array(await subtle.sign(ES384, s.key, report.subarray(0, sigOffset)));
      write(report, sigOffset, "snpSignature", signatureFields(raw));
      return manifestblob ? { outblob: report, auxblob: s.auxblob, manifestblob } : { outblob: report, auxblob: s.auxblob };
    },
  };
}

