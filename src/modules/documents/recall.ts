import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Principal } from '../../core/access/index.js';
import type { ActorContext } from '../../core/audit/index.js';
import { type Db, inTransaction, queryRows } from '../../core/db/index.js';
import { forbidden, validationFailed } from '../../core/errors/index.js';
import { enqueueMail } from '../../core/mail/index.js';
import { numberSymbolOf } from './detail.js';
import { recordStep } from './events.js';
import { assertStatus, isClerkOf, readableOutgoing } from './outgoing.js';
import { assignments, documentRecipients, documents } from './schema.js';
import { formatDate } from './symbols.js';
import { type DocumentRow, lockDocument } from './visibility.js';

/**
 * Recall (thu hồi) of an issued document by the issuing unit's clerk or the signer: the document is
 * frozen; every recipient is told — units in the deployment lose it from their queue, the incoming
 * documents made from it are recalled and leave the inboxes (open assignments cancelled), e-mail
 * recipients get a recall message through the outbox.
 */
export async function recallDocument(db: Db, p: Principal, id: string, reason: string, ctx: ActorContext): Promise<{ recipients: number; incoming: number }> {
  const why = (reason ?? '').normalize('NFC').trim();
  if (!why) throw validationFailed([{ field: 'reason', message: 'Phải nêu lý do thu hồi' }]);
  const d = await readableOutgoing(db, p, id);
  assertStatus(d, ['issued'], 'thu hồi');
  if (d.signerUserId !== p.userId && !(await isClerkOf(db, p, d.unitId))) throw forbidden('Chỉ văn thư của đơn vị ban hành hoặc người ký được thu hồi văn bản.');

  return inTransaction(db, async (tx) => {
    const cur = await lockDocument(tx, id);
    assertStatus(cur, ['issued'], 'thu hồi');
    await tx.update(documents).set({ status: 'recalled', recalledAt: ctx.now, recallReason: why, updatedAt: ctx.now }).where(eq(documents.id, id));

    const recipients = await tx.select().from(documentRecipients).where(eq(documentRecipients.documentId, id)).for('update');
    const told = recipients.filter((r) => r.status !== 'refused');
    for (const r of told) {
      if (r.kind === 'email' && r.status === 'sent') await enqueueMail(tx, recallMail(cur, r, why), { unitId: cur.unitId, dedupeKey: `document-recalled:${r.id}` }, ctx.now);
    }
    if (told.length) await tx.update(documentRecipients).set({ status: 'recalled', updatedAt: ctx.now }).where(inArray(documentRecipients.id, told.map((r) => r.id)));

    // Incoming documents made from it (accepted by the recipients) are recalled with it.
    const incoming = await queryRows<{ id: string; unit_id: string }>(
      tx,
      sql`SELECT id, unit_id FROM documents WHERE source_document_id = ${id} AND direction = 'incoming' AND status <> 'recalled' FOR UPDATE`,
    );
    for (const inc of incoming) {
      await tx.update(documents).set({ status: 'recalled', recalledAt: ctx.now, recallReason: why, updatedAt: ctx.now }).where(eq(documents.id, inc.id));
      await tx
        .update(assignments)
        .set({ status: 'cancelled' })
        .where(and(eq(assignments.documentId, inc.id), inArray(assignments.status, ['pending', 'in_progress', 'returned'])));
      // Done items stay done, but leave the inboxes too (inbox.ts reads this flag instead of joining documents).
      await tx.update(assignments).set({ documentRecalled: true }).where(eq(assignments.documentId, inc.id));
      await recordStep(tx, ctx, { id: inc.id, unitId: inc.unit_id }, {
        action: 'recall_received',
        text: `Nơi gửi đã thu hồi văn bản số ${numberSymbolOf(cur)}. Lý do: ${why}`,
        detail: { sourceDocumentId: id },
      });
    }
    await recordStep(tx, ctx, cur, { action: 'recalled', text: why, detail: { recipients: told.length, incomingDocuments: incoming.length, mails: told.filter((r) => r.kind === 'email' && r.status === 'sent').length } });
    return { recipients: told.length, incoming: incoming.length };
  });
}

function recallMail(doc: DocumentRow, r: typeof documentRecipients.$inferSelect, why: string) {
  const ns = numberSymbolOf(doc) ?? '';
  return {
    to: r.email!,
    subject: `Thu hồi văn bản số ${ns} ngày ${formatDate(doc.issuedDate)} của ${doc.issuerName}`.slice(0, 500),
    text: [
      `Kính gửi: ${r.name}`,
      '',
      `${doc.issuerName} thông báo thu hồi văn bản số ${ns} ngày ${formatDate(doc.issuedDate)}.`,
      `Trích yếu: ${doc.subject}`,
      `Lý do thu hồi: ${why}`,
      '',
      'Đề nghị Quý cơ quan, đơn vị không sử dụng và hủy bỏ văn bản đã nhận.',
      'Thư được gửi tự động từ hệ thống quản lý văn bản và điều hành; vui lòng không trả lời thư này.',
    ].join('\n'),
  };
}
