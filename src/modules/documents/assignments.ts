import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Principal } from '../../core/access/index.js';
import { can } from '../../core/access/index.js';
import type { ActorContext } from '../../core/audit/index.js';
import { type Db, inTransaction, queryRows } from '../../core/db/index.js';
import { type FieldError, conflict, forbidden, validationFailed } from '../../core/errors/index.js';
import { newId } from '../../core/ids/index.js';
import { type AssignmentRow, type DocState, loadState } from './assignments-actions.js';
import { type Assignee, type Ref, findLeader, notFoundFields, resolveAssignees, worksIn } from './assignments-people.js';
import { type AssignmentRole, assignScope, containerOf, isOpen, mayPresent, myOpenItems, openDescendants, originOf, replacedBy, workUnitOf } from './assignments-rules.js';
import { propagateToSender } from './assignments-sender.js';
import { completionState } from './deadlines.js';
import { recordStep } from './events.js';
import { isCalendarDate } from './incoming-rules.js';
import { localDate } from './numbering.js';
import { assignments, documentReads, documents } from './schema.js';
import { type DocumentRow, canRead, findDocument, lockDocument, readableDocument } from './visibility.js';

/**
 * Presenting an incoming document to a leader, the leader's assignment (ý kiến chỉ đạo, chủ trì, phối hợp,
 * nhận để biết) and the handlers' steps: progress, return, hand-over, forward, completion. Each change is
 * one transaction with its timeline step (recordStep, audit included). The rules are in assignments-rules.ts.
 */

type Tx = Db;
type Work<T> = (tx: Tx, doc: DocumentRow, st: DocState) => Promise<T>;

/** Read check (404), then the locked document and its assignments in one transaction. */
async function onIncoming<T>(db: Db, p: Principal, id: string, work: Work<T>): Promise<T> {
  const readable = await readableDocument(db, p, id);
  return inTransaction(db, async (tx) => {
    const doc = await lockDocument(tx, readable.id);
    if (doc.direction !== 'incoming') throw conflict('Thao tác này chỉ dành cho văn bản đến.', 'wrong-direction');
    if (doc.status === 'recalled') throw conflict('Văn bản đã bị thu hồi, không xử lý tiếp.', 'recalled');
    return work(tx, doc, await loadState(tx, doc, true));
  });
}

async function userName(tx: Tx, id: string): Promise<string | null> {
  const [r] = await queryRows<{ name: string }>(tx, sql`SELECT full_name AS name FROM users WHERE id = ${id}`);
  return r?.name ?? null;
}

const setItems = (tx: Tx, ids: string[], patch: Partial<AssignmentRow>) =>
  ids.length ? tx.update(assignments).set(patch).where(inArray(assignments.id, ids)) : Promise.resolve();
const setDoc = (tx: Tx, id: string, patch: Partial<DocumentRow>) => tx.update(documents).set(patch).where(eq(documents.id, id));

function dueError(field: string, value: string | null | undefined, today: string): FieldError | null {
  if (!value) return null;
  if (!isCalendarDate(value)) return { field, message: 'Ngày không có thật.' };
  return value < today ? { field, message: 'Hạn xử lý không được trước ngày hôm nay.' } : null;
}

/** The caller's open item for a handling step, or the reason they have none. */
function pick(p: Principal, st: DocState, roles: AssignmentRole[], id?: string | null, personal = false): AssignmentRow {
  const candidates = myOpenItems(p, st.items, st.paths, { roles, id: id ?? undefined });
  const mine = (personal && candidates.find((a) => a.assigneeUserId)) || candidates[0];
  if (mine) return mine;
  if (myOpenItems(p, st.items, st.paths, { id: id ?? undefined }).length) throw conflict('Văn bản gửi để biết: chỉ cần xác nhận đã xem (hoàn thành).', 'for-information');
  throw forbidden('Bạn không có việc đang xử lý trên văn bản này.');
}

// ---- presenting ----------------------------------------------------------------------------------

