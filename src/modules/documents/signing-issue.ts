import type { Principal } from '../../core/access/index.js';
import type { ActorContext } from '../../core/audit/index.js';
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../core/db/index.js';
import { AppError, conflict, forbidden } from '../../core/errors/index.js';
import type { FileStore } from '../../core/files/index.js';
import { fillIssueNumber, isoVietnam, type Placement, signPdf, type Signer } from '../../core/signing/index.js';
import { type FileRow } from '../files/index.js';
import {
  DEFAULT_SEAL_DIAMETER_MM,
  findCredential,
  openSigner,
  recordSignature,
  recordsForFiles,
  sealImageOf,
  type SigningRuntime,
  verifyPdf,
  withValidationData,
} from '../signing/index.js';
import { numberSymbolOf } from './detail.js';
import { issueDocument } from './issue.js';
import { assertNotRecalled, assertStatus, isClerkOf, readableOutgoing } from './outgoing.js';
import { SEAL_FIELD } from './signing-fields.js';
import { competentSignature, insertSignedFile, latestSignedVersion, missingSignatureDetail, pdfBytes } from './signing-rules.js';
import { dateLine } from './symbols.js';
import type { DocumentRow } from './visibility.js';

/**
 * "Đóng dấu và phát hành" (Decree 30 art. 16, Appendix I): the clerk of the issuing unit issues a document the
 * competent person has signed digitally. In the issuing transaction: the number, date and symbol (the
 * existing issuance), the number and date written into the PDF's form fields (permitted by the leader's
 * certification signature), the agency's seal signature with the seal image over the left third of the
 * leader's signature, a time-stamp when TSA_URL is set, and the validation data (DSS); the sealed PDF is the
 * issued file recipients receive.
 */

export type SealInput = { credentialId: string; pin?: string | null; otp?: string | null; bookId?: string | null };

/** The seal goes where the leader signed (its image overlapping the left third), else top right of page 1. */
async function sealPlacement(db: Db, leaderFileId: string): Promise<Placement | null> {
  const leader = (await recordsForFiles(db, [leaderFileId])).find((r) => r.action === 'signed' && r.placement);
  return (leader?.placement as Placement | undefined) ?? null;
}

export async function sealAndIssue(db: Db, rt: SigningRuntime, store: FileStore, p: Principal, id: string, input: SealInput, ctx: ActorContext): Promise<{ codeNumber: number; codeNotation: string; fileId: string }> {
  const d = await readableOutgoing(db, p, id);
  assertNotRecalled(d);
  if (d.status === 'issued') throw conflict(`Văn bản đã được ban hành với số ${numberSymbolOf(d)}.`, 'already-issued');
  if (!(await isClerkOf(db, p, d.unitId))) throw forbidden('Chỉ văn thư của đơn vị ban hành được đóng dấu và phát hành văn bản.', 'not-the-clerk');
  assertStatus(d, ['approved'], 'đóng dấu và phát hành');
  const signed = await latestSignedVersion(db, d.id);
  if (!signed?.digital) {
    throw new AppError(422, 'not-signed', 'Văn bản chưa được ký số', 'Chỉ đóng dấu điện tử văn bản đã được người có thẩm quyền ký số. Văn bản ký trên giấy thì dùng "Cấp số và phát hành".');
  }
  const leaderReport = await verifyPdf(db, await store.read(signed.sha256), ctx.now);
  if (!(await competentSignature(db, d, leaderReport))) throw new AppError(422, 'signature-not-valid', 'Chữ ký của người có thẩm quyền không hợp lệ', missingSignatureDetail(d, leaderReport));
  const cred = await findCredential(db, input.credentialId);
  if (!cred) throw new AppError(404, 'not-found', 'Không tìm thấy', 'Chứng thư số không tồn tại.', [{ field: 'credentialId', message: 'Không tìm thấy chứng thư số' }]);
  if (cred.owner !== 'unit' || cred.unitId !== d.issuerUnitId) {
    throw forbidden(`Chỉ đóng dấu bằng chứng thư số (con dấu điện tử) của cơ quan ban hành: ${d.issuerName}.`, 'not-the-agency-seal');
  }
  const signer = await openSigner(db, rt, cred, { pin: input.pin, otp: input.otp }, ctx);
  const seal = d.issuerUnitId ? await sealImageOf(db, store, d.issuerUnitId) : null;
  const placement = await sealPlacement(db, signed.fileId);
  const sealImage = seal ? await seal.content() : undefined;

  let issuedFileId = '';
  const r = await issueDocument(db, p, id, { bookId: input.bookId ?? null }, ctx, store, async (tx, s) => {
    if (s.file.id !== signed.fileId) throw conflict('Bản đã ký vừa thay đổi; hãy kiểm tra lại trước khi phát hành.', 'signed-version-changed');
    const file = await sealFile(tx, rt, store, s.doc, { file: s.file, signer, credential: { id: cred.id, method: cred.kind === 'remote' ? 'remote' : 'local', certificates: cred.certificates }, placement, sealImage, sealDiameterMm: seal?.sealDiameterMm ?? DEFAULT_SEAL_DIAMETER_MM, numberSymbol: s.numberSymbol, date: issueDate(s.place, s.issuedDate), agencyName: s.agencyName }, ctx);
    issuedFileId = file.id;
    return file;
  });
  return { ...r, fileId: issuedFileId };
}

