import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestContext } from '../../test/harness.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestApp({ config: { loginMaxFailures: 3 } });
});
afterAll(() => t.close());

describe('POST /api/auth/login', () => {
  it('signs in with the demo password and sets HttpOnly SameSite cookies', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'vanthu.xa', password: 'LienThong@2026' } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(body.user).toMatchObject({ username: 'vanthu.xa', kind: 'official', fullName: 'Phạm Thị Hoa', unitName: 'Ủy ban nhân dân xã Tân An' });
    const cookies = ([] as string[]).concat(res.headers['set-cookie'] as string[]);
    const session = cookies.find((c) => c.startsWith('lt_session='))!;
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Lax/i);
    expect(cookies.find((c) => c.startsWith('lt_csrf='))).not.toMatch(/HttpOnly/i);
  });

  it('stores only a hash of the session token', async () => {
    const token = await t.login('chuyenvien.xa');
    const r = await t.database.db.execute('SELECT token_hash FROM sessions' as never);
    const hashes = (r as unknown as { rows: { token_hash: string }[] }).rows.map((x) => x.token_hash);
    expect(hashes).not.toContain(token);
    expect(hashes.every((h) => /^[0-9a-f]{64}$/.test(h))).toBe(true);
  });

  it('answers 401 problem+json in Vietnamese, the same for a wrong password and an unknown user', async () => {
    const wrong = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'lanhdao.xa', password: 'sai-mat-khau' } });
    const unknown = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'khong.ton.tai', password: 'sai-mat-khau' } });
    for (const res of [wrong, unknown]) {
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ status: 401, title: 'Đăng nhập không thành công', detail: 'Tên đăng nhập hoặc mật khẩu không đúng.' });
    }
    expect(wrong.json().detail).toBe(unknown.json().detail);
  });

  it('locks an account name temporarily after repeated failures, existing or not', async () => {
    for (const username of ['motcua.xa', 'ai.do.khong.co']) {
      for (let i = 0; i < 3; i++) await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: 'sai' } });
      const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: 'LienThong@2026' } });
      expect(res.statusCode).toBe(429);
      expect(res.headers['retry-after']).toBeDefined();
      expect(res.json().title).toBe('Tạm thời không thể đăng nhập');
    }
  });

  it('rejects malformed bodies with 400 and the failing fields', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 42 } });
    expect(res.statusCode).toBe(400);
    const fields = res.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['username', 'password']));
  });

  it('signs out: the token stops working', async () => {
    const token = await t.login('lanhdao.tinh');
    expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: bearer(token) })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: bearer(token) })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: bearer(token) })).statusCode).toBe(401);
  });

  it('signs in with the e-mail address too', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'congdan@example.vn', password: 'LienThong@2026' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toMatchObject({ kind: 'citizen', username: 'congdan', idNumber: '001090012345' });
  });
});
