// Per-provider kernel rules (spec section 3), as data and small functions, and the attribute
// table they select from (1.2, 1.3). The kernel model (tsm/item) applies them inside report_new,
// before the evidence generator runs; the client machine (tsm/request) calls the same functions
// to refuse a request before the expensive call. Imports only errno and provider_names, so
// errno <- providers <- profiles <- item <- configfs <- kernel_abi has no cycle (start-up order
// is then well defined).
import { Errno } from "./errno";
import { Provider } from "./provider_names";
// The providers' names and outblob formats live apart, so decode.wasm takes them without errno.
export { Provider, providerName, providerByName, outblobFormat } from "./provider_names";

// ---- attributes (1.2) --------------------------------------------------------------------------
/** Attribute ids; names are the configfs file names. Binary attributes come first. */
export const enum Attr {
  inblob = 0, outblob = 1, auxblob = 2, manifestblob = 3,
  generation = 4, provider = 5, privlevel = 6, privlevel_floor = 7,
  service_provider = 8, service_guid = 9, service_manifest_version = 10,
}
export const ATTR_COUNT: i32 = 11;
const NAMES: string[] = [
  "inblob", "outblob", "auxblob", "manifestblob", "generation", "provider", "privlevel",
  "privlevel_floor", "service_provider", "service_guid", "service_manifest_version",
];
/** 1.3: generation, provider, inblob, outblob (TDX; the v6.7 default set). */
export const BASE_ATTRS: u32 = (1 << Attr.inblob) | (1 << Attr.outblob) | (1 << Attr.generation) | (1 << Attr.provider);
/** 1.3: privlevel, privlevel_floor, auxblob (SEV; the v6.7 extra set adds them). */
export const PRIV_ATTRS: u32 = (1 << Attr.privlevel) | (1 << Attr.privlevel_floor) | (1 << Attr.auxblob);
/** 1.3: the v6.11 SVSM attributes. */
export const SVSM_ATTRS: u32 = (1 << Attr.service_provider) | (1 << Attr.service_guid) |
  (1 << Attr.service_manifest_version) | (1 << Attr.manifestblob);
export const ALL_ATTRS: u32 = (1 << ATTR_COUNT) - 1;
const WRITE_ONLY: u32 = (1 << Attr.inblob) | (1 << Attr.privlevel) | (1 << Attr.service_provider) |
  (1 << Attr.service_guid) | (1 << Attr.service_manifest_version);

export function attrName(a: i32): string { return a >= 0 && a < ATTR_COUNT ? NAMES[a] : ""; }
export function attrByName(name: string): i32 { return NAMES.indexOf(name); }
export function attrIsBinary(a: i32): bool { return a <= Attr.manifestblob; }
/** Permission bits: 0200 for write-only attributes, 0444 for read-only ones. */
export function attrMode(a: i32): u32 { return (WRITE_ONLY & (<u32>1 << a)) != 0 ? 0o200 : 0o444; }
export function attrWritable(a: i32): bool { return attrMode(a) == 0o200; }

/** TSM_REPORT_INBLOB_MAX (1.2): longest inblob write. */
export const INBLOB_MAX: u32 = 64;
/** TSM_PRIVLEVEL_MAX (1.2): highest privlevel. */
export const PRIVLEVEL_MAX: u32 = 3;
/** TDX quote buffer header: version u64, status u64, in_len u32, out_len u32 (3.1 step 2). */
const TDX_QUOTE_HEADER: u32 = 24;

/**
 * Attributes the provider shows (1.3). `svsm` = sev_guest runs under an SVSM (snp_vmpl != 0).
 * v6.7-v6.10 fixed sets coincide with these masks once the profile drops the v6.11 attributes:
 * TDX = default set, SEV = extra set. arm_cca_guest has no callbacks, so it shows everything.
 */
export function providerAttrs(p: i32, svsm: bool): u32 {
  switch (p) {
    case Provider.TDX: return BASE_ATTRS;
    case Provider.SEV: return BASE_ATTRS | PRIV_ATTRS | (svsm ? SVSM_ATTRS : 0);
    case Provider.CCA: return ALL_ATTRS;
  }
  return 0;
}

/** privlevel store range check (2.2): floor <= v <= 3. */
export function privlevelInRange(floor: u32, v: u32): bool {
  return floor <= v && v <= PRIVLEVEL_MAX;
}

/** inblob length rule at report time: TDX and SEV exactly 64, CCA 32..64 (3.1-3.3). 0 or EINVAL. */
export function inblobLengthErrno(p: i32, len: u32): i32 {
  if (p == Provider.CCA) return len >= 32 && len <= INBLOB_MAX ? 0 : Errno.EINVAL;
  return len == INBLOB_MAX ? 0 : Errno.EINVAL;
}

/** sev_guest takes the SVSM path when service_provider is set (non-NULL, even empty). */
export function sevUsesSvsm(p: i32, serviceProvider: string | null): bool {
  return p == Provider.SEV && serviceProvider !== null;
}

/**
 * The checks report_new makes before touching hardware; 0 or the errno it returns.
 * SEV default path: privlevel is not clamped to the floor, and the firmware rejects a VMPL below
 * the guest's own (3.2 step 3; assumed INVALID_PARAM -> EINVAL, spec 7 question 4).
 * SEV SVSM path: privlevel is ignored; service_provider must be exactly "svsm".
 */
export function reportNewErrno(p: i32, inblobLen: u32, privlevel: u32, floor: u32,
                               serviceProvider: string | null): i32 {
  const e = inblobLengthErrno(p, inblobLen);
  if (e) return e;
  if (p == Provider.SEV) {
    if (serviceProvider !== null) return serviceProvider == "svsm" ? 0 : Errno.EINVAL;
    if (privlevel < floor) return Errno.EINVAL;
  }
  return 0;
}

/**
 * Blobs the provider can set (bit 1 << Attr). TDX and CCA only produce outblob; SEV adds the
 * certificate table as auxblob, and the SVSM path adds manifestblob (3.1-3.3).
 */
export function providerBlobs(p: i32, svsmPath: bool): u32 {
  let m: u32 = 1 << Attr.outblob;
  if (p == Provider.SEV) m |= (1 << Attr.auxblob) | (svsmPath ? (1 << Attr.manifestblob) : 0);
  return m;
}

/**
 * Provider-side limit on the evidence it returns: a TDX quote longer than the GetQuote buffer
 * minus its header is EFBIG (c3fd16c3b98e; the buffer size is the kernel profile's). Older kernels lack the check and would copy past the
 * buffer; a model cannot reproduce that, so every profile refuses the same way. 0 or EFBIG.
 */
export function outblobErrno(p: i32, tdxQuoteBuffer: u32, len: u32): i32 {
  if (p == Provider.TDX && len > tdxQuoteBuffer - TDX_QUOTE_HEADER) return Errno.EFBIG;
  return 0;
}
