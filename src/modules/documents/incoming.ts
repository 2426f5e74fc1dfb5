import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Principal, can } from '../../core/access/index.js';
import type { ActorContext } from '../../core/audit/index.js';
import { type Db, inTransaction, queryRows } from '../../core/db/index.js';
import { AppError, type FieldError, forbidden, notFound, validationFailed } from '../../core/errors/index.js';
import type { FileStore } from '../../core/files/index.js';
import { isUuid, newId } from '../../core/ids/index.js';
import { isoDate } from './api.js';
import { numberSymbolOf } from './detail.js';
import { recordStep } from './events.js';
import { prepareFiles } from './incoming-files.js';
import { checkIncoming, isCalendarDate } from './incoming-rules.js';
import { ensureBook, localYear, nextNumber, seriesFor } from './numbering.js';
import { SECRECIES, URGENCIES, documentFiles, documents, registerBooks } from './schema.js';
import { buildSearchText, foldText } from './text.js';
import { type DocumentRow, readCondition, unitIdsFor } from './visibility.js';

// Incoming documents (văn bản đến): registration with the arrival number (số đến), duplicate warning,
// presenting to a leader. Assignment and handling live in assignments.ts.

export { assignmentActions } from './assignments-actions.js';

export type Urgency = (typeof URGENCIES)[number];
export type Secrecy = (typeof SECRECIES)[number];

export type IncomingInput = {
  issuer: string;
  issuerUnitId?: string | null;
  issuerCode?: string | null;
  codeNumber: number | null;
  codeNotation: string | null;
  issuedDate: string;
  typeCode: string;
  subject: string;
  signerName?: string | null;
  signerPosition?: string | null;
  pageCount?: number | null;
  urgency: Urgency;
  secrecy: Secrecy;
  dueDate?: string | null;
  fileIds: string[];
  attachmentIds?: string[];
  receivedVia?: 'paper' | 'email' | 'system' | 'other';
  bookId?: string | null;
  note?: string | null;
};

const text = (max: number) => z.string().trim().max(max).transform((s) => s.normalize('NFC'));
const optText = (max: number) => text(max).nullish();
const idList = z.array(z.string().max(100)).max(50);
/** A real calendar day yyyy-MM-dd (2026-02-30 is refused before it reaches a query). */
export const calendarDate = isoDate.refine(isCalendarDate, 'Ngày không có thật');

/** The fields of an incoming document (Decree 30 Appendix VI names), as the API takes them. */
export const incomingFieldsSchema = z.object({
  issuer: text(300).default('').describe('Tác giả (cơ quan ban hành), tự nhập khi không chọn từ danh bạ'),
  issuerUnitId: z.string().max(100).nullish().describe('Cơ quan ban hành trong danh bạ: tên và mã định danh lấy từ đơn vị'),
  issuerCode: optText(35),
  codeNumber: z.number().int().min(1).max(99_999_999).nullish().describe('Số của văn bản'),
  codeNotation: optText(30).describe('Ký hiệu, ví dụ QĐ-UBND'),
  issuedDate: calendarDate.describe('Ngày tháng văn bản'),
  typeCode: z.string().max(20),
  subject: text(500).pipe(z.string().min(1, 'Trích yếu không được để trống')),
  signerName: optText(100),
  signerPosition: optText(200),
  pageCount: z.number().int().min(1).max(100_000).nullish(),
  urgency: z.enum(URGENCIES).default('normal'),
  secrecy: z.enum(SECRECIES).default('none'),
  dueDate: calendarDate.nullish().describe('Hạn trả lời / hạn xử lý'),
  fileIds: idList.default([]).describe('Tệp chính (PDF, hoặc ảnh JPEG/PNG ghép thành một PDF)'),
  attachmentIds: idList.default([]).describe('Tệp đính kèm, giữ nguyên'),
  receivedVia: z.enum(['paper', 'email', 'system', 'other']).default('paper'),
  bookId: z.string().max(100).nullish(),
  note: optText(2000),
});

export const incomingBodySchema = incomingFieldsSchema.extend({
  unitId: z.string().max(100).optional().describe('Đơn vị đăng ký (mặc định: đơn vị văn thư của người dùng)'),
  allowDuplicate: z.boolean().optional().describe('Vẫn đăng ký dù trùng văn bản đã có'),
});
export type IncomingBody = z.infer<typeof incomingBodySchema>;

export type UnitRef = { id: string; path: string; name: string; agency_code: string | null; active: boolean };

export async function unitRef(db: Db, id: string | null | undefined): Promise<UnitRef | undefined> {
  if (!id || !isUuid(id)) return undefined;
  const [u] = await queryRows<UnitRef>(db, sql`SELECT id, path, name, agency_code, active FROM units WHERE id = ${id}`);
  return u;
}

