import { sql } from 'drizzle-orm';
import type { Principal } from '../../core/access/index.js';
import { type Db, queryRows } from '../../core/db/index.js';
import { AppError, type FieldError } from '../../core/errors/index.js';
import { type FileStore, files } from '../../core/files/index.js';
import { isUuid, newId } from '../../core/ids/index.js';
import { scansToPdf } from '../../core/pdf/index.js';
import type { FileRow } from '../files/index.js';
import { canRead } from './policy.js';
import { citizenMayDownload, onlineSealRequired, resultSealOf } from './result-seal.js';
import { dossierFiles } from './schema.js';

/**
 * Files of a dossier. Each checklist item (and the result) becomes one PDF: a scanned PDF is kept as
 * it is; phone photos are turned into PDF pages on the server and merged with the PDFs in the order
 * given (citizens' complaint: "uploads only accept PDF").
 */

export type FileGroup = { kind: 'document' | 'supplement' | 'result' | 'result_source'; documentIndex: number | null; documentName: string | null; fileIds: string[]; field: string };
export type AttachedFile = { fileId: string; kind: FileGroup['kind']; documentIndex: number | null; documentName: string | null };

type Ref = { id: string; sha256: string; content_type: string; name: string; created_by: string | null; on_dossier: boolean };
const ACCEPTED = new Set(['application/pdf', 'image/jpeg', 'image/png']);

/** The uploads behind the ids: each uploaded by the caller, or already a file of this dossier. */
async function loadRefs(tx: Db, p: Principal, dossierId: string | null, ids: string[], field: string): Promise<Ref[]> {
  const errors: FieldError[] = [];
  ids.forEach((id, i) => {
    if (!isUuid(id)) errors.push({ field: `${field}.${i}`, message: 'Không tìm thấy tệp.' });
  });
  if (errors.length) throw missing(errors);
  if (ids.length === 0) return [];
  const rows = await queryRows<Ref>(
    tx,
    sql`SELECT f.id, f.sha256, f.content_type, f.name, f.created_by,
               ${dossierId ? sql`EXISTS (SELECT 1 FROM dossier_files x WHERE x.file_id = f.id AND x.dossier_id = ${dossierId})` : sql`false`} AS on_dossier
          FROM files f WHERE f.id = ANY(${`{${ids.join(',')}}`}::uuid[])`,
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  const refs: Ref[] = [];
  ids.forEach((id, i) => {
    const r = byId.get(id);
    if (!r || (r.created_by !== p.userId && !r.on_dossier)) errors.push({ field: `${field}.${i}`, message: 'Không tìm thấy tệp.' });
    else if (!ACCEPTED.has(r.content_type)) errors.push({ field: `${field}.${i}`, message: `Tệp "${r.name}" không phải PDF hoặc ảnh JPEG/PNG.` });
    else refs.push(r);
  });
  if (errors.some((e) => e.message.startsWith('Tệp "'))) {
    throw new AppError(415, 'unsupported-file-type', 'Loại tệp không được hỗ trợ', 'Hồ sơ chỉ nhận tệp PDF hoặc ảnh chụp JPEG/PNG (ảnh được chuyển thành PDF).', errors);
  }
  if (errors.length) throw missing(errors);
  return refs;
}

const missing = (errors: FieldError[]) =>
  new AppError(404, 'not-found', 'Không tìm thấy', 'Tệp không tồn tại hoặc không phải do bạn tải lên (tải tệp lên qua POST /api/files trước).', errors);

const stem = (name: string) => name.replace(/\.[A-Za-z0-9]{1,5}$/, '') || 'ho-so';

/**
 * Checks every group's uploads and returns the file to link for each: a single PDF as it is, anything
 * else combined into a new PDF (written to the store, its row inserted in the caller's transaction).
 */
export async function prepareGroups(tx: Db, store: FileStore, p: Principal, dossierId: string | null, unitId: string, groups: FileGroup[], now: Date): Promise<AttachedFile[]> {
  const out: AttachedFile[] = [];
  for (const g of groups) {
    const ids = [...new Set(g.fileIds)];
    if (ids.length === 0) continue;
    const refs = await loadRefs(tx, p, dossierId, ids, g.field);
    let fileId = refs[0].id;
    if (refs.length > 1 || refs[0].content_type !== 'application/pdf') {
      const pdf = await scansToPdf(refs.map((r) => ({ contentType: r.content_type, read: () => store.read(r.sha256) })));
      const sha256 = await store.put(pdf);
      fileId = newId();
      const name = `${stem(g.documentName ?? refs[0].name).slice(0, 150)}.pdf`;
      await tx.insert(files).values({ id: fileId, sha256, size: pdf.length, contentType: 'application/pdf', name, unitId, createdBy: p.userId, createdAt: now });
    }
    out.push({ fileId, kind: g.kind, documentIndex: g.documentIndex, documentName: g.documentName });
  }
  return out;
}

export async function linkFiles(tx: Db, dossier: { id: string; unitId: string }, attached: AttachedFile[], by: string | null, at: Date, actionId: string | null): Promise<void> {
  if (attached.length === 0) return;
  await tx.insert(dossierFiles).values(
    attached.map((a) => ({ id: newId(), dossierId: dossier.id, unitId: dossier.unitId, fileId: a.fileId, kind: a.kind, documentIndex: a.documentIndex, documentName: a.documentName, actionId, addedBy: by, addedAt: at })),
  );
}

/**
 * Files module rule: whoever may read a dossier may read its files (checklist scans, supplements, result) — except
 * that the applicant gets the result only once it is theirs to download (done or returned, returned online, sealed
 * when the deployment requires it) and never the unsigned upload behind a sealed result.
 */
export async function dossierFileAccess(db: Db, p: Principal, file: FileRow): Promise<boolean> {
  const rows = await queryRows<{ id: string; applicant_user_id: string | null; created_by: string | null; holder_user_id: string | null; status: number; kind: string; result_file_id: string | null; return_method: 'counter' | 'post' | 'online' | null }>(
    db,
    sql`SELECT d.id, d.applicant_user_id, d.created_by, d.holder_user_id, d.status, x.kind, d.result_file_id, d.return_method
          FROM dossier_files x JOIN dossiers d ON d.id = x.dossier_id WHERE x.file_id = ${file.id} LIMIT 20`,
  );
  for (const r of rows) {
    if (!(await canRead(db, p, { id: r.id, applicantUserId: r.applicant_user_id, createdBy: r.created_by, holderUserId: r.holder_user_id, status: r.status }))) continue;
    if (p.kind !== 'citizen' || r.kind === 'document' || r.kind === 'supplement') return true;
    if (r.kind === 'result' && r.result_file_id === file.id) {
      const sealed = !!(await resultSealOf(db, file.id));
      if (citizenMayDownload({ status: r.status, returnMethod: r.return_method }, sealed, await onlineSealRequired(db))) return true;
    }
  }
  return false;
}
