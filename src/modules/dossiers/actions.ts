import { and, eq } from 'drizzle-orm';
import type { Principal } from '../../core/access/index.js';
import type { ActorContext } from '../../core/audit/index.js';
import { loadCalendar, type WorkingCalendar } from '../../core/calendar/index.js';
import { type Db, inTransaction } from '../../core/db/index.js';
import { AppError, forbidden, validationFailed } from '../../core/errors/index.js';
import type { FileStore } from '../../core/files/index.js';
import { type ProcedureVersion, procedureVersionById } from '../procedures/index.js';
import type { SigningRuntime } from '../signing/index.js';
import { exceptionHandlers } from './exceptions.js';
import { linkFiles, prepareGroups } from './files.js';
import { applicable, flowHandlers } from './flow.js';
import { type ActionInput, type Handlers } from './handler.js';
import { appendAction, type DossierRow } from './log.js';
import { holdsRoleOver, lockDossier, readableDossier, unitInfo } from './policy.js';
import { creationKeyOf } from './reception.js';
import { dossierActions, dossiers, dossierUnits } from './schema.js';
import { STATUS, STATUS_LABELS, type StatusCode } from './status.js';
import { prepareResultSeal } from './result-seal.js';
import { rolesFor } from './steps.js';
import { ACTION_LABELS, type DossierAction, statusesFor, type Transition, transitionFor } from './transitions.js';

/**
 * Carries out an action on a dossier: finds the transition (transitions.ts), checks who acts, the
 * reason and the client's idempotency key, then — in one transaction with the row locked — lets the
 * action's handler compute the new state, updates the row, appends the history entry (with its audit
 * record and the listeners' outbox rows) and links the files.
 */

const handlers: Handlers = { ...flowHandlers, ...exceptionHandlers };
const DESK_ROLES = ['onestop_officer'] as const;

export const invalidTransition = (action: DossierAction, status: StatusCode) => {
  const allowed = statusesFor(action).map((s) => `"${STATUS_LABELS[s]}"`).join(', ');
  return new AppError(409, 'invalid-transition', 'Trạng thái hồ sơ không cho phép thao tác này', `Không thể "${ACTION_LABELS[action]}" khi hồ sơ đang ở trạng thái "${STATUS_LABELS[status]}"${allowed ? `; thao tác này dành cho hồ sơ ${allowed}` : ''}.`);
};

/** May the principal take this transition on the dossier? (roles over the unit, holder, applicant) */
export async function mayAct(db: Db, p: Principal, d: DossierRow, t: Transition): Promise<boolean> {
  if (p.kind === 'citizen') return t.actors.includes('applicant') && (d.applicantUserId === p.userId || d.createdBy === p.userId);
  if (t.desk) {
    const receiving = await unitInfo(db, d.unitId);
    if (receiving && holdsRoleOver(p, DESK_ROLES, receiving.path)) return true;
  }
  const officialRoles = t.actors.filter((a) => a !== 'applicant');
  const unit = await unitInfo(db, t.unit === 'receiving' ? d.unitId : d.currentUnitId);
  if (!unit || !holdsRoleOver(p, officialRoles, unit.path)) return false;
  if (!t.holder) return true;
  if (d.holderUserId) return d.holderUserId === p.userId;
  if (d.holderUnitId) {
    const holderUnit = await unitInfo(db, d.holderUnitId);
    return !!holderUnit && holdsRoleOver(p, rolesFor(d.holderRole ?? ''), holderUnit.path);
  }
  return false;
}

/** The actions the principal may take now (for the UI's buttons). */
export async function allowedActions(db: Db, p: Principal, d: DossierRow, v: ProcedureVersion, now: Date): Promise<DossierAction[]> {
  const out: DossierAction[] = [];
  for (const action of Object.keys(handlers) as DossierAction[]) {
    const t = transitionFor(action, d.status as StatusCode);
    if (t && applicable(v, d, action, now) && (await mayAct(db, p, d, t))) out.push(action);
  }
  return out;
}

const reasonOf = (s: string | null | undefined) => s?.normalize('NFC').trim() || null;

