import { asc, eq, sql } from 'drizzle-orm';
import type { Principal } from '../../core/access/index.js';
import { type Db, perDatabase, queryRows } from '../../core/db/index.js';
import type { DocumentDetail, DocumentSummary } from './api.js';
import { deadlineState, nearDueUntilFor } from './deadlines.js';
import { assignmentActions } from './incoming.js';
import { outgoingActions } from './outgoing.js';
import { documentEvents, documentReads, documentTypes } from './schema.js';
import { signingActions } from './signing-view.js';
import { dateLine } from './symbols.js';
import { type DocumentRow, readableDocument } from './visibility.js';

export const SECRET_NOTICE =
  'Văn bản mật: theo quy định bảo vệ bí mật nhà nước, hệ thống chỉ lưu thông tin (siêu dữ liệu), không lưu tệp nội dung; chỉ văn thư đăng ký, lãnh đạo được trình và người được giao xử lý xem được.';

const typeNames = perDatabase((): { names?: Promise<Map<string, string>> } => ({}));
/** Names of the document types (reference data from migrations; read once per database and process). */
export async function typeName(db: Db, code: string): Promise<string> {
  const cache = typeNames(db);
  cache.names ??= db.select({ code: documentTypes.code, name: documentTypes.name }).from(documentTypes)
    .then((rows) => new Map(rows.map((r) => [r.code, r.name])))
    .catch((e: unknown) => { cache.names = undefined; throw e; });
  return (await cache.names).get(code) ?? code;
}

export const numberSymbolOf = (d: { codeNumber: number | null; codeNotation: string | null }): string | null =>
  d.codeNumber == null ? d.codeNotation || null : `${d.codeNumber < 10 ? `0${d.codeNumber}` : d.codeNumber}${d.codeNotation ? `/${d.codeNotation}` : ''}`;

// Raw queries (queryRows) return timestamptz as text (drizzle's driver parsers); typed selects return Date.
const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

/** The list-item shape of a document row (callers add `read`, `myAssignment`, `rank`). */
export async function presentSummary(db: Db, d: DocumentRow, now: Date, extra: { read: boolean; myAssignment?: DocumentSummary['myAssignment']; rank?: number }): Promise<DocumentSummary> {
  return {
    id: d.id,
    unitId: d.unitId,
    direction: d.direction,
    status: d.status,
    typeCode: d.typeCode,
    typeName: await typeName(db, d.typeCode),
    subject: d.subject,
    codeNumber: d.codeNumber,
    codeNotation: d.codeNotation,
    numberSymbol: numberSymbolOf(d),
    issuedDate: d.issuedDate,
    issuerName: d.issuerName,
    signerName: d.signerName,
    urgency: d.urgency,
    secrecy: d.secrecy,
    dueDate: d.dueDate,
    arrivalNumber: d.arrivalNumber,
    arrivalAt: iso(d.arrivalAt),
    createdAt: d.createdAt.toISOString(),
    // Near due by the working days of the document's unit calendar (cached per process: no query per row).
    deadlineState: deadlineState(d.dueDate, d.completedAt, now, await nearDueUntilFor(db, d.unitId, now)),
    ...extra,
  };
}

type Named = { id: string; name: string };
async function names(db: Db, userIds: (string | null)[], unitIds: (string | null)[]): Promise<{ user: Map<string, string>; unit: Map<string, string> }> {
  const u = [...new Set(userIds.filter((x): x is string => !!x))];
  const n = [...new Set(unitIds.filter((x): x is string => !!x))];
  const users = u.length ? await queryRows<Named>(db, sql`SELECT id, full_name AS name FROM users WHERE id = ANY(${`{${u.join(',')}}`}::uuid[])`) : [];
  const units = n.length ? await queryRows<Named>(db, sql`SELECT id, name FROM units WHERE id = ANY(${`{${n.join(',')}}`}::uuid[])`) : [];
  return { user: new Map(users.map((x) => [x.id, x.name])), unit: new Map(units.map((x) => [x.id, x.name])) };
}

