import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestContext } from '../../test/harness.js';

/**
 * The review chain: ký nháy by the head of the drafting unit, then approval by the signer; returns
 * with a mandatory reason open a new round on resubmission, and every round stays in the history.
 * Tân An gets a deputy chairman (phochutich.xa) who signs, so the chairman (lanhdao.xa, head of the
 * unit) puts the initials.
 */

let t: TestContext;
let drafter: string; // chuyenvien.xa
let head: string; // lanhdao.xa — leader of Tân An
let deputy: string; // phochutich.xa — deputy leader, the signer here
let clerk: string; // vanthu.xa
let otherClerk: string; // vanthu.xa2 (Phú Lộc)
let admin: string;
let ids: { tanAn: string; head: string; deputy: string };

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT';
const call = (token: string, method: Method, url: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: bearer(token), ...(payload === undefined ? {} : { payload: payload as object }) });

/** The outgoing buttons (INCOMING adds its own, such as 'unread', to the same list). */
const OUTGOING_ACTIONS = ['edit', 'upload_draft', 'submit', 'initial', 'approve', 'return', 'upload_signed', 'issue', 'recall', 'replace'];
const actions = (d: { allowedActions: string[] }) => d.allowedActions.filter((a) => OUTGOING_ACTIONS.includes(a));

async function uploadPdf(token: string): Promise<string> {
  const d = await PDFDocument.create();
  d.addPage();
  d.setTitle(`review ${Math.random()}`);
  const content = Buffer.from(await d.save());
  const boundary = `----lt${Math.random().toString(16).slice(2)}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="du-thao.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await t.app.inject({ method: 'POST', url: '/api/files', headers: { ...bearer(token), 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

async function draft(signerUserId: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await call(drafter, 'POST', '/api/documents/outgoing', { typeCode: 'TB', subject: 'Thông báo lịch tiếp công dân tháng 3', signerUserId, fileId: await uploadPdf(drafter), ...extra });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}
const get = async (token: string, id: string) => {
  const res = await call(token, 'GET', `/api/documents/${id}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
type Review = { round: number; step: number; kind: string; reviewerUserId: string; status: string; reason: string | null };
const chain = (d: { reviews: Review[] }) => d.reviews.map((r) => [r.round, r.step, r.kind, r.reviewerUserId === ids.head ? 'head' : r.reviewerUserId === ids.deputy ? 'deputy' : r.reviewerUserId, r.status, r.reason]);

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
  const tanAn = await t.unitId('000.01.31.H99');
  const created = await call(admin, 'POST', '/api/officials', {
    username: 'phochutich.xa',
    fullName: 'Ngô Thị Thanh',
    positionTitle: 'Phó Chủ tịch UBND xã',
    unitId: tanAn,
    password: 'PhoChuTich#2026',
    roles: [{ unitId: tanAn, role: 'deputy_leader' }],
  });
  expect(created.statusCode, created.body).toBe(201);
  [drafter, head, deputy, clerk, otherClerk] = await Promise.all([
    t.login('chuyenvien.xa'),
    t.login('lanhdao.xa'),
    t.login('phochutich.xa', 'PhoChuTich#2026'),
    t.login('vanthu.xa'),
    t.login('vanthu.xa2'),
  ]);
  ids = { tanAn, head: await t.userId('lanhdao.xa'), deputy: created.json().id };
});
afterAll(() => t.close());

