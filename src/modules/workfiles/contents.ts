import { and, eq, sql } from 'drizzle-orm';
import type { Principal } from '../../core/access/index.js';
import { type ActorContext, writeAudit } from '../../core/audit/index.js';
import { type Db, inTransaction, queryRows } from '../../core/db/index.js';
import { notFound } from '../../core/errors/index.js';
import { numberSymbolOf, readableDocument, readCondition, unitIdsFor } from '../documents/index.js';
import { frozen, lockWorkFile, reachableWorkFile, wrongState, type WorkFileRow } from './access.js';
import { workFileDocuments } from './schema.js';
import { isoTime, presentWorkFile, type WorkFile } from './service.js';

/** A document as listed inside a work file (its metadata; the document itself is never copied). */
export type FiledDocument = {
  id: string;
  direction: 'incoming' | 'outgoing';
  status: string;
  typeCode: string;
  typeName: string;
  codeNumber: number | null;
  codeNotation: string | null;
  numberSymbol: string | null;
  issuedDate: string | null;
  subject: string;
  issuerName: string;
  issuerCode: string | null;
  signerName: string | null;
  signerPosition: string | null;
  pageCount: number | null;
  secrecy: 'none' | 'confidential' | 'secret' | 'top_secret';
  addedAt: string;
  addedByName: string | null;
};

type RawDoc = {
  id: string; direction: 'incoming'; status: string; type_code: string; type_name: string; code_number: number | null; code_notation: string | null;
  issued_date: string | null; subject: string; issuer_name: string; issuer_code: string | null; signer_name: string | null; signer_position: string | null;
  page_count: number | null; secrecy: 'none'; added_at: Date | string; added_by_name: string | null;
};

/**
 * The documents of a file that the principal may read (the documents module's read rule), in the
 * order of the file's index (document date, then when they were added), and how many others the file
 * holds that stay hidden from this principal.
 */
export async function visibleDocuments(db: Db, p: Principal, workFileId: string): Promise<{ documents: FiledDocument[]; hiddenCount: number }> {
  const readUnits = await unitIdsFor(db, p, 'document.read');
  const issueUnits = await unitIdsFor(db, p, 'document.issue');
  const rows = await queryRows<RawDoc>(
    db,
    sql`SELECT d.id, d.direction, d.status, d.type_code, t.name AS type_name, d.code_number, d.code_notation, d.issued_date, d.subject,
          d.issuer_name, d.issuer_code, d.signer_name, d.signer_position, d.page_count, d.secrecy, x.added_at, au.full_name AS added_by_name
        FROM work_file_documents x JOIN documents d ON d.id = x.document_id JOIN document_types t ON t.code = d.type_code
        LEFT JOIN users au ON au.id = x.added_by
        WHERE x.work_file_id = ${workFileId} AND ${readCondition(p, readUnits, issueUnits)}
        ORDER BY d.issued_date NULLS LAST, x.added_at, d.id`,
  );
  const [{ n }] = await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM work_file_documents WHERE work_file_id = ${workFileId}`);
  const documents = rows.map((r) => ({
    id: r.id,
    direction: r.direction,
    status: r.status,
    typeCode: r.type_code,
    typeName: r.type_name,
    codeNumber: r.code_number,
    codeNotation: r.code_notation,
    numberSymbol: numberSymbolOf({ codeNumber: r.code_number, codeNotation: r.code_notation }),
    issuedDate: r.issued_date,
    subject: r.subject,
    issuerName: r.issuer_name,
    issuerCode: r.issuer_code,
    signerName: r.signer_name,
    signerPosition: r.signer_position,
    pageCount: r.page_count,
    secrecy: r.secrecy,
    addedAt: isoTime(r.added_at)!,
    addedByName: r.added_by_name,
  }));
  return { documents, hiddenCount: n - documents.length };
}

export type HistoryEntry = { at: string; actorName: string | null; action: string; reason: string | null; documentId: string | null };
export type WorkFileDetail = WorkFile & { documents: FiledDocument[]; hiddenCount: number; history: HistoryEntry[] };

/** A file with the documents the caller may read and its history (from the audit log). */
export async function getWorkFileDetail(db: Db, p: Principal, id: string): Promise<WorkFileDetail> {
  await reachableWorkFile(db, p, id);
  const [file, contents, events] = await Promise.all([
    presentWorkFile(db, id),
    visibleDocuments(db, p, id),
    queryRows<{ at: Date | string; actor_name: string | null; action: string; summary: { reason?: string; documentId?: string } }>(
      db,
      sql`SELECT at, actor_name, action, summary FROM audit_log WHERE object_type = 'work_file' AND object_id = ${id} ORDER BY seq`,
    ),
  ]);
  const visible = new Set(contents.documents.map((d) => d.id));
  const history = events.map((e) => ({
    at: isoTime(e.at)!,
    actorName: e.actor_name,
    action: e.action.replace(/^workfile\./, ''),
    reason: e.summary.reason ?? null,
    // Steps about documents the caller may not read do not name them.
    documentId: e.summary.documentId && visible.has(e.summary.documentId) ? e.summary.documentId : null,
  }));
  return { ...file, ...contents, history };
}

function assertOpen(file: WorkFileRow): void {
  if (file.status === 'closed' || file.status === 'transferred') throw frozen(file.status);
  if (file.status !== 'open') throw wrongState(file.status, 'đang mở (hãy mở hồ sơ trước)');
}

/**
 * Puts a document the caller may read into an open file. The document is referenced, not copied, so
 * one document may sit in several files. Adding it again changes nothing (`added: false`). Secret
 * documents may be filed: the file keeps their metadata only, as the document itself does.
 */
export async function addDocument(db: Db, p: Principal, id: string, documentId: string, ctx: ActorContext): Promise<{ added: boolean }> {
  await reachableWorkFile(db, p, id);
  const doc = await readableDocument(db, p, documentId);
  return inTransaction(db, async (tx) => {
    const file = await lockWorkFile(tx, id);
    assertOpen(file);
    const inserted = await tx
      .insert(workFileDocuments)
      .values({ workFileId: id, documentId: doc.id, addedBy: p.userId, addedAt: ctx.now })
      .onConflictDoNothing()
      .returning({ id: workFileDocuments.documentId });
    if (inserted.length === 0) return { added: false };
    await writeAudit(tx, ctx, {
      action: 'workfile.add_document',
      objectType: 'work_file',
      objectId: id,
      unitId: file.unitId,
      summary: { notation: file.notation, year: file.year, documentId: doc.id, numberSymbol: numberSymbolOf(doc) },
    });
    return { added: true };
  });
}

/** Takes a document out of an open file (the document itself is untouched). */
export async function removeDocument(db: Db, p: Principal, id: string, documentId: string, ctx: ActorContext): Promise<void> {
  await reachableWorkFile(db, p, id);
  const doc = await readableDocument(db, p, documentId);
  await inTransaction(db, async (tx) => {
    const file = await lockWorkFile(tx, id);
    assertOpen(file);
    const removed = await tx
      .delete(workFileDocuments)
      .where(and(eq(workFileDocuments.workFileId, id), eq(workFileDocuments.documentId, doc.id)))
      .returning({ id: workFileDocuments.documentId });
    if (removed.length === 0) throw notFound('Văn bản trong hồ sơ');
    await writeAudit(tx, ctx, {
      action: 'workfile.remove_document',
      objectType: 'work_file',
      objectId: id,
      unitId: file.unitId,
      summary: { notation: file.notation, year: file.year, documentId: doc.id, numberSymbol: numberSymbolOf(doc) },
    });
  });
}