export async function presentDocument(db: Db, p: Principal, id: string, input: { leaderId: string; note?: string | null }, ctx: ActorContext): Promise<void> {
  await onIncoming(db, p, id, async (tx, doc, st) => {
    if (!can(p, 'document.register', st.docPath)) throw forbidden('Chỉ văn thư của đơn vị được trình văn bản.');
    if (!mayPresent(p, doc, st.docPath)) throw conflict('Văn bản đã được phân công xử lý; lãnh đạo phân công lại nếu cần.', 'wrong-status');
    const leader = await findLeader(tx, input.leaderId, st.docPath);
    if (!leader) {
      if (await worksIn(tx, input.leaderId, st.docPath)) throw validationFailed([{ field: 'leaderId', message: 'Người được trình phải là lãnh đạo hoặc cấp phó của đơn vị.' }]);
      throw notFoundFields('Không tìm thấy lãnh đạo được trình.', [{ field: 'leaderId', message: 'Không tìm thấy lãnh đạo của đơn vị.' }]);
    }
    await setDoc(tx, doc.id, { status: 'presented', presentedTo: leader.id, updatedAt: ctx.now });
    await recordStep(tx, ctx, doc, { action: 'presented', text: input.note || null, detail: { leaderId: leader.id, leaderName: leader.name } });
  });
}

// ---- assigning -----------------------------------------------------------------------------------

export type AssignInput = {
  leadUserId?: string | null;
  leadUnitId?: string | null;
  coHandlerIds: string[];
  forInfoIds: string[];
  dueDate?: string | null;
  coDueDate?: string | null;
  dueDates?: Record<string, string>;
  instruction: string;
  withinAssignmentId?: string | null;
};

function checkAssignInput(input: AssignInput, today: string): Ref[] {
  const errors: FieldError[] = [];
  if (!!input.leadUserId === !!input.leadUnitId) errors.push({ field: 'leadUserId', message: 'Chọn đúng một người hoặc một đơn vị chủ trì.' });
  const refs: Ref[] = [
    ...(input.leadUserId ? [{ field: 'leadUserId', id: input.leadUserId }] : []),
    ...(input.leadUnitId ? [{ field: 'leadUnitId', id: input.leadUnitId }] : []),
    ...input.coHandlerIds.map((id, i) => ({ field: `coHandlerIds.${i}`, id })),
    ...input.forInfoIds.map((id, i) => ({ field: `forInfoIds.${i}`, id })),
  ];
  const seen = new Set<string>();
  for (const r of refs) {
    if (seen.has(r.id)) errors.push({ field: r.field, message: 'Người hoặc đơn vị này đã có trong phân công.' });
    seen.add(r.id);
  }
  for (const [field, v] of [['dueDate', input.dueDate], ['coDueDate', input.coDueDate]] as const) {
    const e = dueError(field, v, today);
    if (e) errors.push(e);
  }
  for (const [key, v] of Object.entries(input.dueDates ?? {})) {
    if (!seen.has(key)) errors.push({ field: `dueDates.${key}`, message: 'Không có trong danh sách được giao.' });
    const e = dueError(`dueDates.${key}`, v, today);
    if (e) errors.push(e);
  }
  if (!input.instruction.trim()) errors.push({ field: 'instruction', message: 'Nhập ý kiến chỉ đạo.' });
  if (errors.length) throw validationFailed(errors);
  return refs;
}

