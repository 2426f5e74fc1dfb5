import { sql } from 'drizzle-orm';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../core/db/index.js';
import { PHOTO_JPEG } from '../../core/pdf/fixtures.js';
import { type Browser, CODES, createPortalApp, csrfOf, PAGE_BUDGET, type PortalTestApp, textOf, transferredBytes, UNITS } from './testing.js';

/**
 * Online submission by form posts, as a browser without JavaScript sends them (multipart with files):
 * the case, a phone photo saved in a draft, errors shown next to the fields with nothing lost, the
 * submission and its confirmation, "my dossiers", the desk's acceptance, an online supplement, the
 * autosave used by the script, CSRF, and one citizen never seeing another's dossiers.
 */

let h: PortalTestApp;
let b: Browser;
let birth: string;
let tanAn: string;
let draftId: string;
let pdf: Buffer;

const fileCount = async () => (await queryRows<{ n: number }>(h.t.database.db, sql`SELECT count(*)::int AS n FROM files`))[0].n;

/** The submission form's fields in page order (CSRF first). */
function formFields(html: string, over: Record<string, string> = {}): [string, string][] {
  const base: Record<string, string> = { _csrf: csrfOf(html), draftId: /name="draftId" value="([^"]*)"/.exec(html)?.[1] ?? '', caseId: /name="caseId" value="([^"]*)"/.exec(html)?.[1] ?? '', unitId: tanAn, phone: '0912 345 678', email: 'congdan@example.vn', address: 'Thôn Tây, xã Tân An', noiDung: 'Đăng ký khai sinh cho con thứ hai', returnMethod: 'online' };
  const carried = [...html.matchAll(/name="(tep-[\w]+)" value="([^"]+)"/g)].map((m) => [m[1], m[2]] as [string, string]);
  return [...Object.entries({ ...base, ...over }).filter(([k]) => k !== 'hanh-dong'), ...carried, ['hanh-dong', over['hanh-dong'] ?? 'luu-nhap']];
}

beforeAll(async () => {
  h = await createPortalApp();
  birth = await h.procedure(CODES.birth);
  tanAn = await h.t.unitId(UNITS.tanAn);
  b = h.browser();
  await b.signIn('001090012345'); // the demo citizen, by CCCD number
  const doc = await PDFDocument.create();
  doc.addPage([595, 842]).drawText('Giay chung sinh', { x: 50, y: 780, size: 14 });
  pdf = Buffer.from(await doc.save());
}, 180_000); // a fresh database with the demo catalogue; slow when the machine is busy
afterAll(async () => h?.t.close());

