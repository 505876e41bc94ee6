// Types of tsmkit's portable API. Decoded evidence is the stable JSON form the core renders:
// lowerCamelCase names from the vendor specs, bytes as lowercase hex, 64-bit integers as decimal
// strings, bit-fields as { raw, <named part>... }.

/** Lowercase hex of a byte field. */
export type Hex = string;
/** A 64-bit unsigned integer as a decimal string (exact beyond 2^53). */
export type U64 = string;

export type FormatName = "quote" | "tdreport" | "snp-report" | "snp-certs" | "cca-token" | "cca-platform-claims" | "cca-realm-claims";
export interface DecodeOptions {
  /** The format, or "auto" (default: detected from the bytes). */
  format?: FormatName | "auto";
  /** The configfs-tsm provider the bytes came from (tdx_guest, sev_guest, arm_cca_guest), as a format hint. */
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

// ---- Arm CCA attestation tokens (arm_cca_guest) and bare claims-sets ---------------------------
/** A CBOR integer: a number, or a decimal string beyond 2^53. */
export type CborInt = number | string;
/** A CBOR item kept as it is: byte strings as hex, maps keyed by decimal (or text) keys, tags as {tag, value}. */
export type CborValue = CborInt | string | boolean | null | CborValue[] | { [key: string]: CborValue };
/** Which profile's rules the claims were read under; "unknown" keeps every claim in unknownClaims. */
export interface CcaClaimsBase { profileRules: "legacy" | "1.0" | "2.0" | "unknown"; profile?: string; unknownClaims?: Record<string, CborValue> }
export interface CcaRealmClaims extends CcaClaimsBase {
  challenge?: Hex; instanceId?: Hex; personalizationValue?: Hex; initialMeasurement?: Hex; extensibleMeasurements?: Hex[];
  hashAlgorithmId?: string; publicKeyHashAlgorithmId?: string;
  /** The RAK claim's bytes (the platform challenge is their hash): an EC point without a profile, a COSE_Key with one. */
  publicKey?: Hex; publicKeyEncoding?: "ec-point" | "cose-key";
  publicKeyCoseKey?: { kty: CborInt; crv: CborInt; x: Hex; y?: CborValue; other?: Record<string, CborValue> };
  /** Integer since RMM 2.0, text in 2025 tokens: mecPolicyForm says which. */
  mecPolicy?: CborInt | string; mecPolicyForm?: "integer" | "text";
}
export interface CcaSoftwareComponent {
  measurementType?: string; measurementValue: Hex; version?: string; signerId: Hex; measurementDescription?: string;
  unknown?: Record<string, CborValue>;
}
export interface CcaPlatformClaims extends CcaClaimsBase {
  challenge?: Hex; implementationId?: Hex; instanceId?: Hex; config?: Hex;
  lifecycle?: { raw: number; secured: boolean; state: "unknown" | "assembly-and-test" | "cca-platform-rot-provisioning" | "secured" |
    "non-cca-platform-rot-debug" | "recoverable-cca-platform-rot-debug" | "decommissioned" };
  softwareComponents?: CcaSoftwareComponent[]; verificationServiceIndicator?: string; hashAlgorithmId?: string;
  /** Platform profile 2.0 claims; extension devices are kept undecoded. */
  clientId?: CborInt; manufacturingConfig?: Hex; extension?: CborValue; peerSigners?: Hex;
  tbbRotpk?: { description: string; activeArrayIndex: CborInt; index: CborInt; hash: Hex; unknown?: Record<string, CborValue> }[];
}
/** A COSE_Sign1, decoded only; locate() gives the offsets of `protected` and `claims` (the signed contents). */
export interface CcaSignedToken<C> {
  /** CMW collections: the entry's CoAP content format (263). */
  contentFormat?: number;
  tagged: boolean;
  protected: { alg: CborInt; contentType?: CborValue; other?: Record<string, CborValue> };
  unprotected: Record<string, CborValue>;
  claims: C;
  signature: Hex;
}
export interface CcaToken {
  format: "cca-token";
  /** CBOR tag 907 (CMW collection) or 399 (legacy). */
  collection: "cmw" | "legacy";
  platform: CcaSignedToken<CcaPlatformClaims>;
  realm: CcaSignedToken<CcaRealmClaims>;
}
export interface CcaPlatformClaimsSet { format: "cca-platform-claims"; claims: CcaPlatformClaims }
export interface CcaRealmClaimsSet { format: "cca-realm-claims"; claims: CcaRealmClaims }

export type Evidence = DcapQuote | TdReport | SnpReport | SnpCertTable | CcaToken | CcaPlatformClaimsSet | CcaRealmClaimsSet;

export class DecodeError extends Error {
  readonly code: "TRUNCATED" | "UNSUPPORTED_VERSION" | "UNSUPPORTED_TYPE" | "BAD_LENGTH" | "BAD_VALUE" | "UNKNOWN_FORMAT" | "TOO_LARGE" | "MISSING";
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
/** Byte fields a policy may pin (policy.measurements), by their decoded names. */
export type TdxMeasurement = "mrTd" | "rtmr0" | "rtmr1" | "rtmr2" | "rtmr3" | "mrConfigId" | "mrOwner" | "mrOwnerConfig" | "mrSeam";
export type SgxMeasurement = "mrEnclave" | "mrSigner" | "configId";
export type SnpMeasurement = "measurement" | "hostData" | "idKeyDigest" | "authorKeyDigest" | "familyId" | "imageId";
export type MeasurementField = TdxMeasurement | SgxMeasurement | SnpMeasurement;

/** Every check a verdict can hold, in the order verifiers run them (the runtime's catalogue, CHECKS). */
export type CheckName =
  | "decode" | "verifiable"
  // Intel DCAP (TDX and SGX quotes)
  | "dcap.structure" | "dcap.quoteSignature" | "dcap.qeReportSignature" | "dcap.qeReportData"
  | "dcap.pckChain" | "dcap.pckExtensions" | "dcap.collateral" | "dcap.tcbSigningChain" | "dcap.qeIdentityChain"
  | "dcap.rootCrl" | "dcap.pckCrl" | "dcap.tcbInfo.signature" | "dcap.tcbInfo.window" | "dcap.tcbInfo.platform"
  | "dcap.qeIdentity.signature" | "dcap.qeIdentity.window" | "dcap.qeIdentity.match" | "dcap.qeIdentity.tcb"
  | "dcap.tdxModule" | "dcap.tcbLevel" | "dcap.tcbStatus"
  // AMD SEV-SNP
  | "snp.signatureAlgo" | "snp.signingKey" | "snp.certificates" | "snp.product" | "snp.chain" | "snp.crl"
  | "snp.signature" | "snp.tcb" | "snp.hwId"
  | "rtmr.replay" | "policy.eventLog" | "policy.runtimeEvents"
  // Arm CCA
  | "cca.platformSignature" | "cca.realmSignature" | "cca.binding"
  // the relying party's policy
  | "policy.tcbStatus" | "policy.tcbInfoAge" | "policy.qeIdentityAge" | "policy.crlAge" | "policy.tcbEvaluationDataNumber"
  | "policy.debug" | "policy.migrationAgent" | "policy.smt" | "policy.singleSocket" | "policy.vmpl" | "policy.signingKey"
  | "policy.minTcb" | "policy.minTeeTcbSvn" | "policy.minGuestSvn" | "policy.reportData"
  | `policy.${MeasurementField}`
  | "policy.cca.profile" | "policy.cca.lifecycle" | "policy.cca.rim" | "policy.cca.rems"
  | "policy.cca.personalizationValue" | "policy.cca.swComponents";

/** The rule a failed certificate-path, CRL or collateral-age check broke (the runtime's RULES). */
export type CheckRule =
  | "malformed-der" | "algorithm" | "signature" | "issuer-name" | "issuer-not-ca" | "path-length"
  | "no-keyCertSign" | "no-cRLSign" | "no-digitalSignature" | "unknown-critical-extension" | "duplicate-extension"
  | "aki-ski" | "expired" | "not-yet-valid" | "untrusted-root" | "root-not-self-signed" | "self-signed-leaf"
  | "no-issuer" | "shape" | "crl-issuer" | "crl-signature" | "crl-not-yet-valid" | "crl-expired" | "revoked"
  | "revocation-unchecked" | "too-old";

export interface Check {
  name: CheckName;
  ok: boolean;
  detail: string;
  /** On a failed path or CRL check: the rule it broke (the detail starts with it). */
  rule?: CheckRule;
  /** On a failed check for want of an input: the options that would supply it. */
  supply?: (keyof VerifyOptions | `policy.${keyof Policy}`)[];
  /** Passed only because a policy switch waived it (the detail says which). */
  waived?: true;
}

/** Every platform TCB status Intel PCS defines. */
export type TcbStatus = "UpToDate" | "SWHardeningNeeded" | "ConfigurationNeeded" | "ConfigurationAndSWHardeningNeeded"
  | "OutOfDate" | "OutOfDateConfigurationNeeded" | "Revoked";

export interface Verdict {
  /** True only if every check passed. */
  ok: boolean;
  /** The combined Intel TCB status (DCAP, once the evidence is genuine), else "Verified" or "Failed". */
  status: TcbStatus | "Verified" | "Failed";
  advisoryIds: string[];
  /** Every check that ran, in order. */
  checks: Check[];
  /** The first failing check's name; null when ok. */
  decidedBy: CheckName | null;
  evidence: Evidence | null;
  /** The time certificates and collateral were judged at (ISO 8601, UTC). */
  evaluatedAt: string;
}

/**
 * What the evidence must say, beyond being genuine. Every key is optional and exactly typed (a
 * misspelt key does not compile; at run time it throws PolicyError); null means "no requirement".
 */
export interface Policy {
  allowDebug?: boolean;
  allowOutOfDate?: boolean;
  allowRevoked?: boolean;
  /**
   * Expected report data: the nonce you sent, hex, up to 64 bytes; a shorter value must be followed
   * by zeros. Required: without it policy.reportData fails (the evidence may be a replay).
   */
  reportData?: Hex | null;
  /** Waive the report data check (the evidence may be a replay); the check is marked waived. */
  allowAnyReportData?: boolean;
  /** Pinned measurements: each field one hex value or a list of acceptable ones. */
  measurements?: { [F in MeasurementField]?: Hex | Hex[] };
  /** Minimum SNP reported TCB (any subset of the parts, each 0-255). */
  minSnpTcb?: { bootloader?: number; tee?: number; snp?: number; microcode?: number; fmc?: number } | null;
  /** Minimum TDX teeTcbSvn: 16 bytes of hex, compared byte by byte. */
  minTeeTcbSvn?: Hex | null;
  /** Minimum SNP guest SVN (u32). */
  minGuestSvn?: number | null;
  /** SNP VMPLs accepted (default [0]). */
  allowedVmpls?: (0 | 1 | 2 | 3)[];
  allowedSigningKeys?: ("VCEK" | "VLEK")[];
  /** SNP guest policy bits. */
  allowSmt?: boolean;
  allowMigrationAgent?: boolean;
  requireSingleSocket?: boolean;
  /** Accept a chain whose revocation could not be checked (no CRL); the check is marked waived. */
  allowUncheckedRevocation?: boolean;
  /** Seconds past a CRL's nextUpdate it is still accepted (marked waived). */
  crlGracePeriod?: number;
  /** Maximum ages in seconds: TCB info and QE identity from issueDate, each CRL from thisUpdate. */
  maxTcbInfoAge?: number | null;
  maxQeIdentityAge?: number | null;
  maxCrlAge?: number | null;
  minTcbEvaluationDataNumber?: number | null;
  /** TDX: expected SHA-384 digests of CCEL events (picked by register/type/text) and runtime-log events (by name). */
  eventLog?: EventLogPolicy | null;
  /** Arm CCA tokens: realm reference values, platform software components, lifecycle, profiles. */
  cca?: CcaPolicy;
}
/** policy.cca: hex values compare with the decoded claims; null means no requirement. */
export interface CcaPolicy {
  /** Realm initial measurement: one hex value or a list of acceptable ones. */
  rim?: Hex | Hex[] | null;
  /** The 4 realm extensible measurements, each hex, a list, or null for any. */
  rems?: [Hex | Hex[] | null, Hex | Hex[] | null, Hex | Hex[] | null, Hex | Hex[] | null] | null;
  personalizationValue?: Hex | Hex[] | null;
  /** Reference values: every platform software component must match one (by measurement, and each other field given). */
  swComponents?: { measurement: Hex; type?: string; signerId?: Hex; version?: string }[] | null;
  /** Accept a platform lifecycle other than "secured" (the check is marked waived). */
  allowNonSecuredLifecycle?: boolean;
  /** Accepted profiles of the platform and realm tokens; null in the list is a realm token without one (RMM 1.0). */
  profiles?: (string | null)[] | null;
}
/** A CCA platform key (CPAK/IAK): PEM public key or certificate, DER SPKI or certificate, a JWK (object or JSON text). */
export type CcaKeyInput = CertificateInput | JsonWebKey | { keys: JsonWebKey[] };
/** A policy with every key set, as makePolicy() returns it (frozen). */
export type CompletePolicy = Readonly<{ [K in keyof Policy]-?: Exclude<Policy[K], undefined> }>;

/** Options of a fetch: `headers` names response headers to keep (PCS sends issuer chains as headers). */
export interface FetchOptions {
  /** The object's end of validity, so a cache keeps it exactly that long; may throw to reject the response. */
  expiresOf?: (bytes: Uint8Array, headers: Record<string, string | null>) => Date | undefined;
  headers?: string[];
}
/**
 * Gets collateral by URL for verify(): createFetcher() makes one; a custom one (a PCCS client, a
 * test double) must provide both calls: the Intel path uses response(), the AMD path get().
 */
export interface Fetcher {
  get(url: string, opts?: FetchOptions): Promise<Uint8Array>;
  /** The body and the requested headers (lowercase names; null when absent). */
  response(url: string, opts?: FetchOptions): Promise<{ bytes: Uint8Array; headers: Record<string, string | null> }>;
  /** True when it answers only from its cache: verifiers then skip fetches that cannot succeed. */
  offline?: boolean;
}
export interface FetcherOptions {
  /** The fetch implementation (default globalThis.fetch). */
  fetch?: (url: string) => Promise<{ ok: boolean; status: number; arrayBuffer(): Promise<ArrayBuffer>; headers?: { get(name: string): string | null } }>;
  offline?: boolean;
  cache?: { get(url: string): CacheEntry | undefined; set(url: string, entry: CacheEntry): void };
  /** Extra attempts after the first on 429, 5xx and network errors (default 3). */
  retries?: number;
  /** First retry delay, doubled each time (default 500); Retry-After wins, capped at maxDelayMs (default 30000). */
  backoffMs?: number;
  maxDelayMs?: number;
  /** The cache's clock, ms since the epoch (default Date.now). */
  now?: () => number;
  /** How long objects of unknown validity are cached (default one hour). */
  maxAgeMs?: number;
  sleep?: (ms: number) => Promise<unknown>;
}
export interface CacheEntry { bytes: Uint8Array; headers: Record<string, string | null>; expires: number }

/**
 * A certificate as PEM text, DER bytes, or any certificate object carrying its DER as `rawData`
 * (an ArrayBuffer), such as @peculiar/x509's X509Certificate: the verifier parses those bytes itself.
 */
export type CertificateInput = Bytes | string | { rawData: ArrayBuffer };
/** A CRL as PEM text, DER bytes, or any CRL object carrying its DER as `rawData` (e.g. @peculiar/x509's X509Crl). */
export type CrlInput = Bytes | string | { rawData: ArrayBuffer };
export type AmdProduct = "Milan" | "Genoa" | "Turin";

/** A certificate chain: PEM text (one or more), DER bytes, or a list of certificates. */
export type ChainInput = Bytes | string | CertificateInput[];
/**
 * Intel DCAP collateral: pieces as served by Intel PCS (TCB info and QE identity response bodies,
 * exactly as served: their signatures cover those bytes), or a dcap-qvl QuoteCollateralV3 bundle
 * (object, or its JSON as text or bytes).
 */
export type Collateral = CollateralPieces | DcapQvlBundle | Bytes | string;
export interface CollateralPieces {
  tcbInfo: Bytes | string;
  qeIdentity: Bytes | string;
  tcbSigningChain?: ChainInput;
  /** Alias of tcbSigningChain (PCS's header name). */
  tcbInfoIssuerChain?: ChainInput;
  /** Default: the TCB signing chain. */
  qeIdentityIssuerChain?: ChainInput;
  rootCaCrl?: CrlInput;
  pckCrl?: CrlInput;
  pckCrlIssuerChain?: ChainInput;
  pckCertChain?: ChainInput;
}
/** dcap-qvl's QuoteCollateralV3: each signed object as its exact JSON text beside its signature. */
export interface DcapQvlBundle {
  tcb_info: string; tcb_info_signature: Hex | Bytes;
  qe_identity: string; qe_identity_signature: Hex | Bytes;
  tcb_info_issuer_chain?: ChainInput; qe_identity_issuer_chain?: ChainInput;
  /** CRLs as hex of their DER (as dcap-qvl writes them), DER bytes or PEM. */
  root_ca_crl?: CrlInput; pck_crl?: CrlInput; pck_crl_issuer_chain?: ChainInput;
  pck_certificate_chain?: ChainInput;
}

export interface VerifyOptions extends DecodeOptions {
  /** When to judge certificates and collateral: a Date, ISO 8601 text or ms since the epoch (default: now). */
  now?: Date | string | number;
  policy?: Policy;
  /** Trust anchors replacing the pinned Intel SGX Root CA / AMD ARKs (AMD: one list, or by product). */
  roots?: {
    intel?: CertificateInput | CertificateInput[];
    amd?: CertificateInput | CertificateInput[] | { [P in AmdProduct]?: CertificateInput | CertificateInput[] };
    /** Trusted CCA platform keys: one, a list, or by platform instance ID (hex of claim 256). Without them the platform check fails. */
    cca?: CcaKeyInput | CcaKeyInput[] | { [platformInstanceIdHex: string]: CcaKeyInput | CcaKeyInput[] };
  };
  /** Intel collateral; without it, `fetcher` gets it from Intel PCS (or `pcs.baseUrl`). */
  collateral?: Collateral;
  /** Intel PCS / PCCS addresses. */
  pcs?: { baseUrl?: string; rootCaCrlUrl?: string };
  /** The PCK chain, for quotes whose certification data does not embed one. */
  pckCertChain?: CertificateInput | CertificateInput[];
  /** SEV-SNP: the configfs auxblob (certificate table), VCEK/VLEK/ASK/ASVK certificates, the ARK's CRL(s). */
  auxblob?: Bytes;
  certs?: CertificateInput[];
  crl?: CrlInput | CrlInput[];
  /** SEV-SNP: the product line, when neither the report (v2) nor a certificate names it. */
  product?: AmdProduct;
  fetcher?: Fetcher;
  /** TDX: the CC event log (CCEL log area), its ACPI CCEL table, tsmkit's runtime log; replayed to RTMR0-3 (check rtmr.replay). */
  ccel?: Bytes;
  ccelTable?: Bytes;
  runtimeLog?: Bytes | string;
}
/** Verifies evidence. Options it cannot use (an unknown key, a bad `now`) throw OptionError; a bad policy PolicyError. */
export function verify(bytes: Bytes, opts?: VerifyOptions): Promise<Verdict>;

export type Rtmr = "rtmr0" | "rtmr1" | "rtmr2" | "rtmr3";
export interface EventLogRule { name?: string; register?: Rtmr; type?: string; text?: string; textPrefix?: string; digest: string | string[] }
export interface RuntimeEventRule { name?: string; register?: Rtmr; digest: string | string[] }
export interface EventLogPolicy { events?: EventLogRule[]; runtime?: RuntimeEventRule[] }
/** One TCG_PCR_EVENT2 record of a CC event log. */
export interface EventLogEvent {
  offset: number; mrIndex: number; eventType: number; digestCount: number;
  register: "mrtd" | Rtmr | "unknown"; type: string;
  digests: { algorithmId: number; algorithm: string; digest: string }[];
  eventSize: number; event: string;
  /** UEFI variable events (EV_EFI_VARIABLE_*): the UEFI_VARIABLE_DATA's vendor GUID and sizes (decimal). */
  variableGuid?: string; unicodeNameLength?: string; variableDataLength?: string;
  /** The data's string where its type defines one; a UEFI variable's name when it is printable ASCII. */
  text?: string;
}
export interface EventLog {
  format: "eventlog";
  table?: Record<string, string | number>;
  specIdEvent: Record<string, unknown> & { algorithms: { algorithmId: number; digestSize: number; algorithm: string }[] };
  events: EventLogEvent[];
  logEnd: number;
  replay: Record<Rtmr, string>;
  lastEvent: Record<Rtmr, number | null>;
}
/** Decodes a CC event log (the CCEL's log area), checked against its ACPI CCEL table when given. Throws DecodeError. */
export function decodeEventLog(bytes: Bytes, opts?: { table?: Bytes }): EventLog;
export function renderEventLog(bytes: Bytes, mode?: "text" | "pretty", opts?: { table?: Bytes; width?: number }): { ok: boolean; text: string };
/** An RTMR's value after one extend: SHA-384(value || digest), both hex. */
export function extendRegister(value: string, digest: string): string;
export interface RegisterReplay {
  ok: boolean; evidence: string; replay: string; extends: number;
  last?: { source: "ccel" | "runtime"; event: number; type?: string; offset?: number; digest: string; value: string };
  divergence?: { position: number; certain: boolean; step: RegisterReplay["last"] | null };
}
/** Replays a CCEL (and runtime log) against a TD quote or TDREPORT (bytes or decoded). */
export function replayMatches(evidence: Bytes | Evidence, logs: { ccel?: Bytes; ccelTable?: Bytes; runtimeLog?: Bytes | string }): { ok: boolean; registers: Record<Rtmr, RegisterReplay>; detail: string; supply?: string[] };
/** One record of tsmkit's runtime event log (format tsmkit-runtime-log v1, README "Runtime measurements"). */
export interface RuntimeEvent {
  recnum: number;
  /** The tsm-mr register name ("rtmr3"). */
  register: string;
  /** N for rtmrN, else null. */
  index: number | null;
  hashAlg: "sha256" | "sha384" | "sha512";
  /** The digest written to the register (lowercase hex). */
  digest: string;
  content: { name: string; [member: string]: unknown };
}
/** Parses a whole runtime log (bytes or text). Throws RuntimeLogError on the first bad line. */
export function parseRuntimeLog(input: Bytes | string): { version: number; events: RuntimeEvent[] };
/** One record line (with its newline); `event` is a name or an object with a `name`. */
export function formatRuntimeRecord(record: { recnum: number; register: string; hashAlg?: "sha256" | "sha384" | "sha512"; digest: string | Uint8Array; event: string | { name: string; [member: string]: unknown } }): string;
/** The header line a new runtime log starts with. */
export function formatRuntimeHeader(): string;
/** A bad runtime log: what (`code`), where (1-based `line`, `recnum`), why (`detail`). */
export class RuntimeLogError extends Error {
  readonly code: string;
  readonly line: number;
  readonly recnum?: number;
  readonly detail: string;
  toJSON(): { error: { code: string; line: number; recnum?: number; message: string } };
}
export function makePolicy(p?: Policy): CompletePolicy;
export function policyFromJson(text: string): CompletePolicy;
export const DEFAULT_POLICY: CompletePolicy;
/** A malformed policy: `field` is the offending key ("measurements.mrTd"). */
export class PolicyError extends Error {
  readonly code: "BAD_POLICY";
  readonly field: string;
}
/** An option verify() cannot use: `option` names it. */
export class OptionError extends Error {
  readonly code: "BAD_OPTION";
  readonly option: string;
}
export function createFetcher(opts?: FetcherOptions): Fetcher & { offline: boolean };
/** The default cache of createFetcher(): url -> entry. */
export class MemoryCache {
  get(url: string): CacheEntry | undefined;
  set(url: string, entry: CacheEntry): void;
}
export class FetchError extends Error {
  readonly code: "OFFLINE" | "NOT_FOUND" | "HTTP" | "NETWORK";
  readonly url: string;
  /** The HTTP status, for NOT_FOUND and HTTP. */
  readonly status?: number;
}

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
