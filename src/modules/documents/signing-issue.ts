import type { Principal } from '../../core/access/index.js';
import type { ActorContext } from '../../core/audit/index.js';
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../core/db/index.js';
import { AppError, conflict, forbidden, validationFailed } from '../../core/errors/index.js';
import type { FileStore } from '../../core/files/index.js';
import { fillIssueNumber, isoVietnam, type Placement, signPdf, type Signer, type SignOptions } from '../../core/signing/index.js';
import { type FileRow } from '../files/index.js';
import {
  closePending,
  type CredentialRow,
  DEFAULT_SEAL_DIAMETER_MM,
  embedExternal,
  findCredential,
  openSigner,
  ownPending,
  prepareExternal,
  type PreparedExternal,
  recordSignature,
  recordsForFiles,
  sealImageOf,
  type SigningRuntime,
  verifyPdf,
  type VerificationReport,
  withValidationData,
} from '../signing/index.js';
import { numberSymbolOf } from './detail.js';
import { issueDocument, previewIssue } from './issue.js';
import { assertNotRecalled, assertStatus, isClerkOf, readableOutgoing } from './outgoing.js';
import { SEAL_FIELD } from './signing-fields.js';
import { cnOf, competentSignature, insertSignedFile, latestSignedVersion, missingSignatureDetail, pdfBytes, sameName } from './signing-rules.js';
import { dateLine } from './symbols.js';
import type { DocumentRow } from './visibility.js';

/**
 * "Đóng dấu và phát hành" (Decree 30 art. 16, Appendix I): the clerk of the issuing unit issues a document the
 * competent person has signed digitally. In the issuing transaction: the number, date and symbol (the
 * existing issuance), the number and date written into the PDF's form fields (permitted by the leader's
 * certification signature), the agency's seal signature with the seal image over the left third of the
 * leader's signature, a time-stamp when TSA_URL is set, and the validation data (DSS); the sealed PDF is the
 * issued file recipients receive.
 *
 * With a USB token (the external signing tool) the seal is prepared first with the number the issuance would
 * take now, not reserved (no gaps in the register); the issuance at finalise takes its number as always and
 * refuses (409 seal-number-changed) when it is not the prepared one.
 */

export type SealInput = { credentialId: string; pin?: string | null; otp?: string | null; bookId?: string | null };
export type IssuedResult = { codeNumber: number; codeNotation: string; fileId: string };

/** The seal goes where the leader signed (its image overlapping the left third), else top right of page 1. */
async function sealPlacement(db: Db, leaderFileId: string): Promise<Placement | null> {
  const leader = (await recordsForFiles(db, [leaderFileId])).find((r) => r.action === 'signed' && r.placement);
  return (leader?.placement as Placement | undefined) ?? null;
}

/** The checks before any sealing: the clerk of the issuing unit, an approved document carrying the competent person's valid signature. */
async function sealable(db: Db, store: FileStore, p: Principal, id: string, ctx: ActorContext) {
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
  return { d, signed };
}

/** A seal credential of the issuing agency (404 unknown, 403 anyone else's). */
async function agencyCredential(db: Db, d: DocumentRow, credentialId: string): Promise<CredentialRow> {
  const cred = await findCredential(db, credentialId);
  if (!cred) throw new AppError(404, 'not-found', 'Không tìm thấy', 'Chứng thư số không tồn tại.', [{ field: 'credentialId', message: 'Không tìm thấy chứng thư số' }]);
  if (cred.owner !== 'unit' || cred.unitId !== d.issuerUnitId) {
    throw forbidden(`Chỉ đóng dấu bằng chứng thư số (con dấu điện tử) của cơ quan ban hành: ${d.issuerName}.`, 'not-the-agency-seal');
  }
  return cred;
}

/** The unit's seal image and where it goes, for the seal's appearance. */
async function sealLook(db: Db, store: FileStore, d: DocumentRow, leaderFileId: string) {
  const seal = d.issuerUnitId ? await sealImageOf(db, store, d.issuerUnitId) : null;
  return { placement: await sealPlacement(db, leaderFileId), sealImage: seal ? await seal.content() : undefined, sealDiameterMm: seal?.sealDiameterMm ?? DEFAULT_SEAL_DIAMETER_MM };
}

