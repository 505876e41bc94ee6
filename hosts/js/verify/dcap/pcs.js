// Intel DCAP collateral fetched from Intel PCS (API v4) or a PCCS serving the same paths: the TCB
// info for the PCK's FMSPC, the QE identity, the CRL of the CA that issued the PCK and the Root CA
// CRL. PCS sends each signed object's issuer chain in a response header (URL-encoded PEM), so
// bodies and those headers are fetched, and cached, together through the shared fetcher, each
// for as long as the object itself is current (its nextUpdate).
import { decodeTextInput } from "../../text-input.js";
import { errorDetail } from "../result.js";
import { CollateralError, loadCollateral } from "./collateral.js";
import { commonName, crlDistributionUri, parseCrl } from "../x509.js";

export const PCS_BASE_URL = "https://api.trustedservices.intel.com";
// Where Intel publishes the Root CA CRL; used when the trusted root names no distribution point.
export const ROOT_CA_CRL_URL = "https://certificates.trustedservices.intel.com/IntelSGXRootCA.der";

// The pckcrl "ca" parameter for each PCK issuing CA (PCS API v4, "Get PCK Cert CRL").
const PCK_CAS = new Map([["Intel SGX PCK Platform CA", "platform"], ["Intel SGX PCK Processor CA", "processor"]]);

/** The end of validity of a PCS JSON response: its `member`'s nextUpdate. */
const jsonNextUpdate = (member, field) => (bytes) => {
  let d;
  try {
    d = new Date(JSON.parse(new TextDecoder().decode(bytes))[member].nextUpdate);
  } catch (e) {
    throw new CollateralError(field, `PCS response is not a ${member} object: ${e.message}`);
  }
  if (Number.isNaN(d.getTime())) throw new CollateralError(`${field}.${member}.nextUpdate`, "expected an ISO 8601 time");
  return d;
};

// A PCCS serves the Root CA CRL as hex text of its DER (Intel PCCS's rootcacrl), PCS serves DER.
const crlDer = (bytes) => { const t = decodeTextInput(bytes); return t.encoding === "hex" ? t.bytes : bytes; };
const crlNextUpdate = (bytes) => parseCrl(crlDer(bytes)).nextUpdate ?? undefined;

// What is fetched: the loadCollateral() piece it becomes, its name in messages, the header holding
// its issuer chain (PCS API v4), the piece that chain becomes, and how a body reads as that piece.
const ITEMS = [
  { key: "tcbInfo", what: "TCB info", header: "TCB-Info-Issuer-Chain", chain: "tcbInfoIssuerChain", expiresOf: jsonNextUpdate("tcbInfo", "tcbInfo") },
  { key: "qeIdentity", what: "QE identity", header: "SGX-Enclave-Identity-Issuer-Chain", chain: "qeIdentityIssuerChain", expiresOf: jsonNextUpdate("enclaveIdentity", "qeIdentity") },
  { key: "pckCrl", what: "PCK CRL", header: "SGX-PCK-CRL-Issuer-Chain", chain: "pckCrlIssuerChain", expiresOf: crlNextUpdate, body: crlDer },
  { key: "rootCaCrl", what: "Root CA CRL", expiresOf: crlNextUpdate, body: crlDer },
];

/**
 * The collateral URLs for a platform: `tdx` (TDX or SGX TCB info and QE identity), `fmspc` (hex,
 * from the PCK), `pckCa` (the PCK's issuing CA certificate, which selects ca=platform|processor),
 * `root` (the trusted root, whose CRL distribution point serves the Root CA CRL). Options:
 * baseUrl (default Intel PCS; a PCCS base URL works the same), rootCaCrlUrl (overrides the root's
 * distribution point, e.g. a PCCS's /sgx/certification/v4/rootcacrl). Unknown inputs give
 * undefined URLs with a reason in `problems`.
 */
export function pcsUrls({ tdx, fmspc, pckCa, root, baseUrl = PCS_BASE_URL, rootCaCrlUrl }) {
  const base = String(baseUrl).replace(/\/+$/, "");
  const tee = tdx ? "tdx" : "sgx";
  const problems = {};
  const ca = pckCa ? PCK_CAS.get(commonName(pckCa)) : undefined;
  if (!fmspc) problems.tcbInfo = "the PCK certificate's FMSPC is unknown";
  if (!ca) problems.pckCrl = pckCa ? `PCK CA "${commonName(pckCa)}" is neither the Platform nor the Processor CA` : "no PCK CA in the chain";
  return {
    urls: {
      tcbInfo: fmspc ? `${base}/${tee}/certification/v4/tcb?fmspc=${encodeURIComponent(fmspc)}` : undefined,
      qeIdentity: `${base}/${tee}/certification/v4/qe/identity`,
      pckCrl: ca ? `${base}/sgx/certification/v4/pckcrl?ca=${ca}&encoding=der` : undefined,
      rootCaCrl: rootCaCrlUrl ?? (root && crlDistributionUri(root)) ?? ROOT_CA_CRL_URL,
    },
    problems,
  };
}

function issuerChain(value, item) {
  if (value == null) throw new CollateralError(item.chain, `the response has no ${item.header} header`);
  try {
    return decodeURIComponent(value);
  } catch {
    throw new CollateralError(item.chain, `the ${item.header} header is not URL-encoded PEM`);
  }
}

// The last set loaded, by the identity of the fetched byte arrays: the fetcher's cache hands back
// the same arrays until an item expires, so repeated verifications parse collateral once.
/** @type {{ parts: Uint8Array[], collateral: object | null }} */
let last = { parts: [], collateral: null };

/**
 * Fetches the collateral for a platform (see pcsUrls for `where`) through `fetcher` (fetch.js)
 * and loads it (see loadCollateral). Throws a CollateralError naming every item it could not get,
 * with the reason (e.g. OFFLINE for an offline fetcher without the item cached).
 */
export async function fetchCollateral(fetcher, where) {
  const { urls, problems } = pcsUrls(where);
  /** @type {{ status: string, value?: any, reason?: any }[]} */
  const settled = await Promise.allSettled(ITEMS.map(async (item) => {
    if (!urls[item.key]) throw new CollateralError(item.key, problems[item.key]);
    const { bytes, headers } = await fetcher.response(urls[item.key], { expiresOf: item.expiresOf, headers: item.header ? [item.header] : [] });
    return { bytes, chain: item.header ? issuerChain(headers[item.header.toLowerCase()], item) : undefined };
  }));
  const missing = settled.flatMap((s, i) => (s.status === "rejected" ? [`${ITEMS[i].what} (${errorDetail(s.reason)})`] : []));
  if (missing.length) throw new CollateralError("pcs", `could not get ${missing.join("; ")}`);

  const parts = settled.map((s) => s.value.bytes);
  if (parts.every((b, i) => b === last.parts[i])) return last.collateral;
  /** @type {Record<string, unknown>} */
  const pieces = {};
  ITEMS.forEach((item, i) => {
    pieces[item.key] = item.body ? item.body(settled[i].value.bytes) : settled[i].value.bytes;
    if (item.chain) pieces[item.chain] = settled[i].value.chain;
  });
  const collateral = { ...loadCollateral(pieces), fetchedFrom: urls };
  last = { parts, collateral };
  return collateral;
}
