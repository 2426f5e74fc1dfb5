import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../core/db/index.js';
import { eventFor } from '../notifications/index.js';
import { signCallback } from '../payments/index.js';
import { CODES, counterBody, createDossierApp, type DossierTestApp, expectProblem, pdfOf, TUESDAY_9AM, UNITS } from './testing.js';

/**
 * Status 6 (chờ thực hiện nghĩa vụ tài chính): the handler asks for the fee and the clock pauses; a payment through
 * LienThong (cash at the desk, the test gateway's callback) or the officer's word for one made outside it brings the
 * dossier back where it was, with the due date moved by the working time it waited.
 */

const SECRET = 'lienthong-cong-thanh-toan-thu-nghiem'; // the test app's PAYMENT_TEST_SECRET
let h: DossierTestApp;
let marriage: string; // 5 working days when checks are needed; free, so the officer sets the amount
let extract: string; // 8.000 đ
let tanAn: string;
const local = (iso: string) => new Date(`${iso}+07:00`);
const act = async (user: string, id: string, action: string, body: Record<string, unknown> = {}) => h.api(await h.token(user), 'POST', `/api/dossiers/${id}/actions/${action}`, body);
const get = async (user: string, id: string) => (await h.api(await h.token(user), 'GET', `/api/dossiers/${id}`)).body;
const feePaidCount = async (id: string) =>
  (await queryRows<{ n: number }>(h.t.database.db, sql`SELECT count(*)::int AS n FROM dossier_actions WHERE dossier_id = ${id} AND action = 'fee-paid'`))[0].n;

/** A marriage dossier needing checks, received Tuesday 10/03/2026 09:00 (due Tuesday 17/03 17:00) and handed to the specialist. */
async function inProcessing(): Promise<string> {
  h.at(TUESDAY_9AM);
  const r = await h.api(await h.token('motcua.xa'), 'POST', '/api/dossiers', { ...counterBody(marriage, { caseId: 'th2' }), documents: [{ index: 0, fileIds: [] }, { index: 1, fileIds: [] }] });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  const f = await act('motcua.xa', r.body.id, 'forward', { toUserId: await h.t.userId('chuyenvien.xa') });
  expect(f.status, JSON.stringify(f.body)).toBe(200);
  expect(f.body.dueAt).toBe(local('2026-03-17T17:00:00').toISOString());
  return r.body.id;
}

beforeAll(async () => {
  h = await createDossierApp(TUESDAY_9AM);
  marriage = await h.procedure(CODES.marriage);
  extract = await h.procedure(CODES.extract);
  tanAn = await h.t.unitId(UNITS.tanAn);
}, 240_000);
afterAll(async () => h?.t.close());

