import { eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { completeTotpLogin, login, logout, WRONG_CREDENTIALS } from '../../core/auth/login.js';
import { users } from '../../core/auth/schema.js';
import { type NewSession, resolveSession } from '../../core/auth/sessions.js';
import { AppError, type FieldError } from '../../core/errors/index.js';
import { CSRF_COOKIE, SESSION_COOKIE } from '../../core/http/auth-hook.js';
import { actorOf } from '../../core/http/context.js';
import { citizenInputProblems, citizens, createCitizen } from '../directory/index.js';
import { hidden, textInput } from './controls.js';
import { html } from './html.js';
import { errorSummary, sendPage } from './layout.js';
import { checkCsrf, csrfToken, field, formBody, type FormFields, type PortalOptions, safeNext, seeOther } from './web.js';

/**
 * Citizens' sign-up (/dang-ky), sign-in (/cong-dan/dang-nhap, with the 2FA step when the account has it) and
 * sign-out (/dang-xuat): the account rules are core/auth's and the directory's (argon2id, password
 * policy, lockout after repeated failures, CCCD check); sessions are the same cookie as the API's.
 * The CCCD number is the username, so citizens sign in with it (or their e-mail).
 */

type SignUp = { fullName: string; idNumber: string; phone: string; email: string };
const SIGNUP_IDS: Record<string, string> = { fullName: 'f-fullName', idNumber: 'f-idNumber', phone: 'f-phone', email: 'f-email', password: 'f-password', password2: 'f-password2' };

export function registerAccountPages(app: FastifyInstance, opts: PortalOptions): void {
  const now = () => app.clock.now();
  const rateLimit = { max: opts.loginPerMinute, timeWindow: '1 minute' };

  function setSessionCookies(reply: FastifyReply, s: NewSession) {
    const base = { path: '/', sameSite: 'lax' as const, secure: opts.cookieSecure, expires: s.expiresAt };
    reply.setCookie(SESSION_COOKIE, s.token, { ...base, httpOnly: true });
    reply.setCookie(CSRF_COOKIE, s.csrfToken, { ...base, httpOnly: false });
  }
  const afterSignIn = (kind: string, next: string) => (kind === 'official' ? '/' : safeNext(next));

  async function signUpPage(req: FastifyRequest, reply: FastifyReply, v: SignUp, errors: FieldError[], title: string | null, status = 200) {
    const next = safeNext((req.query as { tiep?: string }).tiep);
    const e = { errors };
    const body = html`<h1>Đăng ký tài khoản công dân</h1><section>
${errorSummary(title, errors, SIGNUP_IDS)}
<p>Tài khoản dùng để nộp hồ sơ trực tuyến và theo dõi hồ sơ của bạn. Các trường có dấu * là bắt buộc.</p>
<form method="post" action="/dang-ky?tiep=${encodeURIComponent(next)}" novalidate>
${hidden('_csrf', csrfToken(req, reply, opts.cookieSecure))}
${textInput({ ...e, name: 'fullName', label: 'Họ và tên', value: v.fullName, required: true, autocomplete: 'name', maxlength: 200 })}
${textInput({ ...e, name: 'idNumber', label: 'Số CCCD (căn cước)', hint: '12 chữ số; dùng để đăng nhập', value: v.idNumber, required: true, inputmode: 'numeric', maxlength: 12, autocomplete: 'off' })}
${textInput({ ...e, name: 'phone', label: 'Số điện thoại', type: 'tel', value: v.phone, required: true, autocomplete: 'tel', maxlength: 20 })}
${textInput({ ...e, name: 'email', label: 'E-mail', hint: 'Không bắt buộc; để nhận thông báo về hồ sơ', type: 'email', value: v.email, autocomplete: 'email', maxlength: 254 })}
${textInput({ ...e, name: 'password', label: 'Mật khẩu', hint: 'Ít nhất 10 ký tự, có chữ hoa, chữ thường, chữ số và ký tự đặc biệt', type: 'password', required: true, autocomplete: 'new-password', maxlength: 128 })}
${textInput({ ...e, name: 'password2', label: 'Nhập lại mật khẩu', type: 'password', required: true, autocomplete: 'new-password', maxlength: 128 })}
<button class="btn" type="submit">Đăng ký</button></form>
<p>Đã có tài khoản? <a href="/cong-dan/dang-nhap?tiep=${encodeURIComponent(next)}">Đăng nhập</a></p></section>`;
    return sendPage(req, reply, { title: 'Đăng ký tài khoản', body, nav: 'signup' }, status);
  }

  async function signInPage(req: FastifyRequest, reply: FastifyReply, username: string, problem: AppError | null, status = 200) {
    const next = safeNext((req.query as { tiep?: string }).tiep);
    const errors = problem ? [{ field: 'username', message: problem.detail ?? problem.title }] : [];
    const body = html`<h1>Đăng nhập</h1><section>
${problem ? errorSummary(problem.title, errors, { username: 'f-username' }) : ''}
<form method="post" action="/cong-dan/dang-nhap?tiep=${encodeURIComponent(next)}" novalidate>
${hidden('_csrf', csrfToken(req, reply, opts.cookieSecure))}
${textInput({ name: 'username', label: 'Số CCCD hoặc e-mail', value: username, required: true, autocomplete: 'username', maxlength: 254 })}
${textInput({ name: 'password', label: 'Mật khẩu', type: 'password', required: true, autocomplete: 'current-password', maxlength: 256 })}
<button class="btn" type="submit">Đăng nhập</button></form>
<p>Chưa có tài khoản? <a href="/dang-ky?tiep=${encodeURIComponent(next)}">Đăng ký</a></p>
<p class="meta">Quên mật khẩu: liên hệ Bộ phận Một cửa nơi bạn cư trú, mang theo CCCD.</p></section>`;
    return sendPage(req, reply, { title: 'Đăng nhập', body, nav: 'signin' }, status);
  }

  async function totpPage(req: FastifyRequest, reply: FastifyReply, challenge: string, problem: AppError | null, status = 200) {
    const next = safeNext((req.query as { tiep?: string }).tiep);
    const errors = problem ? [{ field: 'code', message: problem.detail ?? problem.title }] : [];
    const body = html`<h1>Xác thực hai lớp</h1><section>${problem ? errorSummary(problem.title, errors, { code: 'f-code' }) : ''}
<form method="post" action="/cong-dan/dang-nhap/xac-thuc?tiep=${encodeURIComponent(next)}" novalidate>
${hidden('_csrf', csrfToken(req, reply, opts.cookieSecure))}${hidden('challenge', challenge)}
${textInput({ name: 'code', label: 'Mã xác thực 6 chữ số', hint: 'Mở ứng dụng xác thực trên điện thoại', errors, required: true, inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 10 })}
<button class="btn" type="submit">Xác nhận</button></form></section>`;
    return sendPage(req, reply, { title: 'Xác thực hai lớp', body, nav: 'signin' }, status);
  }

  app.get('/dang-ky', { schema: { hide: true } }, async (req, reply) => {
    if (req.principal) return seeOther(reply, afterSignIn(req.principal.kind, (req.query as { tiep?: string }).tiep ?? ''));
    return signUpPage(req, reply, { fullName: '', idNumber: '', phone: '', email: '' }, [], null);
  });

  app.post('/dang-ky', { schema: { hide: true }, config: { rateLimit } }, async (req, reply) => {
    const f: FormFields = formBody(req);
    checkCsrf(req, field(f, '_csrf'));
    const v: SignUp = { fullName: field(f, 'fullName'), idNumber: field(f, 'idNumber').replace(/\s/g, ''), phone: field(f, 'phone'), email: field(f, 'email') };
    const password = typeof f.password === 'string' ? f.password : '';
    const input = { username: v.idNumber, fullName: v.fullName, idNumber: v.idNumber, phone: v.phone || null, email: v.email || null, password };
    // The directory's rules, with the username being the CCCD number; the phone is required here.
    const errors = citizenInputProblems(input).filter((e) => e.field !== 'username'); // the username is the CCCD: its own rule speaks
    if (!v.phone) errors.push({ field: 'phone', message: 'Nhập số điện thoại để Bộ phận Một cửa liên hệ khi cần.' });
    if (password !== (typeof f.password2 === 'string' ? f.password2 : '')) errors.push({ field: 'password2', message: 'Hai lần nhập mật khẩu không khớp.' });
    if (errors.length) return signUpPage(req, reply, v, errors, 'Thông tin đăng ký chưa hợp lệ', 400);
    const ctx = { ...actorOf(req, now()), actorName: v.fullName.normalize('NFC') };
    try {
      await createCitizen(app.db, input, ctx);
    } catch (err) {
      if (err instanceof AppError && err.status === 409) {
        return signUpPage(req, reply, v, [{ field: 'idNumber', message: 'Số CCCD này đã có tài khoản. Hãy đăng nhập; nếu quên mật khẩu, liên hệ Bộ phận Một cửa.' }], 'Tài khoản đã tồn tại', 409);
      }
      if (err instanceof AppError && err.errors?.length) return signUpPage(req, reply, v, err.errors, err.title, err.status);
      throw err;
    }
    const res = await login(app.db, { username: v.idNumber, password, userAgent: req.headers['user-agent'] ?? null }, actorOf(req, now()), opts.policy);
    if (res.kind !== 'session') return seeOther(reply, '/cong-dan/dang-nhap');
    setSessionCookies(reply, res.session);
    return seeOther(reply, safeNext((req.query as { tiep?: string }).tiep));
  });

  app.get('/cong-dan/dang-nhap', { schema: { hide: true } }, async (req, reply) => {
    if (req.principal) return seeOther(reply, afterSignIn(req.principal.kind, (req.query as { tiep?: string }).tiep ?? ''));
    return signInPage(req, reply, '', null);
  });

  app.post('/cong-dan/dang-nhap', { schema: { hide: true }, config: { rateLimit } }, async (req, reply) => {
    const f = formBody(req);
    checkCsrf(req, field(f, '_csrf'));
    const username = field(f, 'username');
    const password = typeof f.password === 'string' ? f.password : '';
    if (!username || !password) return signInPage(req, reply, username, new AppError(400, 'validation', 'Thiếu thông tin đăng nhập', 'Nhập số CCCD (hoặc e-mail) và mật khẩu.'), 400);
    try {
      const res = await login(app.db, { username: (await usernameOf(app, username)).slice(0, 254), password: password.slice(0, 256), userAgent: req.headers['user-agent'] ?? null }, actorOf(req, now()), opts.policy);
      if (res.kind === 'totp') return totpPage(req, reply, res.challenge, null);
      setSessionCookies(reply, res.session);
      return seeOther(reply, afterSignIn((await loadKind(app, res.userId)) ?? 'citizen', (req.query as { tiep?: string }).tiep ?? ''));
    } catch (err) {
      if (err instanceof AppError && (err.status === 401 || err.status === 429)) {
        return signInPage(req, reply, username, err.status === 401 ? new AppError(401, err.code, err.title, WRONG_CREDENTIALS) : err, err.status);
      }
      throw err;
    }
  });

  app.post('/cong-dan/dang-nhap/xac-thuc', { schema: { hide: true }, config: { rateLimit } }, async (req, reply) => {
    const f = formBody(req);
    checkCsrf(req, field(f, '_csrf'));
    const challengeToken = field(f, 'challenge');
    const challenge = await resolveSession(app.db, challengeToken, opts.policy, now());
    try {
      const res = await completeTotpLogin(app.db, challenge, field(f, 'code'), { userAgent: req.headers['user-agent'] ?? null }, actorOf(req, now()), opts.policy);
      setSessionCookies(reply, res.session);
      return seeOther(reply, afterSignIn((await loadKind(app, res.userId)) ?? 'citizen', (req.query as { tiep?: string }).tiep ?? ''));
    } catch (err) {
      if (err instanceof AppError && err.status === 401 && challenge) return totpPage(req, reply, challengeToken, err, 401);
      if (err instanceof AppError && err.status === 401) return signInPage(req, reply, '', err, 401);
      throw err;
    }
  });

  app.post('/dang-xuat', { schema: { hide: true } }, async (req, reply) => {
    const f = formBody(req);
    if (req.session && req.principal) {
      checkCsrf(req, field(f, '_csrf'));
      await logout(app.db, req.session.id, actorOf(req, now()));
    }
    reply.clearCookie(SESSION_COOKIE, { path: '/' }).clearCookie(CSRF_COOKIE, { path: '/' });
    return seeOther(reply, '/dich-vu-cong');
  });
}

/** Citizens sign in with their CCCD number: the account whose citizen record has it (else what was typed). */
async function usernameOf(app: FastifyInstance, typed: string): Promise<string> {
  const id = typed.replace(/\s/g, '');
  if (!/^\d{12}$/.test(id)) return typed;
  const [row] = await app.db.select({ username: users.username }).from(users).innerJoin(citizens, eq(citizens.userId, users.id)).where(eq(citizens.idNumber, id)).limit(1);
  return row?.username ?? typed;
}

async function loadKind(app: FastifyInstance, userId: string): Promise<'official' | 'citizen' | null> {
  const [u] = await app.db.select({ kind: users.kind }).from(users).where(eq(users.id, userId)).limit(1);
  return u?.kind ?? null;
}
