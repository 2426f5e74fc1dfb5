import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/clock/index.js';
import type { Db } from '../../core/db/index.js';
import { newId } from '../../core/ids/index.js';
import { bearer, createTestApp, type TestContext } from '../../test/harness.js';
import { numberSymbolOf } from './detail.js';
import { assignments, documentReads, documentRecipients, documentReviews, documents } from './schema.js';
import { buildSearchText } from './text.js';

/**
 * The personal inbox (GET /api/documents?box=assigned) and its counters (GET /api/documents/counts),
 * with the contract's semantics, at a fixed "now": 10/03/2026 09:00 in Hà Nội.
 */

type DocInput = Partial<typeof documents.$inferInsert> & { unitId: string; subject: string; createdBy: string };
let seq = 0;
async function insertDoc(db: Db, f: DocInput): Promise<string> {
  const id = newId();
  const createdAt = f.createdAt ?? new Date(Date.UTC(2026, 0, 1) + ++seq * 60_000);
  const issuerName = f.issuerName ?? 'Sở Nội vụ';
  const numberSymbol = numberSymbolOf({ codeNumber: f.codeNumber ?? null, codeNotation: f.codeNotation ?? null });
  await db.insert(documents).values({ id, direction: 'incoming', status: 'assigned', typeCode: 'CV', createdAt, updatedAt: createdAt, ...f, issuerName, searchText: buildSearchText({ unitId: f.unitId, subject: f.subject, numberSymbol, issuerName }) });
  return id;
}
async function assign(db: Db, documentId: string, unitId: string, who: { userId?: string; unitId?: string }, f: Partial<typeof assignments.$inferInsert> = {}): Promise<string> {
  const id = newId();
  await db.insert(assignments).values({ id, documentId, unitId, role: 'lead', assigneeUserId: who.userId ?? null, assigneeUnitId: who.unitId ?? null, assignedBy: f.assignedBy ?? unitId, assignedAt: new Date(Date.UTC(2026, 1, 1) + ++seq * 60_000), ...f });
  return id;
}

let t: TestContext;
const token: Record<string, string> = {};
const user: Record<string, string> = {};
const d: Record<string, string> = {};
const a: Record<string, string> = {};