describe('the submission form (/nop-ho-so/:procedureId)', () => {
  it('asks for the case first when the procedure has several, then shows the form for that case', async () => {
    const first = await b.get(`/nop-ho-so/${birth}`);
    expect(first.status).toBe(200);
    expect(textOf(first.html)).toContain('Hồ sơ của bạn thuộc trường hợp nào?');
    expect(first.html).toContain('name="truong-hop" value="th1"');
    const none = await b.get(`/nop-ho-so/${birth}?truong-hop=xx`);
    expect(none.status).toBe(400);
    const r = await b.get(`/nop-ho-so/${birth}?truong-hop=th1`);
    expect(r.status).toBe(200);
    const text = textOf(r.html);
    for (const s of ['Trẻ em có Giấy chứng sinh', 'Nguyễn Văn An', '001090012345', 'Tờ khai đăng ký khai sinh (theo mẫu)', 'Giấy chứng sinh', 'Ủy ban nhân dân xã Tân An', 'Ủy ban nhân dân xã Phú Lộc', 'Lưu nháp', 'Nộp hồ sơ', 'trong vòng 8 giờ làm việc']) {
      expect(text, s).toContain(s);
    }
    expect(r.html).toContain('enctype="multipart/form-data"');
    expect(r.html).toMatch(/<form method="post"[^>]*>\s*<input type="hidden" name="_csrf"/); // CSRF before any file
    expect(r.html).toContain('<input type="file" id="doc-0-tep" name="doc-0" accept="application/pdf,image/jpeg,image/png');
    expect(r.html).toMatch(/<script src="\/cong\/portal\.[0-9a-f]+\.js" defer><\/script>/);
    expect((await transferredBytes(b, `/nop-ho-so/${birth}?truong-hop=th1`)).total).toBeLessThan(PAGE_BUDGET);
  });

  it('sends an anonymous visitor to sign in first, and refuses officials', async () => {
    const anon = await h.browser().get(`/nop-ho-so/${birth}`);
    expect(anon.status).toBe(303);
    expect(anon.location).toBe(`/cong-dan/dang-nhap?tiep=${encodeURIComponent(`/nop-ho-so/${birth}`)}`);
    const official = h.browser();
    await official.signIn('motcua.xa');
    const r = await official.get(`/nop-ho-so/${birth}?truong-hop=th1`);
    expect(r.status).toBe(403);
    expect(textOf(r.html)).toContain('Chức năng dành cho công dân');
  });

  it('keeps what was typed and the uploaded photo when the form is incomplete (no unit chosen)', async () => {
    const form = await b.get(`/nop-ho-so/${birth}?truong-hop=th1`);
    const r = await b.postMultipart(`/nop-ho-so/${birth}`, formFields(form.html, { unitId: '' }), [{ field: 'doc-0', name: 'to-khai.jpg', content: PHOTO_JPEG, type: 'image/jpeg' }]);
    expect(r.status).toBe(400);
    expect(textOf(r.html)).toContain('Chọn cơ quan tiếp nhận hồ sơ.');
    expect(r.html).toContain('href="#f-unitId"');
    expect(r.html).toContain('value="Thôn Tây, xã Tân An"');
    expect(r.html).toMatch(/name="tep-0" value="[0-9a-f-]{36}"/);
    expect(textOf(r.html)).toContain('to-khai.jpg');
    expect(r.html).toContain('name="draftId" value=""'); // nothing saved yet
  });

  it('saves a draft with a phone photo without JavaScript: the photo becomes a PDF, the draft comes back with it', async () => {
    const form = await b.get(`/nop-ho-so/${birth}?truong-hop=th1`);
    const r = await b.postMultipart(`/nop-ho-so/${birth}`, formFields(form.html), [{ field: 'doc-0', name: 'to-khai.jpg', content: PHOTO_JPEG, type: 'image/jpeg' }]);
    expect(r.status, r.html).toBe(303);
    const m = /\?ho-so=([0-9a-f-]{36})&da-luu=1$/.exec(r.location!);
    expect(m).toBeTruthy();
    draftId = m![1];
    const again = await b.get(r.location!);
    expect(textOf(again.html)).toContain('Đã lưu bản nháp');
    expect(again.html).toContain(`name="draftId" value="${draftId}"`);
    expect(again.html).toContain('>Đăng ký khai sinh cho con thứ hai</textarea>');
    expect(textOf(again.html)).toContain('Đã tải lên 1 tệp');
    const d = (await h.api(await h.token('congdan'), 'GET', `/api/dossiers/${draftId}`)).body;
    expect(d).toMatchObject({ statusCode: 0, channel: 'online', unitId: tanAn, procedure: { caseKey: 'th1' }, formData: { noiDung: 'Đăng ký khai sinh cho con thứ hai' }, returnMethod: 'online', applicant: { address: 'Thôn Tây, xã Tân An' } });
    expect(d.files).toHaveLength(1);
    expect(d.files[0]).toMatchObject({ documentIndex: 0, contentType: 'application/pdf' });
    const file = await h.t.app.inject({ method: 'GET', url: `/api/files/${d.files[0].fileId}`, headers: { cookie: `lt_session=${b.cookies.get('lt_session')}` } });
    expect((await PDFDocument.load(file.rawPayload)).getPageCount()).toBe(1);
    // The draft is the citizen's: officials do not see it.
    expect((await h.api(await h.token('motcua.xa'), 'GET', `/api/dossiers/${draftId}`)).status).toBe(404);
  });

  it('refuses to submit without a required document, says which, and keeps the draft', async () => {
    const form = await b.get(`/nop-ho-so/${birth}?ho-so=${draftId}`);
    const r = await b.postMultipart(`/nop-ho-so/${birth}`, formFields(form.html, { 'hanh-dong': 'nop' }));
    expect(r.status).toBe(422);
    const text = textOf(r.html);
    expect(text).toContain('Hồ sơ chưa đủ thành phần — bản nháp đã được lưu');
    expect(text).toContain('Chưa tải lên giấy tờ bắt buộc: Giấy chứng sinh.');
    expect(r.html).toContain('href="#doc-1"');
    expect((await h.api(await h.token('congdan'), 'GET', `/api/dossiers/${draftId}`)).body.statusCode).toBe(0);
  });

  it('refuses a multipart post without the page’s CSRF token before storing any file', async () => {
    const before = await fileCount();
    const r = await b.postMultipart(`/nop-ho-so/${birth}`, [['draftId', draftId], ['hanh-dong', 'nop']], [{ field: 'doc-1', name: 'x.pdf', content: pdf }]);
    expect(r.status).toBe(403);
    expect(await fileCount()).toBe(before);
  });

  it('submits with the birth certificate as a PDF: a confirmation that says the desk answers within 8 working hours', async () => {
    const form = await b.get(`/nop-ho-so/${birth}?ho-so=${draftId}`);
    const r = await b.postMultipart(`/nop-ho-so/${birth}`, formFields(form.html, { 'hanh-dong': 'nop' }), [{ field: 'doc-1', name: 'giay-chung-sinh.pdf', content: pdf, type: 'application/pdf' }]);
    expect(r.status, r.html).toBe(303);
    expect(r.location).toBe(`/nop-ho-so/da-nop/${draftId}`);
    const done = await b.get(r.location!);
    const text = textOf(done.html);
    expect(text).toContain('Đã nộp hồ sơ');
    expect(text).toContain('tiếp nhận hoặc từ chối (có nêu lý do) trong vòng 8 giờ làm việc');
    expect(text).toContain('chậm nhất 09:00 11/03/2026'); // Tuesday 09:00 + 8 working hours
    const d = (await h.api(await h.token('congdan'), 'GET', `/api/dossiers/${draftId}`)).body;
    expect(d.statusCode).toBe(1);
    expect(d.checklist.map((c: { provided: boolean }) => c.provided)).toEqual([true, true]);
    // A submitted dossier's form no longer opens for editing.
    expect((await b.get(`/nop-ho-so/${birth}?ho-so=${draftId}`)).status).toBe(409);
  });

  it('lists it in "my dossiers"; once the desk accepts, its code and appointment show there', async () => {
    let mine = textOf((await b.get('/ho-so-cua-toi')).html);
    expect(mine).toContain('Đăng ký khai sinh');
    expect(mine).toContain('Chờ tiếp nhận');
    const accepted = await h.api(await h.token('motcua.xa'), 'POST', `/api/dossiers/${draftId}/actions/accept`, {});
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    const page = await b.get('/ho-so-cua-toi');
    mine = textOf(page.html);
    expect(mine).toContain(`Mã hồ sơ: ${accepted.body.code}`);
    expect(mine).toContain('Đã tiếp nhận');
    expect(mine).toContain('Hẹn trả: 17:00 10/03/2026'); // same-day procedure received at 09:00
    expect(page.bytes).toBeLessThan(PAGE_BUDGET);
    const detail = await b.get(`/ho-so-cua-toi/${draftId}`);
    expect(textOf(detail.html)).toContain('Giấy tiếp nhận hồ sơ và hẹn trả kết quả');
    expect(detail.html).toContain(`/api/dossiers/${draftId}/forms/01.pdf`);
    // The public lookup shows the submission and the acceptance, not the citizen's drafting.
    const pub = textOf((await h.browser().get(`/tra-cuu/${accepted.body.code}`)).html);
    expect(pub).toContain('Nộp hồ sơ trực tuyến');
    expect(pub).toContain('Tiếp nhận hồ sơ trực tuyến');
    expect(pub).not.toContain('Bản nháp');
  });

  it('supplements online when the desk asks: the missing items, the deadline, uploads by form post', async () => {
    const req = await h.api(await h.token('motcua.xa'), 'POST', `/api/dossiers/${draftId}/actions/request-supplement`, { reason: 'Ảnh tờ khai bị mờ', items: ['Tờ khai đăng ký khai sinh chụp rõ nét, đủ chữ ký'], note: 'nội bộ: gọi điện không được' });
    expect(req.status, JSON.stringify(req.body)).toBe(200);
    const page = await b.get(`/ho-so-cua-toi/${draftId}`);
    const text = textOf(page.html);
    expect(text).toContain('Bổ sung hồ sơ');
    expect(text).toContain('Lý do: Ảnh tờ khai bị mờ');
    expect(text).toContain('Tờ khai đăng ký khai sinh chụp rõ nét, đủ chữ ký');
    expect(text).toContain('hạn nộp bổ sung: 17:00 17/03/2026');
    expect(page.html).not.toContain('gọi điện không được');
    // Nothing chosen: the service's message, on the page.
    const empty = await b.postMultipart(`/ho-so-cua-toi/${draftId}/bo-sung`, [['_csrf', csrfOf(page.html)], ['note', '']]);
    expect(empty.status).toBe(400);
    expect(textOf(empty.html)).toContain('Tải lên giấy tờ bổ sung');
    const r = await b.postMultipart(`/ho-so-cua-toi/${draftId}/bo-sung`, [['_csrf', csrfOf(page.html)], ['note', '']], [{ field: 'doc-0', name: 'to-khai-ro.jpg', content: PHOTO_JPEG, type: 'image/jpeg' }]);
    expect(r.status, r.html).toBe(303);
    const d = (await h.api(await h.token('congdan'), 'GET', `/api/dossiers/${draftId}`)).body;
    expect(d.statusCode).toBe(2);
    expect(d.history.at(-1)).toMatchObject({ action: 'supplement', actorKind: 'citizen' });
    expect(d.files.filter((f: { kind: string }) => f.kind === 'supplement')).toHaveLength(1);
    expect(textOf((await b.get(`/ho-so-cua-toi/${draftId}`)).html)).not.toContain('Gửi bổ sung');
  });

  it('autosaves text fields for the script (JSON), creating the draft on the first save', async () => {
    const form = await b.get(`/nop-ho-so/${birth}?truong-hop=th2`);
    const first = await b.post(`/nop-ho-so/${birth}/tu-luu`, { _csrf: csrfOf(form.html), draftId: '', caseId: 'th2', unitId: tanAn, phone: '0912 345 678', address: 'Thôn Bắc' });
    expect(first.status, first.html).toBe(200);
    const saved = JSON.parse(first.html);
    expect(saved.draftId).toMatch(/^[0-9a-f-]{36}$/);
    expect(saved.savedAt).toBe('09:00 10/03/2026');
    const second = await b.post(`/nop-ho-so/${birth}/tu-luu`, { _csrf: csrfOf(form.html), draftId: saved.draftId, caseId: 'th2', unitId: tanAn, address: 'Thôn Nam' });
    expect(JSON.parse(second.html).draftId).toBe(saved.draftId);
    const d = (await h.api(await h.token('congdan'), 'GET', `/api/dossiers/${saved.draftId}`)).body;
    expect(d).toMatchObject({ statusCode: 0, procedure: { caseKey: 'th2' }, applicant: { address: 'Thôn Nam' } });
    const forged = await b.post(`/nop-ho-so/${birth}/tu-luu`, { _csrf: 'nope', draftId: saved.draftId, address: 'x' });
    expect(forged.status).toBe(403);
    expect(forged.headers['content-type']).toContain('application/problem+json');
  });
});

