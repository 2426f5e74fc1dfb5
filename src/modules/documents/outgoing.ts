import { and, eq, sql } from 'drizzle-orm';
import type { Principal } from '../../core/access/index.js';
import type { ActorContext } from '../../core/audit/index.js';
import { type Db, inTransaction, queryRows } from '../../core/db/index.js';
import { AppError, conflict, type FieldError, forbidden, validationFailed } from '../../core/errors/index.js';
import type { FileStore } from '../../core/files/index.js';
import { isUuid, newId } from '../../core/ids/index.js';
import { docxToPdf, libreOfficeAvailable } from '../../core/pdf/index.js';
import { type FileRow, readableFile, storeFile } from '../files/index.js';
import { issuingAgency } from '../signing/index.js';
import type { DocumentDetail } from './api.js';
import { recordStep } from './events.js';
import { localDate } from './numbering.js';
import { documentFiles, documentRecipients, documents, type SECRECIES, type URGENCIES } from './schema.js';
import { buildSearchText } from './text.js';
import { type DocumentRow, holdsFor, lockDocument, readableDocument } from './visibility.js';

// Outgoing documents (văn bản đi): drafting and the rules shared by review, issue, delivery and recall.

export { returnForRevision } from './review.js';

export type Urgency = (typeof URGENCIES)[number];
export type Secrecy = (typeof SECRECIES)[number];

export const PDF_TYPE = 'application/pdf';
const WORD_TYPES = ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/msword'];

export type RecipientInput =
  | { kind: 'unit'; unitId: string }
  | { kind: 'external'; agencyCode: string; name: string }
  | { kind: 'email'; email: string; name: string };

export type DraftFields = {
  typeCode: string;
  subject: string;
  contentSummary?: string | null;
  recipients?: RecipientInput[];
  urgency?: Urgency;
  secrecy?: Secrecy;
  signerUserId?: string | null;
  legalNormative?: boolean;
  replacesDocumentId?: string | null;
  dueDate?: string | null;
};
export type DraftInput = DraftFields & { unitId?: string | null; fileId?: string | null; fileNote?: string | null };
export type DraftPatch = Partial<DraftFields>;

export type UnitInfo = { id: string; parent_id: string | null; path: string; kind: string; name: string; short_name: string; agency_code: string | null; active: boolean };

export async function unitInfo(db: Db, id: string): Promise<UnitInfo | undefined> {
  if (!isUuid(id)) return undefined;
  const [u] = await queryRows<UnitInfo>(db, sql`SELECT id, parent_id, path, kind, name, short_name, agency_code, active FROM units WHERE id = ${id}`);
  return u;
}

/** An outgoing document the caller may read (404 otherwise); 409 for an incoming one. */
export async function readableOutgoing(db: Db, p: Principal, id: string): Promise<DocumentRow> {
  const d = await readableDocument(db, p, id);
  if (d.direction !== 'outgoing') throw conflict('Thao tác này chỉ áp dụng cho văn bản đi.', 'not-outgoing');
  return d;
}

/** A recalled document is frozen: nothing about it changes any more. */
export function assertNotRecalled(d: DocumentRow): void {
  if (d.status === 'recalled') throw conflict('Văn bản đã bị thu hồi nên không thể thay đổi.', 'recalled');
}

export const STATUS_LABELS: Record<string, string> = { draft: 'dự thảo', in_review: 'đang trình duyệt', approved: 'đã duyệt', issued: 'đã ban hành', recalled: 'đã thu hồi' };
export function assertStatus(d: DocumentRow, allowed: string[], what: string): void {
  assertNotRecalled(d);
  if (!allowed.includes(d.status)) throw conflict(`Không thể ${what}: văn bản đang ở trạng thái "${STATUS_LABELS[d.status] ?? d.status}".`, 'wrong-status');
}

/** The clerk of the issuing unit (văn thư): numbers, registers, sends and recalls. */
export const isClerkOf = (db: Db, p: Principal, unitId: string) => holdsFor(db, p, 'document.issue', unitId);

type FileRef = { role: string; version: number; fileId: string };
/**
 * The file that goes out when issuing: the latest scan signed on paper, else the PDF of the latest
 * (approved) draft version. Null when the latest draft exists only as DOCX and nothing was signed.
 */
