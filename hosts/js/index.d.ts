// Types of tsmkit's portable API. Decoded evidence is the stable JSON form the core renders:
// lowerCamelCase names from the vendor specs, bytes as lowercase hex, 64-bit integers as decimal
// strings, bit-fields as { raw, <named part>... }.

/** Lowercase hex of a byte field. */
export type Hex = string;
/** A 64-bit unsigned integer as a decimal string (exact beyond 2^53). */
export type U64 = string;

export type FormatName = "quote" | "tdreport" | "snp-report" | "snp-certs";
export interface DecodeOptions {
  /** The format, or "auto" (default: detected from the bytes). */
  format?: FormatName | "auto";
  /** The configfs-tsm provider the bytes came from (tdx_guest, sev_guest), as a format hint. */
  provider?: string;
}
type Bytes = Uint8Array | ArrayBuffer | ArrayBufferView;

// ---- Intel DCAP quotes (SGX v3, TDX v4/v5) --------------------------------------------------
export interface QuoteHeader {
  version: number; attestationKeyType: number; teeType: number; qeSvn: number; pceSvn: number;
  qeVendorId: Hex; userData: Hex;
}
export interface TdReportBody {
  bodyType: "TD1.0" | "TD1.5";
  teeTcbSvn: Hex; mrSeam: Hex; mrSignerSeam: Hex; seamAttributes: Hex; tdAttributes: Hex; xfam: Hex;
  mrTd: Hex; mrConfigId: Hex; mrOwner: Hex; mrOwnerConfig: Hex;
  rtmr0: Hex; rtmr1: Hex; rtmr2: Hex; rtmr3: Hex; reportData: Hex;
  /** TD 1.5 only. */
  teeTcbSvn2?: Hex; mrServiceTd?: Hex;
}
export interface SgxReportBody {
  bodyType?: "SGX";
  cpuSvn: Hex; miscSelect: number; isvExtProdId: Hex; attributes: Hex; mrEnclave: Hex; mrSigner: Hex;
  configId: Hex; isvProdId: number; isvSvn: number; configSvn: number; isvFamilyId: Hex; reportData: Hex;
}
export interface CertificationData {
  type: 1 | 2 | 3 | 4 | 5 | 6 | 7 | number;
  size: number;
  /** Types 4 and 5: how the certificates are stored. */
  encoding?: "PEM" | "DER";
  /** Type 5: the PCK chain in stored order (PEM text, or DER hex). */
  pckCertChain?: string[];
  /** Type 4. */
  pckCert?: string;
  /** Type 6. */
  qeReportCertificationData?: QeReportCertificationData;
  /** Types 1-3. */
  ppid?: Hex; encryptedPpid?: Hex; cpuSvn?: Hex; pceSvn?: number; pceId?: Hex;
  /** Type 7. */
  platformManifest?: Hex;
}
export interface QeReportCertificationData {
  qeReport: SgxReportBody;
  qeReportSignature: Hex;
  qeAuthData: { size: number; data: Hex };
  certificationData: CertificationData;
}
export interface DcapQuote {
  format: "tdx-quote" | "sgx-quote";
  header: QuoteHeader;
  /** v5 only. */
  bodyDescriptor?: { type: number; size: number };
  body: TdReportBody | SgxReportBody;
  signatureData: {
    length: number; quoteSignature: Hex; attestationKey: Hex;
    /** v4/v5 (type 6 for a QE report). */
    certificationData?: CertificationData;
    /** v3: the QE report data sits directly in the signature data. */
    qeReportCertificationData?: QeReportCertificationData;
  };
  /** Bytes the quote occupies (buffers often carry trailing padding). */
  quoteLength: number;
}

// ---- TDREPORT -----------------------------------------------------------------------------
export interface TdReport {
  format: "tdreport";
  reportMacStruct: { reportType: number; reportSubtype: number; reportVersion: number; cpuSvn: Hex; teeTcbInfoHash: Hex; teeInfoHash: Hex; reportData: Hex; mac: Hex };
  teeTcbInfo: { valid: Hex; teeTcbSvn: Hex; mrSeam: Hex; mrSignerSeam: Hex; attributes: Hex; teeTcbSvn2: Hex };
  tdInfo: { attributes: Hex; xfam: Hex; mrTd: Hex; mrConfigId: Hex; mrOwner: Hex; mrOwnerConfig: Hex; rtmr0: Hex; rtmr1: Hex; rtmr2: Hex; rtmr3: Hex; servtdHash: Hex };
}

