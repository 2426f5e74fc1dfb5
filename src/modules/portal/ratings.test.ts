import { sql } from 'drizzle-orm';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../core/db/index.js';
import { INDICATORS } from './indicators.js';
import { ratingSummary } from './ratings.js';
import { type Browser, CODES, createPortalApp, csrfOf, PAGE_BUDGET, type PortalTestApp, processToReturned, textOf, transferredBytes, UNITS } from './testing.js';

/**
 * Satisfaction ratings: only the applicant of a returned dossier, once; the rating page by form post
 * (the 5-level rating or the 9 indicators), the JSON API, the per-unit summary for the unit's officials
 * and above, audited.
 */

let h: PortalTestApp;
let b: Browser;
let extract: string;
let tanAn: string;
let pdf: Buffer;

/** An online dossier of the demo citizen (copy of a civil-status extract), submitted through the API. */
async function submitted(): Promise<string> {
  const tk = await h.token('congdan');
  const scan = await h.upload(tk, pdf, 'to-khai.pdf');
  const r = await h.api(tk, 'POST', '/api/dossiers', { procedureId: extract, channel: 'online', unitId: tanAn, documents: [{ index: 0, fileIds: [scan] }], fileIds: [] });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id;
}

beforeAll(async () => {
  h = await createPortalApp();
  extract = await h.procedure(CODES.extract);
  tanAn = await h.t.unitId(UNITS.tanAn);
  const doc = await PDFDocument.create();
  doc.addPage([595, 842]).drawText('To khai', { x: 50, y: 780, size: 14 });
  pdf = Buffer.from(await doc.save());
  b = h.browser();
  await b.signIn('congdan');
}, 180_000); // a fresh database with the demo catalogue; slow when the machine is busy
afterAll(async () => h?.t.close());