export function finalFile(files: FileRef[]): string | null {
  const signed = files.filter((f) => f.role === 'signed').sort((a, b) => b.version - a.version)[0];
  if (signed) return signed.fileId;
  const latest = Math.max(0, ...files.filter((f) => f.role === 'draft' || f.role === 'draft_source').map((f) => f.version));
  return files.find((f) => f.role === 'draft' && f.version === latest)?.fileId ?? null;
}

export async function fileRefs(db: Db, documentId: string): Promise<FileRef[]> {
  return queryRows<FileRef>(db, sql`SELECT role, version, file_id AS "fileId" FROM document_files WHERE document_id = ${documentId}`);
}

// ---------------------------------------------------------------- validation of draft fields

type Resolved = {
  type?: { code: string; legalNormative: boolean };
  signer?: { id: string; name: string; position: string | null } | null;
  recipients?: { kind: 'unit' | 'external' | 'email'; unitId: string | null; agencyCode: string | null; name: string; email: string | null }[];
};

const SIGNER_RULE = 'Người ký phải là lãnh đạo (cấp trưởng hoặc cấp phó) đang hoạt động của đơn vị soạn thảo hoặc cơ quan cấp trên.';

/** Checks the fields against the directory and reference data; collects every failing field at once. */
async function resolveFields(db: Db, unit: UnitInfo, agency: UnitInfo, f: DraftPatch, merged: { secrecy: Secrecy; legalNormative: boolean; typeCode: string }, now: Date): Promise<Resolved> {
  const errors: FieldError[] = [];
  const out: Resolved = {};
  const today = localDate(now);
  const [type] = await queryRows<{ code: string; legal_normative: boolean }>(
    db,
    sql`SELECT code, legal_normative FROM document_types WHERE code = ${merged.typeCode} AND valid_from <= ${today}::date AND (valid_to IS NULL OR valid_to >= ${today}::date)`,
  );
  if (!type) errors.push({ field: 'typeCode', message: 'Loại văn bản không có trong danh mục đang áp dụng' });
  else {
    out.type = { code: type.code, legalNormative: type.legal_normative };
    if (merged.legalNormative && !type.legal_normative) errors.push({ field: 'legalNormative', message: 'Loại văn bản này không thể là văn bản quy phạm pháp luật' });
  }
  if (f.signerUserId !== undefined) {
    if (f.signerUserId === null) out.signer = null;
    else {
      const [s] = isUuid(f.signerUserId)
        ? await queryRows<{ id: string; full_name: string; position_title: string | null }>(
            db,
            sql`SELECT u.id, u.full_name, o.position_title FROM users u JOIN officials o ON o.user_id = u.id
                 WHERE u.id = ${f.signerUserId} AND u.active AND EXISTS (
                   SELECT 1 FROM role_assignments ra JOIN units un ON un.id = ra.unit_id
                    WHERE ra.user_id = u.id AND ra.role IN ('leader', 'deputy_leader') AND un.active AND ${unit.path} LIKE un.path || '%')`,
          )
        : [];
      if (!s) errors.push({ field: 'signerUserId', message: SIGNER_RULE });
      else out.signer = { id: s.id, name: s.full_name, position: s.position_title };
    }
  }
  if (f.recipients !== undefined) {
    const unitIds = f.recipients.flatMap((r) => (r.kind === 'unit' && isUuid(r.unitId) ? [r.unitId] : []));
    const codes = f.recipients.flatMap((r) => (r.kind === 'external' ? [r.agencyCode.toUpperCase()] : []));
    const known = await queryRows<{ id: string; name: string; agency_code: string | null; active: boolean }>(
      db,
      sql`SELECT id, name, agency_code, active FROM units WHERE id = ANY(${`{${unitIds.join(',')}}`}::uuid[]) OR agency_code = ANY(${`{${codes.map((c) => `"${c}"`).join(',')}}`}::text[])`,
    );
    const list: NonNullable<Resolved['recipients']> = [];
    const seen = new Set<string>();
    f.recipients.forEach((r, i) => {
      let row: (typeof list)[number];
      if (r.kind === 'email') {
        if (merged.secrecy !== 'none') {
          errors.push({ field: `recipients.${i}.email`, message: 'Văn bản mật không được gửi qua thư điện tử' });
          return;
        }
        row = { kind: 'email', unitId: null, agencyCode: null, name: r.name.normalize('NFC').trim(), email: r.email.trim().toLowerCase() };
      } else {
        // An agency code of a unit of this deployment is that unit: it is delivered to its clerk.
        const u = r.kind === 'unit' ? known.find((k) => k.id === r.unitId) : known.find((k) => k.agency_code === r.agencyCode.toUpperCase());
        if (r.kind === 'unit' && (!u || !u.active)) {
          errors.push({ field: `recipients.${i}.unitId`, message: 'Đơn vị nhận không tồn tại hoặc đã ngừng hoạt động' });
          return;
        }
        if (u && !u.active) {
          errors.push({ field: `recipients.${i}.agencyCode`, message: 'Đơn vị nhận đã ngừng hoạt động' });
          return;
        }
        if (u && (u.id === unit.id || u.id === agency.id)) {
          errors.push({ field: `recipients.${i}`, message: 'Không gửi văn bản cho chính cơ quan, đơn vị ban hành' });
          return;
        }
        row = u
          ? { kind: 'unit', unitId: u.id, agencyCode: u.agency_code, name: u.name, email: null }
          : { kind: 'external', unitId: null, agencyCode: (r as { agencyCode: string }).agencyCode.toUpperCase(), name: (r as { name: string }).name.normalize('NFC').trim(), email: null };
      }
      const key = row.unitId ?? row.agencyCode ?? row.email ?? '';
      if (seen.has(key)) return; // the same recipient twice is sent once
      seen.add(key);
      list.push(row);
    });
    out.recipients = list;
  }
  if (errors.length) throw validationFailed(errors);
  return out;
}

