import { test } from "uvu";
import * as assert from "uvu/assert";
import { data, expected } from "../data.js";
import { decode, decodeTdreport, DecodeError } from "../../hosts/js/decode.js";

const FILES = [
  "tdx/attestation-rs-tdreport-live.dat",
  "tdx/guest-components-tdreport-1.bin",
  "tdx/intel-dcap-tdreport-for-test.dat",
  "tdx/trustee-az-tdx-tdreport.dat",
];

for (const file of FILES) {
  test(`${file} decodes as a TDREPORT`, () => {
    const r = decode(data(file));
    assert.is(r.format, "tdreport");
    assert.is(r.reportMacStruct.reportType, 0x81);
    const want = expected[file];
    if (want) {
      assert.is(r.tdInfo.mrTd, want.mr_td);
      assert.is(r.reportMacStruct.reportData, want.report_data);
      assert.is(r.teeTcbInfo.teeTcbSvn, want.tee_tcb_svn);
      assert.is(r.tdInfo.attributes, want.td_attributes);
      if (want.tee_tcb_svn2) assert.is(r.teeTcbInfo.teeTcbSvn2, want.tee_tcb_svn2);
    }
  });
}

test("TDREPORT and the quote made from it share report data and measurements", () => {
  const rep = decodeTdreport(data("tdx/trustee-az-tdx-tdreport.dat"));
  const want = expected["tdx/trustee-az-tdx-td-quote-v4.dat"];
  assert.is(rep.tdInfo.mrTd, want.mr_td);
  assert.is(rep.reportMacStruct.reportData, want.report_data);
});

test("every truncation of a TDREPORT is a typed TRUNCATED or BAD_LENGTH error", () => {
  const full = data(FILES[0]);
  for (let n = 0; n < full.length; n++) {
    try {
      decodeTdreport(full.subarray(0, n));
      assert.unreachable(`length ${n} decoded`);
    } catch (e) {
      assert.instance(e, DecodeError);
      assert.is(e.code, "TRUNCATED");
      assert.is(e.format, "tdreport");
    }
  }
});

test("an unknown report type is rejected with the field and offset", () => {
  const bad = Uint8Array.from(data(FILES[0]));
  bad[0] = 0x00;
  try {
    decodeTdreport(bad);
    assert.unreachable();
  } catch (e) {
    assert.is(e.code, "UNSUPPORTED_TYPE");
    assert.is(e.field, "reportMacStruct.reportType");
    assert.is(e.offset, 0);
  }
});

test.run();
