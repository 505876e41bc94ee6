// Kernel profiles: the configfs-tsm behaviours that changed between releases, as data (spec
// section 0 timeline, 1.3, 2.3, 2.5, 3.1). Code asks a profile; it never tests a version number.
import { Errno } from "./errno";
import { ALL_ATTRS, SVSM_ATTRS, Provider } from "./providers";

export const enum ProfileId { V6_7 = 0, V6_11 = 1, V6_16 = 2, V7_0 = 3 }

export class KernelProfile {
  /** "6.7", "6.11", "6.16", "7.0". */
  name: string = "";
  /** Attributes the item type has at all (service_* and manifestblob arrived in v6.11). */
  attrs: u32 = 0;
  /** Providers this kernel has (arm_cca_guest arrived in v6.13); bit 1 << Provider. */
  providers: u32 = 0;
  /** Blob read with no provider registered: ENOTTY before fba4ceaa242d, ENXIO after (2.3). */
  noProviderBlobErrno: i32 = 0;
  /** Before fba4ceaa242d, provider/privlevel_floor/privlevel with no provider dereference NULL. */
  noProviderOops: bool = false;
  /** fba4ceaa242d counts live items: re-registration is EBUSY until they are all removed (2.5). */
  countsItems: bool = false;
  /** Largest outblob/auxblob/manifestblob a read returns; larger is EFBIG (1.2). */
  blobMax: u32 = 0;
  /** TDX GetQuote shared buffer (3.1): 8 KiB up to v6.19, 128 KiB in v7.0. */
  tdxQuoteBuffer: u32 = 0;
  /** sev_guest's privlevel_floor is its vmpck_id since 614dc0fb7632 (v6.11); 0 before (3.2). */
  sevFloor: bool = false;
  /** tsm-mr measurement registers (the provider's sysfs measurements/ group) since v6.16 (3.1). */
  tsmMr: bool = false;
}

const TDX_SEV: u32 = (1 << Provider.TDX) | (1 << Provider.SEV);
const WITH_CCA: u32 = TDX_SEV | (1 << Provider.CCA);
const KiB: u32 = 1024;

// One record per release, every behaviour named.
export const PROFILES: KernelProfile[] = [
  { name: "6.7", attrs: ALL_ATTRS & ~SVSM_ATTRS, providers: TDX_SEV, noProviderBlobErrno: Errno.ENOTTY,
    noProviderOops: true, countsItems: false, blobMax: 32 * KiB, tdxQuoteBuffer: 8 * KiB, sevFloor: false, tsmMr: false },
  { name: "6.11", attrs: ALL_ATTRS, providers: TDX_SEV, noProviderBlobErrno: Errno.ENOTTY,
    noProviderOops: true, countsItems: false, blobMax: 32 * KiB, tdxQuoteBuffer: 8 * KiB, sevFloor: true, tsmMr: false },
  { name: "6.16", attrs: ALL_ATTRS, providers: WITH_CCA, noProviderBlobErrno: Errno.ENXIO,
    noProviderOops: false, countsItems: true, blobMax: 32 * KiB, tdxQuoteBuffer: 8 * KiB, sevFloor: true, tsmMr: true },
  { name: "7.0", attrs: ALL_ATTRS, providers: WITH_CCA, noProviderBlobErrno: Errno.ENXIO,
    noProviderOops: false, countsItems: true, blobMax: 16 * KiB * KiB, tdxQuoteBuffer: 128 * KiB, sevFloor: true, tsmMr: true },
];

/** Profile id for "6.7" | "6.11" | "6.16" | "7.0", or -1. */
export function profileByName(name: string): i32 {
  for (let i = 0; i < PROFILES.length; i++) if (PROFILES[i].name == name) return i;
  return -1;
}