async function checkReplaces(db: Db, unitId: string, replacesId: string, selfId: string | null): Promise<void> {
  const bad = () => validationFailed([{ field: 'replacesDocumentId', message: 'Văn bản bị thay thế phải là văn bản đi đã ban hành (hoặc đã thu hồi) của cùng đơn vị' }]);
  if (!isUuid(replacesId) || replacesId === selfId) throw bad();
  const [old] = await queryRows<{ unit_id: string; direction: string; status: string }>(db, sql`SELECT unit_id, direction, status FROM documents WHERE id = ${replacesId}`);
  if (!old || old.unit_id !== unitId || old.direction !== 'outgoing' || !['issued', 'recalled'].includes(old.status)) throw bad();
  const [other] = await queryRows<{ id: string }>(
    db,
    sql`SELECT id FROM documents WHERE replaces_document_id = ${replacesId} AND status <> 'recalled' AND id IS DISTINCT FROM ${selfId}::uuid LIMIT 1`,
  );
  if (other) throw conflict('Đã có một văn bản khác thay thế văn bản này.', 'already-replaced');
}

// ---------------------------------------------------------------- draft files

export type PreparedDraftFile = { sourceFileId: string | null; pdfFileId: string | null; warnings: string[] };

export const NO_LIBREOFFICE_WARNING =
  'Máy chủ chưa cài LibreOffice nên chưa chuyển được tệp DOCX sang PDF; tệp DOCX đã được lưu làm bản nguồn. Cần tải lên bản PDF (bản dự thảo PDF hoặc bản đã ký quét PDF) trước khi ban hành.';

/**
 * Checks an uploaded draft (PDF, or Word kept as the source and converted to PDF with LibreOffice when
 * the server has it). Runs before the transaction: a conversion takes seconds.
 */