type Item = { id: string; urgency: string; read: boolean; myAssignment: { id: string; role: string; status: string; dueDate: string | null; deadlineState: string } | null };
const inbox = async (who: string, query = '') => {
  const res = await t.app.inject({ method: 'GET', url: `/api/documents?box=assigned${query}`, headers: bearer(token[who]) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { items: Item[]; total: number; nextCursor: string | null };
};
const ids = async (who: string, query = '') => (await inbox(who, query)).items.map((i) => i.id);
const counts = async (who: string) => {
  const res = await t.app.inject({ method: 'GET', url: '/api/documents/counts', headers: bearer(token[who]) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

const clock = fixedClock(new Date('2026-03-10T02:00:00Z'));
beforeAll(async () => {
  t = await createTestApp({ clock });
  for (const u of ['vanthu.xa', 'chuyenvien.xa', 'lanhdao.xa', 'vanthu.xa2', 'vanthu.tinh']) {
    user[u] = await t.userId(u);
    token[u] = await t.login(u);
  }
  const db = t.database.db;
  const tanAn = await t.unitId('000.01.31.H99');
  const phuLoc = await t.unitId('000.02.31.H99');
  const C = { userId: user['chuyenvien.xa'] };
  const by = { assignedBy: user['lanhdao.xa'] };
  const doc = (subject: string, extra: Partial<DocInput> = {}) => insertDoc(db, { unitId: tanAn, createdBy: user['vanthu.xa'], subject, ...extra });

  d.onTrack = await doc('Kế hoạch tổ chức lễ hội mùa xuân');
  a.onTrack = await assign(db, d.onTrack, tanAn, C, { ...by, dueDate: '2026-03-20' });
  d.urgent = await doc('Công văn hỏa tốc về phòng chống bão', { urgency: 'flash' });
  a.urgent = await assign(db, d.urgent, tanAn, C, { ...by, dueDate: '2026-03-11', urgent: true });
  d.overdue = await doc('Báo cáo tình hình giải ngân vốn đầu tư', { status: 'in_progress' });
  a.overdue = await assign(db, d.overdue, tanAn, C, { ...by, dueDate: '2026-03-05', status: 'in_progress' });
  d.onTime = await doc('Thông báo lịch tiếp công dân', { status: 'completed', completedAt: new Date('2026-03-01T10:00:00Z') });
  a.onTime = await assign(db, d.onTime, tanAn, C, { ...by, dueDate: '2026-03-02', status: 'completed', completedAt: new Date('2026-03-01T10:00:00Z') });
  // 02/03 18:00 UTC is already 03/03 in Hà Nội: late by the local date.
  d.late = await doc('Tờ trình phê duyệt dự toán', { status: 'completed', completedAt: new Date('2026-03-02T18:00:00Z') });
  a.late = await assign(db, d.late, tanAn, C, { ...by, dueDate: '2026-03-02', status: 'completed', completedAt: new Date('2026-03-02T18:00:00Z') });
  // Not in the inbox any more: handed over, cancelled, or the document was recalled.
  d.handedOver = await doc('Văn bản đã chuyển cho người khác');
  await assign(db, d.handedOver, tanAn, C, { ...by, status: 'handed_over' });
  d.cancelled = await doc('Văn bản giao lại cho người khác');
  await assign(db, d.cancelled, tanAn, C, { ...by, status: 'cancelled' });
  d.recalled = await doc('Văn bản đã bị thu hồi', { status: 'recalled' });
  await assign(db, d.recalled, tanAn, C, { ...by, status: 'pending', documentRecalled: true }); // as recall.ts marks them
  // Addressed to the commune itself: in the inbox of its leader and its clerk, not of the specialist.
  d.toUnit = await doc('Công văn giao Ủy ban nhân dân xã chủ trì');
  a.toUnit = await assign(db, d.toUnit, tanAn, { unitId: tanAn }, { ...by, dueDate: '2026-03-09' });
  // The queues: presented to the leader, a draft waiting for the leader's review, a delivery arrived at the commune.
  await doc('Văn bản trình lãnh đạo cho ý kiến', { status: 'presented', presentedTo: user['lanhdao.xa'] });
  const draft = await doc('Dự thảo quyết định', { direction: 'outgoing', status: 'in_review', createdBy: user['chuyenvien.xa'] });
  await db.insert(documentReviews).values({ id: newId(), documentId: draft, round: 1, step: 1, kind: 'approve', reviewerUserId: user['lanhdao.xa'], status: 'pending' });
  const sent = await insertDoc(db, { unitId: phuLoc, createdBy: user['vanthu.xa2'], direction: 'outgoing', status: 'issued', subject: 'Công văn gửi xã Tân An' });
  await db.insert(documentRecipients).values({ id: newId(), documentId: sent, kind: 'unit', unitId: tanAn, receivingUnitId: tanAn, name: 'Ủy ban nhân dân xã Tân An', status: 'arrived', updatedAt: new Date() });
  // Phú Lộc's own inbox item.
  d.phuLoc = await insertDoc(db, { unitId: phuLoc, createdBy: user['vanthu.xa2'], subject: 'Công văn của xã Phú Lộc' });
  await assign(db, d.phuLoc, phuLoc, { userId: user['vanthu.xa2'] }, { dueDate: '2026-03-01' });
  // The specialist has opened one of them.
  await db.insert(documentReads).values({ documentId: d.onTrack, userId: user['chuyenvien.xa'], readAt: new Date() });
});
afterAll(async () => t?.close());

describe('the inbox (box=assigned)', () => {
  it('lists the person’s current items, urgent first, then the newest assignment', async () => {
    const r = await inbox('chuyenvien.xa');
    expect(r.items.map((i) => i.id)).toEqual([d.urgent, d.late, d.onTime, d.overdue, d.onTrack]);
    expect(r.total).toBe(5);
  });
  it('fills myAssignment with the handling state of the caller’s item, and read/unread', async () => {
    const items = (await inbox('chuyenvien.xa')).items;
    const by = Object.fromEntries(items.map((i) => [i.id, i]));
    expect(by[d.urgent].myAssignment).toEqual({ id: a.urgent, role: 'lead', status: 'pending', dueDate: '2026-03-11', deadlineState: 'near_due' });
    expect(by[d.overdue].myAssignment?.deadlineState).toBe('overdue');
    expect(by[d.onTime].myAssignment?.deadlineState).toBe('done_on_time');
    expect(by[d.late].myAssignment?.deadlineState).toBe('done_late');
    expect(by[d.onTrack].myAssignment?.deadlineState).toBe('on_track');
    expect(by[d.onTrack].read).toBe(true);
    expect(by[d.urgent].read).toBe(false);
  });
  it('filters by handling state', async () => {
    expect(await ids('chuyenvien.xa', '&state=pending')).toEqual([d.urgent, d.onTrack]);
    expect(await ids('chuyenvien.xa', '&state=in_progress')).toEqual([d.overdue]);
    expect(await ids('chuyenvien.xa', '&state=near_due')).toEqual([d.urgent]);
    expect(await ids('chuyenvien.xa', '&state=overdue')).toEqual([d.overdue]);
    expect(await ids('chuyenvien.xa', '&overdue=true')).toEqual([d.overdue]);
    expect(await ids('chuyenvien.xa', '&state=done')).toEqual([d.late, d.onTime]);
  });
  it('searches within the inbox, accent-insensitively', async () => {
    expect(await ids('chuyenvien.xa', `&q=${encodeURIComponent('phong chong bao')}`)).toEqual([d.urgent]);
    expect(await ids('chuyenvien.xa', `&q=${encodeURIComponent('giải ngân')}&state=overdue`)).toEqual([d.overdue]);
  });
  it('pages by keyset in inbox order', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 5 && (i === 0 || cursor); i++) {
      const r = await inbox('chuyenvien.xa', `&pageSize=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...r.items.map((x) => x.id));
      cursor = r.nextCursor;
    }
    expect(seen).toEqual([d.urgent, d.late, d.onTime, d.overdue, d.onTrack]);
    // A cursor of the document lists is not an inbox cursor.
    const list = await t.app.inject({ method: 'GET', url: '/api/documents?box=incoming&pageSize=1', headers: bearer(token['vanthu.xa']) });
    const wrong = await t.app.inject({ method: 'GET', url: `/api/documents?box=assigned&cursor=${list.json().nextCursor}`, headers: bearer(token['chuyenvien.xa']) });
    expect(wrong.statusCode).toBe(400);
  });
  it('unit-addressed items land with the unit’s leader and clerk', async () => {
    expect(await ids('lanhdao.xa')).toEqual([d.toUnit]);
    expect(await ids('vanthu.xa')).toEqual([d.toUnit]);
    expect((await inbox('lanhdao.xa')).items[0].myAssignment).toMatchObject({ id: a.toUnit, deadlineState: 'overdue' });
  });
  it('isolation: no one sees another commune’s inbox items', async () => {
    expect(await ids('vanthu.xa2')).toEqual([d.phuLoc]);
    expect(await ids('vanthu.tinh')).toEqual([]);
    expect((await ids('chuyenvien.xa')).includes(d.phuLoc)).toBe(false);
  });
  it('rejects an unknown state', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/documents?box=assigned&state=late', headers: bearer(token['chuyenvien.xa']) });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { field: string }) => e.field)).toContain('query.state');
  });
});

describe('inbox counts', () => {
  it('counts the specialist’s items by state, deadline and reading', async () => {
    expect(await counts('chuyenvien.xa')).toEqual({ pending: 2, inProgress: 1, nearDue: 1, overdue: 1, doneOnTime: 1, doneLate: 1, unread: 4, toAssign: 0, toReview: 0, toAccept: 0 });
  });
  it('counts the leader’s queues: to assign and to review', async () => {
    expect(await counts('lanhdao.xa')).toEqual({ pending: 1, inProgress: 0, nearDue: 0, overdue: 1, doneOnTime: 0, doneLate: 0, unread: 1, toAssign: 1, toReview: 1, toAccept: 0 });
  });
  it('counts the clerk’s deliveries to accept, and nothing of the other commune', async () => {
    expect(await counts('vanthu.xa')).toMatchObject({ pending: 1, toAccept: 1, toAssign: 0 });
    expect(await counts('vanthu.xa2')).toEqual({ pending: 1, inProgress: 0, nearDue: 0, overdue: 1, doneOnTime: 0, doneLate: 0, unread: 1, toAssign: 0, toReview: 0, toAccept: 0 });
    expect(await counts('vanthu.tinh')).toEqual({ pending: 0, inProgress: 0, nearDue: 0, overdue: 0, doneOnTime: 0, doneLate: 0, unread: 0, toAssign: 0, toReview: 0, toAccept: 0 });
  });
  it('needs a session', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/documents/counts' })).statusCode).toBe(401);
  });
});

describe('near due in working days of the person’s unit calendar (2 by default)', () => {
  const near = async (who: string) => (await inbox(who, '&state=near_due')).items.map((i) => i.myAssignment?.dueDate).sort();
  it('over a weekend: on Friday, items due Monday and Tuesday are near due, Wednesday is not', async () => {
    const db = t.database.db;
    const province = await t.unitId('000.00.00.H99');
    const me = { userId: user['vanthu.tinh'] };
    for (const due of ['2026-03-16', '2026-03-17', '2026-03-18', '2026-02-23', '2026-02-24', '2026-02-25']) {
      await assign(db, await insertDoc(db, { unitId: province, createdBy: user['vanthu.tinh'], subject: `Công văn hạn ${due}` }), province, me, { dueDate: due });
    }
    clock.set(new Date('2026-03-13T02:00:00Z')); // Friday 13/03/2026 09:00
    token['vanthu.tinh'] = await t.login('vanthu.tinh');
    expect(await counts('vanthu.tinh')).toMatchObject({ pending: 6, nearDue: 2, overdue: 3 });
    expect(await near('vanthu.tinh')).toEqual(['2026-03-16', '2026-03-17']);
    const states = Object.fromEntries((await inbox('vanthu.tinh')).items.map((i) => [i.myAssignment?.dueDate, i.myAssignment?.deadlineState]));
    expect(states).toMatchObject({ '2026-03-16': 'near_due', '2026-03-17': 'near_due', '2026-03-18': 'on_track', '2026-02-25': 'overdue' });
  });
  it('over Tết (14–22/02/2026): on the Friday before, items due 23 and 24/02 are near due, 25/02 is not', async () => {
    clock.set(new Date('2026-02-13T02:00:00Z')); // Friday 13/02/2026 09:00
    token['vanthu.tinh'] = await t.login('vanthu.tinh');
    expect(await counts('vanthu.tinh')).toMatchObject({ nearDue: 2, overdue: 0 });
    expect(await near('vanthu.tinh')).toEqual(['2026-02-23', '2026-02-24']);
  });
  it('takes N from the setting (nearDueDays of the digest settings)', async () => {
    const admin = await t.login('admin');
    const put = await t.app.inject({ method: 'PUT', url: '/api/settings/digest', headers: bearer(admin), payload: { enabled: true, time: '07:00', nearDueDays: 1 } });
    expect(put.statusCode, put.body).toBe(200);
    expect(await counts('vanthu.tinh')).toMatchObject({ nearDue: 1 });
    expect(await near('vanthu.tinh')).toEqual(['2026-02-23']);
    clock.set(new Date('2026-03-10T02:00:00Z'));
  });
});