export async function assignDocument(db: Db, p: Principal, id: string, input: AssignInput, ctx: ActorContext): Promise<void> {
  await onIncoming(db, p, id, async (tx, doc, st) => {
    if (doc.status === 'completed') throw conflict('Văn bản đã hoàn thành xử lý.', 'wrong-status');
    const scope = assignScope(p, doc, st.docPath, st.items, st.paths, input.withinAssignmentId);
    if (!scope) {
      if (input.withinAssignmentId) throw notFoundFields('Không tìm thấy việc được giao cho đơn vị của bạn.', [{ field: 'withinAssignmentId', message: 'Không tìm thấy.' }]);
      throw forbidden('Chỉ lãnh đạo đơn vị, hoặc lãnh đạo được trình văn bản, mới được phân công xử lý.');
    }
    const refs = checkAssignInput(input, localDate(ctx.now));
    const baseUnitId = scope.kind === 'top' ? doc.unitId : scope.container.assigneeUnitId!;
    const found = await resolveAssignees(tx, { id: baseUnitId, path: st.paths.get(baseUnitId)! }, refs);
    const wrongKind = refs.filter((r) => (r.field === 'leadUserId' && found.get(r.id)!.kind !== 'user') || (r.field === 'leadUnitId' && found.get(r.id)!.kind !== 'unit'));
    if (wrongKind.length) throw notFoundFields('Không tìm thấy người hoặc đơn vị chủ trì.', wrongKind.map((r) => ({ field: r.field, message: 'Không tìm thấy.' })));

    const replaced = replacedBy(st.items, scope);
    await setItems(tx, replaced.map((a) => a.id), { status: 'cancelled' });
    const leadId = (input.leadUserId ?? input.leadUnitId)!;
    const leadDue = input.dueDates?.[leadId] ?? input.dueDate ?? doc.dueDate ?? null;
    const plan: { who: Assignee; role: AssignmentRole; dueDate: string | null }[] = [
      { who: found.get(leadId)!, role: 'lead', dueDate: leadDue },
      ...input.coHandlerIds.map((x) => ({ who: found.get(x)!, role: 'co' as const, dueDate: input.dueDates?.[x] ?? input.coDueDate ?? leadDue })),
      ...input.forInfoIds.map((x) => ({ who: found.get(x)!, role: 'info' as const, dueDate: input.dueDates?.[x] ?? null })),
    ];
    const instruction = input.instruction.trim().normalize('NFC');
    await tx.insert(assignments).values(
      plan.map((x) => ({
        id: newId(),
        documentId: doc.id,
        unitId: doc.unitId,
        role: x.role,
        assigneeUserId: x.who.kind === 'user' ? x.who.id : null,
        assigneeUnitId: x.who.kind === 'unit' ? x.who.id : null,
        status: 'pending' as const,
        dueDate: x.dueDate,
        instruction,
        urgent: doc.urgency !== 'normal',
        parentId: scope.kind === 'unit' ? scope.container.id : null,
        assignedBy: p.userId,
        assignedAt: ctx.now,
      })),
    );
    if (scope.kind === 'top') await setDoc(tx, doc.id, { status: 'assigned', updatedAt: ctx.now });
    else await setDoc(tx, doc.id, { updatedAt: ctx.now });
    const show = (x: (typeof plan)[number]) => ({ kind: x.who.kind, id: x.who.id, name: x.who.name, dueDate: x.dueDate });
    await recordStep(tx, ctx, doc, {
      action: 'assigned',
      text: instruction,
      detail: {
        ...(scope.kind === 'unit' ? { withinAssignmentId: scope.container.id } : {}),
        lead: show(plan[0]),
        co: plan.filter((x) => x.role === 'co').map(show),
        info: plan.filter((x) => x.role === 'info').map(show),
        cancelled: replaced.length,
      },
    });
    if (scope.kind === 'top') await propagateToSender(tx, ctx, doc, 'assigned');
  });
}

// ---- handling ------------------------------------------------------------------------------------

/** The lead's work started: its container (if pending) and, at the top, the document move to in progress. */
async function startChain(tx: Tx, ctx: ActorContext, doc: DocumentRow, st: DocState, a: AssignmentRow): Promise<void> {
  let cur = a;
  while (cur.role === 'lead') {
    const c = containerOf(st.items, cur);
    if (!c) {
      if (doc.status === 'assigned') {
        await setDoc(tx, doc.id, { status: 'in_progress', updatedAt: ctx.now });
        await propagateToSender(tx, ctx, doc, 'processing');
      }
      return;
    }
    if (c.status !== 'pending') return;
    await setItems(tx, [c.id], { status: 'in_progress' });
    cur = c;
  }
}

export async function recordProgress(db: Db, p: Principal, id: string, input: { note: string; percent?: number | null; assignmentId?: string | null }, ctx: ActorContext): Promise<void> {
  await onIncoming(db, p, id, async (tx, doc, st) => {
    const a = pick(p, st, ['lead', 'co'], input.assignmentId);
    const note = input.note.trim().normalize('NFC');
    await setItems(tx, [a.id], { status: 'in_progress', progressNote: note, progressPercent: input.percent ?? a.progressPercent });
    if (a.role === 'lead') await startChain(tx, ctx, doc, st, a);
    await setDoc(tx, doc.id, { updatedAt: ctx.now });
    await recordStep(tx, ctx, doc, { action: 'progress', text: note, detail: { assignmentId: a.id, role: a.role, percent: input.percent ?? null } });
  });
}