// ---- SEV-SNP --------------------------------------------------------------------------------
export interface TcbVersion { raw: U64; bootloader: number; tee: number; snp: number; microcode: number; /** Turin */ fmc?: number }
export interface SnpReport {
  format: "snp-report";
  product: "Milan" | "Genoa" | "Turin" | "unknown";
  version: 2 | 3 | 5; guestSvn: number;
  policy: { raw: U64; abiMinor: number; abiMajor: number; smt: boolean; migrateMa: boolean; debug: boolean; singleSocket: boolean; cxlAllow: boolean; memAes256Xts: boolean; raplDis: boolean; ciphertextHiding: boolean; pageSwapDisable: boolean };
  familyId: Hex; imageId: Hex; vmpl: number; signatureAlgo: number;
  currentTcb: TcbVersion;
  platformInfo: { raw: U64; smtEn: boolean; tsmeEn: boolean; eccEn: boolean; raplDis: boolean; ciphertextHidingEn: boolean; aliasCheckComplete: boolean; iommuWriteSafe: boolean; tioEn: boolean };
  keyInfo: { raw: number; authorKeyEn: boolean; maskChipKey: boolean; signingKey: "VCEK" | "VLEK" | "none" };
  reportData: Hex; measurement: Hex; hostData: Hex; idKeyDigest: Hex; authorKeyDigest: Hex; reportId: Hex; reportIdMa: Hex;
  reportedTcb: TcbVersion;
  /** v3 and later. */
  cpuidFamId?: number; cpuidModId?: number; cpuidStep?: number;
  chipId: Hex; committedTcb: TcbVersion;
  currentBuild: number; currentMinor: number; currentMajor: number;
  committedBuild: number; committedMinor: number; committedMajor: number;
  launchTcb: TcbVersion;
  /** v5 only. */
  launchMitVector?: U64; currentMitVector?: U64;
  /** ECDSA P-384 r and s, little-endian as stored (72 bytes each). */
  signature: { r: Hex; s: Hex };
}
export interface SnpCertTable {
  format: "snp-certs";
  entries: { guid: string; kind: "VCEK" | "VLEK" | "ASK" | "ARK" | "unknown"; offset: number; length: number; certificate: Hex }[];
}

export type Evidence = DcapQuote | TdReport | SnpReport | SnpCertTable;

export class DecodeError extends Error {
  readonly code: "TRUNCATED" | "UNSUPPORTED_VERSION" | "UNSUPPORTED_TYPE" | "BAD_LENGTH" | "BAD_VALUE" | "UNKNOWN_FORMAT" | "TOO_LARGE";
  /** The format being decoded ("quote", "snp-report", ... or "unknown"). */
  readonly format: string;
  /** Dotted path of the offending field ("signatureData.certificationData.size"). */
  readonly field: string;
  /** Byte offset in the input. */
  readonly offset: number;
  readonly detail: string;
  toJSON(): { error: { code: string; format: string; field: string; offset: number; message: string } };
}

export function decode(bytes: Bytes, opts?: DecodeOptions): Evidence;
/**
 * Lazy decode: validates like decode() (throws the same DecodeError), then returns the same
 * Evidence whose groups and fields are built on first access from a private copy of the bytes
 * (later writes to `bytes` do not show). Keys are getters on the prototype, so Object.keys and
 * spreading see none; `toJSON()` (and JSON.stringify) gives exactly decode()'s value.
 */
