import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/clock/index.js';
import { bearer, createTestApp, type TestContext } from '../../test/harness.js';
import { daysFrom, incomingBody } from './incoming-testkit.js';

/**
 * End to end through the other teams' endpoints: a document registered with POST
 * /api/documents/incoming, presented and assigned, is found by search, lands in the handler's inbox and
 * counters, in the register book and the statistics — and never reaches the other commune.
 */

const NOW = new Date('2026-03-10T02:00:00Z');
let t: TestContext;
const token: Record<string, string> = {};
const user: Record<string, string> = {};
let docId = '';
let arrivalNumber = 0;

const call = (who: string, method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) =>
  t.app.inject({ method, url, headers: bearer(token[who]), ...(payload ? { payload } : {}) });
const found = async (who: string, query: string) => {
  const res = await call(who, 'GET', `/api/documents?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().items as { id: string }[]).map((i) => i.id);
};

beforeAll(async () => {
  t = await createTestApp({ clock: fixedClock(NOW) });
  for (const u of ['vanthu.xa', 'chuyenvien.xa', 'lanhdao.xa', 'vanthu.xa2']) {
    user[u] = await t.userId(u);
    token[u] = await t.login(u);
  }
  const reg = await call('vanthu.xa', 'POST', '/api/documents/incoming', incomingBody(NOW, { typeCode: 'QD', codeNotation: 'QĐ-UBND', issuer: 'Ủy ban nhân dân tỉnh Thái Hòa', subject: 'Quyết định về việc đăng ký khai sinh lưu động năm 2026' }));
  expect(reg.statusCode, reg.body).toBe(201);
  docId = reg.json().id;
  arrivalNumber = reg.json().arrivalNumber;
  const present = await call('vanthu.xa', 'POST', `/api/documents/${docId}/present`, { leaderId: user['lanhdao.xa'] });
  expect(present.statusCode, present.body).toBeLessThan(300);
  const assign = await call('lanhdao.xa', 'POST', `/api/documents/${docId}/assign`, { leadUserId: user['chuyenvien.xa'], coHandlerIds: [], forInfoIds: [], dueDate: daysFrom(NOW, 1), instruction: 'Đề nghị đồng chí Nam chủ trì thực hiện.' });
  expect(assign.statusCode, assign.body).toBeLessThan(300);
});
afterAll(async () => t?.close());

describe('a registered and assigned document', () => {
  it('is found accent-insensitively by the clerk, the leader and the handler, never by the other commune', async () => {
    for (const who of ['vanthu.xa', 'lanhdao.xa', 'chuyenvien.xa']) expect(await found(who, 'q=quyet+dinh+khai+sinh'), who).toEqual([docId]);
    expect(await found('vanthu.xa2', 'q=quyet+dinh+khai+sinh')).toEqual([]);
    expect(await found('vanthu.xa2', 'box=all&pageSize=200')).toEqual([]);
  });
  it('is in the handler’s inbox, near due and unread, until opened', async () => {
    const inbox = (await call('chuyenvien.xa', 'GET', '/api/documents?box=assigned')).json();
    expect(inbox.items.map((i: { id: string }) => i.id)).toEqual([docId]);
    expect(inbox.items[0].myAssignment).toMatchObject({ role: 'lead', status: 'pending', deadlineState: 'near_due' });
    expect(inbox.items[0].read).toBe(false);
    expect((await call('chuyenvien.xa', 'GET', '/api/documents/counts')).json()).toMatchObject({ pending: 1, nearDue: 1, unread: 1 });
    expect((await call('chuyenvien.xa', 'GET', `/api/documents/${docId}`)).statusCode).toBe(200);
    expect((await call('chuyenvien.xa', 'GET', '/api/documents/counts')).json()).toMatchObject({ pending: 1, unread: 0 });
  });
  it('is in the incoming register with its arrival number and handler, and in the statistics', async () => {
    const period = `from=${daysFrom(NOW, -1)}&to=${daysFrom(NOW, 1)}`;
    const book = (await call('vanthu.xa', 'GET', `/api/registers/incoming?${period}`)).json();
    expect(book.entries).toHaveLength(1);
    expect(book.entries[0]).toMatchObject({ documentId: docId, arrivalNumber, author: 'Ủy ban nhân dân tỉnh Thái Hòa', recipient: 'Hoàng Văn Nam', arrivalDate: daysFrom(NOW, 0) });
    expect(book.entries[0].numberSymbol).toMatch(/\/QĐ-UBND$/);
    const stats = (await call('lanhdao.xa', 'GET', `/api/documents/statistics?${period}`)).json();
    expect(stats.totals).toEqual({ received: 1, onTime: 0, late: 0, open: 1, overdue: 0 });
    expect((await call('vanthu.xa2', 'GET', `/api/registers/incoming?${period}`)).json().entries).toEqual([]);
    expect((await call('vanthu.xa2', 'GET', `/api/documents/statistics?${period}`)).json().totals.received).toBe(0);
  });
});