/** The unit the clerk registers for: the one named, or the unit where they hold the clerk role. */
export async function registeringUnit(db: Db, p: Principal, unitId?: string): Promise<UnitRef> {
  const id = unitId ?? (p.roles.some((r) => r.role === 'clerk' && r.unitId === p.unitId) ? p.unitId : p.roles.find((r) => r.role === 'clerk')?.unitId);
  const u = await unitRef(db, id);
  if (!u || !u.active || !can(p, 'document.register', u.path)) {
    if (!unitId) throw forbidden('Chỉ văn thư của đơn vị được đăng ký văn bản đến.');
    throw notFound('Đơn vị');
  }
  return u;
}

export type Duplicate = { id: string; arrivalNumber: number | null; numberSymbol: string | null; issuedDate: string | null };
export type DuplicateQuery = { unitId: string; issuer: string; codeNumber: number | null; codeNotation: string | null; issuedDate: string; unitPath?: string };

/** Incoming documents of the unit with the same issuer (folded), number, symbol and date that the caller may see. */
export async function findDuplicates(db: Db, p: Principal, q: DuplicateQuery): Promise<Duplicate[]> {
  const rows = await queryRows<{ id: string; arrival_number: number | null; code_number: number | null; code_notation: string | null; issued_date: string; issuer_name: string }>(
    db,
    sql`SELECT d.id, d.arrival_number, d.code_number, d.code_notation, d.issued_date, d.issuer_name FROM documents d
         WHERE d.unit_id = ${q.unitId} AND d.direction = 'incoming' AND d.issued_date = ${q.issuedDate}
           AND ${q.codeNumber == null ? sql`d.code_number IS NULL` : sql`d.code_number = ${q.codeNumber}`}
           AND ${readCondition(p, await readableAmong(db, p, q))}
         ORDER BY d.arrival_at DESC LIMIT 50`,
  );
  const issuer = foldText(q.issuer);
  const notation = foldText(q.codeNotation ?? '');
  return rows
    .filter((r) => foldText(r.issuer_name) === issuer && foldText(r.code_notation ?? '') === notation)
    .slice(0, 10)
    .map((r) => ({ id: r.id, arrivalNumber: r.arrival_number, numberSymbol: numberSymbolOf({ codeNumber: r.code_number, codeNotation: r.code_notation }), issuedDate: r.issued_date }));
}

/** The readable units that matter for a search within q.unitId: that unit or none (no need to list the whole scope). */
async function readableAmong(db: Db, p: Principal, q: DuplicateQuery): Promise<string[]> {
  if (q.unitPath !== undefined) return can(p, 'document.read', q.unitPath) ? [q.unitId] : [];
  return unitIdsFor(db, p, 'document.read');
}

export class DuplicateDocumentError extends AppError {
  constructor(readonly duplicates: Duplicate[]) {
    super(409, 'duplicate', 'Văn bản có thể đã được đăng ký', 'Đã có văn bản đến cùng cơ quan ban hành, số, ký hiệu và ngày. Kiểm tra lại, hoặc gửi allowDuplicate = true để vẫn đăng ký.');
  }
}

/** The book a document goes into: the one chosen (same unit, incoming, matching series) or the unit's default. */
async function chooseBook(tx: Db, unitId: string, bookId: string | null | undefined, series: string, now: Date) {
  if (!bookId) return ensureBook(tx, unitId, 'incoming', series, now);
  const [book] = isUuid(bookId)
    ? await tx.select().from(registerBooks).where(and(eq(registerBooks.id, bookId), eq(registerBooks.unitId, unitId), eq(registerBooks.direction, 'incoming'))).limit(1)
    : [];
  if (!book) throw new AppError(404, 'not-found', 'Không tìm thấy', 'Sổ đăng ký không tồn tại trong đơn vị.', [{ field: 'bookId', message: 'Không tìm thấy sổ văn bản đến.' }]);
  const errors: FieldError[] = [];
  if (!book.active) errors.push({ field: 'bookId', message: 'Sổ đã ngừng sử dụng.' });
  else if ((book.series === 'secret') !== (series === 'secret')) {
    errors.push({ field: 'bookId', message: series === 'secret' ? 'Văn bản mật phải vào sổ văn bản mật.' : 'Sổ văn bản mật chỉ dành cho văn bản mật.' });
  }
  if (errors.length) throw validationFailed(errors);
  return book;
}

/**
 * Registers an incoming document in the caller's transaction: checks, files, the next arrival number
 * of the unit's book for the local year (atomic counter: never duplicated), the row, the timeline step.
 * Used by the clerk's registration and by OUTGOING when a clerk accepts a document sent by another unit
 * (receivedVia 'system', sourceDocumentId set, files linked unchanged, no duplicate check).
 */
