import * as asn1js from 'asn1js';
import type * as pkijs from 'pkijs';
import { bytesOf, digestName, equalBytes, hashParts, issuedBy, publicKeyOf, sameCertificate, verifySignature } from './crypto.js';
import { displayName, displayVietnam, sameName } from './names.js';

/**
 * Certificate path from a signer (or time-stamp authority) certificate to one of the trusted roots,
 * built from the certificates the signature and the document carry (CMS + DSS). Validity is checked at
 * the time the signature is known to exist (the time-stamp when there is one), revocation against the
 * CRLs and OCSP responses in the document only: the validator never goes online.
 */

export type ChainStatus = 'trusted' | 'untrusted' | 'unknown-root';

export type ChainResult = {
  status: ChainStatus;
  problems: string[];
  /** Leaf first; ends with the anchor (trusted root) or the last certificate found. */
  path: pkijs.Certificate[];
  /** Every certificate of the path except a self-signed root has revocation data in the document. */
  revocationComplete: boolean;
};

export type ChainInput = {
  pool: pkijs.Certificate[];
  trustedRoots: pkijs.Certificate[];
  /** Certificates must be valid at this time (the signing time). */
  at: Date;
  /** Revocations dated up to this time count (the time-stamp when there is one, otherwise now). */
  revokedBefore: Date;
  crls: pkijs.CertificateRevocationList[];
  ocsps: pkijs.BasicOCSPResponse[];
  purpose: 'signing' | 'timestamping';
};

const KEY_USAGE = '2.5.29.15';
const BASIC_CONSTRAINTS = '2.5.29.19';
const EXT_KEY_USAGE = '2.5.29.37';
const TIME_STAMPING = '1.3.6.1.5.5.7.3.8';
const OCSP_SIGNING = '1.3.6.1.5.5.7.3.9';

const selfSigned = (cert: pkijs.Certificate) => sameName(cert.subject, cert.issuer) && issuedBy(cert, cert);
const extension = (cert: pkijs.Certificate, oid: string) => cert.extensions?.find((e) => e.extnID === oid);

export function validateChain(leaf: pkijs.Certificate, input: ChainInput): ChainResult {
  const problems: string[] = [];
  const path: pkijs.Certificate[] = [leaf];
  let status: ChainStatus | null = null;
  let revocationComplete = true;
  checkUsage(leaf, input.purpose, problems);

  for (let cert = leaf; status === null; ) {
    const name = displayName(cert);
    const { notBefore, notAfter } = { notBefore: cert.notBefore.value, notAfter: cert.notAfter.value };
    if (input.at < notBefore) problems.push(`Chứng thư số "${name}" chưa có hiệu lực vào thời điểm ký (hiệu lực từ ${displayVietnam(notBefore)}).`);
    if (input.at > notAfter) problems.push(`Chứng thư số "${name}" đã hết hạn vào thời điểm ký (hết hạn ${displayVietnam(notAfter)}).`);
    if (cert !== leaf) checkCa(cert, problems);
    if (input.trustedRoots.some((root) => sameCertificate(root, cert))) {
      status = 'trusted';
      break;
    }
    const candidates = [...input.trustedRoots, ...input.pool].filter((c) => sameName(c.subject, cert.issuer) && !sameCertificate(c, cert));
    const issuer = candidates.find((c) => issuedBy(cert, c));
    if (!issuer) {
      if (selfSigned(cert)) {
        status = 'unknown-root';
        problems.push(`Chứng thư gốc "${name}" không nằm trong danh sách tổ chức chứng thực được tin cậy.`);
      } else if (candidates.length > 0) {
        status = 'untrusted';
        problems.push(`Chữ ký trên chứng thư số "${name}" không hợp lệ.`);
      } else {
        status = 'unknown-root';
        problems.push(`Không tìm thấy chứng thư số của tổ chức đã cấp chứng thư "${name}".`);
      }
      break;
    }
    const revocation = revocationOf(cert, issuer, input);
    if (revocation.revokedAt && revocation.revokedAt <= input.revokedBefore) {
      problems.push(`Chứng thư số "${name}" đã bị thu hồi từ ${displayVietnam(revocation.revokedAt)}.`);
    }
    if (!revocation.known) revocationComplete = false;
    path.push(issuer);
    if (path.length > 12) {
      status = 'untrusted';
      problems.push('Chuỗi chứng thư quá dài hoặc lặp vòng.');
      break;
    }
    cert = issuer;
  }
  // An unknown root is one problem; anything else wrong (expired, revoked, misused) makes the chain untrusted.
  const others = problems.length - (status === 'unknown-root' ? 1 : 0);
  if (others > 0) status = 'untrusted';
  return { status: status ?? 'untrusted', problems, path, revocationComplete };
}