describe('review rounds', () => {
  it('runs initials then approval, with returns that need a reason and open new rounds', async () => {
    const id = await draft(ids.deputy);
    const submitted = await call(drafter, 'POST', `/api/documents/${id}/submit`);
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect(submitted.json().status).toBe('in_review');
    expect(chain(submitted.json())).toEqual([
      [1, 1, 'initial', 'head', 'pending', null],
      [1, 2, 'approve', 'deputy', 'waiting', null],
    ]);
    expect(actions(await get(head, id))).toEqual(['initial', 'return']);
    expect(actions(await get(deputy, id))).toEqual([]);
    expect(actions(await get(drafter, id))).toEqual([]);

    // Nobody but the current reviewer acts: not the signer yet, not the clerk, not the drafter.
    for (const who of [deputy, clerk, drafter]) {
      const res = await call(who, 'POST', `/api/documents/${id}/approve`, {});
      expect(res.statusCode).toBe(403);
      expect(res.json().type).toContain('not-your-step');
    }
    // A second submission while in review is refused.
    expect((await call(drafter, 'POST', `/api/documents/${id}/submit`)).statusCode).toBe(409);

    // Round 1: the head returns it (a reason is mandatory).
    for (const body of [{}, { reason: '' }, { reason: '   ' }]) {
      const res = await call(head, 'POST', `/api/documents/${id}/return`, body);
      expect(res.statusCode).toBe(400);
      expect(res.json().errors[0].field).toBe('reason');
    }
    const returned = await call(head, 'POST', `/api/documents/${id}/return`, { reason: 'Bổ sung số liệu quý I' });
    expect(returned.statusCode, returned.body).toBe(200);
    let d = await get(drafter, id);
    expect(d.status).toBe('draft');
    expect(actions(d)).toEqual(['edit', 'upload_draft', 'submit']);
    expect(d.timeline.at(-1)).toMatchObject({ action: 'review_returned', text: 'Bổ sung số liệu quý I', actorName: 'Đặng Văn Bình' });

    // The drafter revises and submits again: round 2; the head initials, the signer returns.
    expect((await call(drafter, 'POST', `/api/documents/${id}/draft-files`, { fileId: await uploadPdf(drafter), note: 'Đã bổ sung' })).statusCode).toBe(201);
    expect((await call(drafter, 'POST', `/api/documents/${id}/submit`)).statusCode).toBe(200);
    const initialled = await call(head, 'POST', `/api/documents/${id}/approve`, { note: 'Đã kiểm tra thể thức' });
    expect(initialled.statusCode, initialled.body).toBe(200);
    expect(initialled.json().status).toBe('in_review');
    expect((await call(head, 'POST', `/api/documents/${id}/approve`)).statusCode).toBe(403); // not twice
    expect(actions(await get(deputy, id))).toEqual(['approve', 'return']);
    expect((await call(deputy, 'POST', `/api/documents/${id}/return`, { reason: 'Sửa lại trích yếu' })).statusCode).toBe(200);

    // Round 3: both approve.
    expect((await call(drafter, 'PATCH', `/api/documents/${id}`, { subject: 'Thông báo lịch tiếp công dân định kỳ tháng 3' })).statusCode).toBe(200);
    expect((await call(drafter, 'POST', `/api/documents/${id}/submit`)).statusCode).toBe(200);
    expect((await call(head, 'POST', `/api/documents/${id}/approve`)).statusCode).toBe(200);
    const approved = await call(deputy, 'POST', `/api/documents/${id}/approve`, { note: 'Đồng ý ban hành' });
    expect(approved.statusCode, approved.body).toBe(200);
    d = approved.json();
    expect(d.status).toBe('approved');
    expect(chain(d)).toEqual([
      [1, 1, 'initial', 'head', 'returned', 'Bổ sung số liệu quý I'],
      [1, 2, 'approve', 'deputy', 'cancelled', null],
      [2, 1, 'initial', 'head', 'approved', 'Đã kiểm tra thể thức'],
      [2, 2, 'approve', 'deputy', 'returned', 'Sửa lại trích yếu'],
      [3, 1, 'initial', 'head', 'approved', null],
      [3, 2, 'approve', 'deputy', 'approved', 'Đồng ý ban hành'],
    ]);
    expect(d.reviews.every((r: { decidedAt: string | null; status: string }) => (r.status === 'cancelled' ? r.decidedAt === null : !!r.decidedAt))).toBe(true);
    expect(d.timeline.map((e: { action: string }) => e.action)).toEqual([
      'drafted', 'submitted', 'review_returned', 'draft_version', 'submitted', 'initialled', 'review_returned', 'updated', 'submitted', 'initialled', 'approved',
    ]);
    // Approved: no more review actions, no return.
    expect((await call(deputy, 'POST', `/api/documents/${id}/approve`)).statusCode).toBe(409);
    expect((await call(deputy, 'POST', `/api/documents/${id}/return`, { reason: 'Muộn' })).statusCode).toBe(409);
    expect((await call(drafter, 'PATCH', `/api/documents/${id}`, { subject: 'Sửa sau khi duyệt' })).statusCode).toBe(409);
  });

  it('skips the initials when the head of the unit is the signer', async () => {
    const id = await draft(ids.head);
    const res = await call(drafter, 'POST', `/api/documents/${id}/submit`);
    expect(chain(res.json())).toEqual([[1, 1, 'approve', 'head', 'pending', null]]);
    expect((await call(head, 'POST', `/api/documents/${id}/approve`)).json().status).toBe('approved');
  });

  it('refuses a submission without signer or draft file, or by someone else than the drafter', async () => {
    const noSigner = (await call(drafter, 'POST', '/api/documents/outgoing', { typeCode: 'TB', subject: 'Chưa có người ký', fileId: await uploadPdf(drafter) })).json().id;
    const res = await call(drafter, 'POST', `/api/documents/${noSigner}/submit`);
    expect(res.statusCode).toBe(422);
    expect(res.json().title).toBe('Chưa chọn người ký');
    const noFile = (await call(drafter, 'POST', '/api/documents/outgoing', { typeCode: 'TB', subject: 'Chưa có tệp', signerUserId: ids.head })).json().id;
    expect((await call(drafter, 'POST', `/api/documents/${noFile}/submit`)).json().title).toBe('Chưa có tệp dự thảo');
    const id = await draft(ids.head);
    expect((await call(head, 'POST', `/api/documents/${id}/submit`)).statusCode).toBe(403);
    expect((await call(otherClerk, 'POST', `/api/documents/${id}/submit`)).statusCode).toBe(404);
    expect((await call(otherClerk, 'POST', `/api/documents/${id}/approve`)).statusCode).toBe(404);
    expect((await call(drafter, 'POST', `/api/documents/${id}/approve`, { note: 'x'.repeat(2001) })).statusCode).toBe(400);
  });
});

