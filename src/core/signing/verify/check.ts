import type * as pkijs from 'pkijs';
import { validateChain, type ChainResult } from './chain.js';
import { checkSignedData, parseSignedData, type SignedDataCheck } from './cms.js';
import { equalBytes, hashParts } from './crypto.js';
import { docMdpOf, textEntry, type Dss, type FoundSignature } from './discover.js';
import { analyseModifications } from './modifications.js';
import { distinguishedName, displayName, isoVietnam, serialHex } from './names.js';
import { type PdfFile } from './pdf-file.js';
import { nameOf, parsePdfDate, PdfString } from './pdf-syntax.js';
import { checkTimestampToken, type TimestampCheck } from './timestamp.js';
import { type SignatureReport } from './types.js';

/** Checks one signature (or document time-stamp): byte range, CMS, time-stamp, chain, later changes. */

export type CheckContext = {
  file: PdfFile;
  trustedRoots: pkijs.Certificate[];
  now: Date;
  dss: Dss;
  /** DocMDP P of the document's certification signature, and where its signed revision ends. */
  certification: { p: 1 | 2 | 3; signedEnd: number } | null;
};

export type Checked = {
  report: SignatureReport;
  signedEnd: number;
  cms: SignedDataCheck | null;
  chain: ChainResult | null;
  /** A valid RFC 3161 time-stamp over the signature value (signature-time-stamp attribute). */
  timestamped: boolean;
};

const CMS_SUBFILTERS = new Set(['adbe.pkcs7.detached', 'ETSI.CAdES.detached', 'adbe.pkcs7.sha1']);