export async function returnAssignment(db: Db, p: Principal, id: string, input: { reason: string; assignmentId?: string | null }, ctx: ActorContext): Promise<void> {
  const reason = input.reason.trim().normalize('NFC');
  if (!reason) throw validationFailed([{ field: 'reason', message: 'Phải nêu lý do trả lại.' }]);
  await onIncoming(db, p, id, async (tx, doc, st) => {
    const a = pick(p, st, ['lead', 'co'], input.assignmentId);
    await setItems(tx, [a.id], { status: 'returned', returnReason: reason });
    await setItems(tx, openDescendants(st.items, a.id).map((x) => x.id), { status: 'cancelled' });
    let to: Record<string, unknown> = {};
    if (a.role === 'lead') {
      const c = containerOf(st.items, a);
      if (!c) {
        const leaderId = originOf(st.items, a).assignedBy;
        await setDoc(tx, doc.id, { status: 'presented', presentedTo: leaderId, updatedAt: ctx.now });
        to = { toUserId: leaderId, toName: await userName(tx, leaderId) };
      } else if (isOpen(c)) {
        await setItems(tx, [c.id], { status: 'pending' });
        to = { toAssignmentId: c.id, toUnitId: c.assigneeUnitId };
      }
    }
    await setDoc(tx, doc.id, { updatedAt: ctx.now });
    await recordStep(tx, ctx, doc, { action: 'returned', text: reason, detail: { assignmentId: a.id, role: a.role, ...to } });
  });
}

/** A child replacing `a` (hand-over to a person, forward to a unit); `a` keeps its history. */
async function replaceWithChild(tx: Tx, ctx: ActorContext, p: Principal, doc: DocumentRow, a: AssignmentRow, to: Assignee, status: 'handed_over' | 'forwarded', patch: { dueDate: string | null; instruction: string | null }) {
  const childId = newId();
  await setItems(tx, [a.id], { status });
  await tx.insert(assignments).values({
    id: childId,
    documentId: doc.id,
    unitId: doc.unitId,
    role: a.role,
    assigneeUserId: to.kind === 'user' ? to.id : null,
    assigneeUnitId: to.kind === 'unit' ? to.id : null,
    status: 'pending',
    dueDate: patch.dueDate,
    instruction: patch.instruction,
    urgent: a.urgent,
    parentId: a.id,
    assignedBy: p.userId,
    assignedAt: ctx.now,
  });
  await setDoc(tx, doc.id, { updatedAt: ctx.now });
  return childId;
}

const alreadyOpenFor = (st: DocState, who: Assignee) =>
  st.items.some((x) => isOpen(x) && (who.kind === 'user' ? x.assigneeUserId === who.id : x.assigneeUnitId === who.id));

export async function handOver(db: Db, p: Principal, id: string, input: { toUserId: string; note?: string | null; assignmentId?: string | null }, ctx: ActorContext): Promise<void> {
  await onIncoming(db, p, id, async (tx, doc, st) => {
    const a = pick(p, st, ['lead', 'co'], input.assignmentId, true);
    if (!a.assigneeUserId) throw conflict('Việc giao cho đơn vị: dùng chức năng phân công để giao cho cán bộ trong đơn vị.', 'unit-assignment');
    if (input.toUserId === p.userId) throw validationFailed([{ field: 'toUserId', message: 'Không thể chuyển cho chính mình.' }]);
    const unitId = workUnitOf(st.items, a, doc.unitId);
    const found = await resolveAssignees(tx, { id: unitId, path: st.paths.get(unitId)! }, [{ field: 'toUserId', id: input.toUserId }]);
    const to = found.get(input.toUserId)!;
    if (to.kind !== 'user') throw notFoundFields('Không tìm thấy cán bộ nhận bàn giao.', [{ field: 'toUserId', message: 'Không tìm thấy cán bộ trong đơn vị.' }]);
    if (alreadyOpenFor(st, to)) throw conflict(`${to.name} đang có việc trên văn bản này.`, 'already-assigned');
    const note = input.note?.trim().normalize('NFC') || null;
    const childId = await replaceWithChild(tx, ctx, p, doc, a, to, 'handed_over', { dueDate: a.dueDate, instruction: a.instruction });
    await recordStep(tx, ctx, doc, { action: 'handed_over', text: note, detail: { assignmentId: a.id, newAssignmentId: childId, role: a.role, toUserId: to.id, toName: to.name } });
  });
}

