import { and, desc, eq, sql } from 'drizzle-orm';
import { can, type Principal } from '../../core/access/index.js';
import { type ActorContext, writeAudit } from '../../core/audit/index.js';
import { type Db, inTransaction, queryRows } from '../../core/db/index.js';
import { AppError, forbidden, notFound, validationFailed } from '../../core/errors/index.js';
import { newId } from '../../core/ids/index.js';
import { getSetting, putSetting } from '../../core/settings/index.js';
import { recordStep } from './events.js';
import { assertStatus, fileRefs, readableOutgoing, unitInfo } from './outgoing.js';
import { documentReviews, documents } from './schema.js';
import { holdsFor, lockDocument } from './visibility.js';

/**
 * Review chain of an outgoing draft (Decree 30 art. 10–13): ký nháy (initials) by the head of the
 * drafting unit, then approval by the signer. Each submission opens a round; a return with a reason
 * closes it and the next submission opens a new one, so the history of rounds stays readable.
 */

export type ReviewKind = 'initial' | 'approve';
export const REVIEW_KINDS = ['initial', 'approve'] as const;
export const DEFAULT_REVIEW_STEPS: ReviewKind[] = ['initial', 'approve'];
const configKey = (unitId: string) => `documents.review_steps.${unitId}`;

export type ReviewConfig = { unitId: string; steps: ReviewKind[]; isDefault: boolean; canEdit: boolean };

/** The steps a unit's drafts go through (configured per unit, default initials then approval). */
export async function reviewStepsFor(db: Db, unitId: string): Promise<ReviewKind[]> {
  return (await storedSteps(db, unitId)) ?? DEFAULT_REVIEW_STEPS;
}

// Always read with the same fallback: the settings cache keeps whatever a first read returned.
const storedSteps = (db: Db, unitId: string) => getSetting<ReviewKind[] | null>(db, configKey(unitId), null);

/** The unit's leader (held at the unit or above) or its administrator may change the chain. */
function mayConfigure(p: Principal, unitPath: string): boolean {
  return can(p, 'unit.manage', unitPath) || p.roles.some((r) => r.role === 'leader' && unitPath.startsWith(r.unitPath));
}

async function configurableUnit(db: Db, p: Principal, unitId: string) {
  const u = await unitInfo(db, unitId);
  if (!u || !((await holdsFor(db, p, 'document.draft', u.id)) || mayConfigure(p, u.path))) throw notFound('Đơn vị');
  return u;
}

export async function getReviewConfig(db: Db, p: Principal, unitId: string): Promise<ReviewConfig> {
  const u = await configurableUnit(db, p, unitId);
  const stored = await storedSteps(db, u.id);
  return { unitId: u.id, steps: stored ?? DEFAULT_REVIEW_STEPS, isDefault: !stored, canEdit: mayConfigure(p, u.path) };
}

export async function putReviewConfig(db: Db, p: Principal, unitId: string, steps: ReviewKind[], ctx: ActorContext): Promise<ReviewConfig> {
  const u = await configurableUnit(db, p, unitId);
  if (!mayConfigure(p, u.path)) throw forbidden('Chỉ lãnh đạo hoặc quản trị của đơn vị được thay đổi quy trình trình duyệt.');
  if (new Set(steps).size !== steps.length || steps[steps.length - 1] !== 'approve') {
    throw validationFailed([{ field: 'steps', message: 'Mỗi bước chỉ xuất hiện một lần và bước cuối phải là duyệt của người ký' }]);
  }
  await inTransaction(db, async (tx) => {
    const before = await reviewStepsFor(tx, u.id);
    await putSetting(tx, configKey(u.id), steps, ctx.now);
    await writeAudit(tx, ctx, { action: 'documents.review_config', objectType: 'unit', objectId: u.id, unitId: u.id, summary: { before, after: steps } });
  });
  return { unitId: u.id, steps, isDefault: false, canEdit: true };
}

export type SignerCandidate = { id: string; fullName: string; positionTitle: string | null; unitId: string; unitName: string; role: 'leader' | 'deputy_leader' };