describe('request-fee (→ 6) and cash at the desk (→ back to 4)', () => {
  let id: string;
  it('is the holder’s, needs a reason and an amount; pauses the clock; tells the citizen', async () => {
    id = await inProcessing();
    h.at(local('2026-03-10T10:00:00'));
    expectProblem(await act('chuyenvien.xa', id, 'request-fee', { feeAmount: 50_000 }), 400, 'reason');
    expectProblem(await act('chuyenvien.xa', id, 'request-fee', { reason: 'Lệ phí' }), 400, 'feeAmount'); // a free procedure: the amount must be set
    expectProblem(await act('chuyenvien.xa', id, 'request-fee', { reason: 'Lệ phí', feeAmount: -5 }), 400);
    expectProblem(await act('lanhdao.xa', id, 'request-fee', { reason: 'Lệ phí', feeAmount: 50_000 }), 403); // not the holder
    expect((await get('motcua.xa', id)).statusCode).toBe(4);
    const obligation = 'Lệ phí đăng ký kết hôn có yếu tố nước ngoài theo Nghị quyết của HĐND tỉnh';
    const r = await act('chuyenvien.xa', id, 'request-fee', { reason: obligation, feeAmount: 50_000 });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ statusCode: 6, status: 'Chờ thực hiện nghĩa vụ tài chính', dueState: 'paused', pausedAt: local('2026-03-10T10:00:00').toISOString(), fee: { amount: 50_000, label: obligation } });
    expect(r.body.history.at(-1)).toMatchObject({ action: 'request-fee', label: 'Yêu cầu thực hiện nghĩa vụ tài chính', fromStatus: 4, toStatus: 6, reason: obligation, detail: { feeAmount: 50_000, paid: 0, outstanding: 50_000, previousFeeAmount: 0 } });
    expect(r.body.allowedActions).toEqual(expect.arrayContaining(['fee-paid']));
    expect(r.body.allowedActions).not.toContain('forward');
    // Paused: not overdue, whatever the time.
    h.at(local('2026-03-18T09:00:00'));
    expect((await get('motcua.xa', id)).dueState).toBe('paused');
    // The citizen is told (the SMS template of status 6, rendered).
    const sms = await queryRows<{ payload: { text?: string } }>(h.t.database.db, sql`SELECT payload FROM outbox WHERE kind = 'sms' AND payload::text LIKE '%cho nop phi%'`);
    expect(sms.length).toBeGreaterThan(0);
    expect(JSON.stringify(sms[0].payload)).toContain(r.body.code);
    // The public lookup shows the status.
    const pub = await h.t.app.inject({ method: 'GET', url: `/api/public/dossiers/${r.body.code}` });
    expect(pub.json()).toMatchObject({ statusCode: 6, status: 'Chờ thực hiện nghĩa vụ tài chính' });
  });

  it('cash at the desk two working days later: back to 4, due date two working days later, once', async () => {
    h.at(local('2026-03-12T10:00:00'));
    const cash = await h.api(await h.token('motcua.xa'), 'POST', `/api/dossiers/${id}/payments`, { method: 'cash' });
    expect(cash.status, JSON.stringify(cash.body)).toBe(201);
    expect(cash.body.payment).toMatchObject({ amount: 50_000, status: 'paid' });
    const d = await get('motcua.xa', id);
    expect(d).toMatchObject({ statusCode: 4, pausedAt: null, dueAt: local('2026-03-19T17:00:00').toISOString(), holder: { userName: 'Hoàng Văn Nam' } });
    expect(d.history.at(-1)).toMatchObject({ action: 'fee-paid', fromStatus: 6, toStatus: 4, actorKind: 'system', detail: { waitedWorkingMinutes: 16 * 60, previousDueAt: local('2026-03-17T17:00:00').toISOString() } });
    expect(d.history.at(-1).reason).toContain(cash.body.payment.receiptNumber);
    expect(await feePaidCount(id)).toBe(1);
  });

  it('refuses to ask again for what is paid (409); a larger amount is the outstanding rest', async () => {
    expectProblem(await act('chuyenvien.xa', id, 'request-fee', { reason: 'Lệ phí' }), 409);
    const again = await act('chuyenvien.xa', id, 'request-fee', { reason: 'Lệ phí', feeAmount: 50_000 });
    expectProblem(again, 409);
    expect(again.body.detail).toContain('50.000 đồng');
    expect((await get('motcua.xa', id)).statusCode).toBe(4);
    const more = await act('chuyenvien.xa', id, 'request-fee', { reason: 'Phí thẩm định bổ sung', feeAmount: 70_000 });
    expect(more.status, JSON.stringify(more.body)).toBe(200);
    expect(more.body.history.at(-1).detail).toMatchObject({ feeAmount: 70_000, paid: 50_000, outstanding: 20_000, previousFeeAmount: 50_000 });
  });
});