/** "ngày 05 tháng 3 năm 2026": the template prints the place before the date field ("Tân An, ngày … tháng … năm …"). */
const issueDate = (place: string, isoDate: string) => dateLine(place, isoDate).slice(place.length + 2);

type SealJob = {
  file: FileRow;
  signer: Signer;
  credential: { id: string; method: 'local' | 'remote'; certificates: string[] };
  placement: Placement | null;
  sealImage?: Uint8Array;
  sealDiameterMm: number;
  numberSymbol: string;
  date: string;
  agencyName: string;
};

/**
 * Number and date into the form fields, the seal signature, DSS; verified before it may go out. A PDF signed
 * elsewhere has no such fields: the agency signature then goes top right of page 1 with the number, the
 * agency and the time as text (the Decree 30 form for electronic copies), and nothing else is written.
 */
async function sealFile(tx: Db, rt: SigningRuntime, store: FileStore, doc: DocumentRow, job: SealJob, ctx: ActorContext): Promise<FileRow> {
  const source = await pdfBytes(store, job.file.sha256);
  let numbered: Uint8Array | null = null;
  try {
    numbered = await fillIssueNumber(source, { number: job.numberSymbol, date: job.date });
  } catch (err) {
    if (!(err instanceof AppError && err.code === 'issue-fields-missing')) throw err;
  }
  const corner = { placement: { attachmentCorner: true as const }, appearance: { lines: [`Số: ${job.numberSymbol}`, job.agencyName, isoVietnam(ctx.now)] } };
  // The seal field prepared before the leader signed is signed where it is (the placement is then unused).
  const inField = { placement: job.placement ?? { invisible: true as const }, appearance: job.sealImage ? { sealImage: job.sealImage, sealDiameterMm: job.sealDiameterMm } : { lines: [job.agencyName, isoVietnam(ctx.now)] } };
  const sealed = await signPdf(numbered ?? source, job.signer, {
    fieldName: numbered ? SEAL_FIELD : undefined,
    ...(numbered ? inField : corner),
    reason: `Phát hành văn bản số ${job.numberSymbol}`,
    location: job.agencyName,
    signerName: job.agencyName,
    signingTime: ctx.now,
    timestampUrl: rt.tsaUrl,
  });
  // Validation data (PAdES B-LT): the chains of the seal and of the signer's registered credentials.
  const signerCerts = doc.signerUserId ? await queryRows<{ certificates: string[] }>(tx, sql`SELECT certificates FROM signing_credentials WHERE user_id = ${doc.signerUserId} AND status <> 'revoked'`) : [];
  const withDss = await withValidationData(tx, rt, sealed, [...job.credential.certificates, ...signerCerts.flatMap((c) => c.certificates)], ctx.now);
  const report = await verifyPdf(tx, withDss, ctx.now);
  if (!report.valid) throw new AppError(422, 'sealed-not-valid', 'Bản phát hành không hợp lệ', `Sau khi đóng dấu, kiểm tra chữ ký không đạt: ${report.verdict}`);
  const name = `${job.numberSymbol.replace(/[/\\]/g, '_')}.pdf`;
  const file = await insertSignedFile(tx, store, doc, withDss, name, ctx);
  await recordSignature(tx, ctx, { unitId: doc.unitId, documentId: doc.id, file, action: 'sealed', method: job.credential.method, credentialId: job.credential.id, fieldName: SEAL_FIELD, placement: job.placement, report });
  return { ...file, unitId: doc.unitId, createdBy: ctx.actorId, createdAt: ctx.now };
}