/** `signing`: the signing runtime, for `complete` with a seal (the HTTP API passes it; without it a seal request is refused). */
export async function performAction(db: Db, store: FileStore, p: Principal, id: string, action: DossierAction, input: ActionInput, ctx: ActorContext, idempotencyKey?: string, signing?: SigningRuntime): Promise<{ replayed: boolean }> {
  const d = await readableDossier(db, p, id);
  const key = creationKeyOf(idempotencyKey);
  if (key && (await alreadyDone(db, d.id, key))) return { replayed: true };
  const t = transitionFor(action, d.status as StatusCode);
  if (!t) throw invalidTransition(action, d.status as StatusCode);
  if (!(await mayAct(db, p, d, t))) {
    throw forbidden(t.holder ? 'Chỉ người (hoặc đơn vị) đang xử lý hồ sơ được thực hiện thao tác này.' : `Bạn không có quyền "${ACTION_LABELS[action]}" hồ sơ này.`);
  }
  const reason = reasonOf(input.reason);
  if (t.reason && !reason) throw validationFailed([{ field: 'reason', message: `Nhập lý do ${ACTION_LABELS[action].toLowerCase()}.` }]);
  const handler = handlers[action];
  if (!handler) throw new AppError(501, 'not-implemented', 'Chưa hỗ trợ thao tác này', `Thao tác "${action}" chưa được cài đặt.`);
  const v = await procedureVersionById(db, d.procedureVersionId);
  if (!v) throw new AppError(500, 'version-missing', 'Lỗi dữ liệu thủ tục', 'Không đọc được phiên bản thủ tục của hồ sơ.');
  const cal = await loadCalendar(db, d.unitId);
  // The seal's PIN is checked outside the transaction (wrong PINs are counted in their own).
  const sealing = action === 'complete' ? await prepareResultSeal(db, signing, d, input, ctx) : null;
  try {
    await inTransaction(db, (tx) => applyTransition(tx, store, p, d, t, action, { ...input, reason, sealing }, ctx, v, cal, key));
  } catch (err) {
    // The same key sent twice at once: the second insert hits the unique index; it is a replay.
    if (key && (err as { code?: string }).code === '23505' && (await alreadyDone(db, d.id, key))) return { replayed: true };
    throw err;
  }
  return { replayed: false };
}

/**
 * The transaction part of an action (the caller checked who acts): locks the row, lets the handler compute the
 * new state, updates the row, appends the history entry (audit record, listeners) and links the files.
 */
async function applyTransition(
  tx: Db, store: FileStore | null, p: Principal, d: DossierRow, t: Transition, action: DossierAction, input: ActionInput, ctx: ActorContext,
  v: ProcedureVersion, cal: WorkingCalendar, key: string | null, actorKind?: 'system',
): Promise<void> {
  const locked = await lockDossier(tx, d.id);
  if (locked.status !== d.status) throw invalidTransition(action, locked.status as StatusCode);
  const to = (t.to === 'same' ? locked.status : t.to === 'resume' ? (locked.pausedFromStatus ?? STATUS.processing) : t.to) as StatusCode;
  const result = await handlers[action]!({ tx, store: store!, p, d: locked, v, cal, input, ctx, to, t });
  const [row] = await tx.update(dossiers).set({ ...result.set, status: to, updatedAt: ctx.now }).where(eq(dossiers.id, locked.id)).returning();
  for (const u of result.units ?? []) {
    await tx.insert(dossierUnits).values({ dossierId: row.id, unitId: u.unitId, part: u.part, since: ctx.now }).onConflictDoNothing();
  }
  if (result.files?.length && !store) throw new Error(`${action}: files without a file store`);
  const attached = result.files?.length ? await prepareGroups(tx, store!, p, row.id, row.unitId, result.files, ctx.now) : [];
  const entry = await appendAction(tx, ctx, row, {
    unitId: row.currentUnitId,
    ...result.log,
    action,
    fromStatus: locked.status as StatusCode,
    toStatus: to,
    actorKind: actorKind ?? (p.kind === 'citizen' ? 'citizen' : 'official'),
    reason: input.reason ?? null,
    note: reasonOf(input.note),
    formNumber: t.form ?? null,
    idempotencyKey: key,
    detail: { ...(result.log?.detail ?? {}), ...(attached.length ? { files: attached.length } : {}) },
  });
  await linkFiles(tx, row, attached, p.userId, ctx.now, entry.id);
  if (result.files?.some((g) => g.kind === 'result') && attached.length) {
    await tx.update(dossiers).set({ resultFileId: attached.find((a) => a.kind === 'result')!.fileId }).where(eq(dossiers.id, row.id));
  }
}

/**
 * An action the system takes on another module's word, in the caller's transaction (payments: the fee was
 * paid → `fee-paid`). No principal and no role check — the caller is the authority — but the transition table
 * still decides: when the dossier's status has no row for the action, nothing happens and false is returned.
 */
export async function performSystemAction(tx: Db, dossierId: string, action: DossierAction, input: ActionInput, ctx: ActorContext): Promise<boolean> {
  const d = await lockDossier(tx, dossierId);
  const t = transitionFor(action, d.status as StatusCode);
  if (!t) return false;
  const v = await procedureVersionById(tx, d.procedureVersionId);
  if (!v) throw new AppError(500, 'version-missing', 'Lỗi dữ liệu thủ tục', 'Không đọc được phiên bản thủ tục của hồ sơ.');
  const system: Principal = { userId: ctx.actorId ?? '', kind: 'official', username: 'system', fullName: ctx.actorName ?? 'Hệ thống', unitId: null, roles: [] };
  await applyTransition(tx, null, system, d, t, action, { ...input, reason: reasonOf(input.reason) }, ctx, v, await loadCalendar(tx, d.unitId), null, 'system');
  return true;
}

async function alreadyDone(db: Db, dossierId: string, key: string): Promise<boolean> {
  const rows = await db.select({ id: dossierActions.id }).from(dossierActions).where(and(eq(dossierActions.dossierId, dossierId), eq(dossierActions.idempotencyKey, key))).limit(1);
  return rows.length > 0;
}
