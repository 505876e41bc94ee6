// A certificate revocation list as the verifier reads it, parsed by @peculiar/asn1-x509 from a
// private copy of its DER (so results about it may be cached per object): issuer, update times
// and revoked serial numbers. Strict-DER facts and the signature are certinfo.js's and path.js's.
import { AsnConvert } from "@peculiar/asn1-schema";
import { CertificateList } from "@peculiar/asn1-x509";
import { equalBytes, toBytes } from "../bytes.js";
import { nameCn, nameText } from "./certificate.js";

/** An X.509 CRL; throws what the ASN.1 parser throws when `der` is not one. */
export class Crl {
  /** @param {Uint8Array | ArrayBuffer} der copied: the caller's bytes may change, these never do */
  constructor(der) {
    const bytes = new Uint8Array(toBytes(der)); // a copy, even of a Node Buffer (whose slice() is a view)
    /** The DER, as @peculiar/x509 objects carry it. */
    this.rawData = bytes.buffer;
    const { tbsCertList: tbs } = AsnConvert.parse(bytes, CertificateList);
    this.issuer = nameText(tbs.issuer);
    this.issuerCn = nameCn(tbs.issuer);
    this.thisUpdate = tbs.thisUpdate.getTime();
    /** @type {Date | undefined} */
    this.nextUpdate = tbs.nextUpdate?.getTime();
    this.revoked = tbs.revokedCertificates ?? [];
  }

  /** The entry revoking `cert` (same serial number; the caller checks the issuer): { revocationDate } or null. */
  findRevoked(cert) {
    const entry = this.revoked.find((e) => equalBytes(new Uint8Array(e.userCertificate), cert.serial));
    return entry ? { revocationDate: entry.revocationDate.getTime() } : null;
  }
}
