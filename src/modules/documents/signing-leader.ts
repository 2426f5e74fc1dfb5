import type { Principal } from '../../core/access/index.js';
import type { ActorContext } from '../../core/audit/index.js';
import { type Db, inTransaction } from '../../core/db/index.js';
import { AppError, conflict, forbidden, validationFailed } from '../../core/errors/index.js';
import type { FileStore } from '../../core/files/index.js';
import { type Placement, signPdf, type SignOptions } from '../../core/signing/index.js';
import { type FileRow, readableFile } from '../files/index.js';
import {
  closePending,
  embedExternal,
  openSigner,
  ownPending,
  prepareExternal,
  type PreparedExternal,
  recordSignature,
  sealImageOf,
  signatureImageOf,
  type SigningRuntime,
  verifyPdf,
  type VerificationReport,
} from '../signing/index.js';
import { addSignedVersion } from './issue.js';
import { assertStatus, isClerkOf, PDF_TYPE, readableOutgoing } from './outgoing.js';
import { approvedDraftPdf, assertDesignatedSigner, competentSignature, insertSignedFile, latestSignedVersion, missingSignatureDetail, ownCredential, pdfBytes, signedName, type VersionFile } from './signing-rules.js';
import { issueFieldsFor, LEADER_CERTIFY, LEADER_FIELD } from './signing-fields.js';
import { type DocumentRow, lockDocument } from './visibility.js';

/**
 * The competent person's digital signature on an approved outgoing document ("Ký số"): with their own
 * credential (local key + PIN, or remote signing), with the external signing tool (USB token: prepare →
 * finalise), or by uploading a PDF they signed elsewhere. Each way ends the same: a new 'signed' version
 * whose leader signature was verified, a signature record and a timeline step, in one transaction.
 */

export type LeaderSignInput = { credentialId: string; pin?: string | null; otp?: string | null; placement: Placement; reason?: string | null };
export type SignResult = { version: number; fileId: string; report: VerificationReport };

/** Checks before any signing work: the designated signer, an approved document, not yet signed digitally. */
async function signable(db: Db, p: Principal, id: string): Promise<{ d: DocumentRow; source: VersionFile }> {
  const d = await readableOutgoing(db, p, id);
  assertStatus(d, ['approved'], 'ký số');
  assertDesignatedSigner(d, p);
  const signed = await latestSignedVersion(db, d.id);
  if (signed?.digital) throw conflict(`Văn bản đã được ký số (phiên bản ${signed.version}); không ký lại trên cùng văn bản.`, 'already-signed');
  return { d, source: await approvedDraftPdf(db, d) };
}

/** The real size of the issuing agency's seal, for the seal field prepared beside the leader's signature. */
async function sealDiameter(db: Db, store: FileStore, d: DocumentRow): Promise<number | undefined> {
  return d.issuerUnitId ? ((await sealImageOf(db, store, d.issuerUnitId))?.sealDiameterMm ?? undefined) : undefined;
}

async function leaderOptions(db: Db, store: FileStore, rt: SigningRuntime, p: Principal, d: DocumentRow, placement: Placement, reason: string | null | undefined, now: Date): Promise<SignOptions> {
  const image = await signatureImageOf(db, store, p.userId);
  return {
    fieldName: LEADER_FIELD,
    placement,
    appearance: image ? { signatureImage: await image.content() } : { lines: [d.signerPosition ?? '', p.fullName].filter(Boolean) },
    reason: reason?.normalize('NFC').trim() || 'Ký ban hành văn bản',
    location: d.issuerName,
    signerName: p.fullName,
    signingTime: now,
    // Certification with P=2: the clerk's number/date (form fields) and the agency seal (signature field)
    // prepared now stay permitted changes after the leader's signature.
    certify: LEADER_CERTIFY,
    timestampUrl: rt.tsaUrl,
  };
}

/** Stores the signed PDF as the next 'signed' version after re-checking the state under the lock. */
async function storeLeaderVersion(
  db: Db,
  store: FileStore,
  d: DocumentRow,
  source: VersionFile,
  signed: Uint8Array,
  report: VerificationReport,
  rec: { action: 'signed' | 'uploaded'; method: 'local' | 'remote' | 'external' | 'upload'; credentialId: string | null; placement: unknown; existing?: FileRow; pendingId?: string },
  ctx: ActorContext,
): Promise<SignResult> {
  return inTransaction(db, async (tx) => {
    const cur = await lockDocument(tx, d.id);
    assertStatus(cur, ['approved'], 'ký số');
    const latest = await latestSignedVersion(tx, d.id);
    if (latest?.digital) throw conflict('Văn bản vừa được ký số bởi một thao tác khác.', 'already-signed');
    if (rec.pendingId && !(await closePending(tx, rec.pendingId, ctx.now))) throw conflict('Phiên ký đã kết thúc hoặc hết hạn.', 'pending-closed');
    const file = rec.existing ?? (await insertSignedFile(tx, store, cur, signed, signedName(source.name, 'ky-so'), ctx));
    const version = await addSignedVersion(tx, cur, file.id, 'digital', ctx);
    await recordSignature(tx, ctx, { unitId: cur.unitId, documentId: cur.id, file, action: rec.action, method: rec.method, credentialId: rec.credentialId, fieldName: LEADER_FIELD, placement: rec.placement, report });
    return { version, fileId: file.id, report };
  });
}