/**
 * Who may sign (and so approve) for a drafting unit: leaders and deputies of the unit or of an
 * ancestor, nearest unit first. For the drafter's signer picker; 404 for a unit one does not draft for.
 */
export async function signerCandidates(db: Db, p: Principal, unitId: string, page: { page: number; pageSize: number }): Promise<{ items: SignerCandidate[]; total: number }> {
  const u = await unitInfo(db, unitId);
  if (!u || !(await holdsFor(db, p, 'document.draft', u.id))) throw notFound('Đơn vị');
  const where = sql`ra.role IN ('leader', 'deputy_leader') AND us.active AND un.active AND ${u.path} LIKE un.path || '%'`;
  const from = sql`FROM role_assignments ra JOIN users us ON us.id = ra.user_id JOIN units un ON un.id = ra.unit_id LEFT JOIN officials o ON o.user_id = us.id`;
  const [items, [count]] = await Promise.all([
    queryRows<SignerCandidate>(
      db,
      sql`SELECT us.id, us.full_name AS "fullName", o.position_title AS "positionTitle", un.id AS "unitId", un.name AS "unitName", ra.role
            ${from} WHERE ${where} ORDER BY un.depth DESC, ra.role DESC, us.full_name, us.id LIMIT ${page.pageSize} OFFSET ${(page.page - 1) * page.pageSize}`,
    ),
    queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n ${from} WHERE ${where}`),
  ]);
  return { items, total: Number(count.n) };
}

/** The head of the drafting unit (a leader there), who puts the initials; null when there is none. */
async function unitHead(db: Db, unitId: string): Promise<string | null> {
  const [h] = await queryRows<{ id: string }>(
    db,
    sql`SELECT u.id FROM role_assignments ra JOIN users u ON u.id = ra.user_id
         WHERE ra.unit_id = ${unitId} AND ra.role = 'leader' AND u.active ORDER BY u.full_name, u.id LIMIT 1`,
  );
  return h?.id ?? null;
}

/** The drafter submits the draft: a new round with its steps, the first one waiting for its reviewer. */
export async function submitForReview(db: Db, p: Principal, id: string, ctx: ActorContext): Promise<{ round: number }> {
  const d = await readableOutgoing(db, p, id);
  assertStatus(d, ['draft'], 'trình duyệt');
  if (d.createdBy !== p.userId) throw forbidden('Chỉ người soạn thảo được trình duyệt dự thảo.');
  if (!d.signerUserId) throw new AppError(422, 'no-signer', 'Chưa chọn người ký', 'Hãy chọn người ký (lãnh đạo có thẩm quyền) trước khi trình duyệt.');
  if (d.secrecy === 'none' && !(await fileRefs(db, d.id)).some((f) => f.role === 'draft' || f.role === 'draft_source')) {
    throw new AppError(422, 'no-draft-file', 'Chưa có tệp dự thảo', 'Hãy tải lên tệp dự thảo (PDF hoặc DOCX) trước khi trình duyệt.');
  }
  const draftingUnitId = d.draftingUnitId ?? d.unitId;
  const steps = await reviewStepsFor(db, draftingUnitId);
  const head = await unitHead(db, draftingUnitId);
  const chain: { kind: ReviewKind; reviewer: string }[] = [];
  for (const kind of steps) {
    if (kind === 'approve') chain.push({ kind, reviewer: d.signerUserId });
    // Initials are skipped when the unit has no head, or the head signs or drafted it.
    else if (head && head !== d.signerUserId && head !== d.createdBy) chain.push({ kind, reviewer: head });
  }
  return inTransaction(db, async (tx) => {
    const cur = await lockDocument(tx, id);
    assertStatus(cur, ['draft'], 'trình duyệt');
    const [last] = await queryRows<{ r: number }>(tx, sql`SELECT coalesce(max(round), 0)::int AS r FROM document_reviews WHERE document_id = ${id}`);
    const round = Number(last.r) + 1;
    await tx.insert(documentReviews).values(
      chain.map((c, i) => ({ id: newId(), documentId: id, round, step: i + 1, kind: c.kind, reviewerUserId: c.reviewer, status: i === 0 ? ('pending' as const) : ('waiting' as const) })),
    );
    await tx.update(documents).set({ status: 'in_review', updatedAt: ctx.now }).where(eq(documents.id, id));
    await recordStep(tx, ctx, cur, { action: 'submitted', detail: { round, steps: chain.map((c) => ({ kind: c.kind, reviewerUserId: c.reviewer })) } });
    return { round };
  });
}

type ReviewRow = typeof documentReviews.$inferSelect;

/** The caller's own pending step; anyone else is refused (nobody acts for the current reviewer). */
async function myPendingStep(tx: Db, p: Principal, id: string): Promise<ReviewRow> {
  const [pending] = await tx
    .select()
    .from(documentReviews)
    .where(and(eq(documentReviews.documentId, id), eq(documentReviews.status, 'pending')))
    .orderBy(desc(documentReviews.round), desc(documentReviews.step))
    .for('update')
    .limit(1);
  if (!pending || pending.reviewerUserId !== p.userId) throw forbidden('Văn bản không ở bước chờ bạn ký nháy hoặc duyệt.', 'not-your-step');
  return pending;
}

/** Ký nháy or approval, whichever step is the caller's; the last approval makes the document approved. */
export async function approveStep(db: Db, p: Principal, id: string, note: string | null, ctx: ActorContext): Promise<{ kind: ReviewKind; final: boolean }> {
  const d = await readableOutgoing(db, p, id);
  assertStatus(d, ['in_review'], 'duyệt');
  return inTransaction(db, async (tx) => {
    const cur = await lockDocument(tx, id);
    assertStatus(cur, ['in_review'], 'duyệt');
    const step = await myPendingStep(tx, p, id);
    const text = note?.normalize('NFC').trim() || null;
    await tx.update(documentReviews).set({ status: 'approved', reason: text, decidedAt: ctx.now }).where(eq(documentReviews.id, step.id));
    const [next] = await tx
      .select()
      .from(documentReviews)
      .where(and(eq(documentReviews.documentId, id), eq(documentReviews.round, step.round), eq(documentReviews.status, 'waiting')))
      .orderBy(documentReviews.step)
      .limit(1);
    if (next) await tx.update(documentReviews).set({ status: 'pending' }).where(eq(documentReviews.id, next.id));
    else await tx.update(documents).set({ status: 'approved', updatedAt: ctx.now }).where(eq(documents.id, id));
    if (next) await tx.update(documents).set({ updatedAt: ctx.now }).where(eq(documents.id, id));
    await recordStep(tx, ctx, cur, { action: step.kind === 'initial' ? 'initialled' : 'approved', text, detail: { round: step.round, step: step.step } });
    return { kind: step.kind, final: !next };
  });
}

/**
 * The current reviewer returns the draft with a mandatory reason: the round ends, the drafter revises
 * and submits again (a new round). Also called by POST /api/documents/:id/return for outgoing documents.
 */
export async function returnForRevision(db: Db, p: Principal, id: string, reason: string, ctx: ActorContext): Promise<void> {
  const why = (reason ?? '').normalize('NFC').trim();
  if (!why) throw validationFailed([{ field: 'reason', message: 'Phải nêu lý do trả lại' }]);
  if (why.length > 2000) throw validationFailed([{ field: 'reason', message: 'Lý do tối đa 2000 ký tự' }]);
  const d = await readableOutgoing(db, p, id);
  assertStatus(d, ['in_review'], 'trả lại');
  await inTransaction(db, async (tx) => {
    const cur = await lockDocument(tx, id);
    assertStatus(cur, ['in_review'], 'trả lại');
    const step = await myPendingStep(tx, p, id);
    await tx.update(documentReviews).set({ status: 'returned', reason: why, decidedAt: ctx.now }).where(eq(documentReviews.id, step.id));
    await tx
      .update(documentReviews)
      .set({ status: 'cancelled' })
      .where(and(eq(documentReviews.documentId, id), eq(documentReviews.round, step.round), eq(documentReviews.status, 'waiting')));
    await tx.update(documents).set({ status: 'draft', updatedAt: ctx.now }).where(eq(documents.id, id));
    await recordStep(tx, ctx, cur, { action: 'review_returned', text: why, detail: { round: step.round, step: step.step, kind: step.kind } });
  });
}