export async function sealAndIssue(db: Db, rt: SigningRuntime, store: FileStore, p: Principal, id: string, input: SealInput, ctx: ActorContext): Promise<IssuedResult> {
  const { d, signed } = await sealable(db, store, p, id, ctx);
  const cred = await agencyCredential(db, d, input.credentialId);
  const signer = await openSigner(db, rt, cred, { pin: input.pin, otp: input.otp }, ctx);
  const look = await sealLook(db, store, d, signed.fileId);

  let issuedFileId = '';
  const r = await issueDocument(db, p, id, { bookId: input.bookId ?? null }, ctx, store, async (tx, s) => {
    if (s.file.id !== signed.fileId) throw conflict('Bản đã ký vừa thay đổi; hãy kiểm tra lại trước khi phát hành.', 'signed-version-changed');
    const file = await sealFile(tx, rt, store, s.doc, { file: s.file, signer, credential: { id: cred.id, method: cred.kind === 'remote' ? 'remote' : 'local', certificates: cred.certificates }, ...look, numberSymbol: s.numberSymbol, date: issueDate(s.place, s.issuedDate), agencyName: s.agencyName }, ctx);
    issuedFileId = file.id;
    return file;
  });
  return { ...r, fileId: issuedFileId };
}

/** "ngày 05 tháng 3 năm 2026": the template prints the place before the date field ("Tân An, ngày … tháng … năm …"). */
const issueDate = (place: string, isoDate: string) => dateLine(place, isoDate).slice(place.length + 2);

type SealLook = { placement: Placement | null; sealImage?: Uint8Array; sealDiameterMm: number };
type SealText = { numberSymbol: string; date: string; agencyName: string };
type SealCredential = { id: string | null; method: 'local' | 'remote' | 'external'; certificates: string[] };
type SealJob = SealLook & SealText & { file: FileRow; signer: Signer; credential: SealCredential & { method: 'local' | 'remote' } };

/**
 * The PDF to seal and the seal's options: number and date into the form fields (the seal then goes in the
 * seal field prepared before the leader signed, where it is). A PDF signed elsewhere has no such fields: the
 * agency signature then goes top right of page 1 with the number, the agency and the time as text (the
 * Decree 30 form for electronic copies), and nothing else is written.
 */
async function sealInput(store: FileStore, sha256: string, job: SealLook & SealText, now: Date): Promise<{ pdf: Uint8Array; options: SignOptions }> {
  const source = await pdfBytes(store, sha256);
  let numbered: Uint8Array | null = null;
  try {
    numbered = await fillIssueNumber(source, { number: job.numberSymbol, date: job.date });
  } catch (err) {
    if (!(err instanceof AppError && err.code === 'issue-fields-missing')) throw err;
  }
  const corner = { placement: { attachmentCorner: true as const }, appearance: { lines: [`Số: ${job.numberSymbol}`, job.agencyName, isoVietnam(now)] } };
  const inField = { placement: job.placement ?? { invisible: true as const }, appearance: job.sealImage ? { sealImage: job.sealImage, sealDiameterMm: job.sealDiameterMm } : { lines: [job.agencyName, isoVietnam(now)] } };
  return {
    pdf: numbered ?? source,
    options: {
      fieldName: numbered ? SEAL_FIELD : undefined,
      ...(numbered ? inField : corner),
      reason: `Phát hành văn bản số ${job.numberSymbol}`,
      location: job.agencyName,
      signerName: job.agencyName,
      signingTime: now,
    },
  };
}

/** Seal with a server-side or remote credential, time-stamped when TSA_URL is set; then as storeSealed. */
async function sealFile(tx: Db, rt: SigningRuntime, store: FileStore, doc: DocumentRow, job: SealJob, ctx: ActorContext): Promise<FileRow> {
  const { pdf, options } = await sealInput(store, job.file.sha256, job, ctx.now);
  const sealed = await signPdf(pdf, job.signer, { ...options, timestampUrl: rt.tsaUrl });
  return storeSealed(tx, rt, store, doc, sealed, { credential: job.credential, placement: job.placement, numberSymbol: job.numberSymbol }, ctx);
}

/**
 * After the seal signature, whichever way it was made: validation data (PAdES B-LT: the chains of the seal
 * and of the signer's registered credentials), verified before it may go out, stored as the issued file, recorded.
 */
