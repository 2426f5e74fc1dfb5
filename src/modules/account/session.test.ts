import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/clock/index.js';
import { bearer, createTestApp, type TestContext } from '../../test/harness.js';

const clock = fixedClock(new Date('2026-11-20T08:00:00+07:00'));
let t: TestContext;
beforeAll(async () => {
  t = await createTestApp({ clock, config: { sessionTtlMs: 8 * 3_600_000, sessionIdleMs: 30 * 60_000 } });
});
afterAll(() => t.close());

const me = (token: string) => t.app.inject({ method: 'GET', url: '/api/me', headers: bearer(token) });
const code = (secret: string) => generate({ secret, epoch: Math.floor(clock.now().getTime() / 1000) });

describe('session expiry (injected clock)', () => {
  it('expires after the idle timeout and is kept alive by use', async () => {
    const token = await t.login('chuyenvien.tinh');
    clock.advance(20 * 60_000);
    expect((await me(token)).statusCode).toBe(200);
    clock.advance(20 * 60_000); // 40 min since login, 20 since last use
    expect((await me(token)).statusCode).toBe(200);
    clock.advance(31 * 60_000);
    expect((await me(token)).statusCode).toBe(401);
  });

  it('expires at the absolute lifetime even when in use', async () => {
    const token = await t.login('lanhdao.tinh');
    // Used every 20 minutes (within the 30-minute idle limit) for 7 h 40 min: still valid.
    for (let i = 0; i < 23; i++) {
      clock.advance(20 * 60_000);
      expect((await me(token)).statusCode).toBe(200);
    }
    clock.advance(21 * 60_000); // 8 h 01 min after sign-in, 21 min idle
    expect((await me(token)).statusCode).toBe(401);
  });
});

describe('change password', () => {
  it('enforces the policy, ends other sessions and keeps the current one', async () => {
    const a = await t.login('vanthu.tinh');
    const b = await t.login('vanthu.tinh');
    const weak = await t.app.inject({ method: 'POST', url: '/api/me/password', headers: bearer(a), payload: { currentPassword: 'LienThong@2026', newPassword: 'yeu' } });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().errors.length).toBeGreaterThan(1);
    const wrongCurrent = await t.app.inject({ method: 'POST', url: '/api/me/password', headers: bearer(a), payload: { currentPassword: 'sai', newPassword: 'MatKhauMoi#2026' } });
    expect(wrongCurrent.json().errors[0].field).toBe('currentPassword');
    const ok = await t.app.inject({ method: 'POST', url: '/api/me/password', headers: bearer(a), payload: { currentPassword: 'LienThong@2026', newPassword: 'MatKhauMoi#2026' } });
    expect(ok.statusCode).toBe(204);
    expect((await me(a)).statusCode).toBe(200);
    expect((await me(b)).statusCode).toBe(401);
    await expect(t.login('vanthu.tinh')).rejects.toThrow(/401/);
    expect(await t.login('vanthu.tinh', 'MatKhauMoi#2026')).toBeTruthy();
  });
});