/** The new signature must be there and valid (a signer bug or a wrong certificate never reaches the flow). */
async function verifiedLeaderSignature(db: Db, d: DocumentRow, signed: Uint8Array, now: Date): Promise<VerificationReport> {
  const report = await verifyPdf(db, signed, now);
  if (!(await competentSignature(db, d, report))) {
    throw new AppError(422, 'signature-not-valid', 'Chữ ký số không hợp lệ', missingSignatureDetail(d, report));
  }
  return report;
}

/** "Ký số" with a local or remote credential of the signer; the PIN/OTP is checked (and counted) first. */
export async function signAsLeader(db: Db, rt: SigningRuntime, store: FileStore, p: Principal, id: string, input: LeaderSignInput, ctx: ActorContext): Promise<SignResult> {
  const { d, source } = await signable(db, p, id);
  const cred = await ownCredential(db, p, input.credentialId);
  const signer = await openSigner(db, rt, cred, { pin: input.pin, otp: input.otp }, ctx);
  const pdf = await issueFieldsFor(await pdfBytes(store, source.sha256), input.placement, await sealDiameter(db, store, d));
  const signed = await signPdf(pdf, signer, await leaderOptions(db, store, rt, p, d, input.placement, input.reason, ctx.now));
  const report = await verifiedLeaderSignature(db, d, signed, ctx.now);
  return storeLeaderVersion(db, store, d, source, signed, report, { action: 'signed', method: cred.kind === 'remote' ? 'remote' : 'local', credentialId: cred.id, placement: input.placement }, ctx);
}

/** External signing, step 1: the prepared PDF and the digest for the signing tool on the signer's PC. */
export async function prepareLeaderExternal(
  db: Db,
  rt: SigningRuntime,
  store: FileStore,
  p: Principal,
  id: string,
  input: { credentialId?: string | null; placement: Placement; reason?: string | null },
  ctx: ActorContext,
): Promise<PreparedExternal> {
  const { d, source } = await signable(db, p, id);
  const cred = input.credentialId ? await ownCredential(db, p, input.credentialId) : null;
  const pdf = await issueFieldsFor(await pdfBytes(store, source.sha256), input.placement, await sealDiameter(db, store, d));
  const options = await leaderOptions(db, store, rt, p, d, input.placement, input.reason, ctx.now);
  // The tool's CMS cannot carry our time-stamp request; it may add its own.
  return prepareExternal(db, store, { pdf, options: { ...options, timestampUrl: undefined }, unitId: d.unitId, documentId: d.id, sourceFileId: source.fileId, purpose: 'leader', userId: p.userId, credentialId: cred?.id ?? null }, ctx);
}

/** External signing, step 2: the tool's CMS is embedded, the signature verified, the flow continues. */
export async function finaliseLeaderExternal(db: Db, store: FileStore, p: Principal, id: string, pendingId: string, cms: Uint8Array, ctx: ActorContext): Promise<SignResult> {
  const { d, source } = await signable(db, p, id);
  const pending = await ownPending(db, p, pendingId, ctx.now);
  if (pending.documentId !== d.id || pending.purpose !== 'leader') throw validationFailed([{ field: 'pendingId', message: 'Phiên ký không thuộc văn bản này' }]);
  if (pending.sourceFileId !== source.fileId) throw conflict('Bản dự thảo đã thay đổi sau khi chuẩn bị ký; hãy chuẩn bị lại.', 'pending-stale');
  const signed = await embedExternal(store, pending, cms);
  const report = await verifiedLeaderSignature(db, d, signed, ctx.now);
  const placement = (pending.options as { placement?: unknown }).placement ?? null;
  return storeLeaderVersion(db, store, d, source, signed, report, { action: 'signed', method: 'external', credentialId: pending.credentialId, placement, pendingId: pending.id }, ctx);
}

/**
 * A PDF already signed elsewhere (e.g. with a USB token in another tool), uploaded by the signer or the clerk:
 * accepted only when it carries the competent person's valid, trusted signature.
 */
export async function attachSignedPdf(db: Db, store: FileStore, p: Principal, id: string, fileId: string, ctx: ActorContext): Promise<SignResult> {
  const d = await readableOutgoing(db, p, id);
  assertStatus(d, ['approved'], 'tải lên bản đã ký số');
  if (d.signerUserId !== p.userId && !(await isClerkOf(db, p, d.unitId))) throw forbidden('Chỉ văn thư hoặc người ký được tải lên bản đã ký số.');
  if (d.secrecy !== 'none') throw new AppError(422, 'secret-no-file', 'Văn bản mật không lưu tệp', 'Văn bản mật chỉ lưu thông tin, không lưu tệp nội dung nên không tải lên bản ký số.');
  const signed = await latestSignedVersion(db, d.id);
  if (signed?.digital) throw conflict(`Văn bản đã có bản ký số (phiên bản ${signed.version}).`, 'already-signed');
  let f: FileRow;
  try {
    f = await readableFile(db, p, fileId);
  } catch {
    throw validationFailed([{ field: 'fileId', message: 'Tệp không tồn tại hoặc bạn không có quyền dùng tệp này' }]);
  }
  if (f.contentType !== PDF_TYPE) throw validationFailed([{ field: 'fileId', message: 'Bản đã ký số phải là tệp PDF' }]);
  const content = await store.read(f.sha256);
  const report = await verifiedLeaderSignature(db, d, content, ctx.now);
  const source = { documentFileId: '', fileId: f.id, sha256: f.sha256, version: 0, name: f.name, contentType: f.contentType };
  return storeLeaderVersion(db, store, d, source, content, report, { action: 'uploaded', method: 'upload', credentialId: null, placement: null, existing: f }, ctx);
}
