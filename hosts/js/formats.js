// Format names and ids shared with the core (assembly/formats/decode.ts Format).
export const FORMATS = Object.freeze({
  quote: 1,
  tdreport: 2,
  "snp-report": 3,
  "snp-certs": 4,
  "cca-token": 5,
  "cca-platform-claims": 6,
  "cca-realm-claims": 7,
});

// configfs-tsm `provider` -> the format its outblob holds.
export const PROVIDER_FORMATS = Object.freeze({
  tdx_guest: "quote",
  sev_guest: "snp-report",
  arm_cca_guest: "cca-token",
});
