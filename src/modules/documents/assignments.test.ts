import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../core/db/index.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { type Api, api, daysFrom, expectProblem, registerDoc } from './incoming-testkit.js';

let t: TestContext;
let clerk: Api; // vanthu.xa, Tân An
let leader: Api; // lanhdao.xa
let specialist: Api; // chuyenvien.xa
let ids: { clerk: string; leader: string; specialist: string; tanAn: string; tanAnOffice: string; tanAnDesk: string; motcua: string };
const now = new Date();

beforeAll(async () => {
  t = await createTestApp();
  clerk = api(t, await t.login('vanthu.xa'));
  leader = api(t, await t.login('lanhdao.xa'));
  specialist = api(t, await t.login('chuyenvien.xa'));
  ids = {
    clerk: await t.userId('vanthu.xa'),
    leader: await t.userId('lanhdao.xa'),
    specialist: await t.userId('chuyenvien.xa'),
    motcua: await t.userId('motcua.xa'),
    tanAn: await t.unitId('000.01.31.H99'),
    tanAnOffice: await t.unitId('001.01.31.H99'),
    tanAnDesk: await t.unitId('002.01.31.H99'),
  };
});
afterAll(() => t.close());

type Detail = { status: string; allowedActions: string[]; assignments: { id: string; role: string; status: string; assigneeUserId: string | null; assigneeUnitId: string | null; dueDate: string | null; deadlineState: string; parentId: string | null; instruction: string | null; returnReason: string | null; resultNote: string | null }[]; timeline: { action: string; actorName: string | null; text: string | null; detail: Record<string, unknown> | null }[]; presentedTo: string | null; completedAt: string | null };

const detailOf = async (a: Api, id: string) => {
  const res = await a.get(`/api/documents/${id}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Detail;
};

describe('the journey: register → present → assign → progress → complete', () => {
  it('works end to end through the API, and the timeline shows every step', async () => {
    const { id, arrivalNumber } = await registerDoc(clerk, now, { dueDate: daysFrom(now, 10) });
    expect(arrivalNumber).toBeGreaterThan(0);
    expect((await detailOf(clerk, id)).allowedActions).toContain('present');

    let res = await clerk.post(`/api/documents/${id}/present`, { leaderId: ids.leader, note: 'Kính trình Chủ tịch' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'presented', presentedTo: ids.leader });
    expect((await detailOf(leader, id)).allowedActions).toEqual(expect.arrayContaining(['assign', 'unread']));

    const due = daysFrom(now, 7);
    res = await leader.post(`/api/documents/${id}/assign`, { leadUserId: ids.specialist, coHandlerIds: [], forInfoIds: [ids.clerk], dueDate: due, instruction: 'Giao đồng chí Nam chủ trì tham mưu báo cáo.' });
    expect(res.statusCode, res.body).toBe(200);
    const assigned = res.json() as Detail;
    expect(assigned.status).toBe('assigned');
    const lead = assigned.assignments.find((a) => a.role === 'lead')!;
    expect(lead).toMatchObject({ assigneeUserId: ids.specialist, status: 'pending', dueDate: due, instruction: 'Giao đồng chí Nam chủ trì tham mưu báo cáo.' });
    expect(assigned.assignments.find((a) => a.role === 'info')).toMatchObject({ assigneeUserId: ids.clerk, dueDate: null });

    const seen = await detailOf(specialist, id);
    expect(seen.allowedActions).toEqual(expect.arrayContaining(['progress', 'return', 'handover', 'forward', 'complete', 'unread']));
    expect(seen.allowedActions).not.toContain('assign');

    res = await specialist.post(`/api/documents/${id}/progress`, { note: 'Đang tổng hợp số liệu', percent: 40 });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().status).toBe('in_progress');

    res = await specialist.post(`/api/documents/${id}/complete`, { note: 'Đã gửi báo cáo' });
    expect(res.statusCode, res.body).toBe(200);
    const done = res.json() as Detail;
    expect(done.status).toBe('completed');
    expect(done.completedAt).toBeTruthy();
    expect(done.assignments.find((a) => a.role === 'lead')).toMatchObject({ status: 'completed', resultNote: 'Đã gửi báo cáo', deadlineState: 'done_on_time' });

    const timeline = (await detailOf(clerk, id)).timeline;
    expect(timeline.map((e) => e.action)).toEqual(['registered', 'presented', 'assigned', 'progress', 'completed']);
    expect(timeline.map((e) => e.actorName)).toEqual(['Phạm Thị Hoa', 'Phạm Thị Hoa', 'Đặng Văn Bình', 'Hoàng Văn Nam', 'Hoàng Văn Nam']);
    expect(timeline[2].text).toBe('Giao đồng chí Nam chủ trì tham mưu báo cáo.');
    expect(timeline[4].detail).toMatchObject({ documentCompleted: true, deadlineState: 'done_on_time' });
    const audit = await queryRows<{ action: string }>(t.database.db, sql`SELECT action FROM audit_log WHERE object_id = ${id} ORDER BY seq`);
    expect(audit.map((a) => a.action)).toEqual(['document.registered', 'document.presented', 'document.assigned', 'document.progress', 'document.completed']);
  });
});

export { expectProblem };
