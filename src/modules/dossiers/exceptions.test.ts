import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfQrCodes, pdfText } from './testing-pdf.js';
import { CODES, counterBody, createDossierApp, type DossierTestApp, expectProblem, pdfOf, TUESDAY_9AM } from './testing.js';

/** The exceptions, each with its form and a mandatory reason: supplement (clock paused), refusal, apology, stop, withdrawal. */

let h: DossierTestApp;
let marriage: string;
let birth: string;
const local = (iso: string) => new Date(`${iso}+07:00`);
const text = async (pdf: Buffer) => (await pdfText(pdf)).replace(/\s+/g, ' ');

const act = async (user: string, id: string, action: string, body: Record<string, unknown> = {}) => h.api(await h.token(user), 'POST', `/api/dossiers/${id}/actions/${action}`, body);
const get = async (user: string, id: string) => (await h.api(await h.token(user), 'GET', `/api/dossiers/${id}`)).body;
const form = async (user: string, id: string, n: string) => h.api(await h.token(user), 'GET', `/api/dossiers/${id}/forms/${n}.pdf`);

/** A marriage dossier needing checks (5 working days), received now and handed to the specialist. */
async function inProcessing(): Promise<string> {
  const r = await h.api(await h.token('motcua.xa'), 'POST', '/api/dossiers', { ...counterBody(marriage, { caseId: 'th2' }), documents: [{ index: 0, fileIds: [] }, { index: 1, fileIds: [] }] });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  const f = await act('motcua.xa', r.body.id, 'forward', { toUserId: await h.t.userId('chuyenvien.xa') });
  expect(f.status, JSON.stringify(f.body)).toBe(200);
  return r.body.id;
}

beforeAll(async () => {
  h = await createDossierApp(TUESDAY_9AM);
  marriage = await h.procedure(CODES.marriage);
  birth = await h.procedure(CODES.birth);
}, 240_000); // a fresh database and the demo catalogue: slow on a busy machine
afterAll(async () => h?.t.close());

describe('supplement request (form 02) and supplement', () => {
  let id: string;
  it('requires a reason and each missing item; pauses the clock; prints form 02 with the items and the deadline', async () => {
    id = await inProcessing();
    h.at(local('2026-03-10T10:00:00'));
    expectProblem(await act('chuyenvien.xa', id, 'request-supplement', { items: ['Giấy xác nhận tình trạng hôn nhân'] }), 400, 'reason');
    expectProblem(await act('chuyenvien.xa', id, 'request-supplement', { reason: 'Thiếu giấy tờ', items: [] }), 400, 'items');
    expectProblem(await act('chuyenvien.xa', id, 'request-supplement', { reason: 'Thiếu giấy tờ', items: ['X'], deadline: '2026-03-01T00:00:00Z' }), 400, 'deadline');
    const r = await act('chuyenvien.xa', id, 'request-supplement', {
      reason: 'Giấy xác nhận tình trạng hôn nhân đã quá 6 tháng',
      items: ['Giấy xác nhận tình trạng hôn nhân (cấp trong 6 tháng)', 'Bản sao giấy tờ tùy thân của bên nữ'],
      deadline: local('2026-03-20T17:00:00').toISOString(),
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ statusCode: 5, status: 'Yêu cầu bổ sung', dueState: 'paused', pausedAt: local('2026-03-10T10:00:00').toISOString() });
    expect(r.body.history.at(-1)).toMatchObject({ action: 'request-supplement', formNumber: '02', reason: 'Giấy xác nhận tình trạng hôn nhân đã quá 6 tháng' });
    expect(r.body.forms.map((f: { number: string }) => f.number)).toContain('02');
    const pdf = await form('motcua.xa', id, '02');
    expect(pdf.status).toBe(200);
    const t = await text(pdf.raw);
    expect(t).toContain('PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ');
    expect(t).toContain('Giấy xác nhận tình trạng hôn nhân (cấp trong 6 tháng)');
    expect(t).toContain('Bản sao giấy tờ tùy thân của bên nữ');
    expect(t).toContain('17:00 20/03/2026');
    expect(await pdfQrCodes(pdf.raw)).toHaveLength(1);
    // The paused dossier is not overdue, whatever the time.
    h.at(local('2026-03-18T09:00:00'));
    expect((await get('motcua.xa', id)).dueState).toBe('paused');
  });

  it('resumes the clock when the supplement comes in: the due date moves by the working time waited', async () => {
    h.at(local('2026-03-12T10:00:00')); // two working days after the request
    expectProblem(await act('motcua.xa', id, 'supplement', {}), 400, 'fileIds');
    const scan = await h.upload(await h.token('motcua.xa'), await pdfOf(1, 'Supplement'), 'bo-sung.pdf');
    const r = await act('motcua.xa', id, 'supplement', { fileIds: [scan] });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    // Back to where it was paused (processing, the specialist's step), due two working days later.
    expect(r.body).toMatchObject({ statusCode: 4, pausedAt: null, holder: { userName: 'Hoàng Văn Nam' } });
    expect(r.body.dueAt).toBe(local('2026-03-19T17:00:00').toISOString());
    expect(r.body.history.at(-1)).toMatchObject({ action: 'supplement', fromStatus: 5, toStatus: 4, detail: { waitedWorkingMinutes: 16 * 60 } });
    expect(r.body.files.some((f: { kind: string; fileId: string }) => f.kind === 'supplement' && f.fileId === scan)).toBe(true);
    expectProblem(await act('motcua.xa', id, 'supplement', { fileIds: [scan] }), 409);
  });
});