export async function forwardToUnit(db: Db, p: Principal, id: string, input: { unitId: string; note?: string | null; dueDate?: string | null; assignmentId?: string | null }, ctx: ActorContext): Promise<void> {
  await onIncoming(db, p, id, async (tx, doc, st) => {
    const a = pick(p, st, ['lead', 'co'], input.assignmentId);
    const e = dueError('dueDate', input.dueDate, localDate(ctx.now));
    if (e) throw validationFailed([e]);
    const baseId = workUnitOf(st.items, a, doc.unitId);
    const found = await resolveAssignees(tx, { id: baseId, path: st.paths.get(baseId)! }, [{ field: 'unitId', id: input.unitId }]);
    const to = found.get(input.unitId)!;
    if (to.kind !== 'unit') throw notFoundFields('Không tìm thấy đơn vị cấp dưới.', [{ field: 'unitId', message: 'Không tìm thấy đơn vị cấp dưới.' }]);
    if (alreadyOpenFor(st, to)) throw conflict(`${to.name} đang có việc trên văn bản này.`, 'already-assigned');
    await setItems(tx, openDescendants(st.items, a.id).map((x) => x.id), { status: 'cancelled' });
    const note = input.note?.trim().normalize('NFC') || null;
    const dueDate = input.dueDate ?? a.dueDate;
    const childId = await replaceWithChild(tx, ctx, p, doc, a, to, 'forwarded', { dueDate, instruction: note ?? a.instruction });
    await recordStep(tx, ctx, doc, { action: 'forwarded', text: note, detail: { assignmentId: a.id, newAssignmentId: childId, role: a.role, toUnitId: to.id, toName: to.name, dueDate } });
  });
}

export type CompleteInput = { note?: string | null; replyDocumentId?: string | null; assignmentId?: string | null };

export async function completeAssignment(db: Db, p: Principal, id: string, input: CompleteInput, ctx: ActorContext): Promise<void> {
  const note = input.note?.trim().normalize('NFC') || null;
  if (input.replyDocumentId) {
    const reply = await findDocument(db, input.replyDocumentId);
    if (!reply || reply.direction !== 'outgoing' || !(await canRead(db, p, reply))) {
      throw notFoundFields('Không tìm thấy văn bản trả lời.', [{ field: 'replyDocumentId', message: 'Không tìm thấy văn bản đi.' }]);
    }
  }
  await onIncoming(db, p, id, async (tx, doc, st) => {
    const [a] = myOpenItems(p, st.items, st.paths, { id: input.assignmentId ?? undefined });
    if (!a) throw forbidden('Bạn không có việc đang xử lý trên văn bản này.');
    if (!note && a.role !== 'info') throw validationFailed([{ field: 'note', message: 'Nhập kết quả xử lý.' }]);
    const done = { status: 'completed' as const, completedAt: ctx.now, resultNote: note, replyDocumentId: input.replyDocumentId ?? null };
    await setItems(tx, [a.id], done);
    // The lead's completion completes its container, up to the document itself.
    let cur: AssignmentRow = a;
    let documentCompleted = false;
    while (cur.role === 'lead') {
      const c = containerOf(st.items, cur);
      if (!c) {
        await setDoc(tx, doc.id, { status: 'completed', completedAt: ctx.now, updatedAt: ctx.now });
        await propagateToSender(tx, ctx, doc, 'done');
        documentCompleted = true;
        break;
      }
      if (!isOpen(c)) break;
      await setItems(tx, [c.id], done);
      cur = c;
    }
    if (!documentCompleted) await setDoc(tx, doc.id, { updatedAt: ctx.now });
    await recordStep(tx, ctx, doc, {
      action: 'completed',
      text: note,
      detail: { assignmentId: a.id, role: a.role, dueDate: a.dueDate, deadlineState: completionState(a.dueDate, ctx.now), replyDocumentId: input.replyDocumentId ?? null, documentCompleted },
    });
  });
}

/** Marks the document unread for the caller (any document they may read). */
export async function markUnread(db: Db, p: Principal, id: string): Promise<void> {
  const doc = await readableDocument(db, p, id);
  await db.delete(documentReads).where(and(eq(documentReads.documentId, doc.id), eq(documentReads.userId, p.userId)));
}
