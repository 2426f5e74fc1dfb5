import * as pkijs from 'pkijs';
import { checkSignedData, OID, parseSignedData, type ParsedSignedData, type SignedDataCheck } from './cms.js';
import { bytesOf, der, digestName, equalBytes } from './crypto.js';
import { displayName } from './names.js';

/**
 * RFC 3161 time-stamp tokens: the signature-time-stamp of a CAdES signature (imprint over the
 * signature value) and PDF document time-stamps (ETSI.RFC3161, imprint over the byte ranges).
 */

export type TimestampCheck = {
  time: Date | null;
  /** The token is well formed, signed by the TSA certificate it names, and its imprint matches. */
  valid: boolean;
  authority: string | null;
  problems: string[];
  cms: SignedDataCheck | null;
};

/** `imprintOf(alg)` gives the digest of what the token should cover, in the token's hash algorithm. */
export function checkTimestampToken(token: Uint8Array, imprintOf: (algorithm: string) => Uint8Array): TimestampCheck {
  const result: TimestampCheck = { time: null, valid: false, authority: null, problems: [], cms: null };
  let sd: ParsedSignedData;
  try {
    sd = parseSignedData(token);
  } catch {
    result.problems.push('Dấu thời gian không đọc được (không phải gói CMS hợp lệ).');
    return result;
  }
  const cms = checkSignedData(sd, null);
  result.cms = cms;
  if (cms.eContentType !== OID.tstInfo || !cms.eContent) {
    result.problems.push('Dấu thời gian không chứa thông tin thời gian (TSTInfo).');
    return result;
  }
  let info: pkijs.TSTInfo;
  try {
    info = pkijs.TSTInfo.fromBER(der(cms.eContent));
  } catch {
    result.problems.push('Thông tin thời gian (TSTInfo) của dấu thời gian bị hỏng.');
    return result;
  }
  result.time = info.genTime;
  result.authority = cms.signer ? displayName(cms.signer) : generalNameText(info.tsa);
  result.problems.push(...cms.problems.map((p) => `Dấu thời gian: ${p}`));
  const algorithm = digestName(info.messageImprint.hashAlgorithm.algorithmId);
  const imprintOk = !!algorithm && equalBytes(bytesOf(info.messageImprint.hashedMessage.valueBlock.valueHexView), imprintOf(algorithm));
  if (!imprintOk) result.problems.push('Dấu thời gian không được cấp cho chữ ký này (giá trị băm không khớp).');
  result.valid = imprintOk && cms.digestMatches && cms.signatureValid && cms.ess !== 'mismatch';
  return result;
}

function generalNameText(name: pkijs.GeneralName | undefined): string | null {
  if (!name) return null;
  if (name.value instanceof pkijs.RelativeDistinguishedNames) {
    const cn = name.value.typesAndValues.find((t) => t.type === '2.5.4.3');
    return cn ? String(cn.value.valueBlock.value) : null;
  }
  return typeof name.value === 'string' ? name.value : null;
}
