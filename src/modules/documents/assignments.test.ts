import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/clock/index.js';
import { queryRows } from '../../core/db/index.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { type Api, api, daysFrom, expectProblem, registerDoc } from './incoming-testkit.js';

/** Assignment and handling of incoming documents through HTTP: who may do what, each step, deadlines. */

let t: TestContext;
const clock = fixedClock(new Date());
const now = clock.now();
let clerk: Api; // vanthu.xa, Tân An
let leader: Api; // lanhdao.xa
let specialist: Api; // chuyenvien.xa
let motcua: Api; // motcua.xa (one-stop officer of Tân An)
let deputy: Api; // phochutich.xa, deputy leader of Tân An (created here)
let ids: { clerk: string; leader: string; specialist: string; motcua: string; deputy: string; clerk2: string; tanAn: string; office: string; phuLoc: string };

beforeAll(async () => {
  t = await createTestApp({ clock });
  clerk = api(t, await t.login('vanthu.xa'));
  leader = api(t, await t.login('lanhdao.xa'));
  specialist = api(t, await t.login('chuyenvien.xa'));
  motcua = api(t, await t.login('motcua.xa'));
  const tanAn = await t.unitId('000.01.31.H99');
  const created = await api(t, await t.login('admin')).post('/api/officials', {
    username: 'phochutich.xa', fullName: 'Lý Văn Phó', positionTitle: 'Phó Chủ tịch UBND xã', unitId: tanAn, password: 'PhoChuTich#2026', roles: [{ unitId: tanAn, role: 'deputy_leader' }],
  });
  expect(created.statusCode, created.body).toBe(201);
  deputy = api(t, await t.login('phochutich.xa', 'PhoChuTich#2026'));
  ids = {
    clerk: await t.userId('vanthu.xa'),
    leader: await t.userId('lanhdao.xa'),
    specialist: await t.userId('chuyenvien.xa'),
    motcua: await t.userId('motcua.xa'),
    deputy: await t.userId('phochutich.xa'),
    clerk2: await t.userId('vanthu.xa2'),
    tanAn,
    office: await t.unitId('001.01.31.H99'),
    phuLoc: await t.unitId('000.02.31.H99'),
  };
});
afterAll(() => t.close());

type Assignment = { id: string; role: string; status: string; assigneeUserId: string | null; assigneeUnitId: string | null; dueDate: string | null; deadlineState: string; parentId: string | null; instruction: string | null; returnReason: string | null; resultNote: string | null; progressNote: string | null; progressPercent: number | null; replyDocumentId: string | null };
type Detail = { status: string; allowedActions: string[]; assignments: Assignment[]; timeline: { action: string; actorName: string | null; text: string | null; detail: Record<string, unknown> | null }[]; presentedTo: string | null; completedAt: string | null };

