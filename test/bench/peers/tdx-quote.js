// Plain-JS peer: a DataView decoder for TDX quote v4 (TD1.0 body, certification data type 6 with
// a PEM chain inside), giving the same information as tsmkit's decode(): every field, bytes as
// lowercase hex, the PCK chain split into PEM strings. Layout: Intel TDX DCAP Quoting Library
// API, Appendix A (header 48 B, TD quote body 584 B, signature data, QE report certification data).
import { Reader } from "./bytes.js";

const PEM_END = "-----END CERTIFICATE-----";
const text = new TextDecoder("latin1");

function sgxReportBody(r, o) {
  return {
    cpuSvn: r.hex(o, 16), miscSelect: r.u32(o + 16), isvExtProdId: r.hex(o + 32, 16),
    attributes: r.hex(o + 48, 16), mrEnclave: r.hex(o + 64, 32), mrSigner: r.hex(o + 128, 32),
    configId: r.hex(o + 192, 64), isvProdId: r.u16(o + 256), isvSvn: r.u16(o + 258),
    configSvn: r.u16(o + 260), isvFamilyId: r.hex(o + 304, 16), reportData: r.hex(o + 320, 64),
  };
}

function pemChain(bytes, o, end) {
  const s = text.decode(bytes.subarray(o, end));
  const certs = [];
  for (let at = s.indexOf("-----BEGIN"); at >= 0; at = s.indexOf("-----BEGIN", at)) {
    const stop = s.indexOf(PEM_END, at);
    if (stop < 0) throw new Error("unterminated PEM certificate");
    certs.push(s.slice(at, stop + PEM_END.length));
    at = stop + PEM_END.length;
  }
  return certs;
}

function certificationData(r, o, end) {
  r.need(o, 6, "certificationData");
  const type = r.u16(o), size = r.u32(o + 2), data = o + 6;
  if (data + size !== end) throw new Error("certification data size does not fill its parent");
  const out = { type, size };
  if (type === 5) {
    out.encoding = "PEM";
    out.pckCertChain = pemChain(r.b, data, end);
  } else if (type === 6) {
    r.need(data, 450, "qeReportCertificationData");
    const authSize = r.u16(data + 448);
    r.need(data + 450, authSize, "qeAuthData");
    out.qeReportCertificationData = {
      qeReport: sgxReportBody(r, data),
      qeReportSignature: r.hex(data + 384, 64),
      qeAuthData: { size: authSize, data: r.hex(data + 450, authSize) },
      certificationData: certificationData(r, data + 450 + authSize, end),
    };
  } else {
    throw new Error(`certification data type ${type} not handled by this peer`);
  }
  return out;
}

/** @param {Uint8Array} bytes */
export function decodeTdxQuoteV4(bytes) {
  const r = new Reader(bytes);
  r.need(0, 48 + 584 + 4, "quote");
  if (r.u16(0) !== 4 || r.u32(4) !== 0x81) throw new Error("not a TDX quote v4");
  const b = 48;
  const sigLen = r.u32(b + 584), sig = b + 588;
  r.need(sig, sigLen, "signatureData");
  return {
    format: "tdx-quote",
    header: {
      version: r.u16(0), attestationKeyType: r.u16(2), teeType: r.u32(4), qeSvn: r.u16(8),
      pceSvn: r.u16(10), qeVendorId: r.hex(12, 16), userData: r.hex(28, 20),
    },
    body: {
      bodyType: "TD1.0", teeTcbSvn: r.hex(b, 16), mrSeam: r.hex(b + 16, 48), mrSignerSeam: r.hex(b + 64, 48),
      seamAttributes: r.hex(b + 112, 8), tdAttributes: r.hex(b + 120, 8), xfam: r.hex(b + 128, 8),
      mrTd: r.hex(b + 136, 48), mrConfigId: r.hex(b + 184, 48), mrOwner: r.hex(b + 232, 48),
      mrOwnerConfig: r.hex(b + 280, 48), rtmr0: r.hex(b + 328, 48), rtmr1: r.hex(b + 376, 48),
      rtmr2: r.hex(b + 424, 48), rtmr3: r.hex(b + 472, 48), reportData: r.hex(b + 520, 64),
    },
    signatureData: {
      length: sigLen, quoteSignature: r.hex(sig, 64), attestationKey: r.hex(sig + 64, 64),
      certificationData: certificationData(r, sig + 128, sig + sigLen),
    },
    quoteLength: sig + sigLen,
  };
}