describe('GET /api/documents/signers', () => {
  it('lists the leaders and deputies of the drafting unit and its ancestors, leaders first', async () => {
    const res = await call(drafter, 'GET', '/api/documents/signers');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ total: 2, page: 1, pageSize: 20 });
    expect(res.json().items.map((s: { id: string; fullName: string; positionTitle: string; role: string; unitId: string }) => [s.fullName, s.positionTitle, s.role, s.unitId === ids.tanAn])).toEqual([
      ['Đặng Văn Bình', 'Chủ tịch UBND xã', 'leader', true],
      ['Ngô Thị Thanh', 'Phó Chủ tịch UBND xã', 'deputy_leader', true],
    ]);
    const office = await t.unitId('000.00.01.H99');
    const province = await call(await t.login('chuyenvien.tinh'), 'GET', `/api/documents/signers?unitId=${office}`);
    expect(province.json().items.map((s: { fullName: string }) => s.fullName)).toEqual(['Lê Quang Huy']);
  });

  it('answers 404 for units one does not draft for and 400 for bad paging', async () => {
    expect((await call(otherClerk, 'GET', `/api/documents/signers?unitId=${ids.tanAn}`)).statusCode).toBe(404);
    expect((await call(await t.login('motcua.xa'), 'GET', '/api/documents/signers')).statusCode).toBe(404);
    expect((await call(drafter, 'GET', '/api/documents/signers?unitId=abc')).statusCode).toBe(404);
    expect((await call(drafter, 'GET', '/api/documents/signers?pageSize=0')).statusCode).toBe(400);
  });
});

describe('GET/PUT /api/review-config/:unitId', () => {
  it('starts from the default and lets the leader of the unit shorten the chain', async () => {
    const initial = await call(drafter, 'GET', `/api/review-config/${ids.tanAn}`);
    expect(initial.statusCode).toBe(200);
    expect(initial.json()).toEqual({ unitId: ids.tanAn, steps: ['initial', 'approve'], isDefault: true, canEdit: false });
    expect((await call(head, 'GET', `/api/review-config/${ids.tanAn}`)).json().canEdit).toBe(true);

    for (const who of [drafter, clerk, deputy]) expect((await call(who, 'PUT', `/api/review-config/${ids.tanAn}`, { steps: ['approve'] })).statusCode).toBe(403);
    for (const steps of [[], ['initial'], ['approve', 'approve'], ['approve', 'initial'], ['sign'], 'approve']) {
      const res = await call(head, 'PUT', `/api/review-config/${ids.tanAn}`, { steps });
      expect(res.statusCode, JSON.stringify(steps)).toBe(400);
      expect(res.json().errors[0].field).toMatch(/^steps/);
    }
    const put = await call(head, 'PUT', `/api/review-config/${ids.tanAn}`, { steps: ['approve'] });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ steps: ['approve'], isDefault: false });

    // A new submission follows the new chain: no initials even though the head is not the signer.
    const id = await draft(ids.deputy);
    expect(chain((await call(drafter, 'POST', `/api/documents/${id}/submit`)).json())).toEqual([[1, 1, 'approve', 'deputy', 'pending', null]]);

    // The system administrator (unit.manage) may restore it.
    const restored = await call(admin, 'PUT', `/api/review-config/${ids.tanAn}`, { steps: ['initial', 'approve'] });
    expect(restored.statusCode).toBe(200);
    expect((await call(drafter, 'GET', `/api/review-config/${ids.tanAn}`)).json().steps).toEqual(['initial', 'approve']);
  });

  it('hides other units’ configuration (404) and unknown units', async () => {
    expect((await call(otherClerk, 'GET', `/api/review-config/${ids.tanAn}`)).statusCode).toBe(404);
    expect((await call(otherClerk, 'PUT', `/api/review-config/${ids.tanAn}`, { steps: ['approve'] })).statusCode).toBe(404);
    expect((await call(head, 'GET', '/api/review-config/01900000-0000-7000-8000-000000000000')).statusCode).toBe(404);
    expect((await call(head, 'GET', '/api/review-config/not-a-unit')).statusCode).toBe(404);
    expect((await call(head, 'GET', `/api/review-config/${await t.unitId('000.02.31.H99')}`)).statusCode).toBe(404);
  });
});
