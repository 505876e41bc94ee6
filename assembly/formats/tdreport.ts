// TDREPORT_STRUCT (1024 bytes), the TDX module's locally-MACed report: what TDG.MR.REPORT
// returns and what /dev/tdx_guest's TDX_CMD_GET_REPORT0 hands out.
// Intel TDX Module ABI Specification (348551), "TDREPORT_STRUCT", "REPORTMACSTRUCT",
// "TEE_TCB_INFO", "TDINFO_STRUCT"; offsets cross-checked with spec/configfs-tsm.md section 3.1.
import { T, f, layout } from "./layout";
import { emitLayout, open, close, need, str, u8at } from "./table";
import { E, fail } from "./error";

export const TDREPORT_SIZE: u32 = 1024;

// REPORTMACSTRUCT, 256 bytes at 0.
export const REPORT_MAC = layout("reportMacStruct", 256, [
  f("reportType", 0, 1, T.U8), // 0x81 = TDX
  f("reportSubtype", 1, 1, T.U8),
  f("reportVersion", 2, 1, T.U8), // 0 = TDX 1.0, 1 = TDX 1.5 (TEE_TCB_INFO carries tee_tcb_svn_2)
  f("cpuSvn", 16, 16, T.HEX),
  f("teeTcbInfoHash", 32, 48, T.HEX),
  f("teeInfoHash", 80, 48, T.HEX),
  f("reportData", 128, 64, T.HEX),
  f("mac", 224, 32, T.HEX),
]);

// TEE_TCB_INFO, 239 bytes at 256.
export const TEE_TCB_INFO = layout("teeTcbInfo", 239, [
  f("valid", 0, 8, T.HEX),
  f("teeTcbSvn", 8, 16, T.HEX),
  f("mrSeam", 24, 48, T.HEX),
  f("mrSignerSeam", 72, 48, T.HEX),
  f("attributes", 120, 8, T.HEX),
  f("teeTcbSvn2", 128, 16, T.HEX), // TDX 1.5; zero on 1.0 modules
]);

// TDINFO_STRUCT, 512 bytes at 512.
export const TD_INFO = layout("tdInfo", 512, [
  f("attributes", 0, 8, T.HEX),
  f("xfam", 8, 8, T.HEX),
  f("mrTd", 16, 48, T.HEX),
  f("mrConfigId", 64, 48, T.HEX),
  f("mrOwner", 112, 48, T.HEX),
  f("mrOwnerConfig", 160, 48, T.HEX),
  f("rtmr0", 208, 48, T.HEX),
  f("rtmr1", 256, 48, T.HEX),
  f("rtmr2", 304, 48, T.HEX),
  f("rtmr3", 352, 48, T.HEX),
  f("servtdHash", 400, 48, T.HEX),
]);

const TDX_REPORT_TYPE: u32 = 0x81;

export function looksLikeTdreport(len: u32): bool {
  return len == TDREPORT_SIZE && u8at(0) == TDX_REPORT_TYPE && u8at(1) == 0;
}

export function decodeTdreport(len: u32): bool {
  if (!need("", 0, TDREPORT_SIZE)) return false;
  if (len != TDREPORT_SIZE) {
    return fail(E.BAD_LENGTH, "", TDREPORT_SIZE,
      "a TDREPORT is exactly 1024 bytes, input has " + len.toString());
  }
  if (u8at(0) != TDX_REPORT_TYPE) {
    return fail(E.UNSUPPORTED_TYPE, "reportMacStruct.reportType", 0,
      "report type 0x" + u8at(0).toString(16) + " is not TDX (0x81)");
  }
  const version = u8at(2);
  if (version > 1) {
    return fail(E.UNSUPPORTED_VERSION, "reportMacStruct.reportVersion", 2,
      "unsupported TDREPORT version " + version.toString());
  }
  str("format", "tdreport");
  open("reportMacStruct", 0, 256);
  if (!emitLayout(REPORT_MAC, 0)) return false;
  close();
  open("teeTcbInfo", 256, 239);
  if (!emitLayout(TEE_TCB_INFO, 256)) return false;
  close();
  open("tdInfo", 512, 512);
  if (!emitLayout(TD_INFO, 512)) return false;
  return close();
}