describe('online payment through the test gateway', () => {
  it('the signed callback brings the dossier back to 2 and moves the due date; the same callback again does nothing', async () => {
    h.at(TUESDAY_9AM);
    const citizen = await h.token('congdan');
    const scan = await h.upload(citizen, await pdfOf(1), 'to-khai.pdf');
    const created = await h.api(citizen, 'POST', '/api/dossiers', { procedureId: extract, channel: 'online', unitId: tanAn, documents: [{ index: 0, fileIds: [scan] }], fileIds: [] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id;
    const accepted = await act('motcua.xa', id, 'accept');
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    const firstDue = accepted.body.dueAt as string;
    h.at(local('2026-03-10T10:00:00'));
    const r = await act('motcua.xa', id, 'request-fee', { reason: 'Lệ phí cấp bản sao trích lục hộ tịch' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ statusCode: 6, fee: { amount: 8000 } });
    // Citizen pays a working day later (Wednesday 10:00): 8 working hours waited.
    h.at(local('2026-03-11T10:00:00'));
    const start = await h.api(await h.token('congdan'), 'POST', `/api/dossiers/${id}/payments`, { method: 'online' });
    expect(start.status, JSON.stringify(start.body)).toBe(201);
    const ref = start.body.payment.providerRef as string;
    const pay = await h.t.app.inject({ method: 'POST', url: `/cong-thanh-toan-thu-nghiem/${ref}`, payload: 'choice=pay', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(pay.statusCode).toBe(303);
    const d = await get('motcua.xa', id);
    expect(d.statusCode).toBe(2);
    expect(d.pausedAt).toBeNull();
    expect(d.history.at(-1)).toMatchObject({ action: 'fee-paid', fromStatus: 6, toStatus: 2, detail: { waitedWorkingMinutes: 8 * 60, previousDueAt: firstDue } });
    expect(new Date(d.dueAt).getTime()).toBeGreaterThan(new Date(firstDue).getTime());
    expect(d.dueAt).toBe(d.history.at(-1).detail.dueAt);
    // Back to 2 is not a new receipt: the citizen is not told "received" twice.
    expect(eventFor('fee-paid', 6, 2)).toBeNull();
    expect(eventFor('accept', 1, 2)).toBe('received');
    expect(eventFor('request-fee', 4, 6)).toBe('awaiting_payment');
    // The gateway sends it again (and once more, later): nothing moves twice.
    h.at(local('2026-03-12T10:00:00'));
    const again = await h.t.app.inject({ method: 'POST', url: '/api/payments/callback/test', payload: { ref, status: 'paid', amount: 8000, signature: signCallback(SECRET, ref, 'paid', 8000) } });
    expect(again.json()).toEqual({ status: 'paid', duplicate: true });
    const after = await get('motcua.xa', id);
    expect(after).toMatchObject({ statusCode: 2, dueAt: d.dueAt });
    expect(after.history).toHaveLength(d.history.length);
    expect(await feePaidCount(id)).toBe(1);
  });
});

describe('fee-paid by the officer (paid outside LienThong)', () => {
  it('needs the receipt as reason and the holder; resumes and books the fee as paid', async () => {
    const id = await inProcessing();
    h.at(local('2026-03-10T10:00:00'));
    expect((await act('chuyenvien.xa', id, 'request-fee', { reason: 'Lệ phí trước bạ theo thông báo của cơ quan thuế', feeAmount: 120_000 })).status).toBe(200);
    h.at(local('2026-03-11T10:00:00'));
    expectProblem(await act('chuyenvien.xa', id, 'fee-paid', {}), 400, 'reason');
    expectProblem(await act('lanhdao.xa', id, 'fee-paid', { reason: 'Biên lai KB 0012345' }), 403);
    const r = await act('chuyenvien.xa', id, 'fee-paid', { reason: 'Giấy nộp tiền vào NSNN số 0012345 ngày 11/03/2026' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ statusCode: 4, pausedAt: null, dueAt: local('2026-03-18T17:00:00').toISOString() });
    expect(r.body.history.at(-1)).toMatchObject({ action: 'fee-paid', actorKind: 'official', detail: { waitedWorkingMinutes: 8 * 60 } });
    const list = await h.api(await h.token('motcua.xa'), 'GET', `/api/dossiers/${id}/payments`);
    expect(list.body.payments).toEqual([expect.objectContaining({ provider: 'external', amount: 120_000, status: 'paid', receiptNumber: 'Giấy nộp tiền vào NSNN số 0012345 ngày 11/03/2026' })]);
    expectProblem(await h.api(await h.token('motcua.xa'), 'POST', `/api/dossiers/${id}/payments`, { method: 'cash' }), 409);
  });
  it('the receiving desk may record it too while a specialist holds the dossier (the citizen pays at the counter)', async () => {
    const id = await inProcessing();
    h.at(local('2026-03-10T10:00:00'));
    expect((await act('chuyenvien.xa', id, 'request-fee', { reason: 'Phí thẩm định theo Nghị quyết của HĐND tỉnh', feeAmount: 30_000 })).status).toBe(200);
    const waiting = await get('motcua.xa', id);
    expect(waiting.holder).toMatchObject({ userName: 'Hoàng Văn Nam' });
    expect(waiting.allowedActions).toContain('fee-paid');
    h.at(local('2026-03-10T14:00:00'));
    const r = await act('motcua.xa', id, 'fee-paid', { reason: 'Biên lai thu phí số 0000123 ngày 10/03/2026' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ statusCode: 4, pausedAt: null, holder: { userName: 'Hoàng Văn Nam' } });
    expect(r.body.history.at(-1)).toMatchObject({ action: 'fee-paid', actorKind: 'official', reason: 'Biên lai thu phí số 0000123 ngày 10/03/2026' });
  });
});

describe('statistics', () => {
  it('count dossiers waiting for their fee as in process, and fee pauses not as supplement requests', async () => {
    h.at(local('2026-03-31T16:00:00'));
    const r = await h.api(await h.token('motcua.xa'), 'GET', '/api/dossier-statistics?from=2026-03-01&to=2026-03-31&groupBy=procedure');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const marriageRow = r.body.byProcedure.find((p: { procedureCode: string }) => p.procedureCode === CODES.marriage);
    // The three marriage dossiers, none finished: one waits for its fee in 6 (paused: not overdue), the two others are
    // overdue by now; four fee pauses, no supplement request.
    expect(marriageRow, JSON.stringify(r.body.byProcedure)).toMatchObject({ received: 3, inProcess: 3, inProcessOverdue: 2, supplementRequested: 0 });
  });
});
