import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, type TestContext } from '../../test/harness.js';
import { procedureVersionAt, procedureVersionById } from './read.js';
import { createCatalogueApp, procedureIdByCode, SETUP_MS } from './testing.js';

let t: TestContext;
beforeAll(async () => {
  t = await createCatalogueApp();
}, SETUP_MS);
afterAll(async () => t?.close());

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

describe('public catalogue (no sign-in)', () => {
  it('lists the demo catalogue with time limits and fees', async () => {
    const res = await get('/api/procedures?pageSize=50');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.total).toBe(6);
    const copy = body.items.find((i: { code: string }) => i.code === '2.000815');
    expect(copy.channels[0]).toEqual({ channel: 'in_person', timeLimit: 'Trong ngày', fee: '2.000 đ/trang; từ trang 3: 1.000 đ/trang; tối đa 200.000 đ/bản' });
    expect(body.items.find((i: { code: string }) => i.code === '2.000488').twoLevel).toBe(true);
  });

  it('searches without accents, by code, name and field', async () => {
    const codes = async (q: string) => (await get(`/api/procedures?q=${encodeURIComponent(q)}`)).json().items.map((i: { code: string }) => i.code).sort();
    expect(await codes('dang ky khai sinh')).toEqual(['1.001193']);
    expect(await codes('ĐĂNG KÝ kết')).toEqual(['1.000894']);
    expect(await codes('chung thuc')).toEqual(['2.000815', '2.000884']);
    expect(await codes('ho tich')).toEqual(['1.000894', '1.001193', '2.000635']);
    expect(await codes('2.000635')).toEqual(['2.000635']);
    expect(await codes('ly lich tu phap')).toEqual(['2.000488']);
    expect(await codes('khong co thu tuc nay')).toEqual([]);
    // LIKE wildcards in a query are ordinary characters after folding.
    expect(await codes('%')).toHaveLength(6);
  });

  it('filters by field and level, pages, and lists the fields', async () => {
    const r = (await get(`/api/procedures?field=${encodeURIComponent('Chứng thực')}&level=commune&pageSize=1&page=2`)).json();
    expect(r.total).toBe(2);
    expect(r.items).toHaveLength(1);
    expect((await get('/api/procedures?level=province')).json().items.map((i: { code: string }) => i.code)).toEqual(['2.000488']);
    expect((await get('/api/procedures/fields')).json().items).toEqual([
      { field: 'Chứng thực', count: 2 },
      { field: 'Hộ tịch', count: 3 },
      { field: 'Lý lịch tư pháp', count: 1 },
    ]);
  });

  it('shows a procedure with cases, documents, forms and its process', async () => {
    const id = await procedureIdByCode(t, '1.000894');
    const res = await get(`/api/procedures/${id}`);
    expect(res.statusCode).toBe(200);
    const d = res.json();
    expect(d.current.name).toBe('Đăng ký kết hôn');
    expect(d.canManage).toBe(false);
    expect(d.current.record.cases.map((c: { key: string }) => c.key)).toEqual(['th1', 'th2']);
    expect(d.current.labels.cases.th2).toBe('05 ngày làm việc');
    expect(d.current.process.map((s: { kind: string }) => s.kind)).toEqual(['receive', 'review', 'approve', 'return']);
    // The form template downloads without signing in, as a PDF.
    const template = d.current.record.cases[0].documents[0].template;
    const file = await get(`/api/procedures/forms/${template.fileId}`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(String(file.headers['content-disposition'])).toContain('To-khai-dang-ky-ket-hon.pdf');
  });

  it('the two-level procedure: commune receives, the Department of Justice decides', async () => {
    const d = (await get(`/api/procedures/${await procedureIdByCode(t, '2.000488')}`)).json();
    const stp = await t.unitId('000.00.03.H99');
    expect(d.current.record.twoLevel).toEqual({ receivingLevel: 'commune', decidingLevel: 'province', decidingUnitId: stp });
    expect(d.current.labels.unitNames[stp]).toBe('Sở Tư pháp');
    expect(d.current.process.map((s: { kind: string; unitRule: string }) => `${s.kind}:${s.unitRule}`)).toEqual([
      'receive:receiving_unit', 'transfer:receiving_unit', 'review:deciding_unit', 'decide:deciding_unit', 'return:receiving_unit',
    ]);
  });

  it('computes a fee', async () => {
    const id = await procedureIdByCode(t, '2.000815');
    expect((await get(`/api/procedures/${id}/fee?channel=in_person&units=5&items=2`)).json()).toEqual({ amount: 14_000, label: '14.000 đ' });
    expect((await get(`/api/procedures/${id}/fee?channel=post`)).statusCode).toBe(404);
  });

  it('never serves other files as forms, and answers bad input with problem+json', async () => {
    const upload = await t.app.inject({
      method: 'POST', url: '/api/files', headers: { ...bearer(await t.login('vanthu.xa')), 'content-type': 'multipart/form-data; boundary=x' },
      payload: '--x\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 secret\r\n--x--\r\n',
    });
    expect(upload.statusCode).toBe(201);
    expect((await get(`/api/procedures/forms/${upload.json().id}`)).statusCode).toBe(404);
    expect((await get('/api/procedures/forms/not-a-uuid')).statusCode).toBe(404);
    const missing = await get('/api/procedures/0190f3a0-0000-7000-8000-000000000001');
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    const bad = await get('/api/procedures?level=village');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().title).toBe('Dữ liệu không hợp lệ');
    expect((await get('/api/procedures?at=2026-02-30')).statusCode).toBe(400);
  });
});

describe('versions by date', () => {
  it('birth registration: version 1 from 01/07/2025, version 2 (toàn trình) from 01/01/2026', async () => {
    const id = await procedureIdByCode(t, '1.001193');
    const at = async (iso: string) => (await procedureVersionAt(t.database.db, id, new Date(iso)))?.version ?? null;
    expect(await at('2025-06-30T16:59:59Z')).toBeNull(); // 23:59:59 on 30/06/2025 in Vietnam
    expect(await at('2025-06-30T17:00:00Z')).toBe(1);
    expect(await at('2025-12-31T16:59:59Z')).toBe(1);
    expect(await at('2025-12-31T17:00:00Z')).toBe(2);
    const old = (await get(`/api/procedures/${id}?at=2025-09-02`)).json();
    expect([old.current.version, old.current.onlineLevel]).toEqual([1, 'partial']);
    expect(old.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect((await get(`/api/procedures/${id}?at=2025-01-01`)).statusCode).toBe(404);
    // A dossier reads the version it keeps by id, in force or not.
    const v1 = await procedureVersionById(t.database.db, old.current.id);
    expect(v1?.process.find((s) => s.kind === 'review')?.shareValue).toBe(4);
    expect((await get(`/api/procedures/versions/${old.current.id}`)).json().version).toBe(1);
    // The catalogue of a past date lists the version then in force.
    const list = (await get('/api/procedures?q=khai%20sinh&at=2025-08-01')).json();
    expect([list.items[0].version, list.items[0].onlineLevel]).toEqual([1, 'partial']);
    expect((await get('/api/procedures?at=2025-06-01')).json().total).toBe(0);
  });
});
