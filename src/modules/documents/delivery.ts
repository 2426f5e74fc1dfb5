import { eq, sql } from 'drizzle-orm';
import type { Principal } from '../../core/access/index.js';
import type { ActorContext } from '../../core/audit/index.js';
import { type Db, inTransaction, queryRows } from '../../core/db/index.js';
import { conflict, notFound, validationFailed } from '../../core/errors/index.js';
import type { FileStore } from '../../core/files/index.js';
import { isUuid } from '../../core/ids/index.js';
import { type FileRow, registerFileAccess } from '../files/index.js';
import { numberSymbolOf, typeName } from './detail.js';
import { recordStep } from './events.js';
import { registerIncomingTx } from './incoming.js';
import { documentRecipients, documents } from './schema.js';
import { unitIdsFor } from './visibility.js';

/**
 * Deliveries inside the deployment: the receiving clerk's queue (chờ tiếp nhận). Accepting makes the
 * sent document an incoming document of the receiving unit (metadata prefilled, the same files
 * referenced, not copied); refusing needs a reason. The sender sees each recipient's status.
 */

export const DELIVERY_FILTERS = ['arrived', 'accepted', 'refused', 'recalled'] as const;
export type DeliveryFilter = (typeof DELIVERY_FILTERS)[number];
// Accepted from the receiver's point of view, whatever happened to it since.
const STATUS_SETS: Record<DeliveryFilter, string[]> = { arrived: ['arrived'], accepted: ['accepted', 'assigned', 'processing', 'done'], refused: ['refused'], recalled: ['recalled'] };

export type DeliveryItem = {
  id: string;
  documentId: string;
  status: string;
  reason: string | null;
  incomingDocumentId: string | null;
  recipientName: string;
  receivingUnitId: string;
  receivingUnitName: string;
  senderUnitId: string;
  senderName: string;
  senderCode: string | null;
  typeCode: string;
  typeName: string;
  codeNumber: number | null;
  codeNotation: string | null;
  numberSymbol: string | null;
  issuedDate: string | null;
  arrivedAt: string;
  subject: string;
  urgency: string;
  secrecy: string;
  signerName: string | null;
  signerPosition: string | null;
  dueDate: string | null;
  recalledAt: string | null;
  recallReason: string | null;
  updatedAt: string;
};

export type DeliveryFile = { fileId: string; name: string; size: number; contentType: string; sha256: string; role: string };

type Row = {
  id: string; document_id: string; status: string; reason: string | null; incoming_document_id: string | null; name: string; receiving_unit_id: string; receiving_unit_name: string;
  unit_id: string; issuer_name: string; issuer_code: string | null; type_code: string; code_number: number | null; code_notation: string | null; issued_date: string | null;
  issued_at: Date | string; subject: string; urgency: string; secrecy: string; signer_name: string | null; signer_position: string | null; due_date: string | null;
  recalled_at: Date | string | null; recall_reason: string | null; updated_at: Date | string;
};

const SELECT = sql`SELECT r.id, r.document_id, r.status, r.reason, r.incoming_document_id, r.name, r.receiving_unit_id, ru.name AS receiving_unit_name, r.updated_at,
  d.unit_id, d.issuer_name, d.issuer_code, d.type_code, d.code_number, d.code_notation, d.issued_date, d.issued_at, d.subject, d.urgency, d.secrecy,
  d.signer_name, d.signer_position, d.due_date, d.recalled_at, d.recall_reason
  FROM document_recipients r JOIN documents d ON d.id = r.document_id JOIN units ru ON ru.id = r.receiving_unit_id`;

// Raw rows carry timestamps as the driver's text (both drivers): normalise to ISO 8601.
const iso = (v: Date | string | null) => (v == null ? null : new Date(v).toISOString());

const uuids = (ids: string[]) => sql`${`{${ids.join(',')}}`}::uuid[]`;