export function checkSignature(found: FoundSignature, ctx: CheckContext): Checked {
  const { file } = ctx;
  const view = file.view();
  const dict = found.dict;
  const subFilter = nameOf(view.resolve(dict.get('SubFilter'))) ?? '';
  const isDocTimestamp = subFilter === 'ETSI.RFC3161' || nameOf(view.resolve(dict.get('Type'))) === 'DocTimeStamp';
  const problems: string[] = [];
  const range = found.byteRange;
  const signedEnd = range ? range[2] + range[3] : 0;
  const claimed = textEntry(view, dict, 'M');
  const claimedTime = claimed ? parsePdfDate(claimed) : null;
  const p = docMdpOf(view, found);
  const report: SignatureReport = {
    fieldName: found.fieldName,
    signerName: textEntry(view, dict, 'Name'),
    certificate: null,
    integrity: 'invalid',
    coversWholeDocument: range !== null && signedEnd === file.bytes.length,
    modificationsAfter: null,
    chain: 'untrusted',
    signingTime: claimedTime ? isoVietnam(claimedTime) : null,
    timestamp: null,
    level: 'not-pades',
    subFilter,
    reason: textEntry(view, dict, 'Reason'),
    location: textEntry(view, dict, 'Location'),
    certification: p ? { permissions: p } : null,
    kind: isDocTimestamp ? 'document-timestamp' : 'signature',
    valid: false,
    problems,
    algorithm: null,
    signedBytes: signedEnd,
  };
  const result: Checked = { report, signedEnd, cms: null, chain: null, timestamped: false };

  if (found.broken) {
    problems.push('Từ điển chữ ký bị hỏng, không đọc được.');
    return result;
  }
  const contents = view.resolve(dict.get('Contents'));
  const rangeProblem = checkByteRange(range, contents, found, file.bytes.length);
  if (rangeProblem) {
    problems.push(rangeProblem);
    return result;
  }
  const [a, b, c, d] = range!;
  const parts = [file.bytes.subarray(a, a + b), file.bytes.subarray(c, c + d)];
  const digests = new Map<string, Uint8Array>();
  const digest = (alg: string) => {
    if (!digests.has(alg)) digests.set(alg, hashParts(alg, parts));
    return digests.get(alg)!;
  };
  const cmsBytes = (contents as PdfString).bytes;

  let tsa: TimestampCheck | null = null;
  if (isDocTimestamp) {
    tsa = checkTimestampToken(cmsBytes, digest);
    result.cms = tsa.cms;
    problems.push(...tsa.problems);
    report.integrity = tsa.valid ? 'valid' : 'invalid';
    report.signerName = tsa.authority;
    if (tsa.time) report.signingTime = isoVietnam(tsa.time);
  } else if (CMS_SUBFILTERS.has(subFilter)) {
    let cms: SignedDataCheck;
    try {
      cms = checkSignedData(parseSignedData(cmsBytes), { digest, parts: () => parts });
    } catch {
      problems.push('Gói chữ ký (CMS) trong /Contents bị hỏng, không đọc được.');
      return result;
    }
    result.cms = cms;
    if (subFilter === 'adbe.pkcs7.sha1' && !(cms.eContent && equalBytes(cms.eContent, digest('sha1')))) {
      cms.problems.push('Giá trị băm của nội dung không khớp: tài liệu đã bị thay đổi sau khi ký.');
      cms.digestMatches = false;
    }
    if (subFilter === 'ETSI.CAdES.detached' && cms.eContent) problems.push('Chữ ký ETSI.CAdES.detached không được chứa nội dung đính kèm.');
    problems.push(...cms.problems);
    report.integrity = cms.digestMatches && cms.signatureValid && cms.ess !== 'mismatch' && problems.length === 0 ? 'valid' : 'invalid';
    const token = cms.timestampTokens[0];
    if (token) {
      tsa = checkTimestampToken(token, (alg) => hashParts(alg, [cms.signatureValue]));
      problems.push(...tsa.problems);
      result.timestamped = tsa.valid;
    }
  } else {
    problems.push(`Định dạng chữ ký ${subFilter || '(không ghi)'} không được hỗ trợ.`);
    return result;
  }

  const cms = result.cms;
  const signer = cms?.signer ?? null;
  report.algorithm = cms?.algorithm ?? null;
  if (signer) {
    report.certificate = {
      subject: distinguishedName(signer.subject),
      issuer: distinguishedName(signer.issuer),
      serialNumber: serialHex(signer),
      notBefore: isoVietnam(signer.notBefore.value),
      notAfter: isoVietnam(signer.notAfter.value),
    };
    if (!isDocTimestamp) report.signerName = displayName(signer);
  }

  // Validity at the time the signature provably existed: the time-stamp's, otherwise the claimed /M.
  const provenTime = tsa?.valid && tsa.time ? tsa.time : null;
  if (tsa?.time && !isDocTimestamp) report.signingTime = isoVietnam(tsa.valid ? tsa.time : (claimedTime ?? tsa.time));
  const at = provenTime ?? claimedTime ?? ctx.now;
  if (claimedTime && claimedTime.getTime() > ctx.now.getTime() + 5 * 60_000) problems.push('Thời điểm ký ghi trong chữ ký ở tương lai.');
  if (signer && cms) {
    const pool = [...cms.certificates, ...ctx.dss.certificates, ...(tsa?.cms?.certificates ?? [])];
    const chain = validateChain(signer, {
      pool,
      trustedRoots: ctx.trustedRoots,
      at,
      revokedBefore: provenTime ?? ctx.now,
      crls: [...cms.crls, ...ctx.dss.crls],
      ocsps: [...cms.ocsps, ...ctx.dss.ocsps],
      purpose: isDocTimestamp ? 'timestamping' : 'signing',
    });
    result.chain = chain;
    report.chain = chain.status;
    problems.push(...chain.problems);
  }
  if (tsa && !isDocTimestamp) {
    const tsaSigner = tsa.cms?.signer;
    const tsaChain = tsaSigner
      ? validateChain(tsaSigner, {
          pool: [...(tsa.cms?.certificates ?? []), ...ctx.dss.certificates],
          trustedRoots: ctx.trustedRoots,
          at: tsa.time ?? ctx.now,
          revokedBefore: ctx.now,
          crls: ctx.dss.crls,
          ocsps: ctx.dss.ocsps,
          purpose: 'timestamping',
        }).status
      : 'untrusted';
    report.timestamp = { time: tsa.time ? isoVietnam(tsa.time) : '', valid: tsa.valid, authority: tsa.authority, chain: tsaChain };
  }

  // What came after: judged against the document's certification (its P governs every later change).
  const governing = ctx.certification && ctx.certification.signedEnd <= signedEnd ? ctx.certification.p : null;
  const modifications = report.coversWholeDocument ? null : analyseModifications(file, signedEnd, governing);
  if (modifications) {
    report.modificationsAfter = modifications;
    if (!modifications.permitted) problems.push(modifications.description);
  }
  if (!found.inFinalForm) problems.push('Ô chữ ký này đã bị gỡ khỏi tài liệu ở một lần cập nhật sau.');
  report.valid =
    report.integrity === 'valid' &&
    report.chain === 'trusted' &&
    (modifications?.permitted ?? true) &&
    (report.timestamp?.valid ?? true) &&
    found.inFinalForm &&
    problems.length === 0;
  return result;
}

function checkByteRange(range: number[] | null, contents: unknown, found: FoundSignature, size: number): string | null {
  if (!range) return 'Chữ ký không có vùng ký (/ByteRange) hợp lệ.';
  const [a, b, c, d] = range;
  if (a !== 0 || b <= 0 || c < a + b || c + d > size) return 'Vùng ký (/ByteRange) không hợp lệ hoặc vượt quá kích thước tệp.';
  if (!(contents instanceof PdfString) || contents.bytes.length === 0) return 'Chữ ký không có giá trị chữ ký (/Contents).';
  // The gap must be exactly the /Contents hex string, read from the file itself (not an object stream).
  if (found.objectOffset === null || !contents.hex || contents.start !== b || contents.end !== c) {
    return 'Vùng ký (/ByteRange) không khớp với vị trí giá trị chữ ký (/Contents): phần không được ký chứa dữ liệu khác.';
  }
  if (found.objectOffset >= b) return 'Từ điển chữ ký nằm ngoài vùng được ký.';
  return null;
}