export async function prepareDraftFile(db: Db, p: Principal, fileId: string, ctx: ActorContext, store: FileStore, field = 'fileId'): Promise<PreparedDraftFile> {
  let f: FileRow;
  try {
    f = await readableFile(db, p, fileId);
  } catch {
    throw validationFailed([{ field, message: 'Tệp không tồn tại hoặc bạn không có quyền dùng tệp này' }]);
  }
  if (f.contentType === PDF_TYPE) return { sourceFileId: null, pdfFileId: f.id, warnings: [] };
  if (!WORD_TYPES.includes(f.contentType)) throw validationFailed([{ field, message: 'Tệp dự thảo phải là PDF hoặc Word (DOCX)' }]);
  if (!libreOfficeAvailable()) return { sourceFileId: f.id, pdfFileId: null, warnings: [NO_LIBREOFFICE_WARNING] };
  try {
    const pdf = await docxToPdf(await store.read(f.sha256));
    const stored = await storeFile(db, store, p, { content: pdf, name: `${f.name.replace(/\.(docx?|odt)$/i, '')}.pdf`, contentType: PDF_TYPE }, ctx);
    return { sourceFileId: f.id, pdfFileId: stored.id, warnings: [] };
  } catch (err) {
    const why = err instanceof AppError ? (err.detail ?? err.title) : (err as Error).message;
    return { sourceFileId: f.id, pdfFileId: null, warnings: [`Không chuyển được tệp DOCX sang PDF (${why}); tệp DOCX đã được lưu. Cần tải lên bản PDF trước khi ban hành.`] };
  }
}

/** Adds a prepared draft as the next version (the DOCX source and its PDF share the version number). */
export async function insertDraftVersion(tx: Db, documentId: string, prepared: PreparedDraftFile, note: string | null, ctx: ActorContext): Promise<number> {
  const [row] = await queryRows<{ v: number }>(tx, sql`SELECT coalesce(max(version), 0)::int AS v FROM document_files WHERE document_id = ${documentId} AND role IN ('draft', 'draft_source')`);
  const version = Number(row.v) + 1;
  const rows = [
    ...(prepared.sourceFileId ? [{ fileId: prepared.sourceFileId, role: 'draft_source' as const }] : []),
    ...(prepared.pdfFileId ? [{ fileId: prepared.pdfFileId, role: 'draft' as const }] : []),
  ];
  for (const r of rows) await tx.insert(documentFiles).values({ id: newId(), documentId, fileId: r.fileId, role: r.role, version, note, createdBy: ctx.actorId, createdAt: ctx.now });
  return version;
}

// ---------------------------------------------------------------- services

/** The unit a person drafts for: the one asked (where they may draft), else their primary unit. */
async function draftingUnit(db: Db, p: Principal, unitId: string | null | undefined): Promise<UnitInfo> {
  const candidates = unitId ? [unitId] : [p.unitId, ...p.roles.map((r) => r.unitId)].filter((x): x is string => !!x);
  for (const id of candidates) {
    if (await holdsFor(db, p, 'document.draft', id)) {
      const u = await unitInfo(db, id);
      if (u?.active) return u;
    }
  }
  if (unitId) throw validationFailed([{ field: 'unitId', message: 'Bạn không soạn thảo văn bản cho đơn vị này' }]);
  throw forbidden('Bạn không có quyền soạn thảo văn bản đi.');
}

const clean = (s: string | null | undefined) => (s == null ? null : s.normalize('NFC').trim() || null);

/** Creates a draft (dự thảo) with its recipients and first file version. */
export async function createDraft(db: Db, p: Principal, input: DraftInput, ctx: ActorContext, store: FileStore): Promise<{ id: string; warnings: string[] }> {
  const unit = await draftingUnit(db, p, input.unitId);
  const agency = await issuingAgency(db, unit);
  const secrecy = input.secrecy ?? 'none';
  const legalNormative = input.legalNormative ?? false;
  const r = await resolveFields(db, unit, agency, { ...input, recipients: input.recipients ?? [] }, { secrecy, legalNormative, typeCode: input.typeCode }, ctx.now);
  if (input.replacesDocumentId) await checkReplaces(db, unit.id, input.replacesDocumentId, null);
  if (input.fileId && secrecy !== 'none') throw secretFileRefused();
  const prepared = input.fileId ? await prepareDraftFile(db, p, input.fileId, ctx, store) : null;
  const id = newId();
  const subject = clean(input.subject)!;
  await inTransaction(db, async (tx) => {
    await tx.insert(documents).values({
      id,
      unitId: unit.id,
      direction: 'outgoing',
      status: 'draft',
      typeCode: input.typeCode,
      subject,
      contentSummary: clean(input.contentSummary),
      issuerUnitId: agency.id,
      issuerName: agency.name,
      issuerCode: agency.agency_code,
      signerUserId: r.signer?.id ?? null,
      signerName: r.signer?.name ?? null,
      signerPosition: r.signer?.position ?? null,
      urgency: input.urgency ?? 'normal',
      secrecy,
      dueDate: input.dueDate ?? null,
      legalNormative,
      draftingUnitId: unit.id,
      replacesDocumentId: input.replacesDocumentId ?? null,
      createdBy: p.userId,
      createdAt: ctx.now,
      updatedAt: ctx.now,
      searchText: buildSearchText({ unitId: unit.id, subject, issuerName: agency.name, signerName: r.signer?.name }),
    });
    await insertRecipients(tx, id, r.recipients ?? [], ctx.now);
    const version = prepared ? await insertDraftVersion(tx, id, prepared, clean(input.fileNote), ctx) : null;
    await recordStep(tx, ctx, { id, unitId: unit.id }, { action: 'drafted', text: subject, detail: { version, recipients: (r.recipients ?? []).length, replacesDocumentId: input.replacesDocumentId ?? null } });
  });
  return { id, warnings: prepared?.warnings ?? [] };
}

