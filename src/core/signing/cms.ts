import { createHash } from 'node:crypto';
import { AppError } from '../errors/index.js';
import * as der from './der.js';
import { certificateIds, OID } from './pki.js';
import { requestTimestamp } from './timestamp.js';
import { type SignatureAlgorithm } from './types.js';

/**
 * CMS for PAdES baseline (ETSI EN 319 142-1, SubFilter ETSI.CAdES.detached): detached SignedData
 * over the PDF byte ranges, SHA-256, signed attributes contentType + messageDigest +
 * signing-certificate-v2 and no signingTime (the time is /M of the signature dictionary); for B-T
 * an RFC 3161 signature-time-stamp as unsigned attribute.
 */

const attribute = (type: string, value: Uint8Array) => der.sequence(der.oid(type), der.setOf([value]));

const SHA256_ALGORITHM = der.sequence(der.oid(OID.sha256)); // parameters absent (RFC 5754)

const signatureAlgorithm = (algorithm: SignatureAlgorithm) =>
  algorithm === 'ecdsa-sha256' ? der.sequence(der.oid(OID.ecdsaWithSha256)) : der.sequence(der.oid(OID.sha256WithRsa), der.nullValue());

/**
 * The DER SET of signed attributes the signer signs (its SHA-256 goes to Signer.signDigest).
 * signing-certificate-v2 (RFC 5035) binds the signer's certificate: SHA-256 (the default, so no
 * algorithm field) and issuer + serial.
 */
export function buildSignedAttributes(contentDigest: Uint8Array, signerCertificate: Uint8Array): Uint8Array {
  if (contentDigest.length !== 32) throw new AppError(400, 'signing-digest-invalid', 'Yêu cầu không hợp lệ', 'Giá trị băm của tài liệu phải là SHA-256 (32 byte).');
  const ids = certificateIds(signerCertificate);
  const certHash = createHash('sha256').update(signerCertificate).digest();
  const issuerSerial = der.sequence(der.sequence(der.tlv(0xa4, ids.issuer)), ids.serial);
  const signingCertificateV2 = der.sequence(der.sequence(der.sequence(der.octetString(certHash), issuerSerial)));
  return der.setOf([
    attribute(OID.contentType, der.oid(OID.data)),
    attribute(OID.messageDigest, der.octetString(contentDigest)),
    attribute(OID.signingCertificateV2, signingCertificateV2),
  ]);
}

/** Detached CMS SignedData (DER ContentInfo); with timestampUrl, the signature is time-stamped (B-T). */
export async function assembleCms(input: {
  signedAttributes: Uint8Array;
  signature: Uint8Array;
  algorithm: SignatureAlgorithm;
  certificates: Uint8Array[];
  timestampUrl?: string;
  /** A token obtained elsewhere (e.g. by the remote signing service) instead of asking timestampUrl. */
  timestampToken?: Uint8Array;
}): Promise<Uint8Array> {
  if (input.certificates.length === 0) throw new AppError(400, 'signing-certificate-missing', 'Yêu cầu không hợp lệ', 'Thiếu chứng thư số của người ký.');
  if (input.signedAttributes[0] !== 0x31) throw new AppError(400, 'signing-attributes-invalid', 'Yêu cầu không hợp lệ', 'Thuộc tính ký phải là một SET theo DER.');
  const ids = certificateIds(input.certificates[0]);
  // Signed attributes appear as [0] IMPLICIT: same content, context tag 0xA0.
  const signedAttrs = Uint8Array.from(input.signedAttributes);
  signedAttrs[0] = 0xa0;
  const token = input.timestampToken ?? (input.timestampUrl ? await requestTimestamp(input.timestampUrl, input.signature) : undefined);
  const signerInfo = der.sequence(
    der.integer(1),
    der.sequence(ids.issuer, ids.serial),
    SHA256_ALGORITHM,
    signedAttrs,
    signatureAlgorithm(input.algorithm),
    der.octetString(input.signature),
    ...(token ? [der.setOf([attribute(OID.timeStampToken, token)], 0xa1)] : []),
  );
  const signedData = der.sequence(
    der.integer(1),
    der.setOf([SHA256_ALGORITHM]),
    der.sequence(der.oid(OID.data)), // detached: no eContent
    der.setOf(input.certificates, 0xa0),
    der.setOf([signerInfo]),
  );
  return der.sequence(der.oid(OID.signedData), der.contextTag(0, signedData));
}

const MESSAGE_DIGEST = der.oid(OID.messageDigest);

/**
 * The messageDigest signed attribute of a CMS signature (an external signer's answer), to check it
 * signs the prepared byte ranges before it is embedded.
 */
export function cmsMessageDigest(cms: Uint8Array): Uint8Array | null {
  try {
    // ContentInfo → [0] → SignedData → signerInfos (last) → first SignerInfo → [0] signedAttrs.
    const [type, wrapped] = der.children(cms);
    if (!Buffer.from(cms.subarray(type.at, type.end)).equals(der.oid(OID.signedData))) return null;
    const signedData = der.children(cms, wrapped.at)[0];
    const signerInfos = der.children(cms, signedData.at).at(-1)!;
    const signerInfo = der.children(cms, signerInfos.at)[0];
    const attrs = der.children(cms, signerInfo.at).find((c) => c.tag === 0xa0);
    for (const attr of attrs ? der.children(cms, attrs.at) : []) {
      const [attrType, values] = der.children(cms, attr.at);
      if (!Buffer.from(cms.subarray(attrType.at, attrType.end)).equals(MESSAGE_DIGEST)) continue;
      const value = der.children(cms, values.at)[0];
      if (value.tag !== 0x04) return null;
      const { header } = der.readTlv(cms, value.at);
      return cms.slice(value.at + header, value.end);
    }
    return null;
  } catch {
    return null;
  }
}
