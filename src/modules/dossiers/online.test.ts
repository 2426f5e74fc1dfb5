import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PHOTO_JPEG } from '../../core/pdf/fixtures.js';
import { CODES, createDossierApp, type DossierTestApp, expectProblem, pdfOf, TUESDAY_9AM, UNITS } from './testing.js';

/**
 * Online submission by a signed-in citizen: a draft saved as they go, submitted to the desk, which must
 * accept (code, appointment) or refuse within 8 working hours; the citizen follows, supplements, withdraws.
 */

let h: DossierTestApp;
let extract: string; // cấp bản sao trích lục hộ tịch: online, 8,000 đ
let tanAn: string;
let draftId: string;
const local = (iso: string) => new Date(`${iso}+07:00`);
const citizen = () => h.token('congdan');
const desk = () => h.token('motcua.xa');

beforeAll(async () => {
  h = await createDossierApp(TUESDAY_9AM);
  extract = await h.procedure(CODES.extract);
  tanAn = await h.t.unitId(UNITS.tanAn);
}, 240_000); // a fresh database and the demo catalogue: slow on a busy machine
afterAll(async () => h?.t.close());

describe('a citizen’s online dossier', () => {
  it('saves a draft: status 0, no code, the applicant from the account, invisible to officials', async () => {
    const r = await h.api(await citizen(), 'POST', '/api/dossiers', { procedureId: extract, channel: 'online', unitId: tanAn, draft: true, applicant: { address: 'Thôn Tây, xã Tân An' }, fileIds: [] });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    draftId = r.body.id;
    expect(r.body).toMatchObject({ statusCode: 0, status: 'Bản nháp', code: null, channel: 'online', applicant: { name: 'Nguyễn Văn An', idNumber: '001090012345', address: 'Thôn Tây, xã Tân An', email: 'congdan@example.vn' } });
    expect(r.body.allowedActions).toEqual(['submit']);
    expectProblem(await h.api(await desk(), 'GET', `/api/dossiers/${draftId}`), 404);
    expect((await h.api(await desk(), 'GET', '/api/dossiers?box=all')).body.items).toHaveLength(0);
  });

  it('autosaves the draft (PUT): form fields and a phone photo of the declaration, converted to PDF', async () => {
    const photo = await h.upload(await citizen(), PHOTO_JPEG, 'to-khai.jpg');
    const r = await h.api(await citizen(), 'PUT', `/api/dossiers/${draftId}`, { formData: { soBanSao: 2, loaiViec: 'Khai sinh' }, documents: [{ index: 0, fileIds: [photo] }], returnMethod: 'online' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.formData).toEqual({ soBanSao: 2, loaiViec: 'Khai sinh' });
    expect(r.body.returnMethod).toBe('online');
    expect(r.body.files).toHaveLength(1);
    expect(r.body.files[0].contentType).toBe('application/pdf');
    const file = await h.api(await citizen(), 'GET', `/api/files/${r.body.files[0].fileId}`);
    expect((await PDFDocument.load(file.raw)).getPageCount()).toBe(1);
    expectProblem(await h.api(await h.token('vanthu.xa'), 'PUT', `/api/dossiers/${draftId}`, { formData: {} }), 404);
  });

  it('submits: 1 waiting, the desk must answer within 8 working hours (Wednesday 09:00)', async () => {
    h.at(local('2026-03-10T09:00:00'));
    const r = await h.api(await citizen(), 'POST', `/api/dossiers/${draftId}/actions/submit`, {});
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ statusCode: 1, status: 'Chờ tiếp nhận', code: null, submittedAt: TUESDAY_9AM.toISOString() });
    expect(r.body.acceptBy).toBe(local('2026-03-11T09:00:00').toISOString());
    expectProblem(await h.api(await citizen(), 'PUT', `/api/dossiers/${draftId}`, { formData: {} }), 409);
    const queue = (await h.api(await desk(), 'GET', '/api/dossiers?box=desk')).body;
    expect(queue.items.map((x: { id: string }) => x.id)).toEqual([draftId]);
    expect(queue.items[0]).toMatchObject({ acceptOverdue: false, applicantName: 'Nguyễn Văn An', procedureCode: CODES.extract });
    expect((await h.api(await desk(), 'GET', '/api/dossiers?box=desk&overdue=true')).body.total).toBe(0);
    expectProblem(await h.api(await citizen(), 'POST', `/api/dossiers/${draftId}/actions/accept`, {}), 403);
  });

  it('lists it as overdue for the desk once the 8 working hours have passed', async () => {
    h.at(local('2026-03-11T10:00:00'));
    const overdue = (await h.api(await desk(), 'GET', '/api/dossiers?box=desk&overdue=true')).body;
    expect(overdue.items.map((x: { id: string }) => x.id)).toEqual([draftId]);
    expect(overdue.items[0].acceptOverdue).toBe(true);
    expect((await h.api(await desk(), 'GET', '/api/dossiers/counts')).body).toMatchObject({ desk: 1, deskOverdue: 1 });
  });

  it('the desk accepts: code, appointment from the acceptance, form 01; the citizen sees it in "my dossiers"', async () => {
    const r = await h.api(await desk(), 'POST', `/api/dossiers/${draftId}/actions/accept`, {});
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ statusCode: 2, code: '000.01.31.H99-260311-0001', receivedAt: local('2026-03-11T10:00:00').toISOString(), dueAt: local('2026-03-11T17:00:00').toISOString() });
    expect(r.body.fee).toEqual({ amount: 8000, label: '8.000 đ/bản sao' });
    expect(r.body.history.at(-1)).toMatchObject({ action: 'accept', formNumber: '01', detail: { onTimeForDesk: false } });
    expect((await h.api(await desk(), 'GET', `/api/dossiers/${draftId}/forms/01.pdf`)).status).toBe(200);
    const mine = (await h.api(await citizen(), 'GET', '/api/dossiers')).body;
    expect(mine.items.map((x: { id: string }) => x.id)).toContain(draftId);
    const seen = (await h.api(await citizen(), 'GET', `/api/dossiers/${draftId}`)).body;
    expect(seen.allowedActions).toEqual(['withdraw']);
    expect((await h.api(await citizen(), 'GET', `/api/dossiers/${draftId}/forms/01.pdf`)).status).toBe(200);
  });

  it('supplements online after a request and withdraws with a reason', async () => {
    const req = await h.api(await desk(), 'POST', `/api/dossiers/${draftId}/actions/request-supplement`, { reason: 'Ảnh tờ khai bị mờ', items: ['Tờ khai chụp rõ nét'] });
    expect(req.status, JSON.stringify(req.body)).toBe(200);
    expect((await h.api(await citizen(), 'GET', `/api/dossiers/${draftId}`)).body.allowedActions).toEqual(expect.arrayContaining(['supplement', 'withdraw']));
    const scan = await h.upload(await citizen(), await pdfOf(1), 'to-khai-ro.pdf');
    const sup = await h.api(await citizen(), 'POST', `/api/dossiers/${draftId}/actions/supplement`, { documents: [{ index: 0, fileIds: [scan] }] });
    expect(sup.status, JSON.stringify(sup.body)).toBe(200);
    expect(sup.body.statusCode).toBe(2); // back to received, where it was paused
    expect(sup.body.history.at(-1)).toMatchObject({ action: 'supplement', actorKind: 'citizen', actorName: 'Nguyễn Văn An' });
    expectProblem(await h.api(await citizen(), 'POST', `/api/dossiers/${draftId}/actions/withdraw`, {}), 400, 'reason');
    const w = await h.api(await citizen(), 'POST', `/api/dossiers/${draftId}/actions/withdraw`, { reason: 'Tôi sẽ nộp trực tiếp tại xã' });
    expect(w.body.statusCode).toBe(7);
  });

  it('the desk refuses an online dossier with form 03', async () => {
    const scan = await h.upload(await citizen(), await pdfOf(1), 'to-khai.pdf');
    const created = await h.api(await citizen(), 'POST', '/api/dossiers', { procedureId: extract, channel: 'online', unitId: tanAn, documents: [{ index: 0, fileIds: [scan] }], fileIds: [] });
    expect(created.body.statusCode).toBe(1);
    const r = await h.api(await desk(), 'POST', `/api/dossiers/${created.body.id}/actions/refuse`, { reason: 'Người yêu cầu không có quan hệ với người được cấp trích lục' });
    expect(r.body.statusCode).toBe(3);
    expect((await h.api(await citizen(), 'GET', `/api/dossiers/${created.body.id}/forms/03.pdf`)).status).toBe(200);
  });

  it('refuses what a citizen may not do', async () => {
    const base = { procedureId: extract, unitId: tanAn, fileIds: [] };
    expectProblem(await h.api(await citizen(), 'POST', '/api/dossiers', { ...base, channel: 'counter' }), 403);
    expectProblem(await h.api(await citizen(), 'POST', '/api/dossiers', { ...base, channel: 'online', unitId: null }), 400, 'unitId');
    expectProblem(await h.api(await citizen(), 'POST', '/api/dossiers', { ...base, channel: 'online', unitId: await h.t.unitId(UNITS.justice) }), 400, 'unitId');
    // Submitting without the required declaration.
    const missing = await h.api(await citizen(), 'POST', '/api/dossiers', { ...base, channel: 'online' });
    expectProblem(missing, 422, 'documents.0');
    // A signature certification is not offered online.
    expectProblem(await h.api(await citizen(), 'POST', '/api/dossiers', { ...base, procedureId: await h.procedure(CODES.signature), channel: 'online' }), 422, 'channel');
  });
});
