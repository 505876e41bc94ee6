// Kernel profiles: the configfs-tsm behaviours that changed between releases, as data (spec
// section 0 timeline, 1.3, 2.3, 2.5, 3.1). Code asks a profile; it never tests a version number.
import { Errno } from "./errno";
import { ALL_ATTRS, SVSM_ATTRS, Provider } from "./providers";

export const enum ProfileId { V6_7 = 0, V6_11 = 1, V6_16 = 2, V7_0 = 3 }

export class KernelProfile {
  constructor(
    /** "6.7", "6.11", "6.16", "7.0". */
    public name: string,
    /** Attributes the item type has at all (service_* and manifestblob arrived in v6.11). */
    public attrs: u32,
    /** Providers this kernel has (arm_cca_guest arrived in v6.13); bit 1 << Provider. */
    public providers: u32,
    /** Blob read with no provider registered: ENOTTY before fba4ceaa242d, ENXIO after (2.3). */
    public noProviderBlobErrno: i32,
    /** Before fba4ceaa242d, provider/privlevel_floor/privlevel with no provider dereference NULL. */
    public noProviderOops: bool,
    /** fba4ceaa242d counts live items: re-registration is EBUSY until they are all removed (2.5). */
    public countsItems: bool,
    /** Largest outblob/auxblob/manifestblob a read returns; larger is EFBIG (1.2). */
    public blobMax: u32,
    /** TDX GetQuote shared buffer (3.1): 8 KiB up to v6.19, 128 KiB in v7.0. */
    public tdxQuoteBuffer: u32,
    /** sev_guest's privlevel_floor is its vmpck_id since 614dc0fb7632 (v6.11); 0 before (3.2). */
    public sevFloor: bool,
  ) {}
}

const TDX_SEV: u32 = (1 << Provider.TDX) | (1 << Provider.SEV);
const WITH_CCA: u32 = TDX_SEV | (1 << Provider.CCA);
const KiB: u32 = 1024;

export const PROFILES: KernelProfile[] = [
  new KernelProfile("6.7", ALL_ATTRS & ~SVSM_ATTRS, TDX_SEV, Errno.ENOTTY, true, false, 32 * KiB, 8 * KiB, false),
  new KernelProfile("6.11", ALL_ATTRS, TDX_SEV, Errno.ENOTTY, true, false, 32 * KiB, 8 * KiB, true),
  new KernelProfile("6.16", ALL_ATTRS, WITH_CCA, Errno.ENXIO, false, true, 32 * KiB, 8 * KiB, true),
  new KernelProfile("7.0", ALL_ATTRS, WITH_CCA, Errno.ENXIO, false, true, 16 * KiB * KiB, 128 * KiB, true),
];

/** Profile id for "6.7" | "6.11" | "6.16" | "7.0", or -1. */
export function profileByName(name: string): i32 {
  for (let i = 0; i < PROFILES.length; i++) if (PROFILES[i].name == name) return i;
  return -1;
}
