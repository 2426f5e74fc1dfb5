import { sql } from 'drizzle-orm';
import type { ActorContext } from '../../core/audit/index.js';
import { type Db, queryRows } from '../../core/db/index.js';
import { recordStep } from './events.js';

/**
 * The sender sees how a receiving unit handles its document (Decree 30; edXML status 04 assigned,
 * 05 processing, 06 done): when an incoming document created from another unit's outgoing document
 * changes state, the sender's document_recipients row moves forward and the sender's timeline says so.
 */

export type SenderStatus = 'assigned' | 'processing' | 'done';

// Statuses only move forward; refused / recalled / failed rows are left alone.
const RANK: Record<string, number> = { pending: 0, sent: 0, arrived: 1, accepted: 2, assigned: 3, processing: 4, done: 5 };

export async function propagateToSender(tx: Db, ctx: ActorContext, doc: { id: string; sourceDocumentId: string | null }, status: SenderStatus): Promise<void> {
  if (!doc.sourceDocumentId) return;
  const rows = await queryRows<{ id: string; status: string; name: string; document_id: string; source_unit_id: string }>(
    tx,
    sql`SELECT r.id, r.status, r.name, r.document_id, s.unit_id AS source_unit_id
          FROM document_recipients r JOIN documents s ON s.id = r.document_id
         WHERE r.incoming_document_id = ${doc.id} AND r.document_id = ${doc.sourceDocumentId}
         FOR UPDATE OF r`,
  );
  for (const r of rows) {
    const from = RANK[r.status];
    if (from === undefined || from >= RANK[status]) continue;
    await tx.execute(sql`UPDATE document_recipients SET status = ${status}, updated_at = ${ctx.now.toISOString()} WHERE id = ${r.id}`);
    await recordStep(tx, ctx, { id: r.document_id, unitId: r.source_unit_id }, { action: 'delivered', detail: { recipient: r.name, recipientId: r.id, status } });
  }
}
