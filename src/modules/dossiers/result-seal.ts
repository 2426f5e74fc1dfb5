import { sql } from 'drizzle-orm';
import type { Principal } from '../../core/access/index.js';
import type { ActorContext } from '../../core/audit/index.js';
import { type Db, queryRows } from '../../core/db/index.js';
import { AppError, conflict, forbidden, notFound, unprocessable, validationFailed } from '../../core/errors/index.js';
import { type FileStore, files } from '../../core/files/index.js';
import { isUuid, newId } from '../../core/ids/index.js';
import { isoVietnam, signPdf, type Signer } from '../../core/signing/index.js';
import { getSetting } from '../../core/settings/index.js';
import {
  activeCredentials,
  type AgencyUnit,
  type Credential,
  findCredential,
  issuingAgency,
  openSigner,
  recordSignature,
  recordsForFiles,
  type SigningRuntime,
  verifyPdf,
  withValidationData,
} from '../signing/index.js';
import type { AttachedFile, FileGroup } from './files.js';
import type { ActionInput } from './handler.js';
import type { DossierRow } from './log.js';
import { STATUS } from './status.js';

/**
 * The agency's seal on a dossier's electronic result (kết quả giải quyết điện tử, Decree 30 Appendix I for electronic
 * copies; Decree 118/2025 — the result returned online must be a valid electronic document). The officer completing
 * the dossier may ask for it: the result PDF gets the agency's signature without image, top right of page 1, with the
 * dossier code, the agency and the time (ISO 8601, +07:00), a time-stamp when TSA_URL is set and the validation data;
 * it becomes the result file, and the unsigned upload is kept as `result_source`. The seal is the deciding agency's:
 * the people's committee or department holding the dossier when it is completed (after a transfer between levels,
 * the deciding unit's), never the receiving commune's for a province decision.
 */

/** Setting (boolean, default false): an online return (returnMethod 'online') needs a sealed result. */
export const ONLINE_SEAL_REQUIRED_KEY = 'dossiers.online-result-seal-required';

export const onlineSealRequired = async (db: Db) => (await getSetting<boolean | null>(db, ONLINE_SEAL_REQUIRED_KEY, false)) === true;

export type SealRequest = { credentialId: string; pin?: string | null; otp?: string | null };

/** What the complete handler needs to seal inside the action's transaction (the PIN was checked before it). */
export type PreparedSeal = {
  rt: SigningRuntime;
  signer: Signer;
  credential: { id: string; method: 'local' | 'remote'; certificates: string[] };
  agency: { id: string; name: string };
  /** The unit holding the dossier when the seal was prepared: the transaction checks it did not change meanwhile. */
  fromUnitId: string;
};

const PDF = 'application/pdf';

/** The agency deciding the dossier now: the unit holding it, or its nearest people's committee / department. */
export async function decidingAgency(db: Db, d: Pick<DossierRow, 'currentUnitId'>): Promise<AgencyUnit> {
  const [u] = await queryRows<AgencyUnit>(db, sql`SELECT id, parent_id, path, kind, name, short_name, agency_code, active FROM units WHERE id = ${d.currentUnitId}`);
  if (!u) throw notFound('Đơn vị');
  return issuingAgency(db, u);
}

/**
 * Checks a seal request of `complete` and unlocks the signer — before the action's transaction (a wrong PIN is
 * counted in its own transaction). 422 for a result that is not a PDF, 404/403 for an unknown credential or one that
 * is not the deciding agency's seal, the signing module's problems for the PIN (422 wrong-pin, 423 locked, …).
 */
export async function prepareResultSeal(db: Db, rt: SigningRuntime | undefined, d: DossierRow, input: ActionInput, ctx: ActorContext): Promise<PreparedSeal | null> {
  const seal = input.seal;
  if (!seal) return null;
  if (!rt) throw new AppError(503, 'signing-unavailable', 'Chưa cấu hình ký số', 'Máy chủ chưa bật chức năng ký số nên không đóng dấu điện tử được.');
  const ids = input.fileIds ?? [];
  if (ids.length === 0) throw validationFailed([{ field: 'fileIds', message: 'Đính kèm văn bản kết quả giải quyết.' }]);
  // Only the caller's uploads or the dossier's files (others are refused later as not found, without their names).
  const valid = ids.filter(isUuid);
  const types = valid.length ? await queryRows<{ id: string; content_type: string; name: string }>(db, sql`SELECT f.id, f.content_type, f.name FROM files f WHERE f.id = ANY(${`{${valid.join(',')}}`}::uuid[])
           AND (f.created_by = ${ctx.actorId} OR EXISTS (SELECT 1 FROM dossier_files x WHERE x.file_id = f.id AND x.dossier_id = ${d.id}))`) : [];
  const notPdf = types.filter((f) => f.content_type !== PDF);
  if (notPdf.length) {
    throw unprocessable('Kết quả không phải tệp PDF', `Chỉ đóng dấu điện tử được văn bản kết quả dạng PDF; tệp "${notPdf[0].name}" không phải PDF.`, notPdf.map((f) => ({ field: `fileIds.${ids.indexOf(f.id)}`, message: 'Tệp không phải PDF.' })));
  }
  const agency = await decidingAgency(db, d);
  const cred = await findCredential(db, seal.credentialId);
  if (!cred) throw new AppError(404, 'not-found', 'Không tìm thấy', 'Chứng thư số không tồn tại.', [{ field: 'seal.credentialId', message: 'Không tìm thấy chứng thư số' }]);
  if (cred.owner !== 'unit' || cred.unitId !== agency.id) {
    throw forbidden(`Chỉ đóng dấu kết quả bằng chứng thư số (con dấu điện tử) của cơ quan giải quyết hồ sơ: ${agency.name}.`, 'not-the-agency-seal');
  }
  const signer = await openSigner(db, rt, cred, { pin: seal.pin, otp: seal.otp }, ctx);
  return { rt, signer, credential: { id: cred.id, method: cred.kind === 'remote' ? 'remote' : 'local', certificates: cred.certificates }, agency: { id: agency.id, name: agency.name }, fromUnitId: d.currentUnitId };
}

