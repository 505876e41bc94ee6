import { ENUMS, PROVIDER_FORMATS as CORE_PROVIDER_FORMATS } from "./core.js";

// Format names and ids of what decode() takes, as the core exports them (abi_enums).
export const FORMATS = Object.freeze({ ...ENUMS.formats });

// configfs-tsm `provider` -> the format its outblob holds, as the core has it (the rule WASI
// `show --provider` uses).
export const PROVIDER_FORMATS = Object.freeze({ ...CORE_PROVIDER_FORMATS });
