// Simulated tdx_guest: TDX quotes v4 with a TD 1.0 body, as Intel's DCAP quoting enclave emits
// them (Intel TDX DCAP Quoting Library API, Appendix A): header, body with report_data = inblob,
// ECDSA P-256 signature by the attestation key, and certification data type 6 (the QE report
// signed by the PCK key, binding the attestation key through SHA-256(key || QE auth data), then
// nested type 5: the PEM chain PCK leaf, PCK Platform CA, root). All under the TEST PKI.
// The TD's measurement registers are a tsm-mr group (../measurements.js): RTMR0-2 start as the
// boot event log (../ccel.js) replays them, and every quote carries the registers' values then.
import { createHash } from "node:crypto";
import { concat, encode, uint } from "../encode.js";
import { INTEL_PLATFORM, pem, sha, sharedPki } from "../pki.js";
import { Measurements, TDX_REGISTERS } from "../measurements.js";
import { buildCcel } from "../ccel.js";

const subtle = globalThis.crypto.subtle;
const ES256 = { name: "ECDSA", hash: "SHA-256" };

/** Intel's QE vendor id: quotes from Intel's QE carry it, and verifiers check it. */
export const INTEL_QE_VENDOR_ID = "939a7233f79c4ca9940a0db3957f0607";
const TEE_TDX = 0x81;
const ATT_KEY_ECDSA_P256 = 2;
const CERT_PCK_CHAIN = 5;
const CERT_QE_REPORT = 6;

/** Fixed, plausible TD fields; opts.body overrides any field of the core's tdReport10. */
async function defaultBody() {
  const m = (label) => sha("SHA-384", `tsmkit TEST ${label}`);
  return {
    teeTcbSvn: INTEL_PLATFORM.teeTcbSvn,
    mrSeam: await m("TDX module"),
    mrSignerSeam: INTEL_PLATFORM.mrSignerSeam,
    seamAttributes: "0000000000000000",
    tdAttributes: "0000001000000000", // SEPT_VE_DISABLE, not DEBUG
    xfam: "e702060000000000",
  };
}

/**
 * The TD's register group: boot RTMR0-3 from the CCEL's replay, then what opts.body sets for a
 * register field (mrTd, rtmr3, ...). MRTD defaults to a fixed TEST value (README's SIM_MR_TD).
 */
function registers(opts) {
  const [rtmr0, rtmr1, rtmr2, rtmr3] = buildCcel().rtmrs;
  const set = Object.fromEntries(TDX_REGISTERS.map((r) => r.field).filter((f) => opts.body?.[f] !== undefined).map((f) => [f, opts.body[f]]));
  const mrTd = createHash("sha384").update("tsmkit TEST TD image").digest();
  return new Measurements({ rtmr0, rtmr1, rtmr2, rtmr3, mrTd, ...set });
}

/** Certification data type 6 for a PKI: fixed per attestation key, so built once. */
async function certificationData(pki, attestationKey) {
  const { intel } = pki;
  const q = INTEL_PLATFORM.qe;
  const binding = await sha("SHA-256", attestationKey, intel.qeAuthData);
  const qeReport = encode("sgxReportBody", {
    cpuSvn: INTEL_PLATFORM.cpuSvn,
    miscSelect: Number.parseInt(q.miscSelect, 16),
    attributes: q.attributes,
    mrEnclave: await sha("SHA-256", "tsmkit TEST TD QE enclave"),
    mrSigner: intel.qeMrSigner,
    isvProdId: q.isvProdId,
    isvSvn: q.isvSvn,
    reportData: concat(binding, new Uint8Array(32)),
  });
  const qeReportSignature = new Uint8Array(await subtle.sign(ES256, intel.pck.keys.privateKey, qeReport));
  const chain = new TextEncoder().encode(pem(intel.pck.cert) + pem(intel.platformCa.cert) + pem(intel.root.cert));
  const body = concat(
    encode("qeReportCertificationData", { qeReport, qeReportSignature }),
    encode("qeAuthDataHeader", { size: intel.qeAuthData.length }), intel.qeAuthData,
    encode("certificationDataHeader", { type: CERT_PCK_CHAIN, size: chain.length }), chain,
  );
  return concat(encode("certificationDataHeader", { type: CERT_QE_REPORT, size: body.length }), body);
}

/**
 * opts: pki (default sharedPki()), header / body: field overrides by the core's layout names
 * (quoteHeader, tdReport10), e.g. { body: { mrTd, rtmr3, tdAttributes, teeTcbSvn } } (register
 * fields set the registers' boot values), measurements: a Measurements group to use instead.
 * The provider's `measurements` is its tsm-mr group: extends show in every later quote.
 */
export function create(opts = {}) {
  const measurements = opts.measurements ?? registers(opts);
  let ready;
  const setup = async () => {
    const pki = opts.pki ?? await sharedPki();
    const key = pki.intel.attestationKey;
    const attestationKey = new Uint8Array(await subtle.exportKey("raw", key.publicKey)).subarray(1); // x || y
    return {
      key, attestationKey,
      certData: await certificationData(pki, attestationKey),
      body: { ...await defaultBody(), ...opts.body },
      header: {
        version: 4, attestationKeyType: ATT_KEY_ECDSA_P256, teeType: TEE_TDX, qeSvn: 0, pceSvn: 0,
        qeVendorId: INTEL_QE_VENDOR_ID,
        userData: concat((await sha("SHA-256", pki.state.ppid)).subarray(0, 16), new Uint8Array(4)), // QE id, as DCAP fills it
        ...opts.header,
      },
    };
  };
  return {
    name: "tdx_guest",
    measurements,
    async generate({ inblob }) {
      const s = await (ready ??= setup());
      const body = { ...s.body, ...measurements.reportFields(), reportData: inblob };
      const signed = concat(encode("quoteHeader", s.header), encode("tdReport10", body));
      const quoteSignature = new Uint8Array(await subtle.sign(ES256, s.key.privateKey, signed));
      const sigData = concat(encode("ecdsaSignatureData", { quoteSignature, attestationKey: s.attestationKey }), s.certData);
      return { outblob: concat(signed, uint(sigData.length, 4), sigData) };
    },
  };
}