/**
 * In the action's transaction: the result PDF (the result group made into one PDF, as for any result) is sealed,
 * given its validation data, verified (anything but valid rolls the action back) and stored; returns the groups to
 * link — the unsigned PDF as `result_source`, the sealed one as `result`.
 */
export async function sealResult(tx: Db, store: FileStore, p: Principal, d: DossierRow, seal: PreparedSeal, group: FileGroup, source: AttachedFile, ctx: ActorContext): Promise<FileGroup[]> {
  if (d.currentUnitId !== seal.fromUnitId) throw conflict('Hồ sơ vừa được chuyển sang đơn vị khác; hãy tải lại trước khi đóng dấu.', 'dossier-moved');
  const [f] = await queryRows<{ sha256: string; name: string }>(tx, sql`SELECT sha256, name FROM files WHERE id = ${source.fileId}`);
  const lines = [`Mã hồ sơ: ${d.code ?? ''}`, seal.agency.name, isoVietnam(ctx.now)];
  let sealed: Uint8Array;
  try {
    sealed = await signPdf(new Uint8Array(await store.read(f.sha256)), seal.signer, {
      placement: { attachmentCorner: true },
      appearance: { lines },
      reason: `Kết quả giải quyết hồ sơ ${d.code ?? ''}`,
      location: seal.agency.name,
      signerName: seal.agency.name,
      signingTime: ctx.now,
      timestampUrl: seal.rt.tsaUrl,
    });
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw unprocessable('Không đóng dấu được tệp kết quả', `Tệp "${f.name}" không đọc được như một PDF hợp lệ: ${(err as Error).message}`, [{ field: 'fileIds', message: 'Tệp PDF bị lỗi.' }]);
  }
  const withDss = await withValidationData(tx, seal.rt, sealed, seal.credential.certificates, ctx.now);
  const report = await verifyPdf(tx, withDss, ctx.now);
  if (!report.valid) throw new AppError(422, 'sealed-not-valid', 'Kết quả đóng dấu không hợp lệ', `Sau khi đóng dấu, kiểm tra chữ ký không đạt: ${report.verdict}`);
  const buf = Buffer.from(withDss.buffer, withDss.byteOffset, withDss.byteLength);
  const file = { id: newId(), sha256: await store.put(buf), size: buf.length, contentType: PDF, name: `${f.name.replace(/\.pdf$/i, '')}-dong-dau.pdf`.slice(-200), unitId: seal.agency.id, createdBy: p.userId, createdAt: ctx.now };
  await tx.insert(files).values(file);
  await recordSignature(tx, ctx, { unitId: seal.agency.id, documentId: null, file, action: 'sealed', method: seal.credential.method, credentialId: seal.credential.id, placement: { attachmentCorner: true }, report });
  return [
    { kind: 'result_source', documentIndex: null, documentName: 'Kết quả giải quyết (bản chưa đóng dấu)', fileIds: [source.fileId], field: group.field },
    { kind: 'result', documentIndex: null, documentName: group.documentName, fileIds: [file.id], field: group.field },
  ];
}

export type ResultSeal = { agencyId: string; agencyName: string; at: string; valid: boolean; verdict: string; level: string | null; actorName: string | null };

/** The seal on a stored result file (its 'sealed' signature record with the verdict at sealing), or null. */
export async function resultSealOf(db: Db, fileId: string | null): Promise<ResultSeal | null> {
  if (!fileId) return null;
  const rec = (await recordsForFiles(db, [fileId])).filter((r) => r.action === 'sealed').pop();
  if (!rec) return null;
  const [u] = await queryRows<{ name: string }>(db, sql`SELECT name FROM units WHERE id = ${rec.unitId}`);
  return { agencyId: rec.unitId, agencyName: u?.name ?? '', at: rec.at, valid: rec.valid, verdict: rec.verdict, level: rec.level, actorName: rec.actorName };
}

/** May the applicant download the result? Done or returned, returned online, and sealed when the deployment requires it. */
export function citizenMayDownload(d: Pick<DossierRow, 'status' | 'returnMethod'>, sealed: boolean, required: boolean): boolean {
  return (d.status === STATUS.done || d.status === STATUS.returned) && d.returnMethod === 'online' && (sealed || !required);
}

/** The "Đóng dấu điện tử kết quả" dialog: the deciding agency, its usable seal credentials, whether online return needs the seal. */
export async function sealOptions(db: Db, d: DossierRow, now: Date): Promise<{ agency: { id: string; name: string }; credentials: Credential[]; required: boolean }> {
  const agency = await decidingAgency(db, d);
  const credentials = (await activeCredentials(db, { owner: 'unit', unitId: agency.id }, now)).filter((c) => c.usable);
  return { agency: { id: agency.id, name: agency.name }, credentials, required: d.returnMethod === 'online' && (await onlineSealRequired(db)) };
}