export async function registerIncomingTx(
  tx: Db,
  p: Principal,
  unitId: string,
  input: IncomingInput & { sourceDocumentId?: string | null },
  ctx: ActorContext,
  fileStore: FileStore,
  known: { unit?: UnitRef; issuer?: UnitRef } = {},
): Promise<{ id: string; arrivalNumber: number; row: DocumentRow }> {
  const unit = known.unit?.id === unitId ? known.unit : await unitRef(tx, unitId);
  const fromSystem = !!input.sourceDocumentId;
  if (!unit || !(can(p, 'document.register', unit.path) || (fromSystem && can(p, 'document.receive', unit.path)))) throw notFound('Đơn vị');
  const parsed = incomingFieldsSchema.safeParse(input);
  if (!parsed.success) throw validationFailed(parsed.error.issues.map((i) => ({ field: i.path.join('.') || 'body', message: i.message })));
  const v = parsed.data;
  const issuer = known.issuer && known.issuer.id === v.issuerUnitId ? known.issuer : await unitRef(tx, v.issuerUnitId);
  await checkIncoming(tx, { ...v, issuerUnitId: v.issuerUnitId ?? null }, issuer, ctx.now, fromSystem);

  const prepared = await prepareFiles(tx, fileStore, p, { unitId, fileIds: v.fileIds, attachmentIds: v.attachmentIds, secrecy: v.secrecy, sourceDocumentId: input.sourceDocumentId }, ctx);
  const series = seriesFor({ secrecy: v.secrecy, typeCode: v.typeCode });
  const book = await chooseBook(tx, unitId, v.bookId, series, ctx.now);
  const arrivalNumber = await nextNumber(tx, book.id, localYear(ctx.now));

  const id = newId();
  const issuerName = issuer ? issuer.name : v.issuer;
  const row = {
    id,
    unitId,
    direction: 'incoming' as const,
    status: 'registered' as const,
    typeCode: v.typeCode,
    subject: v.subject,
    codeNumber: v.codeNumber ?? null,
    codeNotation: v.codeNotation || null,
    issuedDate: v.issuedDate,
    issuerUnitId: issuer?.id ?? null,
    issuerName,
    issuerCode: issuer?.agency_code ?? (v.issuerCode || null),
    signerName: v.signerName || null,
    signerPosition: v.signerPosition || null,
    pageCount: v.pageCount ?? prepared.pageCount,
    urgency: v.urgency,
    secrecy: v.secrecy,
    dueDate: v.dueDate ?? null,
    bookId: book.id,
    arrivalNumber,
    arrivalAt: ctx.now,
    receivedVia: fromSystem ? ('system' as const) : v.receivedVia,
    sourceDocumentId: input.sourceDocumentId ?? null,
    createdBy: p.userId,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  const [inserted] = await tx
    .insert(documents)
    .values({ ...row, searchText: buildSearchText({ unitId, subject: row.subject, numberSymbol: numberSymbolOf(row), issuerName, signerName: row.signerName }) })
    .returning();
  const fileRows = [
    ...prepared.mainFileIds.map((fileId) => ({ fileId, role: 'main' as const })),
    ...prepared.attachmentIds.map((fileId) => ({ fileId, role: 'attachment' as const })),
  ];
  if (fileRows.length) {
    await tx.insert(documentFiles).values(fileRows.map((f) => ({ id: newId(), documentId: id, ...f, version: 1, createdBy: p.userId, createdAt: ctx.now })));
  }
  await recordStep(tx, ctx, { id, unitId }, {
    action: 'registered',
    text: v.note || null,
    detail: { arrivalNumber, bookId: book.id, bookName: book.name, receivedVia: row.receivedVia, files: fileRows.length, ...(row.sourceDocumentId ? { sourceDocumentId: row.sourceDocumentId } : {}) },
  });
  return { id, arrivalNumber, row: inserted };
}

/** The clerk's registration (HTTP): the unit, the duplicate warning, then one transaction. Each reference row is read once. */
export async function registerIncoming(db: Db, p: Principal, body: IncomingBody, ctx: ActorContext, fileStore: FileStore): Promise<{ id: string; arrivalNumber: number; row: DocumentRow }> {
  const unit = await registeringUnit(db, p, body.unitId);
  const { unitId: _u, allowDuplicate, ...input } = body;
  const issuer = await unitRef(db, input.issuerUnitId);
  if (!allowDuplicate) {
    const q = { unitId: unit.id, unitPath: unit.path, issuer: issuer?.name ?? input.issuer, codeNumber: input.codeNumber ?? null, codeNotation: input.codeNotation ?? null, issuedDate: input.issuedDate };
    const dups = await findDuplicates(db, p, q);
    if (dups.length) throw new DuplicateDocumentError(dups);
  }
  return inTransaction(db, (tx) =>
    registerIncomingTx(tx, p, unit.id, { ...input, codeNumber: input.codeNumber ?? null, codeNotation: input.codeNotation ?? null }, ctx, fileStore, { unit, ...(issuer ? { issuer } : {}) }),
  );
}