async function storeSealed(
  tx: Db,
  rt: SigningRuntime,
  store: FileStore,
  doc: DocumentRow,
  sealed: Uint8Array,
  job: { credential: SealCredential; placement: Placement | null; numberSymbol: string; check?: (report: VerificationReport) => Promise<void> },
  ctx: ActorContext,
): Promise<FileRow> {
  const signerCerts = doc.signerUserId ? await queryRows<{ certificates: string[] }>(tx, sql`SELECT certificates FROM signing_credentials WHERE user_id = ${doc.signerUserId} AND status <> 'revoked'`) : [];
  const withDss = await withValidationData(tx, rt, sealed, [...job.credential.certificates, ...signerCerts.flatMap((c) => c.certificates)], ctx.now);
  const report = await verifyPdf(tx, withDss, ctx.now);
  if (!report.valid) throw new AppError(422, 'sealed-not-valid', 'Bản phát hành không hợp lệ', `Sau khi đóng dấu, kiểm tra chữ ký không đạt: ${report.verdict}`);
  await job.check?.(report);
  const name = `${job.numberSymbol.replace(/[/\\]/g, '_')}.pdf`;
  const file = await insertSignedFile(tx, store, doc, withDss, name, ctx);
  await recordSignature(tx, ctx, { unitId: doc.unitId, documentId: doc.id, file, action: 'sealed', method: job.credential.method, credentialId: job.credential.id, fieldName: SEAL_FIELD, placement: job.placement, report });
  return { ...file, unitId: doc.unitId, createdBy: ctx.actorId, createdAt: ctx.now };
}

// ------------------------------------------------------------------ the seal with a USB token (external tool)

/** What the issuance would assign when the seal was prepared; kept in the pending signature's options. */
type PreparedIssue = { bookId: string | null; numberSymbol: string; issuedDate: string; codeNumber: number; codeNotation: string };
export type PreparedSeal = PreparedExternal & { numberSymbol: string; issuedDate: string };

/**
 * External seal, step 1: the PDF with the number and date the issuance would take now, prepared for the seal
 * signature, and its digest for the signing tool. Nothing is issued or reserved.
 */
export async function prepareSealExternal(db: Db, store: FileStore, p: Principal, id: string, input: { credentialId?: string | null; bookId?: string | null }, ctx: ActorContext): Promise<PreparedSeal> {
  const { d, signed } = await sealable(db, store, p, id, ctx);
  const cred = input.credentialId ? await agencyCredential(db, d, input.credentialId) : null;
  if (d.secrecy !== 'none') throw new AppError(422, 'secret-no-file', 'Văn bản mật không lưu tệp', 'Văn bản mật không lưu tệp nội dung nên không đóng dấu điện tử trên hệ thống.');
  const next = await previewIssue(db, d, input.bookId, ctx.now);
  const look = await sealLook(db, store, d, signed.fileId);
  const { pdf, options } = await sealInput(store, signed.sha256, { ...look, numberSymbol: next.numberSymbol, date: issueDate(next.place, next.issuedDate), agencyName: next.agencyName }, ctx.now);
  const issue: PreparedIssue = { bookId: next.bookId, numberSymbol: next.numberSymbol, issuedDate: next.issuedDate, codeNumber: next.codeNumber, codeNotation: next.codeNotation };
  // No time-stamp request: the tool's CMS cannot carry ours (it may add its own), as for the leader.
  const prepared = await prepareExternal(db, store, { pdf, options, context: { issue }, unitId: d.unitId, documentId: d.id, sourceFileId: signed.fileId, purpose: 'seal', userId: p.userId, credentialId: cred?.id ?? null }, ctx);
  return { ...prepared, numberSymbol: next.numberSymbol, issuedDate: next.issuedDate };
}


/**
 * The seal made by the tool must be the issuing agency's, as competentSignature asks of the leader: its
 * certificate is one of the agency's registered seal credentials (the one chosen at step 1, if any: serial and
 * issuer), or — a token not registered here — its common name is the agency's name.
 */