function checkUsage(cert: pkijs.Certificate, purpose: ChainInput['purpose'], problems: string[]): void {
  const name = displayName(cert);
  const ku = extension(cert, KEY_USAGE)?.parsedValue;
  if (purpose === 'signing' && ku instanceof asn1js.BitString) {
    const bits = bytesOf(ku.valueBlock.valueHexView);
    // digitalSignature (bit 0) or nonRepudiation (bit 1)
    if ((bits[0] & 0xc0) === 0) problems.push(`Chứng thư số "${name}" không được phép dùng để ký số (keyUsage).`);
  }
  if (purpose === 'timestamping') {
    const eku = extension(cert, EXT_KEY_USAGE)?.parsedValue as pkijs.ExtKeyUsage | undefined;
    if (!eku?.keyPurposes?.includes(TIME_STAMPING)) problems.push(`Chứng thư số "${name}" không dành cho dịch vụ cấp dấu thời gian.`);
  }
}

function checkCa(cert: pkijs.Certificate, problems: string[]): void {
  const bc = extension(cert, BASIC_CONSTRAINTS)?.parsedValue as pkijs.BasicConstraints | undefined;
  if (cert.version >= 2 && !bc?.cA) problems.push(`Chứng thư số "${displayName(cert)}" không phải của tổ chức chứng thực (basicConstraints).`);
}

/** Whether the document holds revocation data for `cert`, and when it was revoked if it was. */
export function revocationOf(cert: pkijs.Certificate, issuer: pkijs.Certificate, input: Pick<ChainInput, 'crls' | 'ocsps' | 'pool'>): { known: boolean; revokedAt: Date | null } {
  let known = false;
  let revokedAt: Date | null = null;
  const serial = bytesOf(cert.serialNumber.valueBlock.valueHexView);
  for (const crl of input.crls) {
    if (!sameName(crl.issuer, issuer.subject)) continue;
    const ok = verifySignature({ algorithm: crl.signatureAlgorithm, data: [crl.tbsView], signature: bytesOf(crl.signatureValue.valueBlock.valueHexView), key: publicKeyOf(issuer) });
    if (!ok) continue;
    known = true;
    const entry = crl.revokedCertificates?.find((r) => equalBytes(bytesOf(r.userCertificate.valueBlock.valueHexView), serial));
    if (entry && (!revokedAt || entry.revocationDate.value < revokedAt)) revokedAt = entry.revocationDate.value;
  }
  for (const ocsp of input.ocsps) {
    const single = ocsp.tbsResponseData.responses.find((r) => matchesCertId(r.certID, serial, issuer));
    if (!single || !ocspSignedFor(ocsp, issuer, input.pool)) continue;
    known = true;
    const status = single.certStatus as asn1js.BaseBlock;
    if (status?.idBlock?.tagNumber === 1) {
      const time = (status as asn1js.Constructed).valueBlock.value[0];
      const at = time instanceof asn1js.GeneralizedTime ? time.toDate() : ocsp.tbsResponseData.producedAt;
      if (!revokedAt || at < revokedAt) revokedAt = at;
    }
  }
  return { known, revokedAt };
}

function matchesCertId(id: pkijs.CertID, serial: Uint8Array, issuer: pkijs.Certificate): boolean {
  if (!equalBytes(bytesOf(id.serialNumber.valueBlock.valueHexView), serial)) return false;
  const alg = digestName(id.hashAlgorithm.algorithmId);
  if (!alg) return false;
  const nameHash = hashParts(alg, [bytesOf(issuer.subject.valueBeforeDecode)]);
  const keyHash = hashParts(alg, [bytesOf(issuer.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView)]);
  return equalBytes(bytesOf(id.issuerNameHash.valueBlock.valueHexView), nameHash) && equalBytes(bytesOf(id.issuerKeyHash.valueBlock.valueHexView), keyHash);
}

/** Signed by the issuer itself or by a responder certificate the issuer gave id-kp-OCSPSigning. */
function ocspSignedFor(ocsp: pkijs.BasicOCSPResponse, issuer: pkijs.Certificate, pool: pkijs.Certificate[]): boolean {
  const signature = bytesOf(ocsp.signature.valueBlock.valueHexView);
  const verifyWith = (cert: pkijs.Certificate) =>
    verifySignature({ algorithm: ocsp.signatureAlgorithm, data: [ocsp.tbsResponseData.tbsView], signature, key: publicKeyOf(cert) });
  if (verifyWith(issuer)) return true;
  return [...(ocsp.certs ?? []), ...pool].some((responder) => {
    const eku = extension(responder, EXT_KEY_USAGE)?.parsedValue as pkijs.ExtKeyUsage | undefined;
    return eku?.keyPurposes?.includes(OCSP_SIGNING) && issuedBy(responder, issuer) && verifyWith(responder);
  });
}
