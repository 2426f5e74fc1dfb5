import { AppError } from '../../errors/index.js';
import { checkSignature, type CheckContext, type Checked } from './check.js';
import { certificateFromDer } from './crypto.js';
import { docMdpOf, findSignatures, readDss, type FoundSignature } from './discover.js';
import { PdfFile } from './pdf-file.js';
import { assignLevels, verdictOf } from './report.js';
import { type SignatureReport, type VerificationReport, type VerifyOptions } from './types.js';

/**
 * The PDF signature validator: every signature and document time-stamp of a PDF, each with its
 * integrity, certificate path to the trusted roots, time-stamp, what was changed after it and
 * whether that was permitted, and its PAdES level; a plain-Vietnamese verdict on top. Offline: it
 * uses only what the file carries (CMS, DSS) and the trusted roots it is given.
 */

export type { ChangeReport, SignatureReport, VerificationReport, VerifyOptions } from './types.js';

const notPdf = () => new AppError(415, 'unsupported-media-type', 'Định dạng tệp không được hỗ trợ', 'Tệp không phải PDF: chỉ kiểm tra được chữ ký số trên tệp PDF.');
const unreadable = (detail: string) => new AppError(422, 'pdf-invalid', 'Tệp PDF bị hỏng hoặc được mã hoá', detail);

export async function verifyPdfSignatures(pdf: Uint8Array, options: VerifyOptions): Promise<VerificationReport> {
  if (Buffer.from(pdf.buffer, pdf.byteOffset, Math.min(pdf.byteLength, 1024)).indexOf('%PDF-') === -1) throw notPdf();
  try {
    return verify(pdf, options);
  } catch (err) {
    if (err instanceof AppError) throw err;
    // Whatever the damage, a problem for the client, never a 500.
    throw unreadable('Không đọc được cấu trúc tệp PDF.');
  }
}

function verify(pdf: Uint8Array, options: VerifyOptions): VerificationReport {
  const now = options.now ?? new Date();
  let file: PdfFile;
  try {
    file = new PdfFile(pdf);
  } catch {
    throw unreadable('Không đọc được cấu trúc tệp PDF.');
  }
  const view = file.view();
  if (!view.root) throw unreadable('Không tìm thấy danh mục (catalog) của tệp PDF.');
  if (view.trailer.has('Encrypt')) throw unreadable('Tệp PDF được đặt mật khẩu hoặc mã hoá; chưa kiểm tra được chữ ký trên tệp mã hoá.');

  const trustedRoots = options.trustedRoots.flatMap((der) => {
    try {
      return [certificateFromDer(der)];
    } catch {
      return [];
    }
  });
  const found = findSignatures(file);
  const certifying = found.find((f) => docMdpOf(view, f) !== null && f.byteRange);
  const ctx: CheckContext = {
    file,
    trustedRoots,
    now,
    dss: readDss(view),
    certification: certifying ? { p: docMdpOf(view, certifying)!, signedEnd: certifying.byteRange![2] + certifying.byteRange![3] } : null,
  };
  const checked = found.map((f) => {
    try {
      return checkSignature(f, ctx);
    } catch {
      // A signature dictionary that breaks the checker is an invalid signature, never a crash.
      return broken(f);
    }
  });
  try {
    assignLevels(checked, file, ctx.dss);
  } catch {
    // Levels stay as checkSignature left them.
  }
  const signatures = checked.map((c) => c.report);
  return { signatures, verdict: verdictOf(signatures), valid: signatures.length > 0 && signatures.every((s) => s.valid) };
}

function broken(found: FoundSignature): Checked {
  const report: SignatureReport = {
    fieldName: found.fieldName,
    signerName: null,
    certificate: null,
    integrity: 'invalid',
    coversWholeDocument: false,
    modificationsAfter: null,
    chain: 'untrusted',
    signingTime: null,
    timestamp: null,
    level: 'not-pades',
    subFilter: '',
    reason: null,
    location: null,
    certification: null,
    kind: 'signature',
    valid: false,
    problems: ['Từ điển chữ ký bị hỏng, không kiểm tra được.'],
    algorithm: null,
    signedBytes: found.byteRange ? found.byteRange[2] + found.byteRange[3] : 0,
  };
  return { report, signedEnd: report.signedBytes, cms: null, chain: null, timestamped: false };
}