async function assertAgencySeal(db: Db, d: DocumentRow, credentialId: string | null, agencyName: string, report: VerificationReport): Promise<void> {
  const seal = report.signatures.find((s) => s.kind !== 'document-timestamp' && s.fieldName === SEAL_FIELD) ?? report.signatures.filter((s) => s.kind !== 'document-timestamp').at(-1);
  const cert = seal?.certificate;
  const creds = d.issuerUnitId
    ? await queryRows<{ id: string; serial_number: string; issuer: string }>(db, sql`SELECT id, serial_number, issuer FROM signing_credentials WHERE owner = 'unit' AND unit_id = ${d.issuerUnitId} AND status <> 'revoked'`)
    : [];
  const registered = !!cert && creds.some((c) => (!credentialId || c.id === credentialId) && c.serial_number === cert.serialNumber && sameName(cnOf(c.issuer), cnOf(cert.issuer)));
  const named = !credentialId && !!cert && (sameName(cnOf(cert.subject) || seal?.signerName, agencyName) || sameName(cnOf(cert.subject) || seal?.signerName, d.issuerName));
  if (!registered && !named) {
    throw new AppError(422, 'not-the-agency-seal', 'Chữ ký không phải con dấu điện tử của cơ quan', `Chứng thư dùng để ký (${seal?.signerName ?? 'không rõ'}) không phải chứng thư số của cơ quan ban hành: ${d.issuerName}. Hãy dùng USB token con dấu của cơ quan.`);
  }
}

/**
 * External seal, step 2: the tool's CMS embedded, then the issuance in one transaction; it refuses (409
 * seal-number-changed, nothing issued) when the number, symbol or date it assigns are not the prepared ones.
 */
export async function finaliseSealExternal(db: Db, rt: SigningRuntime, store: FileStore, p: Principal, id: string, pendingId: string, cms: Uint8Array, ctx: ActorContext): Promise<IssuedResult> {
  const { d, signed } = await sealable(db, store, p, id, ctx);
  const pending = await ownPending(db, p, pendingId, ctx.now);
  if (pending.documentId !== d.id || pending.purpose !== 'seal') throw validationFailed([{ field: 'pendingId', message: 'Phiên ký không thuộc văn bản này' }]);
  if (pending.sourceFileId !== signed.fileId) throw conflict('Bản đã ký đã thay đổi sau khi chuẩn bị đóng dấu; hãy chuẩn bị lại.', 'pending-stale');
  const options = pending.options as { issue: PreparedIssue };
  const sealed = await embedExternal(store, pending, cms);
  const cred = pending.credentialId ? await findCredential(db, pending.credentialId) : undefined;
  const placement = await sealPlacement(db, signed.fileId);

  let issuedFileId = '';
  const r = await issueDocument(db, p, id, { bookId: options.issue.bookId }, ctx, store, async (tx, s) => {
    if (s.file.id !== signed.fileId) throw conflict('Bản đã ký vừa thay đổi; hãy kiểm tra lại trước khi phát hành.', 'signed-version-changed');
    if (s.numberSymbol !== options.issue.numberSymbol || s.issuedDate !== options.issue.issuedDate) {
      throw new AppError(
        409,
        'seal-number-changed',
        'Số, ngày văn bản đã thay đổi',
        `Số và ngày đã chuẩn bị (${options.issue.numberSymbol}, ${options.issue.issuedDate.split('-').reverse().join('/')}) không còn đúng: văn bản sẽ nhận số ${s.numberSymbol} ngày ${s.issuedDate.split('-').reverse().join('/')} (đã có văn bản khác được phát hành, hoặc đã sang ngày mới). Văn bản chưa được phát hành; hãy chuẩn bị đóng dấu lại và ký lại bằng USB token.`,
      );
    }
    if (!(await closePending(tx, pending.id, ctx.now))) throw conflict('Phiên ký đã kết thúc hoặc hết hạn.', 'pending-closed');
    const credential = { id: pending.credentialId, method: 'external' as const, certificates: cred?.certificates ?? [] };
    const file = await storeSealed(tx, rt, store, s.doc, sealed, { credential, placement, numberSymbol: s.numberSymbol, check: (report) => assertAgencySeal(tx, s.doc, pending.credentialId, s.agencyName, report) }, ctx);
    issuedFileId = file.id;
    return file;
  });
  return { ...r, fileId: issuedFileId };
}
