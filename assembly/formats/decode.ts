// Format dispatch: detect what the bytes are (or take the caller's word), run one decoder,
// and remember which format an error belongs to.
import { E, fail, clearError, errCode } from "./error";
import { reset, setInputLength, u8at } from "./table";
import { looksLikeQuote, decodeQuote } from "./quote";
import { looksLikeTdreport, decodeTdreport } from "./tdreport";
import { looksLikeSnpReport, decodeSnpReport } from "./snp_report";
import { looksLikeSnpCerts, decodeSnpCerts } from "./snp_certs";
import { decodeCcaToken, decodeCcaClaims } from "./cca";

/** Format ids shared with the hosts (hosts/js/formats.js mirrors these numbers). */
export const enum Format {
  AUTO = 0, QUOTE = 1, TDREPORT = 2, SNP_REPORT = 3, SNP_CERTS = 4,
  CCA_TOKEN = 5, CCA_PLATFORM_CLAIMS = 6, CCA_REALM_CLAIMS = 7,
  EVENTLOG = 8, // decoded through eventlog_abi.ts (a log and its table), never detected
}

export function formatName(f: i32): string {
  switch (f) {
    case Format.QUOTE: return "quote";
    case Format.TDREPORT: return "tdreport";
    case Format.SNP_REPORT: return "snp-report";
    case Format.SNP_CERTS: return "snp-certs";
    case Format.CCA_TOKEN: return "cca-token";
    case Format.CCA_PLATFORM_CLAIMS: return "cca-platform-claims";
    case Format.CCA_REALM_CLAIMS: return "cca-realm-claims";
    case Format.EVENTLOG: return "eventlog";
  }
  return "unknown";
}

export let lastFormat: i32 = Format.AUTO;
export function setLastFormat(f: i32): void { lastFormat = f; }

/** A CCA token collection's head: CBOR tag 907 (CMW) or 399 (legacy), d9 038b or d9 018f. */
function looksLikeCca(len: u32): bool {
  if (len < 4 || u8at(0) != 0xd9) return false;
  const tag = (u8at(1) << 8) | u8at(2);
  return tag == 907 || tag == 399;
}

/** Tells the format from the bytes alone; AUTO when nothing matches. */
export function detect(len: u32): i32 {
  if (looksLikeTdreport(len)) return Format.TDREPORT;
  if (looksLikeQuote(len)) return Format.QUOTE;
  if (looksLikeSnpReport(len)) return Format.SNP_REPORT;
  if (looksLikeSnpCerts(len)) return Format.SNP_CERTS;
  if (looksLikeCca(len)) return Format.CCA_TOKEN; // bare claims-sets are never detected
  return Format.AUTO;
}

export function decodeInput(format: i32, len: u32): i32 {
  reset();
  clearError();
  setInputLength(len);
  if (format == Format.AUTO) format = detect(len);
  lastFormat = format;
  switch (format) {
    case Format.QUOTE: decodeQuote(len); break;
    case Format.TDREPORT: decodeTdreport(len); break;
    case Format.SNP_REPORT: decodeSnpReport(len); break;
    case Format.SNP_CERTS: decodeSnpCerts(len); break;
    case Format.CCA_TOKEN: decodeCcaToken(len); break;
    case Format.CCA_PLATFORM_CLAIMS: decodeCcaClaims(len, false); break;
    case Format.CCA_REALM_CLAIMS: decodeCcaClaims(len, true); break;
    case Format.AUTO:
      fail(E.UNKNOWN_FORMAT, "", 0,
        "not a TDX/SGX quote, TDREPORT, SEV-SNP report, SNP certificate table or CCA token (" +
        len.toString() + " bytes)");
      break;
    default:
      fail(E.UNSUPPORTED_TYPE, "", 0, "unknown format id " + format.toString());
  }
  return errCode;
}
