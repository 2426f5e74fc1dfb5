import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../core/db/index.js';
import { systemCtx } from '../../test/harness.js';
import { CODES, counterBody, createDossierApp, type DossierTestApp, pdfOf, TUESDAY_9AM, UNITS } from '../dossiers/testing.js';
import { recheckPending, signCallback, testGateway } from './index.js';

/**
 * Fees: online through the test gateway (signed, idempotent callback; a lost callback caught up by the re-check
 * job), cash at the counter with a receipt number; refusals for what may not be paid.
 */

const SECRET = 'lienthong-cong-thanh-toan-thu-nghiem'; // the default PAYMENT_TEST_SECRET of the test app
let h: DossierTestApp;
let extract: string; // cấp bản sao trích lục hộ tịch: 8.000 đ
let birth: string; // đăng ký khai sinh: free
let tanAn: string;
const citizen = () => h.token('congdan');

async function onlineDossier(): Promise<string> {
  const scan = await h.upload(await citizen(), await pdfOf(1), 'to-khai.pdf');
  const created = await h.api(await citizen(), 'POST', '/api/dossiers', { procedureId: extract, channel: 'online', unitId: tanAn, documents: [{ index: 0, fileIds: [scan] }], fileIds: [] });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id;
}
const callback = (body: Record<string, unknown>) => h.t.app.inject({ method: 'POST', url: '/api/payments/callback/test', payload: body });
const gatewayChoice = (ref: string, choice: 'pay' | 'cancel', lose = false) =>
  h.t.app.inject({ method: 'POST', url: `/cong-thanh-toan-thu-nghiem/${ref}`, payload: `choice=${choice}${lose ? '&loseCallback=1' : ''}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });

beforeAll(async () => {
  h = await createDossierApp(TUESDAY_9AM);
  extract = await h.procedure(CODES.extract);
  birth = await h.procedure(CODES.birth);
  tanAn = await h.t.unitId(UNITS.tanAn);
}, 240_000);
afterAll(async () => h?.t.close());

describe('online payment through the test gateway', () => {
  let id: string;
  let ref: string;
  it('the applicant starts a payment of the fee and is sent to the gateway, which says it is a test', async () => {
    id = await onlineDossier();
    const start = await h.api(await citizen(), 'POST', `/api/dossiers/${id}/payments`, { method: 'online', returnUrl: '/ho-so-cua-toi' });
    expect(start.status, JSON.stringify(start.body)).toBe(201);
    expect(start.body.payment).toMatchObject({ amount: 8000, status: 'pending', provider: 'test', receiptNumber: null });
    ref = start.body.payment.providerRef;
    expect(start.body.redirectUrl).toBe(`/cong-thanh-toan-thu-nghiem/${ref}`);
    const page = await h.t.app.inject({ method: 'GET', url: start.body.redirectUrl });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Cổng thanh toán thử nghiệm');
    expect(page.body).toContain('8.000 đồng');
  });

  it('refuses a callback with a wrong signature or amount, and logs both', async () => {
    expect((await callback({ ref, status: 'paid', amount: 8000, signature: '00'.repeat(32) })).statusCode).toBe(400);
    const wrongAmount = await callback({ ref, status: 'paid', amount: 1000, signature: signCallback(SECRET, ref, 'paid', 1000) });
    expect(wrongAmount.statusCode).toBe(400);
    expect(wrongAmount.json().title).toBe('Thông báo thanh toán không hợp lệ');
    const log = await queryRows<{ outcome: string; valid: boolean }>(h.t.database.db, sql`SELECT outcome, valid FROM payment_callbacks WHERE provider_ref = ${ref} ORDER BY received_at, outcome`);
    expect(log.map((l) => l.outcome).sort()).toEqual(['amount-mismatch', 'bad-signature']);
    expect((await h.api(await citizen(), 'GET', `/api/dossiers/${id}/payments`)).body.payments[0].status).toBe('pending');
  });

  it('paying at the gateway sends the signed callback: paid with a receipt number; the same callback again changes nothing', async () => {
    const r = await gatewayChoice(ref, 'pay');
    expect(r.statusCode).toBe(303);
    expect(r.headers.location).toBe('/ho-so-cua-toi');
    const list = await h.api(await citizen(), 'GET', `/api/dossiers/${id}/payments`);
    expect(list.body).toMatchObject({ feeAmount: 8000 });
    expect(list.body.payments[0]).toMatchObject({ status: 'paid', receiptNumber: 'BL2026-000001' });
    const again = await callback({ ref, status: 'paid', amount: 8000, signature: signCallback(SECRET, ref, 'paid', 8000) });
    expect(again.json()).toEqual({ status: 'paid', duplicate: true });
    const failedLater = await callback({ ref, status: 'failed', amount: 8000, signature: signCallback(SECRET, ref, 'failed', 8000) });
    expect(failedLater.json()).toEqual({ status: 'paid', duplicate: true });
    const [{ n }] = await queryRows<{ n: number }>(h.t.database.db, sql`SELECT count(*)::int AS n FROM audit_log WHERE object_id = ${id} AND action = 'payment.paid'`);
    expect(n).toBe(1);
    const paidTwice = await h.api(await citizen(), 'POST', `/api/dossiers/${id}/payments`, { method: 'online' });
    expect(paidTwice.status).toBe(409);
  });

  it('a lost callback is caught up by the re-check job; a cancelled payment becomes failed', async () => {
    const lostId = await onlineDossier();
    const start = await h.api(await citizen(), 'POST', `/api/dossiers/${lostId}/payments`, { method: 'online' });
    const lostRef = start.body.payment.providerRef;
    expect((await gatewayChoice(lostRef, 'pay', true)).statusCode).toBe(303);
    expect((await h.api(await citizen(), 'GET', `/api/dossiers/${lostId}/payments`)).body.payments[0].status).toBe('pending');

    const cancelId = await onlineDossier();
    const cancelRef = (await h.api(await citizen(), 'POST', `/api/dossiers/${cancelId}/payments`, { method: 'online' })).body.payment.providerRef;
    await gatewayChoice(cancelRef, 'cancel', true);

    const gateway = testGateway(SECRET);
    expect(await recheckPending(h.t.database.db, gateway, { ...systemCtx(), now: new Date(TUESDAY_9AM.getTime() + 60_000) })).toBe(0); // too recent
    expect(await recheckPending(h.t.database.db, gateway, { ...systemCtx(), now: new Date(TUESDAY_9AM.getTime() + 10 * 60_000) })).toBe(2);
    expect((await h.api(await citizen(), 'GET', `/api/dossiers/${lostId}/payments`)).body.payments[0]).toMatchObject({ status: 'paid', receiptNumber: 'BL2026-000002' });
    expect((await h.api(await citizen(), 'GET', `/api/dossiers/${cancelId}/payments`)).body.payments[0].status).toBe('failed');
  });
});

describe('cash at the counter, and what cannot be paid', () => {
  it('the one-stop officer records cash with a receipt number; nobody else may', async () => {
    const desk = await h.token('motcua.xa');
    const r = await h.api(desk, 'POST', '/api/dossiers', { ...counterBody(extract, { caseId: undefined }), applicant: { name: 'Lê Văn Cường', idNumber: '001090000777', phone: '0912345678', address: 'Tân An' } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect((await h.api(await h.token('chuyenvien.xa'), 'POST', `/api/dossiers/${r.body.id}/payments`, { method: 'cash' })).status).toBeGreaterThanOrEqual(403);
    const cash = await h.api(desk, 'POST', `/api/dossiers/${r.body.id}/payments`, { method: 'cash' });
    expect(cash.status, JSON.stringify(cash.body)).toBe(201);
    expect(cash.body).toMatchObject({ redirectUrl: null, payment: { provider: 'cash', status: 'paid', amount: 8000, receiptNumber: 'BL2026-000003' } });
    expect((await h.api(desk, 'POST', `/api/dossiers/${r.body.id}/payments`, { method: 'online' })).status).toBe(409);
  });

  it('a free procedure has nothing to pay; another unit sees nothing; bad input is a 400', async () => {
    const desk = await h.token('motcua.xa');
    const free = await h.api(desk, 'POST', '/api/dossiers', counterBody(birth));
    expect(free.status, JSON.stringify(free.body)).toBe(201);
    const none = await h.api(desk, 'POST', `/api/dossiers/${free.body.id}/payments`, { method: 'cash' });
    expect(none.status).toBe(409);
    expect(none.body.detail).toContain('không thu phí');
    expect((await h.api(await h.token('vanthu.xa2'), 'GET', `/api/dossiers/${free.body.id}/payments`)).status).toBe(404);
    expect((await h.api(desk, 'POST', `/api/dossiers/${free.body.id}/payments`, { method: 'bitcoin' })).status).toBe(400);
    expect((await h.api(await citizen(), 'POST', `/api/dossiers/${free.body.id}/payments`, { method: 'online', returnUrl: 'https://evil.example' })).status).toBe(400);
    expect((await callback({ nonsense: true })).statusCode).toBe(400);
  });
});