/** A document with its files, assignments, reviews, recipients and timeline; marks it read for the caller. */
export async function getDocumentDetail(db: Db, p: Principal, id: string, now: Date): Promise<DocumentDetail> {
  const d = await readableDocument(db, p, id);
  const [fileRows, assignmentRows, reviewRows, recipientRows, events, replacedBy] = await Promise.all([
    queryRows<{ id: string; file_id: string; name: string; size: number; content_type: string; sha256: string; role: 'main'; version: number; note: string | null; created_at: Date }>(
      db,
      sql`SELECT df.id, df.file_id, f.name, f.size, f.content_type, f.sha256, df.role, df.version, df.note, df.created_at
            FROM document_files df JOIN files f ON f.id = df.file_id WHERE df.document_id = ${d.id} ORDER BY df.role, df.version, df.created_at`,
    ),
    queryRows<AssignmentRowRaw>(db, sql`SELECT * FROM assignments WHERE document_id = ${d.id} ORDER BY assigned_at, id`),
    queryRows<{ id: string; round: number; step: number; kind: 'initial'; reviewer_user_id: string; status: 'pending'; reason: string | null; decided_at: Date | null }>(
      db,
      sql`SELECT id, round, step, kind, reviewer_user_id, status, reason, decided_at FROM document_reviews WHERE document_id = ${d.id} ORDER BY round, step`,
    ),
    queryRows<{ id: string; kind: 'unit'; unit_id: string | null; agency_code: string | null; name: string; email: string | null; status: 'pending'; reason: string | null; incoming_document_id: string | null; updated_at: Date }>(
      db,
      sql`SELECT id, kind, unit_id, agency_code, name, email, status, reason, incoming_document_id, updated_at FROM document_recipients WHERE document_id = ${d.id} ORDER BY name`,
    ),
    db.select().from(documentEvents).where(eq(documentEvents.documentId, d.id)).orderBy(asc(documentEvents.at), asc(documentEvents.id)),
    queryRows<{ id: string }>(db, sql`SELECT id FROM documents WHERE replaces_document_id = ${d.id} LIMIT 1`),
  ]);
  const nm = await names(
    db,
    [d.createdBy, d.presentedTo, ...assignmentRows.flatMap((a) => [a.assignee_user_id, a.assigned_by]), ...reviewRows.map((r) => r.reviewer_user_id)],
    [d.unitId, ...assignmentRows.map((a) => a.assignee_unit_id)],
  );
  await db
    .insert(documentReads)
    .values({ documentId: d.id, userId: p.userId, readAt: now })
    .onConflictDoNothing();

  const nearUntil = await nearDueUntilFor(db, d.unitId, now);
  const assignments = assignmentRows.map((a) => ({
    id: a.id,
    role: a.role,
    status: a.status,
    assigneeUserId: a.assignee_user_id,
    assigneeUserName: a.assignee_user_id ? (nm.user.get(a.assignee_user_id) ?? null) : null,
    assigneeUnitId: a.assignee_unit_id,
    assigneeUnitName: a.assignee_unit_id ? (nm.unit.get(a.assignee_unit_id) ?? null) : null,
    dueDate: a.due_date,
    deadlineState: deadlineState(a.due_date, a.completed_at ? new Date(a.completed_at) : null, now, nearUntil),
    instruction: a.instruction,
    assignedBy: a.assigned_by,
    assignedByName: nm.user.get(a.assigned_by) ?? null,
    assignedAt: iso(a.assigned_at)!,
    parentId: a.parent_id,
    progressNote: a.progress_note,
    progressPercent: a.progress_percent,
    completedAt: iso(a.completed_at),
    resultNote: a.result_note,
    replyDocumentId: a.reply_document_id,
    returnReason: a.return_reason,
  }));
  const mine = assignments.find((a) => a.assigneeUserId === p.userId && !['cancelled', 'handed_over', 'forwarded'].includes(a.status));
  const summary = await presentSummary(db, d, now, {
    read: true,
    myAssignment: mine ? { id: mine.id, role: mine.role, status: mine.status, dueDate: mine.dueDate, deadlineState: mine.deadlineState } : null,
  });
  const detail: DocumentDetail = {
    ...summary,
    unitName: nm.unit.get(d.unitId) ?? '',
    contentSummary: d.contentSummary,
    issuedAt: iso(d.issuedAt),
    place: d.place,
    dateLine: d.place && d.issuedDate ? dateLine(d.place, d.issuedDate) : null,
    issuerUnitId: d.issuerUnitId,
    issuerCode: d.issuerCode,
    signerPosition: d.signerPosition,
    signerUserId: d.signerUserId,
    pageCount: d.pageCount,
    legalNormative: d.legalNormative,
    bookId: d.bookId,
    receivedVia: d.receivedVia,
    presentedTo: d.presentedTo,
    presentedToName: d.presentedTo ? (nm.user.get(d.presentedTo) ?? null) : null,
    sourceDocumentId: d.sourceDocumentId,
    draftingUnitId: d.draftingUnitId,
    replacesDocumentId: d.replacesDocumentId,
    replacedByDocumentId: replacedBy[0]?.id ?? null,
    recalledAt: iso(d.recalledAt),
    recallReason: d.recallReason,
    completedAt: iso(d.completedAt),
    createdBy: d.createdBy,
    createdByName: nm.user.get(d.createdBy) ?? null,
    updatedAt: d.updatedAt.toISOString(),
    secretNotice: d.secrecy === 'none' ? null : SECRET_NOTICE,
    files: fileRows.map((f) => ({ id: f.id, fileId: f.file_id, name: f.name, size: Number(f.size), contentType: f.content_type, sha256: f.sha256, role: f.role, version: f.version, note: f.note, createdAt: iso(f.created_at)! })),
    assignments,
    reviews: reviewRows.map((r) => ({ id: r.id, round: r.round, step: r.step, kind: r.kind, reviewerUserId: r.reviewer_user_id, reviewerName: nm.user.get(r.reviewer_user_id) ?? null, status: r.status, reason: r.reason, decidedAt: iso(r.decided_at) })),
    recipients: recipientRows.map((r) => ({ id: r.id, kind: r.kind, unitId: r.unit_id, agencyCode: r.agency_code, name: r.name, email: r.email, status: r.status, reason: r.reason, incomingDocumentId: r.incoming_document_id, updatedAt: iso(r.updated_at)! })),
    timeline: events.map((e) => ({ id: e.id, at: e.at.toISOString(), actorId: e.actorId, actorName: e.actorName, action: e.action, text: e.text, detail: (e.detail as Record<string, unknown> | null) ?? null })),
    allowedActions: [],
  };
  const signing = await signingActions(db, p, d, detail);
  // A digitally signed document is issued with the agency seal ("seal_issue"), not the paper issuance.
  const outgoing = (await outgoingActions(db, p, d, detail)).filter((a) => a !== 'issue' || !signing.includes('seal_issue'));
  detail.allowedActions = [...(await assignmentActions(db, p, d, detail)), ...outgoing, ...signing];
  return detail;
}

export type AssignmentRowRaw = {
  id: string;
  document_id: string;
  unit_id: string;
  role: 'lead' | 'co' | 'info';
  assignee_user_id: string | null;
  assignee_unit_id: string | null;
  status: 'pending' | 'in_progress' | 'returned' | 'handed_over' | 'forwarded' | 'completed' | 'cancelled';
  due_date: string | null;
  instruction: string | null;
  urgent: boolean;
  parent_id: string | null;
  assigned_by: string;
  assigned_at: Date;
  progress_note: string | null;
  progress_percent: number | null;
  completed_at: Date | null;
  result_note: string | null;
  reply_document_id: string | null;
  return_reason: string | null;
};
