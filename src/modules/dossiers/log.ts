import { sql } from 'drizzle-orm';
import { type ActorContext, writeAudit } from '../../core/audit/index.js';
import { type Db, queryRows } from '../../core/db/index.js';
import { newId } from '../../core/ids/index.js';
import { dossierActions, type dossiers } from './schema.js';
import type { StatusCode } from './status.js';
import type { FormNumber, LogAction } from './transitions.js';

export type DossierRow = typeof dossiers.$inferSelect;
export type ActionRow = typeof dossierActions.$inferSelect;

/** One entry of a dossier's history, as the service appends it. */
export type LogEntry = {
  action: LogAction;
  fromStatus: StatusCode | null;
  toStatus: StatusCode;
  unitId: string;
  actorKind: 'official' | 'citizen' | 'system';
  stepPosition?: number | null;
  stepName?: string | null;
  toUserId?: string | null;
  toUserName?: string | null;
  toUnitId?: string | null;
  toUnitName?: string | null;
  stepDueAt?: Date | null;
  stepOutcome?: 'early' | 'on_time' | 'late' | null;
  reason?: string | null;
  note?: string | null;
  formNumber?: FormNumber | null;
  detail?: Record<string, unknown> | null;
  idempotencyKey?: string | null;
};

/**
 * What other modules receive for every change of a dossier (notifications, statistics, payment), in
 * the transaction of the change: a listener that enqueues an outbox row commits or rolls back with it.
 */
export type DossierEvent = { dossier: DossierRow; action: ActionRow };
export type DossierListener = (tx: Db, event: DossierEvent) => Promise<void>;

const listeners: DossierListener[] = [];

/** Subscribes to every dossier action (called inside the action's transaction, after it is recorded). */
export function onDossierAction(listener: DossierListener): () => void {
  if (!listeners.includes(listener)) listeners.push(listener);
  return () => {
    const i = listeners.indexOf(listener);
    if (i >= 0) listeners.splice(i, 1);
  };
}

/**
 * Appends an action to the dossier's history (append-only table), writes the audit record and tells
 * the listeners — all in the caller's transaction, after the dossier row has its new state.
 */
export async function appendAction(tx: Db, ctx: ActorContext, dossier: DossierRow, e: LogEntry): Promise<ActionRow> {
  const [{ next }] = await queryRows<{ next: number }>(tx, sql`SELECT coalesce(max(seq), 0) + 1 AS next FROM dossier_actions WHERE dossier_id = ${dossier.id}`);
  const row: ActionRow = {
    id: newId(),
    dossierId: dossier.id,
    seq: next,
    unitId: e.unitId,
    at: ctx.now,
    actorId: ctx.actorId,
    actorName: ctx.actorName,
    actorKind: e.actorKind,
    action: e.action,
    fromStatus: e.fromStatus,
    toStatus: e.toStatus,
    stepPosition: e.stepPosition ?? null,
    stepName: e.stepName ?? null,
    toUserId: e.toUserId ?? null,
    toUserName: e.toUserName ?? null,
    toUnitId: e.toUnitId ?? null,
    toUnitName: e.toUnitName ?? null,
    stepDueAt: e.stepDueAt ?? null,
    stepOutcome: e.stepOutcome ?? null,
    reason: e.reason ?? null,
    note: e.note ?? null,
    formNumber: e.formNumber ?? null,
    detail: e.detail ?? null,
    idempotencyKey: e.idempotencyKey ?? null,
  };
  await tx.insert(dossierActions).values(row);
  await writeAudit(tx, ctx, {
    action: `dossier.${e.action}`,
    objectType: 'dossier',
    objectId: dossier.id,
    unitId: e.unitId,
    summary: {
      code: dossier.code,
      fromStatus: e.fromStatus,
      toStatus: e.toStatus,
      ...(e.reason ? { reason: e.reason } : {}),
      ...(e.toUserName || e.toUnitName ? { handedTo: e.toUserName ?? e.toUnitName } : {}),
      ...(e.formNumber ? { form: e.formNumber } : {}),
      ...(e.detail ?? {}),
    },
  });
  for (const listener of listeners) await listener(tx, { dossier, action: row });
  return row;
}
