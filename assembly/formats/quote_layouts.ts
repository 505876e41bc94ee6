// Byte layouts of Intel DCAP quotes (SGX v3, TDX/SGX v4 and v5).
// Sources: Intel TDX DCAP Quoting Library API, Appendix A "Quote Format" (Quote Header, TD Quote
// Body, TD Quote Body Descriptor (v5), Quote Signature Data, QE Certification Data, QE Report
// Certification Data); Intel SGX ECDSA Quote Library Reference, "Quote Format" (Quote Header,
// ISV Enclave Report Body, Quote Signature Data Structure, QE Certification Data).
import { T, Field, Layout, f, layout } from "./layout";

// Quote Header, 48 bytes at 0.
export const QUOTE_HEADER = layout("quoteHeader", 48, [
  f("version", 0, 2, T.U16), // 3 (SGX), 4 or 5
  f("attestationKeyType", 2, 2, T.U16), // 2 = ECDSA-256-with-P-256
  f("teeType", 4, 4, T.U32), // 0x00 = SGX, 0x81 = TDX (v3 calls these bytes att_key_data_0)
  f("qeSvn", 8, 2, T.U16),
  f("pceSvn", 10, 2, T.U16),
  f("qeVendorId", 12, 16, T.HEX),
  f("userData", 28, 20, T.HEX),
]);

// Quote v5 body descriptor, 6 bytes at 48; the body follows at 54.
export const BODY_DESCRIPTOR = layout("quoteBodyDescriptor", 6, [
  f("type", 0, 2, T.U16), // 1 = SGX enclave report, 2 = TD 1.0, 3 = TD 1.5
  f("size", 2, 4, T.U32),
]);

// TD Quote Body for TDX 1.0 (584 bytes).
const TD_REPORT10_FIELDS: Field[] = [
  f("teeTcbSvn", 0, 16, T.HEX),
  f("mrSeam", 16, 48, T.HEX),
  f("mrSignerSeam", 64, 48, T.HEX),
  f("seamAttributes", 112, 8, T.HEX),
  f("tdAttributes", 120, 8, T.HEX),
  f("xfam", 128, 8, T.HEX),
  f("mrTd", 136, 48, T.HEX),
  f("mrConfigId", 184, 48, T.HEX),
  f("mrOwner", 232, 48, T.HEX),
  f("mrOwnerConfig", 280, 48, T.HEX),
  f("rtmr0", 328, 48, T.HEX),
  f("rtmr1", 376, 48, T.HEX),
  f("rtmr2", 424, 48, T.HEX),
  f("rtmr3", 472, 48, T.HEX),
  f("reportData", 520, 64, T.HEX),
];
export const TD_REPORT10 = layout("tdReport10", 584, TD_REPORT10_FIELDS);

// TD Quote Body for TDX 1.5 (648 bytes): the 1.0 body plus two trailing fields.
export const TD_REPORT15 = layout("tdReport15", 648, TD_REPORT10_FIELDS.concat([
  f("teeTcbSvn2", 584, 16, T.HEX),
  f("mrServiceTd", 600, 48, T.HEX),
]));

// SGX REPORT_BODY (384 bytes): the ISV enclave report of SGX quotes and every QE report.
export const SGX_REPORT_BODY = layout("sgxReportBody", 384, [
  f("cpuSvn", 0, 16, T.HEX),
  f("miscSelect", 16, 4, T.U32),
  f("isvExtProdId", 32, 16, T.HEX),
  f("attributes", 48, 16, T.HEX),
  f("mrEnclave", 64, 32, T.HEX),
  f("mrSigner", 128, 32, T.HEX),
  f("configId", 192, 64, T.HEX),
  f("isvProdId", 256, 2, T.U16),
  f("isvSvn", 258, 2, T.U16),
  f("configSvn", 260, 2, T.U16),
  f("isvFamilyId", 304, 16, T.HEX),
  f("reportData", 320, 64, T.HEX),
]);

// Quote Signature Data, fixed part (after its u32 length): both values are big-endian P-256.
export const ECDSA_SIGNATURE = layout("ecdsaSignatureData", 128, [
  f("quoteSignature", 0, 64, T.HEX), // r || s over header (+ descriptor) + body
  f("attestationKey", 64, 64, T.HEX), // x || y
]);

// QE Certification Data header; `size` bytes of type-specific data follow.
export const CERT_DATA_HEADER = layout("certificationDataHeader", 6, [
  f("type", 0, 2, T.U16),
  f("size", 2, 4, T.U32),
]);

// QE Report Certification Data (certification data type 6, and the tail of v3 signature data):
// the QE report and its PCK signature; QE Authentication Data and nested certification data follow.
export const QE_REPORT_CERT_DATA = layout("qeReportCertificationData", 448, [
  f("qeReport", 0, 384, T.HEX), // emitted as an sgxReportBody group
  f("qeReportSignature", 384, 64, T.HEX),
]);

// QE Authentication Data header; `size` bytes of data follow.
export const QE_AUTH_DATA = layout("qeAuthDataHeader", 2, [
  f("size", 0, 2, T.U16),
]);

// Certification data types 1-3: the PCK identity (sgx_ql_ppid_*_cert_info_t), a PPID in clear
// (16 bytes) or RSA-OAEP encrypted (256 / 384 bytes), then CPUSVN, PCE ISVSVN and PCEID.
// Early QE releases left PCEID out (18-byte tail), which the decoder also accepts.
function pckId(name: string, ppidName: string, n: u32): Layout {
  return layout(name, n + 20, [
    f(ppidName, 0, n, T.HEX),
    f("cpuSvn", n, 16, T.HEX),
    f("pceSvn", n + 16, 2, T.U16),
    f("pceId", n + 18, 2, T.HEX),
  ]);
}
export const PCK_ID_CLEAR = pckId("pckIdPpidCleartext", "ppid", 16);
export const PCK_ID_RSA2048 = pckId("pckIdPpidRsa2048", "encryptedPpid", 256);
export const PCK_ID_RSA3072 = pckId("pckIdPpidRsa3072", "encryptedPpid", 384);