describe('two-factor sign-in (TOTP)', () => {
  it('enrols with a QR code, then requires the code at sign-in', async () => {
    const token = await t.login('chuyenvien.xa');
    const setup = await t.app.inject({ method: 'POST', url: '/api/me/totp/setup', headers: bearer(token) });
    expect(setup.statusCode).toBe(200);
    const { secret, otpauthUrl, qrDataUrl } = setup.json();
    expect(otpauthUrl).toMatch(/^otpauth:\/\/totp\/LienThong:chuyenvien\.xa\?/);
    expect(qrDataUrl).toMatch(/^data:image\/png;base64,/);
    const bad = await t.app.inject({ method: 'POST', url: '/api/me/totp/enable', headers: bearer(token), payload: { code: '000000' } });
    expect(bad.statusCode).toBe(400);
    const good = await t.app.inject({ method: 'POST', url: '/api/me/totp/enable', headers: bearer(token), payload: { code: await code(secret) } });
    expect(good.statusCode).toBe(204);
    clock.advance(30_000); // the enrolment code's time step is used up

    const step1 = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'chuyenvien.xa', password: 'LienThong@2026' } });
    expect(step1.json()).toEqual({ twoFactorRequired: true, challenge: expect.any(String) });
    const { challenge } = step1.json();
    // The challenge is not a session.
    expect((await me(challenge)).statusCode).toBe(401);
    const wrong = await t.app.inject({ method: 'POST', url: '/api/auth/login/totp', payload: { challenge, code: '123456' } });
    expect(wrong.statusCode).toBe(401);
    const step2 = await t.app.inject({ method: 'POST', url: '/api/auth/login/totp', payload: { challenge, code: await code(secret) } });
    expect(step2.statusCode).toBe(200);
    expect(step2.json().user.twoFactorEnabled).toBe(true);
    // A used challenge cannot be replayed.
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/login/totp', payload: { challenge, code: await code(secret) } })).statusCode).toBe(401);
    // Nor can the same code with a fresh challenge (someone who saw it over the shoulder).
    const again = (await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'chuyenvien.xa', password: 'LienThong@2026' } })).json();
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/login/totp', payload: { challenge: again.challenge, code: await code(secret) } })).statusCode).toBe(401);
    clock.advance(30_000);
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/login/totp', payload: { challenge: again.challenge, code: await code(secret) } })).statusCode).toBe(200);
  });

  it('burns the challenge after five wrong codes', async () => {
    const { challenge } = (await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'chuyenvien.xa', password: 'LienThong@2026' } })).json();
    for (let i = 0; i < 5; i++) await t.app.inject({ method: 'POST', url: '/api/auth/login/totp', payload: { challenge, code: '111111' } });
    const [row] = (await t.database.db.execute('SELECT totp_secret FROM users WHERE username = \'chuyenvien.xa\'' as never) as unknown as { rows: { totp_secret: string }[] }).rows;
    clock.advance(30_000);
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login/totp', payload: { challenge, code: await code(row.totp_secret) } });
    expect(res.statusCode).toBe(401); // right code, but the challenge is gone
  });

  it('holds users of a role that requires 2FA at enrolment until they enrol', async () => {
    const admin = await t.login('admin');
    const put = await t.app.inject({ method: 'PUT', url: '/api/admin/security', headers: bearer(admin), payload: { requireTwoFactorRoles: ['leader'] } });
    expect(put.statusCode).toBe(200);
    const leader = await t.login('lanhdao.xa');
    const meRes = await me(leader);
    expect(meRes.json().mustEnrollTwoFactor).toBe(true);
    const blocked = await t.app.inject({ method: 'GET', url: '/api/units', headers: bearer(leader) });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().type).toMatch(/two-factor-enrolment-required$/);
    const { secret } = (await t.app.inject({ method: 'POST', url: '/api/me/totp/setup', headers: bearer(leader) })).json();
    await t.app.inject({ method: 'POST', url: '/api/me/totp/enable', headers: bearer(leader), payload: { code: await code(secret) } });
    expect((await t.app.inject({ method: 'GET', url: '/api/units', headers: bearer(leader) })).statusCode).toBe(200);
    const disable = await t.app.inject({ method: 'POST', url: '/api/me/totp/disable', headers: bearer(leader), payload: { password: 'LienThong@2026' } });
    expect(disable.statusCode).toBe(409);
    // Every step is in the audit trail.
    const actions = (await t.app.inject({ method: 'GET', url: `/api/audit?actorId=${await t.userId('lanhdao.xa')}&pageSize=50`, headers: bearer(admin) })).json().items.map((i: { action: string }) => i.action);
    expect(actions).toEqual(expect.arrayContaining(['auth.login', 'user.totp_setup', 'user.totp_enable']));
  });
});