const secretFileRefused = () =>
  new AppError(422, 'secret-no-file', 'Văn bản mật không lưu tệp', 'Theo quy định bảo vệ bí mật nhà nước, hệ thống chỉ lưu thông tin của văn bản mật, không lưu tệp nội dung.');

async function insertRecipients(tx: Db, documentId: string, list: NonNullable<Resolved['recipients']>, now: Date): Promise<void> {
  await tx.delete(documentRecipients).where(eq(documentRecipients.documentId, documentId));
  if (list.length === 0) return;
  await tx.insert(documentRecipients).values(list.map((r) => ({ id: newId(), documentId, kind: r.kind, unitId: r.unitId, agencyCode: r.agencyCode, name: r.name, email: r.email, status: 'pending' as const, updatedAt: now })));
}

/** Only the drafter edits a draft, and only while it is a draft (also after a return). */
async function ownDraft(db: Db, p: Principal, id: string, what: string): Promise<DocumentRow> {
  const d = await readableOutgoing(db, p, id);
  assertStatus(d, ['draft'], what);
  if (d.createdBy !== p.userId) throw forbidden('Chỉ người soạn thảo được sửa dự thảo.');
  return d;
}

/** Changes draft fields; recipients, when given, replace the list. */
export async function updateDraft(db: Db, p: Principal, id: string, patch: DraftPatch, ctx: ActorContext): Promise<void> {
  const d = await ownDraft(db, p, id, 'sửa dự thảo');
  const unit = (await unitInfo(db, d.unitId))!;
  const agency = await issuingAgency(db, unit);
  const secrecy = patch.secrecy ?? d.secrecy;
  const merged = { secrecy, legalNormative: patch.legalNormative ?? d.legalNormative, typeCode: patch.typeCode ?? d.typeCode };
  // Recipients are checked again when secrecy changes (no e-mail for secret documents).
  const recipientsToCheck = patch.recipients ?? (patch.secrecy !== undefined ? await currentRecipients(db, d.id) : undefined);
  const r = await resolveFields(db, unit, agency, { ...patch, recipients: recipientsToCheck }, merged, ctx.now);
  if (patch.replacesDocumentId) await checkReplaces(db, d.unitId, patch.replacesDocumentId, d.id);
  if (secrecy !== 'none' && (await fileRefs(db, d.id)).length > 0) throw secretFileRefused();
  await inTransaction(db, async (tx) => {
    const cur = await lockDocument(tx, id);
    assertStatus(cur, ['draft'], 'sửa dự thảo');
    const subject = patch.subject !== undefined ? clean(patch.subject)! : cur.subject;
    const signer = r.signer === undefined ? { id: cur.signerUserId, name: cur.signerName, position: cur.signerPosition } : r.signer;
    const set = {
      typeCode: merged.typeCode,
      subject,
      ...(patch.contentSummary !== undefined ? { contentSummary: clean(patch.contentSummary) } : {}),
      ...(patch.urgency ? { urgency: patch.urgency } : {}),
      secrecy,
      legalNormative: merged.legalNormative,
      ...(patch.dueDate !== undefined ? { dueDate: patch.dueDate } : {}),
      ...(patch.replacesDocumentId !== undefined ? { replacesDocumentId: patch.replacesDocumentId } : {}),
      signerUserId: signer?.id ?? null,
      signerName: signer?.name ?? null,
      signerPosition: signer?.position ?? null,
      updatedAt: ctx.now,
      searchText: buildSearchText({ unitId: cur.unitId, subject, issuerName: cur.issuerName, signerName: signer?.name }),
    };
    await tx.update(documents).set(set).where(eq(documents.id, id));
    if (r.recipients) await insertRecipients(tx, id, r.recipients, ctx.now);
    await recordStep(tx, ctx, cur, { action: 'updated', detail: { fields: Object.keys(patch) } });
  });
}

