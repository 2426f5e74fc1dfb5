import { revocationOf } from './chain.js';
import { type Checked } from './check.js';
import { readDss, type Dss } from './discover.js';
import { type PdfFile } from './pdf-file.js';
import { type SignatureReport } from './types.js';

/**
 * PAdES baseline levels (ETSI EN 319 142-1) and the plain-Vietnamese verdict.
 * B-B: ETSI.CAdES.detached with signing-certificate-v2. B-T: and a valid time-stamp (on the signature,
 * or a document time-stamp after it). B-LT: and a DSS with the certificate path and revocation data for
 * each certificate of it. B-LTA: and a valid document time-stamp over a revision that has that DSS.
 */
export function assignLevels(checked: Checked[], file: PdfFile, dss: Dss): void {
  const docTimestamps = checked.filter((c) => c.report.kind === 'document-timestamp' && c.report.integrity === 'valid');
  const dssAt = new Map<number, Dss>();
  const dssOf = (end: number) => {
    if (!dssAt.has(end)) dssAt.set(end, readDss(file.view(end)));
    return dssAt.get(end)!;
  };
  for (const c of checked) {
    const { report } = c;
    if (report.kind === 'document-timestamp') {
      const earlier = checked.some((s) => s.report.kind === 'signature' && s.signedEnd < c.signedEnd);
      report.level = earlier && dssOf(c.signedEnd).present ? 'B-LTA' : 'B-T';
      continue;
    }
    if (report.subFilter !== 'ETSI.CAdES.detached' || c.cms?.ess !== 'v2') {
      report.level = 'not-pades';
      continue;
    }
    const later = docTimestamps.filter((t) => t.signedEnd > c.signedEnd);
    if (!c.timestamped && later.length === 0) report.level = 'B-B';
    else if (!hasValidationData(c, dss)) report.level = 'B-T';
    else report.level = later.some((t) => hasValidationData(c, dssOf(t.signedEnd))) ? 'B-LTA' : 'B-LT';
  }
}

/** The DSS has revocation data for every certificate of the signer's path up to a root. */
function hasValidationData(c: Checked, dss: Dss): boolean {
  const path = c.chain?.path;
  if (!dss.present || !path || c.report.chain === 'untrusted') return false;
  if (c.report.chain === 'unknown-root' && !selfSignedEnd(c)) return false;
  for (let i = 0; i + 1 < path.length; i++) {
    if (!revocationOf(path[i], path[i + 1], { crls: dss.crls, ocsps: dss.ocsps, pool: dss.certificates }).known) return false;
  }
  return true;
}

const selfSignedEnd = (c: Checked) => {
  const last = c.chain!.path[c.chain!.path.length - 1];
  return Buffer.compare(Buffer.from(last.subject.valueBeforeDecode), Buffer.from(last.issuer.valueBeforeDecode)) === 0;
};

const who = (r: SignatureReport, index: number) =>
  `${r.kind === 'document-timestamp' ? 'dấu thời gian' : 'chữ ký'} ${index + 1}${r.signerName ? ` (${r.signerName})` : ''}`;

/** Why one entry is not valid, as the end of a Vietnamese sentence. */
function failure(r: SignatureReport): string {
  if (r.integrity === 'invalid') {
    const first = r.problems[0] ?? 'giá trị chữ ký không đúng';
    return `không hợp lệ: ${lower(first)}`;
  }
  if (r.modificationsAfter && !r.modificationsAfter.permitted) return `bị vô hiệu do tài liệu bị thay đổi không được phép sau khi ký (${lower(stripPrefix(r.modificationsAfter.description))})`;
  if (r.chain === 'unknown-root') return `nguyên vẹn nhưng chứng thư số do tổ chức chưa được tin cậy cấp: ${lower(r.problems[0] ?? '')}`;
  if (r.chain === 'untrusted') return `nguyên vẹn nhưng chứng thư số không được tin cậy: ${lower(r.problems[0] ?? '')}`;
  if (r.timestamp && !r.timestamp.valid) return 'nguyên vẹn nhưng dấu thời gian kèm theo không hợp lệ';
  return `cần lưu ý: ${lower(r.problems[0] ?? 'không xác định')}`;
}

const lower = (s: string) => s.replace(/\.$/, '').replace(/^./, (c) => c.toLowerCase());
const stripPrefix = (s: string) => s.replace(/^Sau khi ký, tài liệu bị thay đổi không được phép: /, '').split('. ')[0];

export function verdictOf(reports: SignatureReport[]): string {
  if (reports.length === 0) return 'Tài liệu không có chữ ký số.';
  const signatures = reports.filter((r) => r.kind === 'signature').length;
  const stamps = reports.length - signatures;
  const parts = [signatures > 0 ? `${signatures} chữ ký số` : '', stamps > 0 ? `${stamps} dấu thời gian tài liệu` : ''].filter(Boolean).join(' và ');
  const failing = reports.map((r, i) => ({ r, i })).filter(({ r }) => !r.valid);
  if (failing.length === 0) {
    return reports.length === 1 ? `Tài liệu có ${parts}, hợp lệ và được tin cậy.` : `Tài liệu có ${parts}, tất cả hợp lệ và được tin cậy.`;
  }
  const details = failing.map(({ r, i }) => `${who(r, i)} ${failure(r)}`).join('; ');
  const rest = reports.length - failing.length;
  const tail = rest === 0 ? '' : rest === 1 ? ' Mục còn lại hợp lệ và được tin cậy.' : ` ${rest} mục còn lại hợp lệ và được tin cậy.`;
  return `Tài liệu có ${parts}: ${details}.${tail}`;
}
