import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestContext } from './test/harness.js';

let t: TestContext;
let admin: string;
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
});
afterAll(() => t.close());

describe('HTTP basics', () => {
  it('GET /api/health reports the database kind and version', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', database: process.env.DATABASE_URL ? 'postgresql' : 'pglite', version: t.config.version });
  });

  it('GET /api/openapi.json lists the foundation endpoints', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    for (const p of ['/api/health', '/api/auth/login', '/api/auth/logout', '/api/me', '/api/units', '/api/units/{id}', '/api/officials', '/api/audit', '/api/directory/import']) {
      expect(Object.keys(doc.paths)).toContain(p);
    }
    expect(doc.paths['/api/units'].post).toBeDefined();
  });

  it('answers malformed JSON with 400 problem+json, not 500', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/units', headers: { ...bearer(admin), 'content-type': 'application/json' }, payload: '{"name": ' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 400, title: 'Dữ liệu JSON không đúng cú pháp' });
  });

  it('answers wrong types with 400 and the failing fields', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/units', headers: bearer(admin), payload: { parentId: null, level: 'galaxy', kind: 'office', name: 7, shortName: 'X' } });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.title).toBe('Dữ liệu không hợp lệ');
    expect(body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['level', 'name']));
  });

  it('answers an oversize body with 413', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/units', headers: { ...bearer(admin), 'content-type': 'application/json' }, payload: JSON.stringify({ name: 'x'.repeat(2_000_000) }) });
    expect(res.statusCode).toBe(413);
    expect(res.json().title).toBe('Dữ liệu gửi lên quá lớn');
  });

  it('answers unknown and malformed ids with 404', async () => {
    for (const id of ['01a1ff88-0000-7000-8000-000000000000', 'not-a-uuid', "'; drop table units; --"]) {
      const res = await t.app.inject({ method: 'GET', url: `/api/units/${encodeURIComponent(id)}`, headers: bearer(admin) });
      expect(res.statusCode).toBe(404);
      expect(res.json().title).toBe('Không tìm thấy');
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/khong-co', headers: bearer(admin) })).statusCode).toBe(404);
  });

  it('answers router-level errors (over-long ids, broken percent-encoding) with problem+json', async () => {
    const long = await t.app.inject({ method: 'GET', url: `/api/units/${'a'.repeat(150)}`, headers: bearer(admin) });
    expect(long.statusCode).toBe(414);
    expect(long.headers['content-type']).toContain('application/problem+json');
    expect(long.json().title).toBe('Đường dẫn quá dài');
    const broken = await t.app.inject({ method: 'GET', url: '/api/units/%E0%A4%A', headers: bearer(admin) });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().title).toBe('Đường dẫn không hợp lệ');
  });

  it('answers an unsupported content type with 415', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/units', headers: { ...bearer(admin), 'content-type': 'text/csv' }, payload: 'a,b' });
    expect(res.statusCode).toBe(415);
  });

  it('requires authentication with 401 problem', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/units' });
    expect(res.statusCode).toBe(401);
    expect(res.json().title).toBe('Chưa đăng nhập hoặc phiên đã hết hạn');
  });

  it('sends security headers and a request id (echoing a client-supplied one)', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health', headers: { 'x-request-id': 'abc-123' } });
    expect(res.headers['x-request-id']).toBe('abc-123');
    expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    const gen = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(gen.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('exposes Prometheus metrics', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/lienthong_http_request_duration_seconds_bucket/);
  });

  it('records the request id and IP in the audit trail', async () => {
    const res = await t.app.inject({ method: 'PATCH', url: `/api/units/${await t.unitId('000.00.03.H99')}`, headers: { ...bearer(admin), 'x-request-id': 'req-audit-1' }, payload: { phone: '0200 3800 999' } });
    expect(res.statusCode).toBe(200);
    const log = (await t.app.inject({ method: 'GET', url: '/api/audit?objectType=unit&action=unit.update', headers: bearer(admin) })).json();
    expect(log.items[0]).toMatchObject({ requestId: 'req-audit-1', ip: '127.0.0.1', actorName: 'Quản trị hệ thống' });
    expect(log.items[0].summary.changes.phone).toEqual({ from: null, to: '0200 3800 999' });
  });
});

describe('cookie sessions and CSRF', () => {
  async function cookieLogin(username: string) {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: 'LienThong@2026' } });
    const c = Object.fromEntries(res.cookies.map((x) => [x.name, x.value]));
    return { cookie: `lt_session=${c.lt_session}; lt_csrf=${c.lt_csrf}`, csrf: c.lt_csrf as string };
  }

  it('reads with the cookie alone but refuses a write without the CSRF header', async () => {
    const { cookie, csrf } = await cookieLogin('admin');
    expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } })).statusCode).toBe(200);
    const denied = await t.app.inject({ method: 'PUT', url: '/api/admin/security', headers: { cookie }, payload: { requireTwoFactorRoles: [] } });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().type).toMatch(/csrf$/);
    const wrong = await t.app.inject({ method: 'PUT', url: '/api/admin/security', headers: { cookie, 'x-csrf-token': 'x' + csrf }, payload: { requireTwoFactorRoles: [] } });
    expect(wrong.statusCode).toBe(403);
    const ok = await t.app.inject({ method: 'PUT', url: '/api/admin/security', headers: { cookie, 'x-csrf-token': csrf }, payload: { requireTwoFactorRoles: [] } });
    expect(ok.statusCode).toBe(200);
  });

  it('refuses a cross-site sign-in attempt', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { origin: 'https://evil.example', host: 'localhost' }, payload: { username: 'admin', password: 'LienThong@2026' } });
    expect(res.statusCode).toBe(403);
  });
});

describe('validation error names', () => {
  it('names query parameters by their place', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/officials?page=0&pageSize=abc', headers: bearer(admin) });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['query.page', 'query.pageSize']));
  });

  it('answers a non-multipart upload with 415', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/directory/import', headers: bearer(admin), payload: { file: 'x' } });
    expect(res.statusCode).toBe(415);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
  });
});