describe('apology and new date (form 04)', () => {
  it('is issued before the due date, once, with a later date and a reason', async () => {
    h.at(TUESDAY_9AM);
    const id = await inProcessing();
    const due = (await get('motcua.xa', id)).dueAt as string;
    const newDueAt = local('2026-03-20T16:00:00').toISOString();
    expectProblem(await act('chuyenvien.xa', id, 'apologize', { newDueAt }), 400, 'reason');
    expectProblem(await act('chuyenvien.xa', id, 'apologize', { reason: 'Chờ xác minh' }), 400, 'newDueAt');
    expectProblem(await act('chuyenvien.xa', id, 'apologize', { reason: 'Chờ xác minh', newDueAt: TUESDAY_9AM.toISOString() }), 400, 'newDueAt');
    const r = await act('chuyenvien.xa', id, 'apologize', { reason: 'Chờ kết quả xác minh từ nơi cư trú trước đây', newDueAt });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ statusCode: 4, dueAt: newDueAt, firstDueAt: due });
    expect(r.body.history.at(-1)).toMatchObject({ action: 'apologize', formNumber: '04', detail: { previousDueAt: due, newDueAt } });
    const again = await act('chuyenvien.xa', id, 'apologize', { reason: 'Lần nữa', newDueAt: local('2026-03-25T16:00:00').toISOString() });
    expectProblem(again, 409);
    expect(again.body.detail).toContain('một lần');
    const t = await text((await form('motcua.xa', id, '04')).raw);
    expect(t).toContain('PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ');
    expect(t).toContain('Chờ kết quả xác minh từ nơi cư trú trước đây');
    expect(t).toContain('16 giờ 00 phút, ngày 20/03/2026');
  });

  it('is refused once the due date has passed', async () => {
    h.at(TUESDAY_9AM);
    const r = await h.api(await h.token('motcua.xa'), 'POST', '/api/dossiers', counterBody(birth)); // due today 17:00
    h.at(local('2026-03-10T17:30:00'));
    const late = await act('motcua.xa', r.body.id, 'apologize', { reason: 'Quá tải', newDueAt: local('2026-03-12T17:00:00').toISOString() });
    expectProblem(late, 409);
    expect(late.body.detail).toContain('trước thời hạn');
    expect((await get('motcua.xa', r.body.id)).dueState).toBe('overdue');
  });
});

describe('refusal (form 03), stop (form 05), withdrawal', () => {
  it('refuses with a reason and prints it on form 03; the dossier is closed', async () => {
    h.at(TUESDAY_9AM);
    const r = await h.api(await h.token('motcua.xa'), 'POST', '/api/dossiers', counterBody(birth));
    expectProblem(await act('motcua.xa', r.body.id, 'refuse', { reason: '   ' }), 400, 'reason');
    const refused = await act('motcua.xa', r.body.id, 'refuse', { reason: 'Việc sinh đã được đăng ký tại xã Phú Lộc' });
    expect(refused.body).toMatchObject({ statusCode: 3, status: 'Từ chối', holder: null, allowedActions: [] });
    expect(refused.body.closedAt).not.toBeNull();
    const t = await text((await form('motcua.xa', r.body.id, '03')).raw);
    expect(t).toContain('PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ');
    expect(t).toContain('Việc sinh đã được đăng ký tại xã Phú Lộc');
    expectProblem(await act('motcua.xa', r.body.id, 'forward', {}), 409);
  });

  it('stops a dossier in processing (leader, form 05)', async () => {
    h.at(TUESDAY_9AM);
    const id = await inProcessing();
    expectProblem(await act('chuyenvien.xa', id, 'stop', { reason: 'x' }), 403); // specialists do not stop dossiers
    const r = await act('lanhdao.xa', id, 'stop', { reason: 'Người yêu cầu không còn đủ điều kiện kết hôn' });
    expect(r.body).toMatchObject({ statusCode: 8, status: 'Dừng xử lý' });
    const t = await text((await form('lanhdao.xa', id, '05')).raw);
    expect(t).toContain('THÔNG BÁO VỀ VIỆC DỪNG GIẢI QUYẾT HỒ SƠ');
    expect(t).toContain('Người yêu cầu không còn đủ điều kiện kết hôn');
  });

  it('records the citizen’s withdrawal (at the desk, with a reason)', async () => {
    h.at(TUESDAY_9AM);
    const id = await inProcessing();
    expectProblem(await act('motcua.xa', id, 'withdraw', {}), 400, 'reason');
    const r = await act('motcua.xa', id, 'withdraw', { reason: 'Người nộp xin rút hồ sơ để bổ sung giấy tờ' });
    expect(r.body).toMatchObject({ statusCode: 7, status: 'Đã rút hồ sơ', holder: null });
    expect(r.body.history.at(-1)).toMatchObject({ action: 'withdraw', reason: 'Người nộp xin rút hồ sơ để bổ sung giấy tờ', formNumber: null });
  });
});