describe('isolation between citizens', () => {
  it('never shows one citizen’s dossiers or drafts to another', async () => {
    const other = h.browser();
    const form = await other.get('/dang-ky');
    const reg = await other.post('/dang-ky', { _csrf: csrfOf(form.html), fullName: 'Trần Văn Cường', idNumber: '001095007777', phone: '0988 000 111', email: '', password: 'Cuong#Manh2026', password2: 'Cuong#Manh2026' });
    expect(reg.status, reg.html).toBe(303);
    const list = await other.get('/ho-so-cua-toi');
    expect(textOf(list.html)).toContain('Bạn chưa có hồ sơ nào');
    expect(list.html).not.toContain(draftId);
    expect((await other.get(`/ho-so-cua-toi/${draftId}`)).status).toBe(404);
    const drafts = await queryRows<{ id: string }>(h.t.database.db, sql`SELECT id FROM dossiers WHERE status = 0`);
    expect(drafts.length).toBeGreaterThan(0);
    expect((await other.get(`/nop-ho-so/${birth}?ho-so=${drafts[0].id}`)).status).toBe(404);
    const before = await fileCount();
    const page = await other.get('/ho-so-cua-toi');
    const sup = await other.postMultipart(`/ho-so-cua-toi/${draftId}/bo-sung`, [['_csrf', csrfOf(page.html)]], [{ field: 'doc-0', name: 'x.pdf', content: pdf }]);
    expect(sup.status).toBe(404);
    expect(await fileCount()).toBe(before);
    const withdraw = await other.post(`/ho-so-cua-toi/${draftId}/rut`, { _csrf: csrfOf(page.html), reason: 'thử' });
    expect(withdraw.status).toBe(404);
  });
});
