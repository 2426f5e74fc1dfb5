import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../core/db/index.js';
import { createPortalApp, csrfOf, PAGE_BUDGET, type PortalTestApp, textOf, transferredBytes } from './testing.js';

/**
 * Citizens' sign-up, sign-in and sign-out by plain form posts: validation messages in Vietnamese next
 * to the fields, the account rules of core/auth (password policy, lockout), the session cookie shared
 * with the API, CSRF on every form.
 */

let h: PortalTestApp;
beforeAll(async () => {
  h = await createPortalApp();
}, 180_000); // a fresh database with the demo catalogue; slow when the machine is busy
afterAll(async () => h?.t.close());

const good = { fullName: 'Lê Thị Hồng', idNumber: '001190004567', phone: '0903 111 222', email: 'hong@example.vn', password: 'Hoa-Sen#2026', password2: 'Hoa-Sen#2026' };

describe('sign-up (/dang-ky)', () => {
  it('shows a labelled form with a CSRF field and no script', async () => {
    const r = await h.browser().get('/dang-ky');
    expect(r.status).toBe(200);
    for (const id of ['fullName', 'idNumber', 'phone', 'email', 'password', 'password2']) expect(r.html, id).toContain(`<label for="f-${id}">`);
    expect(csrfOf(r.html)).toMatch(/^[\w-]{20,}$/);
    expect(r.html).not.toContain('<script');
  });

  it('explains each problem next to its field, keeping what was typed (never the password)', async () => {
    const b = h.browser();
    const form = await b.get('/dang-ky');
    const r = await b.post('/dang-ky', { _csrf: csrfOf(form.html), fullName: '', idNumber: '12345', phone: '', email: 'khong-phai-email', password: 'ngan', password2: 'khac' });
    expect(r.status).toBe(400);
    const text = textOf(r.html);
    for (const m of ['Thông tin đăng ký chưa hợp lệ', 'Họ và tên không được để trống.', 'Số CCCD phải gồm đúng 12 chữ số.', 'Nhập số điện thoại', 'Địa chỉ e-mail không hợp lệ.', 'Mật khẩu phải có ít nhất 10 ký tự.', 'Hai lần nhập mật khẩu không khớp.']) {
      expect(text, m).toContain(m);
    }
    expect(r.html).toContain('role="alert"');
    expect(r.html).toMatch(/id="f-idNumber" name="idNumber" value="12345"[^>]*aria-invalid="true" aria-describedby="f-idNumber-err f-idNumber-hint"/);
    expect(r.html).toContain('value="khong-phai-email"');
    expect(r.html).not.toContain('value="ngan"');
    expect(r.html).toContain('href="#f-password2"');
    const empty = textOf((await b.post('/dang-ky', { ...good, _csrf: csrfOf(form.html), idNumber: '' })).html);
    expect(empty).toContain('Số CCCD phải gồm đúng 12 chữ số.');
    expect(empty).not.toContain('Tên đăng nhập'); // the CCCD is the username: one rule, one message
    const province = await b.post('/dang-ky', { ...good, _csrf: csrfOf(form.html), idNumber: '999190004567' });
    expect(textOf(province.html)).toContain('Ba chữ số đầu của số CCCD không phải mã tỉnh hợp lệ.');
  });

  it('creates the account, signs the citizen in with the same session cookie as the API, and lands on "my dossiers"', async () => {
    const b = h.browser();
    const form = await b.get('/dang-ky');
    const r = await b.post('/dang-ky', { ...good, _csrf: csrfOf(form.html) });
    expect(r.status, r.html).toBe(303);
    expect(r.location).toBe('/ho-so-cua-toi');
    expect(b.cookies.get('lt_session')).toBeTruthy();
    const mine = await b.get('/ho-so-cua-toi');
    expect(mine.status).toBe(200);
    expect((await b.get('/dang-ky')).location).toBe('/ho-so-cua-toi'); // already signed in
    expect(textOf(mine.html)).toContain('Lê Thị Hồng');
    const me = await h.t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: `lt_session=${b.cookies.get('lt_session')}` } });
    expect(me.json().user).toMatchObject({ kind: 'citizen', username: '001190004567', fullName: 'Lê Thị Hồng', idNumber: '001190004567', phone: '0903 111 222' });
    const [audit] = await queryRows<{ n: number }>(h.t.database.db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'citizen.create' AND object_id = ${me.json().user.id}`);
    expect(audit.n).toBe(1);
    // The same CCCD cannot register twice.
    const again = h.browser();
    const f2 = await again.get('/dang-ky');
    const dup = await again.post('/dang-ky', { ...good, email: 'khac@example.vn', _csrf: csrfOf(f2.html) });
    expect(dup.status).toBe(409);
    expect(textOf(dup.html)).toContain('Số CCCD này đã có tài khoản');
  });

  it('refuses a post without the form’s CSRF token, or from another site', async () => {
    const b = h.browser();
    const form = await b.get('/dang-ky');
    const none = await b.post('/dang-ky', { ...good, idNumber: '001190009999' });
    expect(none.status).toBe(403);
    expect(textOf(none.html)).toContain('Biểu mẫu đã hết hạn');
    const wrong = await b.post('/dang-ky', { ...good, idNumber: '001190009999', _csrf: 'x'.repeat(32) });
    expect(wrong.status).toBe(403);
    const foreign = await b.post('/dang-ky', { ...good, idNumber: '001190009999', _csrf: csrfOf(form.html) }, { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    const [n] = await queryRows<{ n: number }>(h.t.database.db, sql`SELECT count(*)::int AS n FROM citizens WHERE id_number = '001190009999'`);
    expect(n.n).toBe(0);
  });
});

describe('sign-in and sign-out (/cong-dan/dang-nhap, /dang-xuat)', () => {
  it('signs in with the CCCD number and comes back to the page asked for', async () => {
    const b = h.browser();
    const protectedPage = await b.get('/ho-so-cua-toi');
    expect(protectedPage.status).toBe(303);
    expect(protectedPage.location).toBe('/cong-dan/dang-nhap?tiep=%2Fho-so-cua-toi');
    const form = await b.get(protectedPage.location!);
    expect(form.html).toContain('action="/cong-dan/dang-nhap?tiep=%2Fho-so-cua-toi"');
    const r = await b.post('/cong-dan/dang-nhap?tiep=%2Fho-so-cua-toi', { _csrf: csrfOf(form.html), username: '001090012345', password: 'LienThong@2026' });
    expect(r.status).toBe(303);
    expect(r.location).toBe('/ho-so-cua-toi');
    const page = await b.get('/ho-so-cua-toi');
    expect(textOf(page.html)).toContain('Nguyễn Văn An');
    expect(page.html).toContain('action="/dang-xuat"');
    // An open redirect is not followed.
    const other = h.browser();
    const f2 = await other.get('/cong-dan/dang-nhap');
    const evil = await other.post('/cong-dan/dang-nhap?tiep=%2F%2Fevil.example', { _csrf: csrfOf(f2.html), username: 'congdan', password: 'LienThong@2026' });
    expect(evil.location).toBe('/ho-so-cua-toi');
  });

  it('gives one message for a wrong password or an unknown account, and locks after repeated failures', async () => {
    const b = h.browser('10.0.0.7');
    const form = await b.get('/cong-dan/dang-nhap');
    const wrong = await b.post('/cong-dan/dang-nhap', { _csrf: csrfOf(form.html), username: '001090012345', password: 'Sai-mat-khau1' });
    expect(wrong.status).toBe(401);
    expect(textOf(wrong.html)).toContain('Tên đăng nhập hoặc mật khẩu không đúng.');
    expect(wrong.html).toContain('value="001090012345"');
    const unknown = await b.post('/cong-dan/dang-nhap', { _csrf: csrfOf(form.html), username: '001090099999', password: 'Sai-mat-khau1' });
    expect(textOf(unknown.html)).toContain('Tên đăng nhập hoặc mật khẩu không đúng.');
    let last = 401;
    for (let i = 0; i < 6 && last !== 429; i++) last = (await b.post('/cong-dan/dang-nhap', { _csrf: csrfOf(form.html), username: 'hong-lockout@example.vn', password: 'Sai-mat-khau1' })).status;
    expect(last).toBe(429);
    const locked = await b.post('/cong-dan/dang-nhap', { _csrf: csrfOf(form.html), username: 'hong-lockout@example.vn', password: 'Sai-mat-khau1' });
    expect(textOf(locked.html)).toContain('Đăng nhập sai quá nhiều lần');
  });

  it('sends an official to the staff app, and signs out only with the page’s token', async () => {
    const official = h.browser();
    const f = await official.get('/cong-dan/dang-nhap');
    const r = await official.post('/cong-dan/dang-nhap', { _csrf: csrfOf(f.html), username: 'motcua.xa', password: 'LienThong@2026' });
    expect(r.location).toBe('/');

    const b = h.browser();
    await b.signIn('congdan');
    const page = await b.get('/dich-vu-cong');
    const forged = await b.post('/dang-xuat', { _csrf: 'not-the-token-of-this-session' });
    expect(forged.status).toBe(403);
    expect((await b.get('/ho-so-cua-toi')).status).toBe(200);
    const out = await b.post('/dang-xuat', { _csrf: csrfOf(page.html) });
    expect(out.status).toBe(303);
    expect(b.cookies.has('lt_session')).toBe(false);
    expect((await b.get('/ho-so-cua-toi')).status).toBe(303);
  });

  it('keeps the account pages light', async () => {
    for (const url of ['/cong-dan/dang-nhap', '/dang-ky']) expect((await transferredBytes(h.browser(), url)).total).toBeLessThan(PAGE_BUDGET);
  });
});