export function view(bytes: Bytes, opts?: DecodeOptions): Evidence & { toJSON(): Evidence };
export function decodeQuote(bytes: Bytes): DcapQuote;
export function decodeTdreport(bytes: Bytes): TdReport;
export function decodeSnpReport(bytes: Bytes): SnpReport;
export function decodeSnpCerts(bytes: Bytes): SnpCertTable;
/** The core's rendering: "pretty" (the --json form), "json" (compact) or "text" (for people). */
export function render(bytes: Bytes, mode?: "pretty" | "json" | "text", opts?: DecodeOptions & {
  /** Text mode: hex values wrap to this many columns (default 80). */
  width?: number;
}): { ok: boolean; text: string };
/** Dotted path -> [offset, length] of every decoded field and group. */
export function locate(bytes: Bytes, opts?: DecodeOptions): Map<string, [number, number]>;
/** The core's layout tables: layout -> { size, fields: { name: [offset, size] } }. */
export function layouts(): Record<string, unknown>;
export const FORMATS: Readonly<Record<FormatName, number>>;
export const PROVIDER_FORMATS: Readonly<Record<string, FormatName>>;

// ---- verification ---------------------------------------------------------------------------
export interface Check { name: string; ok: boolean; detail: string }
export interface Verdict {
  ok: boolean;
  /** Intel TCB status (UpToDate, SWHardeningNeeded, ConfigurationNeeded, ..., OutOfDate, Revoked),
   * "Verified" for SNP, or "Failed". */
  status: string;
  advisoryIds: string[];
  /** Every check that ran, in order. */
  checks: Check[];
  /** The first failing check's name. */
  decidedBy?: string;
  evidence: Evidence | null;
}
export interface Policy {
  allowDebug?: boolean;
  allowOutOfDate?: boolean;
  allowRevoked?: boolean;
  reportData?: Hex;
  [field: string]: unknown;
}
export interface Fetcher { get(url: string, opts?: { expiresOf?: (bytes: Uint8Array) => Date }): Promise<Uint8Array> }
export interface VerifyOptions extends DecodeOptions {
  /** When to check validity (default: now). */
  now?: Date | string;
  policy?: Policy;
  /** Trust anchors replacing the embedded Intel SGX Root CA / AMD ARKs. */
  roots?: { intel?: unknown; amd?: unknown };
  /** Intel collateral: a dcap-qvl bundle (object/JSON) or { tcbInfo, qeIdentity, tcbSigningChain, rootCaCrl, pckCrl, ... }. */
  collateral?: unknown;
  /** SEV-SNP: the configfs auxblob (certificate table), extra certificates, a CRL. */
  auxblob?: Bytes;
  certs?: (Bytes | string)[];
  crl?: Bytes | string;
  fetcher?: Fetcher;
}
export function verify(bytes: Bytes, opts?: VerifyOptions): Promise<Verdict>;
export function makePolicy(p?: Policy): Policy;
export function policyFromJson(text: string): Policy;
export const DEFAULT_POLICY: Readonly<Policy>;
export class PolicyError extends Error {}
export function createFetcher(opts?: { offline?: boolean; fetch?: typeof fetch; retries?: number }): Fetcher;
export class MemoryCache {}
export class FetchError extends Error { readonly code: string; readonly url: string }

// ---- collateral files, recognised by content ------------------------------------------------
/** The pieces of the collateral object form, as classifyCollateral() fills them. */
export type CollateralPiece = "tcbInfo" | "qeIdentity" | "tcbSigningChain" | "rootCaCrl" | "pckCrl" | "pckCrlIssuerChain" | "pckCertChain";
/** The role one file played: a piece, a whole dcap-qvl bundle, or ignored (`what` says why). */
export interface CollateralFileRole {
  name: string;
  role: CollateralPiece | "bundle" | "ignored";
  /** What the file holds, e.g. "CRL issued by Intel SGX Root CA, next update ...". */
  what: string;
  /** For an ignored file: the verify() option it belongs to instead ("roots", "crl"). */
  supply?: string[];
}
/** Collateral files by content (TCB info and QE identity by JSON, CRLs by issuer, chains by
 * subjects), whatever they are named. Throws an error with code "BAD_COLLATERAL" when TCB info or
 * QE identity is missing or a piece is given twice. */
export function classifyCollateral(files: { name: string; bytes: Uint8Array }[]): {
  /** For verify()'s `collateral` option. */
  collateral: NonNullable<VerifyOptions["collateral"]>;
  files: CollateralFileRole[];
  /** Pieces not found whose checks will fail (tcbSigningChain, rootCaCrl, pckCrl). */
  missing: CollateralPiece[];
};