describe('rating a dossier', () => {
  let id: string;
  let code: string;

  it('is not offered before the result is returned', async () => {
    id = await submitted();
    const r = await h.api(await h.token('congdan'), 'POST', `/api/dossiers/${id}/rating`, { level: 5 });
    expect(r.status).toBe(409);
    expect(r.body.title).toBe('Hồ sơ chưa trả kết quả');
    code = await processToReturned(h, id, pdf);
    expect(code).toMatch(/^000\.01\.31\.H99-260310-\d{4}$/);
  });

  it('shows the rating link on the public lookup and in "my dossiers" once returned', async () => {
    const pub = await h.browser().get(`/tra-cuu/${code}`);
    expect(textOf(pub.html)).toContain('Tình trạng: Đã trả kết quả');
    expect(pub.html).toContain(`href="/danh-gia/${code}"`);
    expect(pub.html).not.toContain('đã đối chiếu sổ hộ tịch'); // the officer's internal note
    const mine = await b.get(`/ho-so-cua-toi/${id}`);
    expect(mine.html).toContain(`href="/danh-gia/${code}"`);
    expect(mine.html).toContain('Tải kết quả giải quyết');
  });

  it('asks an anonymous visitor to sign in, and shows another citizen nothing', async () => {
    const anon = await h.browser().get(`/danh-gia/${code}`);
    expect(anon.status).toBe(303);
    expect(anon.location).toBe(`/cong-dan/dang-nhap?tiep=${encodeURIComponent(`/danh-gia/${code}`)}`);
    const other = h.browser();
    const f = await other.get('/dang-ky');
    await other.post('/dang-ky', { _csrf: csrfOf(f.html), fullName: 'Đỗ Thị Mai', idNumber: '001192003333', phone: '0977 123 456', email: '', password: 'Mai-Hoa#2026', password2: 'Mai-Hoa#2026' });
    const page = await other.get(`/danh-gia/${code}`);
    expect(page.status).toBe(404);
    const tk = (await h.t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: '001192003333', password: 'Mai-Hoa#2026' } })).json().token;
    expect((await h.api(tk, 'POST', `/api/dossiers/${id}/rating`, { level: 1 })).status).toBe(404);
    expect((await h.api(await h.token('motcua.xa'), 'POST', `/api/dossiers/${id}/rating`, { level: 5 })).status).toBe(403);
  });

  it('renders the 9 indicators and the 5 levels as labelled radio groups, light enough', async () => {
    const r = await b.get(`/danh-gia/${code}`);
    expect(r.status).toBe(200);
    const text = textOf(r.html);
    for (const ind of INDICATORS) expect(text).toContain(ind.label);
    for (const l of ['Rất hài lòng', 'Hài lòng', 'Bình thường', 'Không hài lòng', 'Rất không hài lòng']) expect(text).toContain(l);
    expect(r.html.match(/<fieldset/g)).toHaveLength(10);
    expect(r.html.match(/<legend>/g)).toHaveLength(10);
    expect((await transferredBytes(b, `/danh-gia/${code}`)).total).toBeLessThan(PAGE_BUDGET);
  });

  it('refuses half-scored indicators and a missing answer, with the messages on the page', async () => {
    const page = await b.get(`/danh-gia/${code}`);
    const half = await b.post(`/danh-gia/${code}`, { _csrf: csrfOf(page.html), s0: '2', s1: '1' });
    expect(half.status).toBe(400);
    expect(textOf(half.html)).toContain('Chưa chấm chỉ số 3.');
    expect(half.html).toMatch(/name="s0" value="2" checked/);
    const nothing = await b.post(`/danh-gia/${code}`, { _csrf: csrfOf(page.html), comment: 'Tốt' });
    expect(nothing.status).toBe(400);
    expect(textOf(nothing.html)).toContain('Chọn mức độ hài lòng');
    expect((await b.post(`/danh-gia/${code}`, { level: '5' })).status).toBe(403); // no CSRF token
  });

  it('records the rating once, audited; a second one is refused', async () => {
    const page = await b.get(`/danh-gia/${code}`);
    const scores = Object.fromEntries(INDICATORS.map((_, i) => [`s${i}`, i === 2 ? '1' : '2']));
    const r = await b.post(`/danh-gia/${code}`, { _csrf: csrfOf(page.html), level: '4', comment: 'Cán bộ hướng dẫn tận tình', ...scores });
    expect(r.status, r.html).toBe(303);
    const thanks = textOf((await b.get(`/danh-gia/${code}`)).html);
    expect(thanks).toContain('Cảm ơn bạn đã đánh giá');
    expect(thanks).toContain('17/18 điểm');
    const api = await h.api(await h.token('motcua.xa'), 'GET', `/api/dossiers/${id}/rating`);
    expect(api.body.rating).toMatchObject({ kind: 'indicators', total: 17, level: 4, levelLabel: 'Hài lòng', comment: 'Cán bộ hướng dẫn tận tình', scores: [2, 2, 1, 2, 2, 2, 2, 2, 2] });
    const again = await h.api(await h.token('congdan'), 'POST', `/api/dossiers/${id}/rating`, { level: 1 });
    expect(again.status).toBe(409);
    expect(again.body.title).toBe('Hồ sơ đã được đánh giá');
    const [audit] = await queryRows<{ n: number }>(h.t.database.db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'dossier.rated' AND object_id = ${id}`);
    expect(audit.n).toBe(1);
  });

  it('takes the simple 5-level rating through the API and checks the answers', async () => {
    const other = await submitted();
    await processToReturned(h, other, pdf);
    const tk = await h.token('congdan');
    const bad = await h.api(tk, 'POST', `/api/dossiers/${other}/rating`, { scores: [2, 2, 3], level: 7 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['scores', 'scores.2', 'level']));
    const r = await h.api(tk, 'POST', `/api/dossiers/${other}/rating`, { level: 2, comment: '  Phải chờ lâu  ' });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ kind: 'simple', scores: null, total: null, level: 2, levelLabel: 'Không hài lòng', comment: 'Phải chờ lâu' });
  });
});

describe('summary per unit', () => {
  it('aggregates per receiving unit and overall, for the unit’s officials and above', async () => {
    const q = `/api/ratings/summary?unitId=${tanAn}&from=2026-03-01&to=2026-03-31`;
    const r = await h.api(await h.token('lanhdao.xa'), 'GET', q);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.units).toHaveLength(1);
    expect(r.body.units[0]).toMatchObject({ unitId: tanAn, unitName: 'Ủy ban nhân dân xã Tân An', ratings: 2, withIndicators: 1, averageTotal: 17, withLevel: 2, levels: { 1: 0, 2: 1, 3: 0, 4: 1, 5: 0 }, satisfiedShare: 0.5 });
    expect(r.body.units[0].indicatorAverages).toEqual([2, 2, 1, 2, 2, 2, 2, 2, 2]);
    expect(r.body.units[0].averageShare).toBeCloseTo(17 / 18, 3);
    expect(r.body.total).toMatchObject({ unitId: null, ratings: 2 });
    // Outside the period: nothing.
    const before = await h.api(await h.token('lanhdao.xa'), 'GET', `/api/ratings/summary?unitId=${tanAn}&from=2026-01-01&to=2026-03-09`);
    expect(before.body).toMatchObject({ units: [], total: { ratings: 0, averageTotal: null } });
    // Another unit's officials, citizens and bad input.
    expect((await h.api(await h.token('vanthu.xa2'), 'GET', q)).status).toBe(403);
    expect((await h.api(await h.token('congdan'), 'GET', q)).status).toBe(403);
    expect((await h.api(await h.token('lanhdao.xa'), 'GET', `/api/ratings/summary?unitId=${tanAn}&from=2026-03-31&to=2026-03-01`)).status).toBe(400);
    expect((await h.api(await h.token('lanhdao.xa'), 'GET', `/api/ratings/summary?unitId=${tanAn}&from=31/03/2026&to=2026-03-01`)).status).toBe(400);
  });

  it('exports ratingSummary for statistics: the province sees the commune’s ratings in its total', async () => {
    const all = await queryRows<{ id: string }>(h.t.database.db, sql`SELECT id FROM units`);
    const rows = await ratingSummary(h.t.database.db, all.map((u) => u.id), new Date('2026-03-01T00:00:00+07:00'), new Date('2026-04-01T00:00:00+07:00'));
    expect(rows.at(-1)).toMatchObject({ unitId: null, ratings: 2, withIndicators: 1 });
    expect(rows.filter((x) => x.unitId !== null).map((x) => x.unitId)).toEqual([tanAn]);
    expect(await ratingSummary(h.t.database.db, [], new Date(0), new Date())).toEqual([]);
  });

  it('lists the indicators publicly for other clients', async () => {
    const r = await h.t.app.inject({ method: 'GET', url: '/api/ratings/indicators' });
    expect(r.json().indicators).toHaveLength(9);
    expect(r.json().levels.map((l: { value: number }) => l.value)).toEqual([5, 4, 3, 2, 1]);
  });
});