async function present(db: Db, r: Row): Promise<DeliveryItem> {
  return {
    id: r.id,
    documentId: r.document_id,
    status: r.status,
    reason: r.reason,
    incomingDocumentId: r.incoming_document_id,
    recipientName: r.name,
    receivingUnitId: r.receiving_unit_id,
    receivingUnitName: r.receiving_unit_name,
    senderUnitId: r.unit_id,
    senderName: r.issuer_name,
    senderCode: r.issuer_code,
    typeCode: r.type_code,
    typeName: await typeName(db, r.type_code),
    codeNumber: r.code_number,
    codeNotation: r.code_notation,
    numberSymbol: numberSymbolOf({ codeNumber: r.code_number, codeNotation: r.code_notation }),
    issuedDate: r.issued_date,
    arrivedAt: iso(r.issued_at)!,
    subject: r.subject,
    urgency: r.urgency,
    secrecy: r.secrecy,
    signerName: r.signer_name,
    signerPosition: r.signer_position,
    dueDate: r.due_date,
    recalledAt: iso(r.recalled_at),
    recallReason: r.recall_reason,
    updatedAt: iso(r.updated_at)!,
  };
}

/** The queue of the units where the caller receives documents: urgent first, then newest. */
export async function listDeliveries(db: Db, p: Principal, q: { status: DeliveryFilter; page: number; pageSize: number }): Promise<{ items: DeliveryItem[]; total: number; page: number; pageSize: number }> {
  const units = await unitIdsFor(db, p, 'document.receive');
  if (units.length === 0) return { items: [], total: 0, page: q.page, pageSize: q.pageSize };
  const where = sql`r.kind = 'unit' AND r.receiving_unit_id = ANY(${uuids(units)}) AND r.status = ANY(${`{${STATUS_SETS[q.status].join(',')}}`}::text[])`;
  const [rows, [count]] = await Promise.all([
    queryRows<Row>(db, sql`${SELECT} WHERE ${where} ORDER BY (d.urgency <> 'normal') DESC, d.issued_at DESC, r.id DESC LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}`),
    queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM document_recipients r WHERE ${where}`),
  ]);
  const items: DeliveryItem[] = [];
  for (const r of rows) items.push(await present(db, r));
  return { items, total: Number(count.n), page: q.page, pageSize: q.pageSize };
}

/** One delivery of the caller's units (404 for anyone else). */
async function visibleDelivery(db: Db, p: Principal, id: string): Promise<Row> {
  if (!isUuid(id)) throw notFound('Văn bản đến chờ tiếp nhận');
  const units = await unitIdsFor(db, p, 'document.receive');
  const [r] = units.length ? await queryRows<Row>(db, sql`${SELECT} WHERE r.id = ${id} AND r.kind = 'unit' AND r.receiving_unit_id = ANY(${uuids(units)})`) : [];
  if (!r) throw notFound('Văn bản đến chờ tiếp nhận');
  return r;
}

/** What the receiving clerk previews before accepting: metadata and the files sent (none once recalled). */
export async function getDelivery(db: Db, p: Principal, id: string): Promise<DeliveryItem & { files: DeliveryFile[] }> {
  const r = await visibleDelivery(db, p, id);
  const files =
    r.status === 'recalled'
      ? []
      : await queryRows<DeliveryFile>(
          db,
          sql`SELECT df.file_id AS "fileId", f.name, f.size::int AS size, f.content_type AS "contentType", f.sha256, df.role
                FROM document_files df JOIN files f ON f.id = df.file_id
               WHERE df.document_id = ${r.document_id} AND df.role IN ('main', 'attachment') ORDER BY df.role DESC, df.created_at`,
        );
  return { ...(await present(db, r)), files };
}

/** The receiving clerk may download the files of a document delivered to their unit (not once recalled). */
export async function deliveryFileAccess(db: Db, p: Principal, file: FileRow): Promise<boolean> {
  if (p.kind !== 'official') return false;
  const units = await unitIdsFor(db, p, 'document.receive');
  if (units.length === 0) return false;
  const [hit] = await queryRows<{ ok: number }>(
    db,
    sql`SELECT 1 AS ok FROM document_files df JOIN document_recipients r ON r.document_id = df.document_id
         WHERE df.file_id = ${file.id} AND df.role IN ('main', 'attachment') AND r.kind = 'unit' AND r.status <> 'recalled'
           AND r.receiving_unit_id = ANY(${uuids(units)}) LIMIT 1`,
  );
  return !!hit;
}
registerFileAccess(deliveryFileAccess);

type Locked = typeof documentRecipients.$inferSelect;
async function lockDelivery(tx: Db, id: string, what: string): Promise<{ r: Locked; doc: typeof documents.$inferSelect }> {
  const [r] = await tx.select().from(documentRecipients).where(eq(documentRecipients.id, id)).for('update').limit(1);
  const [doc] = await tx.select().from(documents).where(eq(documents.id, r.documentId)).limit(1);
  if (r.status === 'recalled' || doc.status === 'recalled') throw conflict(`Không thể ${what}: văn bản đã bị nơi gửi thu hồi.`, 'recalled');
  if (r.status !== 'arrived') throw conflict(`Không thể ${what}: văn bản này đã được xử lý (${r.status === 'refused' ? 'đã từ chối' : 'đã tiếp nhận'}).`, 'already-handled');
  return { r, doc };
}

/** Accepts a delivery: it becomes an incoming document of the receiving unit (registered with its arrival number). */
export async function acceptDelivery(db: Db, p: Principal, id: string, input: { bookId?: string | null; dueDate?: string | null }, ctx: ActorContext, store: FileStore): Promise<{ incomingDocumentId: string; arrivalNumber: number }> {
  await visibleDelivery(db, p, id);
  return inTransaction(db, async (tx) => {
    const { r, doc } = await lockDelivery(tx, id, 'tiếp nhận');
    const files = await queryRows<{ file_id: string; role: string }>(tx, sql`SELECT file_id, role FROM document_files WHERE document_id = ${doc.id} AND role IN ('main', 'attachment') ORDER BY created_at`);
    const created = await registerIncomingTx(
      tx,
      p,
      r.receivingUnitId!,
      {
        issuer: doc.issuerName,
        issuerUnitId: doc.issuerUnitId,
        issuerCode: doc.issuerCode,
        codeNumber: doc.codeNumber,
        codeNotation: doc.codeNotation,
        issuedDate: doc.issuedDate!,
        typeCode: doc.typeCode,
        subject: doc.subject,
        signerName: doc.signerName,
        signerPosition: doc.signerPosition,
        pageCount: doc.pageCount,
        urgency: doc.urgency,
        secrecy: doc.secrecy,
        dueDate: input.dueDate === undefined ? doc.dueDate : input.dueDate,
        fileIds: doc.secrecy === 'none' ? files.filter((f) => f.role === 'main').map((f) => f.file_id) : [],
        attachmentIds: doc.secrecy === 'none' ? files.filter((f) => f.role === 'attachment').map((f) => f.file_id) : [],
        receivedVia: 'system',
        bookId: input.bookId ?? null,
        sourceDocumentId: doc.id,
      },
      ctx,
      store,
    );
    await tx.update(documentRecipients).set({ status: 'accepted', incomingDocumentId: created.id, reason: null, updatedAt: ctx.now }).where(eq(documentRecipients.id, id));
    await recordStep(tx, ctx, doc, {
      action: 'accepted',
      text: `${r.name} đã tiếp nhận, số đến ${created.arrivalNumber}`,
      detail: { recipientId: r.id, recipient: r.name, status: 'accepted', arrivalNumber: created.arrivalNumber },
    });
    return { incomingDocumentId: created.id, arrivalNumber: created.arrivalNumber };
  });
}

/** Refuses a delivery (sent by mistake, wrong recipient, invalid): the reason is mandatory and shown to the sender. */
export async function refuseDelivery(db: Db, p: Principal, id: string, reason: string, ctx: ActorContext): Promise<void> {
  const why = (reason ?? '').normalize('NFC').trim();
  if (!why) throw validationFailed([{ field: 'reason', message: 'Phải nêu lý do từ chối' }]);
  await visibleDelivery(db, p, id);
  await inTransaction(db, async (tx) => {
    const { r, doc } = await lockDelivery(tx, id, 'từ chối');
    await tx.update(documentRecipients).set({ status: 'refused', reason: why, updatedAt: ctx.now }).where(eq(documentRecipients.id, id));
    await recordStep(tx, ctx, doc, { action: 'refused', text: `${r.name} từ chối nhận: ${why}`, detail: { recipientId: r.id, recipient: r.name, status: 'refused', reason: why } });
  });
}
