import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfQrCodes, pdfText } from './testing-pdf.js';
import { auditCount, CODES, createDossierApp, type DossierTestApp, expectProblem, pdfOf, TUESDAY_9AM } from './testing.js';

/**
 * A dossier along the internal process, through HTTP: desk → specialist → leader (approval) → desk
 * (result attached, done awaiting return) → returned; queues with due times, hand-overs with their
 * outcome per step (form 06), the public lookup afterwards.
 */

let h: DossierTestApp;
let marriage: string;
let id: string;
const local = (iso: string) => new Date(`${iso}+07:00`); // a Hà Nội wall-clock time

const act = async (user: string, action: string, body: Record<string, unknown> = {}) => h.api(await h.token(user), 'POST', `/api/dossiers/${id}/actions/${action}`, body);
const box = async (user: string, name: string) => (await h.api(await h.token(user), 'GET', `/api/dossiers?box=${name}`)).body.items.map((x: { id: string }) => x.id) as string[];

beforeAll(async () => {
  h = await createDossierApp(TUESDAY_9AM);
  marriage = await h.procedure(CODES.marriage);
  const r = await h.api(await h.token('motcua.xa'), 'POST', '/api/dossiers', {
    procedureId: marriage,
    caseId: 'th2', // needs checking: 5 working days
    channel: 'counter',
    applicant: { name: 'Phạm Văn Đức', idNumber: '001088000321', phone: '0912000111', address: 'Xóm Nam, xã Tân An' },
    documents: [{ index: 0, fileIds: [] }, { index: 1, fileIds: [] }],
    fileIds: [],
    returnMethod: 'counter',
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  id = r.body.id;
}, 240_000); // a fresh database and the demo catalogue: slow on a busy machine
afterAll(async () => h?.t.close());

describe('processing along the internal process', () => {
  it('computes the appointment from the calendar: 5 working days → Tuesday 17 March 17:00', async () => {
    const d = (await h.api(await h.token('motcua.xa'), 'GET', `/api/dossiers/${id}`)).body;
    expect(d.dueAt).toBe(local('2026-03-17T17:00:00').toISOString());
    expect(d.timeLimitLabel).toBe('05 ngày làm việc');
    expect(d.process.map((s: { kind: string }) => s.kind)).toEqual(['receive', 'review', 'approve', 'return']);
    expect(d.process[0].current).toBe(true);
  });

  it('desk → specialist: the hand-over is recorded with the next step’s due time; the specialist’s queue shows it', async () => {
    h.at(local('2026-03-10T09:30:00'));
    const specialistId = await h.t.userId('chuyenvien.xa');
    const targets = (await h.api(await h.token('motcua.xa'), 'GET', `/api/dossiers/${id}/targets?action=forward`)).body;
    expect(targets.step).toMatchObject({ position: 2, kind: 'review', role: 'specialist' });
    expect(targets.unit.name).toBe('Ủy ban nhân dân xã Tân An');
    expect(targets.people.map((x: { fullName: string }) => x.fullName)).toEqual(['Hoàng Văn Nam']);
    // Only someone with the step's role may take it.
    expectProblem(await act('motcua.xa', 'forward', { toUserId: await h.t.userId('lanhdao.xa') }), 400, 'toUserId');
    expectProblem(await act('motcua.xa', 'forward', { toUserId: await h.t.userId('vanthu.xa2') }), 400, 'toUserId');
    const r = await act('motcua.xa', 'forward', { toUserId: specialistId, note: 'Cần xác minh tình trạng hôn nhân' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ statusCode: 4, status: 'Đang xử lý', holder: { userId: specialistId, userName: 'Hoàng Văn Nam' }, step: { position: 2, kind: 'review' } });
    expect(r.body.step.dueAt).toBe(local('2026-03-10T15:30:00').toISOString()); // 4 working hours, lunch excluded
    const last = r.body.history.at(-1);
    expect(last).toMatchObject({ action: 'forward', fromStatus: 2, toStatus: 4, actorName: 'Vũ Thị Lan', toUserName: 'Hoàng Văn Nam', stepOutcome: 'on_time', note: 'Cần xác minh tình trạng hôn nhân' });
    expect(await box('chuyenvien.xa', 'mine')).toContain(id);
    expect(await box('motcua.xa', 'mine')).not.toContain(id);
    const item = (await h.api(await h.token('chuyenvien.xa'), 'GET', '/api/dossiers?box=mine')).body.items.find((x: { id: string }) => x.id === id);
    expect(item).toMatchObject({ stepName: r.body.step.name, stepDueAt: r.body.step.dueAt, dueState: 'on_track', holderName: 'Hoàng Văn Nam' });
  });

  it('lets only the holder act; the result cannot come before the leader’s approval', async () => {
    expectProblem(await act('motcua.xa', 'forward', {}), 403);
    const result = await h.upload(await h.token('chuyenvien.xa'), await pdfOf(1, 'Result'), 'ket-qua.pdf');
    const early = await act('chuyenvien.xa', 'complete', { fileIds: [result] });
    expectProblem(early, 409);
    expect(early.body.detail).toContain('phê duyệt');
    expectProblem(await act('chuyenvien.xa', 'approve', {}), 403); // specialists do not approve
  });

  it('specialist → the unit’s leaders (no person named) late, a day after the step was due', async () => {
    h.at(local('2026-03-11T09:00:00'));
    const r = await act('chuyenvien.xa', 'forward', {});
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.holder).toMatchObject({ userId: null, unitName: 'Ủy ban nhân dân xã Tân An', role: 'leader' });
    expect(r.body.history.at(-1)).toMatchObject({ action: 'forward', stepOutcome: 'late', toUnitName: 'Ủy ban nhân dân xã Tân An' });
    expect(await box('lanhdao.xa', 'unit')).toContain(id);
    expect(await box('chuyenvien.xa', 'unit')).not.toContain(id); // a specialist has not the leader's role
    expect((await h.api(await h.token('lanhdao.xa'), 'GET', '/api/dossiers/counts')).body.unit).toBeGreaterThanOrEqual(1);
  });

  it('leader approves: the dossier goes to the return step at the desk', async () => {
    h.at(local('2026-03-11T10:00:00'));
    expectProblem(await act('lanhdao.xa', 'forward', {}), 409); // the approval step ends with "approve"
    const r = await act('lanhdao.xa', 'approve', {});
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.approvedAt).toBe(local('2026-03-11T10:00:00').toISOString());
    expect(r.body).toMatchObject({ statusCode: 4, step: { kind: 'return' }, holder: { role: 'onestop_officer', unitName: 'Ủy ban nhân dân xã Tân An' } });
    expect(await box('motcua.xa', 'unit')).toContain(id);
  });

  it('desk attaches the result: 9 done, awaiting return; then returns it at the counter: 10', async () => {
    h.at(local('2026-03-11T10:30:00'));
    const desk = await h.token('motcua.xa');
    expectProblem(await act('motcua.xa', 'complete', {}), 400, 'fileIds');
    const result = await h.upload(desk, await pdfOf(1, 'Marriage certificate'), 'giay-chung-nhan-ket-hon.pdf');
    const done = await act('motcua.xa', 'complete', { fileIds: [result] });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({ statusCode: 9, status: 'Đã xử lý xong, chờ trả kết quả', resultFileId: result });
    expect(done.body.files.find((f: { kind: string }) => f.kind === 'result')).toMatchObject({ fileId: result });
    expect(await box('motcua.xa', 'return')).toContain(id);
    const returned = await act('motcua.xa', 'return', { method: 'counter' });
    expect(returned.body).toMatchObject({ statusCode: 10, status: 'Đã trả kết quả', returnMethod: 'counter', holder: null, dueState: 'early' });
    expect(returned.body.history.at(-1)).toMatchObject({ action: 'return', toStatus: 10, detail: { method: 'counter', overall: 'early' } });
    expect(await box('motcua.xa', 'return')).not.toContain(id);
    expect(returned.body.allowedActions).toEqual([]);
    // Every change audited, one history entry each.
    expect(returned.body.history.map((x: { action: string }) => x.action)).toEqual(['receive', 'forward', 'forward', 'approve', 'complete', 'return']);
    expect(await auditCount(h.t, id)).toBe(6);
  });

  it('prints form 06 with each hand-over, its time and whether the step was on time or late', async () => {
    const r = await h.api(await h.token('lanhdao.xa'), 'GET', `/api/dossiers/${id}/forms/06.pdf`);
    expect(r.status).toBe(200);
    const text = (await pdfText(r.raw)).replace(/\s+/g, ' ');
    expect(text).toContain('PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ');
    expect(text).toContain('Nhận: Hoàng Văn Nam');
    expect(text).toContain('09:30 10/03/2026');
    expect(text).toContain('Đúng hạn');
    expect(text).toContain('Quá hạn');
    expect(await pdfQrCodes(r.raw)).toHaveLength(1);
  });

  it('lets the public look it up by code: masked name, history without officers or notes', async () => {
    const code = (await h.api(await h.token('motcua.xa'), 'GET', `/api/dossiers/${id}`)).body.code as string;
    const res = await h.t.app.inject({ method: 'GET', url: `/api/public/dossiers/${code}` });
    expect(res.statusCode).toBe(200);
    const p = res.json();
    expect(p).toMatchObject({ code, statusCode: 10, status: 'Đã trả kết quả', procedure: 'Đăng ký kết hôn', applicantName: 'Phạm V*** Đ**', unit: 'Ủy ban nhân dân xã Tân An' });
    expect(p.receivedAt).toBe(TUESDAY_9AM.toISOString());
    expect(p.history.map((x: { action: string }) => x.action)).toEqual(['receive', 'forward', 'forward', 'approve', 'complete', 'return']);
    expect(res.body).not.toContain('Hoàng Văn Nam');
    expect(res.body).not.toContain('xác minh tình trạng hôn nhân');
    expect(res.body).not.toContain('001088000321');
    expect((await h.t.app.inject({ method: 'GET', url: '/api/public/dossiers/000.01.31.H99-260310-9999' })).statusCode).toBe(404);
    expect((await h.t.app.inject({ method: 'GET', url: '/api/public/dossiers/not-a-code' })).statusCode).toBe(404);
  });

  it('keeps the history append-only in the database', async () => {
    const failure = (q: ReturnType<typeof sql>) => h.t.database.db.execute(q).then(() => 'accepted', (e: Error & { cause?: Error }) => String(e.cause?.message ?? e.message));
    expect(await failure(sql`UPDATE dossier_actions SET reason = 'x' WHERE dossier_id = ${id}`)).toMatch(/append-only/);
    expect(await failure(sql`DELETE FROM dossier_actions WHERE dossier_id = ${id}`)).toMatch(/append-only/);
  });
});

describe('public lookup limits', () => {
  it('is rate-limited per client with a Vietnamese 429', async () => {
    let last = 200;
    for (let i = 0; i < 125 && last !== 429; i++) last = (await h.t.app.inject({ method: 'GET', url: '/api/public/dossiers/000.01.31.H99-260310-0001', remoteAddress: '10.9.9.9' })).statusCode;
    expect(last).toBe(429);
  });
});
