import { sql } from 'drizzle-orm';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../core/db/index.js';
import { PHOTO_JPEG, PHOTO_PNG } from '../../core/pdf/fixtures.js';
import { pdfQrCodes, pdfText } from './testing-pdf.js';
import { auditCount, CODES, counterBody, createDossierApp, type DossierTestApp, expectProblem, pdfOf, UNITS } from './testing.js';

/** Counter reception through HTTP: code, appointment from the calendar, checklist and scans, form 01, idempotency. */

let h: DossierTestApp;
let desk: string; // motcua.xa — Tân An one-stop officer
let birth: string;
let tanAn: string;

const problem = expectProblem;

beforeAll(async () => {
  h = await createDossierApp();
  desk = await h.token('motcua.xa');
  birth = await h.procedure(CODES.birth);
  tanAn = await h.t.unitId(UNITS.tanAn);
}, 240_000); // a fresh database and the demo catalogue: slow on a busy machine
afterAll(async () => h?.t.close());

describe('counter reception', () => {
  it('receives a dossier: code <agency>-<yyMMdd>-<NNNN>, same-day appointment 17:00, first step held by the officer, audited', async () => {
    const r = await h.api(desk, 'POST', '/api/dossiers', counterBody(birth));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const d = r.body;
    expect(d.code).toBe('000.01.31.H99-260310-0001');
    expect(d).toMatchObject({ statusCode: 2, status: 'Đã tiếp nhận', channel: 'counter', unitId: tanAn, receivedAt: '2026-03-10T02:00:00.000Z' });
    // Same-day procedure received at 09:00: due at the close of office hours (17:00 local = 10:00Z).
    expect(d.dueAt).toBe('2026-03-10T10:00:00.000Z');
    expect(d.firstDueAt).toBe(d.dueAt);
    expect(d.timeLimitLabel).toBe('Trong ngày');
    expect(d.procedure).toMatchObject({ code: CODES.birth, name: 'Đăng ký khai sinh', version: 2, caseKey: 'th1', caseName: 'Trẻ em có Giấy chứng sinh' });
    expect(d.step).toMatchObject({ position: 1, kind: 'receive' });
    expect(d.step.dueAt).toBe('2026-03-10T03:00:00.000Z'); // 1 working hour
    expect(d.holder).toMatchObject({ userName: 'Vũ Thị Lan' });
    expect(d.fee).toEqual({ amount: 0, label: 'Miễn phí (đăng ký khai sinh đúng hạn; quá hạn thu theo Nghị quyết HĐND tỉnh)' });
    expect(d.checklist.map((c: { provided: boolean }) => c.provided)).toEqual([true, true]);
    expect(d.history).toHaveLength(1);
    expect(d.history[0]).toMatchObject({ action: 'receive', toStatus: 2, actorName: 'Vũ Thị Lan', formNumber: '01' });
    expect(d.forms.map((f: { number: string }) => f.number)).toEqual(['01', '06']);
    expect(d.allowedActions).toEqual(expect.arrayContaining(['forward', 'request-supplement', 'refuse', 'stop', 'withdraw', 'apologize']));
    expect(await auditCount(h.t, d.id)).toBe(1);
  });

  it('prints form 01: the code, the applicant, the appointment and a QR code to /tra-cuu/<code>', async () => {
    const created = (await h.api(desk, 'POST', '/api/dossiers', counterBody(birth, { applicant: { name: 'Lê Văn Cường', idNumber: '001090000777' } }))).body;
    const r = await h.api(desk, 'GET', `/api/dossiers/${created.id}/forms/01.pdf`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/pdf');
    expect(String(r.headers['content-disposition'])).toContain(`Mau-01_${created.code}.pdf`);
    const text = (await pdfText(r.raw)).replace(/\s+/g, ' ');
    expect(text).toContain('GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ');
    expect(text).toContain(`Mã hồ sơ: ${created.code}`);
    expect(text).toContain('Lê Văn Cường');
    expect(text).toContain('17 giờ 00 phút, ngày 10/03/2026');
    expect(text).toContain('Tờ khai đăng ký khai sinh (theo mẫu)');
    expect(await pdfQrCodes(r.raw)).toEqual([`http://localhost:80/tra-cuu/${created.code}`]);
    // Forms the dossier does not have yet are 404.
    problem(await h.api(desk, 'GET', `/api/dossiers/${created.id}/forms/03.pdf`), 404);
    problem(await h.api(desk, 'GET', `/api/dossiers/${created.id}/forms/07.pdf`), 400);
  });

  it('turns phone photos into one PDF per checklist item and keeps a scanned PDF as it is', async () => {
    const scan = await pdfOf(2);
    const [photo1, photo2, pdf] = await Promise.all([h.upload(desk, PHOTO_JPEG, 'to-khai-1.jpg'), h.upload(desk, PHOTO_PNG, 'to-khai-2.png'), h.upload(desk, scan, 'giay-chung-sinh.pdf')]);
    const r = await h.api(desk, 'POST', '/api/dossiers', counterBody(birth, { documents: [{ index: 0, fileIds: [photo1, photo2] }, { index: 1, fileIds: [pdf] }] }));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const files = r.body.files as { fileId: string; documentIndex: number; contentType: string; name: string }[];
    expect(files).toHaveLength(2);
    const first = files.find((f) => f.documentIndex === 0)!;
    expect(first.contentType).toBe('application/pdf');
    expect(first.name).toBe('Tờ khai đăng ký khai sinh (theo mẫu).pdf');
    const content = await h.api(desk, 'GET', `/api/files/${first.fileId}`);
    expect((await PDFDocument.load(content.raw)).getPageCount()).toBe(2); // two photos, two pages
    expect(files.find((f) => f.documentIndex === 1)!.fileId).toBe(pdf); // the PDF itself, unchanged
    expect(r.body.checklist[0].files).toHaveLength(1);
  });

  it('refuses what is missing or wrong with problem+json in Vietnamese', async () => {
    // A required document not ticked.
    const missing = await h.api(desk, 'POST', '/api/dossiers', counterBody(birth, { documents: [{ index: 0, fileIds: [] }] }));
    problem(missing, 422, 'documents.1');
    expect(missing.body.errors[0].message).toContain('Giấy chứng sinh');
    problem(await h.api(desk, 'POST', '/api/dossiers', counterBody(birth, { caseId: 'th9' })), 422, 'caseId');
    problem(await h.api(desk, 'POST', '/api/dossiers', counterBody(birth, { caseId: null })), 422, 'caseId'); // two cases: must choose
    problem(await h.api(desk, 'POST', '/api/dossiers', counterBody(birth, { applicant: { name: '  ' } })), 400, 'applicant.name');
    problem(await h.api(desk, 'POST', '/api/dossiers', counterBody(birth, { applicant: { name: 'Ngô Thị Hà', idNumber: '12345' } })), 400, 'applicant.idNumber');
    problem(await h.api(desk, 'POST', '/api/dossiers', counterBody(birth, { documents: [{ index: 0, fileIds: [] }, { index: 7, fileIds: [] }] })), 400, 'documents.1.index');
    problem(await h.api(desk, 'POST', '/api/dossiers', counterBody(birth, { channel: 'online' })), 422, 'channel');
    problem(await h.api(desk, 'POST', '/api/dossiers', counterBody(birth, { channel: 'post' })), 422, 'channel'); // birth registration is not offered by post
    problem(await h.api(desk, 'POST', '/api/dossiers', counterBody('0190a0a0-0000-7000-8000-000000000000')), 422, 'procedureId');
    problem(await h.api(desk, 'POST', '/api/dossiers', { ...counterBody(birth), channel: 'fax' }), 400, 'channel');
    // Someone else's upload is not found; a Word file is not a scan.
    const other = await h.upload(await h.token('vanthu.xa'), await pdfOf(), 'khac.pdf');
    problem(await h.api(desk, 'POST', '/api/dossiers', counterBody(birth, { fileIds: [other] })), 404, 'fileIds.0');
    // Only one-stop officers receive: a specialist is refused.
    problem(await h.api(await h.token('chuyenvien.xa'), 'POST', '/api/dossiers', counterBody(birth)), 403);
  });

  it('answers a repeated POST with the same Idempotency-Key with the same dossier', async () => {
    const key = 'reception-key-0001';
    const a = await h.api(desk, 'POST', '/api/dossiers', counterBody(birth), { 'idempotency-key': key });
    const b = await h.api(desk, 'POST', '/api/dossiers', counterBody(birth), { 'idempotency-key': key });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body.id).toBe(a.body.id);
    expect(b.body.code).toBe(a.body.code);
  });

  it('does an action once for a repeated Idempotency-Key (a double click, a retry after a lost answer)', async () => {
    const d = (await h.api(desk, 'POST', '/api/dossiers', counterBody(birth))).body;
    const key = { 'idempotency-key': 'refuse-once-0001' };
    const first = await h.api(desk, 'POST', `/api/dossiers/${d.id}/actions/refuse`, { reason: 'Không thuộc thẩm quyền của xã' }, key);
    const again = await h.api(desk, 'POST', `/api/dossiers/${d.id}/actions/refuse`, { reason: 'Không thuộc thẩm quyền của xã' }, key);
    expect(first.status).toBe(200);
    expect(again.status).toBe(200); // not 409: the same request, already done
    expect(again.body.history.map((x: { action: string }) => x.action)).toEqual(['receive', 'refuse']);
    // Another key is another request: refused by the state now.
    expectProblem(await h.api(desk, 'POST', `/api/dossiers/${d.id}/actions/refuse`, { reason: 'Lần nữa' }, { 'idempotency-key': 'refuse-once-0002' }), 409);
  });

  it('gives 20 concurrent receptions 20 distinct consecutive codes', async () => {
    const [{ last }] = await queryRows<{ last: number }>(h.t.database.db, sql`SELECT last_number AS last FROM dossier_code_counters WHERE unit_id = ${tanAn} AND day = '2026-03-10'`);
    const results = await Promise.all(Array.from({ length: 20 }, () => h.api(desk, 'POST', '/api/dossiers', counterBody(birth))));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    const numbers = results.map((r) => Number(String(r.body.code).slice(-4))).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => last + 1 + i));
    expect(new Set(results.map((r) => r.body.code)).size).toBe(20);
  });

  it('starts a new counter on the next local day and per unit', async () => {
    h.at(new Date('2026-03-10T17:30:00Z')); // 00:30 on 11 March in Hà Nội
    const r = await h.api(await h.token('motcua.xa'), 'POST', '/api/dossiers', counterBody(birth));
    expect(r.body.code).toBe('000.01.31.H99-260311-0001');
    // Received outside office hours: counts from Wednesday's opening, due that day at 17:00.
    expect(r.body.dueAt).toBe('2026-03-11T10:00:00.000Z');
    h.at(new Date('2026-03-10T02:00:00Z'));
    desk = await h.token('motcua.xa');
  });

  it('finds a returning applicant by ID number (registered citizen or the last dossier)', async () => {
    const citizen = await h.api(desk, 'GET', '/api/dossiers/applicants?idNumber=001090012345');
    expect(citizen.body.found).toMatchObject({ source: 'citizen', applicant: { name: 'Nguyễn Văn An', idNumber: '001090012345' } });
    const previous = await h.api(desk, 'GET', '/api/dossiers/applicants?idNumber=001185000123');
    expect(previous.body.found).toMatchObject({ source: 'dossier', citizenId: null, applicant: { name: 'Trần Thị Bình', address: 'Thôn Đông, xã Tân An' } });
    expect((await h.api(desk, 'GET', '/api/dossiers/applicants?idNumber=079999999999')).body.found).toBeNull();
    problem(await h.api(await h.token('chuyenvien.xa'), 'GET', '/api/dossiers/applicants?idNumber=001090012345'), 403);
    // A dossier for a registered citizen (by citizenId) is linked to their account.
    const r = await h.api(desk, 'POST', '/api/dossiers', counterBody(birth, { applicant: { citizenId: citizen.body.found.citizenId, address: 'Xóm Bắc' } }));
    expect(r.body.applicantUserId).toBe(citizen.body.found.citizenId);
    expect(r.body.applicant).toMatchObject({ name: 'Nguyễn Văn An', address: 'Xóm Bắc', email: 'congdan@example.vn' });
  });
});
