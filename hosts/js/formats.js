import { ENUMS } from "./core.js";

// Format names and ids of what decode() takes, as the core exports them (abi_enums).
export const FORMATS = Object.freeze({ ...ENUMS.formats });

// configfs-tsm `provider` -> the format its outblob holds.
export const PROVIDER_FORMATS = Object.freeze({
  tdx_guest: "quote",
  sev_guest: "snp-report",
  arm_cca_guest: "cca-token",
});