const detailOf = async (a: Api, id: string) => {
  const res = await a.get(`/api/documents/${id}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Detail;
};
const ok = async (p: Promise<{ statusCode: number; body: string; json(): unknown }>) => {
  const res = await p;
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Detail;
};
const assign = (a: Api, id: string, body: Record<string, unknown>) => a.post(`/api/documents/${id}/assign`, { instruction: 'Đề nghị xử lý theo quy định.', ...body });
const open = (d: Detail) => d.assignments.filter((a) => a.status === 'pending' || a.status === 'in_progress');
const assignedDoc = async (body: Record<string, unknown> = {}, over: Record<string, unknown> = {}) => {
  const { id } = await registerDoc(clerk, now, over);
  await ok(clerk.post(`/api/documents/${id}/present`, { leaderId: ids.leader }));
  const d = await ok(assign(leader, id, { leadUserId: ids.specialist, dueDate: daysFrom(now, 7), ...body }));
  return { id, d };
};

describe('the journey: register → present → assign → progress → complete', () => {
  it('works end to end through the API, and the timeline shows every step', async () => {
    const { id, arrivalNumber } = await registerDoc(clerk, now, { dueDate: daysFrom(now, 10) });
    expect(arrivalNumber).toBeGreaterThan(0);
    expect((await detailOf(clerk, id)).allowedActions).toEqual(['present', 'unread']);

    const presented = await ok(clerk.post(`/api/documents/${id}/present`, { leaderId: ids.leader, note: 'Kính trình Chủ tịch' }));
    expect(presented).toMatchObject({ status: 'presented', presentedTo: ids.leader });
    expect((await detailOf(leader, id)).allowedActions).toEqual(['assign', 'unread']);

    const due = daysFrom(now, 7);
    const assigned = await ok(assign(leader, id, { leadUserId: ids.specialist, forInfoIds: [ids.clerk], dueDate: due, instruction: 'Giao đồng chí Nam chủ trì tham mưu báo cáo.' }));
    expect(assigned.status).toBe('assigned');
    expect(assigned.assignments.find((a) => a.role === 'lead')).toMatchObject({ assigneeUserId: ids.specialist, status: 'pending', dueDate: due, instruction: 'Giao đồng chí Nam chủ trì tham mưu báo cáo.' });
    expect(assigned.assignments.find((a) => a.role === 'info')).toMatchObject({ assigneeUserId: ids.clerk, dueDate: null });

    const seen = await detailOf(specialist, id);
    expect(seen.allowedActions).toEqual(['progress', 'return', 'handover', 'forward', 'complete', 'unread']);
    expect((await detailOf(clerk, id)).allowedActions).toEqual(['complete', 'unread']); // for information only

    expect((await ok(specialist.post(`/api/documents/${id}/progress`, { note: 'Đang tổng hợp số liệu', percent: 40 }))).status).toBe('in_progress');
    const done = await ok(specialist.post(`/api/documents/${id}/complete`, { note: 'Đã gửi báo cáo' }));
    expect(done.status).toBe('completed');
    expect(done.completedAt).toBeTruthy();
    expect(done.assignments.find((a) => a.role === 'lead')).toMatchObject({ status: 'completed', resultNote: 'Đã gửi báo cáo', deadlineState: 'done_on_time', progressPercent: 40 });
    expect(done.allowedActions).toEqual(['unread']);

    const timeline = (await detailOf(clerk, id)).timeline;
    expect(timeline.map((e) => e.action)).toEqual(['registered', 'presented', 'assigned', 'progress', 'completed']);
    expect(timeline.map((e) => e.actorName)).toEqual(['Phạm Thị Hoa', 'Phạm Thị Hoa', 'Đặng Văn Bình', 'Hoàng Văn Nam', 'Hoàng Văn Nam']);
    expect(timeline.map((e) => e.text)).toEqual([null, 'Kính trình Chủ tịch', 'Giao đồng chí Nam chủ trì tham mưu báo cáo.', 'Đang tổng hợp số liệu', 'Đã gửi báo cáo']);
    expect(timeline[4].detail).toMatchObject({ documentCompleted: true, deadlineState: 'done_on_time' });
    const audit = await queryRows<{ action: string }>(t.database.db, sql`SELECT action FROM audit_log WHERE object_id = ${id} ORDER BY seq`);
    expect(audit.map((a) => a.action)).toEqual(['document.registered', 'document.presented', 'document.assigned', 'document.progress', 'document.completed']);
  });
});

describe('who may assign', () => {
  it('a leader of the unit (presented or not); not the clerk (403), not a specialist outside it (404)', async () => {
    const { id } = await registerDoc(clerk, now);
    expectProblem(await assign(clerk, id, { leadUserId: ids.specialist }), 403);
    expectProblem(await assign(specialist, id, { leadUserId: ids.specialist }), 404);
    const d = await ok(assign(deputy, id, { leadUserId: ids.specialist })); // a deputy leader, straight from 'registered'
    expect(d.status).toBe('assigned');
    expect((await detailOf(deputy, id)).allowedActions).toEqual(['reassign', 'unread']);
  });

  it('validates the assignment with field errors', async () => {
    const { id } = await registerDoc(clerk, now);
    const cases: [Record<string, unknown>, number, string][] = [
      [{}, 400, 'leadUserId'],
      [{ leadUserId: ids.specialist, leadUnitId: ids.office }, 400, 'leadUserId'],
      [{ leadUserId: ids.specialist, instruction: '  ' }, 400, 'instruction'],
      [{ leadUserId: ids.specialist, instruction: 'x'.repeat(2001) }, 400, 'instruction'],
      [{ leadUserId: ids.specialist, dueDate: daysFrom(now, -1) }, 400, 'dueDate'],
      [{ leadUserId: ids.specialist, dueDate: '2026-13-01' }, 400, 'dueDate'],
      [{ leadUserId: ids.specialist, coDueDate: daysFrom(now, -2) }, 400, 'coDueDate'],
      [{ leadUserId: ids.specialist, coHandlerIds: [ids.motcua], forInfoIds: [ids.motcua] }, 400, 'forInfoIds.0'],
      [{ leadUserId: ids.specialist, coHandlerIds: [ids.specialist] }, 400, 'coHandlerIds.0'],
      [{ leadUserId: ids.specialist, dueDates: { [ids.motcua]: daysFrom(now, 3) } }, 400, `dueDates.${ids.motcua}`],
      [{ leadUserId: ids.specialist, coHandlerIds: 'all' }, 400, 'coHandlerIds'],
      [{ leadUserId: 7 }, 400, 'leadUserId'],
      [{ leadUserId: ids.clerk2 }, 404, 'leadUserId'], // Phú Lộc's clerk
      [{ leadUserId: '01900000-0000-7000-8000-000000000000' }, 404, 'leadUserId'],
      [{ leadUserId: ids.office }, 404, 'leadUserId'], // a unit given as a person
      [{ leadUnitId: ids.specialist }, 404, 'leadUnitId'], // a person given as a unit
      [{ leadUnitId: ids.tanAn }, 404, 'leadUnitId'], // the document's own unit is not a handler
      [{ leadUnitId: ids.phuLoc }, 404, 'leadUnitId'],
      [{ leadUserId: ids.specialist, forInfoIds: [ids.phuLoc] }, 404, 'forInfoIds.0'],
    ];
    for (const [body, status, field] of cases) expectProblem(await assign(leader, id, body), status, field);
    expectProblem(await leader.raw(`/api/documents/${id}/assign`, '{"leadUserId": '), 400);
    expect((await detailOf(leader, id)).assignments).toEqual([]); // nothing half-done
  });

  it('assigns a subordinate unit as lead, with per-item deadlines and co-handlers', async () => {
    const { id } = await registerDoc(clerk, now, { urgency: 'flash' });
    const d = await ok(assign(leader, id, {
      leadUnitId: ids.office, coHandlerIds: [ids.specialist, ids.motcua], forInfoIds: [ids.clerk],
      dueDate: daysFrom(now, 5), coDueDate: daysFrom(now, 3), dueDates: { [ids.motcua]: daysFrom(now, 2), [ids.clerk]: daysFrom(now, 9) },
    }));
    const by = (who: string) => d.assignments.find((a) => a.assigneeUserId === who || a.assigneeUnitId === who)!;
    expect(by(ids.office)).toMatchObject({ role: 'lead', dueDate: daysFrom(now, 5) });
    expect(by(ids.specialist)).toMatchObject({ role: 'co', dueDate: daysFrom(now, 3) });
    expect(by(ids.motcua)).toMatchObject({ role: 'co', dueDate: daysFrom(now, 2) });
    expect(by(ids.clerk)).toMatchObject({ role: 'info', dueDate: daysFrom(now, 9) });
    const urgent = await queryRows<{ urgent: boolean }>(t.database.db, sql`SELECT urgent FROM assignments WHERE document_id = ${id}`);
    expect(urgent.every((a) => a.urgent)).toBe(true);
  });
});

describe('re-assignment', () => {
  it('cancels the open items and keeps the history; the replaced handler no longer sees the document', async () => {
    const { id } = await assignedDoc({ coHandlerIds: [ids.motcua] });
    await ok(specialist.post(`/api/documents/${id}/progress`, { note: 'Bắt đầu' }));
    await ok(motcua.post(`/api/documents/${id}/complete`, { note: 'Đã phối hợp xong' }));
    const d = await ok(assign(leader, id, { leadUserId: ids.deputy, instruction: 'Giao lại đồng chí Phó Chủ tịch.' }));
    expect(d.status).toBe('assigned');
    expect(d.assignments.map((a) => [a.role, a.assigneeUserId, a.status])).toEqual([
      ['lead', ids.specialist, 'cancelled'],
      ['co', ids.motcua, 'completed'],
      ['lead', ids.deputy, 'pending'],
    ]);
    expect(d.timeline.filter((e) => e.action === 'assigned').map((e) => e.detail?.cancelled)).toEqual([0, 1]);
    expectProblem(await specialist.get(`/api/documents/${id}`), 404);
    expectProblem(await specialist.post(`/api/documents/${id}/progress`, { note: 'Vẫn làm' }), 404);
    expect((await detailOf(motcua, id)).allowedActions).toEqual(['unread']); // completed item: history only
  });
});

describe('co-handlers and for-information recipients', () => {
  it('complete on their own without moving the document; for-information only acknowledges', async () => {
    const { id } = await assignedDoc({ coHandlerIds: [ids.motcua], forInfoIds: [ids.clerk] });
    expect((await ok(motcua.post(`/api/documents/${id}/progress`, { note: 'Đang phối hợp', percent: 50 }))).status).toBe('assigned');
    expect((await ok(motcua.post(`/api/documents/${id}/complete`, { note: 'Đã có ý kiến' }))).status).toBe('assigned');
    expectProblem(await clerk.post(`/api/documents/${id}/progress`, { note: 'x' }), 409);
    expectProblem(await clerk.post(`/api/documents/${id}/return`, { reason: 'Không liên quan' }), 409);
    expectProblem(await clerk.post(`/api/documents/${id}/handover`, { toUserId: ids.deputy }), 409);
    const acked = await ok(clerk.post(`/api/documents/${id}/complete`, {}));
    expect(acked.assignments.find((a) => a.role === 'info')).toMatchObject({ status: 'completed', resultNote: null });
    expect(acked.status).toBe('assigned');
    expectProblem(await specialist.post(`/api/documents/${id}/complete`, {}), 400, 'note');
    expectProblem(await specialist.post(`/api/documents/${id}/progress`, { note: 'x', percent: 101 }), 400, 'percent');
    expectProblem(await specialist.post(`/api/documents/${id}/progress`, { note: '' }), 400, 'note');
  });
});

describe('return', () => {
  it('needs a reason and sends the document back to the leader who assigned it', async () => {
    const { id } = await assignedDoc({ coHandlerIds: [ids.motcua] });
    expectProblem(await specialist.post(`/api/documents/${id}/return`, {}), 400, 'reason');
    expectProblem(await specialist.post(`/api/documents/${id}/return`, { reason: '   ' }), 400, 'reason');
    expectProblem(await specialist.post(`/api/documents/${id}/return`, { reason: 'r'.repeat(2001) }), 400, 'reason');
    expectProblem(await leader.post(`/api/documents/${id}/return`, { reason: 'Không phải việc của tôi' }), 403);
    const d = await ok(specialist.post(`/api/documents/${id}/return`, { reason: 'Không thuộc lĩnh vực được phân công' }));
    expect(d).toMatchObject({ status: 'presented', presentedTo: ids.leader });
    expect(d.assignments.find((a) => a.role === 'lead')).toMatchObject({ status: 'returned', returnReason: 'Không thuộc lĩnh vực được phân công' });
    expect(d.timeline.at(-1)).toMatchObject({ action: 'returned', text: 'Không thuộc lĩnh vực được phân công', detail: expect.objectContaining({ toUserId: ids.leader, toName: 'Đặng Văn Bình' }) });
    expect(d.allowedActions).toEqual(['unread']);
    expect((await detailOf(leader, id)).allowedActions).toEqual(['reassign', 'unread']); // the co-handler is still open
    const again = await ok(assign(leader, id, { leadUserId: ids.deputy }));
    expect(open(again).map((a) => a.assigneeUserId)).toEqual([ids.deputy]);
  });
});

describe('hand-over within the unit', () => {
  it('replaces the handler by a child item; the new handler works, the old one no longer can', async () => {
    const { id } = await assignedDoc({ forInfoIds: [ids.clerk] });
    expectProblem(await specialist.post(`/api/documents/${id}/handover`, { toUserId: ids.specialist }), 400, 'toUserId');
    expectProblem(await specialist.post(`/api/documents/${id}/handover`, { toUserId: ids.clerk2 }), 404, 'toUserId');
    expectProblem(await specialist.post(`/api/documents/${id}/handover`, { toUserId: ids.office }), 404, 'toUserId');
    expectProblem(await specialist.post(`/api/documents/${id}/handover`, { toUserId: ids.clerk }), 409);
    expectProblem(await specialist.post(`/api/documents/${id}/handover`, { note: 'thiếu người nhận' }), 400, 'toUserId');
    expectProblem(await leader.post(`/api/documents/${id}/handover`, { toUserId: ids.motcua }), 403);
    const d = await ok(specialist.post(`/api/documents/${id}/handover`, { toUserId: ids.motcua, note: 'Chuyển đồng chí Lan do đi công tác' }));
    const old = d.assignments.find((a) => a.assigneeUserId === ids.specialist)!;
    const child = d.assignments.find((a) => a.assigneeUserId === ids.motcua)!;
    expect(old.status).toBe('handed_over');
    expect(child).toMatchObject({ role: 'lead', status: 'pending', parentId: old.id, dueDate: old.dueDate, instruction: old.instruction });
    expect(d.timeline.at(-1)).toMatchObject({ action: 'handed_over', text: 'Chuyển đồng chí Lan do đi công tác', detail: expect.objectContaining({ toName: 'Vũ Thị Lan' }) });
    expectProblem(await specialist.post(`/api/documents/${id}/progress`, { note: 'x' }), 403);
    await ok(motcua.post(`/api/documents/${id}/progress`, { note: 'Đã nhận bàn giao' }));
    // a return by the new handler still goes back to the leader who assigned the chain
    const back = await ok(motcua.post(`/api/documents/${id}/return`, { reason: 'Cần ý kiến lãnh đạo' }));
    expect(back).toMatchObject({ status: 'presented', presentedTo: ids.leader });
  });
});

describe('completion', () => {
  it('links the outgoing reply and refuses what is not one', async () => {
    const { id } = await assignedDoc();
    const [reply] = await queryRows<{ id: string }>(t.database.db, sql`SELECT gen_random_uuid() AS id`);
    await t.database.db.execute(sql`INSERT INTO documents (id, unit_id, direction, status, type_code, subject, issuer_name, created_by, created_at, updated_at, search_text)
      VALUES (${reply.id}, ${ids.tanAn}, 'outgoing', 'draft', 'CV', 'Công văn trả lời', 'UBND xã Tân An', ${ids.specialist}, now(), now(), 'cong van tra loi')`);
    expectProblem(await specialist.post(`/api/documents/${id}/complete`, { note: 'x', replyDocumentId: id }), 404, 'replyDocumentId'); // incoming, not a reply
    expectProblem(await specialist.post(`/api/documents/${id}/complete`, { note: 'x', replyDocumentId: '01900000-0000-7000-8000-000000000000' }), 404, 'replyDocumentId');
    expectProblem(await specialist.post(`/api/documents/${id}/complete`, { note: 'x', replyDocumentId: 12 }), 400, 'replyDocumentId');
    const d = await ok(specialist.post(`/api/documents/${id}/complete`, { note: 'Đã trả lời bằng công văn', replyDocumentId: reply.id }));
    expect(d.assignments[0]).toMatchObject({ status: 'completed', replyDocumentId: reply.id });
    // a completed document takes no more handling
    expectProblem(await assign(leader, id, { leadUserId: ids.motcua }), 409);
    expectProblem(await specialist.post(`/api/documents/${id}/progress`, { note: 'x' }), 403);
    expectProblem(await clerk.post(`/api/documents/${id}/present`, { leaderId: ids.leader }), 409);
  });

});

describe('read / unread', () => {
  it('GET marks read, POST …/unread marks it unread again, for the caller only', async () => {
    const { id } = await assignedDoc();
    const reads = async () => (await queryRows<{ user_id: string }>(t.database.db, sql`SELECT user_id FROM document_reads WHERE document_id = ${id} ORDER BY user_id`)).map((r) => r.user_id);
    await detailOf(specialist, id);
    expect(await reads()).toContain(ids.specialist);
    const res = await specialist.post(`/api/documents/${id}/unread`, {});
    expect(res.statusCode, res.body).toBe(204);
    expect(await reads()).not.toContain(ids.specialist);
    expect(await reads()).toContain(ids.leader);
    expect((await specialist.post(`/api/documents/${id}/unread`)).statusCode).toBe(204); // no body at all is fine
    expectProblem(await motcua.post(`/api/documents/${id}/unread`, {}), 404);
  });
});

describe('every handling endpoint answers bad input with problem+json', () => {
  const ENDPOINTS = ['present', 'assign', 'progress', 'return', 'handover', 'forward', 'complete'];
  it.each(ENDPOINTS)('POST /api/documents/{id}/%s: malformed JSON 400, unknown or malformed id 404', async (op) => {
    const { id } = await registerDoc(clerk, now);
    expectProblem(await leader.raw(`/api/documents/${id}/${op}`, '{"x": [1, 2'), 400);
    expectProblem(await leader.raw(`/api/documents/${id}/${op}`, '"just a string"'), 400);
    const good: Record<string, unknown> = { present: { leaderId: ids.leader }, assign: { leadUserId: ids.specialist, instruction: 'x' }, progress: { note: 'x' }, return: { reason: 'x' }, handover: { toUserId: ids.motcua }, forward: { unitId: ids.office }, complete: { note: 'x' } };
    expectProblem(await leader.post(`/api/documents/01900000-0000-7000-8000-000000000000/${op}`, good[op]), 404);
    expectProblem(await leader.post(`/api/documents/not-an-id/${op}`, good[op]), 404);
  });
});

describe('deadline outcomes (the clock moves three days: this block runs last)', () => {
  it('keeps the deadline outcome: late when completed after the due date, on time on the day', async () => {
    const late = await assignedDoc({ dueDate: daysFrom(now, 1) });
    const onTime = await assignedDoc({ dueDate: daysFrom(now, 3) });
    clock.advance(3 * 86_400_000);
    try {
      specialist = api(t, await t.login('chuyenvien.xa')); // three days on, sign in again
      expect((await detailOf(specialist, late.id)).assignments[0].deadlineState).toBe('overdue');
      const d1 = await ok(specialist.post(`/api/documents/${late.id}/complete`, { note: 'Xong muộn' }));
      expect(d1.assignments[0].deadlineState).toBe('done_late');
      expect(d1.timeline.at(-1)?.detail).toMatchObject({ deadlineState: 'done_late', dueDate: daysFrom(now, 1) });
      const d2 = await ok(specialist.post(`/api/documents/${onTime.id}/complete`, { note: 'Xong đúng hạn' }));
      expect(d2.assignments[0].deadlineState).toBe('done_on_time');
    } finally {
      clock.set(now);
    }
  });
});
