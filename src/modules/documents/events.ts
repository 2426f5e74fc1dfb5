import { type ActorContext, writeAudit } from '../../core/audit/index.js';
import type { Db } from '../../core/db/index.js';
import { newId } from '../../core/ids/index.js';
import { documentEvents } from './schema.js';

/** Timeline actions (shown in the UI through the labels of the web app). */
export type DocumentAction =
  | 'registered' | 'received' | 'presented' | 'assigned' | 'read' | 'progress' | 'returned' | 'handed_over'
  | 'forwarded' | 'completed' | 'reopened' | 'drafted' | 'draft_version' | 'submitted' | 'initialled' | 'approved'
  | 'review_returned' | 'signed_uploaded' | 'issued' | 'sent' | 'delivered' | 'accepted' | 'refused' | 'recalled'
  | 'recall_received' | 'replaced' | 'updated' | 'file_added' | 'mailed';

export type Step = {
  action: DocumentAction;
  text?: string | null; // instruction, reason, note
  detail?: Record<string, unknown>;
  /** Audit summary; defaults to `{ text, ...detail }`. */
  audit?: Record<string, unknown>;
};

/**
 * Records one step of a document's life in the caller's transaction: a timeline entry (what people
 * read on the document) and an audit record (the tamper-evident log), always together.
 */
export async function recordStep(tx: Db, ctx: ActorContext, doc: { id: string; unitId: string }, step: Step): Promise<void> {
  await tx.insert(documentEvents).values({
    id: newId(),
    documentId: doc.id,
    unitId: doc.unitId,
    at: ctx.now,
    actorId: ctx.actorId,
    actorName: ctx.actorName,
    action: step.action,
    text: step.text ?? null,
    detail: step.detail ?? null,
  });
  await writeAudit(tx, ctx, {
    action: `document.${step.action}`,
    objectType: 'document',
    objectId: doc.id,
    unitId: doc.unitId,
    summary: step.audit ?? { ...(step.text ? { text: step.text } : {}), ...(step.detail ?? {}) },
  });
}
