// Names for the numbers in a TCG crypto-agile event log.

/**
 * Event types: TCG PC Client Platform Firmware Profile Specification (PFP), section 10.4.1
 * "Event Types". "unknown" for any other value (the number itself is always shown beside it).
 */
export function eventTypeName(t: u32): string {
  switch (t) {
    case 0x00000000: return "EV_PREBOOT_CERT";
    case 0x00000001: return "EV_POST_CODE";
    case 0x00000002: return "EV_UNUSED";
    case 0x00000003: return "EV_NO_ACTION";
    case 0x00000004: return "EV_SEPARATOR";
    case 0x00000005: return "EV_ACTION";
    case 0x00000006: return "EV_EVENT_TAG";
    case 0x00000007: return "EV_S_CRTM_CONTENTS";
    case 0x00000008: return "EV_S_CRTM_VERSION";
    case 0x00000009: return "EV_CPU_MICROCODE";
    case 0x0000000a: return "EV_PLATFORM_CONFIG_FLAGS";
    case 0x0000000b: return "EV_TABLE_OF_DEVICES";
    case 0x0000000c: return "EV_COMPACT_HASH";
    case 0x0000000d: return "EV_IPL";
    case 0x0000000e: return "EV_IPL_PARTITION_DATA";
    case 0x0000000f: return "EV_NONHOST_CODE";
    case 0x00000010: return "EV_NONHOST_CONFIG";
    case 0x00000011: return "EV_NONHOST_INFO";
    case 0x00000012: return "EV_OMIT_BOOT_DEVICE_EVENTS";
    case 0x00000013: return "EV_POST_CODE2";
    case 0x80000000: return "EV_EFI_EVENT_BASE";
    case 0x80000001: return "EV_EFI_VARIABLE_DRIVER_CONFIG";
    case 0x80000002: return "EV_EFI_VARIABLE_BOOT";
    case 0x80000003: return "EV_EFI_BOOT_SERVICES_APPLICATION";
    case 0x80000004: return "EV_EFI_BOOT_SERVICES_DRIVER";
    case 0x80000005: return "EV_EFI_RUNTIME_SERVICES_DRIVER";
    case 0x80000006: return "EV_EFI_GPT_EVENT";
    case 0x80000007: return "EV_EFI_ACTION";
    case 0x80000008: return "EV_EFI_PLATFORM_FIRMWARE_BLOB";
    case 0x80000009: return "EV_EFI_HANDOFF_TABLES";
    case 0x8000000a: return "EV_EFI_PLATFORM_FIRMWARE_BLOB2";
    case 0x8000000b: return "EV_EFI_HANDOFF_TABLES2";
    case 0x8000000c: return "EV_EFI_VARIABLE_BOOT2";
    case 0x8000000d: return "EV_EFI_GPT_EVENT2";
    case 0x80000010: return "EV_EFI_HCRTM_EVENT";
    case 0x800000e0: return "EV_EFI_VARIABLE_AUTHORITY";
    case 0x800000e1: return "EV_EFI_SPDM_FIRMWARE_BLOB";
    case 0x800000e2: return "EV_EFI_SPDM_FIRMWARE_CONFIG";
    case 0x800000e3: return "EV_EFI_SPDM_DEVICE_POLICY";
    case 0x800000e4: return "EV_EFI_SPDM_DEVICE_AUTHORITY";
  }
  return "unknown";
}

export const EV_NO_ACTION: u32 = 0x00000003;
export const EV_EVENT_TAG: u32 = 0x00000006;
export const EV_EFI_PLATFORM_FIRMWARE_BLOB2: u32 = 0x8000000a;
export const EV_EFI_HANDOFF_TABLES2: u32 = 0x8000000b;

/** Event types whose data is a UEFI_VARIABLE_DATA (PFP 10.4.1 and 10.2.6). */
export function isVariableEvent(t: u32): bool {
  return t == 0x80000001 || t == 0x80000002 || t == 0x8000000c || t == 0x800000e0;
}

/** Event types whose data is an ASCII string (PFP section 10.4.1's descriptions). */
export function isStringEvent(t: u32): bool {
  return t == 0x00000001 || t == 0x00000005 || t == 0x0000000a || t == 0x0000000d ||
    t == 0x00000012 || t == 0x80000007;
}

// TPM_ALG_ID: TCG TPM 2.0 Library Part 2 "Structures", table "TPM_ALG_ID Constants"; digest sizes
// from the algorithms' own standards. A Spec ID event stating another size for one of these is bad.
export const TPM_ALG_SHA384: u32 = 0x000c;

export function algorithmName(id: u32): string {
  switch (id) {
    case 0x0004: return "sha1";
    case 0x000b: return "sha256";
    case 0x000c: return "sha384";
    case 0x000d: return "sha512";
    case 0x0012: return "sm3_256";
    case 0x0027: return "sha3_256";
    case 0x0028: return "sha3_384";
    case 0x0029: return "sha3_512";
  }
  return "unknown";
}

/** The digest size of a known algorithm, 0 for others. */
export function algorithmSize(id: u32): u32 {
  switch (id) {
    case 0x0004: return 20;
    case 0x000b: case 0x0012: case 0x0027: return 32;
    case 0x000c: case 0x0028: return 48;
    case 0x000d: case 0x0029: return 64;
  }
  return 0;
}

/**
 * The register an event-log MR index names on Intel TDX: 0 is MRTD (built by the TDX module,
 * never extended by software), 1-4 are RTMR0-3. Intel TDX Guest-Hypervisor Communication
 * Interface (GHCI), "TD Event Log" / UEFI CC measurement protocol mapping.
 */
export function tdxRegisterName(index: u32): string {
  switch (index) {
    case 0: return "mrtd";
    case 1: return "rtmr0";
    case 2: return "rtmr1";
    case 3: return "rtmr2";
    case 4: return "rtmr3";
  }
  return "unknown";
}

/** CC Type of the ACPI CCEL table (ACPI 6.5, "Confidential Computing Event Log Table"). */
export function ccTypeName(t: u32): string {
  switch (t) {
    case 1: return "sev";
    case 2: return "tdx";
  }
  return "unknown";
}
export const CC_TYPE_TDX: u32 = 2;