async function currentRecipients(db: Db, id: string): Promise<RecipientInput[]> {
  const rows = await db.select().from(documentRecipients).where(eq(documentRecipients.documentId, id));
  return rows.map((r) => (r.kind === 'unit' ? { kind: 'unit', unitId: r.unitId! } : r.kind === 'email' ? { kind: 'email', email: r.email!, name: r.name } : { kind: 'external', agencyCode: r.agencyCode!, name: r.name }));
}

/** A new version of the draft file (earlier versions stay listed). */
export async function addDraftFile(db: Db, p: Principal, id: string, input: { fileId: string; note?: string | null }, ctx: ActorContext, store: FileStore): Promise<{ version: number; warnings: string[] }> {
  const d = await ownDraft(db, p, id, 'thêm bản dự thảo');
  if (d.secrecy !== 'none') throw secretFileRefused();
  const prepared = await prepareDraftFile(db, p, input.fileId, ctx, store);
  const version = await inTransaction(db, async (tx) => {
    const cur = await lockDocument(tx, id);
    assertStatus(cur, ['draft'], 'thêm bản dự thảo');
    const v = await insertDraftVersion(tx, id, prepared, clean(input.note), ctx);
    await tx.update(documents).set({ updatedAt: ctx.now }).where(eq(documents.id, id));
    await recordStep(tx, ctx, cur, { action: 'draft_version', text: clean(input.note), detail: { version: v, converted: !!(prepared.sourceFileId && prepared.pdfFileId) } });
    return v;
  });
  return { version, warnings: prepared.warnings };
}

// ---------------------------------------------------------------- buttons

/** Actions the caller may take now on an outgoing document (buttons in the web app). */
export async function outgoingActions(db: Db, p: Principal, doc: DocumentRow, detail: DocumentDetail): Promise<string[]> {
  if (doc.direction !== 'outgoing') return [];
  const out: string[] = [];
  const signer = doc.signerUserId === p.userId;
  switch (doc.status) {
    case 'draft':
      if (doc.createdBy === p.userId) out.push('edit', 'upload_draft', 'submit');
      break;
    case 'in_review': {
      const mine = detail.reviews.find((r) => r.status === 'pending' && r.reviewerUserId === p.userId);
      if (mine) out.push(mine.kind === 'initial' ? 'initial' : 'approve', 'return');
      break;
    }
    case 'approved': {
      const clerk = await isClerkOf(db, p, doc.unitId);
      if (doc.secrecy === 'none' && (clerk || signer)) out.push('upload_signed');
      if (clerk && (doc.secrecy !== 'none' || finalFile(detail.files) !== null)) out.push('issue');
      break;
    }
    case 'issued':
      if (signer || (await isClerkOf(db, p, doc.unitId))) out.push('recall');
      break;
  }
  if ((doc.status === 'issued' || doc.status === 'recalled') && !detail.replacedByDocumentId && (await holdsFor(db, p, 'document.draft', doc.unitId))) out.push('replace');
  return out;
}

/** The document this one replaces (issue records the 'replaced' step on it). */
export async function replacedDocument(tx: Db, d: DocumentRow): Promise<DocumentRow | undefined> {
  if (!d.replacesDocumentId) return undefined;
  const [old] = await tx.select().from(documents).where(and(eq(documents.id, d.replacesDocumentId), eq(documents.direction, 'outgoing'))).limit(1);
  return old;
}
