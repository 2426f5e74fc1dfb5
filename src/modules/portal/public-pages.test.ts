import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, CODES, createPortalApp, PAGE_BUDGET, type PortalTestApp, textOf, transferredBytes, UNITS } from './testing.js';

/**
 * The public pages a visitor sees without signing in, as a browser without JavaScript gets them:
 * procedure search and detail, the dossier lookup (what it shows and what it hides), compression and
 * the 60 KB budget, Vietnamese text, dates in Hà Nội time.
 */

let h: PortalTestApp;
let b: Browser;
let birth: string;
let signature: string;
let code: string;

beforeAll(async () => {
  h = await createPortalApp();
  b = h.browser();
  birth = await h.procedure(CODES.birth);
  signature = await h.procedure(CODES.signature);
  // A counter dossier with an internal note, for the lookup.
  const r = await h.api(await h.token('motcua.xa'), 'POST', '/api/dossiers', {
    procedureId: await h.procedure(CODES.marriage), caseId: 'th2', channel: 'counter', unitId: await h.t.unitId(UNITS.tanAn),
    applicant: { name: 'Phạm Văn Đức', idNumber: '001088000321', phone: '0912000111', address: 'Xóm Nam, xã Tân An' },
    documents: [{ index: 0, fileIds: [] }, { index: 1, fileIds: [] }], fileIds: [], note: 'Ghi chú nội bộ: nghi giấy tờ giả',
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  code = r.body.code;
}, 180_000); // a fresh database with the demo catalogue; slow when the machine is busy
afterAll(async () => h?.t.close());

describe('procedure search (/dich-vu-cong)', () => {
  it('renders the search form and the catalogue in Vietnamese, without any script', async () => {
    const r = await b.get('/dich-vu-cong');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toContain('text/html');
    expect(r.headers['content-encoding']).toBe('gzip');
    expect(r.html).toContain('<html lang="vi">');
    expect(r.html).not.toContain('<script');
    expect(r.html).toBe(r.html.normalize('NFC'));
    expect(r.html).toMatch(/<label for="q">Tên hoặc mã thủ tục/);
    const text = textOf(r.html);
    expect(text).toContain('Tìm thấy 6 thủ tục');
    expect(text).toContain('Đăng ký khai sinh');
    expect(text).toContain('Trực tuyến toàn trình');
    expect(text).toContain('Hộ tịch (3)');
  });

  it('searches without accents, filters by field and level, and says when nothing matches', async () => {
    const folded = textOf((await b.get('/dich-vu-cong?q=dang%20ky%20khai%20sinh')).html);
    expect(folded).toContain('Tìm thấy 1 thủ tục');
    expect(folded).toContain('Đăng ký khai sinh');
    const accented = textOf((await b.get(`/dich-vu-cong?q=${encodeURIComponent('khai sinh')}`)).html);
    expect(accented).toContain('Đăng ký khai sinh');
    const field = textOf((await b.get(`/dich-vu-cong?field=${encodeURIComponent('Chứng thực')}`)).html);
    expect(field).toContain('Tìm thấy 2 thủ tục');
    expect(field).not.toContain('Đăng ký kết hôn');
    const province = textOf((await b.get('/dich-vu-cong?level=province')).html);
    expect(province).toContain('Tìm thấy 1 thủ tục');
    expect(province).toContain('Lý lịch tư pháp');
    expect(textOf((await b.get('/dich-vu-cong?q=zzzkhongco')).html)).toContain('Không tìm thấy thủ tục phù hợp');
    const old = await b.get('/thu-tuc?q=khai');
    expect(old.status).toBe(301);
    expect(old.location).toBe('/dich-vu-cong?q=khai');
  });

  it('shows a procedure: steps, documents per case with originals/copies and templates, time limit and fee per channel, legal basis, the online button', async () => {
    const r = await b.get(`/thu-tuc/${birth}`);
    expect(r.status).toBe(200);
    const text = textOf(r.html);
    for (const s of ['Đăng ký khai sinh', 'Mã thủ tục 1.001193', 'Trình tự thực hiện', 'Bước 1:', 'Trường hợp: Trẻ em có Giấy chứng sinh', 'Giấy chứng sinh', '1 bản chính', 'Trực tiếp', 'Trực tuyến', 'Trong ngày', 'Miễn', 'Căn cứ pháp lý', 'Luật Hộ tịch số 60/2014/QH13', 'Trực tuyến toàn trình', 'Giấy khai sinh (bản chính)']) {
      expect(text, s).toContain(s);
    }
    expect(r.html).toContain(`href="/nop-ho-so/${birth}"`);
    const template = /href="(\/api\/procedures\/forms\/[^"]+)"/.exec(r.html)![1];
    const download = await h.t.app.inject({ method: 'GET', url: template });
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    // Not offered online: no button, a note instead.
    const sig = await b.get(`/thu-tuc/${signature}`);
    expect(sig.html).not.toContain('/nop-ho-so/');
    expect(textOf(sig.html)).toContain('chưa nhận hồ sơ trực tuyến');
    const missing = await b.get('/thu-tuc/00000000-0000-7000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(textOf(missing.html)).toContain('Không tìm thấy thủ tục');
  });
});

describe('dossier lookup (/tra-cuu)', () => {
  it('finds a dossier by code without signing in: status, appointment in Hà Nội time, history — with the name masked and nothing internal', async () => {
    const form = await b.get('/tra-cuu');
    expect(form.status).toBe(200);
    expect(form.html).toContain('<form method="get" action="/tra-cuu"');
    const go = await b.get(`/tra-cuu?ma=${encodeURIComponent(code.toLowerCase())}`);
    expect(go.status).toBe(303);
    expect(go.location).toBe(`/tra-cuu/${code}`);
    const r = await b.get(`/tra-cuu/${code}`);
    expect(r.status).toBe(200);
    const text = textOf(r.html);
    expect(text).toContain(`Hồ sơ ${code}`);
    expect(text).toContain('Tình trạng: Đã tiếp nhận');
    expect(text).toContain('Phạm V*** Đ**');
    expect(text).toContain('Ủy ban nhân dân xã Tân An');
    expect(text).toContain('09:00 10/03/2026'); // received Tuesday 09:00 in Hà Nội (02:00 UTC)
    expect(text).toContain('17:00 17/03/2026'); // five working days
    expect(r.html).toContain(`datetime="${new Date('2026-03-10T02:00:00Z').toISOString()}"`);
    for (const secret of ['Phạm Văn Đức', '001088000321', '0912000111', 'Xóm Nam', 'nghi giấy tờ giả', 'Vũ Thị Lan']) expect(r.html, secret).not.toContain(secret);
    expect(r.html).not.toContain('Đánh giá mức độ hài lòng'); // only once returned
  });

  it('explains a wrong or unknown code with the form again', async () => {
    const bad = await b.get('/tra-cuu?ma=abc');
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('aria-invalid="true"');
    expect(textOf(bad.html)).toContain('Mã hồ sơ có dạng');
    const unknown = await b.get('/tra-cuu/000.01.31.H99-260310-9999');
    expect(unknown.status).toBe(404);
    expect(textOf(unknown.html)).toContain('Không có hồ sơ mang mã 000.01.31.H99-260310-9999');
    expect(unknown.html).toContain('name="ma"');
  });
});

describe('weight and delivery', () => {
  it('keeps every public page under 60 KB transferred with its stylesheet, gzip-compressed, while the API stays uncompressed', async () => {
    for (const url of ['/dich-vu-cong', `/thu-tuc/${birth}`, '/tra-cuu', `/tra-cuu/${code}`, '/cong-dan/dang-nhap', '/dang-ky']) {
      const size = await transferredBytes(h.browser(), url);
      expect(size.total, url).toBeLessThan(PAGE_BUDGET);
    }
    const css = (await b.get('/dich-vu-cong')).html.match(/href="(\/cong\/portal\.[0-9a-f]+\.css)"/)![1];
    const asset = await b.get(css);
    expect(asset.headers['cache-control']).toContain('immutable');
    expect(asset.headers['content-type']).toContain('text/css');
    const api = await h.t.app.inject({ method: 'GET', url: '/api/procedures', headers: { 'accept-encoding': 'gzip' } });
    expect(api.statusCode).toBe(200);
    expect(api.headers['content-encoding']).toBeUndefined();
  });

  it('rate-limits the lookup per client with a Vietnamese page', async () => {
    const other = h.browser('10.1.2.3');
    let last = 200;
    for (let i = 0; i < 130 && last !== 429; i++) last = (await other.get(`/tra-cuu/${code}`)).status;
    expect(last).toBe(429);
    const r = await other.get(`/tra-cuu/${code}`);
    expect(textOf(r.html)).toContain('Quá nhiều yêu cầu');
    expect((await b.get(`/tra-cuu/${code}`)).status).toBe(200); // another client is not affected
  });
});
